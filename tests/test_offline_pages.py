"""Pages that work offline and read as one language's site (issue 16), in-process."""

from __future__ import annotations

import re


def test_api_page_names_only_this_server(client):
    r = client.get("/api")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assets = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert sorted(assets) == ["/api/assets/favicon-32x32.png", "/api/assets/swagger-ui-bundle.js",
                              "/api/assets/swagger-ui.css"]
    js = client.get("/api/assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert b"SwaggerUIBundle" in js.content
    assert client.get("/openapi.json").json()["info"]["title"] == "codikg"


def test_ontology_page_in_the_site_layout_with_headings_separated(client):
    r = client.get("/ontology", headers={"Accept": "text/html", "Accept-Language": "th"})
    assert r.status_code == 200 and '<header class="site">' in r.text and '<html lang="th">' in r.text
    assert "<h3>fiscal year · ปีงบประมาณ" in r.text and "fiscal yearปีงบประมาณ" not in r.text
    assert "<style>" not in r.text and '<div id="toc">' in r.text  # pyLODE's body, the site's styles
    assert "ดาวน์โหลดเป็น" in r.text  # the page's own text follows the language
    r = client.get("/ontology", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert '<html lang="en">' in r.text and "Download as" in r.text


def test_every_font_stack_ends_in_the_bundled_thai_face(client):
    css = client.get("/static/codikg.css").text
    mono = re.search(r"--mono: ([^;]+);", css).group(1)
    assert '"codikg Thai"' in mono and mono.rstrip().endswith("monospace")
    assert "button, input, select, textarea { font: inherit; }" in css
    assert 'font-family: "DejaVu Sans Mono", monospace' not in css
    editor = client.get("/sparql-ui/sparql-ui.css").text
    assert "var(--mono)" in editor and "DejaVu" not in editor


#: page → (a Thai UI text it shows in Thai, the English one it shows in English instead)
PAGES = {
    "/shapes": ("ชุดข้อมูลทุกรุ่นผ่านการตรวจ", "Every release of this knowledge graph"),
    "/sparql": ("จุดบริการคำค้น SPARQL 1.1", "SPARQL 1.1 query endpoint"),
    "/search?q=บ้านมั่นคง": ("ค้นด้วยภาษาไทย ภาษาอังกฤษ", "Thai, English or RTGS romanisation"),
    "/dumps/": ("แต่ละแฟ้มมี URL ถาวร", "Each file has a permanent URL"),
    "/prefixes": ("ใช้ในตัวอย่าง", "used by examples"),
    "/.well-known/void": ("สถิติและช่องทางเข้าถึงชุดข้อมูล", "Statistics and access points"),
    "/catalog": ("บัญชีข้อมูลตาม DCAT-AP 3", "DCAT-AP 3 catalog"),
    "/trace": ("จัดกลุ่มตามพันธกิจ", "grouped by mission"),
}


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style|pre|code|textarea)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_each_page_speaks_the_language_asked(client):
    for path, (thai, english) in PAGES.items():
        th = _visible(client.get(path, headers={"Accept": "text/html", "Accept-Language": "th"}).text)
        en = _visible(client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"}).text)
        assert thai in th and english not in th, path
        assert english in en and thai not in en, path


def test_the_landing_page_counts_elements_in_plan_order_by_their_names(client):
    for lang, names in (("th", ["วิสัยทัศน์", "พันธกิจ", "วัตถุประสงค์เชิงกลยุทธ์", "ประเด็นยุทธศาสตร์",
                                "ตัวชี้วัด", "กลยุทธ์", "โครงการ"]),
                        ("en", ["Vision", "Missions", "Strategic objectives", "Strategic issues",
                                "Indicators", "Strategies", "Projects"])):
        page = client.get("/", headers={"Accept-Language": lang}).text
        holds = page.split('<table>', 1)[1].split("</table>", 1)[0]
        rows = re.findall(r"<tr><td>([^<]+)</td><td>([\d,]+)</td></tr>", holds)[:7]
        # CODI's plan (tests/test_parser.py): 1 vision, 4 missions, 6 objectives, 6 issues,
        # 23 + 5 sub-indicators, 22 + 12 sub-strategies, 20 projects
        assert rows == list(zip(names, ["1", "4", "6", "6", "28", "34", "20"])), lang
        assert ("Endpoint" in _visible(page)) == (lang == "en")


def test_openapi_operation_ids_are_unique(client):
    spec = client.get("/openapi.json").json()
    ids = [op["operationId"] for operations in spec["paths"].values() for op in operations.values()]
    assert len(ids) == len(set(ids)) and "sparql__sparql__head" in ids and "sparql__sparql__post" in ids


def test_the_report_page_speaks_the_language_asked(client):
    th = _visible(client.get("/report", headers={"Accept-Language": "th"}).text)
    en = _visible(client.get("/report", headers={"Accept-Language": "en"}).text)
    assert "คำที่พิมพ์ผิด (11)" in th and "Typos" not in th and "What an auditor" not in th
    assert "Typos (11)" in en and "คำที่พิมพ์ผิด" not in en
    assert "รายการที่พิมพ์ซ้ำ" in th and "โครงการ “" in th  # the kind of a repeated item, named in Thai


def test_the_trace_says_how_many_chains_are_broken_even_when_none_is(client):
    for path in ("/trace", "/trace.csv", "/trace?indicator=3/1.2"):
        r = client.get(path, headers={"Origin": "https://example.org"})
        assert r.headers["x-trace-gaps"] == "0", path
        assert "X-Trace-Gaps" in r.headers["access-control-expose-headers"]


def test_search_names_each_hit_s_plan_and_refuses_a_plan_the_release_lacks(client):
    found = client.get("/search", params={"q": "บ้านมั่นคง", "format": "json"}).json()
    assert found["total"] == 3 and {r["plan"] for r in found["results"]} == {"codi/2552"}
    for plan in ("nosuch/1", "bad"):
        r = client.get("/search", params={"q": "x", "format": "json", "plan": plan})
        assert r.status_code == 404 and "plans: codi/2552" in r.text
