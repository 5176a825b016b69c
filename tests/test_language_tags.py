"""Language tags as they come back from the store: lower-case (``th-latn``), so the
examples compare them with ``langMatches`` (issue 16)."""

from __future__ import annotations

import re

from conftest import PLAN, ROOT

RTGS_COUNT = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT (COUNT(*) AS ?n) WHERE {{ ?s skos:altLabel ?l FILTER ({test}) }}"""


def _select(client, query: str) -> list[dict]:
    r = client.get("/sparql", params={"query": query},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


def test_tags_come_back_lower_case_and_equality_on_th_Latn_finds_nothing(client):
    def count(test):
        return int(_select(client, RTGS_COUNT.format(test=test))[0]["n"]["value"])
    matched = count('langMatches(lang(?l), "th-Latn")')
    assert matched > 100  # one romanised label per Thai label
    assert count('lang(?l) = "th-latn"') == matched
    assert count('lang(?l) = "th-Latn"') == 0  # what the README used to suggest
    assert count('lcase(lang(?l)) = lcase("th-Latn")') == matched


def test_the_mission_labels_example_gives_the_three_labels_of_each_mission(client, plan):
    rows = _select(client, (ROOT / "queries" / "mission-labels.rq").read_text(encoding="utf-8"))
    assert [(r["plan"]["value"], r["notation"]["value"]) for r in rows] == [
        (PLAN, str(n)) for n in (1, 2, 3, 4)]
    assert [r["thai"]["value"] for r in rows] == [m.text.normalized for m in plan.missions]
    assert {(r["thai"]["xml:lang"], r["english"]["xml:lang"], r["rtgs"]["xml:lang"]) for r in rows} == {
        ("th", "en", "th-latn")}
    assert rows[1]["rtgs"]["value"] == ("sanapsanun lae haikan chuailuea thangkanngoen kae ongkon "
                                        "chumchon lae khrueakhai ongkon chumchon")
    assert rows[1]["english"]["value"].startswith("To ")


def test_no_example_compares_a_tag_holding_capitals_by_equality():
    """``lang(?x) = "th-Latn"`` finds nothing: the SPARQL of README's ``sparql`` blocks
    and of queries/ (comments aside) uses langMatches or lower case."""
    equality = re.compile(r"""(?i:lang)\(\?[A-Za-z_]+\)\s*=\s*["'][^"']*[A-Z]""")
    assert equality.search('FILTER(lang(?l) = "th-Latn")') and not equality.search('lang(?l) = "th"')
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sparql\n(.*?)```", readme, re.DOTALL)
    assert any("langMatches" in block for block in blocks)
    texts = blocks + [path.read_text(encoding="utf-8") for path in sorted((ROOT / "queries").glob("*.rq"))]
    for text in texts:
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        assert [line for line in lines if equality.search(line)] == []
