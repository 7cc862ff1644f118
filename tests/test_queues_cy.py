"""Cymraeg on the queues chooser, the FGC service home and the diary (issue 15)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from conftest import opened, record, step
from pathway.models import Child, Proceedings
from web_helpers import (  # noqa: F401
    date_fields,
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


@pytest.fixture
def welsh_manager(session, wales, web):
    user = make_user(session, "team_manager", wales, team=make_team(session, wales), name="Rhian Rheolwr")
    sign_in(web, user)
    reading_in(web, "cy")
    return user


def page_text(web, url) -> str:
    response = web.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # The main content only: the header's navigation (base.html) is marked separately.
    return soup(response).find("main").get_text(" ", strip=True)


def test_the_queues_chooser_reads_in_welsh(session, wales, web):
    sign_in(web, make_user(session, "admin"))
    reading_in(web, "cy")
    text = page_text(web, "/queues")
    assert "Ciwiau" in text
    assert "Choose a local authority to see its children" not in text


def test_the_fgc_home_reads_in_welsh(welsh_manager, web):
    text = page_text(web, "/fgc")
    assert "Gwasanaeth FGC" in text and "Angen sylw" in text
    assert "Needs attention" not in text and "Referred to the FGC service" not in text


def test_the_diary_reads_in_welsh(welsh_manager, web):
    text = page_text(web, "/diary")
    assert "Fy nyddiadur" in text and "Yn eich calendr eich hun" in text
    assert "My diary" not in text and "In your own calendar" not in text


def test_the_record_pages_and_their_confirmations_read_in_welsh(session, wales, welsh_manager, web):
    """The queue's record form: title, caption and the message after recording, built in the view."""
    assert record(session, wales, [
        opened("C1", date(2026, 5, 1), "FAM1"), step("offer_fgc", date(2026, 5, 2), "FAM1"),
        step("send_letter_before_proceedings", date(2026, 5, 10), "FAM1"),
        step("issue_proceedings", date(2026, 6, 1), "FAM1", "C1", proceedings_ref="PR1"),
    ]).ok  # fmt: skip
    child = session.scalar(select(Child).where(Child.reference == "C1"))
    proceedings = session.scalar(select(Proceedings).where(Proceedings.reference == "PR1"))

    review = page_text(web, f"/queues/{wales.code}/children/{child.id}/looked-after-review")
    assert "Cofnodi adolygiad derbyn gofal" in review and "Plentyn C1, teulu FAM1" in review
    assert "Record a looked-after review" not in review and "Child C1, family FAM1" not in review

    url = f"/queues/{wales.code}/proceedings/{proceedings.id}/hearings/new"
    hearing = page_text(web, url)
    assert "Cofnodi dyddiad gwrandawiad" in hearing and "Achos PR1" in hearing
    assert "Record a hearing date" not in hearing
    done = submit(web, url, {"kind": "issues_resolution", **date_fields("listed_for", date(2026, 12, 3))})
    assert done.status_code == 302
    after = text_of(web.get(done.headers["Location"]))
    assert "Cofnodwyd dyddiad y gwrandawiad ar gyfer achos PR1" in after
    assert "Hearing date recorded" not in after


@pytest.mark.parametrize("language, expected", [("cy", "3 Rhagfyr 2026"), ("en", "3 December 2026")])
def test_the_pages_dates_follow_the_readers_language(web_app, language, expected):
    """`fmt`, which every template uses for a date (the diary's, the queues', the family page's)."""
    from flask import render_template_string

    with web_app.test_request_context("/", headers={"Accept-Language": language}):
        assert render_template_string("{{ fmt(day) }}|{{ fmt(none) }}", day=date(2026, 12, 3), none=None) == f"{expected}|"
