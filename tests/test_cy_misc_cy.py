"""Cymraeg on the sign-in and password pages, the error pages, the administrator's pages, the guide,
the FGC family page, the shared page macros and the diary's items (issue 15)."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from conftest import opened, record, step
from pathway.models import Family
from web_helpers import (  # noqa: F401
    PASSWORD,
    csrf_from,
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


def main_text(response) -> str:
    # The main content only: the header's navigation (base.html) is marked separately.
    return soup(response).find("main").get_text(" ", strip=True)


def page_text(web, url, status=200) -> str:
    response = web.get(url)
    assert response.status_code == status, (url, response.status_code)
    return main_text(response)


def banner(response) -> str:
    box = soup(response).select_one(".govuk-notification-banner")
    return box.get_text(" ", strip=True) if box else ""


# --- signing in, out, and the password ---------------------------------------------------


def test_the_sign_in_page_and_its_error_read_in_welsh(session, wales, web):
    reading_in(web, "cy")
    text = page_text(web, "/sign-in")
    assert "Mewngofnodi i Pathway" in text and "Sign in to Pathway" not in text
    user = make_user(session, "social_worker", wales)
    wrong = submit(web, "/sign-in", {"email": user.email, "password": "not the password at all"})
    assert wrong.status_code == 200
    assert "Rhowch gyfeiriad e-bost a chyfrinair cywir" in text_of(wrong)
    assert "Enter a correct email address and password" not in text_of(wrong)


def test_a_page_that_needs_signing_in_says_so_in_welsh(session, wales, web):
    reading_in(web, "cy")
    response = web.get("/diary", follow_redirects=True)
    assert "Mewngofnodwch i barhau." in banner(response)
    assert "Sign in to continue." not in text_of(response)


def test_the_password_page_and_its_confirmation_read_in_welsh(session, wales, web):
    user = make_user(session, "social_worker", wales, password=PASSWORD)
    sign_in(web, user)
    reading_in(web, "cy")
    text = page_text(web, "/account/password")
    assert "Newid eich cyfrinair" in text and "Change your password" not in text
    done = submit(web, "/account/password", {"current": PASSWORD, "new": "four random welsh words here",
                                             "confirm": "four random welsh words here"})
    assert done.status_code == 302, text_of(done)
    after = web.get(done.headers["Location"], follow_redirects=True)
    assert "Mae eich cyfrinair wedi cael ei newid." in banner(after)
    assert "Your password has been changed" not in text_of(after)


def test_signing_out_says_so_in_the_readers_language_and_keeps_it(session, wales, web):
    """The session is emptied at sign-out, but the language chosen for it carries on to the sign-in page."""
    user = make_user(session, "social_worker", wales)
    sign_in(web, user)
    web.get("/language/cy")  # chosen with the header's switch, not by Accept-Language
    token = csrf_from(web.get("/diary"))
    out = web.post("/sign-out", data={"csrf_token": token}, follow_redirects=True)
    assert "Rydych wedi allgofnodi." in banner(out)
    assert "Mewngofnodi i Pathway" in main_text(out)
    assert "You have signed out." not in text_of(out) and "Sign in to Pathway" not in text_of(out)


def test_a_session_ended_elsewhere_says_so_in_welsh(session, wales, web):
    user = make_user(session, "social_worker", wales)
    sign_in(web, user)
    reading_in(web, "cy")
    user.session_generation = (user.session_generation or 0) + 1  # as an administrator ending their sessions
    session.commit()
    response = web.get("/diary", follow_redirects=True)
    assert "Mae eich sesiwn wedi dod i ben. Mewngofnodwch eto i barhau." in banner(response)
    assert "Your session has ended" not in text_of(response)


def test_the_start_page_reads_in_welsh(web_app):
    from flask import render_template

    with web_app.test_request_context("/", headers={"Accept-Language": "cy"}):
        page = render_template("home.html")
    assert "Rydych wedi mewngofnodi." in page and "You are signed in." not in page


# --- error pages -----------------------------------------------------------------------


def test_the_not_found_and_forbidden_pages_read_in_welsh(session, wales, web):
    sign_in(web, make_user(session, "social_worker", wales))
    reading_in(web, "cy")
    missing = page_text(web, "/families/999999999", 404)
    assert "Ni ddaethpwyd o hyd i'r dudalen" in missing and "Ewch i'ch tudalen gychwyn" in missing
    assert "Page not found" not in missing
    forbidden = page_text(web, "/admin/users", 403)
    assert "Ni allwch weld y dudalen hon" in forbidden and "You cannot see this page" not in forbidden


@pytest.fixture
def failing_app(web_app):
    """The app with a page that always fails (added before its first request)."""
    from pathway.permissions import public

    @public
    def boom():
        raise RuntimeError("boom")

    web_app.add_url_rule("/boom-for-test", "boom_for_test", boom)
    return web_app


def test_the_service_problem_page_reads_in_welsh(failing_app, web):
    reading_in(web, "cy")
    response = web.get("/boom-for-test")
    assert response.status_code == 500
    text = main_text(response)
    assert "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" in text
    assert "Sorry, there is a problem with the service" not in text
    reference = response.headers["X-Request-Id"]
    strong = soup(response).select_one("main strong.pathway-request-id")
    assert strong is not None and strong.get_text() == reference  # the reference's markup survives translation


def test_the_service_problem_pages_render_without_gettext(failing_app, web, monkeypatch):
    """Without Flask-Babel's gettext in the templates (the languages not set up), the 500 and 503
    pages still render, in English."""
    from flask import render_template

    monkeypatch.delitem(failing_app.jinja_env.globals, "gettext")
    monkeypatch.delitem(failing_app.jinja_env.globals, "ngettext", raising=False)
    response = web.get("/boom-for-test")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in main_text(response)
    strong = soup(response).select_one("main strong.pathway-request-id")
    assert strong is not None and strong.get_text() == response.headers["X-Request-Id"]
    with failing_app.test_request_context("/"):
        busy = render_template("errors/503.html", retry_after=5)
    assert "Nothing has been saved. Wait 5 seconds, then go back and try again." in busy


@pytest.mark.parametrize("language, expected", [
    ("cy", "Nid oes dim wedi'i gadw. Arhoswch 5 eiliad"), ("en", "Nothing has been saved. Wait 5 seconds"),
])
def test_the_busy_page_follows_the_readers_language(web_app, language, expected):
    from flask import render_template

    with web_app.test_request_context("/", headers={"Accept-Language": language}):
        assert expected in render_template("errors/503.html", retry_after=5)


@pytest.mark.parametrize("seconds, expected", [
    (120, "Arhoswch 2 funud, yna rhowch gynnig arall arni."),
    (300, "Arhoswch 5 munud, yna rhowch gynnig arall arni."),
    (30, "Arhoswch 30 eiliad, yna rhowch gynnig arall arni."),
])
def test_the_too_many_attempts_page_counts_in_welsh(web_app, seconds, expected):
    from flask import render_template

    with web_app.test_request_context("/", headers={"Accept-Language": "cy"}):
        page = render_template("errors/429.html", retry_after=seconds)
    assert "Gormod o ymdrechion i fewngofnodi" in page and expected in page
    assert "Too many attempts" not in page and "then try again" not in page


def test_the_english_too_many_attempts_page_is_unchanged(web_app):
    from flask import render_template

    with web_app.test_request_context("/", headers={"Accept-Language": "en"}):
        page = render_template("errors/429.html", retry_after=300)
    assert "Wait 5 minutes, then try again. If you have forgotten your password" in page


# --- the administrator's pages ---------------------------------------------------------


def test_the_administrators_pages_and_their_confirmations_read_in_welsh(session, wales, web):
    admin = make_user(session, "admin")
    person = make_user(session, "social_worker", wales, name="Dafydd Gweithiwr")
    sign_in(web, admin)
    reading_in(web, "cy")
    users = page_text(web, "/admin/users")
    assert "Defnyddwyr" in users and "Ychwanegu defnyddiwr" in users and "Awdurdod neu ardal" in users
    assert "Add a user" not in users and "People who can sign in" not in users
    authorities = page_text(web, "/admin/authorities")
    assert "Awdurdodau lleol a thimau" in authorities and "Cymru" in authorities
    assert "Add a team" not in authorities

    one = page_text(web, f"/admin/users/{person.id}")
    assert "Dod â'u holl sesiynau i ben" in one and "Dadactifadu Dafydd Gweithiwr" in one
    assert "End all their sessions" not in one
    token = csrf_from(web.get(f"/admin/users/{person.id}"))
    done = web.post(f"/admin/users/{person.id}/end-sessions", data={"csrf_token": token}, follow_redirects=True)
    assert "Mae Dafydd Gweithiwr wedi cael ei allgofnodi ym mhobman." in banner(done)
    assert "has been signed out everywhere" not in text_of(done)


# --- the guide -------------------------------------------------------------------------


def test_the_guide_reads_in_welsh(session, wales, web):
    sign_in(web, make_user(session, "social_worker", wales))
    reading_in(web, "cy")
    page = soup(web.get("/how-the-pathway-works")).find("main")
    page.select_one(".pathway-diagram").decompose()  # the SVG is drawn by pathway/diagram.py, in English
    text = page.get_text(" ", strip=True)
    assert "Sut mae'r llwybr yn gweithio" in text and "Pob cam, mewn geiriau" in text
    assert "Yn dangos y termau a ddefnyddir yng Nghymru (adran 76, cynllun amddiffyn gofal a chymorth)." in text
    assert "How the pathway works" not in text and "Every step, in words" not in text


# --- the FGC service -------------------------------------------------------------------


@pytest.fixture
def referred(session, wales):
    assert record(session, wales, [
        opened("REF-C", date(2026, 9, 1), family_ref="REF"),
        step("add_person", date(2026, 9, 1), "REF", person_ref="REF-M"),
        step("relate_person", date(2026, 9, 1), "REF", "REF-C", person_ref="REF-M", relationship="mother",
             parental_responsibility="yes"),
        step("offer_fgc", date(2026, 9, 2), "REF"), step("fgc_accepted", date(2026, 9, 3), "REF"),
        step("refer_fgc", date(2026, 9, 4), "REF", reason="Esgeulustod"),
    ]).ok  # fmt: skip
    return session.scalar(select(Family).where(Family.reference == "REF"))


def test_the_fgc_family_page_reads_in_welsh(session, wales, referred, web):
    sign_in(web, make_user(session, "fgc_coordinator", wales))
    reading_in(web, "cy")
    text = page_text(web, f"/fgc/families/{referred.id}")
    assert "Teulu REF" in text and "Pryderon yn yr atgyfeiriad" in text and "Esgeulustod" in text
    assert "Mam plentyn REF-C (cyfrifoldeb rhiant)" in text and "Atgyfeiriwyd ar 4 Medi 2026" in text
    assert "Concerns in the referral" not in text and "Mother of child" not in text and "Referred on" not in text


def test_the_fgc_lists_say_family_and_when_in_welsh(session, wales, referred, web):
    sign_in(web, make_user(session, "team_manager", wales, team=make_team(session, wales)))
    reading_in(web, "cy")
    page = web.get("/fgc")
    box = soup(page).find(id="fgc_referral_unallocated").find_next("ul").get_text(" ", strip=True)
    assert "Teulu REF" in box and "roedd yn ddyledus erbyn" in box and "Medi 2026" in box
    assert "Family REF" not in box and "was due by" not in box


# --- the shared page macros, on the family's pages ---------------------------------------


def test_the_journey_timetable_and_timeline_read_in_welsh(session, wales, web):
    worker = make_user(session, "social_worker", wales, team=make_team(session, wales), name="Siân Gweithiwr")
    assert record(session, wales, [
        opened("C1", date(2026, 1, 5)), step("offer_fgc", date(2026, 1, 10)),
        step("send_letter_before_proceedings", date(2026, 1, 12)),
        step("issue_proceedings", date(2026, 3, 2), child_ref="C1", proceedings_ref="PR1"),
    ]).ok  # fmt: skip
    family = session.scalar(select(Family).where(Family.reference == "FAM1"))
    sign_in(web, worker)
    reading_in(web, "cy")
    summary = page_text(web, f"/families/{family.id}")
    assert "Achos PR1" in summary and "Diwedd y 26 wythnos" in summary and "Dechreuwyd 2 Mawrth 2026" in summary
    assert "diwrnod: cofnodwch y gorchmynion terfynol" in summary
    assert "26 weeks end" not in summary and "record the final orders" not in summary
    children = page_text(web, f"/families/{family.id}/children")
    assert "Cam presennol" in children and "Current stage" not in children
    timeline = page_text(web, f"/families/{family.id}/timeline")
    assert "Cofnodwyd gan" in timeline and "Recorded by" not in timeline


# --- the diary's items -----------------------------------------------------------------


def test_the_diarys_items_are_messages_shown_in_the_readers_language(web_app):
    from pathway.diary.items import diary_items
    from pathway.i18n import render
    from pathway.messages import Message

    row = SimpleNamespace(assessment=SimpleNamespace(findings=[]), hearings={"final": date(2026, 12, 3)},
                          family_id=1, family_ref="FAM1", child_ref="C1", proceedings_ref="PR1", nation="wales")
    (item,) = diary_items([row], date(2026, 11, 20))
    assert isinstance(item.what, Message)
    assert item.what == "Final hearing, proceedings PR1"  # English as a str: the calendar feed, logs
    assert item.summary == "Final hearing, proceedings PR1: family FAM1, child C1"
    with web_app.test_request_context("/", headers={"Accept-Language": "cy"}):
        assert render(item.what) == "Gwrandawiad terfynol, achos PR1"
