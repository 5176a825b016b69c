"""StratML (ISO 17469): the export of a plan as a Part 2 document, valid against the
schema in tests/conformance/stratml/, and the import of Part 1 and Part 2 documents
into the plan model (the round trip keeps the structure and the Thai texts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from rdflib import Dataset

from codikg.graph.document import document_graph
from codikg.graph.iris import PlanIRIs
from codikg.graph.stratml import stratml_document
from codikg.ingest import parse_plan_file
from codikg.ingest.stratml import PART2_NAMESPACE, StratMLError, read_stratml
from codikg.model import Column
from codikg.namespaces import CDK

from conftest import BASE, CONFORMANCE

FIXTURES = Path(__file__).parent / "fixtures"
SYNTHETIC_TXT = FIXTURES / "synthetic-made-up-agency-plan.txt"
PART1 = FIXTURES / "synthetic-made-up-stratml-part1.xml"
PART2 = FIXTURES / "synthetic-made-up-stratml-part2.xml"
NS = {"s": PART2_NAMESPACE}
CODI_IRIS = PlanIRIs(BASE, "codi", 2552)


@pytest.fixture(scope="module")
def part2_schema():
    return xmlschema.XMLSchema(CONFORMANCE / "stratml" / "PerformancePlanOrReport20160216.xsd")


@pytest.fixture(scope="module")
def codi_xml(plan):
    return stratml_document(plan, CODI_IRIS, {"name_th": "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
                                              "acronym_th": "พอช."},
                            (dt.date(2008, 10, 1), dt.date(2011, 9, 30)))


def _items(issue, column):
    return [(i.notation, i.marker, i.style, i.text.normalized)
            for top in issue.column_items(column) for i in top.walk()]


def _structure(plan):
    """Everything the round trip must keep: counts, notations, markers, Thai texts, links."""
    return {
        "title": plan.title.normalized, "vision": plan.vision.normalized,
        "missions": [(m.notation, m.marker, m.text.normalized) for t in plan.missions for m in t.walk()],
        "objectives": [(o.notation, o.marker, o.text.normalized) for o in plan.objectives],
        "issues": [(i.number, i.overview.marker, i.overview.text.normalized, i.title.normalized,
                    i.objective, i.objective_text.normalized, i.columns,
                    [_items(i, c) for c in Column]) for i in plan.issues],
    }


def _round_trip(tmp_path, xml: bytes):
    path = tmp_path / "plan.xml"
    path.write_bytes(xml)
    return read_stratml(path), xml.decode("utf-8")


def test_codi_export_is_valid_part2_with_thai_intact(codi_xml, part2_schema, plan):
    part2_schema.validate(codi_xml.decode("utf-8"))
    root = etree.fromstring(codi_xml)
    assert root.get("Type") == "Strategic_Plan"
    assert root.findtext("s:Name", namespaces=NS) == "แผนยุทธศาสตร์"
    core = root.find("s:StrategicPlanCore", NS)
    assert core.findtext("s:Organization/s:Acronym", namespaces=NS) == "พอช."
    assert core.findtext("s:Vision/s:Description", namespaces=NS) == plan.vision.normalized
    assert len(core.findtext("s:Mission/s:Description", namespaces=NS).split("\n")) == 4
    goals = core.findall("s:Goal", NS)
    assert len(goals) == 6
    assert goals[0].findtext("s:Name", namespaces=NS) == "การสนับสนุนการพัฒนาที่อยู่อาศัยในเมืองและที่ดินทำกินในชนบท"
    assert [len(g.findall("s:Objective/s:PerformanceIndicator", NS)) for g in goals] == [2, 4, 7, 3, 3, 9]
    # the issue's objective, then its strategies and projects (with their sub-items)
    assert [len(g.findall("s:Objective", NS)) for g in goals] == [8, 10, 9, 8, 9, 16]
    sub = root.find(".//s:PerformanceIndicator[s:Identifier='issue-3-indicator-1.2']", NS)
    assert sub.findtext("s:SequenceIndicator", namespaces=NS) == "๑.๒"
    assert sub.findtext("s:MeasurementDimension", namespaces=NS) == "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน"
    assert sub.findtext("s:Relationship/s:ReferentIdentifier", namespaces=NS) == "issue-3-indicator-1"
    info = root.find("s:AdministrativeInformation", NS)
    assert [info.findtext(f"s:{d}", namespaces=NS) for d in ("StartDate", "EndDate", "Source")] == [
        "2008-10-01", "2011-09-30", BASE + "id/codi/plan/2552"]


def test_codi_round_trip_keeps_the_structure(tmp_path, codi_xml, plan):
    back, text = _round_trip(tmp_path, codi_xml)
    assert _structure(back) == _structure(plan)
    assert (len(back.missions), len(back.objectives), len(back.issues)) == (4, 6, 6)
    assert [len(i.indicators) for i in back.issues] == [2, 4, 5, 3, 3, 6]
    assert [len(i.strategies) for i in back.issues] == [4, 4, 4, 3, 4, 3]
    assert [len(i.projects) for i in back.issues] == [3, 5, 4, 4, 4, 0]
    assert back.credit.normalized == "สถาบันพัฒนาองค์กรชุมชน"
    assert (back.period.first_year_be, back.period.last_year_be) == (2552, 2554)
    # every imported text points at its span in the XML file
    texts = [back.title, back.vision, back.credit, back.period.text]
    for issue in back.issues:
        texts += [issue.overview.text, issue.title, issue.objective_text]
        texts += [i.text for c in Column for top in issue.column_items(c) for i in top.walk()]
    texts += [m.text for m in back.missions] + [o.text for o in back.objectives]
    assert len(texts) == 4 + 6 * 3 + 82 + 4 + 6  # 82 table items, as parsed
    for t in texts:
        assert text[t.start:t.end] == t.verbatim
        assert t.verbatim in text.split("\n")[t.line - 1]


def test_round_trip_of_the_made_up_plan_and_its_period(tmp_path, part2_schema):
    plan = parse_plan_file(SYNTHETIC_TXT)
    xml = stratml_document(plan, PlanIRIs(BASE, "made-up", 2566))
    part2_schema.validate(xml.decode("utf-8"))
    assert b"<StartDate>2022-10-01</StartDate>" in xml and b"<EndDate>2025-09-30</EndDate>" in xml
    back, _ = _round_trip(tmp_path, xml)
    assert _structure(back) == _structure(plan)
    assert back.subject.normalized == "สำนักงานส่งเสริมชุมชนตัวอย่าง (หน่วยงานสมมุติ)"
    assert (back.period.first_year_be, back.period.last_year_be) == (2566, 2568)


def test_an_objective_no_issue_names_has_its_own_goal(tmp_path, part2_schema, plan):
    plan.issues[5].objective = 5  # issue 6 now repeats objective 5: objective 6 is in no issue
    try:
        xml = stratml_document(plan, CODI_IRIS)
    finally:
        plan.issues[5].objective = 6
    part2_schema.validate(xml.decode("utf-8"))
    assert b"<Identifier>objective-6</Identifier>" in xml
    back, _ = _round_trip(tmp_path, xml)
    assert [o.text.normalized for o in back.objectives] == [o.text.normalized for o in plan.objectives]
    assert len(back.issues) == 6


def test_hand_written_part2_document(part2_schema):
    part2_schema.validate(str(PART2))
    plan = read_stratml(PART2)
    text = PART2.read_text(encoding="utf-8")
    assert plan.title.normalized == "แผนยุทธศาสตร์ กรมทดสอบสมมุติ พ.ศ. ๒๕๖๗ – ๒๕๖๙"
    assert (plan.subject.normalized, plan.period.first_year_be, plan.period.last_year_be) == (
        "กรมทดสอบสมมุติ", 2567, 2569)
    assert plan.credit.normalized == "กรมทดสอบสมมุติ"
    assert plan.vision.verbatim == "ชุมชนทดสอบมีข้อมูลที่ดี &amp; ใช้ได้จริง"  # as in the file
    assert plan.vision.normalized == "ชุมชนทดสอบมีข้อมูลที่ดี & ใช้ได้จริง"
    assert text[plan.vision.start:plan.vision.end] == plan.vision.verbatim
    assert [m.text.normalized for m in plan.missions] == ["ให้บริการข้อมูลแก่ชุมชนทดสอบอย่างทั่วถึง"]
    assert [o.text.normalized for o in plan.objectives] == [
        "ข้อมูลของกรมเปิดเผย <ครบถ้วน>", "บุคลากรของกรมมีทักษะด้านข้อมูล"]
    first, second = plan.issues
    assert (first.title.normalized, first.objective, second.title.normalized, second.objective) == (
        "เป้าหมายด้านการเปิดเผยข้อมูลของกรม", 1, "การพัฒนาบุคลากร", 2)
    assert [(i.notation, i.text.normalized) for top in first.indicators for i in top.walk()] == [
        ("1", "จำนวนชุดข้อมูลที่เปิดเผย"), ("1.1", "ชุดข้อมูลระดับจังหวัด"),
        ("2", "ร้อยละความพึงพอใจของผู้ใช้")]
    assert first.columns == (Column.INDICATORS,) and second.columns == ()


def test_hand_written_part1_document_builds_a_document_graph():
    xmlschema.XMLSchema(CONFORMANCE / "stratml" / "StrategicPlanISOVersion20140401.xsd").validate(str(PART1))
    plan = read_stratml(PART1)
    assert plan.title.normalized == "Strategic Plan of the Made-up Test Office"
    assert [m.text.normalized for m in plan.missions] == ["Inform test communities."]
    assert [(i.overview.text.normalized, i.objective) for i in plan.issues] == [
        ("Open data", 1), ("Skills", 2)]
    assert plan.period is None and plan.source.media_type == "application/xml"
    graph = document_graph(plan, PlanIRIs(BASE, "made-up", 2567))
    iris = PlanIRIs(BASE, "made-up", 2567)
    assert len(list(graph.subjects(CDK.hasObjective, None))) == 2
    assert (iris.issue(2), CDK.hasObjective, iris.objective(2)) in graph


@pytest.mark.parametrize("document, reason, line", [
    (b"<StrategicPlan", "not well-formed XML", 1),
    (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<x/>', "a DTD is not accepted", 1),
    (b'<?xml version="1.0"?>\n<Plan xmlns="urn:example"/>', "neither a StratML Part 1", 2),
    (PART1.read_bytes().replace(b"<Name>Staff can work with data</Name>",
                                b"<Name>Staff can work with data</Name></Objective><Objective><Name>x</Name>"),
     "Goal 2 has 2 strategic objectives", 26),
    (PART1.read_bytes().replace(b"<Vision>", b"<Values>").replace(b"</Vision>", b"</Values>"),
     "StrategicPlanCore has no Vision", 6),
])
def test_bad_documents_are_named(tmp_path, document, reason, line):
    path = tmp_path / "bad.xml"
    path.write_bytes(document)
    with pytest.raises(StratMLError, match=reason) as info:
        read_stratml(path)
    assert (info.value.filename, info.value.line) == ("bad.xml", line)
    assert str(info.value).startswith(f"bad.xml:{line}: ")


STRATML_FILE = "stratml-codi-2552.xml"


def test_release_holds_the_plan_as_stratml_with_the_curated_period(release, part2_schema):
    folder, manifest = release
    entry = manifest["dumps"][STRATML_FILE]
    data = (folder / STRATML_FILE).read_bytes()
    assert (entry["format"], entry["plan"], entry["media_type"], entry["gzip"]) == (
        "stratml", "codi/2552", "application/xml", False)
    assert entry["bytes"] == len(data) == manifest["files"][STRATML_FILE]
    part2_schema.validate(data.decode("utf-8"))
    root = etree.fromstring(data)
    organization = root.find("s:StrategicPlanCore/s:Organization", NS)
    assert organization.findtext("s:Name", namespaces=NS) == "สถาบันพัฒนาองค์กรชุมชน"  # the credit line
    assert organization.findtext("s:Acronym", namespaces=NS) == "พอช."  # from data/plan.toml
    assert [root.findtext(f"s:AdministrativeInformation/s:{d}", namespaces=NS)
            for d in ("StartDate", "EndDate")] == ["2008-10-01", "2011-09-30"]  # curated period


def test_catalog_lists_the_stratml_distribution(release):
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF
    from codikg.release.reader import load_catalog

    folder, manifest = release
    graph = load_catalog(folder, manifest)
    dataset = URIRef(f"{BASE}id/codi/plan/2552/dataset")
    node = URIRef(f"{dataset}/distribution/stratml")
    assert (dataset, DCAT.distribution, node) in graph
    assert (node, RDF.type, DCAT.Distribution) in graph
    assert graph.value(node, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/application/xml")
    assert graph.value(node, DCTERMS.conformsTo) == URIRef(PART2_NAMESPACE)
    assert graph.value(node, DCAT.byteSize) == Literal(manifest["dumps"][STRATML_FILE]["bytes"],
                                                      datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))
    assert graph.value(node, DCAT.downloadURL) == URIRef(
        f"{BASE}dumps/{manifest['release']}/{STRATML_FILE}")


def test_dumps_route_serves_the_stratml_file(client, release):
    folder, manifest = release
    r = client.get(f"/dumps/latest/{STRATML_FILE}", headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/xml"
    assert r.headers["etag"] == f'"{manifest["dumps"][STRATML_FILE]["sha256"]}"'
    assert r.content == (folder / STRATML_FILE).read_bytes()
    assert r.headers["content-location"] == f"/dumps/{manifest['release']}/{STRATML_FILE}"


def test_cli_stratml(release, tmp_path):
    from typer.testing import CliRunner
    from codikg.cli.main import app

    folder, _ = release
    data = (folder / STRATML_FILE).read_bytes()
    for args in ([], ["codi/2552"], ["codi/๒๕๕๒"]):
        result = CliRunner().invoke(app, ["stratml", *args, "--release", str(folder)])
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == data
    out = tmp_path / "plan.xml"
    result = CliRunner().invoke(app, ["stratml", "--release", str(folder), "--out", str(out)])
    assert result.exit_code == 0 and out.read_bytes() == data
    for plan, message in (("codi/2553", "no plan 'codi/2553' in release"),
                          ("codi", "expected AGENCY/FISCAL_YEAR; plans: codi/2552")):
        result = CliRunner().invoke(app, ["stratml", plan, "--release", str(folder)])
        assert result.exit_code == 1
        assert message in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_a_plan_published_in_stratml_builds_the_same_elements(tmp_path, release, dataset):
    """CODI's plan given to the build as StratML (its own export) instead of the Thai text:
    the release passes the shapes with CODI's curation and holds the same elements."""
    import shutil
    from rdflib import URIRef
    from rdflib.namespace import RDF, SKOS
    from codikg.config.settings import Settings
    from codikg.namespaces import OA
    from codikg.release.pipeline import build_release
    from conftest import ROOT

    folder, _ = release
    home = tmp_path / "home"
    shutil.copytree(ROOT / "data", home / "data")
    shutil.copytree(ROOT / "ontology", home / "ontology")
    plan = home / "data" / "plans" / "codi" / "2552"
    xml = plan / "source" / "codi-strategic-plan-2552.xml"
    xml.write_bytes((folder / STRATML_FILE).read_bytes())
    toml = plan / "plan.toml"
    toml.write_text(toml.read_text(encoding="utf-8")
                    .replace('source = "source/codi-strategic-plan-2552.txt"',
                             'source = "source/codi-strategic-plan-2552.xml"')
                    .replace('source_media_type = "text/plain; charset=utf-8"',
                             'source_media_type = "application/xml"'), encoding="utf-8")
    manifest = build_release(Settings(BASE, home), tmp_path / "release")
    assert manifest["validation"]["violations"] == 0
    built = Dataset()
    built.parse(tmp_path / "release" / "codikg.trig", format="trig")
    graph = URIRef(BASE + "graph/codi/2552/document")

    def elements(ds):
        doc = ds.graph(graph)
        return {(s, p, o) for p in (RDF.type, SKOS.prefLabel, SKOS.notation, CDK.measures,
                                    CDK.hasObjective, CDK.hasSubIndicator, CDK.hasStrategy)
                for s, o in doc.subject_objects(p) if "/source" not in str(s)}

    assert elements(built) == elements(dataset)
    # plan, agency, vision, 4 missions, 6 objectives, 6 issues, 82 table items
    assert len({s for s, _, _ in elements(built) if "#" not in s}) == 101
    # the anchors point into the XML file
    text = xml.read_text(encoding="utf-8")
    doc = built.graph(graph)
    exact = [(doc.value(q, OA.exact), doc.value(p, OA.start), doc.value(p, OA.end))
             for span in doc.objects(URIRef(f"{BASE}id/codi/plan/2552/issue/3/indicator/1.2"), CDK.sourceSpan)
             for q in doc.objects(span, OA.hasSelector) if (q, RDF.type, OA.TextQuoteSelector) in doc
             for p in doc.objects(span, OA.hasSelector) if (p, RDF.type, OA.TextPositionSelector) in doc]
    assert [(str(e), text[int(s):int(n)]) for e, s, n in exact] == [
        ("ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน", "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน")]


@pytest.mark.parametrize("media_type, kind", [
    ("application/xml", "stratml"), ("text/xml; charset=utf-8", "stratml"),
    ("application/stratml+xml", "stratml"), ("text/plain; charset=utf-8", "text")])
def test_read_plan_file_picks_the_ingester_by_media_type(media_type, kind):
    from codikg.ingest import read_plan_file

    path = PART2 if kind == "stratml" else SYNTHETIC_TXT
    plan = read_plan_file(path, media_type)
    assert plan.source.media_type == media_type
    assert len(plan.issues) == 2 and plan.period.first_year_be == (2567 if kind == "stratml" else 2566)


def test_spans_survive_comments_processing_instructions_and_long_tags(tmp_path):
    xml = PART1.read_text(encoding="utf-8").replace(
        "<StrategicPlan ", '<?codikg note="<Name>x</Name>"?>\n<!-- <Name>not this</Name> -->\n<StrategicPlan ', 1
    ).replace("<Vision>", '<Vision>\n      <!-- <Description>nor this</Description> --><?pi <Description>?>'
    ).replace("<Name>Open data</Name>", '<Name\n        >Open data</Name>')
    path = tmp_path / "plan.xml"
    path.write_bytes(b"\xef\xbb\xbf" + xml.encode("utf-8"))
    plan = read_stratml(path)
    texts = [plan.title, plan.vision, plan.credit, *(m.text for m in plan.missions),
             *(o.text for o in plan.objectives), *(i.overview.text for i in plan.issues)]
    assert [t.verbatim for t in texts] == [
        "Strategic Plan of the Made-up Test Office", "Every test community is well informed.",
        "Made-up Test Office", "Inform test communities.", "All datasets are published",
        "Staff can work with data", "Open data", "Skills"]
    for t in texts:
        assert xml[t.start:t.end] == t.verbatim  # code points after the byte-order mark
