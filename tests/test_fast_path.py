"""The fast paths of issue 7: replayed GETs, the native row cut, on-disk stores,
synthetic data. Speed itself is measured by bench/run.py and bench/scale.py."""

from __future__ import annotations

import json
import sys

import httpx
import pyoxigraph as ox
import pytest

from codikg.release.layout import store_files
from codikg.store import EmbeddedStore
from codikg.store.disk import DiskStoreError, check_store, create_store
from codikg.store.worker import answer
from conftest import BASE, ROOT, serve

sys.path.insert(0, str(ROOT / "bench"))
from synth import BASE as SYNTHETIC, triples_per_plan, write_synthetic  # noqa: E402

MISSIONS = ("PREFIX cdk: <https://w3id.org/codikg/ontology#>\n"
            "SELECT ?m WHERE { ?m a cdk:Mission } ORDER BY ?m")
JSON = "application/sparql-results+json"


def _replay_keys(client) -> list[tuple]:
    return [k for k in client.app.state.query_cache._entries if k[0] == "replay"]


def test_repeated_get_is_replayed_byte_for_byte(client):
    before = len(_replay_keys(client))
    first = client.get("/sparql", params={"query": MISSIONS + " # replay"}, headers={"Accept": JSON})
    assert first.status_code == 200 and len(_replay_keys(client)) == before + 1
    replays = client.app.state.query_cache.replays
    second = client.get("/sparql", params={"query": MISSIONS + " # replay"}, headers={"Accept": JSON})
    assert client.app.state.query_cache.replays == replays + 1  # answered by the replay, not the endpoint
    assert second.content == first.content
    assert len(json.loads(second.content)["results"]["bindings"]) == 4  # the plan's four missions
    for header in ("content-type", "etag", "query-result-rows", "query-time-limit", "vary",
                   "access-control-allow-origin", "content-length"):
        assert second.headers[header] == first.headers[header], header


def test_replay_keys_on_accept_and_conditional_requests_go_to_the_app(client):
    query = MISSIONS + " # accept"
    as_json = client.get("/sparql", params={"query": query}, headers={"Accept": JSON})
    as_csv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.text.splitlines()[0] == "m"
    assert as_json.headers["content-type"].startswith(JSON)
    again = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert again.content == as_csv.content
    not_modified = client.get("/sparql", params={"query": query},
                              headers={"Accept": JSON, "If-None-Match": as_json.headers["etag"]})
    assert not_modified.status_code == 304


def test_volatile_answers_and_errors_are_never_replayed(client):
    query = "SELECT (RAND() AS ?r) WHERE {}"
    before = len(_replay_keys(client))
    answers = {client.get("/sparql", params={"query": query}, headers={"Accept": JSON}).content for _ in range(3)}
    assert len(answers) == 3  # three different random numbers
    r = client.get("/sparql", params={"query": query}, headers={"Accept": JSON})
    assert r.headers["cache-control"] == "no-store"
    assert client.get("/sparql", params={"query": "SELECT nonsense"}).status_code == 400
    assert client.get("/id/no/such/thing").status_code == 404
    assert len(_replay_keys(client)) == before


def test_row_cut_is_exact(release):
    folder, manifest = release
    store = EmbeddedStore(store_files(folder, manifest))
    query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s ?l WHERE { ?s skos:prefLabel ?l }"
    total = len(list(store.query(query)))
    header = {"op": "query", "results": JSON, "limit": 7}
    meta, body = answer(store, header, query)
    assert meta == {"status": 200, "type": JSON, "rows": 7, "truncated": True}
    assert len(json.loads(body)["results"]["bindings"]) == 7
    meta, body = answer(store, {**header, "limit": total, "results": "text/tab-separated-values"}, query)
    assert meta["rows"] == total and meta["truncated"] is False
    assert len(body.decode().splitlines()) == total + 1  # header line + one per row
    meta, _ = answer(store, {**header, "limit": total - 1}, query)
    assert meta["rows"] == total - 1 and meta["truncated"] is True


@pytest.mark.slow
def test_on_disk_store_serves_the_same_answers(release, tmp_path):
    folder, manifest = release
    path = tmp_path / "store"
    marker = create_store(path, store_files(folder, manifest), manifest["release"])
    in_memory = EmbeddedStore(store_files(folder, manifest))
    assert marker["release"] == manifest["release"] and marker["quads"] == len(in_memory)
    with pytest.raises(DiskStoreError, match="already exists"):
        create_store(path, store_files(folder, manifest), manifest["release"])
    with pytest.raises(DiskStoreError, match="holds release"):
        check_store(path, "another-release")
    with serve(folder, "--no-build", "--disk-store", str(path)) as url:
        r = httpx.get(url + "/sparql", params={"query": MISSIONS}, headers={"Accept": JSON}, timeout=30)
        assert r.status_code == 200
        served = [b["m"]["value"] for b in r.json()["results"]["bindings"]]
    assert served == [s["m"].value for s in in_memory.query(MISSIONS)]
    assert served[0] == BASE + "id/codi/plan/2552/mission/1"


@pytest.mark.slow
def test_serve_refuses_a_store_of_another_release(release, tmp_path):
    folder, manifest = release
    path = tmp_path / "other"
    create_store(path, store_files(folder, manifest), "not-this-release")
    import subprocess
    proc = subprocess.run([sys.executable, "-m", "codikg.cli", "serve", "--no-build", "--release", str(folder),
                           "--disk-store", str(path), "--port", "1"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "holds release 'not-this-release'" in proc.stderr


@pytest.mark.slow
def test_synthetic_data_is_marked_and_plan_shaped(tmp_path):
    manifest = write_synthetic(tmp_path / "syn", 2 * triples_per_plan())
    assert manifest["synthetic"] is True and manifest["agencies"] == 2
    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "syn" / "synthetic.nq"), format=ox.RdfFormat.N_QUADS)
    assert manifest["union_triples"] == len(store)
    subjects = {q.subject.value for q in store if isinstance(q.subject, ox.NamedNode)}
    assert all(s.startswith(SYNTHETIC) for s in subjects)  # never the real namespace
    note = ox.Literal("SYNTHETIC", language="en")
    assert list(store.quads_for_pattern(ox.NamedNode(SYNTHETIC), None, note, None))
    trace = store.query(
        "PREFIX cdk: <https://w3id.org/codikg/ontology#> SELECT ?m ?v WHERE { GRAPH ?g1 { "
        f"<{SYNTHETIC}id/agency-2/plan/2566/issue/3/indicator/1.2> cdk:measures ?o }} "
        "GRAPH ?g2 { ?o cdk:supportsMission ?m } GRAPH ?g3 { ?m cdk:makesOperative ?v } }")
    assert len(list(trace)) == 2  # every synthetic objective supports two missions


def test_pages_and_their_cool_uri_redirects_are_replayed(client):
    iri_path = "/id/codi/plan/2552/issue/3/indicator/1.2"
    first = client.get(iri_path, headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].endswith("1.2.ttl")
    replays = client.app.state.query_cache.replays
    again = client.get(iri_path, headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert client.app.state.query_cache.replays == replays + 1
    assert again.status_code == 303 and again.headers["location"] == first.headers["location"]
    page = client.get(iri_path + ".ttl")
    replayed = client.get(iri_path + ".ttl")
    assert page.status_code == replayed.status_code == 200 and replayed.content == page.content
    assert "indicator/1.2" in page.text


@pytest.mark.slow
def test_serve_refuses_a_damaged_store_with_one_clean_error(release, tmp_path):
    folder, manifest = release
    path = tmp_path / "damaged"
    create_store(path, store_files(folder, manifest), manifest["release"])
    (path / "CURRENT").unlink()  # RocksDB's pointer to its manifest
    with pytest.raises(DiskStoreError, match="the store cannot be read"):
        check_store(path, manifest["release"])
    import subprocess
    proc = subprocess.run([sys.executable, "-m", "codikg.cli", "serve", "--no-build", "--release", str(folder),
                           "--disk-store", str(path), "--port", "1"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"error: {path}: the store cannot be read" in " ".join(proc.stderr.split())
    assert "Traceback" not in proc.stderr and "worker" not in proc.stderr


def test_descriptions_are_the_same_bytes_from_memory_and_disk(release, tmp_path):
    from codikg.services.describe import describe, graph_quads

    folder, manifest = release
    path = tmp_path / "store"
    create_store(path, store_files(folder, manifest), manifest["release"])
    memory, disk = EmbeddedStore(store_files(folder, manifest)), EmbeddedStore.open_read_only(path)
    issue = BASE + "id/codi/plan/2552/issue/3"
    assert describe(memory, issue) == describe(disk, issue)  # same quads, same order
    assert len(describe(memory, issue)) > 50
    document = BASE + "graph/codi/2552/document"
    assert graph_quads(memory, document) == graph_quads(disk, document)
    assert len(graph_quads(memory, document)) == manifest["graphs"][document]
