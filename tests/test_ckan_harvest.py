"""CKAN harvest: ckanext-dcat's own RDF parser and CKAN's package validators on the
release's catalog, in a virtual environment of their own (CKAN's pins clash with
ours), made into ``.cache/ckan-venv`` from tests/ckan/requirements.txt when missing
(~80 s; reused while the requirements are unchanged)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from codikg.config.catalog import load_catalog_settings
from codikg.graph.catalog import CatalogIRIs, catalog_graph
from codikg.graph.curated import latest_curation_date, plan_period
from codikg.graph.iris import PlanIRIs
from conftest import BASE, CODI_FOLDER, CODI_PLAN, PLAN, ROOT

pytestmark = pytest.mark.slow

HERE = ROOT / "tests" / "ckan"
VENV = ROOT / ".cache" / "ckan-venv"
FORMATS = [["JSON-LD", "application/ld+json"], ["N-Quads", "application/n-quads"],
           ["N-Triples", "application/n-triples"],
           ["SPARQL query", "application/sparql-results+json"], ["TriG", "application/trig"],
           ["Turtle", "text/turtle"], ["XML", "application/xml"]]  # the last: the plan as StratML
#: dcat:keyword of data/catalog.toml under tag_rule "ckan": Thai ones CKAN refuses, romanised.
STOCK_TAGS = ["CODI", "community organizations", "khomun chueamyong", "linked data",
              "ongkon chumchon", "performance indicators", "phaen yutthasat", "strategic plan",
              "tuachiwat", "พอช."]


@pytest.fixture(scope="module")
def ckan_python() -> Path:
    """The CKAN venv's python, (re)made when tests/ckan/requirements.txt changed."""
    requirements = HERE / "requirements.txt"
    stamp, digest = VENV / "requirements.sha256", hashlib.sha256(requirements.read_bytes()).hexdigest()
    python = VENV / "bin" / "python"
    if not (python.exists() and stamp.exists() and stamp.read_text() == digest):
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(requirements)], check=True)
        stamp.write_text(digest)
    return python


def harvest(python: Path, *files: str) -> list[dict]:
    done = subprocess.run([str(python), str(HERE / "harvest.py"), *files], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_ckanext_dcat_imports_the_release_catalog(ckan_python, release, server, tmp_path):
    folder, _ = release
    # What ckanext-dcat's harvester fetches: requests' default Accept (*/*) on /catalog.
    served = httpx.get(server + "/catalog", timeout=30)
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/turtle")
    (tmp_path / "catalog.ttl").write_bytes(served.content)
    results = harvest(ckan_python, f"{folder / 'catalog.trig'}=trig", f"{tmp_path / 'catalog.ttl'}=turtle")
    assert len(results) == 2
    for dataset in results:
        assert dataset["errors"] == {}, dataset["file"]  # every tag and field passes CKAN's validators
        assert dataset["license_id"] == "cc-by"
        assert dataset["extras"]["issued"] == dataset["extras"]["modified"] == "2026-11-30"
        assert "contact_email" not in dataset["extras"]  # catalog.toml states none: none invented
        assert dataset["extras"]["contact_url"] == "https://www.codi.or.th/"
        assert dataset["formats"] == FORMATS
        assert dataset["tags"] == STOCK_TAGS


def test_configured_email_and_thai_tags_for_data_go_th(ckan_python, release, tmp_path):
    """With an e-mail and tag_rule "data.go.th", CKAN gets the e-mail, and stock CKAN's
    validator refuses the Thai tags (data.go.th's accepts them: tests/test_catalog.py)."""
    _, manifest = release
    settings = load_catalog_settings(ROOT / "data", CODI_PLAN)
    settings = dataclasses.replace(settings, contact={**settings.contact, "email": "kg@example.org"},
                                   dataset={**settings.dataset, "tag_rule": "data.go.th"})
    curation = Graph().parse(CODI_FOLDER / "curation" / "plan-metadata.ttl", format="turtle")
    graph = catalog_graph(settings, CatalogIRIs(BASE, PlanIRIs(BASE, "codi", 2552)), manifest["release"],
                          manifest["dumps"], plan_period(curation, URIRef(PLAN)),
                          latest_curation_date(curation))
    graph.serialize(tmp_path / "catalog.ttl", format="turtle")
    [dataset] = harvest(ckan_python, f"{tmp_path / 'catalog.ttl'}=turtle")
    assert dataset["extras"]["contact_email"] == "kg@example.org"
    assert "แผนยุทธศาสตร์" in dataset["tags"] and "phaen yutthasat" not in dataset["tags"]
    refused = [e for e in dataset["errors"]["tags"] if e]
    assert len(refused) == 4 and all("can only contain alphanumeric" in e["name"][0] for e in refused)
