"""A headless browser (Debian's chromium driven by Playwright) loads the plan overview.

Skips, saying why, only when no ``chromium`` is on PATH; ``.ci/run`` installs
Debian's chromium when it is missing. The screenshot is written
to ``$CODIKG_SCREENSHOT_DIR`` (default: pytest's temporary folder).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import PLAN

CHROMIUM = shutil.which("chromium")  # Debian's package; never a path of one machine
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH "
                                 "(apt-get install chromium; .ci/run does this)")]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright  # in the test extra: never skipped for want of it

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_plan_overview_in_a_browser(browser, server, tmp_path):
    context = browser.new_context(locale="th-TH", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server + "/plan")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")

    issues = page.locator("svg#plan-diagram a.box.issue")
    assert issues.count() == 6
    for n in range(6):
        box = issues.nth(n).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 40
        assert f"ประเด็นยุทธศาสตร์ที่ {n + 1}" in issues.nth(n).text_content()
    assert page.locator("svg#plan-diagram a.box.indicator").count() == 28
    assert page.locator("svg#plan-diagram path.edge.curated").count() == 13
    # curated links are drawn dashed, stated ones solid
    dash = page.locator("path.edge.curated").first.evaluate("e => getComputedStyle(e).strokeDasharray")
    assert dash not in ("", "none")
    assert page.locator("path.edge.stated").first.evaluate(
        "e => getComputedStyle(e).strokeDasharray") == "none"
    # Thai text is shown with the bundled Noto Sans Thai, fetched from this server only
    assert page.evaluate("document.documentElement.lang") == "th"
    assert page.evaluate("""() => [...document.fonts].some(f => f.family.includes('Noto Sans Thai')
                                                             && f.status === 'loaded')""")
    assert page.evaluate("document.fonts.check('13px \"Noto Sans Thai\"', 'ประเด็นยุทธศาสตร์')")
    assert any(url.endswith(".woff2") for url in requested)
    assert all(url.startswith(server) for url in requested), requested
    assert "วิสัยทัศน์" in page.locator("svg#plan-diagram").text_content()

    out = Path(os.environ.get("CODIKG_SCREENSHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "plan-overview-th.png"), full_page=True)

    # the language switch: English UI, and the choice persists on the next page
    page.click("header .lang-switch a[hreflang=en]")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "Strategic issue 1" in page.locator("svg#plan-diagram").text_content()
    page.screenshot(path=str(out / "plan-overview-en.png"), full_page=True)
    issues = page.locator("svg#plan-diagram a.box.issue")
    issues.nth(2).click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/id/codi/plan/2552/issue/3.html"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").inner_text().startswith("Strategic issue 3")
    assert f"{PLAN}/issue/3" in page.content()
    context.close()
