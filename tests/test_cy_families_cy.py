"""Cymraeg on the family pages (issue 15): home, the family page's parts, the step pages and their
confirmations, the family network, the genogram and the court application summary."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from conftest import opened, record, step
from pathway.models import Child, Family, Proceedings
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
def team(session, wales):
    return make_team(session, wales)


@pytest.fixture
def welsh_manager(session, wales, team, web):
    user = make_user(session, "team_manager", wales, team=team, name="Rhian Rheolwr")
    sign_in(web, user)
    reading_in(web, "cy")
    return user


@pytest.fixture
def welsh_worker(session, wales, team, web):
    user = make_user(session, "social_worker", wales, team=team, name="Siân Gweithiwr")
    sign_in(web, user)
    reading_in(web, "cy")
    return user


def family_of(session, ref="FAM1") -> Family:
    session.expire_all()
    return session.scalar(select(Family).where(Family.reference == ref))


def one_child(session, la) -> Family:
    assert record(session, la, [opened("C1", date(2026, 5, 1))]).ok
    return family_of(session)


def page_text(web, url) -> str:
    response = web.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # The main content only: the header's navigation (base.html) is marked separately.
    return soup(response).find("main").get_text(" ", strip=True)


def test_the_home_page_reads_in_welsh(session, wales, welsh_manager, web):
    one_child(session, wales)
    response = web.get("/families")
    assert response.status_code == 200
    assert soup(response).title.get_text().startswith("Fy nheuluoedd")
    text = soup(response).find("main").get_text(" ", strip=True)
    assert "Teuluoedd fy nhîm" in text and "Agor teulu newydd" in text and "Dod o hyd i deulu" in text
    assert "Nid oes unrhyw deuluoedd wedi'u dyrannu i'ch tîm eto." in text
    assert "Heb eu dyrannu eto: 1 teulu" in text
    for english in ("My team's families", "Open a new family", "Find a family", "Not yet allocated"):
        assert english not in text


def test_the_home_page_search_reads_in_welsh(session, wales, welsh_manager, web):
    assert record(session, wales, [opened("C1", date(2026, 5, 1), "HA-1"), opened("C2", date(2026, 5, 1), "HA-12")]).ok
    response = submit(web, "/families", {"reference": "ha-1"})
    assert response.status_code == 200
    heading = soup(response).select_one("#matches").get_text(" ", strip=True)
    assert heading == "2 teulu yn eich awdurdod yn cyfateb i ‘ha-1’"
    links = [a.get_text(" ", strip=True) for a in soup(response).select("#matches + ul a")]
    assert links == ["Teulu HA-1", "Teulu HA-12"]


def test_the_family_summary_reads_in_welsh(session, wales, welsh_manager, web):
    family = one_child(session, wales)
    response = web.get(f"/families/{family.id}")
    assert soup(response).title.get_text().startswith("Teulu FAM1")
    text = page_text(web, f"/families/{family.id}")
    for welsh in ("Teulu FAM1", "Crynodeb", "Llinell amser", "Rhwydwaith teulu", "Trywydd archwilio",
                  "Beth sydd angen ei wneud", "Dim FGC wedi'i chynnig eto: cynigiwch un cyn unrhyw symud i ofal.",
                  "Y peth nesaf sy'n ddyledus", "Cymorth cynnar",
                  "Cynigiwch gynhadledd grŵp teulu cyn unrhyw symud i ofal",
                  "Cofnodi cam ar gyfer y teulu", "Ychwanegu plentyn at y teulu",
                  "Nid oes cynhadledd grŵp teulu wedi'i chynnig i'r teulu hwn.", "Dim achos gofal.", "1 Mai 2026"):
        assert welsh in text, welsh
    for english in ("What needs doing", "No FGC offered yet", "Next thing due", "Early help",
                    "Offer a family group conference before any move into care", "No care proceedings.", "Summary"):
        assert english not in text, english


def test_the_children_timeline_and_audit_parts_read_in_welsh(session, wales, welsh_manager, web):
    family = one_child(session, wales)
    children = page_text(web, f"/families/{family.id}/children")
    assert "Plentyn C1" in children and "Taith plentyn C1 ar y llwybr" in children
    assert "Cymorth cynnar, ers 1 Mai 2026" in children and "Rhyw ac ethnigrwydd" in children
    assert "journey on the pathway" not in children and "Date of birth" not in children

    timeline = page_text(web, f"/families/{family.id}/timeline")
    assert "Pob cam a gofnodwyd ar gyfer y teulu hwn, y mwyaf diweddar yn gyntaf." in timeline
    assert "Every step recorded for this family" not in timeline

    # An audit entry of the pages' own: a step recorded through the step page, in Welsh.
    done = submit(web, f"/families/{family.id}/steps/offer-fgc", date_fields("date", date(2026, 5, 2)))
    assert done.status_code == 302
    audit = page_text(web, f"/families/{family.id}/audit")
    assert "Pob newid i gofnod y teulu hwn, y mwyaf diweddar yn gyntaf." in audit
    assert "Cofnodwyd: " in audit and "Cynhadledd grŵp teulu wedi'i chynnig ar 2 Mai 2026" in audit
    assert "Recorded: " not in audit and "Family group conference offered on" not in audit


def test_a_step_page_and_its_confirmation_read_in_welsh(session, wales, welsh_worker, web):
    family = one_child(session, wales)
    url = f"/families/{family.id}/steps/offer-fgc"
    text = page_text(web, url)
    assert "Teulu FAM1" in text and "Family FAM1" not in text
    back = soup(web.get(url)).select_one(".govuk-back-link").get_text(strip=True)
    assert back == "Yn ôl"
    done = submit(web, url, date_fields("date", date(2026, 5, 2)))
    assert done.status_code == 302
    after = text_of(web.get(done.headers["Location"]))
    assert "Cynnig cynhadledd grŵp teulu wedi'i gofnodi ar gyfer teulu FAM1" in after
    assert "Family group conference offer recorded" not in after


def test_a_new_family_page_and_its_confirmation_read_in_welsh(session, wales, welsh_worker, web):
    text = page_text(web, "/families/new")
    assert "Agor teulu newydd" in text and "Teulu newydd" in text and "Agorwch achos y plentyn cyntaf." in text
    assert "Open a new family" not in text and "Open the first child's case" not in text


def test_a_child_step_confirmation_reads_in_welsh(session, wales, welsh_worker, web):
    family = one_child(session, wales)
    child = session.scalar(select(Child).where(Child.reference == "C1"))
    url = f"/families/{family.id}/children/{child.id}/steps/start-cp-plan"
    text = page_text(web, url)
    assert "Teulu FAM1: plentyn C1, Cymorth cynnar" in text
    done = submit(web, url, date_fields("date", date(2026, 5, 3)))
    assert done.status_code == 302, text_of(done)
    after = text_of(web.get(done.headers["Location"]))
    assert "Dechrau'r cynllun amddiffyn gofal a chymorth wedi'i gofnodi ar gyfer plentyn C1" in after
    assert "recorded for child C1" not in after


def test_the_allocation_page_and_its_confirmation_read_in_welsh(session, wales, team, welsh_manager, web):
    family = one_child(session, wales)
    worker = make_user(session, "social_worker", wales, team=team, name="Siân Gweithiwr")
    url = f"/families/{family.id}/allocation"
    text = page_text(web, url)
    assert "Dyrannu'r teulu" in text and "Dewiswch dîm" in text and "Allocate the family" not in text
    done = submit(web, url, {"team": str(team.id), "worker": str(worker.id)})
    assert done.status_code == 302
    after = text_of(web.get(done.headers["Location"]))
    assert "Teulu FAM1 wedi'i ddyrannu" in after and "Family FAM1 allocated" not in after


def test_the_family_network_and_genogram_read_in_welsh(session, wales, welsh_worker, web):
    assert record(session, wales, [
        opened("C1", date(2026, 5, 4)),
        step("add_person", date(2026, 5, 4), person_ref="NM-1", sex="F"),
        step("relate_person", date(2026, 5, 4), child_ref="C1", person_ref="NM-1", relationship="mother",
             parental_responsibility="yes"),
    ]).ok  # fmt: skip
    family = family_of(session)
    network = page_text(web, f"/families/{family.id}/network")
    assert "Rhwydwaith teulu" in network and "Pobl" in network and "Genogram (i'w argraffu)" in network
    assert "Mam plentyn C1: â chyfrifoldeb rhiant (ers 4 Mai 2026)" in network
    assert "How they relate to each child" not in network and "has parental responsibility" not in network
    genogram = page_text(web, f"/families/{family.id}/genogram")
    assert "Y genogram mewn geiriau: pwy sy'n perthyn i bob plentyn" in genogram
    assert "The genogram in words" not in genogram


def test_the_court_application_summary_reads_in_welsh(session, wales, welsh_worker, web):
    assert record(session, wales, [
        opened("C1", date(2026, 5, 1)), step("offer_fgc", date(2026, 5, 2)),
        step("send_letter_before_proceedings", date(2026, 5, 10)),
        step("issue_proceedings", date(2026, 6, 1), "FAM1", "C1", proceedings_ref="PR1"),
    ]).ok  # fmt: skip
    family = family_of(session)
    proceedings = session.scalar(select(Proceedings).where(Proceedings.reference == "PR1"))
    text = page_text(web, f"/families/{family.id}/proceedings/{proceedings.id}/court-summary")
    assert "Crynodeb o'r cais i'r llys: achos PR1" in text
    assert "A gynullwyd cynhadledd grŵp teulu? Os na, pam lai?" in text
    assert "Naddo. Cynigiwyd cynhadledd grŵp teulu ar 2 Mai 2026" in text
    assert "Llety adran 76" in text and "Llythyr cyn achos" in text
    assert "Court application summary" not in text and "No. A family group conference" not in text


def test_the_family_page_stays_in_english_for_an_english_reader(session, wales, team, web):
    user = make_user(session, "team_manager", wales, team=team, name="Rhian Rheolwr")
    sign_in(web, user)
    reading_in(web, "en")
    family = one_child(session, wales)
    text = page_text(web, f"/families/{family.id}")
    assert "What needs doing" in text and "No FGC offered yet: offer one before any move into care." in text
    assert "Offer a family group conference before any move into care" in text and "1 May 2026" in text


def test_the_next_thing_due_and_an_overdue_item_render_in_welsh(web_app):
    """The page builders return Messages: English as a `str`, Welsh when rendered for a Welsh reader."""
    from pathway.families import pages
    from pathway.i18n import render

    overdue = pages._by(pages.msg("First looked-after review"), date(2026, 11, 1), date(2026, 11, 20))
    assert overdue.overdue
    assert overdue == "First looked-after review: was due by 1 November 2026, 19 days ago"
    note = pages.msg(", the end of 16 weeks of pre-proceedings")
    due = pages._by(pages.msg("Decide whether to step down or issue"), date(2026, 12, 3), date(2026, 11, 20), note)
    with web_app.test_request_context("/", headers={"Accept-Language": "cy"}):
        assert render(overdue) == "Adolygiad derbyn gofal cyntaf: roedd yn ddyledus erbyn 1 Tachwedd 2026, 19 diwrnod yn ôl"
        assert render(due) == ("Penderfynu a ddylid camu i lawr neu ddechrau achos erbyn 3 Rhagfyr 2026, "
                               "diwedd 16 wythnos y cyfnod cyn achos")
        assert render(pages.recorded("accommodate_s20", "wales")) == "Llety adran 76 wedi'i gofnodi"
