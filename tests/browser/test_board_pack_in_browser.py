"""Issue 14 in a real browser: the board pack for the demo area, from the demo data that
`make run` seeds (`seed-demo`, its defaults), opened as a board member opens it.

The headline figures show (no "withheld"); axe finds no violation of any impact; printed from
Chromium and made by WeasyPrint, the pack is one A4 page.
"""
from __future__ import annotations

import io
import threading
from datetime import datetime, timezone

import pytest
from werkzeug.serving import make_server

from browser_helpers import browser  # noqa: F401 (fixture)
from conftest import _migrate
from test_journey import check_accessibility

pytestmark = pytest.mark.browser

DEMO_DAY = datetime(2026, 12, 3, 9, tzinfo=timezone.utc)  # a day the demo was checked on


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    from pathway import create_app
    from pathway.clock import FixedClock
    from pathway.demo_users import DEMO_PASSWORD
    from pathway.extensions import db

    url = f"sqlite:///{tmp_path_factory.mktemp('demo-db') / 'pathway.db'}"
    _migrate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True}, clock=FixedClock(DEMO_DAY))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{httpd.server_port}", "password": DEMO_PASSWORD}
    finally:
        httpd.shutdown()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()


def pages_of(pdf: bytes) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(io.BytesIO(pdf)).pages]


def is_a4(size) -> bool:
    return abs(size[0] - 595.3) < 1.5 and abs(size[1] - 841.9) < 1.5


def test_the_board_pack_of_the_demo_area_shows_its_headline_and_prints_on_one_a4_page(browser, demo_server):  # noqa: F811
    context = browser.new_context(base_url=demo_server["url"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)  # the area's first figures are worked out on this visit
    try:
        page.goto("/sign-in")
        page.fill("#email", "board@family-justice.example")
        page.fill("#password", demo_server["password"])
        with page.expect_navigation():
            page.click("button:has-text('Sign in')")
        assert page.url.endswith("/board")
        with page.expect_navigation():
            page.click("#board-pack-link")
        assert "/board/pack?" in page.url
        assert page.locator("h1").inner_text().startswith("Board pack: Northmoor and Eastdale")
        headline = page.locator("#pack-headline")
        cells = headline.locator("tbody td").all_inner_texts()
        assert len(cells) == 8 * 5  # eight measures: the area, its two authorities, England, England and Wales
        assert not [c for c in cells if "withheld" in c or "fewer than" in c], cells
        assert all(c.strip() for c in cells)
        check_accessibility(page, "the board pack")
        page.set_viewport_size({"width": 320, "height": 700})  # nothing wider than a small phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.set_viewport_size({"width": 1280, "height": 900})

        # Printed from the browser (its print style sheet): one A4 page.
        page.emulate_media(media="print")
        printed = page.pdf(format="A4", prefer_css_page_size=True)
        assert len(pages_of(printed)) == 1 and is_a4(pages_of(printed)[0])
        page.emulate_media(media="screen")

        # The PDF the pack offers (WeasyPrint): one A4 page too.
        href = page.locator("a:has-text('Download the pack (PDF')").get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        made = pages_of(response.body())
        assert len(made) == 1 and is_a4(made[0])
    finally:
        context.close()
