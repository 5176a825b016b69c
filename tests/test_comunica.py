"""Comunica (the JS linked-data query engine, from the npm registry) reads what the server serves.

Installs ``tests/comunica/package.json`` with npm into ``.cache/comunica`` (gitignored;
``.ci/run`` does it beforehand) when it is missing there. Skips, saying why, only when
``node`` is not on PATH; a failed install fails. ``tests/comunica/query.cjs`` maps the base
IRI onto the test server with Comunica's ``fetch`` option and refuses every other URL, so
link traversal never leaves the loopback server.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import BASE, PLAN, ROOT

NODE, NPM = shutil.which("node"), shutil.which("npm")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(NODE is None, reason="no node on PATH (apt-get install nodejs npm; "
                                                      ".ci/run does this)")]
PACKAGE = ROOT / "tests" / "comunica" / "package.json"
CACHE = ROOT / ".cache" / "comunica"
SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nPREFIX cdk: <https://w3id.org/codikg/ontology#>\n"


def _installed() -> bool:
    wanted = json.loads(PACKAGE.read_text(encoding="utf-8"))["dependencies"]
    for name, version in wanted.items():
        found = CACHE / "node_modules" / name / "package.json"
        if not found.exists() or json.loads(found.read_text(encoding="utf-8"))["version"] != version:
            return False
    return True


@pytest.fixture(scope="module")
def comunica():
    """The folder holding Comunica's node_modules (installed by npm on first use)."""
    if not _installed():
        assert NPM is not None, "node is on PATH but npm is not"
        CACHE.mkdir(parents=True, exist_ok=True)
        shutil.copy(PACKAGE, CACHE / "package.json")
        done = subprocess.run([NPM, "install", "--no-audit", "--no-fund", "--loglevel=error"],
                              cwd=CACHE, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
    shutil.copy(ROOT / "tests" / "comunica" / "query.cjs", CACHE / "query.cjs")
    return CACHE


def run(comunica, server, engine: str, sources: list[str], query: str) -> dict:
    args = {"engine": engine, "sources": sources, "query": query, "map": [BASE, server + "/"]}
    done = subprocess.run([NODE, "query.cjs", json.dumps(args)], cwd=comunica,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _thai_missions(plan) -> dict[str, str]:
    return {f"{PLAN}/mission/{m.notation}": m.text.normalized for m in plan.missions}


def test_a_mission_iri_as_a_plain_source_gives_its_labels(comunica, server, plan):
    mission = f"{PLAN}/mission/2"
    answer = run(comunica, server, "plain", [server + "/id/codi/plan/2552/mission/2"],
                 SKOS + f"SELECT ?label WHERE {{ <{mission}> skos:prefLabel ?label }}")
    thai = [b["label"]["value"] for b in answer["bindings"] if b["label"]["language"] == "th"]
    assert thai == [_thai_missions(plan)[mission]]
    assert thai == ["สนับสนุนและให้การช่วยเหลือทางการเงินแก่องค์กรชุมชนและเครือข่ายองค์กรชุมชน"]
    assert [b["label"]["language"] for b in answer["bindings"]].count("en") == 1
    assert answer["fetched"] == [server + "/id/codi/plan/2552/mission/2"]


def test_link_traversal_from_the_plan_finds_the_four_missions(comunica, server, plan):
    query = SKOS + (f"SELECT DISTINCT ?mission ?label WHERE {{ <{PLAN}> cdk:hasMission ?mission . "
                    "?mission skos:prefLabel ?label FILTER (lang(?label) = 'th') }")
    answer = run(comunica, server, "traversal", [PLAN], query)
    found = {b["mission"]["value"]: b["label"]["value"] for b in answer["bindings"]}
    assert found == _thai_missions(plan)
    assert len(found) == 4
    assert all(url.startswith(server + "/") for url in answer["fetched"])


def test_the_union_dump_as_a_source_gives_the_four_missions(comunica, server, plan):
    """The dumps' default-graph view is codikg.ttl (and .nt): the union of the graphs."""
    query = SKOS + (f"SELECT ?mission ?label WHERE {{ <{PLAN}> cdk:hasMission ?mission . "
                    "?mission skos:prefLabel ?label FILTER (lang(?label) = 'th') }")
    answer = run(comunica, server, "plain", [server + "/dumps/latest/codikg.ttl"], query)
    assert {b["mission"]["value"]: b["label"]["value"] for b in answer["bindings"]} == _thai_missions(plan)
