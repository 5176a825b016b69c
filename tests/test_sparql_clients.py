"""Real clients and media-type details against a live server.

SPARQLWrapper sends ``format``/``output``/``results`` parameters besides
``Accept``; every answer is read back by its own parser.
"""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TURTLE, XML, SPARQLWrapper

from conftest import PLAN, ROOT

COUNTS = (ROOT / "queries" / "counts-per-issue.rq").read_text(encoding="utf-8")
DESCRIBE = f"DESCRIBE <{PLAN}/issue/1/project/1>"
NOTATIONS = ["1", "2", "3", "4", "5", "6"]


def _client(server, query, fmt, method=None):
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    return client.query()


@pytest.mark.parametrize("method", [None, POST])
def test_sparqlwrapper_select_json_xml_csv(server, method):
    rows = _client(server, COUNTS, JSON, method).convert()["results"]["bindings"]
    assert [r["notation"]["value"] for r in rows] == NOTATIONS
    assert [int(r["projects"]["value"]) for r in rows] == [3, 5, 4, 4, 4, 0]
    xml = _client(server, COUNTS, XML, method).convert()
    notations = [b.getElementsByTagName("literal")[0].firstChild.data
                 for b in xml.getElementsByTagName("binding") if b.getAttribute("name") == "notation"]
    assert notations == NOTATIONS
    csv_text = _client(server, COUNTS, CSV, method).convert().decode("utf-8")
    assert csv_text.splitlines()[0] == "issue,notation,label,indicators,strategies,projects"
    assert len(csv_text.splitlines()) == 7


def test_sparqlwrapper_ask(server):
    ask = "ASK { ?v a <https://w3id.org/codikg/ontology#Vision> }"
    assert _client(server, ask, JSON).convert()["boolean"] is True
    assert _client(server, ask, XML).convert().getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD, N3])
def test_sparqlwrapper_describe(server, fmt):
    result = _client(server, DESCRIBE, fmt)
    graph = result.convert()
    if not isinstance(graph, Graph):  # SPARQLWrapper returns bytes for Turtle/N3
        graph = Graph().parse(data=graph, format="turtle")
    subject = URIRef(f"{PLAN}/issue/1/project/1")
    assert {(str(label), label.language) for label in graph.objects(subject, SKOS.prefLabel)} == {
        ("โครงการบ้านมั่นคง", "th"), ("Baan Mankong programme", "en")}


@pytest.mark.parametrize("accept, media_type", [
    ("application/sparql-results+json; charset=utf-8", "application/sparql-results+json"),
    ("text/turtle;q=1, text/csv;q=0.2", "text/csv"),
    ("text/turtle, application/sparql-results+xml;q=0.5, application/sparql-results+json;q=0.6",
     "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/*", "text/csv"),  # a wildcard picks by canonical type: CSV, not XML by its alias text/xml
    ("text/*;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ("text/xml", "application/sparql-results+xml"),  # an alias named in full still selects
])
def test_select_accept_lists(server, accept, media_type):
    r = httpx.get(server + "/sparql", params={"query": COUNTS}, headers={"Accept": accept}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == f"{media_type}; charset=utf-8"


@pytest.mark.parametrize("accept, media_type", [
    ("application/sparql-results+json;q=1.0, application/n-triples;q=0.8, text/turtle;q=0.5",
     "application/n-triples"),
    ("application/rdf+xml; charset=UTF-8", "application/rdf+xml"),
    ("application/sparql-results+json, */*;q=0.1", "text/turtle"),
])
def test_graph_accept_lists(server, accept, media_type):
    r = httpx.get(server + "/sparql", params={"query": DESCRIBE}, headers={"Accept": accept}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == f"{media_type}; charset=utf-8"


def test_ask_never_in_csv(server):
    r = httpx.get(server + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.text
    r = httpx.get(server + "/sparql", params={"query": "ASK {}"},
                  headers={"Accept": "text/csv, application/sparql-results+xml;q=0.1"})
    assert r.headers["content-type"] == "application/sparql-results+xml; charset=utf-8"


def test_request_charsets(server):
    form = "application/x-www-form-urlencoded; charset=UTF-8"
    r = httpx.post(server + "/sparql", content=b"query=ASK%20%7B%7D", headers={"Content-Type": form})
    assert r.status_code == 200 and r.json()["boolean"] is True
    r = httpx.post(server + "/sparql", content=b"query=ASK%20%7B%7D",
                   headers={"Content-Type": "application/x-www-form-urlencoded; charset=iso-8859-1"})
    assert r.status_code == 415 and "charset=iso-8859-1" in r.text
    r = httpx.post(server + "/sparql", content="ASK {}".encode("utf-8"),
                   headers={"Content-Type": 'application/sparql-query; charset="utf-8"'})
    assert r.status_code == 200


def test_errors(server):
    r = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o . FILTER( }"})
    assert r.status_code == 400 and "SPARQL syntax error" in r.text and "1:" in r.text
    r = httpx.delete(server + "/sparql")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD, POST, OPTIONS"
