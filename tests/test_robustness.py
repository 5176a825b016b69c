"""Regressions from a new user's attempts to break the walking skeleton."""

from __future__ import annotations

import json
import shutil
import sys

import httpx
import pytest
from typer.testing import CliRunner

from codikg.release.pipeline import BuildError, build_release
from codikg.cli.main import app
from codikg.config.settings import Settings

from conftest import BASE, ROOT, SOURCE, first_build, serve

runner = CliRunner()
DEEP = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000


def _home(tmp_path) -> Settings:
    home = tmp_path / "home"
    for part in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / part, home / part)
    return Settings(BASE, home)


@pytest.mark.slow
def test_build_refuses_to_replace_a_folder_that_is_not_a_release(tmp_path, settings):
    victim = tmp_path / "victim"
    (victim / "sub").mkdir(parents=True)
    (victim / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(BuildError, match="not empty and not a codikg release"):
        build_release(settings, victim)
    assert (victim / "thesis.docx").read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in victim.iterdir()) == ["sub", "thesis.docx"]
    assert [p.name for p in tmp_path.iterdir()] == ["victim"]  # no temporary folder left behind
    result = runner.invoke(app, ["build", "--out", str(victim)])
    assert result.exit_code == 1 and "refusing to replace it" in result.output


def test_release_folder_is_readable_by_others(release):
    folder, _ = release
    assert folder.stat().st_mode & 0o755 == 0o755


def test_query_uses_the_release_as_it_is_and_never_writes(tmp_path, release):
    folder, _ = release
    stale = tmp_path / "stale"
    shutil.copytree(folder, stale)
    manifest = json.loads((stale / "manifest.json").read_text())
    manifest["fingerprint"] = "0" * 64
    (stale / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = {p.name: p.stat().st_mtime_ns for p in stale.iterdir()}
    result = runner.invoke(app, ["query", "ASK { ?s a <https://w3id.org/codikg/ontology#Vision> }",
                                 "--release", str(stale)])
    assert result.exit_code == 0, result.output
    assert "true" in result.output and "not built from the current inputs" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in stale.iterdir()} == before
    result = runner.invoke(app, ["query", "ASK {}", "--release", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "no release here; run 'codikg build' first" in result.output
    assert not (tmp_path / "nothing").exists()


def test_cli_query_refuses_service_and_deep_nesting(release):
    folder, _ = release
    result = runner.invoke(app, ["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
                                 "--release", str(folder)])
    assert result.exit_code == 1 and "SERVICE" in result.output
    result = runner.invoke(app, ["query", DEEP, "--release", str(folder)])
    assert result.exit_code == 1 and "more than 200 levels deep" in result.output


def test_endpoint_refuses_deep_nesting_and_stays_up(server):
    r = httpx.post(server + "/sparql", content=DEEP.encode(),
                   headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert r.status_code == 400 and "more than 200 levels deep" in r.text
    assert httpx.get(server + "/sparql", params={"query": "ASK {}"}, timeout=10).json()["boolean"] is True


def test_query_file_errors_are_named(tmp_path, release):
    folder, _ = release
    missing = tmp_path / "missing.rq"
    result = runner.invoke(app, ["query", str(missing), "--release", str(folder)])
    assert result.exit_code == 1 and f"{missing}: no such query file" in result.output.replace("\n", "")
    latin = tmp_path / "latin.rq"
    latin.write_bytes("# é\nASK {}".encode("latin-1"))
    result = runner.invoke(app, ["query", str(latin), "--release", str(folder)])
    assert result.exit_code == 1 and "not UTF-8 text" in result.output
    bom = tmp_path / "bom.rq"
    bom.write_bytes("\ufeffASK {}".encode("utf-8"))
    result = runner.invoke(app, ["query", str(bom), "--release", str(folder), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["boolean"] is True
    assert result.output.endswith("\n")


@pytest.mark.slow
def test_serve_keeps_the_previous_release_when_the_build_fails(tmp_path, release):
    settings = _home(tmp_path)
    manifest = first_build(settings, settings.release_dir, release)
    source = settings.data_dir / "plans" / "codi" / "2552" / "source" / SOURCE.name
    source.write_text(source.read_text(encoding="utf-8").replace("๒) ความสำเร็จ", "ความสำเร็จ"),
                      encoding="utf-8")
    with serve(settings.release_dir, env={"CODIKG_HOME": str(settings.home)}) as url:
        page = httpx.get(url + "/", timeout=10)
        assert page.status_code == 200 and manifest["release"] in page.text
    assert json.loads((settings.release_dir / "manifest.json").read_text())["release"] == manifest["release"]


@pytest.mark.slow
def test_curated_links_follow_another_base_iri(tmp_path):
    base = "https://example.org/kg/"
    settings = Settings(base, _home(tmp_path).home)
    build_release(settings, tmp_path / "release")
    from rdflib import Dataset, URIRef

    ds = Dataset()
    ds.parse(tmp_path / "release" / "codikg.trig", format="trig")
    supports = URIRef("https://w3id.org/codikg/ontology#supportsMission")
    links = [(s, o) for s, _, o, _ in ds.quads((None, supports, None, None))]
    assert len(links) == 13
    labels = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    for objective, mission in links:
        assert str(objective).startswith(base + "id/codi/plan/2552/objective/")
        assert list(ds.quads((objective, labels, None, None))) and list(ds.quads((mission, labels, None, None)))
    assert not [q for q in ds.quads((None, None, None, None)) if "w3id.org/codikg/id/" in str(q[0])]


def test_bad_base_iri_is_a_clean_error():
    result = runner.invoke(app, ["build", "--out", "/nonexistent/x"], env={"CODIKG_BASE_IRI": "example.org/kg"})
    assert result.exit_code == 1
    assert "CODIKG_BASE_IRI must be an http(s) IRI ending in '/'" in result.output


def test_cors_preflight_and_head_everywhere(server):
    r = httpx.options(server + "/sparql", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=10)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "content-type" in r.headers["access-control-allow-headers"].lower()
    r = httpx.post(server + "/sparql", content=b"ASK {}", timeout=10, headers={
        "Content-Type": "application/sparql-query", "Origin": "https://yasgui.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    bad = httpx.get(server + "/sparql", params={"query": "ASK {"}, headers={"Origin": "https://x.example"},
                    timeout=10)
    assert bad.status_code == 400 and bad.headers["access-control-allow-origin"] == "*"
    for path in ("/", "/search?q=housing", "/prefixes", "/trace", "/report"):
        get, head = httpx.get(server + path, timeout=10), httpx.head(server + path, timeout=10)
        assert get.status_code == head.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"], path


@pytest.mark.slow
def test_a_rebuild_never_changes_what_a_running_server_serves(tmp_path, release):
    settings = _home(tmp_path)
    first = first_build(settings, settings.release_dir, release)
    with serve(settings.release_dir, "--no-build", env={"CODIKG_HOME": str(settings.home)}) as url:
        name = "codikg.nq"
        old = httpx.get(f"{url}/dumps/{first['release']}/{name}", timeout=10)
        assert old.status_code == 200
        labels = settings.data_dir / "plans" / "codi" / "2552" / "curation" / "extra.ttl"
        labels.write_text('<https://w3id.org/codikg/id/codi/plan/2552/vision> '
                          '<http://www.w3.org/2000/01/rdf-schema#comment> "rebuilt" .\n', encoding="utf-8")
        second = build_release(settings, settings.release_dir)
        assert second["release"] != first["release"]
        again = httpx.get(f"{url}/dumps/{first['release']}/{name}", timeout=10)
        assert again.status_code == 200 and again.content == old.content
        assert again.headers["etag"] == old.headers["etag"]
    assert not list(tmp_path.joinpath("home").glob(".release-serving-*"))


@pytest.mark.parametrize("path", ["/id/%ff", "/id/%00", "/id/%7F", "/id/%C3%28", "/id/%EF%BF%BD"])
def test_undecodable_or_invalid_iris_are_404_not_500(server, path):
    r = httpx.get(server + path, headers={"Accept": "text/turtle"}, timeout=10)
    assert r.status_code == 404


@pytest.mark.slow
def test_serve_on_a_port_in_use_fails_before_starting_anything(release):
    import socket
    import subprocess

    folder, _ = release
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "codikg.cli", "serve", "--no-build", "--release", str(folder),
                               "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"error: cannot listen on 127.0.0.1:{port}: Address already in use" in proc.stderr
    assert "serving release" not in proc.stdout
