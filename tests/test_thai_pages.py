"""Thai everywhere, offline (issue 16): the pages a person reads, in a real browser with no
system Thai font, render Thai in the bundled face, on controls and in monospace too; the trace
fits a screen; /ontology is in the site's layout; /api (Swagger UI) loads from this server.

The browser is Debian's chromium on PATH (``.ci/run`` installs it), driven by Playwright;
which face draws a text is read from Chromium itself (DevTools ``CSS.getPlatformFontsForNode``).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from test_browser import CHROMIUM, browser  # noqa: F401 (the fixture)

THAI_FACE = "Noto Sans Thai"
#: CODI's trace (71 paths) was 64,892 px tall at 1280 px as one flat table; grouped it is ~6,300.
TRACE_HEIGHT_BUDGET = 9000

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH "
                                 "(apt-get install chromium; .ci/run does this)")]


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    return page, requested


def _faces(page, selector) -> dict[str, int]:
    """The faces Chromium drew ``selector``'s text with: family → glyph count."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    cdp.send("CSS.enable")
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    return {f["familyName"]: f["glyphCount"] for f in cdp.send("CSS.getPlatformFontsForNode",
                                                                 {"nodeId": node})["fonts"]}


@pytest.mark.parametrize("lang", ["th", "en"])
def test_trace_fits_a_screen(browser, server, lang):
    page, requested = _open(browser, f"{server}/trace?lang={lang}")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert 2000 < height < TRACE_HEIGHT_BUDGET, height
    assert page.locator("details.trace-group").count() == 4  # missions 1–4, every indicator reaches one
    assert page.locator("tr.path").count() == 71
    # the column header stays in view while a group scrolls under it
    assert page.locator("table.trace thead th").first.evaluate("e => getComputedStyle(e).position") == "sticky"
    # a group folds away
    page.locator("details.trace-group > summary").first.click()
    assert page.evaluate("document.documentElement.scrollHeight") < height
    assert all(url.startswith(server) for url in requested), requested


def test_thai_in_the_bundled_face_on_controls_and_in_the_editor(browser, server):
    query = "# ตัวอย่าง: พันธกิจ\nSELECT ?m WHERE { ?m ?p \"พันธกิจ\" }"
    page, requested = _open(browser, f"{server}/sparql?format=html&lang=th&query={quote(query)}")
    comment = _faces(page, ".editor pre .token.comment")
    assert comment.get(THAI_FACE, 0) >= 8, comment  # ตัวอย่าง + พันธกิจ, not boxes in a Latin face
    assert THAI_FACE in _faces(page, "header form.search button")  # ค้นหา
    run = page.locator("#sparql-form button[type=submit]").first
    assert run.evaluate("e => getComputedStyle(e).fontFamily").startswith('"Noto Sans Thai"')
    assert all(url.startswith(server) for url in requested), requested

    page, requested = _open(browser, f"{server}/ontology?lang=th")
    assert page.locator("header.site nav").count() == 1 and page.locator(".lang-switch").count() == 1
    heading = _faces(page, ".ontology-doc h1")
    assert heading.get(THAI_FACE, 0) > 20, heading
    assert all(url.startswith(server) for url in requested), requested


def test_swagger_ui_loads_from_this_server(browser, server):
    page, requested = _open(browser, server + "/api")
    page.wait_for_selector(".swagger-ui .info .title")
    assert page.inner_text(".swagger-ui .info .title").startswith("codikg")
    assert page.locator(".opblock").count() > 10  # the operations of /openapi.json
    assert all(url.startswith(server) for url in requested), requested

