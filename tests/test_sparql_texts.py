"""The app's own SPARQL: the packaged query texts, their prefixes, and values bound
into them (natively in the embedded store, written into the text for a remote one)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import pytest

from codikg.namespaces import NAMESPACE_IRIS, PREFIXES
from codikg.sparql.binding import bind_variables, term_text, values_clause
from codikg.sparql.policy import QueryRefused, apply_using
from codikg.sparql.texts import prefix_block, prefixes_used, query_text
from codikg.store import EmbeddedStore
from codikg.store.remote import Endpoints, RemoteStore
from remote_servers import OXIGRAPH, OxigraphServer

SRC = Path(__file__).resolve().parents[1] / "src" / "codikg"
QUERIES = sorted(p.stem for p in resources.files("codikg.sparql").joinpath("queries").iterdir()
                 if p.name.endswith(".rq"))
V, N, L = ox.Variable, ox.NamedNode, ox.Literal


def test_namespace_iris_are_the_rdflib_prefixes():
    assert list(NAMESPACE_IRIS) == list(PREFIXES)
    assert NAMESPACE_IRIS == {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def test_the_cdk_namespace_is_written_once_in_the_package():
    iri = NAMESPACE_IRIS["cdk"]
    holders = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*")
                     if p.is_file() and p.suffix in (".py", ".rq") and iri in p.read_text(encoding="utf-8"))
    assert holders == ["namespaces.py"]


def test_prefix_block_is_generated_from_the_namespaces():
    assert prefix_block(["cdk", "skos"]) == (f"PREFIX cdk: <{NAMESPACE_IRIS['cdk']}>\n"
                                             f"PREFIX skos: <{NAMESPACE_IRIS['skos']}>\n")
    assert prefix_block().count("PREFIX ") == len(NAMESPACE_IRIS)
    assert prefixes_used('SELECT ?x { ?x skos:notation "a:b" ; cdk:x <http://e/> } # dct:x') == ["skos", "cdk"]
    with pytest.raises(KeyError):
        prefix_block(["foaf"])


@pytest.mark.parametrize("name", QUERIES)
def test_every_packaged_query_parses_and_declares_no_prefix_itself(name):
    text = query_text(name)
    body = resources.files("codikg.sparql").joinpath("queries", f"{name}.rq").read_text(encoding="utf-8")
    assert not re.search(r"^\s*PREFIX", body, re.IGNORECASE | re.MULTILINE)
    assert text.endswith(body) and text.removesuffix(body) == prefix_block(prefixes_used(body))
    ox.Store().query(text)  # parses (an empty store answers at once)


def test_unknown_query_names_are_a_lookup_error():
    with pytest.raises(LookupError):
        query_text("no-such-query")


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    a, b, p, g = N("http://e/a"), N("http://e/b"), N("http://e/p"), N("http://e/g")
    for quad in (ox.Quad(a, p, L("x"), g), ox.Quad(a, p, b, g), ox.Quad(b, p, L("y", language="th"), g),
                 ox.Quad(N("http://e/a#1"), p, L('q"uote'), g)):
        s.add(quad)
        s.add(ox.Quad(quad.subject, quad.predicate, quad.object))  # the default graph too
    return s


def _rows(result):
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted(str(t) for t in result)
    return sorted(tuple(str(row[v]) for v in result.variables) for row in result)


@pytest.mark.parametrize("query,values", [
    ("SELECT ?r ?o WHERE { GRAPH ?g { ?r ?p ?o } }", {"r": N("http://e/a")}),
    ("SELECT DISTINCT ?s ?r WHERE { { GRAPH ?g { ?s ?p ?r } } UNION { ?r ?p ?s } }", {"r": N("http://e/b")}),
    ("SELECT ?s ?h WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?h)) }", {"h": L("http://e/a#")}),
    ("SELECT ?s ?v WHERE { ?s ?p ?v } ORDER BY ?v LIMIT 1", {"v": L('q"uote')}),
    ("SELECT ?s ?v WHERE { ?s ?p ?o OPTIONAL { ?o ?p ?v } }", {"v": L("y", language="th")}),
    ("SELECT ?r (COUNT(*) AS ?n) WHERE { ?r ?p ?o } GROUP BY ?r", {"r": N("http://e/a")}),
    ("ASK { ?r ?p ?o }", {"r": N("http://e/b")}),
    ("CONSTRUCT { ?r ?p ?o } WHERE { ?r ?p ?o }", {"r": N("http://e/a")}),
])
def test_values_written_into_the_text_answer_as_pyoxigraph_substitutions(store, query, values):
    substitutions = {V(name): term for name, term in values.items()}
    native = _rows(store.query(query, substitutions=substitutions))
    assert _rows(store.query(bind_variables(query, substitutions))) == native
    assert native  # the cases are meant to find something


def test_values_cannot_change_the_query_around_them(store):
    text = bind_variables("SELECT ?v ?s WHERE { ?s ?p ?v }",
                          {V("v"): L('x" } UNION { ?s ?p ?o } # \\ \n')})
    assert text.count("\n") == 0 and len(_rows(store.query(text))) == 0


@pytest.mark.parametrize("query,problem", [
    ("SELECT * WHERE { ?x ?p ?o }", "SELECT \\*"),
    ("SELECT ?o WHERE { ?x ?p ?o }", "not"),
    ("SELECT ?x WHERE { BIND(1 AS ?x) }", "target of AS"),
    ("SELECT ?x WHERE { VALUES ?x { 1 } }", "VALUES"),
    ("SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }", "subquery"),
])
def test_values_that_cannot_stand_in_the_text_are_refused(query, problem):
    with pytest.raises(ValueError, match=problem):
        bind_variables(query, {V("x"): N("http://e/a")})


def test_terms_and_values_clauses():
    assert term_text(N("http://e/a")) == "<http://e/a>"
    assert term_text(L('a"b\\c\n')) == '"a\\"b\\\\c\\n"'
    assert term_text(L("ก", language="th")) == '"ก"@th'
    assert values_clause("s", [N("http://e/a"), L("1")]) == 'VALUES ?s { <http://e/a> "1" }'
    with pytest.raises(ValueError):
        term_text(ox.BlankNode())
    with pytest.raises(TypeError):
        term_text("http://e/a")
    with pytest.raises(TypeError):
        bind_variables("SELECT ?x {}", {"x": N("http://e/a")})


def test_update_parameters_cannot_change_the_update():
    update = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE { ?s ?p ?o }"
    assert apply_using(update, ["urn:d"], []) == \
        "INSERT { <urn:a> <urn:b> <urn:c> } USING <urn:d> WHERE { ?s ?p ?o }"
    with pytest.raises(QueryRefused, match="using-graph-uri"):
        apply_using(update, ["urn:d> ; LOAD <http://example.org/"], [])
    with pytest.raises(QueryRefused, match="using-named-graph-uri"):
        apply_using(update, [], ["urn:a b"])


@pytest.fixture(scope="module")
def oxigraph_and_embedded(tmp_path_factory):
    """The same small dataset in an Oxigraph server and in the embedded store."""
    if not OXIGRAPH.exists():
        pytest.skip(f"the Oxigraph server is not installed ({OXIGRAPH})")
    folder = tmp_path_factory.mktemp("bind")
    trig = folder / "data.trig"
    trig.write_text('<http://e/g> { <http://e/a> <http://e/p> "x", "ก"@th, <http://e/b> . '
                    '<http://e/b> <http://e/p> "q\\"uote" . }\n', encoding="utf-8")
    server = OxigraphServer(folder / "db").start()
    remote = RemoteStore(Endpoints.from_url(server.query_url), graphs=["http://e/g"])
    remote.update(f"INSERT DATA {{ {trig.read_text(encoding='utf-8').replace('<http://e/g> {', 'GRAPH <http://e/g> {')} }}")
    yield remote, EmbeddedStore(trig)
    remote.close()
    server.kill()


@pytest.mark.parametrize("name,query,values", [
    ("iri", "SELECT ?r ?o WHERE { ?r ?p ?o }", {"r": N("http://e/a")}),
    ("thai", "SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"o": L("ก", language="th")}),
    ("quote", "SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": L('q"uote')}),
    ("injection", "SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": L('x" } UNION { ?s ?p ?o } #')}),
    ("packaged", None, {"resource": N("http://e/a")}),
])
def test_a_remote_store_answers_bound_queries_as_the_embedded_one(oxigraph_and_embedded, name, query, values):
    remote, embedded = oxigraph_and_embedded
    query = query or query_text("describe")
    substitutions = {V(key): term for key, term in values.items()}
    expected = _rows(embedded.query(query, substitutions=substitutions))
    assert _rows(remote.query(query, substitutions=substitutions)) == expected
    assert bool(expected) == (name != "injection")
