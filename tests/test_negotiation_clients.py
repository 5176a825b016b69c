"""Negotiation as the clients people use ask (issue 16): plain JSON on RDF answers,
``text/*`` on SELECT results; every answer parsed with rdflib."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from conftest import BASE, PLAN

MISSION = PLAN + "/mission/2"
MISSION_TH = "สนับสนุนและให้การช่วยเหลือทางการเงินแก่องค์กรชุมชนและเครือข่ายองค์กรชุมชน"
JSON_LD = "application/ld+json; charset=utf-8"


def _json_ld(body: bytes) -> Graph:
    return Graph().parse(data=body, format="json-ld")


@pytest.mark.parametrize("path,status", [
    ("/id/codi/plan/2552/mission/2", 303), ("/graph/curation", 200), ("/catalog", 200),
    ("/ontology", 200), ("/shapes", 200), ("/sparql", 200)])
def test_plain_json_on_rdf_resources_is_json_ld(client, path, status):
    r = client.get(path, headers={"Accept": "application/json"}, follow_redirects=False)
    assert r.status_code == status
    if status == 303:
        assert r.headers["location"] == path + ".jsonld"
        r = client.get(r.headers["location"])
    assert r.status_code == 200 and r.headers["content-type"] == JSON_LD
    assert len(_json_ld(r.content)) > 10


def test_plain_json_on_a_mission_gives_its_thai_label(client):
    r = client.get("/id/codi/plan/2552/mission/2", headers={"Accept": "application/json"})
    assert r.headers["content-type"] == JSON_LD
    graph = _json_ld(r.content)
    assert (URIRef(MISSION), SKOS.prefLabel, Literal(MISSION_TH, lang="th")) in graph


def test_plain_json_on_construct_is_json_ld_and_on_select_is_results_json(client):
    construct = f"CONSTRUCT {{ <{MISSION}> ?p ?o }} WHERE {{ <{MISSION}> ?p ?o }}"
    r = client.get("/sparql", params={"query": construct}, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"] == JSON_LD
    assert (URIRef(MISSION), SKOS.prefLabel, Literal(MISSION_TH, lang="th")) in _json_ld(r.content)
    select = f"SELECT ?l WHERE {{ <{MISSION}> <{SKOS.prefLabel}> ?l }}"
    r = client.get("/sparql", params={"query": select}, headers={"Accept": "application/json"})
    assert r.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    assert {b["l"]["value"] for b in r.json()["results"]["bindings"]} >= {MISSION_TH}


def test_quad_formats_of_the_catalog_hold_its_triples_in_the_default_graph(client):
    r = client.get("/catalog", headers={"Accept": "application/n-quads"})
    assert r.headers["content-type"] == "application/n-quads; charset=utf-8"
    data = Dataset().parse(data=r.content, format="nquads")
    named = data.graph(URIRef(BASE + "graph/catalog"))
    assert set(data.default_graph) == set(named) and len(named) > 50


def test_text_wildcard_on_select_is_csv(client):
    select = (f"SELECT ?label WHERE {{ <{MISSION}> <{SKOS.prefLabel}> ?label "
              "FILTER (lang(?label) = 'th') }")
    r = client.get("/sparql", params={"query": select}, headers={"Accept": "text/*"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(r.text))) == [["label"], [MISSION_TH]]


def test_text_wildcard_on_ask_stays_xml(client):
    """CSV and TSV define no boolean (SPARQL 1.1 Query Results CSV/TSV §1), so ``text/*``
    on ASK gets the XML results format, whose alias text/xml is a text type."""
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/*"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+xml; charset=utf-8"
    assert "<boolean>true</boolean>" in r.text


@pytest.mark.parametrize("accept,media_type", [("text/turtle", "text/plain; charset=utf-8"),
                                               ("text/html", "text/html; charset=utf-8")])
def test_an_encoded_hash_is_404_naming_the_document_of_the_hash_iri(client, accept, media_type):
    """``…/1%23source-1`` is not the hash IRI ``…/1#source-1`` (RFC 3986 §6.2.2.2): no redirect
    into a fragment (it was ``303`` to ``/id/…/1#source-1.ttl``)."""
    path = "/id/codi/plan/2552/mission/1"
    r = client.get(path + "%23source-1", headers={"Accept": accept}, follow_redirects=False)
    assert r.status_code == 404 and r.headers["content-type"] == media_type
    assert "location" not in r.headers
    assert f"{PLAN}/mission/1%23source-1" in r.text
    if media_type.startswith("text/plain"):
        assert f"the hash IRI <{PLAN}/mission/1#source-1> is described by {path}." in r.text
    else:
        assert f'<a href="{path}">{path}</a>' in r.text
    assert client.get(path + ".ttl%23x").status_code == 404  # with an extension, and in /graph/
    assert client.get("/graph/curation%23x", headers={"Accept": accept}).status_code == 404
    # the document of the hash IRI describes it
    described = Graph().parse(data=client.get(path + ".ttl").content, format="turtle")
    assert (URIRef(f"{PLAN}/mission/1#source-1"), None, None) in described


def test_favicon_and_the_pages_link_it(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/vnd.microsoft.icon"
    assert r.content[:4] == b"\x00\x00\x01\x00" and r.content[4] == 3  # an ICO of three sizes
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    for page in ("/", "/plan", "/sparql", "/ontology", "/id/codi/plan/2552/mission/1.html", "/id/nothing"):
        html = client.get(page, headers={"Accept": "text/html"}).text
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
        assert '<link rel="icon" href="/favicon.ico"' in html


@pytest.mark.parametrize("encoding", ["identity", "gzip", "gzip;q=0"])
@pytest.mark.parametrize("path,fields", [
    ("/dumps/latest/codikg.trig", ["Accept-Encoding", "Origin"]),
    ("/dumps/latest/codikg.ttl.gz", ["Accept-Encoding", "Origin"]),
    ("/graph/curation", ["Accept", "Accept-Encoding", "Origin"]),
])
def test_one_vary_header_naming_each_field_once(client, path, encoding, fields):
    r = client.get(path, headers={"Accept-Encoding": encoding, "Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers.get_list("vary") == [", ".join(fields)]


def test_a_dump_url_is_not_negotiated(client):
    """A dump URL names its format (README: the default-graph view is codikg.ttl / .nt)."""
    r = client.get("/dumps/latest/codikg.trig", headers={"Accept": "application/n-quads, text/turtle;q=0.9"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/trig; charset=utf-8"
    data = Dataset().parse(data=r.content, format="trig")
    assert len(data.default_graph) == 0 and len(data.graph(URIRef(BASE + "graph/codi/2552/document"))) > 1000
    union = Graph().parse(data=client.get("/dumps/latest/codikg.ttl").content, format="turtle")
    assert (URIRef(MISSION), SKOS.prefLabel, Literal(MISSION_TH, lang="th")) in union
