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
