"""Search: expected top hits on the real plan, romanised labels, /search, the CLI,
``cdk:textMatch`` in SPARQL and Thai collation."""

from __future__ import annotations

import json
import re

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import SKOS
from typer.testing import CliRunner

from codikg.cli.main import app
from codikg.ingest.collation import thai_sorted
from codikg.search.analysis import analyze
from codikg.release.layout import INDEX_FILE
from codikg.search.index import SearchIndex, SearchIndexError
from codikg.graph.derived import romanize_rtgs
from codikg.search.matching import NO_MATCH, match, pack_score
from codikg.store import EmbeddedStore

from conftest import BASE
from search_cases import ALL_HITS, CASES, O, P


@pytest.fixture(scope="module")
def index(release):
    folder, _ = release
    return SearchIndex.load(folder / INDEX_FILE)


@pytest.mark.parametrize("what,query,expected", CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_expected_top_hits(index, what, query, expected):
    assert [hit.element.iri for hit in index.search(query, len(expected))] == expected


@pytest.mark.parametrize("query,expected", ALL_HITS, ids=[c[0] for c in ALL_HITS])
def test_all_hits_no_false_ones(index, query, expected):
    assert [hit.element.iri for hit in index.search(query, None)] == expected


def test_sub_strategy_found_by_its_full_number(index):
    assert [hit.element.iri for hit in index.search("6/1.5", 1)] == [P + "/issue/6/strategy/1.5"]


@pytest.mark.parametrize("query", ["บานมนคง", "ongkan chumchon", "สวัสดีการ", "land", "2 ด้าน", "พันธกิจ",
                                   "ประเด็นยุทธศาสตร์ที่ ๓", "ban mankong"])
def test_results_are_sorted_by_their_own_score(index, query):
    scores = [hit.score for hit in index.search(query, None)]
    assert scores and scores == sorted(scores, reverse=True)
    assert [round(s, 4) for s in scores] == sorted((round(s, 4) for s in scores), reverse=True)


def test_no_match_across_a_space_or_inside_a_short_word():
    assert match(analyze("land"), analyze("financial and")) is NO_MATCH
    assert match(analyze("land"), analyze("provincial and national")) is NO_MATCH
    assert match(analyze("นา"), analyze("พัฒนา")) is NO_MATCH
    assert match(analyze("ตา"), analyze("ติดตามและตรวจสอบ")) is NO_MATCH
    assert match(analyze("พอช."), analyze("ศักยภาพองค์กร")) is NO_MATCH
    # Thai spacing is free: the plan's "กำกับดูแล ติดตาม" is still the phrase "กำกับดูแลติดตาม"
    assert match(analyze("กำกับดูแลติดตาม"), analyze("องค์กรที่กำกับดูแล ติดตาม")).tier == 3
    # a whole word outranks the same letters inside a longer word
    whole = match(analyze("ongkan"), analyze("ongkan mahachon"))
    inside = match(analyze("ongkan"), analyze("khrongkan ban mankhong"))
    assert (whole.tier, inside.tier) == (3, 1) and whole.score() > inside.score()


def test_pack_score_orders_like_its_parts():
    assert pack_score(3, (4, 2, 2, 10, 4)) < 4 <= pack_score(4, (0, 0, 0, 0, 0))
    assert pack_score(1, (4, 0, 0, 0, 0)) > pack_score(1, (3, 2, 2, 10, 4))
    assert round(pack_score(2, (4, 2, 1, 10, 4)), 4) < round(pack_score(2, (4, 2, 2, 0, 0)), 4)


def test_consolidated_item_stands_for_its_printings(index):
    hits = index.search("กำกับดูแล", None)
    consolidated = next(h for h in hits if h.element.iri == P + "/consolidated/project/2")
    assert consolidated.element.occurrences == (P + "/issue/3/project/4", P + "/issue/5/project/1")
    assert consolidated.as_json()["occurrences"] == [P + "/issue/3/project/4", P + "/issue/5/project/1"]
    # a printing found better on its own (its notation) is still listed
    assert [h.element.iri for h in index.search("5/1", 3)] == [
        P + "/issue/5/indicator/1", P + "/issue/5/strategy/1", P + "/issue/5/project/1"]


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
    derived = ds.graph(URIRef(BASE + "graph/codi/2552/derived"))
    assert manifest["graphs"][BASE + "graph/codi/2552/derived"] == len(derived) > 0
    thai = {s for name in ("document", "curation") for p in (SKOS.prefLabel, SKOS.altLabel)
            for s, o in ds.graph(URIRef(BASE + f"graph/codi/2552/{name}")).subject_objects(p) if o.language == "th"}
    assert {s for s in derived.subjects()} == thai
    assert {o.language for o in derived.objects()} == {"th-Latn"}
    assert set(derived.predicates()) == {SKOS.altLabel}
    assert derived.value(URIRef(P + "/issue/2/project/5"), SKOS.altLabel) == Literal(
        "sawatdikan chumchon", lang="th-Latn")
    assert derived.value(URIRef(P + "/issue/1/project/1"), SKOS.altLabel) == Literal(
        "khrongkan ban mankhong", lang="th-Latn")
    assert Literal("sathaban phatthana ongkon chumchon (ongkan mahachon)", lang="th-Latn") in set(
        derived.objects(URIRef(BASE + "id/codi"), SKOS.altLabel))
    assert derived.value(URIRef(P + "/period"), SKOS.altLabel) == Literal(
        "pi ngoppraman pho so 2552 – 2554", lang="th-Latn")
    # no hyphens or odd characters from the model inside romanised words
    assert not [lit for lit in derived.objects() if re.search("[a-z]-|-[a-z]|[^ -~–]", lit)]


def test_rtgs_words_abbreviations_and_hyphens():
    assert romanize_rtgs("โครงการบ้านมั่นคง") == "khrongkan ban mankhong"
    assert romanize_rtgs("องค์การมหาชน") == "ongkan mahachon"
    assert romanize_rtgs("พ.ศ. ๒๕๕๒") == "pho so 2552"
    assert romanize_rtgs("พอช.") == "pho o cho"
    assert romanize_rtgs("ปีงบประมาณ") == "pi ngoppraman"


def test_text_match_in_sparql(release):
    folder, _ = release
    store = EmbeddedStore(folder / "codikg.trig")
    rows = list(store.query(f"""PREFIX cdk: <{O}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?item ?score WHERE {{ ?item a cdk:Project ; skos:prefLabel ?label .
          BIND (cdk:textMatch(?label, "บ้านมั้นคง") AS ?score) FILTER (?score > 0) }}
        ORDER BY DESC(?score) ?item"""))
    assert [r["item"].value for r in rows] == [P + "/issue/1/project/1"]
    assert rows[0]["score"].datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    # a phrase found with tone-mark folding: the same number /search gives a label
    label = analyze("โครงการบ้านมั่นคง")
    assert float(rows[0]["score"].value) == round(match(analyze("บ้านมั้นคง"), label).score(), 4)
    assert 3 < float(rows[0]["score"].value) < round(match(analyze("บ้านมั่นคง"), label).score(), 4) < 4
    rows = list(store.query(f'PREFIX cdk: <{O}> SELECT ?s WHERE {{ BIND (cdk:textMatch("financial and", "land") AS ?s) }}'))
    assert float(rows[0]["s"].value) == 0
    rows = list(store.query(f"""PREFIX cdk: <{O}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?item WHERE {{ ?item skos:altLabel ?l FILTER (langMatches(lang(?l), "th-Latn") && cdk:textMatch(?l, "ban mankong")) }}
        ORDER BY DESC(cdk:textMatch(?l, "ban mankong")) ?item"""))
    # the project's "khrongkan ban mankhong" is mostly the query, the indicator's label is long
    assert [r["item"].value for r in rows][:2] == [P + "/issue/1/project/1", P + "/issue/1/indicator/1"]
    wrong = list(store.query(f'PREFIX cdk: <{O}> SELECT ?s WHERE {{ BIND (cdk:textMatch(<{P}>, "x") AS ?s) }}'))
    assert wrong[0]["s"] is None


def test_match_scores_order_tiers():
    text = analyze("โครงการบ้านมั่นคง")
    scores = [match(analyze(q), text).score() for q in
              ("โครงการบ้านมั่นคง", "บ้านมั่นคง", "บ้านมั้นคง", "บ้าน ที่ดิน", "ที่ดิน")]
    assert scores[0] >= 4 > scores[1] > scores[2] >= 3 > 2 > scores[3] >= 1 > scores[4] == 0


def test_search_json_and_negotiation(server):
    r = httpx.get(server + "/search", params={"q": "ban mankong", "limit": "2"},
                  headers={"Accept": "application/json"}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]  # gzip adds Accept-Encoding
    body = r.json()
    assert [h["iri"] for h in body["results"]] == [P + "/issue/1/project/1", P + "/issue/1/indicator/1"]
    assert body["results"][0]["href"] == "/id/codi/plan/2552/issue/1/project/1"
    # the curated English label "Baan Mankong programme" is the best field (folded baan → ban)
    assert body["results"][0]["fieldLang"] == "en" and (body["count"], body["total"]) == (2, 10)
    assert [r["score"] for r in body["results"]] == sorted((r["score"] for r in body["results"]), reverse=True)
    # per kind over all 10 matches, in Thai dictionary order (โครงการ files under ค), not code points
    assert [(g["label"].get("th"), g["count"]) for g in body["groups"]] == [
        (None, 1), ("กลยุทธ์", 1), ("โครงการ", 2), ("ตัวชี้วัดตามคำรับรองการปฏิบัติงาน", 2), ("ประเด็นยุทธศาสตร์", 1),
        ("พันธกิจ", 1), ("วัตถุประสงค์เชิงกลยุทธ์", 1), ("หน่วยงานภาครัฐ", 1)]
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
    assert r.status_code == 400 and r.headers["content-type"] == "application/json"
    assert r.json()["error"]["status"] == 400 and "parameter limit" in r.json()["error"]["message"]
    assert get({"q": "x", "limit": "many"}).json()["error"]["status"] == 400
    r = get({"q": "ก" * 201})
    assert r.status_code == 400 and "parameter q is 201 characters" in r.json()["error"]["message"]
    r = get({})
    assert r.status_code == 400 and r.json() == {"error": {
        "status": 400, "message": "parameter q (the text to search for) is required"}}
    r = get({"q": "x", "limit": "0"}, accept="text/html")  # people get text
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    r = get({"q": "x"}, accept="image/png")
    assert r.status_code == 406 and "application/json" in r.text


def test_search_json_lists_occurrences_of_a_consolidated_item(server):
    r = httpx.get(server + "/search", params={"q": "กำกับดูแล", "format": "json"}, timeout=10)
    body = r.json()
    assert [h["iri"] for h in body["results"]] == [
        P + "/issue/6/strategy/1.5", P + "/consolidated/project/2", P + "/issue/5/indicator/1",
        P + "/issue/6/indicator/3"]
    assert body["results"][1]["occurrences"] == [
        {"iri": P + "/issue/3/project/4", "href": "/id/codi/plan/2552/issue/3/project/4"},
        {"iri": P + "/issue/5/project/1", "href": "/id/codi/plan/2552/issue/5/project/1"}]
    html = httpx.get(server + "/search", params={"q": "กำกับดูแล"}, headers={"Accept": "text/html"}, timeout=10)
    assert '<a href="/id/codi/plan/2552/issue/3/project/4"><code>issue/3/project/4</code></a>' in html.text


def test_cli_search(release):
    folder, _ = release
    runner = CliRunner()
    result = runner.invoke(app, ["search", "สวัสดิ", "--release", str(folder), "-n", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert [h["iri"] for h in hits] == [P + "/issue/2/project/5"]
    result = runner.invoke(app, ["search", "ban mankong", "--release", str(folder), "-n", "2"],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0 and "2 of 10 hits" in result.output
    header, *lines = result.stdout.splitlines()  # not a terminal: TSV
    assert header == "#\tplan\telement\tlabel\tmatch\tscore"
    rows = [(line.split("\t")[1], line.split("\t")[2].split("\\n")[0]) for line in lines]
    assert rows == [("codi/2552", "issue/1/project/1"), ("codi/2552", "issue/1/indicator/1")]
    result = runner.invoke(app, ["search", " ", "--release", str(folder)])
    assert result.exit_code == 2 and "is empty" in result.output
    for plan in ("nosuch/1", "bad"):  # a plan the release lacks: one error line listing the plans
        result = runner.invoke(app, ["search", "ban mankong", "--release", str(folder), "--plan", plan])
        assert result.exit_code == 1
        assert result.stderr == f"error: plan {plan!r}: the release has no such plan (AGENCY/FISCAL_YEAR); plans: codi/2552\n"


def test_thai_collation_not_code_points():
    words = ["เกษตร", "ขนม", "กา", "ไก่", "คน"]
    assert thai_sorted(words) == ["กา", "เกษตร", "ไก่", "ขนม", "คน"]
    assert sorted(words)[0] == "กา" and sorted(words)[-1] == "ไก่"  # code points put ไ last
