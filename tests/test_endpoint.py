"""The SPARQL 1.1 Protocol endpoint, through a real uvicorn process.

Every body is read back by an independent parser (json, xml.etree, csv,
rdflib) and, where it holds data, checked against rdflib's own SPARQL engine
over the same release.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SKOS

from conftest import BASE, PLAN, ROOT

COUNTS = (ROOT / "queries" / "counts-per-issue.rq").read_text(encoding="utf-8")
ASK_VISION = "ASK { ?v a <https://w3id.org/codikg/ontology#Vision> }"
DESCRIBE = f"DESCRIBE <{PLAN}/issue/1/project/1>"
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def rdflib_counts(release):
    folder, _ = release
    ds = Dataset(default_union=True)
    ds.parse(folder / "codikg.trig", format="trig")
    # rdflib's ORDER BY over xsd:positiveInteger differs from Oxigraph's; compare as sorted rows
    return sorted((str(r.notation), int(r.indicators), int(r.strategies), int(r.projects))
                  for r in ds.query(COUNTS))


def _get(server, params, accept=None):
    headers = {"Accept": accept} if accept else {}
    return httpx.get(server + "/sparql", params=params, headers=headers, timeout=10)


def test_select_json_matches_rdflib(server, rdflib_counts):
    r = _get(server, {"query": COUNTS})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    body = json.loads(r.text)
    assert body["head"]["vars"] == ["issue", "notation", "label", "indicators", "strategies", "projects"]
    rows = [(b["notation"]["value"], int(b["indicators"]["value"]), int(b["strategies"]["value"]),
             int(b["projects"]["value"])) for b in body["results"]["bindings"]]
    assert rows == rdflib_counts == [("1", 2, 4, 3), ("2", 4, 4, 5), ("3", 5, 4, 4),
                                     ("4", 3, 3, 4), ("5", 3, 4, 4), ("6", 6, 3, 0)]
    assert body["results"]["bindings"][0]["label"] == {
        "type": "literal", "xml:lang": "th",
        "value": "การสนับสนุนการพัฒนาที่อยู่อาศัยในเมืองและที่ดินทำกินในชนบท"}


@pytest.mark.parametrize("accept, media_type", [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/turtle, */*;q=0.1", "application/sparql-results+json"),
])
def test_select_formats_by_accept(server, rdflib_counts, accept, media_type):
    r = _get(server, {"query": COUNTS}, accept)
    assert r.status_code == 200
    assert r.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]  # gzip adds Accept-Encoding
    if media_type.endswith("+xml"):
        root = ET.fromstring(r.content)
        results = root.findall(f"{SRX}results/{SRX}result")
        notations = [res.find(f"{SRX}binding[@name='notation']/{SRX}literal").text for res in results]
        assert notations == [row[0] for row in rdflib_counts]
    elif media_type == "text/csv":
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert [(row["notation"], int(row["indicators"])) for row in rows] == \
            [(n, i) for n, i, _, _ in rdflib_counts]
    elif media_type == "text/tab-separated-values":
        lines = r.text.splitlines()
        assert lines[0] == "?issue\t?notation\t?label\t?indicators\t?strategies\t?projects"
        assert lines[1].split("\t")[1] == '"1"'
        assert len(lines) == 7


def test_ask(server):
    r = _get(server, {"query": ASK_VISION})
    assert r.status_code == 200
    assert json.loads(r.text) == {"head": {}, "boolean": True}
    r = _get(server, {"query": ASK_VISION}, "application/sparql-results+xml")
    assert ET.fromstring(r.content).find(f"{SRX}boolean").text == "true"


@pytest.mark.parametrize("accept, media_type, rdflib_format", [
    (None, "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_describe_formats(server, accept, media_type, rdflib_format):
    r = _get(server, {"query": DESCRIBE}, accept)
    assert r.status_code == 200
    assert r.headers["content-type"] == f"{media_type}; charset=utf-8"
    graph = Graph().parse(data=r.content, format=rdflib_format)
    subject = URIRef(f"{PLAN}/issue/1/project/1")
    labels = {label.language: str(label) for label in graph.objects(subject, SKOS.prefLabel)}
    assert labels == {"th": "โครงการบ้านมั่นคง", "en": "Baan Mankong programme"}
    assert str(graph.value(subject, SKOS.notation)) == "1"


def test_construct_never_in_results_type(server):
    r = _get(server, {"query": DESCRIBE}, "application/sparql-results+json")
    assert r.status_code == 406
    assert "text/turtle" in r.text
    r = _get(server, {"query": COUNTS}, "text/turtle")
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text


def test_format_parameter_overrides_accept(server):
    r = _get(server, {"query": COUNTS, "format": "csv"}, "application/sparql-results+json")
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    r = _get(server, {"query": COUNTS, "output": "json", "results": "whatever"})
    assert r.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    # a name no format has is refused, as on /id/, /graph/ and /ontology, not silently ignored
    r = _get(server, {"query": COUNTS, "format": "nonsense"}, "text/csv")
    assert (r.status_code, r.headers["content-type"]) == (406, "text/plain; charset=utf-8")
    assert r.text == ("406 Not Acceptable: format='nonsense' is not available; available: "
                      "json (application/sparql-results+json), xml (application/sparql-results+xml), "
                      "csv (text/csv), tsv (text/tab-separated-values), html (text/html)\n")


def test_post_form_and_direct(server):
    r = httpx.post(server + "/sparql", data={"query": ASK_VISION}, timeout=10)
    assert r.status_code == 200 and json.loads(r.text)["boolean"] is True
    r = httpx.post(server + "/sparql", content=ASK_VISION.encode(),
                   headers={"Content-Type": "application/sparql-query; charset=UTF-8"}, timeout=10)
    assert r.status_code == 200 and json.loads(r.text)["boolean"] is True
    r = httpx.post(server + "/sparql", content=ASK_VISION.encode("utf-16"),
                   headers={"Content-Type": "application/sparql-query; charset=utf-16"}, timeout=10)
    assert r.status_code == 415
    r = httpx.post(server + "/sparql", content=ASK_VISION.encode(),
                   headers={"Content-Type": "text/plain"}, timeout=10)
    assert r.status_code == 415


def test_updates_are_refused(server):
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"
    r = httpx.post(server + "/sparql", data={"update": update}, timeout=10)
    assert r.status_code == 403 and "read-only" in r.text
    r = httpx.post(server + "/sparql", content=update.encode(),
                   headers={"Content-Type": "application/sparql-update"}, timeout=10)
    assert r.status_code == 403
    r = _get(server, {"query": update})
    assert r.status_code == 400
    assert _get(server, {"query": "ASK { <http://example.org/a> ?p ?o }"}).json()["boolean"] is False


def test_service_is_refused_without_fetching(server):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    r = _get(server, {"query": q})
    assert r.status_code == 400
    assert "SERVICE" in r.text
    r = _get(server, {"query": 'SELECT ?service WHERE { BIND("service" AS ?service) }'})
    assert r.status_code == 200


def test_syntax_error_gives_400_with_position(server):
    r = _get(server, {"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert "1:" in r.text and "syntax" in r.text.lower()


def test_protocol_errors(server):
    r = httpx.get(server + "/sparql?query=ASK{}&query=ASK{}", timeout=10)
    assert r.status_code == 400
    r = httpx.put(server + "/sparql", content=b"x", timeout=10)
    assert r.status_code == 405
    assert "GET" in r.headers["allow"]


def test_dataset_parameters(server, release):
    _, manifest = release
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    ontology = BASE + "graph/ontology"
    union = int(_get(server, {"query": count}).json()["results"]["bindings"][0]["n"]["value"])
    # The served union also holds the catalog graph, which the dumps leave out.
    assert union == manifest["union_triples"] + manifest["catalog"]["triples"]
    r = _get(server, {"query": count, "default-graph-uri": ontology})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == manifest["graphs"][ontology]
    r = _get(server, {"query": f"SELECT (COUNT(*) AS ?n) FROM <{ontology}> WHERE {{ ?s ?p ?o }}"})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == manifest["graphs"][ontology]
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = _get(server, {"query": q, "named-graph-uri": ontology})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [ontology]


def test_service_description(server):
    r = httpx.get(server + "/sparql", headers={"Accept": "text/turtle"}, timeout=10)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    g = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = g.value(predicate=URIRef(sd + "endpoint"), object=URIRef(server + "/sparql"))
    assert service is not None
    names = {str(o) for o in g.objects(None, URIRef(sd + "name"))}
    assert names == {BASE + "graph/codi/2552/document", BASE + "graph/codi/2552/curation", BASE + "graph/ontology",
                     BASE + "graph/catalog", BASE + "graph/codi/2552/derived"}
    r = httpx.get(server + "/sparql", headers={"Accept": "text/html,*/*;q=0.8"}, timeout=10)
    assert r.headers["content-type"].startswith("text/html")
    assert "<form" in r.text and "Items per strategic issue" in r.text


def test_landing_page_and_dumps(server, release):
    folder, manifest = release
    r = httpx.get(server + "/", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'href="/sparql"' in r.text and 'href="/dumps/latest/codikg.trig"' in r.text
    assert manifest["release"] in r.text
    r = httpx.get(server + "/download/codikg.nt", timeout=10)
    assert r.status_code == 301 and r.headers["location"] == "/dumps/latest/codikg.nt"
    r = httpx.get(server + "/download/codikg.nt", timeout=10, follow_redirects=True,
                  headers={"Accept-Encoding": "identity"})
    assert r.headers["content-type"] == "application/n-triples; charset=utf-8"
    assert r.content == (folder / "codikg.nt").read_bytes()
    assert httpx.get(server + "/dumps/latest/secret.txt", timeout=10).status_code == 404
