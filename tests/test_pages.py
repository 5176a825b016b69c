"""Pages for people: languages, the landing page's schema.org Dataset, the plan
overview and the page of each resource."""

from __future__ import annotations

import html
import json
import re

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SDO

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


def landing_jsonld(server) -> dict:
    text = page(server, "/").text
    assert 'href="/plan"' in text
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1))


def test_landing_page_embeds_schema_org_dataset(server, release):
    _, manifest = release
    dataset = landing_jsonld(server)
    assert dataset["@type"] == "Dataset" and dataset["@context"] == "https://schema.org/"
    assert dataset["@id"] == dataset["identifier"] == PLAN + "/dataset"
    assert {n["@language"] for n in dataset["name"]} == {"th", "en"}
    assert {n["@language"] for n in dataset["description"]} == {"th", "en"}
    assert dataset["license"] == "http://creativecommons.org/licenses/by/4.0/"
    # the curated plan period: fiscal years B.E. 2552-2554 = 1 October 2008 to 30 September 2011 CE
    assert dataset["temporalCoverage"] == "2008-10-01/2011-09-30"
    assert dataset["inLanguage"] == ["th", "en"]
    assert dataset["creator"]["name"] == "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
    downloads = {d["contentUrl"].rsplit("/", 1)[1]: d for d in dataset["distribution"]}
    assert set(downloads) == {e["file"] for e in manifest["dumps"].values() if not e["gzip"]}
    for name, d in downloads.items():
        assert d["contentSize"] == f'{manifest["files"][name]} B'
        assert httpx.get(d["contentUrl"]).status_code == 200


def test_landing_page_schema_org_states_the_catalogs_facts(server):
    """Regression (issue 16): the landing page said fiscal year 2009 (the catalog: B.E.
    2552-2554) and an https licence (the catalog: http). Both graphs are parsed and
    every fact the landing page states is compared with the catalog's."""
    doc = landing_jsonld(server)
    # schema.org's context, without fetching it: its terms, and its URL-valued ones as IRIs
    doc["@context"] = {"@vocab": "https://schema.org/", **{
        term: {"@id": f"https://schema.org/{term}", "@type": "@id"}
        for term in ("license", "url", "contentUrl", "sameAs")}}
    landing = Graph().parse(data=json.dumps(doc), format="json-ld")
    catalog = Graph().parse(data=httpx.get(server + "/catalog", timeout=30).text, format="turtle")
    dataset = URIRef(PLAN + "/dataset")
    assert (dataset, RDF.type, SDO.Dataset) in landing and (dataset, RDF.type, DCAT.Dataset) in catalog
    same = [(SDO.license, DCTERMS.license), (SDO.name, DCTERMS.title),
            (SDO.description, DCTERMS.description), (SDO.publisher, DCTERMS.publisher)]
    for schema_property, dcat_property in same:
        assert set(landing.objects(dataset, schema_property)) == \
            set(catalog.objects(dataset, dcat_property)), schema_property
    assert {str(o) for o in landing.objects(dataset, SDO.identifier)} == \
        {str(o) for o in catalog.objects(dataset, DCTERMS.identifier)}
    assert {str(o) for o in landing.objects(dataset, SDO.keywords)} == \
        {str(o) for o in catalog.objects(dataset, DCAT.keyword)}
    assert str(landing.value(dataset, SDO.dateModified)) == str(catalog.value(dataset, DCTERMS.modified))
    period = catalog.value(dataset, DCTERMS.temporal)
    assert str(landing.value(dataset, SDO.temporalCoverage)) == \
        f"{catalog.value(period, DCAT.startDate)}/{catalog.value(period, DCAT.endDate)}"
    publisher = catalog.value(dataset, DCTERMS.publisher)
    assert {str(n) for n in landing.objects(publisher, SDO.name)} == \
        {str(n) for n in catalog.objects(publisher, FOAF.name) if n.language == "th"}
    languages = {str(o).rsplit("/", 1)[1] for o in catalog.objects(dataset, DCTERMS.language)}
    assert {str(o) for o in landing.objects(dataset, SDO.inLanguage)} == \
        {{"THA": "th", "ENG": "en"}[code] for code in languages}
    sizes = {str(catalog.value(d, DCAT.downloadURL)).rsplit("/", 1)[1]: int(catalog.value(d, DCAT.byteSize))
             for d in catalog.objects(dataset, DCAT.distribution)
             if catalog.value(d, DCAT.downloadURL) and not catalog.value(d, DCAT.compressFormat)}
    assert {str(landing.value(d, SDO.contentUrl)).rsplit("/", 1)[1]: str(landing.value(d, SDO.contentSize))
            for d in landing.objects(dataset, SDO.distribution)} == {n: f"{b} B" for n, b in sizes.items()}


@pytest.mark.parametrize("lang, dumps, catalog, endpoint, unit", [
    ("en", "triples in the dumps (the union of the named graphs below, the catalog graph left out)",
     "triples in the catalog graph (DCAT-AP and VoID: served, not in the dumps)",
     "triples in the SPARQL endpoint's default graph (every graph, the catalog's included: "
     "what COUNT(*) gives)", "triples"),
    ("th", "ทริเปิลในไฟล์ดาวน์โหลด (กราฟรวมของกราฟที่มีชื่อด้านล่าง ยกเว้นกราฟบัญชีข้อมูล)",
     "ทริเปิลในกราฟบัญชีข้อมูล (DCAT-AP และ VoID: ให้บริการ แต่ไม่อยู่ในไฟล์ดาวน์โหลด)",
     "ทริเปิลในกราฟเริ่มต้นของ SPARQL (ทุกกราฟรวมกราฟบัญชีข้อมูล: ค่าที่ COUNT(*) ให้)", "ทริเปิล")])
def test_home_page_says_which_graphs_its_counts_cover(server, release, lang, dumps, catalog,
                                                      endpoint, unit):
    """Regression (issue 16): the home page said 5,603 triples and COUNT(*) gave 6,584."""
    _, manifest = release
    text = html.unescape(page(server, f"/?lang={lang}").text)
    rows = dict(re.findall(r"<tr><td>([^<]*)</td><td>([\d,]+)</td></tr>", text))
    counted = httpx.get(server + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                        headers={"accept": "application/sparql-results+json"}, timeout=30)
    total = int(counted.json()["results"]["bindings"][0]["n"]["value"])
    assert rows[dumps] == f"{manifest['union_triples']:,}" == f"{sum(manifest['graphs'].values()):,}"
    assert rows[catalog] == f"{manifest['catalog']['triples']:,}"
    assert rows[endpoint] == f"{total:,}" and total > manifest["union_triples"]
    graph = manifest["catalog"]["graph"]
    assert f"<code>{graph}</code></a> — {manifest['catalog']['triples']:,} {unit}</li>" in text


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
