"""The board page and its CSV (issue 5): who may see it, what they may choose, suppression,
and that no child, family or worker is ever named."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from conftest import add_la, record
from test_reports import care_application, order
from web_helpers import WebClient, make_user, sign_in, soup, text_of, web, web_app  # noqa: F401

from pathway.board.charts import PLOT_WIDTH, bar_chart

Q2 = {"period": "fy2025-q2"}  # July to September 2025


@pytest.fixture
def board_history(session, england):
    """England (Testshire): 7 sets of proceedings concluded in July to September 2025, 2 of them
    within 26 weeks (issued 1 Feb 2025: 181 days to 1 Aug 2025), 5 not (issued 1 Jan 2025,
    concluded 1 Sep 2025). Family and child references are made to be spotted if they leak."""
    steps = []
    for n in range(7):
        family, child, proceedings = f"SECRETFAM{n}", f"SECRETCHILD{n}", f"SECRETPROC{n}"
        issued = date(2025, 2, 1) if n < 2 else date(2025, 1, 1)
        concluded = issued + timedelta(days=181) if n < 2 else date(2025, 9, 1)
        steps += care_application(family, child, issued, proceedings, opened_on=date(2024, 10, 1))
        steps.append(order(family, child, concluded, proceedings))
    outcome = record(session, england, steps)
    assert outcome.ok, outcome.errors
    other = add_la(session, "E09000555", "england", name="Elsewhere Council", dfj_area="Elsewhere")
    make_user(session, "social_worker", england, name="Wendy Secretworker")
    return england, other


def headline(response) -> dict[str, str]:
    rows = soup(response).select("#headline .govuk-summary-list__row")
    return {" ".join(r.dt.get_text().split()): " ".join(r.dd.get_text().split()) for r in rows}


def test_a_board_member_sees_suppressed_aggregates_for_their_area(web, session, board_history):
    member = make_user(session, "fjb_viewer", dfj_area="Testshire")
    sign_in(web, member)
    page = web.get("/board", query_string={**Q2, "area": "dfj:Testshire"})
    assert page.status_code == 200
    figures = headline(page)
    assert figures["Proceedings concluded"] == "7"
    # 2 within 26 weeks: fewer than 5; the 5 not within would reveal them by subtraction... the
    # count is small, so its share is withheld too.
    assert figures["Concluded within 26 weeks"] == "fewer than 5"
    assert figures["Share concluded within 26 weeks"] == "withheld"
    # Mean (2 x 181 + 5 x 243 days) / 7 / 7 = 32.2 weeks: over 7 proceedings, shown.
    assert figures["Mean weeks from issue to conclusion"] == "32.2"
    text = text_of(page)
    assert "Counts from 1 to 4" in text and "we also withhold" in text
    # The charts have their tables beside them, and the charts need no script.
    assert soup(page).select("svg[role=img] title")
    for table in ("duration-table", "share-table", "extensions-table", "orders-table", "ethnicity-table", "age-table"):
        assert soup(page).find(id=table) is not None
    assert soup(page).select_one("main script") is None


def test_the_area_choice_is_limited_to_the_board_members_own_area(web, session, board_history):
    member = make_user(session, "fjb_viewer", dfj_area="Testshire")
    sign_in(web, member)
    page = web.get("/board")
    options = [o["value"] for o in soup(page).select("select#area option")]
    assert options == ["dfj:Testshire", "la:E09000999"]
    refused = web.get("/board", query_string={**Q2, "area": "dfj:Elsewhere"})
    assert refused.status_code == 200
    assert soup(refused).select_one(".govuk-error-summary") is not None
    assert not headline(refused)
    refused = web.get("/board", query_string={**Q2, "area": "la:E09000555"})
    assert not headline(refused)
    assert web.get("/board/timeliness.csv", query_string={**Q2, "area": "all"}).status_code == 302


def test_an_administrator_may_choose_any_area(web, session, board_history):
    sign_in(web, make_user(session, "admin"))
    page = web.get("/board", query_string={**Q2, "area": "all"})
    options = [o["value"] for o in soup(page).select("select#area option")]
    assert {"all", "nation:england", "dfj:Elsewhere", "dfj:Testshire", "la:E09000555"} <= set(options)
    assert headline(page)["Proceedings concluded"] == "7"
    elsewhere = web.get("/board", query_string={**Q2, "area": "la:E09000555"})
    assert headline(elsewhere)["Proceedings concluded"] == "0"


def test_case_workers_may_not_see_the_board_page(web, session, board_history):
    england, _other = board_history
    assert web.get("/board").status_code == 302  # not signed in: to the sign-in page
    sign_in(web, make_user(session, "social_worker", england))
    assert web.get("/board").status_code == 403
    assert web.get("/board/timeliness.csv", query_string={**Q2, "area": "dfj:Testshire"}).status_code == 403


def test_the_csv_is_suppressed_and_names_no_one(web, session, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    response = web.get("/board/timeliness.csv", query_string={**Q2, "area": "dfj:Testshire"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    values = {r["figure"]: r["value"] for r in rows if r["period"] == "July to September 2025"
              and not r["figure"].startswith("quarter.")}  # fmt: skip
    assert values["proceedings_concluded"] == "7"
    assert values["within_26_weeks"] == "fewer than 5"
    assert values["orders_by_type.care_order"] == "7"
    assert "adjusted_within_26_weeks" not in values
    for row in rows:
        value = row["value"]
        assert not (value.isdigit() and 1 <= int(value) <= 4), row


def test_no_child_family_or_worker_is_named(web_app, session, board_history):
    for user in (make_user(session, "fjb_viewer", dfj_area="Testshire"), make_user(session, "admin")):
        web = WebClient(web_app)
        sign_in(web, user)
        area = "dfj:Testshire" if user.role == "fjb_viewer" else "la:E09000999"
        for url in ("/board", "/board/timeliness.csv"):
            body = web.get(url, query_string={**Q2, "area": area}).get_data(as_text=True)
            assert "SECRET" not in body.upper(), url
            assert "Secretworker" not in body


def test_bar_chart_geometry():
    chart = bar_chart("c", "Title", ["A", "B"], [("Q1", [50.0, "fewer than 5"]), ("Q2", [25, None])],
                      unit="%", maximum=100)  # fmt: skip
    first, second = chart.groups
    assert first.bars[0].width == PLOT_WIDTH / 2 and first.bars[0].label == "50.0%"
    assert first.bars[1].width == 0 and first.bars[1].label == "fewer than 5"
    assert second.bars[0].width == PLOT_WIDTH / 4 and second.bars[1].label == "none"
    assert second.bars[0].y > first.bars[1].y


def test_a_board_member_is_sent_to_the_board_page_and_told_when_their_area_is_empty(web, session, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Nowhere"))
    home = web.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/board")
    page = web.get("/board")
    assert page.status_code == 200
    assert "No local authorities have been added to your designated family judge area" in text_of(page)
    assert not headline(page)


def test_welsh_boards_are_named_within_the_family_justice_network(web, session, board_history, wales):
    admin = make_user(session, "admin")
    sign_in(web, admin)
    caption = lambda page: soup(page).select_one(".govuk-caption-l").get_text(strip=True)  # noqa: E731
    welsh = web.get("/board", query_string={**Q2, "area": "nation:wales"})
    assert welsh.status_code == 200
    assert caption(welsh) == "Local family justice board, Family Justice Network (Wales)"
    english = web.get("/board", query_string={**Q2, "area": "dfj:Testshire"})
    assert caption(english) == "Family justice board"


def test_the_national_definitions_and_after_care_are_on_the_page(web, session, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    page = web.get("/board", query_string={**Q2, "area": "dfj:Testshire"})
    rows = {" ".join(r.dt.get_text().split()): " ".join(r.dd.get_text().split())
            for r in soup(page).select("#national-definitions + p + dl .govuk-summary-list__row")}
    # 7 children (one each), as many as proceedings; mean (2 x 181 + 5 x 243) / 7 / 7 = 32.2 weeks
    assert rows["Ministry of Justice: children with a final order in the period"] == "7"
    assert rows["Ministry of Justice: mean weeks"] == "32.2"
    # Cafcass: 181 days is 25.9 -> 26 whole weeks (2 of them), 243 days 34.7 -> 35 (5); the mean of the days,
    # 1577 / 7 = 225.3, over 7 is 32.2 weeks -> 32 whole weeks
    assert rows["Cafcass: mean whole weeks per application"] == "32"
    # 2 within 26 weeks is small; 5 over 30 would give it away from the 7 concluded: withheld too
    assert rows["Cafcass: 26 weeks or less"] == "fewer than 5" and rows["Cafcass: 30 weeks or more"] == "withheld"
    assert soup(page).find(id="after-care") is not None


def test_the_data_set_has_a_row_per_measure_per_authority_with_the_same_suppression(web, session, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    response = web.get("/board/pack.csv", query_string={**Q2, "area": "dfj:Testshire"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    scopes = {r["scope"] for r in rows}
    assert scopes == {"dfj:Testshire", "la:E09000999", "nation:england", "all"}  # with the comparisons
    by = {(r["scope"], r["measure"]): r["value"] for r in rows}
    assert by[("la:E09000999", "proceedings_concluded")] == "7"
    assert by[("la:E09000999", "within_26_weeks")] == "fewer than 5"
    assert all(not (r["value"].isdigit() and 1 <= int(r["value"]) <= 4) for r in rows)
    assert web.get("/board/pack.csv", query_string={**Q2, "area": "dfj:Elsewhere"}).status_code in (302, 400, 403, 404)



def test_the_area_is_compared_with_its_authorities_the_nation_and_england_and_wales(web, session, board_history):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Testshire"))
    page = web.get("/board", query_string={**Q2, "area": "dfj:Testshire"})
    table = soup(page).find(id="comparison-table")
    headers = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")]
    assert headers == ["Figure", "Testshire", "Test authority E09000999", "England", "England and Wales"]
    first = [td.get_text(strip=True) for td in table.tbody.find("tr").find_all("td")]
    assert first == ["7", "7", "7", "7"]  # every proceedings of the country is in this one area
