"""Regressions for the bypasses of the old hand-made tokenizer, each through every
place a query enters: the ``/sparql`` endpoint (in-process app), ``codikg
query`` and the remote store. The old tokenizer read ``?o]SERVICE`` and
``x:o]SERVICE`` as one token and ended a comment only at LF."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from typer.testing import CliRunner

from codikg.cli.main import app as cli
from codikg.sparql.policy import MAX_NESTING, QueryRefused
from codikg.store.remote import Endpoints, RemoteStore

SERVICE_REFUSED = ("federated queries (SERVICE) are not allowed on this endpoint: "
                   "it never fetches data from other services")
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1; yields (port, list of connections seen)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.1)
    seen, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            seen.append(conn.getpeername())
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], seen
    stop.set()
    thread.join()
    sock.close()


def _service_after_var(port: int) -> str:
    return f"SELECT * {{ [ ?q ?o]SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"


def _service_after_pname(port: int) -> str:
    return ("PREFIX x: <http://example.org/x#>\n"
            f"SELECT * {{ [ ?q x:o]SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}")


NESTED_AFTER_CR_COMMENT = "SELECT * { # c\r" + "{" * 3000 + "?s ?p ?o" + "}" * 3000 + " }"
NESTING_REFUSED = (f"the query nests brackets more than {MAX_NESTING} levels deep "
                   "(at character 214); simplify it")


@pytest.mark.parametrize("make", [_service_after_var, _service_after_pname], ids=["?o]SERVICE", "x:o]SERVICE"])
def test_service_glued_to_a_bracket_is_refused_by_the_endpoint(client, listener, make):
    port, seen = listener
    for method in ("GET", "POST"):
        if method == "GET":
            r = client.get("/sparql", params={"query": make(port)}, headers=JSON)
        else:
            r = client.post("/sparql", content=make(port).encode(),
                            headers={**JSON, "Content-Type": "application/sparql-query"})
        assert r.status_code == 400
        assert r.text == SERVICE_REFUSED + "\n"
    time.sleep(0.3)
    assert seen == []


def test_nesting_after_a_cr_comment_is_refused_by_the_endpoint(client):
    r = client.post("/sparql", data={"query": NESTED_AFTER_CR_COMMENT}, headers=JSON)
    assert r.status_code == 400
    assert r.text == NESTING_REFUSED + "\n"
    # the worker is still there
    assert client.get("/sparql", params={"query": "ASK {}"}, headers=JSON).json()["boolean"] is True


def test_rand_with_a_comment_before_its_parentheses_is_not_cached(client):
    query = "SELECT ?r WHERE { BIND(RAND#c\n() AS ?r) }"
    cache = client.app.state.query_cache
    answers = []
    for _ in range(2):
        r = client.get("/sparql", params={"query": query}, headers=JSON)
        assert r.status_code == 200
        assert r.headers["cache-control"] == "no-store"
        answers.append(r.json()["results"]["bindings"][0]["r"]["value"])
    assert answers[0] != answers[1]  # evaluated twice: neither cache kept the first answer
    assert not any(query in key or any(isinstance(part, bytes) and b"RAND" in part for part in key)
                   for key in list(cache._entries))


def test_unknown_prefix_is_named_by_the_endpoint(client):
    r = client.get("/sparql", params={"query": "SELECT * { ?s foo:bar ?o }"}, headers=JSON)
    assert r.status_code == 400
    assert r.text.startswith("unknown prefix foo: (at character 14); the query declares: none. "
                             "Declare it with PREFIX foo: <namespace IRI>; the prefixes of this dataset "
                             "are cdk:, cdksh:, dcat:, dct:, ")
    r = client.get("/sparql", params={"query": "SELECT * { ?s cdk:plan ?o }"}, headers=JSON)
    assert r.status_code == 400 and "Add PREFIX cdk: <https://w3id.org/codikg/ontology#>" in r.text


@pytest.mark.parametrize("make", [_service_after_var, _service_after_pname], ids=["?o]SERVICE", "x:o]SERVICE"])
def test_cli_query_refuses_service_glued_to_a_bracket(release, listener, make):
    port, seen = listener
    result = CliRunner().invoke(cli, ["query", make(port), "--release", str(release[0])])
    assert result.exit_code == 1
    assert "federated queries (SERVICE) are not allowed" in " ".join(result.output.split())
    result = CliRunner().invoke(cli, ["query", NESTED_AFTER_CR_COMMENT, "--release", str(release[0])])
    assert result.exit_code == 1 and "more than 200 levels deep" in " ".join(result.output.split())
    assert seen == []


@pytest.mark.parametrize("query", [_service_after_var(9), _service_after_pname(9), NESTED_AFTER_CR_COMMENT,
                                   "SELECT * { ?s ?p ?o # c\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"])
def test_the_remote_store_sends_no_refused_query(listener, query):
    port, seen = listener
    store = RemoteStore(Endpoints.from_url(f"http://127.0.0.1:{port}/query"), graphs=["urn:g"],
                        dialect="sparql11", retries=0)
    try:
        with pytest.raises(QueryRefused):
            store.query(query)
    finally:
        store.close()
    time.sleep(0.3)
    assert seen == []
