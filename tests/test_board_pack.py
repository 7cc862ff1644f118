"""Issue 14: the board pack, one printable A4 page per area per period, as a page, a PDF and a CSV;
and the suppression's choices that keep a board's headline and its complete quarters."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_reports_pages import Q2, board_history  # noqa: F401 (fixture)
from web_helpers import make_user, sign_in, soup, text_of, web, web_app  # noqa: F401

from pathway.board import pdf as board_pdf
from pathway.reports import suppression
from pathway.reports.suppression import PREFER_TO_SHOW, protect, running_first

AREA = {**Q2, "area": "dfj:Testshire"}


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page of a PDF."""
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(io.BytesIO(data)).pages]


def test_the_pack_compares_every_measure_and_shows_eight_quarters(web, session, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    page = web.get("/board/pack", query_string=AREA)
    assert page.status_code == 200
    html = soup(page)
    headline = html.find(id="pack-headline")
    headers = [th.get_text(" ", strip=True) for th in headline.thead.find_all("th")]
    assert headers == ["Measure", "Testshire", "Test authority E09000999", "England", "England and Wales"]
    rows = {tr.th.get_text(" ", strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in headline.tbody.find_all("tr")}  # fmt: skip
    assert rows["Care proceedings concluded"] == ["7", "7", "7", "7"]
    assert rows["Share concluded within 26 weeks"] == ["withheld"] * 4  # 2 of 7: the same suppression as the page
    assert "Cafcass: 30 weeks or more" in text_of(page) and "Children who returned home" in text_of(page)
    trend = html.find(id="pack-trend").tbody.find_all("tr")
    assert len(trend) == 8 and trend[-1].th.get_text(strip=True) == "July to September 2025"
    assert "partial" not in html.find(id="pack-trend").get_text()
    # Its PDF and CSV links carry the same choice; the board page links to the pack.
    assert html.find("a", string=re.compile("PDF"))["href"].startswith("/board/pack.pdf?")
    board = soup(web.get("/board", query_string=AREA))
    assert board.find(id="board-pack-link")["href"].startswith("/board/pack?")
    # The print style sheet makes it one A4 page (checked in the PDF test and the browser test).
    css = Path("static/pathway.css").read_text()
    assert "@page { size: A4 portrait" in css


def test_a_quarter_not_yet_over_is_marked_partial(web, session, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    page = web.get("/board/pack", query_string={"period": "fy2026-q3", "area": "dfj:Testshire"})
    assert page.status_code == 200
    title = soup(page).h1.get_text(" ", strip=True)
    assert "October to December 2026" in title and "(partial: to 20 November 2026)" in title  # the tests' today


def test_the_pack_is_for_board_members_and_administrators(web, session, board_history):
    england, _other = board_history
    assert web.get("/board/pack", query_string=AREA).status_code == 302  # not signed in
    sign_in(web, make_user(session, "social_worker", england))
    assert web.get("/board/pack", query_string=AREA).status_code == 403
    assert web.get("/board/pack.pdf", query_string=AREA).status_code == 403


def test_the_pack_is_for_an_area_and_only_the_board_members_own(web, session, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    for query in ({**Q2, "area": "dfj:Elsewhere"}, {**Q2, "area": "la:E09000999"}, {"period": "nonsense"}, {}):
        for url in ("/board/pack", "/board/pack.pdf"):
            response = web.get(url, query_string=query)
            assert response.status_code == 302 and response.location.startswith("/board"), (url, query)


def test_the_pdf_is_one_a4_page(web, session, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    response = web.get("/board/pack.pdf", query_string=AREA)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="pack-dfj-testshire-fy2025-q2.pdf"' in response.headers["Content-Disposition"]
    pages = pdf_pages(response.data)
    assert len(pages) == 1
    width, height = pages[0]
    assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1  # A4 in points
    assert b"SECRET" not in response.data


def test_without_the_system_text_library_the_pack_says_print_it_instead(web, session, board_history, monkeypatch):
    monkeypatch.setattr(board_pdf, "render_pdf", lambda html: None)
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    response = web.get("/board/pack.pdf", query_string=AREA)
    assert response.status_code == 503
    assert "Save as PDF" in text_of(response)
    assert soup(response).find("a", string="the board pack")["href"].startswith("/board/pack?")


def test_the_pdf_reads_only_pathways_own_assets(tmp_path):
    static = tmp_path / "static"
    (static / "govuk").mkdir(parents=True)
    (static / "govuk" / "a.css").write_text("body{}")
    (tmp_path / "secret.txt").write_text("no")
    found = board_pdf._asset_path(static, "/assets", "http://pathway.invalid/assets/govuk/a.css?v=1")
    assert found.read_text() == "body{}"
    for url in ("http://pathway.invalid/assets/../secret.txt", "http://pathway.invalid/elsewhere/a.css",
                "file:///etc/passwd", "http://example.com/assets/govuk/missing.css"):
        with pytest.raises(ValueError):
            board_pdf._asset_path(static, "/assets", url)


# --- the suppression's choices --------------------------------------------------------------


def naive_derivable(equations, visible) -> dict:
    """The plain sweeps that `_derivable` must reproduce exactly (same cells, same sums)."""
    known, derived_by, changed = set(visible), {}, True
    while changed:
        changed = False
        for total, parts in equations:
            members = [total, *parts]
            unknown = [m for m in members if m not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                derived_by[unknown[0]] = members
                changed = True
    return derived_by


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 11), min_size=2, max_size=5), min_size=1, max_size=12),
       st.sets(st.integers(0, 11)))
def test_working_out_what_a_reader_can_is_the_same_as_the_plain_sweeps(sums, visible):
    equations = [(members[0], members[1:]) for members in sums]
    assert suppression._derivable(equations, sorted(visible)) == naive_derivable(equations, visible)


def test_a_detail_is_withheld_before_a_headline_count():
    # A breakdown's total 30 = the headline count 26 + a small detail 4: with the 4 withheld,
    # one of the other two must go too. By size alone, the headline count (26) would.
    values = {("g", "extensions"): 30, ("g", "adjusted_proceedings"): 26, ("g", "detail"): 4}
    equations = [(("g", "extensions"), [("g", "adjusted_proceedings"), ("g", "detail")])]
    assert "adjusted_proceedings" in PREFER_TO_SHOW and "extensions" not in PREFER_TO_SHOW
    assert protect(values, equations) == {("g", "detail"), ("g", "extensions")}
    # With only headline counts to choose from, the smallest goes (the rule before issue 14).
    values = {("g", "proceedings_concluded"): 30, ("g", "adjusted_proceedings"): 26, ("g", "detail"): 4}
    equations = [(("g", "proceedings_concluded"), [("g", "adjusted_proceedings"), ("g", "detail")])]
    assert protect(values, equations) == {("g", "detail"), ("g", "adjusted_proceedings")}


def test_a_running_period_is_withheld_before_a_quarter_that_is_over():
    # The year (to date) = its quarters; the current quarter's 4 is small: one more must go.
    # The smallest is the complete second quarter (13); the year to date (34) goes instead.
    cell = lambda period: (f"{period}|dfj:A", "within_26_weeks")  # noqa: E731
    values = {cell("fy"): 34, cell("q1"): 17, cell("q2"): 13, cell("q3"): 4, cell("q4"): 0}
    equations = [(cell("fy"), [cell("q1"), cell("q2"), cell("q3"), cell("q4")])]
    assert protect(values, equations) == {cell("q3"), cell("q2")}  # by size alone
    assert protect(values, equations, keep=running_first({"fy", "q3", "q4"})) == {cell("q3"), cell("fy")}
    # A detail still goes before any headline count, running or not.
    assert running_first({"fy"})(("fy|dfj:A", "detail")) < running_first({"fy"})(cell("q2"))


def test_a_period_is_partial_until_its_last_day():
    from datetime import date

    from pathway.reports import financial_year, quarters_in

    q3 = quarters_in(financial_year(2026))[2]  # October to December 2026
    assert q3.is_partial(date(2026, 12, 30))
    assert not q3.is_partial(date(2026, 12, 31))  # its last day: the figures run to its end
    assert not q3.is_partial(date(2027, 1, 1))
