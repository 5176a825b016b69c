"""The app over a small pyoxigraph store handed in by the test (no build, no worker processes).

The fixture is tests/fixtures/mini-plan.ttl, its ``p:`` namespace moved under the
base IRI, in the graph ``{base}graph/document``; the app gets it through
:func:`codikg.services.served.served_from_store` and answers public queries with
:class:`codikg.store.inprocess.InProcessQueryPool`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from codikg.config.limits import Limits
from codikg.config.settings import load_settings
from codikg.services.served import served_from_store
from codikg.store import EmbeddedStore
from codikg.store.inprocess import InProcessQueryPool
from codikg.web.app import create_app

FIXTURE = Path(__file__).parent / "fixtures" / "mini-plan.ttl"
BASE = "https://w3id.org/codikg/"
PLAN = BASE + "id/test/plan/2560/"


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory):
    turtle = FIXTURE.read_text(encoding="utf-8").replace("<http://example.org/plan/>", f"<{PLAN}>")
    trig = tmp_path_factory.mktemp("fixture") / "mini.trig"
    # The fixture is Turtle: rdflib parses it, the store loads it as TriG in the document graph.
    graph = Graph().parse(data=turtle, format="turtle")
    triples = "".join(f"  {s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in graph)
    trig.write_text(f"<{BASE}graph/document> {{\n{triples}}}\n", encoding="utf-8")
    return EmbeddedStore([trig]), len(graph)


@pytest.fixture(scope="module")
def fixture_client(fixture_store, tmp_path_factory):
    store, triples = fixture_store
    folder = tmp_path_factory.mktemp("release")
    manifest = {"release": "fixture", "graphs": {f"{BASE}graph/document": triples}, "dumps": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    served = served_from_store(folder, manifest, store, InProcessQueryPool(store), load_settings(),
                               Limits(workers=1))
    with TestClient(create_app(served)) as client:
        yield client


def test_public_query_runs_on_the_fixture_store(fixture_client):
    query = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a <https://w3id.org/codikg/ontology#Mission> }"
    response = fixture_client.get("/sparql", params={"query": query},
                                  headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "2"


def test_fixture_element_dereferences_to_its_description(fixture_client):
    response = fixture_client.get("/id/test/plan/2560/mission1", headers={"Accept": "text/turtle"},
                                  follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/id/test/plan/2560/mission1.ttl")
    document = fixture_client.get(response.headers["location"])
    assert document.status_code == 200
    assert document.headers["content-type"].startswith("text/turtle")
    quads = list(ox.parse(document.content, format=ox.RdfFormat.TURTLE))
    labels = {q.object.value for q in quads if q.subject == ox.NamedNode(PLAN + "mission1")
              and q.predicate == ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")}
    assert labels == {"พันธกิจหนึ่ง", "mission one"}


def test_a_dependency_override_hands_the_routes_another_release(fixture_client, fixture_store, tmp_path):
    from codikg.web.deps import served_release

    empty = EmbeddedStore([])
    (tmp_path / "manifest.json").write_text(json.dumps({"release": "empty", "graphs": {}, "dumps": {}}),
                                            encoding="utf-8")
    other = served_from_store(tmp_path, {"release": "empty", "graphs": {}, "dumps": {}}, empty,
                              InProcessQueryPool(empty), load_settings(), Limits(workers=1))
    query = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a <https://w3id.org/codikg/ontology#Mission> }"
    headers = {"Accept": "application/sparql-results+json"}
    fixture_client.app.dependency_overrides[served_release] = lambda: other
    try:
        # another text than the first test's: the replay cache answers a repeated GET before any route
        overridden = fixture_client.get("/sparql", params={"query": query + " # override"}, headers=headers)
        document = fixture_client.get("/id/test/plan/2560/mission2.ttl")
    finally:
        fixture_client.app.dependency_overrides.clear()
    assert overridden.status_code == 200
    assert overridden.json()["results"]["bindings"][0]["n"]["value"] == "0"
    assert document.status_code == 404  # the Linked Data route read the other (empty) release
    again = fixture_client.get("/sparql", params={"query": query + " "}, headers=headers)
    assert again.json()["results"]["bindings"][0]["n"]["value"] == "2"
