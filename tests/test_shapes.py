"""Each SHACL shape against a fixture that conforms and one that breaks it.

The conforming fixture is tests/fixtures/mini-plan.ttl; each case changes it by
one SPARQL Update and asserts the exact focus node, constraint component and
shape of the result.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from codikg.validate.shacl import load_shapes, validate_graph

from conftest import ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "mini-plan.ttl"
P = "http://example.org/plan/"
CDKSH = "https://w3id.org/codikg/shapes#"
PREFIXES = f"""PREFIX cdk: <https://w3id.org/codikg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX p: <{P}>
"""


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(ROOT / "ontology" / "shapes.ttl")


def _fixture(update: str | None = None) -> Graph:
    graph = Graph().parse(FIXTURE, format="turtle")
    if update:
        graph.update(PREFIXES + update)
    return graph


def test_fixture_conforms_without_warnings(shapes):
    report = validate_graph(_fixture(), shapes)
    assert report.results == [] and report.conforms


UNCURATED = ("DELETE DATA { p:objective1 cdk:supportsMission p:mission1 } ;"
             " DELETE WHERE { p:link-objective1-mission1 ?p ?o }")

# (case id, update, focus node, constraint component, node shape, severity)
CASES = [
    ("plan-without-vision", "DELETE DATA { p:plan cdk:hasVision p:vision }",
     "plan", "MinCountConstraintComponent", "StrategicPlanShape", "Violation"),
    ("plan-with-two-visions", "INSERT DATA { p:plan cdk:hasVision p:vision2 . p:vision2 a cdk:Vision }",
     "plan", "MaxCountConstraintComponent", "StrategicPlanShape", "Violation"),
    ("plan-without-missions", "DELETE DATA { p:plan cdk:hasMission p:mission1 , p:mission2 }",
     "plan", "MinCountConstraintComponent", "StrategicPlanShape", "Violation"),
    ("mission-not-in-plan", "DELETE DATA { p:plan cdk:hasMission p:mission2 }",
     "mission2", "MinCountConstraintComponent", "MissionShape", "Violation"),
    ("vision-of-no-plan", "DELETE DATA { p:plan cdk:hasVision p:vision }",
     "vision", "MinCountConstraintComponent", "VisionShape", "Violation"),
    ("mission-makes-nothing-operative", "DELETE DATA { p:mission1 cdk:makesOperative p:vision }",
     "mission1", "MinCountConstraintComponent", "MissionShape", "Violation"),
    # a first release lacks curated links: no mission (and no record of one) is a warning
    ("objective-supports-no-mission", UNCURATED,
     "objective1", "MinCountConstraintComponent", "StrategicObjectiveShape", "Warning"),
    ("plan-without-curated-period", "DELETE DATA { p:plan <http://purl.org/dc/terms/temporal> p:period }",
     "plan", "MinCountConstraintComponent", "PlanMetadataShape", "Warning"),
    ("issue-without-objective", "DELETE DATA { p:issue1 cdk:hasObjective p:objective1 }",
     "issue1", "MinCountConstraintComponent", "StrategicIssueShape", "Violation"),
    ("issue-with-two-objectives",
     "INSERT DATA { p:issue1 cdk:hasObjective p:objective2 . p:objective2 a cdk:StrategicObjective }",
     "issue1", "MaxCountConstraintComponent", "StrategicIssueShape", "Violation"),
    ("issue-without-indicator",
     "DELETE { p:issue1 cdk:hasIndicator ?i } INSERT { p:issue1 cdk:hasStrategy ?i } WHERE { p:issue1 cdk:hasIndicator ?i }",
     "issue1", "MinCountConstraintComponent", "StrategicIssueShape", "Violation"),
    ("indicator-measures-nothing", "DELETE DATA { p:indicator1-2 cdk:measures p:objective1 }",
     "indicator1-2", "MinCountConstraintComponent", "IndicatorShape", "Violation"),
    ("indicator-measures-two",
     "INSERT DATA { p:indicator1-2 cdk:measures p:objective2 . p:objective2 a cdk:StrategicObjective }",
     "indicator1-2", "MaxCountConstraintComponent", "IndicatorShape", "Violation"),
    ("indicator-measures-a-mission",
     "DELETE DATA { p:indicator1 cdk:measures p:objective1 } ; INSERT DATA { p:indicator1 cdk:measures p:mission1 }",
     "indicator1", "ClassConstraintComponent", "IndicatorShape", "Violation"),
    ("indicator-without-parent", "DELETE DATA { p:indicator1 cdk:hasSubIndicator p:indicator1-2 }",
     "indicator1-2", "MinCountConstraintComponent", "IndicatorShape", "Violation"),
    ("strategy-without-parent", "DELETE DATA { p:issue1 cdk:hasStrategy p:strategy1 }",
     "strategy1", "MinCountConstraintComponent", "StrategyShape", "Violation"),
    ("project-in-no-issue", "DELETE DATA { p:project1 cdk:inStrategicIssue p:issue1 }",
     "project1", "MinCountConstraintComponent", "ProjectShape", "Violation"),
    ("notation-with-thai-digit", 'DELETE DATA { p:mission2 skos:notation "2" } ; INSERT DATA { p:mission2 skos:notation "๒" }',
     "mission2", "PatternConstraintComponent", "NumberingShape", "Violation"),
    ("ordinal-as-string",
     'DELETE DATA { p:mission2 cdk:ordinal "2"^^xsd:positiveInteger } ; INSERT DATA { p:mission2 cdk:ordinal "2" }',
     "mission2", "DatatypeConstraintComponent", "NumberingShape", "Violation"),
    ("element-in-no-scheme", "DELETE DATA { p:strategy1 skos:inScheme p:plan }",
     "strategy1", "MinCountConstraintComponent", "InSchemeShape", "Violation"),
    ("duplicate-ordinal",
     'DELETE DATA { p:indicator1-2 cdk:ordinal "2"^^xsd:positiveInteger ; skos:notation "1.2" } ;'
     ' INSERT DATA { p:indicator1-2 cdk:ordinal "1"^^xsd:positiveInteger ; skos:notation "1.3.1" }',
     "plan", "SPARQLConstraintComponent", "SiblingNumberingShape", "Violation"),
    ("duplicate-notation",
     'DELETE DATA { p:indicator1-2 skos:notation "1.2" } ; INSERT DATA { p:indicator1-2 skos:notation "2.2" } ;'
     'DELETE DATA { p:indicator1-1 skos:notation "1.1" } ; INSERT DATA { p:indicator1-1 skos:notation "2.2" }',
     "plan", "SPARQLConstraintComponent", "SiblingNumberingShape", "Violation"),
    ("ordinal-disagrees-with-notation",
     'DELETE DATA { p:mission2 skos:notation "2" } ; INSERT DATA { p:mission2 skos:notation "3" }',
     "plan", "SPARQLConstraintComponent", "SiblingNumberingShape", "Violation"),
    ("indicator-measures-another-issues-objective",
     "DELETE DATA { p:indicator1-1 cdk:measures p:objective1 } ;"
     " INSERT DATA { p:indicator1-1 cdk:measures p:objective2 . p:objective2 a cdk:StrategicObjective ;"
     " cdk:supportsMission p:mission1 }",
     "plan", "SPARQLConstraintComponent", "SiblingNumberingShape", "Violation"),
    ("no-thai-label", 'DELETE DATA { p:project1 skos:prefLabel "โครงการ"@th }',
     "project1", "QualifiedMinCountConstraintComponent", "LabelShape", "Violation"),
    ("romanised-label-is-not-thai",
     'DELETE DATA { p:project1 skos:prefLabel "โครงการ"@th } ; INSERT DATA { p:project1 skos:prefLabel "khrongkan"@th-Latn }',
     "project1", "QualifiedMinCountConstraintComponent", "LabelShape", "Violation"),
    ("two-thai-labels", 'INSERT DATA { p:project1 skos:prefLabel "โครงการอื่น"@th }',
     "project1", "UniqueLangConstraintComponent", "LabelShape", "Violation"),
    ("label-as-xsd-string", 'INSERT DATA { p:project1 skos:altLabel "โครงการ" }',
     "project1", "DatatypeConstraintComponent", "LabelShape", "Violation"),
    ("label-in-french", 'INSERT DATA { p:project1 skos:prefLabel "projet"@fr }',
     "project1", "LanguageInConstraintComponent", "LabelShape", "Violation"),
    ("no-english-label", 'DELETE DATA { p:project1 skos:prefLabel "project"@en } ; DELETE WHERE { p:label-en-project1 ?p ?o }',
     "project1", "QualifiedMinCountConstraintComponent", "EnglishLabelShape", "Warning"),
    ("decomposed-sara-am",
     'DELETE DATA { p:issue1 skos:prefLabel "ประเด็นที่ทำให้มั่นคง"@th } ;'
     ' INSERT DATA { p:issue1 skos:prefLabel "ประเด็นที่ท\\u0E4D\\u0E32ให้มั่นคง"@th }',
     "issue1", "NotConstraintComponent", "ThaiTextShape", "Violation"),
    ("zero-width-space",
     'DELETE DATA { p:issue1 skos:prefLabel "ประเด็นที่ทำให้มั่นคง"@th } ;'
     ' INSERT DATA { p:issue1 skos:prefLabel "ประเด็นที่\\u200Bทำให้มั่นคง"@th }',
     "issue1", "NotConstraintComponent", "ThaiTextShape", "Violation"),
    ("indicator-reaches-no-mission",
     "DELETE DATA { p:objective1 cdk:supportsMission p:mission1 } ; INSERT DATA { p:objective1 cdk:supportsMission p:vision }",
     "indicator1-1", "ClassConstraintComponent", "TraceShape", "Violation"),
    ("indicator-whose-objective-has-no-mission-reaches-no-mission", UNCURATED,
     "indicator1-2", "MinCountConstraintComponent", "TraceShape", "Warning"),
    ("element-without-source-span", "DELETE DATA { p:strategy1 cdk:sourceSpan p:span }",
     "strategy1", "MinCountConstraintComponent", "SourceSpanShape", "Violation"),
    ("span-without-source", "DELETE DATA { p:span oa:hasSource p:source }",
     "span", "MinCountConstraintComponent", "TextAnchorShape", "Violation"),
    ("span-without-quote", "DELETE DATA { p:span oa:hasSelector p:quote }",
     "span", "QualifiedMinCountConstraintComponent", "TextAnchorShape", "Violation"),
    ("quote-empty", 'DELETE DATA { p:quote oa:exact "แผนยุทธศาสตร์" } ; INSERT DATA { p:quote oa:exact "" }',
     "quote", "MinLengthConstraintComponent", "TextQuoteSelectorShape", "Violation"),
    ("position-end-before-start",
     'DELETE DATA { p:position oa:end "13"^^xsd:nonNegativeInteger } ; INSERT DATA { p:position oa:end "0"^^xsd:nonNegativeInteger }',
     "position", "LessThanConstraintComponent", "TextPositionSelectorShape", "Violation"),
    ("observation-without-unit",
     "DELETE { p:obs-target <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> ?u }"
     " WHERE { p:obs-target <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> ?u }",
     "obs-target", "MinCountConstraintComponent", "IndicatorObservationShape", "Violation"),
    ("observation-value-not-numeric",
     'DELETE DATA { p:obs-target sdmx-measure:obsValue 12.5 } ; INSERT DATA { p:obs-target sdmx-measure:obsValue "12.5" }',
     "obs-target", "OrConstraintComponent", "IndicatorObservationShape", "Violation"),
    ("observation-unknown-role",
     "DELETE DATA { p:obs-target cdk:valueRole cdk:target } ; INSERT DATA { p:obs-target cdk:valueRole cdk:forecast }",
     "obs-target", "InConstraintComponent", "IndicatorObservationShape", "Violation"),
    ("observation-period-not-fiscal-year",
     "DELETE DATA { p:obs-target sdmx-dimension:refPeriod p:fy2552 } ; INSERT DATA { p:obs-target sdmx-dimension:refPeriod p:plan }",
     "obs-target", "ClassConstraintComponent", "IndicatorObservationShape", "Violation"),
    ("duplicate-observation",
     "DELETE DATA { p:obs-actual cdk:valueRole cdk:actual } ; INSERT DATA { p:obs-actual cdk:valueRole cdk:target }",
     "values", "SPARQLConstraintComponent", "ObservationKeyShape", "Violation"),
    ("fiscal-year-in-calendar-dates",
     'DELETE { ?b time:inXSDDate "2008-10-01"^^xsd:date } INSERT { ?b time:inXSDDate "2009-01-01"^^xsd:date }'
     ' WHERE { ?b time:inXSDDate "2008-10-01"^^xsd:date }',
     "fy2552", "SPARQLConstraintComponent", "FiscalYearShape", "Violation"),
    ("fiscal-year-without-be-year", "DELETE DATA { p:fy2552 cdk:buddhistEraYear 2552 }",
     "fy2552", "MinCountConstraintComponent", "FiscalYearShape", "Violation"),
    ("curated-triple-without-record", "DELETE WHERE { p:link-objective1-mission1 ?p ?o }",
     "plan", "SPARQLConstraintComponent", "CuratedTripleRecordShape", "Violation"),
    ("curated-record-without-triple", "DELETE DATA { p:objective1 cdk:supportsMission p:mission1 }",
     "plan", "SPARQLConstraintComponent", "CuratedTripleRecordShape", "Violation"),
    ("curated-link-without-english-rationale",
     'DELETE DATA { p:link-objective1-mission1 cdk:rationale "rationale"@en }',
     "link-objective1-mission1", "QualifiedMinCountConstraintComponent", "CuratedLinkShape", "Violation"),
    ("curated-link-without-date",
     'DELETE WHERE { p:link-objective1-mission1 <http://purl.org/dc/terms/created> ?d }',
     "link-objective1-mission1", "MinCountConstraintComponent", "CuratedLinkShape", "Violation"),
    ("label-translation-without-attribution",
     "DELETE WHERE { p:label-en-vision <http://www.w3.org/ns/prov#wasAttributedTo> ?a }",
     "label-en-vision", "MinCountConstraintComponent", "LabelTranslationShape", "Violation"),
    ("english-label-changed-without-record",
     'DELETE DATA { p:vision skos:prefLabel "vision"@en } ; INSERT DATA { p:vision skos:prefLabel "the vision"@en }',
     "plan", "SPARQLConstraintComponent", "LabelRecordShape", "Violation"),
]


@pytest.mark.slow
@pytest.mark.parametrize("update,focus,component,shape,severity",
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_shape_catches_defect(shapes, update, focus, component, shape, severity):
    report = validate_graph(_fixture(update), shapes)
    found = {(str(r.focus), str(r.component), str(r.node_shape), r.severity) for r in report.results}
    assert (P + focus, str(SH) + component, CDKSH + shape, severity) in found, found
    assert report.conforms is (severity != "Violation")


def test_every_node_shape_has_a_breaking_case(shapes):
    from rdflib.namespace import RDF
    named = {str(s)[len(CDKSH):] for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    assert named - {case[4] for case in CASES} == set()


def test_sibling_results_name_the_broken_element(shapes):
    report = validate_graph(_fixture(
        'DELETE DATA { p:mission2 skos:notation "2" } ; INSERT DATA { p:mission2 skos:notation "3" }'), shapes)
    assert [(str(r.value), r.message) for r in report.violations] == [
        (P + "mission2", "The ordinal differs from the last number of the notation.")]


def _named(report) -> set[tuple[str, str]]:
    return {(str(r.element), str(r.node_shape)) for r in report.violations}


@pytest.mark.slow
def test_curation_record_results_name_the_element_or_the_record(shapes):
    no_record = validate_graph(_fixture("DELETE WHERE { p:link-objective1-mission1 ?p ?o }"), shapes)
    assert _named(no_record) == {(P + "objective1", CDKSH + "CuratedTripleRecordShape")}
    assert [r.message for r in no_record.violations] == [
        f"The curated triple <{P}objective1> <https://w3id.org/codikg/ontology#supportsMission> <{P}mission1> "
        "has 0 cdk:CuratedLink record(s) explaining it; it needs exactly one (rationale @th and @en, "
        "prov:wasAttributedTo, dct:created)."]
    no_triple = validate_graph(_fixture("DELETE DATA { p:objective1 cdk:supportsMission p:mission1 }"), shapes)
    assert (P + "link-objective1-mission1", CDKSH + "CuratedTripleRecordShape") in _named(no_triple)
    relabelled = validate_graph(_fixture(
        'DELETE DATA { p:vision skos:prefLabel "vision"@en } ; INSERT DATA { p:vision skos:prefLabel "the vision"@en }'),
        shapes)
    assert _named(relabelled) == {(P + "vision", CDKSH + "LabelRecordShape"),
                                  (P + "label-en-vision", CDKSH + "LabelRecordShape")}
    retranslated = validate_graph(_fixture(
        'DELETE DATA { p:label-en-vision cdk:translationOf "วิสัยทัศน์"@th } ;'
        ' INSERT DATA { p:label-en-vision cdk:translationOf "วิสัยทัศน์ใหม่"@th }'), shapes)
    assert _named(retranslated) == {(P + "label-en-vision", CDKSH + "LabelRecordShape")}
    twice = validate_graph(_fixture(
        "INSERT { p:second-record ?p ?o } WHERE { p:link-objective1-mission1 ?p ?o }"), shapes)
    assert _named(twice) == {(P + "objective1", CDKSH + "CuratedTripleRecordShape")}
    assert "has 2 cdk:CuratedLink record(s)" in twice.violations[0].message
