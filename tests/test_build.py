"""The RDF build: content, stable IRIs, ontology coverage, atomic release."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SKOS, XSD

from codikg.namespaces import CDK, OA, SPDX
from codikg.release.pipeline import BuildError, build_release
from codikg.ingest import PlanParseError
from codikg.config.settings import Settings

from conftest import BASE, PLAN, ROOT, SOURCE, first_build


@pytest.fixture(scope="module")
def union(release):
    folder, _ = release
    return Graph().parse(folder / "codikg.nt", format="nt")


def test_manifest_counts_match_files(release, dataset, union):
    folder, manifest = release
    document = dataset.graph(URIRef(BASE + "graph/codi/2552/document"))
    assert manifest["graphs"][BASE + "graph/codi/2552/document"] == len(document) > 2000
    assert manifest["union_triples"] == len(union)
    assert len(Graph().parse(folder / "codikg.ttl", format="turtle")) == len(union)


def test_document_graph_content(union):
    issue3 = URIRef(PLAN + "/issue/3")
    assert (URIRef(PLAN), RDF.type, CDK.StrategicPlan) in union
    assert len(set(union.objects(URIRef(PLAN), CDK.hasMission))) == 4
    assert set(union.objects(issue3, CDK.hasObjective)) == {URIRef(PLAN + "/objective/3")}
    ind = URIRef(PLAN + "/issue/3/indicator/1.2")
    assert Literal("ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน", lang="th") in set(union.objects(ind, SKOS.prefLabel))
    assert union.value(ind, SKOS.notation) == Literal("1.2")
    assert union.value(ind, CDK.ordinal) == Literal(2, datatype=XSD.positiveInteger)
    assert union.value(ind, CDK.measures) == URIRef(PLAN + "/objective/3")
    assert (URIRef(PLAN + "/issue/3/indicator/1"), CDK.hasSubIndicator, ind) in union
    assert (URIRef(PLAN + "/issue/6/strategy/1"), CDK.hasSubStrategy,
            URIRef(PLAN + "/issue/6/strategy/1.5")) in union
    # a sub-item's notation is its full number, as its IRI path: "๕)" under "๑." is 1.5
    assert union.value(URIRef(PLAN + "/issue/6/strategy/1.5"), SKOS.notation) == Literal("1.5")
    counts = {cls: len(set(union.subjects(RDF.type, cls))) for cls in
              (CDK.Mission, CDK.StrategicObjective, CDK.StrategicIssue, CDK.Indicator,
               CDK.Strategy, CDK.Project)}
    assert counts == {CDK.Mission: 4, CDK.StrategicObjective: 6, CDK.StrategicIssue: 6,
                      CDK.Indicator: 28, CDK.Strategy: 34, CDK.Project: 20}


def test_every_element_has_one_thai_and_one_english_label(union):
    concepts = set(union.subjects(SKOS.inScheme, URIRef(PLAN)))
    assert len(concepts) == 1 + 4 + 6 + 6 + 28 + 34 + 20 + 2  # + 2 consolidated items
    for concept in concepts | {URIRef(PLAN), URIRef(BASE + "id/codi")}:
        labels = list(union.objects(concept, SKOS.prefLabel))
        assert sorted(label.language for label in labels) == ["en", "th"], concept


def test_source_sha256_recorded(union):
    checksum = union.value(URIRef(PLAN + "/source"), SPDX.checksum)
    value = union.value(checksum, SPDX.checksumValue)
    assert str(value) == hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert union.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256


def test_anchor_selectors_point_into_source(union):
    text = SOURCE.read_text(encoding="utf-8")
    spans = list(union.subject_objects(CDK.sourceSpan))
    assert len(spans) == 113  # plan, agency, vision, 98 items, 6 issue titles, 6 reprinted objectives
    for _, span in spans:
        selectors = list(union.objects(span, OA.hasSelector))
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in union)
        pos = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in union)
        start, end = int(union.value(pos, OA.start)), int(union.value(pos, OA.end))
        assert text[start:end] == str(union.value(quote, OA.exact))
        assert text[:start].endswith(str(union.value(quote, OA.prefix)))
        line = int(union.value(span, CDK.lineNumber))
        assert text[:start].count("\n") + 1 == line


def test_every_class_and_property_used_is_declared(dataset, union):
    ontology = dataset.graph(URIRef(BASE + "graph/ontology"))
    used = {p for p in union.predicates() if str(p).startswith(str(CDK))}
    used |= {o for o in union.objects(None, RDF.type) if str(o).startswith(str(CDK))}
    declared = {s for s in ontology.subjects(RDF.type, None)}
    assert used - declared == set()
    for term in used:
        langs = {label.language for label in ontology.objects(term, SKOS.definition)}
        assert langs == {"th", "en"}, term
    assert (URIRef("https://w3id.org/codikg/ontology"), RDF.type, OWL.Ontology) in ontology


@pytest.mark.slow
def test_iris_are_stable_across_builds(release, rebuilt):
    folder, manifest = release
    again_folder, again, _ = rebuilt  # built again by another process (conftest)
    assert again["release"] == manifest["release"]
    assert (again_folder / "codikg.nt").read_bytes() == (folder / "codikg.nt").read_bytes()
    first, second = Dataset(), Dataset()
    first.parse(folder / "codikg.trig", format="trig")
    second.parse(again_folder / "codikg.trig", format="trig")
    quads = set(first.quads())
    assert len(quads) == sum(manifest["graphs"].values())
    # the shapes hold blank nodes, which each TriG parse labels afresh: compare graphs up to isomorphism
    for name in manifest["graphs"]:
        assert isomorphic(first.graph(URIRef(name)), second.graph(URIRef(name))), name


def _copy_home(tmp_path):
    home = tmp_path / "home"
    shutil.copytree(ROOT / "data", home / "data")
    shutil.copytree(ROOT / "ontology", home / "ontology")
    return Settings(BASE, home)


@pytest.mark.slow
def test_failed_build_leaves_previous_release_intact(tmp_path, release):
    settings = _copy_home(tmp_path)
    out = tmp_path / "release"
    first_build(settings, out, release)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (settings.data_dir / "plans" / "codi" / "2552" / "curation" / "broken.ttl").write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"broken\.ttl: not valid Turtle"):
        build_release(settings, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_parse_error_stops_the_build(tmp_path):
    settings = _copy_home(tmp_path)
    source = settings.data_dir / "plans" / "codi" / "2552" / "source" / "codi-strategic-plan-2552.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("๒) ความสำเร็จ", "ความสำเร็จ"),
                      encoding="utf-8")
    with pytest.raises(PlanParseError, match=r"codi-strategic-plan-2552.txt:42: unnumbered line"):
        build_release(settings, tmp_path / "release")
    assert not (tmp_path / "release").exists()
