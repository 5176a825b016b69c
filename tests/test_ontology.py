"""The published ontology: parses in two independent parsers, declares every
term the release uses, carries FAIR metadata, and is served by content
negotiation at its IRI (as are the shapes)."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from codikg.namespaces import CDK

from conftest import BASE, ROOT

ONTOLOGY = ROOT / "ontology" / "codikg.ttl"
ONT_IRI = URIRef("https://w3id.org/codikg/ontology")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
VANN = "http://purl.org/vocab/vann/"
QB = "http://purl.org/linked-data/cube#"
#: Namespaces of the modelling languages themselves; their terms need no declaration.
BUILTIN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
           "http://www.w3.org/2002/07/owl#", "http://www.w3.org/ns/shacl#", "http://www.w3.org/2001/XMLSchema#")


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ONTOLOGY, format="turtle")


def test_parses_in_rdflib_and_oxigraph_alike(ontology):
    quads = list(ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(ontology) > 600
    iris = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    assert iris == {str(s) for s in ontology.subjects() if isinstance(s, URIRef)}


def test_every_term_used_in_the_release_is_declared(release, ontology):
    folder, _ = release
    ds = Dataset()
    ds.parse(folder / "codikg.trig", format="trig")
    used = set()
    for graph in ds.graphs():
        if str(graph.identifier) == BASE + "graph/ontology":
            continue
        used |= set(graph.predicates()) | set(graph.objects(None, RDF.type))
    used = {t for t in used if isinstance(t, URIRef) and not str(t).startswith(BUILTIN)}
    declared = set(ontology.subjects(RDF.type, None))
    assert used - declared == set()
    assert {str(t) for t in used if str(t).startswith(str(CDK))} >= {
        str(CDK.measures), str(CDK.supportsMission), str(CDK.sourceSpan), str(CDK.Indicator)}


def test_every_own_term_is_labelled_and_defined_in_thai_and_english(ontology):
    own = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(str(CDK))}
    assert len(own) >= 59
    for term in own:
        labels = set(ontology.objects(term, RDFS.label)) | set(ontology.objects(term, SKOS.prefLabel))
        assert {lit.language for lit in labels} >= {"th", "en"}, term
        assert {lit.language for lit in ontology.objects(term, SKOS.definition)} >= {"th", "en"}, term


def test_object_properties_have_domain_range_and_inverses(ontology):
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if str(prop).startswith(str(CDK)):
            assert ontology.value(prop, RDFS.range) is not None, prop
    inverses = dict(ontology.subject_objects(OWL.inverseOf))
    assert inverses[CDK.isMeasuredBy] == CDK.measures
    assert inverses[CDK.isStrategicIssueOf] == CDK.hasStrategicIssue
    assert inverses[CDK.isSupportedBy] == CDK.supportsMission
    assert ontology.value(CDK.isMeasuredBy, RDFS.domain) == CDK.StrategicObjective


def test_fair_metadata(ontology):
    assert (ONT_IRI, RDF.type, OWL.Ontology) in ontology
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {lit.language for lit in ontology.objects(ONT_IRI, prop)} == {"th", "en"}
    version = str(ontology.value(ONT_IRI, OWL.versionInfo))
    assert ontology.value(ONT_IRI, OWL.versionIRI) == URIRef(f"{ONT_IRI}/{version}") != ONT_IRI
    assert ontology.value(ONT_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    editors = URIRef(BASE + "id/agent/codikg-editors")  # the agent that signs the curation too
    assert ontology.value(ONT_IRI, DCTERMS.creator) == ontology.value(ONT_IRI, DCTERMS.publisher) == editors
    contributor = ontology.value(ONT_IRI, DCTERMS.contributor)
    for agent in (editors, contributor):
        assert isinstance(agent, URIRef) and (agent, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Organization")) in ontology  # prov:Agent is in the curation graph
        assert {n.language for n in ontology.objects(agent, URIRef("http://xmlns.com/foaf/0.1/name"))} == {"th", "en"}
    dates = {p: ontology.value(ONT_IRI, p) for p in (DCTERMS.created, DCTERMS.issued, DCTERMS.modified)}
    assert {d.datatype for d in dates.values()} == {XSD_DATE}
    # never dated after the day the project published it (2026-11-30)
    assert max(d.toPython() for d in dates.values()).isoformat() <= "2026-11-30"
    assert dates[DCTERMS.created] <= dates[DCTERMS.issued] <= dates[DCTERMS.modified]
    assert ontology.value(ONT_IRI, URIRef("http://www.w3.org/ns/adms#status")) == URIRef(
        "http://purl.org/adms/status/UnderDevelopment")
    # a prior version is only claimed when /ontology/{version} can serve it
    assert ontology.value(ONT_IRI, OWL.priorVersion) is None
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    shapes_iri = URIRef("https://w3id.org/codikg/shapes")
    assert shapes.value(shapes_iri, DCTERMS.creator) == editors
    assert str(shapes.value(shapes_iri, DCTERMS.created)) <= "2026-11-30"
    assert ontology.value(ONT_IRI, URIRef(VANN + "preferredNamespacePrefix")) == Literal("cdk")
    assert ontology.value(ONT_IRI, URIRef(VANN + "preferredNamespaceUri")) == Literal(str(CDK))


def test_reuse_and_alignment(ontology):
    assert (CDK.StrategicPlan, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Plan")) in ontology
    assert (CDK.Agency, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#FormalOrganization")) in ontology
    fibo = "https://spec.edmcouncil.org/fibo/ontology/FND/GoalsAndObjectives/Objectives/"
    assert (CDK.StrategicObjective, SKOS.closeMatch, URIRef(fibo + "Objective")) in ontology
    assert (CDK.Vision, RDFS.seeAlso, URIRef("https://www.omg.org/spec/BMM/")) in ontology


def test_template_rules_are_documented(ontology):
    rules = set(ontology.subjects(RDF.type, CDK.TemplateRule))
    assert len(rules) == 4
    assert ontology.value(CDK.measures, CDK.impliedByRule) == CDK.rule3
    assert "indicator column" in str(ontology.value(CDK.rule3, SKOS.definition))


def test_indicator_values_use_the_data_cube(ontology):
    dsd = CDK.indicatorValueStructure
    assert (dsd, RDF.type, URIRef(QB + "DataStructureDefinition")) in ontology
    components = {ontology.value(c, URIRef(QB + kind)) for c in ontology.objects(dsd, URIRef(QB + "component"))
                  for kind in ("dimension", "measure", "attribute")} - {None}
    sdmx = "http://purl.org/linked-data/sdmx/2009/"
    assert components == {CDK.indicator, CDK.valueRole, URIRef(sdmx + "dimension#refPeriod"),
                          URIRef(sdmx + "measure#obsValue"), URIRef(sdmx + "attribute#unitMeasure")}
    assert (CDK.FiscalYear, RDFS.subClassOf, URIRef("http://www.w3.org/2006/time#ProperInterval")) in ontology


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("path", ["/ontology", "/ontology/0.2.0"])
@pytest.mark.parametrize("accept,media_type,rdflib_format", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    (None, "text/turtle", "turtle"),
])
def test_ontology_served_as_rdf(server, ontology, path, accept, media_type, rdflib_format):
    r = httpx.get(server + path, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
    served = Graph().parse(data=r.content, format=rdflib_format)
    assert len(served) == len(ontology)


def test_ontology_served_as_html_to_browsers(server):
    r = httpx.get(server + "/ontology", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
    assert "pyLODE" in r.text and "performance agreement indicator" in r.text
    # pyLODE documents the owl:Ontology, not one of the code lists (skos:ConceptScheme)
    import re
    assert re.search(r"<title>(.*?)</title>", r.text).group(1) == (
        "codikg: ontology of Thai government strategic plans / ออนโทโลยีของแผนยุทธศาสตร์หน่วยงานภาครัฐไทย (codikg)")
    assert re.search(r"<strong>IRI</strong>\s*</dt>\s*<dd>\s*<code>https://w3id.org/codikg/ontology</code>", r.text)
    assert "ontology#statementKinds" not in r.text and "kinds of statement</title>" not in r.text
    assert "<script src=" not in r.text and 'rel="stylesheet" href="http' not in r.text


def test_shapes_served(server):
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    r = httpx.get(server + "/shapes", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
    assert r.content == (ROOT / "ontology" / "shapes.ttl").read_bytes()
    r = httpx.get(server + "/shapes/0.2.0", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=r.content, format="json-ld")) == len(shapes)
    page = httpx.get(server + "/shapes", headers={"Accept": BROWSER})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert 'id="TraceShape"' in page.text and "การสืบย้อนถึงพันธกิจ" in page.text


def test_vocabulary_errors(server):
    r = httpx.get(server + "/ontology", headers={"Accept": "image/png"})
    assert r.status_code == 406 and "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
    assert "text/turtle" in r.text
    assert httpx.get(server + "/ontology/0.0.9", headers={"Accept": "text/turtle"}).status_code == 404
    r = httpx.get(server + "/ontology?format=foo", headers={"Accept": "text/turtle"})
    assert r.status_code == 406 and "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
    assert "format='foo' is not available" in r.text and "turtle" in r.text and "jsonld" in r.text
    r = httpx.get(server + "/ontology?format=nt")
    assert r.headers["content-type"] == "application/n-triples; charset=utf-8"
