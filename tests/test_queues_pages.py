"""The queues pages: who may see them, what they show, filters, paging, the CSV download,
recording a review or a hearing date, and the number of SQL statements a page issues."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, event, select

from conftest import allocate_family, TODAY, add_la, opened, record, step
from pathway.models import AuditEntry, Child, Family, Hearing, Proceedings
from pathway.queues.models import CaseReview
from web_helpers import (  # noqa: F401
    date_fields,
    error_summary,
    field_error,
    make_team,
    make_user,
    reading_in,
    sign_in,
    soup,
    submit,
    text_of,
    web,
    web_app,
)


def proceedings_family(n: int, issued: date):
    f, c = f"FAM{n:03d}", f"C{n:03d}"
    return [
        opened(c, issued - timedelta(days=30), f),
        step("offer_fgc", issued - timedelta(days=20), f),
        step("send_letter_before_proceedings", issued - timedelta(days=10), f),
        step("issue_proceedings", issued, f, c, proceedings_ref=f"PR{n:03d}"),
    ]


@pytest.fixture
def authority(session, england):
    """Three families in proceedings (one overdue, one due within 4 weeks, one on track), a
    child in section 20 and one in pre-proceedings for over 16 weeks; one family allocated."""
    history = (
        proceedings_family(1, date(2026, 5, 1))  # deadline 29 October 2026: overdue
        + proceedings_family(2, date(2026, 6, 1))  # deadline 29 November 2026: due within 4 weeks
        + proceedings_family(3, date(2026, 9, 1))  # deadline 1 March 2027
        + [opened("S1", date(2026, 9, 1), "FAM-S"), step("offer_fgc", date(2026, 9, 2), "FAM-S"),
           step("accommodate_s20", date(2026, 11, 2), "FAM-S", "S1", consent_by="mother"),
           opened("P1", date(2026, 1, 5), "FAM-P"), step("send_letter_before_proceedings", date(2026, 3, 2), "FAM-P")]
    )  # fmt: skip
    assert record(session, england, history).ok
    team = make_team(session, england, "Court team")
    worker = make_user(session, "social_worker", england, team=team, name="Sam Worker")
    family = session.execute(select(Family).where(Family.reference == "FAM003")).scalar_one()
    allocate_family(session, family, team.id, worker.id)
    session.commit()
    return england


@pytest.fixture
def manager(session, authority, web):
    user = make_user(session, "team_manager", authority, name="Morgan Manager")
    sign_in(web, user)
    return user


def list_rows(response) -> list[list[str]]:
    table = soup(response).select_one("table.pathway-queue")
    if table is None:
        return []
    return [[" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]


# --- who may see the queues --------------------------------------------------------------------


def test_a_manager_is_taken_to_their_own_authority(web, manager, authority):
    response = web.get("/queues")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/queues/{authority.code}")


def test_a_manager_cannot_see_another_authority(session, web, manager):
    other = add_la(session, "E09000111")
    assert web.get(f"/queues/{other.code}").status_code == 404
    assert web.get(f"/queues/{other.code}/download.csv").status_code == 404
    assert web.get("/queues/NOSUCH").status_code == 404


@pytest.mark.parametrize("role", ["social_worker", "fjb_viewer"])
def test_social_workers_and_board_members_are_refused(session, web, authority, role):
    user = make_user(session, role, authority if role == "social_worker" else None, dfj_area="Testshire")
    sign_in(web, user)
    for url in ("/queues", f"/queues/{authority.code}", f"/queues/{authority.code}/download.csv"):
        assert web.get(url).status_code == 403, url


def test_signing_in_is_needed(web, authority):
    response = web.get(f"/queues/{authority.code}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_an_admin_chooses_any_authority_and_may_not_record(session, web, authority):
    other = add_la(session, "W06000111", "wales", name="Glanmor (test)")
    admin = make_user(session, "admin")
    sign_in(web, admin)
    choose = web.get("/queues")
    assert choose.status_code == 200
    links = {a.get_text(strip=True): a["href"] for a in soup(choose).select("main a.govuk-link")}
    assert links["Glanmor (test)"] == f"/queues/{other.code}"
    page = web.get(f"/queues/{authority.code}?list=looked_after")
    assert page.status_code == 200 and list_rows(page)
    assert soup(page).select("a[href$='/looked-after-review']") == []  # no record link for an administrator
    child_id = session.execute(select(CaseReview.child_id)).scalar()  # none yet
    assert child_id is None
    proceedings = session.execute(select(Proceedings)).scalars().first()
    assert web.get(f"/queues/{authority.code}/proceedings/{proceedings.id}/hearings/new").status_code == 403


# --- what the page shows -------------------------------------------------------------------------


def test_counts_by_stage_and_the_proceedings_list_most_urgent_first(web, manager, authority):
    page = web.get(f"/queues/{authority.code}")
    assert page.status_code == 200
    counts = {th.get_text(strip=True): td.get_text(strip=True)
              for th, td in ((tr.th, tr.td) for tr in soup(page).select("table")[0].tbody.find_all("tr"))}
    assert counts["Care proceedings"] == "3"
    assert counts["Section 20 accommodation"] == "1"
    assert counts["Pre-proceedings"] == "1"
    assert counts["All open children"] == "5"
    rows = list_rows(page)
    assert [r[0] for r in rows] == ["C001", "C002", "C003"]
    assert rows[0][3] == "Week 30 of 26 PR001, issued 1 May 2026"
    assert rows[0][4] == "29 October 2026"
    # No hearing is listed in this authority: the court's timetable flags show too (issue 11).
    assert rows[0][6] == "Past the timetable deadline No case management hearing listed by day 12 Not allocated"
    assert rows[1][6] == ("Deadline within 4 weeks, no extension At risk of missing 26 weeks: no hearing listed in "
                          "time No case management hearing listed by day 12 Not allocated")
    assert rows[2][2] == "Court team: Sam Worker"
    assert rows[2][6] == "At risk of missing 26 weeks: no hearing listed in time No case management hearing listed by day 12"
    family_link = soup(page).select_one("table.pathway-queue tbody a.govuk-link")
    assert family_link["href"].startswith("/families/")
    nav = {a.get_text(" ", strip=True) for a in soup(page).select(".pathway-queue-nav a")}
    assert {"Care proceedings: 3 children", "Looked-after reviews: 1 child", "Pre-proceedings over 16 weeks: 1 child",
            "Unallocated families: 4 children"} <= nav


def test_welsh_authority_uses_section_76(session, web, wales):
    assert record(session, wales, [opened("S1", date(2026, 9, 1), "F"), step("offer_fgc", date(2026, 9, 2), "F"),
                                   step("accommodate_s20", date(2026, 11, 2), "F", "S1", consent_by="mother")]).ok
    sign_in(web, make_user(session, "team_manager", wales))
    page = web.get(f"/queues/{wales.code}?list=looked_after")
    assert "Section 76 accommodation: 0 children" in text_of(page) and "Looked-after reviews: 1 child" in text_of(page)
    assert "Section 20" not in text_of(page)


def test_filters_by_team_worker_and_stage(session, web, manager, authority):
    team_id = session.execute(select(Family.team_id).where(Family.reference == "FAM003")).scalar_one()
    worker_id = session.execute(select(Family.worker_id).where(Family.reference == "FAM003")).scalar_one()
    by_team = web.get(f"/queues/{authority.code}?team={team_id}")
    assert [r[0] for r in list_rows(by_team)] == ["C003"]
    assert soup(by_team).find("select", attrs={"name": "team"}).find("option", selected=True)["value"] == str(team_id)
    assert [r[0] for r in list_rows(web.get(f"/queues/{authority.code}?worker={worker_id}"))] == ["C003"]
    by_stage = web.get(f"/queues/{authority.code}?stage=pre_proceedings&list=pre_proceedings")
    assert [r[0] for r in list_rows(by_stage)] == ["P1"]
    assert "Care proceedings: 0 children" in text_of(by_stage)
    ignored = web.get(f"/queues/{authority.code}?team=999&stage=nonsense&list=nonsense&page=x")
    assert ignored.status_code == 200 and [r[0] for r in list_rows(ignored)] == ["C001", "C002", "C003"]


def test_paging(session, web, authority):
    assert record(session, authority, [e for n in range(10, 40) for e in proceedings_family(n, date(2026, 7, 1))]).ok
    sign_in(web, make_user(session, "team_manager", authority))
    first = web.get(f"/queues/{authority.code}")
    assert len(list_rows(first)) == 25
    assert "page 1 of 2" in text_of(first)
    next_link = soup(first).select_one(".govuk-pagination__next a")["href"]
    second = web.get(next_link)
    assert [r[0] for r in list_rows(second)][-1] == "C003"  # the latest deadline comes last
    assert len(list_rows(second)) == 33 - 25


def test_paging_reads_in_the_readers_language(session, web, authority):
    assert record(session, authority, [e for n in range(10, 40) for e in proceedings_family(n, date(2026, 7, 1))]).ok
    sign_in(web, make_user(session, "team_manager", authority))
    english = soup(web.get(f"/queues/{authority.code}")).select_one("nav.govuk-pagination")
    assert english["aria-label"] == "Pages of this list"
    assert english.select_one(".govuk-pagination__next").get_text(" ", strip=True) == "Next page"
    reading_in(web, "cy")
    welsh = soup(web.get(f"/queues/{authority.code}")).select_one("nav.govuk-pagination")
    assert welsh["aria-label"] == "Tudalennau'r rhestr hon"
    assert welsh.select_one(".govuk-pagination__next").get_text(" ", strip=True) == "Nesaf tudalen"
    assert [a["aria-label"] for a in welsh.select(".govuk-pagination__item a")] == ["Tudalen 1", "Tudalen 2"]


def test_csv_download_is_the_list_shown_with_its_filters(session, web, manager, authority):
    response = web.get(f"/queues/{authority.code}/download.csv?list=proceedings&stage=proceedings")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["child_ref"] for r in rows] == ["C001", "C002", "C003"]
    assert rows[0]["flags"] == "proceedings_overdue;no_cmh_by_day_12;unallocated"
    assert (rows[0]["timetable_deadline"], rows[0]["week_of_timetable"]) == ("2026-10-29", "30")
    assert rows[0]["due"] == "2026-10-29"
    pre = web.get(f"/queues/{authority.code}/download.csv?list=pre_proceedings")
    (only,) = csv.DictReader(io.StringIO(pre.get_data(as_text=True)))
    assert (only["child_ref"], only["due"]) == ("P1", (date(2026, 3, 2) + timedelta(days=112)).isoformat())


# --- recording ------------------------------------------------------------------------------------


def test_recording_a_looked_after_review_clears_the_flag(session, web, manager, authority):
    page = web.get(f"/queues/{authority.code}?list=looked_after")
    (row,) = list_rows(page)
    assert "First looked-after review due" in row[-2]
    link = soup(page).select_one("a[href$='/looked-after-review']")["href"]
    refused = submit(web, link, {**date_fields("held_on", TODAY + timedelta(days=1)), "decision": "plan_confirmed"})
    assert refused.status_code == 200
    assert error_summary(refused) == [
        ("#held_on-day", "The date the looked-after review was held must be today or in the past")
    ]
    assert session.execute(select(CaseReview)).all() == []
    missing = submit(web, link, {})
    assert [href for href, _ in error_summary(missing)] == ["#held_on-day", "#decision"]
    done = submit(web, link, {**date_fields("held_on", date(2026, 11, 16)), "decision": "plan_confirmed"})
    assert done.status_code == 302
    after = web.get(done.headers["Location"])
    assert "Looked-after review recorded for child S1" in text_of(after)
    assert "Looked-after reviews: 0 children" in text_of(after)
    review = session.execute(select(CaseReview)).scalar_one()
    assert (review.held_on, review.recorded_by_id) == (date(2026, 11, 16), manager.id)
    assert session.execute(select(AuditEntry.action, AuditEntry.user_id)
                           .where(AuditEntry.action != "allocate")).all() == [("record:looked_after_review", manager.id)]


def test_a_review_of_the_wrong_kind_for_the_stage_is_refused(session, web, manager, authority):
    child = session.execute(select(Child).where(Child.reference == "S1")).scalar_one()
    url = f"/queues/{authority.code}/children/{child.id}/pre-proceedings-review"
    refused = submit(web, url, {**date_fields("held_on", date(2026, 11, 16)), "decision": "continue"})
    assert [href for href, _ in error_summary(refused)] == ["#held_on-day"]
    assert "cannot be recorded for child S1 at their current stage" in field_error(refused, "held_on")
    assert web.get(f"/queues/{authority.code}/children/{child.id}/no-such-meeting").status_code == 404


def test_recording_a_hearing_date_shows_it_on_the_proceedings_list(session, web, manager, authority):
    proceedings = session.execute(select(Proceedings).where(Proceedings.reference == "PR001")).scalar_one()
    url = f"/queues/{authority.code}/proceedings/{proceedings.id}/hearings/new"
    too_early = submit(web, url, {"kind": "final", **date_fields("listed_for", date(2026, 4, 30))})
    assert field_error(too_early, "listed_for").endswith(
        "The hearing date must be on or after 1 May 2026, when the proceedings were issued"
    )
    done = submit(web, url, {"kind": "issues_resolution", **date_fields("listed_for", date(2026, 12, 3))})
    assert done.status_code == 302
    page = web.get(f"/queues/{authority.code}")
    rows = list_rows(page)
    assert rows[0][5].startswith("Issues resolution hearing: 3 December 2026 Outcome")
    assert rows[1][5] == "None recorded"
    assert session.execute(select(Hearing.kind, Hearing.listed_for)).all() == [("issues_resolution", date(2026, 12, 3))]
    assert session.execute(select(AuditEntry.action).where(AuditEntry.action != "allocate")).scalars().all() == [
        "record:hearing"]
    # what happened at it: adjourned needs the court's reason code; recorded once
    outcome_url = soup(page).select_one("a[href$='/outcome']")["href"]
    missing = submit(web, outcome_url, {"outcome": "adjourned"})
    assert error_summary(missing) == [("#reason", "Select the reason the hearing was adjourned, by the party responsible")]
    assert submit(web, outcome_url, {"outcome": "adjourned", "reason": "EX1"}).status_code == 302
    from pathway.models import HearingOutcome

    assert session.execute(select(HearingOutcome.outcome, HearingOutcome.reason)).all() == [("adjourned", "EX1")]
    again = submit(web, outcome_url, {"outcome": "held"})
    assert ("#outcome", "The outcome of this hearing is already recorded.") in error_summary(again)


def test_another_authoritys_child_or_proceedings_cannot_be_recorded_against(session, web, manager, authority):
    other = add_la(session, "E09000111")
    assert record(session, other, proceedings_family(1, date(2026, 5, 1))).ok
    theirs = session.execute(select(Proceedings).where(Proceedings.la_id == other.id)).scalar_one()
    assert web.get(f"/queues/{authority.code}/proceedings/{theirs.id}/hearings/new").status_code == 404
    assert web.get(f"/queues/{other.code}/proceedings/{theirs.id}/hearings/new").status_code == 404


# --- no query per row -------------------------------------------------------------------------------


def statements_for(web, url) -> int:
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        web.client.get(url)  # not web.get: that commits the test's session (a statement of its own)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize("queue", ["proceedings", "section_20", "unallocated"])
def test_the_page_issues_the_same_number_of_statements_for_3_or_33_families(session, web, manager, authority, queue):
    url = f"/queues/{authority.code}?list={queue}"
    web.get(url)  # warm: the first request loads what every later one has cached
    few = statements_for(web, url)
    assert record(session, authority, [e for n in range(10, 40) for e in proceedings_family(n, date(2026, 7, 1))]).ok
    for family in session.execute(select(Family).where(Family.reference.like("FAM0%"))).scalars():
        family.team_id = session.execute(select(Family.team_id).where(Family.reference == "FAM003")).scalar()
    session.commit()
    many = statements_for(web, url)
    assert many == few
    assert many <= 10
