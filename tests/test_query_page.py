"""The browser query page (headless Chromium) and /prefixes."""

from __future__ import annotations

import shutil
from urllib.parse import urlparse

import httpx
import pytest
from rdflib import Graph

from conftest import ROOT

CHROMIUM = shutil.which("chromium")  # Debian's package, installed by .ci/run
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def test_prefixes_json_turtle_html(server):
    r = httpx.get(server + "/prefixes", timeout=10)
    assert r.headers["content-type"] == "application/json"
    prefixes = r.json()
    assert prefixes["cdk"] == "https://w3id.org/codikg/ontology#"
    assert prefixes["skos"] == "http://www.w3.org/2004/02/skos/core#"
    r = httpx.get(server + "/prefixes", headers={"Accept": "text/turtle"}, timeout=10)
    g = Graph().parse(data=r.text + "<urn:a> <urn:b> <urn:c> .", format="turtle")
    assert dict((p, str(n)) for p, n in g.namespaces() if p in prefixes) == prefixes
    r = httpx.get(server + "/prefixes", headers={"Accept": "text/html"}, timeout=10)
    assert r.headers["content-type"].startswith("text/html")
    assert 'href="/sparql#example-counts-per-issue"' in r.text


def test_query_page_is_self_contained(server):
    r = httpx.get(server + "/sparql", headers={"Accept": "text/html"}, timeout=10)
    assert r.status_code == 200
    assert 'src="/sparql-ui/prism.js"' in r.text and 'src="/sparql-ui/sparql-ui.js"' in r.text
    assert "src=\"http" not in r.text and "href=\"http" not in r.text.replace('href="/', "")
    for name in ("prism.js", "sparql-ui.js", "sparql-ui.css"):
        assert httpx.get(f"{server}/sparql-ui/{name}", timeout=10).status_code == 200
    assert httpx.get(f"{server}/sparql-ui/..%2Fapp.py", timeout=10).status_code == 404


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (apt-get install -y chromium; .ci/run does this)")
def test_example_runs_from_the_page_in_a_browser(server):
    from playwright.sync_api import sync_playwright

    own = urlparse(server).netloc
    elsewhere = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            def guard(route):
                if urlparse(route.request.url).netloc != own:
                    elsewhere.append(route.request.url)
                    return route.abort()
                return route.continue_()

            page.route("**/*", guard)
            page.goto(server + "/sparql?lang=en")
            assert page.locator("#sparql-highlight .token.keyword").count() > 0
            page.click('a.run-example[data-example="counts-per-issue"]')
            page.wait_for_selector("#sparql-results table tbody tr")
            rows = page.locator("#sparql-results table tbody tr")
            assert rows.count() == 6
            headers = page.locator("#sparql-results thead th").all_inner_texts()
            assert headers == ["?issue", "?notation", "?label", "?indicators", "?strategies", "?projects"]
            first = rows.nth(0).locator("td")
            assert first.nth(1).inner_text().startswith("1")
            assert first.nth(0).locator("a").get_attribute("href") == "/id/codi/plan/2552/issue/1"
            assert "6 rows" in page.inner_text("#sparql-status")
            csv_link = page.locator('#sparql-downloads a[data-format="csv"]')
            assert csv_link.is_visible()
            href = csv_link.get_attribute("href")
            download = httpx.get(server + href, timeout=10)
            assert download.headers["content-type"] == "text/csv; charset=utf-8"
            assert len(download.text.splitlines()) == 7
            # an error is shown, not swallowed
            page.fill("#sparql-query", "SELECT * WHERE { ?s ?p }")
            page.click("#sparql-run")
            page.wait_for_selector("#sparql-status.error")
            assert "400" in page.inner_text("#sparql-status")
            # in Thai the page and its status line are Thai
            page.goto(server + "/sparql?lang=th")
            assert page.inner_text("#sparql-run") == "เรียกใช้"
            page.click('a.run-example[data-example="counts-per-issue"]')
            page.wait_for_selector("#sparql-results table tbody tr")
            status = page.inner_text("#sparql-status")
            assert status.startswith("6 แถว ใน ") and status.endswith(" วินาที"), status
        finally:
            browser.close()
    assert elsewhere == []
