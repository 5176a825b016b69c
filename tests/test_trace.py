"""The auditor's trace, the data-quality report and the auditor's queries, on the real plan."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from xml.etree import ElementTree

import httpx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from codikg.release.pipeline import ReleaseInvalid, build_dataset, build_release, input_fingerprint
from codikg.release.writer import write_release
from codikg.cli.main import app
from codikg.audit.quality import quality_report
from codikg.config.settings import Settings
from codikg.store import EmbeddedStore
from codikg.audit.trace import (COLUMNS, MalformedReference, NoSuchIndicator, TraceError, resolve_indicator, trace_all,
                           trace_indicator)

from conftest import BASE, PLAN, ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def store(release):
    folder, _ = release
    return EmbeddedStore(folder / "codikg.trig")


def _run(*args):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result


def test_indicator_3_1_2_chain_end_to_end(store):
    paths = trace_indicator(store, "3/1.2")
    assert [p.mission.iri for p in paths] == [PLAN + "/mission/3", PLAN + "/mission/4"]
    for path in paths:
        assert path.indicator.iri == PLAN + "/issue/3/indicator/1.2"
        assert path.indicator.label == {"th": "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน",
                                        "en": "New target tambons, in at least 2 aspects"}
        assert (path.objective.iri, path.issue.iri, path.vision.iri) == (
            PLAN + "/objective/3", PLAN + "/issue/3", PLAN + "/vision")
        assert [h.kind for h in path.hops] == ["structural", "stated", "curated", "structural"]
        measures, issue_objective, supports, operative = path.hops
        assert (measures.line, measures.quote) == (81, "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน")
        assert issue_objective.line == 76 and issue_objective.quote == (
            "สภาองค์กรชุมชนตำบลและเครือข่ายองค์กรชุมชนสามารถเชื่อมโยงและบูรณาการการทำงานในพื้นที่")
        assert supports.line is None and supports.attributed_to == BASE + "id/agent/codikg-editors"
        assert supports.created == "2026-11-30"
    assert paths[0].hops[2].rationale["en"] == ("Integrating work in an area relies on coordinating support "
                                                "from public and private agencies, as mission 3 states.")
    assert (paths[0].hops[3].line, paths[1].hops[3].line) == (13, 14)


def test_every_indicator_reaches_a_mission(store):
    paths = trace_all(store)
    assert len({p.indicator.iri for p in paths}) == 28
    assert all(p.mission is not None and p.vision is not None for p in paths)
    assert all(h.kind in ("stated", "structural", "curated") for p in paths for h in p.hops)
    # objectives 1-5 reach 2, 2, 2, 2, 1 missions; objective 6 (CODI's own management) all four
    assert len(paths) == 2 * 2 + 4 * 2 + 7 * 2 + 3 * 2 + 3 * 1 + 9 * 4 == 71
    assert [p.mission.notation for p in paths if p.indicator.ref == "6/5.2"] == ["1", "2", "3", "4"]
    assert paths[0].indicator.ref == "1/1" and paths[-1].indicator.ref == "6/6"
    # CODI's plan has no curated link to a higher plan nor a next-period plan: none on any path
    assert all(p.upward == () and p.higher == () and p.continued_by == "" for p in paths)


def test_indicator_references(store):
    iri = PLAN + "/issue/6/indicator/5.2"
    assert resolve_indicator(store, "6/5.2") == resolve_indicator(store, f"<{iri}>") == iri
    assert resolve_indicator(store, "๖/๕.๒") == iri  # Thai digits, as the plan prints them
    with pytest.raises(NoSuchIndicator, match=r"^indicator '9/1': there is no strategic issue 9 "
                                             r"\(the plan has issues 1, 2, 3, 4, 5, 6\)$"):
        resolve_indicator(store, "9/1")
    with pytest.raises(NoSuchIndicator, match=r"'3/9': no indicator with notation 9 in strategic issue 3$"):
        resolve_indicator(store, "3/9")
    with pytest.raises(NoSuchIndicator, match="this IRI names a StrategicObjective, not an indicator"):
        resolve_indicator(store, PLAN + "/objective/3")
    with pytest.raises(NoSuchIndicator, match="this IRI names a Strategy, not an indicator"):
        resolve_indicator(store, PLAN + "/issue/6/strategy/1.5")
    with pytest.raises(NoSuchIndicator, match="no indicator with this IRI in the release"):
        resolve_indicator(store, "https://example.org/nothing")
    with pytest.raises(MalformedReference, match="not an IRI nor a notation"):
        resolve_indicator(store, "three")


def test_trace_cli_text_and_errors(release):
    folder, _ = release
    result = _run("trace", "3/1.2", "--release", str(folder))
    assert result.exit_code == 0, result.output
    assert "2 paths" in result.output and "line 81" in result.output and "curated" in result.output
    assert _run("trace", "3/1.2", "--all", "--release", str(folder)).exit_code == 1
    result = _run("trace", "--all", "--format", "xlsx", "--release", str(folder))
    assert result.exit_code == 1 and "--out" in result.output
    result = _run("trace", "7/1", "--release", str(folder))
    assert result.exit_code == 1 and "strategic issue 7" in result.output


def test_trace_all_csv_and_xlsx(release, tmp_path):
    folder, _ = release
    result = _run("trace", "--all", "--format", "csv", "--release", str(folder))
    assert result.exit_code == 0
    assert result.stdout.startswith("\ufeffplan,indicator,")  # BOM: Excel reads UTF-8 and shows the Thai
    rows = list(csv.DictReader(io.StringIO(result.stdout[1:])))
    assert len(rows) == 71 and tuple(rows[0]) == COLUMNS
    row = next(r for r in rows if r["indicator"] == "3/1.2" and r["mission"] == "4")
    assert (row["measures_kind"], row["issue_objective_kind"], row["supports_mission_kind"],
            row["makes_operative_kind"]) == ("structural", "stated", "curated", "structural")
    assert row["indicator_th"] == "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน" and row["issue_objective_line"] == "76"
    assert row["indicator_parent"] == "3/1"
    assert (row["supports_mission_attributed_to"], row["supports_mission_attributed_name"],
            row["supports_mission_created"], row["supports_mission_record"]) == (
        BASE + "id/agent/codikg-editors", "codikg editors", "2026-11-30", PLAN + "/curation/objective-3-mission-4")
    assert row["measures_record"] == "" and row["measures_attributed_to"] == ""

    xlsx = tmp_path / "trace.xlsx"
    assert _run("trace", "--all", "--format", "xlsx", "--out", str(xlsx), "--release", str(folder)).exit_code == 0
    sheet = load_workbook(xlsx)["trace"]
    values = list(sheet.values)
    assert tuple(values[0]) == COLUMNS and len(values) == 72
    assert values[1][COLUMNS.index("indicator_th")] == rows[0]["indicator_th"]
    first = sheet.cell(row=2, column=COLUMNS.index("indicator") + 1)
    assert (first.value, first.data_type, first.number_format) == ("1/1", "s", "@")  # text, never a date
    # an independent reader: the OOXML package's XML holds the Thai text intact
    with zipfile.ZipFile(xlsx) as package:
        xml = ElementTree.fromstring(package.read("xl/worksheets/sheet1.xml"))
    strings = {t.text for t in xml.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}t")}
    assert "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน" in strings


@pytest.mark.slow
def test_an_objective_without_mission_shows_as_a_gap(tmp_path):
    home = tmp_path / "home"
    shutil.copytree(ROOT / "data", home / "data")
    shutil.copytree(ROOT / "ontology", home / "ontology")
    path = home / "data" / "plans" / "codi" / "2552" / "curation" / "objective-missions.ttl"
    text = path.read_text(encoding="utf-8").replace("plan:objective\\/5 cdk:supportsMission plan:mission\\/3 .\n", "")
    path.write_text(text, encoding="utf-8")
    settings = Settings(BASE, home)
    # a missing curated link alone is a warning (cdksh:TraceShape); the build refuses this release
    # only for the curation record left without its triple (cdksh:CuratedTripleRecordShape)
    with pytest.raises(ReleaseInvalid) as refused:
        build_release(settings, home / "release")
    assert {str(r.element).rsplit("2552/", 1)[1] for r in refused.value.report.violations} == {
        "curation/objective-5-mission-3"}
    assert {str(r.element).rsplit("2552/", 1)[1] for r in refused.value.report.warnings} == {
        "objective/5", "issue/5/indicator/1", "issue/5/indicator/2", "issue/5/indicator/3"}
    write_release(build_dataset(settings), home / "release", input_fingerprint(settings))
    store = EmbeddedStore(home / "release" / "codikg.trig")
    gaps = [p for p in trace_all(store) if p.mission is None]
    assert [p.indicator.ref for p in gaps] == ["5/1", "5/2", "5/3"]
    assert all(p.hops[2].kind == "missing" for p in gaps)
    result = runner.invoke(app, ["query", str(ROOT / "queries" / "indicators-without-mission.rq"),
                                 "--release", str(home / "release"), "--format", "csv"],
                           env={"CODIKG_HOME": str(home)})
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["issueNumber"], r["indicatorNumber"]) for r in rows] == [("5", "1"), ("5", "2"), ("5", "3")]


def test_quality_report(store):
    report = quality_report(store)
    assert [(t["line"], t["verbatim"]) for t in report.typos][:2] == [(72, "ประด็น"), (86, "ปฎิบัติ")]
    assert len(report.typos) == 11
    assert [[o["iri"].rsplit("2552/", 1)[1] for o in r["occurrences"]] for r in report.repeats] == [
        ["issue/2/project/1", "issue/5/project/2"], ["issue/3/project/4", "issue/5/project/1"]]
    assert all(r["consolidated_as"] for r in report.repeats)
    [near] = report.near_repeats
    assert (near["first"]["line"], near["second"]["line"]) == (45, 126)
    assert [(h["notation"], h["title_line"], h["differences"]) for h in report.headings] == [
        ("4", 97, [{"change": "replace", "overview": "่", "title": "้"}]),
        ("5", 115, [{"change": "delete", "overview": "พัฒนา", "title": ""}])]
    [finding] = report.inconsistencies
    assert finding["line"] == 145 and finding["element"] == PLAN + "/issue/6/indicator/5.2"
    assert finding["finding"]["en"] == ("'4 years' but B.E. 2552–2554 is 3 fiscal years "
                                        "(4 years from 2552 would end in 2555)")
    source = (ROOT / "data" / "plans" / "codi" / "2552" / "source" / "codi-strategic-plan-2552.txt").read_text(encoding="utf-8")
    # quotes are verbatim (Thai digits as printed) and their offsets point into the source file
    assert finding["text"] == "๔ ปี (พ.ศ.๒๕๕๒ – ๒๕๕๔)" == source[finding["start"]:finding["end"]]
    for typo in report.typos:
        assert source[typo["start"]:typo["end"]] == typo["verbatim"]
    # the two ปฎิบัติ of line 145 are told apart by their offsets
    assert [(t["start"], t["end"]) for t in report.typos if t["line"] == 145] == [(7475, 7482), (7522, 7529)]
    splits = {(s["line"], s["text"]): s for s in report.split_words}
    assert splits[(49, "ที่อยู่ อาศัย")]["reason"] == "dictionary"
    assert splits[(49, "ที่อยู่ อาศัย")]["joined"] == "ที่อยู่อาศัย"
    assert splits[(91, "ขบวน องค์กร")]["reason"] == "elsewhere"
    assert splits[(127, "ดูแล ติดตาม")]["element"] == PLAN + "/issue/5/project/1"
    for split in report.split_words:
        assert source[split["start"]:split["end"]] == split["text"]
    # conservative: the conventional space before MAI YAMOK ("ต่าง ๆ") is never reported
    assert all("ๆ" not in s["text"] for s in report.split_words) and "ต่าง ๆ" in source
    assert len(report.split_words) == 9
    [note] = report.notes
    assert (note["line"], note["text"]) == (148, "ขีดความสมรรถนะ") == (148, source[note["start"]:note["end"]])
    assert "'ขีดความสามารถ'" in note["rationale"]["en"] and "'สมรรถนะ'" in note["rationale"]["en"]


def test_report_cli(release):
    folder, _ = release
    result = _run("report", "--release", str(folder))
    assert result.exit_code == 0 and "ประด็น" in result.output and "NOT CURATED" not in result.output
    assert "line 145, code points 7475–7482: 'ปฎิบัติ'" in result.output
    assert "line 145, code points 7522–7529: 'ปฎิบัติ'" in result.output
    assert "line 49, code points 2637–2650: 'ที่อยู่ อาศัย'" in result.output
    assert "line 148, code points 7762–7776: 'ขีดความสมรรถนะ'" in result.output
    result = _run("report", "--format", "json", "--release", str(folder))
    assert '"inconsistencies"' in result.output and '"split_words"' in result.output


def test_served_trace_and_report(server, release):
    r = httpx.get(server + "/trace")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert len(re.findall(r'<td><a href="/id/codi/plan/2552/issue/[0-9]+/indicator/', r.text)) == 71  # local links
    r = httpx.get(server + "/trace.csv", params={"indicator": "3/1.2"})
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == f'attachment; filename="codikg-trace-{release[1]["release"]}-3-1.2.csv"'

    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row["mission"] for row in rows] == ["3", "4"]
    r = httpx.get(server + "/trace.xlsx")
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert load_workbook(io.BytesIO(r.content))["trace"].max_row == 72
    r = httpx.get(server + "/trace", params={"indicator": "9/9"}, headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert "there is no strategic issue 9" in r.text and "<table" not in r.text
    r = httpx.get(server + "/trace", params={"indicator": "abc"}, headers={"Accept": "text/html"})
    assert r.status_code == 400 and "not an IRI nor a notation" in r.text
    assert httpx.get(server + "/trace.csv", params={"indicator": "abc"}).status_code == 400
    r = httpx.get(server + "/trace", params={"indicator": "๓/๑.๒", "lang": "en"})
    assert r.status_code == 200 and "2 paths, 1 indicator," in r.text and "sub-indicator of 3/1" in r.text
    summary = r.text.split('<p class="trace-summary">')[1].split("</p>")[0].replace("\n", " ")
    assert "  " not in summary and "(2 paths, 1 indicator, indicator <code>๓/๑.๒</code>)" in summary
    r = httpx.get(server + "/trace", params={"indicator": "๓/๑.๒", "lang": "th"})
    summary = r.text.split('<p class="trace-summary">')[1].split("</p>")[0].replace("\n", " ")
    assert "(2 เส้นทาง, 1 ตัวชี้วัด, ตัวชี้วัด <code>๓/๑.๒</code>)" in summary
    assert "ตัวชี้วัดย่อยของ 3/1" in r.text and "sub-indicator" not in r.text
    # one group per mission reached (3 and 4), the objective printed once in each
    assert r.text.count('<details class="trace-group" open>') == 2
    r = httpx.get(server + "/trace.xlsx")
    assert r.headers["content-disposition"] == f'attachment; filename="codikg-trace-{release[1]["release"]}.xlsx"'
    r = httpx.get(server + "/report")
    assert r.status_code == 200 and "ประ้เด็น" in r.text and "2555" in r.text
    assert len(httpx.get(server + "/report.json").json()["typos"]) == 11


def test_report_is_computed_once_per_release_and_revalidates(server, release):
    for path, variant in (("/report", "report-th"), ("/report.json", "report-json")):
        first = httpx.get(server + path)
        assert first.status_code == 200
        assert first.headers["etag"] == f'W/"{release[1]["release"]}-{variant}"'
        again = httpx.get(server + path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        since = httpx.get(server + path, headers={"If-Modified-Since": first.headers["last-modified"]})
        assert since.status_code == 304


def test_trace_partial_for_one_indicator(release):
    from codikg.web.app import create_app

    folder, _ = release
    web = create_app(folder, ROOT / "queries")
    template = web.state.templates.env.from_string(
        '{% set trace_paths = trace_paths_for(iri) %}{% include "_trace.html" %}')
    html = template.render(iri=PLAN + "/issue/3/indicator/1.2")
    # two paths (missions 3 and 4), each its group with its header row
    assert html.count('<tr class="path">') == 2 and html.count("<thead>") == 2
    assert "kind-curated" in html and "บรรทัด 81" in html


def _query(folder, name):
    result = runner.invoke(app, ["query", str(ROOT / "queries" / f"{name}.rq"), "--release", str(folder),
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_query_trace_indicator(release):
    rows = _query(release[0], "trace-indicator")
    assert [(r["mission"].rsplit("/", 1)[1], r["measuresKind"], r["issueObjectiveKind"],
             r["supportsMissionKind"], r["makesOperativeKind"]) for r in rows] == [
        ("1", "structural", "stated", "curated", "structural"),
        ("2", "structural", "stated", "curated", "structural")]  # indicator 1/1: objective 1 → missions 1, 2


def test_query_indicators_without_mission_is_empty_on_the_plan(release):
    assert _query(release[0], "indicators-without-mission") == []


def test_query_curated_links(release):
    rows = _query(release[0], "curated-links")
    assert len(rows) == 28
    predicates = [r["predicate"].rsplit("#", 1)[-1].rsplit("/", 1)[-1] for r in rows]
    assert predicates.count("supportsMission") == 13 and predicates.count("consolidatedAs") == 4
    assert all(r["rationaleTh"] and r["rationaleEn"] for r in rows)


def test_query_statements_by_graph_add_up(release, store):
    counts = {r["part"]: int(r["triples"]) for r in _query(release[0], "statements-by-graph")}
    _, manifest = release
    assert counts["document"] == manifest["graphs"][BASE + "graph/codi/2552/document"]
    assert counts["curation"] == manifest["graphs"][BASE + "graph/codi/2552/curation"]
    assert counts["document"] + counts["curation"] == counts["document+curation"]


@pytest.mark.slow
def test_a_missing_measures_link_shows_as_a_gap_row(release, tmp_path):
    from rdflib import Dataset, URIRef

    folder, _ = release
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    ds = Dataset()
    ds.parse(broken / "codikg.trig", format="trig")
    triple = (URIRef(PLAN + "/issue/3/indicator/1.2"), URIRef("https://w3id.org/codikg/ontology#measures"), None)
    assert len(list(ds.quads((*triple, None)))) == 1
    ds.remove((*triple, None))
    ds.serialize(broken / "codikg.trig", format="trig")

    [path] = trace_indicator(EmbeddedStore(broken / "codikg.trig"), "3/1.2")
    assert (path.objective, path.mission, path.vision) == (None, None, None)
    assert path.issue.iri == PLAN + "/issue/3"
    assert [h.kind for h in path.hops] == ["missing"] * 4 and path.gaps == list(path.hops)

    result = _run("trace", "3/1.2", "--release", str(broken))
    assert result.exit_code == 1
    assert "1 path" in result.output and "missing" in result.output
    assert ("warning: the trace of 1 indicator is broken (3/1.2): missing issue_objective, makes_operative, "
            "measures, supports_mission") in result.output

    result = _run("trace", "--all", "--format", "csv", "--release", str(broken))
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout[1:])))
    assert len(rows) == 70  # 71 paths; 3/1.2 had two (missions 3 and 4), now one row with the gap
    [gap] = [r for r in rows if r["indicator"] == "3/1.2"]
    assert (gap["measures_kind"], gap["objective"], gap["objective_iri"], gap["mission"]) == ("missing", "", "", "")
    assert gap["issue"] == "3" and gap["indicator_th"] == "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน"
