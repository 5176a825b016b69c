"""Dumps: five RDF formats plus gzip twins, checksums in the manifest, /dumps/ over HTTP."""

from __future__ import annotations

import gzip
import hashlib
import json

import httpx
import pyoxigraph as ox
import pytest

from codikg.graph.dumps import DUMP_FORMATS

from conftest import BASE

_OX = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD,
       "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


def test_every_dump_and_twin_is_listed_with_size_and_sha256(release):
    folder, manifest = release
    names = {f"codikg.{k}" for k in ("trig", "nq", "jsonld", "ttl", "nt")} | {
        "plan-codi-2552.trig", "plan-codi-2552.ttl"}  # the plan's own graphs
    # and the plan as StratML (tests/test_stratml.py)
    assert set(manifest["dumps"]) == names | {f"{n}.gz" for n in names} | {"stratml-codi-2552.xml"}
    assert {n for n, e in manifest["dumps"].items() if e.get("plan") == "codi/2552"} == {
        "plan-codi-2552.trig", "plan-codi-2552.ttl", "plan-codi-2552.trig.gz", "plan-codi-2552.ttl.gz",
        "stratml-codi-2552.xml"}
    for name, entry in manifest["dumps"].items():
        data = (folder / name).read_bytes()
        assert entry["bytes"] == len(data) == manifest["files"][name]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        if name.endswith(".gz"):
            assert entry["media_type"] == "application/gzip" and entry["gzip"]
            assert gzip.decompress(data) == (folder / name[:-3]).read_bytes()


def test_dumps_parse_with_oxigraph_and_agree(release):
    """Each file parsed by an independent parser (pyoxigraph) holds the same data;
    the catalog graph is not inside the dumps it describes."""
    folder, manifest = release
    expected_quads = sum(manifest["graphs"].values())
    quad_sets = []
    for fmt in DUMP_FORMATS:
        quads = list(ox.parse(path=str(folder / fmt.filename), format=_OX[fmt.key]))
        graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        assert BASE + "graph/catalog" not in graphs
        if fmt.quads:
            assert len(set(quads)) == expected_quads and graphs == set(manifest["graphs"]), fmt.key
            quad_sets.append({(q.subject, q.predicate, q.object, q.graph_name) for q in quads})
        else:
            assert len({q.triple for q in quads}) == manifest["union_triples"], fmt.key
    assert quad_sets[0] == quad_sets[1] == quad_sets[2]


def test_json_ld_dump_names_no_remote_context(release):
    folder, _ = release
    doc = json.loads((folder / "codikg.jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc["@context"], dict)
    assert all(v.startswith("http") and k.isalnum() for k, v in doc["@context"].items())


@pytest.mark.slow
def test_rebuild_gives_byte_identical_release(release, rebuilt):
    """Every release file (dumps, catalog, manifest, ontology.html, search index)
    is the same bytes when the same inputs are built by another process with
    another hash seed (set and dict order follow the seed): conftest's ``rebuilt``."""
    folder, _ = release
    again, _, _ = rebuilt
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    assert {"ontology.html", "search-index.json", "manifest.json", "catalog.trig"} <= set(names)
    differ = [n for n in names if (folder / n).read_bytes() != (again / n).read_bytes()]
    assert differ == []


def test_per_release_and_latest_urls(server, release):
    folder, manifest = release
    rid = manifest["release"]
    plain = {"Accept-Encoding": "identity"}
    r = httpx.get(f"{server}/dumps/{rid}/codikg.ttl", headers=plain, timeout=10)
    assert r.status_code == 200 and r.content == (folder / "codikg.ttl").read_bytes()
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    assert r.headers["etag"] == f'"{manifest["dumps"]["codikg.ttl"]["sha256"]}"'
    assert "immutable" in r.headers["cache-control"]
    assert "content-encoding" not in r.headers
    r = httpx.get(f"{server}/dumps/latest/codikg.nq", headers=plain, timeout=10)
    assert r.headers["content-type"] == "application/n-quads; charset=utf-8"
    assert r.headers["content-location"] == f"/dumps/{rid}/codikg.nq"
    assert r.headers["cache-control"] == "no-cache"
    r = httpx.get(f"{server}/dumps/latest/codikg.nq",
                  headers={**plain, "If-None-Match": r.headers["etag"]}, timeout=10)
    assert r.status_code == 304 and r.content == b""
    r = httpx.head(f"{server}/dumps/{rid}/codikg.jsonld", headers=plain, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json; charset=utf-8"
    assert int(r.headers["content-length"]) == manifest["dumps"]["codikg.jsonld"]["bytes"]
    r = httpx.get(f"{server}/dumps/0000000000000000/codikg.nt", timeout=10)
    assert r.status_code == 404 and rid in r.text
    assert httpx.get(f"{server}/dumps/latest/manifest.json", timeout=10).status_code == 404


def test_gzip_files_and_gzip_encoding(server, release):
    folder, manifest = release
    r = httpx.get(f"{server}/dumps/latest/codikg.trig.gz", headers={"Accept-Encoding": "gzip"},
                  timeout=10)
    # The .gz file is a download: no Content-Encoding, so the client keeps it compressed.
    assert r.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in r.headers
    assert r.headers["content-disposition"] == 'attachment; filename="codikg.trig.gz"'
    assert r.content == (folder / "codikg.trig.gz").read_bytes()
    with httpx.stream("GET", f"{server}/dumps/latest/codikg.trig",
                      headers={"Accept-Encoding": "gzip"}, timeout=10) as r:
        raw = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == "gzip"
        assert r.headers["content-type"] == "application/trig; charset=utf-8"
        assert r.headers["etag"] == f'"{manifest["dumps"]["codikg.trig.gz"]["sha256"]}"'
        assert "Accept-Encoding" in r.headers["vary"]
    assert gzip.decompress(raw) == (folder / "codikg.trig").read_bytes()


def test_dump_index(server, release):
    _, manifest = release
    r = httpx.get(f"{server}/dumps/", headers={"Accept": "application/json"}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    listed = {d["file"]: d for d in r.json()["dumps"]}
    assert set(listed) == set(manifest["dumps"])
    assert listed["codikg.nt.gz"]["url"] == f"/dumps/{manifest['release']}/codikg.nt.gz"
    r = httpx.get(f"{server}/dumps/", headers={"Accept": "text/html,*/*;q=0.8"}, timeout=10)
    assert r.headers["content-type"].startswith("text/html")
    assert manifest["dumps"]["codikg.nq"]["sha256"] in r.text
