"""Pages for people: languages, the landing page's schema.org Dataset, the plan
overview and the page of each resource."""

from __future__ import annotations

import html
import json
import re

import httpx
import pytest
from rdflib import Graph, Namespace

from codikg.web import i18n
from conftest import PLAN, ROOT, SOURCE

CDK = Namespace("https://w3id.org/codikg/ontology#")
INDICATOR = "/id/codi/plan/2552/issue/3/indicator/1.2"
RDF_TYPES = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
             "application/rdf+xml": "rdf", "application/trig": "trig", "application/n-quads": "nq"}


def page(server, path, **headers):
    r = httpx.get(server + path, headers=headers, follow_redirects=True, timeout=60)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    return r


def html_lang(text: str) -> str:
    return re.search(r'<html lang="([a-z]+)"', text).group(1)


def curated_links() -> set[tuple[str, str]]:
    g = Graph()
    for path in (ROOT / "data" / "plans" / "codi" / "2552" / "curation").glob("*.ttl"):
        g.parse(path, format="turtle")
    return {(str(s), str(o)) for s, o in g.subject_objects(CDK.supportsMission)}


def test_thai_by_default_english_by_accept_language(server):
    assert html_lang(page(server, "/plan").text) == "th"
    assert html_lang(page(server, "/plan", **{"accept-language": "th-TH,th;q=0.9"}).text) == "th"
    english = page(server, "/plan", **{"accept-language": "en-GB,en;q=0.9"}).text
    assert html_lang(english) == "en"
    assert "Strategic issue 3" in english
    assert html_lang(page(server, "/plan", **{"accept-language": "fr, en;q=0.5, th;q=0.4"}).text) == "en"
    assert html_lang(page(server, "/plan", **{"accept-language": "fr"}).text) == "th"


def test_language_switch_persists_in_a_cookie(server):
    with httpx.Client(base_url=server, follow_redirects=True) as client:
        switched = client.get("/plan?lang=en", headers={"accept-language": "th"})
        assert html_lang(switched.text) == "en"
        assert client.cookies.get("codikg_lang") == "en"
        # later pages, without the parameter, stay English (the cookie wins over the header)
        later = client.get(INDICATOR, headers={"accept": "text/html", "accept-language": "th"})
        assert html_lang(later.text) == "en"
        assert "Links out" in later.text
        back = client.get("/?lang=th")
        assert html_lang(back.text) == "th" and client.cookies.get("codikg_lang") == "th"
    assert "Cookie" in switched.headers["vary"] and "Accept-Language" in switched.headers["vary"]


def test_pages_have_the_language_switch_and_search_slot(server):
    text = page(server, INDICATOR + ".html").text
    assert f'href="{INDICATOR}.html?lang=en"' in text
    assert 'action="/search"' in text and 'name="q"' in text
    assert "fonts.googleapis" not in text and "cdn" not in text.lower()


def test_landing_page_embeds_schema_org_dataset(server, release):
    _, manifest = release
    text = page(server, "/").text
    assert 'href="/plan"' in text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1)
    dataset = json.loads(block)
    assert dataset["@type"] == "Dataset" and dataset["@context"] == "https://schema.org/"
    assert {n["@language"] for n in dataset["name"]} == {"th", "en"}
    assert {n["@language"] for n in dataset["description"]} == {"th", "en"}
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    # fiscal year 2552 B.E. = 1 October 2008 to 30 September 2009 CE
    assert dataset["temporalCoverage"] == "2008-10-01/2009-09-30"
    assert dataset["inLanguage"] == ["th", "en"]
    assert dataset["creator"]["alternateName"] == "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
    downloads = {d["contentUrl"].rsplit("/", 1)[1]: d for d in dataset["distribution"]}
    assert set(downloads) == {e["file"] for e in manifest["dumps"].values() if not e["gzip"]}
    for name, d in downloads.items():
        assert d["contentSize"] == f'{manifest["files"][name]} B'
        assert httpx.get(d["contentUrl"]).status_code == 200
    assert dataset["identifier"] == manifest["release"]


def test_plan_overview_draws_every_element_and_link(server):
    text = page(server, "/plan").text
    kinds = re.findall(r'data-kind="(\w+)"', text)
    counts = {k: kinds.count(k) for k in set(kinds)}
    assert counts == {"vision": 1, "mission": 4, "objective": 6, "issue": 6, "indicator": 28,
                      "strategy": 34, "project": 20}
    for n in range(1, 7):
        assert f"ประเด็นยุทธศาสตร์ที่ {n}</text>" in text
    curated = set(re.findall(r'class="edge curated" data-graph="curation" data-source="([^"]+)" '
                             r'data-target="([^"]+)"', text))
    assert curated == curated_links() and len(curated) == 13
    stated = set(re.findall(r'class="edge stated" data-graph="document" data-source="([^"]+)" '
                            r'data-target="([^"]+)"', text))
    assert stated == ({(f"{PLAN}/mission/{m}", f"{PLAN}/vision") for m in range(1, 5)}
                      | {(f"{PLAN}/issue/{i}", f"{PLAN}/objective/{i}") for i in range(1, 7)})
    assert "ความเชื่อมโยงที่บรรณาธิการเพิ่ม" in text  # the legend
    # a curated edge's tooltip carries the editors' rationale
    assert "สภาองค์กรชุมชนตำบลและเครือข่ายที่เชื่อมโยงกันคือความร่วมมือ" in html.unescape(text)
    assert f'href="{INDICATOR}.html"' in text


def test_english_plan_shows_curated_english_labels(server):
    text = page(server, "/plan?lang=en").text
    assert "Strategic issue 1</text>" in text and "Legend" in text
    assert re.search(r'<text [^>]*lang="en"><tspan[^>]*>Supporting', text)
    thai = page(server, "/plan?lang=th").text
    assert "Supporting the development" not in thai
    assert re.search(r'<text [^>]*lang="th"><tspan[^>]*>การสนับสนุนการพัฒนา', thai)


def test_missing_english_label_falls_back_to_thai():
    assert i18n.pick({"th": "วิสัยทัศน์"}, "en") == ("วิสัยทัศน์", "th")
    assert i18n.pick({"th": "วิสัยทัศน์", "en": "vision"}, "en") == ("vision", "en")
    assert i18n.pick({"": "codikg"}, "en") == ("codikg", "")
    assert i18n.pick({}, "en") == ("", "")


def test_indicator_page(server):
    text = html.unescape(page(server, INDICATOR + ".html").text)
    assert "<h1" in text and "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน" in text
    line = next(i for i, l in enumerate(SOURCE.read_text(encoding="utf-8").splitlines(), 1)
                if "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน" in l)
    assert f"บรรทัด {line}" in text
    assert "<mark>ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน</mark>" in text
    for media_type, ext in RDF_TYPES.items():
        assert f'<link rel="alternate" type="{media_type}" href="{INDICATOR}.{ext}">' in text
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', text, re.S).group(0)
    hrefs = re.findall(r'href="([^"]+)"', crumbs)
    assert hrefs == ["/id/codi/plan/2552", "/id/codi/plan/2552/issue/3",
                     "/id/codi/plan/2552/issue/3/indicator/1"]
    assert "ประเด็นยุทธศาสตร์ 3</a>" in crumbs and "ตัวชี้วัดตามคำรับรองการปฏิบัติงาน 1</a>" in crumbs
    assert 'href="/id/codi/plan/2552/objective/3"' in text  # link out (measures)
    assert 'href="/id/codi/plan/2552/source"' in text


def test_sub_strategy_page_shows_its_full_number(server):
    text = html.unescape(page(server, "/id/codi/plan/2552/issue/6/strategy/1.5.html").text)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1)
    assert heading.startswith('<span class="muted">กลยุทธ์ 1.5</span><br>')
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', text, re.S).group(0)
    assert crumbs.endswith("<span>กลยุทธ์ 1.5</span></nav>")
    assert 'กลยุทธ์ 1</a>' in crumbs


def test_objective_page_shows_curated_links_with_rationale(server):
    text = html.unescape(page(server, "/id/codi/plan/2552/objective/3.html").text)
    assert 'class="badge curation"' in text and 'class="badge document"' in text
    assert ("สภาองค์กรชุมชนตำบลและเครือข่ายที่เชื่อมโยงกันคือความร่วมมือขององค์กรชุมชน"
            "ระดับท้องถิ่นและจังหวัดตามพันธกิจที่ ๔") in text
    english = html.unescape(page(server, "/id/codi/plan/2552/objective/3.html?lang=en").text)
    assert "Linked tambon community organization councils and networks" in english


def test_graph_page_lists_its_resources(server):
    text = page(server, "/graph/curation", accept="text/html").text
    assert text.count('href="/id/codi/plan/2552/curation/objective-') == 13


def test_font_is_bundled(server):
    css = httpx.get(server + "/static/codikg.css")
    assert css.status_code == 200
    for font in re.findall(r"url\((fonts/[^)]+)\)", css.text):
        r = httpx.get(f"{server}/static/{font}")
        assert r.status_code == 200 and r.content[:4] == b"wOF2"
    assert httpx.get(server + "/static/fonts/OFL-NotoSansThai.txt").status_code == 200


def test_every_plan_box_tooltip_names_its_element(server):
    text = page(server, "/plan").text
    boxes = re.findall(r'<a class="box (\w+)"[^>]*data-number="([^"]*)">\s*<title>([^<]*)</title>', text)
    kinds = {kind for kind, _, _ in boxes}
    assert {"mission", "objective", "issue", "indicator", "strategy", "project"} <= kinds
    assert len([b for b in boxes if b[0] == "indicator"]) == 28  # the plan's 28 indicators
    for kind, number, title in boxes:
        assert title.strip() == title and (kind == "vision" or number in title), (kind, number, title)
    assert any(k == "indicator" and n == "1.2" and t.startswith("1.2 ") for k, n, t in boxes)
