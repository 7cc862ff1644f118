"""My diary and its calendar feed (issue 11): what is due in the next 4 weeks, a secret feed
address that can be replaced or turned off, and no names in it."""
from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import select

from conftest import allocate_family, opened, record, step
from pathway.models import DiaryFeed, Family
from web_helpers import make_team, make_user, sign_in, soup, text_of, web, web_app  # noqa: F401


@pytest.fixture
def diary_family(session, england):
    team = make_team(session, england, "Safeguarding")
    worker = make_user(session, "social_worker", england, team=team, name="Sam Worker", email="sam@example.test")
    other = make_user(session, "social_worker", england, team=team, name="Ola Other", email="ola@example.test")
    history = [
        opened("D1", date(2026, 9, 1), "FAM-D"), step("add_person", date(2026, 9, 1), "FAM-D", person_ref="NM-D", sex="F"),
        step("strategy_discussion", date(2026, 11, 16), "FAM-D", "D1"),  # conference due 7 December 2026
        opened("E1", date(2026, 9, 1), "FAM-E"),
        step("emergency_protection", date(2026, 11, 1), "FAM-E", "E1", emergency_type="police_protection"),  # ended 4 Nov
        opened("F1", date(2026, 9, 1), "FAM-F"), step("strategy_discussion", date(2026, 11, 19), "FAM-F", "F1"),
    ]
    assert record(session, england, history).ok
    for ref, user in (("FAM-D", worker), ("FAM-E", worker), ("FAM-F", other)):
        family = session.scalar(select(Family).where(Family.reference == ref))
        allocate_family(session, family, team.id, user.id)
    session.commit()
    return worker


def test_the_diary_lists_what_is_due_for_the_workers_own_families_soonest_first(web, diary_family):
    sign_in(web, diary_family)
    page = web.get("/diary")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup(page).select("#diary tbody tr")]
    assert [(r[0], r[1]) for r in rows] == [
        ("1 November 2026 Overdue", "Entered care with no FGC offered"),
        ("4 November 2026 Overdue", "Emergency protection ended: record the next step"),
        ("27 November 2026", "First looked-after review due"),  # the 20th working day after 1 November
        ("7 December 2026", "Initial child protection conference due"),  # 15 working days after 16 November
    ]
    assert rows[3][2] == "FAM-D , child D1"
    assert not any("FAM-F" in r[2] for r in rows)  # another worker's family


def test_a_manager_sees_the_teams_diary(session, england, web, diary_family):
    manager = make_user(session, "team_manager", england, team=diary_family.team, email="lead@example.test")
    sign_in(web, manager)
    text = text_of(web.get("/diary"))
    assert "FAM-D" in text and "FAM-F" in text


def test_the_calendar_feed_is_secret_revocable_and_holds_no_names(session, web, diary_family):
    sign_in(web, diary_family)
    page = web.get("/diary")
    token = soup(page).find("input", attrs={"name": "csrf_token"})["value"]
    made = web.post("/diary/feed", data={"csrf_token": token})
    url = soup(made).find(id="feed-url").get_text(strip=True)
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = web.get("/" + path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = [c for c in calendar.walk("VEVENT")]
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "Initial child protection conference due: family FAM-D, child D1" in summaries
    assert sorted(str(e["DTSTART"].dt) for e in events) == ["2026-11-27", "2026-12-07"]  # only what is to come
    assert b"Sam" not in response.data and b"NM-D" not in response.data
    stored = session.scalar(select(DiaryFeed.token_hash))
    assert stored and path.rsplit("/", 1)[1].removesuffix(".ics") not in stored  # only a hash is kept
    # a new address: the old one stops working
    again = web.post("/diary/feed", data={"csrf_token": token})
    assert web.get("/" + path).status_code == 404
    new_path = soup(again).find(id="feed-url").get_text(strip=True).split("://", 1)[1].split("/", 1)[1]
    assert web.get("/" + new_path).status_code == 200
    assert web.post("/diary/feed/revoke", data={"csrf_token": token}).status_code == 302
    assert web.get("/" + new_path).status_code == 404


def test_the_feed_needs_csrf_to_make_and_a_real_token_to_read(web, diary_family):
    sign_in(web, diary_family)
    assert web.post("/diary/feed", data={}).status_code == 400
    assert web.get("/diary/feed/not-a-token.ics").status_code == 404
    assert web.get("/diary/feed/" + "x" * 500 + ".ics").status_code == 404


def test_board_members_have_no_diary(session, england, web):
    board = make_user(session, "fjb_viewer", None, dfj_area=england.dfj_area, email="fjb@example.test")
    sign_in(web, board)
    assert web.get("/diary").status_code == 403
