"""Validation of the real release: it conforms, and any single required link
removed from it makes validation fail naming the broken element."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from typer.testing import CliRunner

from codikg.release.pipeline import ReleaseInvalid, build_release
from codikg.cli.main import app
from codikg.validate.shacl import load_shapes, validate_dataset

from conftest import BASE, PLAN, ROOT, first_build
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


def _rewrite_trig(folder, ds: Dataset) -> None:
    """Write ``ds`` as the release's codikg.trig and record its SHA-256 in the manifest, as an
    editor of a release would (``codikg validate`` refuses a file that differs from the manifest)."""
    import hashlib
    import json

    path = folder / "codikg.trig"
    ds.serialize(path, format="trig")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data = path.read_bytes()
    manifest["sha256"]["codikg.trig"] = manifest["dumps"]["codikg.trig"]["sha256"] = hashlib.sha256(data).hexdigest()
    manifest["dumps"]["codikg.trig"]["bytes"] = len(data)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


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
    ("hasObjective", PLAN + "/issue/2", CDK + "hasObjective", PLAN + "/objective/2", PLAN + "/issue/2",
     "StrategicIssueShape"),
    ("hasIndicator", PLAN + "/issue/3", CDK + "hasIndicator", PLAN + "/issue/3/indicator/2",
     PLAN + "/issue/3/indicator/2", "IndicatorShape"),
    ("hasSubIndicator", PLAN + "/issue/3/indicator/1", CDK + "hasSubIndicator", PLAN + "/issue/3/indicator/1.2",
     PLAN + "/issue/3/indicator/1.2", "IndicatorShape"),
    ("measures", PLAN + "/issue/3/indicator/1.2", CDK + "measures", PLAN + "/objective/3",
     PLAN + "/issue/3/indicator/1.2", "IndicatorShape"),
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_removing_an_english_label_only_warns(trig, shapes):
    ds = _dataset(trig)
    label = URIRef(SKOS + "prefLabel")
    element = URIRef(PLAN + "/issue/5/indicator/1")
    english = [q for q in ds.quads((element, label, None, None)) if q[2].language == "en"]
    assert len(english) == 1
    ds.remove(english[0])
    # its translation record goes with it, else the record names a label the element lacks
    ds.remove((URIRef(f"{PLAN}/curation/label-en-issue-5-indicator-1"), None, None, None))
    report = validate_dataset(ds, shapes)
    assert report.conforms
    assert [(str(r.focus), str(r.node_shape)) for r in report.warnings] == [
        (str(element), CDKSH + "EnglishLabelShape")]


@pytest.mark.slow
def test_supports_mission_removal_warns_for_every_indicator_trace(trig, shapes):
    # a curated link: without it (and its record) a first release is published, with warnings
    ds = _dataset(trig)
    ds.remove((URIRef(PLAN + "/objective/5"), URIRef(CDK + "supportsMission"), None, None))
    ds.remove((URIRef(PLAN + "/curation/objective-5-mission-3"), None, None, None))
    report = validate_dataset(ds, shapes)
    assert report.conforms and report.violations == []
    assert (PLAN + "/objective/5", CDKSH + "StrategicObjectiveShape") in {
        (str(r.focus), str(r.node_shape)) for r in report.warnings}
    traced = {str(r.focus) for r in report.warnings if str(r.node_shape) == CDKSH + "TraceShape"}
    issue5 = {str(s) for s, _, _, _ in ds.quads((None, URIRef(CDK + "measures"), URIRef(PLAN + "/objective/5"), None))}
    assert traced == issue5 and len(issue5) >= 1


@pytest.mark.slow
def test_cli_validate_real_release(release):
    folder, _ = release
    result = CliRunner().invoke(app, ["validate", str(folder)], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violation(s), 0 warning(s)" in result.output
    turtle = CliRunner().invoke(app, ["validate", str(folder), "--format", "turtle"])
    report = Graph().parse(data=turtle.stdout, format="turtle")
    assert [o.toPython() for o in report.objects(None, URIRef("http://www.w3.org/ns/shacl#conforms"))] == [True]


@pytest.mark.slow
def test_cli_validate_fails_on_a_broken_release(release, tmp_path):
    folder, _ = release
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    trig = (broken / "codikg.trig").read_text(encoding="utf-8")
    ds = _dataset(trig)
    ds.remove((URIRef(PLAN + "/issue/3/indicator/1.2"), URIRef(CDK + "measures"), None, None))
    _rewrite_trig(broken, ds)
    result = CliRunner().invoke(app, ["validate", str(broken)], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 1
    assert PLAN + "/issue/3/indicator/1.2" in result.output
    assert "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน" in result.output
    assert "An indicator measures exactly one strategic objective" in result.output
    assert "cdksh:IndicatorShape" in result.output


@pytest.mark.slow
def test_build_refuses_a_violating_release(tmp_path, release):
    settings = _copy_home(tmp_path)
    out = tmp_path / "release"
    first_build(settings, out, release)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (settings.data_dir / "plans" / "codi" / "2552" / "curation" / "second-label.ttl").write_text(
        f'<{PLAN}/issue/2/project/1> <{SKOS}prefLabel> "ชื่อที่สอง"@th .\n', encoding="utf-8")
    with pytest.raises(ReleaseInvalid) as caught:
        build_release(settings, out)
    assert {(str(r.focus), str(r.component)) for r in caught.value.report.violations} == {
        (f"{PLAN}/issue/2/project/1", "http://www.w3.org/ns/shacl#UniqueLangConstraintComponent"),
        (f"{PLAN}/issue/2/project/1", "http://www.w3.org/ns/shacl#QualifiedMaxCountConstraintComponent")}
    assert "nothing written" in str(caught.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- the curated triples and their records must agree (audit finding 3) -----------------

LINK = f"{PLAN}/curation/"


def _violations(ds, shapes) -> set[tuple[str, str]]:
    report = validate_dataset(ds, shapes)
    assert not report.conforms
    return {(str(r.element), str(r.node_shape)) for r in report.violations}


@pytest.mark.slow
def test_removing_only_the_plain_curated_triple_names_its_record(trig, shapes):
    ds = _dataset(trig)
    triple = (URIRef(PLAN + "/objective/1"), URIRef(CDK + "supportsMission"), URIRef(PLAN + "/mission/2"))
    assert len(list(ds.quads((*triple, None)))) == 1
    ds.remove((*triple, None))
    assert _violations(ds, shapes) == {(LINK + "objective-1-mission-2", CDKSH + "CuratedTripleRecordShape")}


@pytest.mark.slow
def test_removing_only_the_curated_record_names_the_link(trig, shapes):
    ds = _dataset(trig)
    record = URIRef(LINK + "objective-1-mission-2")
    assert len(list(ds.quads((record, None, None, None)))) == 9
    ds.remove((record, None, None, None))
    report = validate_dataset(ds, shapes)
    assert [(str(r.element), str(r.node_shape)) for r in report.violations] == [
        (PLAN + "/objective/1", CDKSH + "CuratedTripleRecordShape")]
    assert f"<{PLAN}/mission/2> has 0 cdk:CuratedLink record(s)" in report.violations[0].message
    assert report.violations[0].labels["en"] == "Low-income urban and rural communities have secure housing and farmland"


@pytest.mark.slow
def test_changing_an_english_label_without_its_record_names_both(trig, shapes):
    ds = _dataset(trig)
    issue3 = URIRef(PLAN + "/issue/3")
    label = URIRef(SKOS + "prefLabel")
    old = Literal("Supporting area-based development", lang="en")
    graph = next(g for _, _, _, g in ds.quads((issue3, label, old, None)))
    ds.remove((issue3, label, old, graph))
    ds.add((issue3, label, Literal("Supporting area-led development", lang="en"), graph))
    assert _violations(ds, shapes) == {(PLAN + "/issue/3", CDKSH + "LabelRecordShape"),
                                      (LINK + "label-en-issue-3", CDKSH + "LabelRecordShape")}


@pytest.mark.slow
def test_missing_measures_names_the_indicator_never_the_plan(release, tmp_path):
    folder, _ = release
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    ds = _dataset((broken / "codikg.trig").read_text(encoding="utf-8"))
    ds.remove((URIRef(PLAN + "/issue/3/indicator/1.2"), URIRef(CDK + "measures"), None, None))
    report = validate_dataset(ds, load_shapes(SHAPES))
    assert {str(r.element) for r in report.violations} == {PLAN + "/issue/3/indicator/1.2"}
    assert {str(r.node_shape)[len(CDKSH):] for r in report.violations} == {
        "IndicatorShape", "SiblingNumberingShape"}
    assert {str(r.node_shape)[len(CDKSH):] for r in report.warnings} == {"TraceShape"}
    _rewrite_trig(broken, ds)
    result = CliRunner().invoke(app, ["validate", str(broken)], env={"NO_COLOR": "1", "COLUMNS": "300"})
    sibling = next(line for line in result.output.splitlines() if "does not measure the objective" in line)
    header = result.output.splitlines()[result.output.splitlines().index(sibling) - 1]
    assert header.startswith("violation " + PLAN + "/issue/3/indicator/1.2")
    assert "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน" in header


def test_cli_validate_warns_about_a_release_of_other_inputs(release, tmp_path):
    import json

    folder, _ = release
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["fingerprint"] = "0" * 64  # as if built from other inputs
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(copy)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert (f"warning: release {manifest['release']} in {copy} was not built from the current inputs; "
            "run 'codikg build' to refresh it") in result.stderr
    assert "conforms: 0 violation(s)" in result.stdout  # the data itself conforms


@pytest.mark.slow
def test_zero_width_character_is_shown_escaped_with_its_position(release, trig, shapes):
    from rich.console import Console

    from codikg.cli.validation import print_report

    ds = _dataset(trig)
    element = URIRef(PLAN + "/issue/5/indicator/1")
    label = URIRef(SKOS + "prefLabel")
    [(s, p, thai, g)] = [q for q in ds.quads((element, label, None, None)) if q[2].language == "th"]
    ds.remove((s, p, thai, g))
    ds.add((s, p, Literal(str(thai)[:5] + "\u200b" + str(thai)[5:], lang="th"), g))
    report = validate_dataset(ds, shapes)
    console = Console(record=True, width=400, no_color=True)
    print_report(report, console)
    text = console.export_text()
    assert "\u200b" not in text
    assert f'"{str(thai)[:5]}\\u200B{str(thai)[5:]}"@th (U+200B at character 6)' in text
