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

from codikg.build.release import (ReleaseInvalid, build_dataset, build_release, input_fingerprint,
                                   write_release)
from codikg.cli import app
from codikg.quality import quality_report
from codikg.settings import Settings
from codikg.store import EmbeddedStore
from codikg.trace import COLUMNS, TraceError, resolve_indicator, trace_all, trace_indicator

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


def test_indicator_references(store):
    iri = PLAN + "/issue/6/indicator/5.2"
    assert resolve_indicator(store, "6/5.2") == resolve_indicator(store, f"<{iri}>") == iri
    with pytest.raises(TraceError, match=r"'9/1': no indicators with notation 1 in strategic issue 9"):
        resolve_indicator(store, "9/1")
    with pytest.raises(TraceError, match="no indicator with this IRI"):
        resolve_indicator(store, PLAN + "/objective/3")
    with pytest.raises(TraceError, match="not an IRI nor a notation"):
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
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 71 and tuple(rows[0]) == COLUMNS
    row = next(r for r in rows if r["indicator"] == "3/1.2" and r["mission"] == "4")
    assert (row["measures_kind"], row["issue_objective_kind"], row["supports_mission_kind"],
            row["makes_operative_kind"]) == ("structural", "stated", "curated", "structural")
    assert row["indicator_th"] == "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน" and row["issue_objective_line"] == "76"

    xlsx = tmp_path / "trace.xlsx"
    assert _run("trace", "--all", "--format", "xlsx", "--out", str(xlsx), "--release", str(folder)).exit_code == 0
    sheet = load_workbook(xlsx)["trace"]
    values = list(sheet.values)
    assert tuple(values[0]) == COLUMNS and len(values) == 72
    assert values[1][COLUMNS.index("indicator_th")] == rows[0]["indicator_th"]
    # an independent reader: the OOXML package's XML holds the Thai text intact
    with zipfile.ZipFile(xlsx) as package:
        xml = ElementTree.fromstring(package.read("xl/worksheets/sheet1.xml"))
    strings = {t.text for t in xml.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}t")}
    assert "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน" in strings


def test_an_objective_without_mission_shows_as_a_gap(tmp_path):
    home = tmp_path / "home"
    shutil.copytree(ROOT / "data", home / "data")
    shutil.copytree(ROOT / "ontology", home / "ontology")
    path = home / "data" / "curation" / "objective-missions.ttl"
    text = path.read_text(encoding="utf-8").replace("plan:objective\\/5 cdk:supportsMission plan:mission\\/3 .\n", "")
    path.write_text(text, encoding="utf-8")
    settings = Settings(BASE, home)
    # the build refuses such a release (cdksh:TraceShape); write it without validation to audit the gap
    with pytest.raises(ReleaseInvalid) as refused:
        build_release(settings, home / "release")
    assert {str(r.focus).rsplit("2552/", 1)[1] for r in refused.value.report.violations} == {
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


def test_report_cli(release):
    folder, _ = release
    result = _run("report", "--release", str(folder))
    assert result.exit_code == 0 and "ประด็น" in result.output and "NOT CURATED" not in result.output
    result = _run("report", "--format", "json", "--release", str(folder))
    assert '"inconsistencies"' in result.output


def test_served_trace_and_report(server):
    r = httpx.get(server + "/trace")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert len(re.findall(r'<td><a href="/id/codi/plan/2552/issue/[0-9]+/indicator/', r.text)) == 71  # local links
    r = httpx.get(server + "/trace.csv", params={"indicator": "3/1.2"})
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="codikg-trace-3-1.2.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["mission"] for row in rows] == ["3", "4"]
    r = httpx.get(server + "/trace.xlsx")
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert load_workbook(io.BytesIO(r.content))["trace"].max_row == 72
    assert httpx.get(server + "/trace", params={"indicator": "9/9"}).status_code == 404
    r = httpx.get(server + "/report")
    assert r.status_code == 200 and "ประ้เด็น" in r.text and "2555" in r.text
    assert len(httpx.get(server + "/report.json").json()["typos"]) == 11


def test_trace_partial_for_one_indicator(release):
    from codikg.web.app import create_app

    folder, _ = release
    web = create_app(folder, ROOT / "queries")
    template = web.state.templates.env.from_string(
        '{% set trace_paths = trace_paths_for(iri) %}{% include "_trace.html" %}')
    html = template.render(iri=PLAN + "/issue/3/indicator/1.2")
    assert html.count("<tr>") == 1 + 2 and "kind-curated" in html and "line 81" in html


def _query(folder, name):
    result = runner.invoke(app, ["query", str(ROOT / "queries" / f"{name}.rq"), "--release", str(folder),
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_query_trace_indicator(release):
    rows = _query(release[0], "trace-indicator")
    assert [(r["mission"].rsplit("/", 1)[1], r["measuresKind"], r["issueObjectiveKind"],
             r["supportsMissionKind"], r["makesOperativeKind"]) for r in rows] == [
        ("3", "structural", "stated", "curated", "structural"),
        ("4", "structural", "stated", "curated", "structural")]


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
    assert counts["document"] == manifest["graphs"][BASE + "graph/document"]
    assert counts["curation"] == manifest["graphs"][BASE + "graph/curation"]
    assert counts["document"] + counts["curation"] == counts["document+curation"]
