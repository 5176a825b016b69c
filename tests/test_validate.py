"""Validation of the real release: it conforms, and any single required link
removed from it makes validation fail naming the broken element."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Dataset, Graph, URIRef
from typer.testing import CliRunner

from codikg.build.release import ReleaseInvalid, build_release
from codikg.cli import app
from codikg.validate import load_shapes, validate_dataset

from conftest import BASE, PLAN, ROOT
from test_build import _copy_home

CDK = "https://w3id.org/codikg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
CDKSH = "https://w3id.org/codikg/shapes#"
SHAPES = ROOT / "ontology" / "shapes.ttl"


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(SHAPES)


@pytest.fixture(scope="module")
def trig(release):
    folder, _ = release
    return (folder / "codikg.trig").read_text(encoding="utf-8")


def _dataset(trig: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=trig, format="trig")
    return ds


def test_real_plan_conforms(release, trig, shapes):
    _, manifest = release
    report = validate_dataset(_dataset(trig), shapes)
    assert report.conforms and report.violations == []
    # English labels are curated in data/curation/labels-en.ttl: no warnings either
    assert report.results == []
    assert manifest["validation"] == {"conforms": True, "violations": 0, "warnings": len(report.warnings)}


# (link kind, subject, property, object, element the report must name, shape)
LINKS = [
    ("hasVision", PLAN, CDK + "hasVision", PLAN + "/vision", PLAN, "StrategicPlanShape"),
    ("hasMission", PLAN, CDK + "hasMission", PLAN + "/mission/2", PLAN + "/mission/2", "MissionShape"),
    ("hasStrategicObjective", PLAN, CDK + "hasStrategicObjective", PLAN + "/objective/4", PLAN + "/objective/4",
     "StrategicObjectiveShape"),
    ("hasStrategicIssue", PLAN, CDK + "hasStrategicIssue", PLAN + "/issue/5", PLAN + "/issue/5", "StrategicIssueShape"),
    ("makesOperative", PLAN + "/mission/3", CDK + "makesOperative", PLAN + "/vision", PLAN + "/mission/3",
     "MissionShape"),
    ("supportsMission", PLAN + "/objective/5", CDK + "supportsMission", PLAN + "/mission/3", PLAN + "/objective/5",
     "StrategicObjectiveShape"),
    ("hasObjective", PLAN + "/issue/2", CDK + "hasObjective", PLAN + "/objective/2", PLAN + "/issue/2",
     "StrategicIssueShape"),
    ("hasIndicator", PLAN + "/issue/3", CDK + "hasIndicator", PLAN + "/issue/3/indicator/2",
     PLAN + "/issue/3/indicator/2", "IndicatorShape"),
    ("hasSubIndicator", PLAN + "/issue/3/indicator/1", CDK + "hasSubIndicator", PLAN + "/issue/3/indicator/1.2",
     PLAN + "/issue/3/indicator/1.2", "IndicatorShape"),
    ("measures", PLAN + "/issue/3/indicator/1.2", CDK + "measures", PLAN + "/objective/3",
     PLAN + "/issue/3/indicator/1.2", "TraceShape"),
    ("hasStrategy", PLAN + "/issue/6", CDK + "hasStrategy", PLAN + "/issue/6/strategy/1",
     PLAN + "/issue/6/strategy/1", "StrategyShape"),
    ("hasSubStrategy", PLAN + "/issue/6/strategy/1", CDK + "hasSubStrategy", PLAN + "/issue/6/strategy/1.5",
     PLAN + "/issue/6/strategy/1.5", "StrategyShape"),
    ("hasProject", PLAN + "/issue/1", CDK + "hasProject", PLAN + "/issue/1/project/1",
     PLAN + "/issue/1/project/1", "ProjectShape"),
    ("inStrategicIssue", PLAN + "/issue/4/project/2", CDK + "inStrategicIssue", PLAN + "/issue/4",
     PLAN + "/issue/4/project/2", "ProjectShape"),
    ("inScheme", PLAN + "/issue/2/strategy/1", SKOS + "inScheme", PLAN, PLAN + "/issue/2/strategy/1", "InSchemeShape"),
    ("sourceSpan", PLAN + "/objective/1", CDK + "sourceSpan", None, PLAN + "/objective/1", "SourceSpanShape"),
    ("hasSource", PLAN + "/vision#source-1", "http://www.w3.org/ns/oa#hasSource", PLAN + "/source",
     PLAN + "/vision#source-1", "TextAnchorShape"),
    ("prefLabel", PLAN + "/issue/5/indicator/1", SKOS + "prefLabel", None, PLAN + "/issue/5/indicator/1",
     "LabelShape"),
]


@pytest.mark.parametrize("subject,prop,obj,named,shape", [link[1:] for link in LINKS],
                         ids=[link[0] for link in LINKS])
def test_removing_a_required_link_fails_naming_the_element(trig, shapes, subject, prop, obj, named, shape):
    ds = _dataset(trig)
    triple = (URIRef(subject), URIRef(prop), URIRef(obj) if obj else None)
    removed = sum(1 for _ in ds.quads(triple))
    assert removed >= 1, "the link must exist in the real release"
    ds.remove((*triple, None))
    report = validate_dataset(ds, shapes)
    assert not report.conforms
    assert (named, CDKSH + shape) in {(str(r.focus), str(r.node_shape)) for r in report.violations}


def test_removing_an_english_label_only_warns(trig, shapes):
    ds = _dataset(trig)
    label = URIRef(SKOS + "prefLabel")
    element = URIRef(PLAN + "/issue/5/indicator/1")
    english = [q for q in ds.quads((element, label, None, None)) if q[2].language == "en"]
    assert len(english) == 1
    ds.remove(english[0])
    report = validate_dataset(ds, shapes)
    assert report.conforms
    assert [(str(r.focus), str(r.node_shape)) for r in report.warnings] == [
        (str(element), CDKSH + "EnglishLabelShape")]


def test_supports_mission_removal_breaks_every_indicator_trace(trig, shapes):
    ds = _dataset(trig)
    ds.remove((URIRef(PLAN + "/objective/5"), URIRef(CDK + "supportsMission"), None, None))
    report = validate_dataset(ds, shapes)
    traced = {str(r.focus) for r in report.violations if str(r.node_shape) == CDKSH + "TraceShape"}
    issue5 = {str(s) for s, _, _, _ in ds.quads((None, URIRef(CDK + "measures"), URIRef(PLAN + "/objective/5"), None))}
    assert traced == issue5 and len(issue5) >= 1


def test_cli_validate_real_release(release):
    folder, _ = release
    result = CliRunner().invoke(app, ["validate", str(folder)], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violation(s), 0 warning(s)" in result.output
    turtle = CliRunner().invoke(app, ["validate", str(folder), "--format", "turtle"])
    report = Graph().parse(data=turtle.stdout, format="turtle")
    assert [o.toPython() for o in report.objects(None, URIRef("http://www.w3.org/ns/shacl#conforms"))] == [True]


def test_cli_validate_fails_on_a_broken_release(release, tmp_path):
    folder, _ = release
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    trig = (broken / "codikg.trig").read_text(encoding="utf-8")
    ds = _dataset(trig)
    ds.remove((URIRef(PLAN + "/issue/3/indicator/1.2"), URIRef(CDK + "measures"), None, None))
    ds.serialize(broken / "codikg.trig", format="trig")
    result = CliRunner().invoke(app, ["validate", str(broken)], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 1
    assert PLAN + "/issue/3/indicator/1.2" in result.output
    assert "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน" in result.output
    assert "An indicator measures exactly one strategic objective" in result.output
    assert "cdksh:IndicatorShape" in result.output


def test_build_refuses_a_violating_release(tmp_path):
    settings = _copy_home(tmp_path)
    out = tmp_path / "release"
    build_release(settings, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (settings.data_dir / "curation" / "second-label.ttl").write_text(
        f'<{PLAN}/issue/2/project/1> <{SKOS}prefLabel> "ชื่อที่สอง"@th .\n', encoding="utf-8")
    with pytest.raises(ReleaseInvalid) as caught:
        build_release(settings, out)
    assert {(str(r.focus), str(r.component)) for r in caught.value.report.violations} == {
        (f"{PLAN}/issue/2/project/1", "http://www.w3.org/ns/shacl#UniqueLangConstraintComponent"),
        (f"{PLAN}/issue/2/project/1", "http://www.w3.org/ns/shacl#QualifiedMaxCountConstraintComponent")}
    assert "nothing written" in str(caught.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
