"""codikg on real triple stores: publish, the same answers as the embedded store, failures.

Oxigraph's server (PyPI ``oxigraph``) always; Virtuoso when Debian's
``virtuoso-opensource`` is installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from codikg.store import EmbeddedStore, StoreFailed, StoreUnavailable
from codikg.store.publish import PublishError, publish_release
from codikg.store.remote import Endpoints, RemoteStore, make_auth
from codikg.audit.trace import trace_all
from codikg.release.reader import release_graph_counts

from conftest import BASE, PLAN, ROOT, _free_port, serve
from remote_servers import ISQL, OXIGRAPH, VIRTUOSO, OxigraphServer, VirtuosoServer

EXAMPLES = sorted((ROOT / "queries").glob("*.rq"))
INDICATOR = f"{PLAN}/issue/3/indicator/1.2"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _publish(folder: Path, url: str, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "codikg.cli", "publish", "--to", url,
                           "--release", str(folder), "--no-build", *options],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})


@pytest.fixture(scope="module")
def oxigraph(release, tmp_path_factory):
    """An Oxigraph server with the release published into it by ``codikg publish``."""
    if not OXIGRAPH.exists():
        pytest.skip(f"the Oxigraph server is not installed ({OXIGRAPH}); pip install oxigraph")
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db").start()
    done = _publish(release[0], server.query_url)
    assert done.returncode == 0, done.stderr
    server.publish_output = done.stdout
    yield server
    server.kill()


@pytest.fixture(scope="module")
def virtuoso(release, tmp_path_factory):
    """A Virtuoso server with the release published into it (skipped if not installed)."""
    if not (VIRTUOSO and ISQL):
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    done = _publish(release[0], server.query_url)
    assert done.returncode == 0, done.stderr
    server.publish_output = done.stdout
    yield server
    server.kill()


@pytest.fixture(scope="module")
def embedded(release):
    folder, manifest = release
    return EmbeddedStore([folder / "codikg.trig", folder / manifest["catalog"]["file"]])


def _remote(url: str, manifest: dict) -> RemoteStore:
    return RemoteStore(Endpoints.from_url(url), graphs=sorted(release_graph_counts(manifest)))


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(request, release):
    """Each remote store in turn, as a :class:`RemoteStore` over the release's graphs."""
    server = request.getfixturevalue(request.param)
    return _remote(server.query_url, release[1])


def canonical(result):
    """An answer as comparable Python values: bool, sorted rows of N-Triples terms, or sorted triples."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted(str(t) for t in result)
    names = [v.value for v in result.variables]
    return names, sorted(tuple("" if s[v] is None else str(s[v]) for v in names) for s in result)


# ---- publish ---------------------------------------------------------------

@pytest.mark.slow
def test_publish_loads_every_graph_with_the_release_counts(oxigraph, release):
    _, manifest = release
    expected = release_graph_counts(manifest)
    assert set(expected) == {BASE + f"graph/{g}" for g in
                             ("codi/2552/document", "codi/2552/curation", "ontology", "codi/2552/derived", "catalog")}
    counts = _remote(oxigraph.query_url, manifest).count_triples(sorted(expected))
    assert counts == expected
    assert expected[BASE + "graph/codi/2552/document"] == manifest["graphs"][BASE + "graph/codi/2552/document"] > 2000
    for graph, n in expected.items():
        assert f"{graph}" in oxigraph.publish_output and f"{n:,}" in oxigraph.publish_output
    assert f"release {manifest['release']}" in oxigraph.publish_output
    assert "switch" in oxigraph.publish_output and "total" in oxigraph.publish_output


@pytest.mark.slow
def test_republish_drops_graphs_the_release_no_longer_has_and_leaves_no_staging(oxigraph, release):
    folder, manifest = release
    store = RemoteStore(Endpoints.from_url(oxigraph.query_url))
    store.update(f"INSERT DATA {{ GRAPH <{BASE}graph/obsolete> {{ <{BASE}x> <{BASE}p> 1 }} }} ;"
                 f"INSERT DATA {{ GRAPH <{BASE}graph/staging/old/document> {{ <{BASE}x> <{BASE}p> 2 }} }}")
    report = publish_release(folder, store, BASE)
    assert sorted(report.dropped) == [BASE + "graph/obsolete", BASE + "graph/staging/old/document"]
    assert store.graphs_under(BASE + "graph/") == sorted(release_graph_counts(manifest))
    assert report.graphs == release_graph_counts(manifest)
    assert set(report.seconds) == {"parse", "load", "check", "switch", "verify"}


@pytest.mark.slow
def test_switch_is_atomic_for_readers(oxigraph, release, tmp_path):
    """While a release with one triple less is published, readers see either release, never a mix."""
    folder, manifest = release
    store = RemoteStore(Endpoints.from_url(oxigraph.query_url))
    graphs = sorted(release_graph_counts(manifest))
    changed = tmp_path / "release"
    changed.mkdir()
    for path in folder.iterdir():
        if path.is_file():
            (changed / path.name).write_bytes(path.read_bytes())
    # Drop one triple of each graph of the dump: the new release differs in every graph.
    dump = ox.Store()
    dump.bulk_load(path=str(folder / "codikg.trig"), format=ox.RdfFormat.TRIG)
    for g in dump.named_graphs():
        dump.remove(next(iter(dump.quads_for_pattern(None, None, None, g))))
    dump.dump(output=str(changed / "codikg.trig"), format=ox.RdfFormat.TRIG)
    changed_manifest = json.loads((changed / "manifest.json").read_text())
    changed_manifest["release"] = "changed"
    (changed / "manifest.json").write_text(json.dumps(changed_manifest))
    old = store.count_triples(graphs)
    seen, stop = [], threading.Event()

    def read():
        reader = RemoteStore(Endpoints.from_url(oxigraph.query_url))
        while not stop.is_set():
            seen.append(tuple(reader.count_triples(graphs).values()))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        report = publish_release(changed, store, BASE)
        time.sleep(0.2)
    finally:
        stop.set()
        thread.join()
        publish_release(folder, store, BASE)  # back to the release the other tests use
    new = tuple(report.graphs[g] for g in graphs)
    assert new != tuple(old.values())
    assert set(seen) <= {tuple(old.values()), new}, set(seen)
    assert tuple(old.values()) in seen and new in seen


@pytest.mark.slow
def test_publish_to_an_unreachable_store_fails_clearly(release):
    done = _publish(release[0], f"http://127.0.0.1:{_free_port()}/query")
    assert done.returncode == 1
    assert "unreachable" in done.stderr and "ConnectError" in done.stderr


@pytest.mark.slow
def test_publish_stops_before_the_switch_when_counts_differ(oxigraph, release, monkeypatch):
    folder, manifest = release
    store = RemoteStore(Endpoints.from_url(oxigraph.query_url))
    monkeypatch.setattr(store, "count_triples", lambda graphs: {g: 0 for g in graphs})
    switched = []
    monkeypatch.setattr(store, "update", switched.append)
    with pytest.raises(PublishError, match="staging \\(nothing was switched\\).*store has 0"):
        publish_release(folder, store, BASE)
    assert switched == []


# ---- the same answers ------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_queries_give_the_embedded_answers(remote, embedded, path):
    text = path.read_text(encoding="utf-8")
    expected = canonical(embedded.query(text))
    assert canonical(remote.query(text)) == expected
    assert expected[1] or path.name == "indicators-without-mission.rq"


@pytest.mark.slow
def test_trace_of_every_indicator_is_the_embedded_trace(remote, embedded):
    expected = trace_all(embedded)
    assert len(expected) == 71
    assert trace_all(remote) == expected


@pytest.mark.slow
@pytest.mark.parametrize("query", [
    f"DESCRIBE <{INDICATOR}>",
    f"DESCRIBE <{PLAN}/vision> <{PLAN}/mission/1>",
    f"DESCRIBE ?o WHERE {{ <{INDICATOR}> <https://w3id.org/codikg/ontology#measures> ?o }}",
    f"CONSTRUCT WHERE {{ <{PLAN}/objective/3> ?p ?o }}",
    "ASK { ?s a <https://w3id.org/codikg/ontology#Indicator> }",
    "ASK { ?s a <https://w3id.org/codikg/ontology#Nothing> }",
    f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/ontology> WHERE {{ ?s ?p ?o }}",
    f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{BASE}graph/codi/2552/curation> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    'SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#altLabel> ?l '
    'FILTER(langMatches(lang(?l), "th-Latn")) }',
    'SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = "en") }',
], ids=["describe-indicator", "describe-two", "describe-where", "construct", "ask-true", "ask-false",
        "from", "from-named", "union-count", "graphs", "th-latn", "english"])
def test_describe_ask_and_datasets_give_the_embedded_answers(remote, embedded, query):
    expected = canonical(embedded.query(query))
    assert canonical(remote.query(query)) == expected
    assert expected not in ([], ([], []))


@pytest.mark.slow
def test_virtuoso_differences_are_handled(virtuoso, embedded, release):
    """Pins what Virtuoso does differently and that our remote store hides it."""
    graphs = sorted(release_graph_counts(release[1]))
    raw = httpx.post(virtuoso.query_url, data={"query": "ASK { ?s ?p ?o }", "default-graph-uri": graphs},
                     headers={"Accept": "application/sparql-results+json"}).json()
    assert raw["head"]["vars"] == ["__ASK_RETVAL"] and "boolean" not in raw  # ASK as a SELECT
    describe = f"DESCRIBE <{INDICATOR}>"
    plain = httpx.post(virtuoso.query_url, data={"query": describe, "default-graph-uri": graphs},
                       headers={"Accept": "application/n-triples"}).text
    expected = canonical(embedded.query(describe))
    assert len([line for line in plain.splitlines() if line.strip() and not line.startswith("#")]) \
        != len(expected)  # its default DESCRIBE is not Oxigraph's
    store = _remote(virtuoso.query_url, release[1])
    assert store.dialect == "virtuoso"
    assert canonical(store.query(describe)) == expected
    assert bool(store.query("ASK { ?s ?p ?o }")) is True
    label = next(iter(store.query(f'SELECT ?l {{ <{INDICATOR}> <http://www.w3.org/2004/02/skos/core#altLabel> ?l }}')))["l"]
    assert label.language == "th-latn" == next(iter(embedded.query(
        f'SELECT ?l {{ <{INDICATOR}> <http://www.w3.org/2004/02/skos/core#altLabel> ?l }}')))["l"].language


@pytest.mark.slow
def test_virtuoso_publish_counts(virtuoso, release):
    counts = _remote(virtuoso.query_url, release[1]).count_triples(sorted(release_graph_counts(release[1])))
    assert counts == release_graph_counts(release[1])
    assert "total" in virtuoso.publish_output


# ---- codikg serve --store --------------------------------------------------

@pytest.fixture(scope="module")
def remote_server(oxigraph, release):
    with serve(release[0], "--no-build", "--store", oxigraph.query_url) as url:
        yield url


def _answer(url: str, query: str):
    response = httpx.post(url + "/sparql", data={"query": query}, timeout=30,
                          headers={"Accept": "application/sparql-results+json, application/n-triples"})
    assert response.status_code == 200, response.text
    if response.headers["content-type"].startswith("application/n-triples"):
        return sorted(str(t) for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    data = response.json()
    if "boolean" in data:
        return data["boolean"]
    return data["head"]["vars"], sorted(json.dumps(row, sort_keys=True) for row in data["results"]["bindings"])


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_served_example_queries_match_the_embedded_server(server, remote_server, path):
    text = path.read_text(encoding="utf-8")
    assert _answer(remote_server, text) == _answer(server, text)


@pytest.mark.slow
def test_served_describe_and_ask_match_the_embedded_server(server, remote_server):
    for query in (f"DESCRIBE <{INDICATOR}>", "ASK { ?s ?p ?o }"):
        assert _answer(remote_server, query) == _answer(server, query)


@pytest.mark.slow
def test_served_trace_and_pages_match_the_embedded_server(server, remote_server):
    for path in ("/trace.csv", "/trace.csv?indicator=3/1.2", "/report.json"):
        local, remote_ = httpx.get(server + path, timeout=30), httpx.get(remote_server + path, timeout=30)
        assert remote_.status_code == local.status_code == 200
        assert remote_.content == local.content, path
    rows = list(csv.DictReader(io.StringIO(httpx.get(remote_server + "/trace.csv").text)))
    assert len(rows) == 71
    for path in ("/", "/search?q=บ้านมั่นคง", "/catalog", "/sparql"):
        response = httpx.get(remote_server + path, headers={"Accept": "text/html"}, timeout=30)
        assert response.status_code == 200, path
    landing = httpx.get(remote_server + "/").text
    # the landing page's schema.org Dataset names its download URLs on the serving host
    assert landing.replace(remote_server, "") == httpx.get(server + "/").text.replace(server, "")


@pytest.mark.slow
def test_served_endpoint_keeps_our_limits_and_negotiation(remote_server):
    refused = httpx.post(remote_server + "/sparql",
                         data={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert refused.status_code == 400 and "SERVICE" in refused.text
    update = httpx.post(remote_server + "/sparql", data={"update": "CLEAR ALL"})
    assert update.status_code == 403
    tsv = httpx.get(remote_server + "/sparql", params={"query": "SELECT ?s WHERE { ?s a ?c } LIMIT 3"},
                    headers={"Accept": "text/tab-separated-values"})
    assert tsv.status_code == 200 and tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert tsv.text.splitlines()[0] == "?s" and len(tsv.text.splitlines()) == 4
    ask_csv = httpx.get(remote_server + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert ask_csv.status_code == 406
    syntax = httpx.get(remote_server + "/sparql", params={"query": "SELECT WHERE {"})
    assert syntax.status_code == 400


SECRET = "http://other.example/secret"


def _rows(url: str, query: str, **params) -> list:
    response = httpx.post(url + "/sparql", data={"query": query, **params}, timeout=30,
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return sorted(json.dumps(row, sort_keys=True) for row in response.json()["results"]["bindings"])


@pytest.mark.slow
def test_a_foreign_graph_in_a_shared_store_stays_hidden(oxigraph, server, remote_server):
    httpx.post(oxigraph.query_url.replace("/query", "/update"), timeout=30,
               data={"update": f'INSERT DATA {{ GRAPH <{SECRET}> {{ <urn:s> <urn:p> "secret" }} }}'}
               ).raise_for_status()
    try:
        cases = [(f"SELECT ?o FROM <{SECRET}> WHERE {{ ?s ?p ?o }}", {}),
                 (f"SELECT ?g ?o FROM NAMED <{SECRET}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
                 ("PREFIX o: <http://other.example/> SELECT ?o FROM o:secret FROM <"
                  + BASE + "graph/ontology> WHERE { ?s ?p ?o FILTER(?o = \"secret\") }", {}),
                 ("SELECT ?o WHERE { ?s ?p ?o }", {"default-graph-uri": SECRET}),
                 ("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": SECRET})]
        for query, params in cases:
            assert _rows(remote_server, query, **params) == _rows(server, query, **params) == [], query
        # Release graphs named by FROM still answer, as in the embedded store.
        count = f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/codi/2552/curation> WHERE {{ ?s ?p ?o }}"
        assert _rows(remote_server, count) == _rows(server, count)
        assert json.loads(_rows(server, count)[0])["n"]["value"] != "0"
        graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert _rows(remote_server, graphs) == _rows(server, graphs)
    finally:
        httpx.post(oxigraph.query_url.replace("/query", "/update"), timeout=30,
                   data={"update": f"DROP GRAPH <{SECRET}>"}).raise_for_status()


@pytest.mark.slow
def test_store_mode_errors_are_public_and_positioned(server, remote_server):
    load = httpx.get(remote_server + "/sparql", params={"query": "LOAD <http://example.org/x>"})
    assert load.status_code == 400 and "1:10" in load.text and "2:10" not in load.text
    local = httpx.get(server + "/sparql", params={"query": "LOAD <http://example.org/x>"})
    assert "1:10" in local.text
    text_match = httpx.get(remote_server + "/sparql", params={"query": (
        'PREFIX cdk: <https://w3id.org/codikg/ontology#> '
        'SELECT ?s WHERE { ?s ?p ?l BIND(cdk:textMatch(?l, "x") AS ?m) }')})
    assert text_match.status_code == 400
    assert text_match.text.startswith("cdk:textMatch is only available on the embedded store")


@pytest.mark.slow
def test_operator_chain_is_refused_and_the_store_survives(oxigraph, remote_server):
    chain = "SELECT (" + "+".join(["1"] * 12_000) + " AS ?x) {}"
    refused = httpx.post(remote_server + "/sparql", content=chain.encode(),
                         headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert refused.status_code == 400 and "more than 250 operators" in refused.text
    assert oxigraph.proc.poll() is None
    assert httpx.get(remote_server + "/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


@pytest.mark.slow
def test_select_is_cut_by_the_store(oxigraph, release):
    with serve(release[0], "--no-build", "--store", oxigraph.query_url, "--result-limit", "3",
               "--cache-bytes", "0") as url:
        cut = httpx.get(url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 100000"},
                        headers={"Accept": "text/csv"})
        assert cut.headers["Query-Limit-Exceeded"] == "result-rows"
        assert cut.headers["Query-Result-Rows"] == "3" and len(cut.text.strip().splitlines()) == 4
        whole = httpx.get(url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
                          headers={"Accept": "text/csv"})
        assert "Query-Limit-Exceeded" not in whole.headers and whole.headers["Query-Result-Rows"] == "3"


def test_limit_select_rewrites_only_what_it_may():
    from codikg.sparql.query_text import limit_select
    assert limit_select("SELECT * { ?s ?p ?o } # note", 11) == "SELECT * { ?s ?p ?o } # note\nLIMIT 11"
    assert limit_select("SELECT * {} LIMIT 50000 OFFSET 3", 11) == "SELECT * {} LIMIT 11 OFFSET 3"
    assert limit_select("SELECT * {} LIMIT 5", 11) == "SELECT * {} LIMIT 5"
    assert limit_select("SELECT * { { SELECT * {} LIMIT 99 } }", 11) == "SELECT * { { SELECT * {} LIMIT 99 } }\nLIMIT 11"
    assert limit_select("SELECT * {} VALUES ?s { 1 }", 11) == "SELECT * {} VALUES ?s { 1 }"
    assert limit_select('ASK { FILTER("LIMIT 5" != "") }', 11) == 'ASK { FILTER("LIMIT 5" != "") }'
    assert limit_select("CONSTRUCT WHERE { ?s ?p ?o }", 11) == "CONSTRUCT WHERE { ?s ?p ?o }"


@pytest.mark.slow
def test_serve_refuses_a_store_with_another_release(release, tmp_path):
    empty = OxigraphServer(tmp_path / "empty").start()
    try:
        done = subprocess.run([sys.executable, "-m", "codikg.cli", "serve", "--no-build", "--release",
                               str(release[0]), "--port", str(_free_port()), "--store", empty.query_url],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "NO_COLOR": "1", "COLUMNS": "300"})
    finally:
        empty.kill()
    assert done.returncode == 1
    assert f"does not hold release {release[1]['release']}" in " ".join(done.stderr.split())
    assert "serving release" not in done.stdout


@pytest.mark.slow
def test_store_down_mid_request_gives_503_then_recovers(release, tmp_path):
    """Kill the store while it computes, then restart it on the same port and location."""
    store = OxigraphServer(tmp_path / "db", timeout_s=20).start()
    try:
        assert _publish(release[0], store.query_url).returncode == 0
        with serve(release[0], "--no-build", "--store", store.query_url, "--time-limit", "15",
                   "--result-limit", "5", "--cache-bytes", "0") as url:
            count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/codikg/ontology#Indicator> }"
            assert httpx.get(url + "/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"] == "28"
            cut = httpx.get(url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                            headers={"Accept": "text/csv"})
            assert cut.headers["Query-Limit-Exceeded"] == "result-rows"
            assert cut.headers["Query-Result-Rows"] == "5" and len(cut.text.strip().splitlines()) == 6
            answers = []
            slow = threading.Thread(target=lambda: answers.append(
                httpx.get(url + "/sparql", params={"query": SLOW}, timeout=60)))
            slow.start()
            time.sleep(1.5)
            store.kill()
            slow.join()
            mid = answers[0]
            assert mid.status_code in (502, 503), mid.text
            # answered for the dead store, not when the 15 s time limit ran out
            assert "query-limit-exceeded" not in mid.headers
            assert "store" in mid.text and str(store.port) not in mid.text
            down = httpx.get(url + "/sparql", params={"query": count})
            assert down.status_code == 503 and down.headers["Retry-After"] == "5"
            assert down.text == "the store behind this endpoint is unavailable; try again later\n"
            page = httpx.get(url + "/trace.csv")
            assert page.status_code == 503 and str(store.port) not in page.text
            store.start()
            back = httpx.get(url + "/sparql", params={"query": count})
            assert back.status_code == 200
            assert back.json()["results"]["bindings"][0]["n"]["value"] == "28"
            assert httpx.get(url + "/trace.csv").status_code == 200
    finally:
        store.kill()


@pytest.mark.slow
def test_time_limit_on_a_remote_store(oxigraph, release):
    """Status, not duration: the client waits 10 × the limit, less than the store's own
    30 s timeout, so only our limit can answer in time."""
    limit = 1
    with serve(release[0], "--no-build", "--store", oxigraph.query_url, "--time-limit", str(limit)) as url:
        response = httpx.get(url + "/sparql", params={"query": SLOW}, timeout=10 * limit)
        assert response.status_code == 503
        assert response.headers["Query-Limit-Exceeded"] == "time"


# ---- units -----------------------------------------------------------------

def test_endpoints_are_derived_for_oxigraph_and_virtuoso():
    assert Endpoints.from_url("http://h:7878/query") == Endpoints(
        "http://h:7878/query", "http://h:7878/update", "http://h:7878/store")
    assert Endpoints.from_url("http://h:8890/sparql") == Endpoints(
        "http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud")
    assert Endpoints.from_url("https://h/repositories/codikg", gsp="https://h/g").update is None
    with pytest.raises(ValueError, match="http"):
        Endpoints.from_url("ftp://h/sparql")


def test_auth_headers():
    request = httpx.Request("GET", "http://h/")
    assert next(make_auth(token="t0k").sync_auth_flow(request)).headers["Authorization"] == "Bearer t0k"
    request = httpx.Request("GET", "http://h/")
    assert next(make_auth("ann", "pw").sync_auth_flow(request)).headers["Authorization"] == "Basic YW5uOnB3"
    with pytest.raises(ValueError, match="not both"):
        make_auth("ann", "pw", token="t")
    with pytest.raises(ValueError, match="no password"):
        make_auth("ann")


def test_unreachable_store_raises_store_unavailable():
    store = RemoteStore(Endpoints.from_url(f"http://127.0.0.1:{_free_port()}/query"), retries=2, backoff=0.01)
    with pytest.raises(StoreUnavailable, match="unreachable.*3 attempts"):
        store.query("ASK {}")
    assert StoreUnavailable.status == 503 and StoreFailed.status == 502


def test_both_backends_implement_the_store_protocol(embedded):
    from codikg.store import Store
    assert isinstance(embedded, Store)
    assert isinstance(RemoteStore(Endpoints.from_url("http://127.0.0.1:1/query")), Store)
