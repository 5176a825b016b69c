"""Search: expected top hits on the real plan, romanised labels, /search, the CLI,
``cdk:textMatch`` in SPARQL and Thai collation."""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import SKOS
from typer.testing import CliRunner

from codikg.cli import app
from codikg.collation import thai_sorted
from codikg.search.analysis import analyze
from codikg.search.index import INDEX_FILE, SearchIndex, SearchIndexError
from codikg.search.matching import match
from codikg.store import EmbeddedStore

from conftest import BASE
from search_cases import CASES, O, P


@pytest.fixture(scope="module")
def index(release):
    folder, _ = release
    return SearchIndex.load(folder / INDEX_FILE)


@pytest.mark.parametrize("what,query,expected", CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_expected_top_hits(index, what, query, expected):
    assert [hit.element.iri for hit in index.search(query, len(expected))] == expected


def test_ranking_tiers_and_fields(index):
    hits = index.search("โครงการบ้านมั่นคง", None)
    assert [(h.match.tier, h.field.name, h.match.exact) for h in hits[:2]] == [(4, "label", True),
                                                                             (3, "label", True)]
    assert all(a.match.tier >= b.match.tier for a, b in zip(hits, hits[1:]))
    typo = index.search("บ้านมั้นคง", 1)[0]
    assert (typo.match.tier, typo.match.exact) == (3, False)
    # equal matches keep plan order: issue 1's three land projects print in this order
    land = [h.element.iri for h in index.search("ที่ดินทำกิน", None) if "/project/" in h.element.iri]
    assert land == [P + "/issue/1/project/2", P + "/issue/1/project/3"]


def test_highlights_point_at_the_matched_text(index):
    hit = index.search("บ้านมั้นคง", 1)[0]
    assert [hit.field.text.text[s:e] for s, e in hit.match.spans] == ["บ้านมั่นคง"]
    hit = index.search("๒ ด้าน", 1)[0]
    assert [hit.field.text.text[s:e] for s, e in hit.match.spans] == ["๒ ด้าน"]


def test_no_hit_and_empty_query(index):
    assert index.search("xyzzy", 5) == []
    assert index.search("  ", 5) == [] and index.search("...", 5) == []


def test_unknown_index_format_is_refused(tmp_path):
    with pytest.raises(SearchIndexError, match="format None"):
        SearchIndex({"elements": []})
    with pytest.raises(SearchIndexError, match=r"no search index"):
        SearchIndex.load(tmp_path / INDEX_FILE)


def test_every_thai_label_has_one_rtgs_label_in_derived_graph(release):
    folder, manifest = release
    ds = Dataset()
    ds.parse(folder / "codikg.trig", format="trig")
    derived = ds.graph(URIRef(BASE + "graph/derived"))
    assert manifest["graphs"][BASE + "graph/derived"] == len(derived) > 0
    thai = {s for name in ("document", "curation") for p in (SKOS.prefLabel, SKOS.altLabel)
            for s, o in ds.graph(URIRef(BASE + f"graph/{name}")).subject_objects(p) if o.language == "th"}
    assert {s for s in derived.subjects()} == thai
    assert {o.language for o in derived.objects()} == {"th-Latn"}
    assert set(derived.predicates()) == {SKOS.altLabel}
    assert derived.value(URIRef(P + "/issue/2/project/5"), SKOS.altLabel) == Literal(
        "sawatdikan chumchon", lang="th-Latn")
    roman = str(derived.value(URIRef(P + "/issue/1/project/1"), SKOS.altLabel))
    assert roman.isascii() and "mankhong" in roman


def test_text_match_in_sparql(release):
    folder, _ = release
    store = EmbeddedStore(folder / "codikg.trig")
    rows = list(store.query(f"""PREFIX cdk: <{O}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?item ?score WHERE {{ ?item a cdk:Project ; skos:prefLabel ?label .
          BIND (cdk:textMatch(?label, "บ้านมั้นคง") AS ?score) FILTER (?score > 0) }}
        ORDER BY DESC(?score) ?item"""))
    assert [r["item"].value for r in rows] == [P + "/issue/1/project/1"]
    assert rows[0]["score"].datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    assert 3 <= float(rows[0]["score"].value) < 3.5  # a phrase, found with tone-mark folding
    rows = list(store.query(f"""PREFIX cdk: <{O}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?item WHERE {{ ?item skos:altLabel ?l FILTER (langMatches(lang(?l), "th-Latn") && cdk:textMatch(?l, "ban mankong")) }}
        ORDER BY DESC(cdk:textMatch(?l, "ban mankong")) ?item"""))
    assert [r["item"].value for r in rows][:2] == [P + "/issue/1/indicator/1", P + "/issue/1/project/1"]
    wrong = list(store.query(f'PREFIX cdk: <{O}> SELECT ?s WHERE {{ BIND (cdk:textMatch(<{P}>, "x") AS ?s) }}'))
    assert wrong[0]["s"] is None


def test_match_scores_order_tiers():
    text = analyze("โครงการบ้านมั่นคง")
    scores = [match(analyze(q), text).score for q in
              ("โครงการบ้านมั่นคง", "บ้านมั่นคง", "บ้านมั้นคง", "บ้าน ที่ดิน", "ที่ดิน")]
    assert scores[0] >= 4 > scores[1] >= 3.5 > scores[2] >= 3 > 2 > scores[3] >= 1 > scores[4] == 0


def test_search_json_and_negotiation(server):
    r = httpx.get(server + "/search", params={"q": "ban mankong", "limit": "2"},
                  headers={"Accept": "application/json"}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]  # gzip adds Accept-Encoding
    body = r.json()
    assert [h["iri"] for h in body["results"]] == [P + "/issue/1/project/1", P + "/issue/1/indicator/1"]
    assert body["results"][0]["href"] == "/id/codi/plan/2552/issue/1/project/1"
    # the curated English label "Baan Mankong programme" is the best field (folded baan → ban)
    assert body["results"][0]["fieldLang"] == "en" and body["count"] == 2
    # Thai dictionary order (โครงการ files under ค), not code points (ต U+0E15 < โ U+0E42)
    assert [(g["label"]["th"], g["count"]) for g in body["groups"]] == [
        ("โครงการ", 1), ("ตัวชี้วัดตามคำรับรองการปฏิบัติงาน", 1)]
    same = httpx.get(server + "/search", params={"q": "ban mankong", "limit": "2", "format": "json"}, timeout=10)
    assert same.json() == body


def test_search_html_highlights_and_search_box(server):
    r = httpx.get(server + "/search", params={"q": "บ้านมั้นคง"}, headers={"Accept": "text/html"}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<mark>บ้านมั่นคง</mark>" in r.text
    assert 'href="/id/codi/plan/2552/issue/1/project/1"' in r.text
    for path in ("/", "/sparql", "/search"):
        page = httpx.get(server + path, headers={"Accept": "text/html"}, timeout=10).text
        assert 'action="/search"' in page and 'name="q"' in page, path


def test_search_errors(server):
    def get(params, accept="application/json"):
        return httpx.get(server + "/search", params=params, headers={"Accept": accept}, timeout=10)
    r = get({"q": "x", "limit": "0"})
    assert r.status_code == 400 and "parameter limit" in r.text
    assert get({"q": "x", "limit": "many"}).status_code == 400
    r = get({"q": "ก" * 201})
    assert r.status_code == 400 and "parameter q is 201 characters" in r.text
    r = get({})
    assert r.status_code == 400 and "parameter q" in r.text
    r = get({"q": "x"}, accept="image/png")
    assert r.status_code == 406 and "application/json" in r.text


def test_cli_search(release):
    folder, _ = release
    runner = CliRunner()
    result = runner.invoke(app, ["search", "สวัสดิ", "--release", str(folder), "-n", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert [h["iri"] for h in hits] == [P + "/issue/2/project/5"]
    result = runner.invoke(app, ["search", "ban mankong", "--release", str(folder), "-n", "2"],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0 and P + "/issue/1/project/1" in result.output and "2 hits" in result.output


def test_thai_collation_not_code_points():
    words = ["เกษตร", "ขนม", "กา", "ไก่", "คน"]
    assert thai_sorted(words) == ["กา", "เกษตร", "ไก่", "ขนม", "คน"]
    assert sorted(words)[0] == "กา" and sorted(words)[-1] == "ไก่"  # code points put ไ last
