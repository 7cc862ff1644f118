"""The family network pages (issue 9): the network, one form per step, the genogram, the court
application summary, and who may see them."""
from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select

from conftest import opened, record, step
from pathway.models import AuditEntry, Event, Person, Proceedings
from web_helpers import (  # noqa: F401
    date_fields,
    error_summary,
    field_error,
    make_team,
    make_user,
    sign_in,
    soup,
    submit,
    text_of,
    web,
    web_app,
)
from test_pages import child_of, family_of

D = date


@pytest.fixture
def worker(session, england, web):
    user = make_user(session, "social_worker", england, team=make_team(session, england), name="Sam Worker")
    sign_in(web, user)
    return user


def with_network(session, la, *extra):
    """FAM1: children C1 and C2 (half-siblings), mother NM-1 (PR), fathers NF-1 (PR) and NF-2."""
    history = [
        opened("C1", D(2026, 5, 4)), opened("C2", D(2026, 5, 4)),
        step("add_person", D(2026, 5, 4), person_ref="NM-1", sex="F", characteristics=("care_experienced",)),
        step("add_person", D(2026, 5, 4), person_ref="NF-1", sex="M"),
        step("add_person", D(2026, 5, 4), person_ref="NF-2", sex="M"),
        step("relate_person", D(2026, 5, 4), child_ref="C1", person_ref="NM-1", relationship="mother",
             parental_responsibility="yes"),
        step("relate_person", D(2026, 5, 4), child_ref="C2", person_ref="NM-1", relationship="mother",
             parental_responsibility="yes"),
        step("relate_person", D(2026, 5, 4), child_ref="C1", person_ref="NF-1", relationship="father",
             parental_responsibility="yes"),
        step("relate_person", D(2026, 5, 4), child_ref="C2", person_ref="NF-2", relationship="father",
             parental_responsibility="no"),
        *extra,
    ]
    assert record(session, la, history).ok
    return family_of(session)


def test_the_family_network_page_shows_each_person_and_how_they_relate(session, england, worker, web):
    family = with_network(session, england)
    page = web.get(f"/families/{family.id}/network")
    assert page.status_code == 200
    text = text_of(page)
    assert "Mother of child C1: has parental responsibility" in text
    assert "Father of child C2: no parental responsibility" in text
    assert "Care-experienced" in text
    svg = soup(page).select_one(".pathway-genogram svg")
    ElementTree.fromstring(str(svg))  # well-formed
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup(page).select("#genogram-text tbody tr")]
    assert ["NF-2", "Father", "C2", "No"] in rows
    # the family page links to it
    assert soup(web.get(f"/families/{family.id}")).find("a", href=f"/families/{family.id}/network")


def test_adding_a_person_records_the_step_and_keeps_the_name_off_the_event(session, england, worker, web):
    family = with_network(session, england)
    url = f"/families/{family.id}/network/add-person"
    response = submit(web, url, {"person_ref": "NG-1", "name": "Alex Example", "sex": "F",
                                 "characteristics": ["learning_disability"], **date_fields("date", D(2026, 6, 1))})
    assert response.status_code == 302
    person = session.scalar(select(Person).where(Person.reference == "NG-1"))
    assert person.name == "Alex Example"
    event = session.scalar(select(Event).where(Event.event == "add_person", Event.person_id == person.id))
    assert event.characteristics == "learning_disability"
    audits = session.scalars(select(AuditEntry.after).where(AuditEntry.action == "person:name")).all()
    assert audits and all("Alex" not in a for a in audits)  # the audit trail says a name was recorded, not the name
    assert "Alex Example (NG-1)" in text_of(web.get(f"/families/{family.id}/network"))


def test_a_person_added_twice_is_refused_in_the_field_and_nothing_is_written(session, england, worker, web):
    family = with_network(session, england)
    before = session.scalar(select(func.count(Event.id)))
    response = submit(web, f"/families/{family.id}/network/add-person",
                      {"person_ref": "NM-1", **date_fields("date", D(2026, 6, 1))})
    assert response.status_code == 200
    [(href, message)] = error_summary(response)
    assert href == "#person_ref" and "NM-1 is already in family FAM1's network" in message
    assert session.scalar(select(func.count(Event.id))) == before


def test_relating_a_person_to_a_child_from_the_childs_card(session, england, worker, web):
    family = with_network(session, england, step("add_person", D(2026, 5, 5), person_ref="NG-1"))
    c1 = child_of(session, "C1")
    page = soup(web.get(f"/families/{family.id}/network"))
    link = page.find("a", href=f"/families/{family.id}/children/{c1.id}/network/relate-person")
    assert link is not None
    response = submit(web, link["href"], {"person_ref": "NG-1", "relationship": "maternal_grandparent",
                                          "parental_responsibility": "no", **date_fields("date", D(2026, 6, 1))})
    assert response.status_code == 302
    assert "Maternal grandparent of child C1: no parental responsibility" in text_of(web.get(f"/families/{family.id}/network"))


def test_a_second_mother_is_refused_with_the_pathways_words(session, england, worker, web):
    family = with_network(session, england, step("add_person", D(2026, 5, 5), person_ref="NG-1"))
    c1 = child_of(session, "C1")
    response = submit(web, f"/families/{family.id}/children/{c1.id}/network/relate-person",
                      {"person_ref": "NG-1", "relationship": "mother", "parental_responsibility": "yes",
                       **date_fields("date", D(2026, 6, 1))})
    assert response.status_code == 200
    assert any("NM-1 is already recorded as child C1's mother" in m for _h, m in error_summary(response))


def test_consent_offers_only_the_childs_pr_holders_and_the_child(session, england, worker, web):
    family = with_network(session, england, step("offer_fgc", D(2026, 5, 6)))
    c2 = child_of(session, "C2")
    page = soup(web.get(f"/families/{family.id}/children/{c2.id}/steps/accommodate-s20"))
    values = {i["value"] for i in page.select("input[name=consent_by]")}
    assert values == {"NM-1", "child"}  # NF-2 has no PR for C2; the old words are gone
    response = submit(web, f"/families/{family.id}/children/{c2.id}/steps/accommodate-s20",
                      {"consent_by": "NM-1", **date_fields("date", D(2026, 6, 1))})
    assert response.status_code == 302
    assert child_of(session, "C2").stage == "section_20"


def test_an_exception_in_a_form_needs_who_decided(session, england, worker, web):
    family = with_network(session, england)
    c1 = child_of(session, "C1")
    response = submit(web, f"/families/{family.id}/children/{c1.id}/steps/accommodate-s20",
                      {"consent_by": "NM-1", "exception": "Mother in hospital", **date_fields("date", D(2026, 6, 1))})
    assert response.status_code == 200
    assert ("#decided_by", "Enter who decided, with their role") in error_summary(response)
    response = submit(web, f"/families/{family.id}/children/{c1.id}/steps/accommodate-s20",
                      {"consent_by": "NM-1", "exception": "Mother in hospital", "decided_by": "A. Manager, team manager",
                       **date_fields("date", D(2026, 6, 1))})
    assert response.status_code == 302
    assert session.scalar(select(Event.decided_by).where(Event.event == "accommodate_s20")) == "A. Manager, team manager"


def test_the_letter_form_offers_the_meeting_to_every_pr_holder_by_default(session, england, worker, web):
    family = with_network(session, england)
    page = soup(web.get(f"/families/{family.id}/steps/send-letter-before-proceedings"))
    ticked = {i["value"] for i in page.select("input[name=offered_to][checked]")}
    assert ticked == {"NM-1", "NF-1"}


def test_an_objection_then_removal_from_the_pages(session, england, worker, web):
    family = with_network(session, england, step("offer_fgc", D(2026, 5, 6)),
                          step("accommodate_s20", D(2026, 5, 10), child_ref="C1", consent_by="NM-1"))
    c1 = child_of(session, "C1")
    response = submit(web, f"/families/{family.id}/children/{c1.id}/network/object-to-accommodation",
                      {"person_ref": "NF-1", **date_fields("date", D(2026, 6, 1))})
    assert response.status_code == 302
    card = soup(web.get(f"/families/{family.id}/children")).find(id=f"child-{c1.id}")
    offered = {a["href"].rsplit("/", 1)[1] for a in card.select("a[href*='/steps/']")}
    assert "remove-from-accommodation" in offered
    response = submit(web, f"/families/{family.id}/children/{c1.id}/steps/return-home",
                      date_fields("date", D(2026, 6, 2)))
    assert any("NF-1 objected on 1 June 2026" in m for _h, m in error_summary(response))
    response = submit(web, f"/families/{family.id}/children/{c1.id}/steps/remove-from-accommodation",
                      {"person_ref": "NF-1", **date_fields("date", D(2026, 6, 2))})
    assert response.status_code == 302
    assert child_of(session, "C1").stage == "reunification"


def test_the_court_application_summary_answers_the_fgc_question_from_the_history(session, england, worker, web):
    family = with_network(
        session, england, step("offer_fgc", D(2026, 5, 6)), step("fgc_accepted", D(2026, 5, 8)),
        step("send_letter_before_proceedings", D(2026, 5, 10), offered_to=("NF-1", "NM-1")),
        step("carer_assessment", D(2026, 5, 20), person_ref="NF-2", outcome="viability_negative"),
        step("issue_proceedings", D(2026, 6, 1), child_ref="C1", proceedings_ref="ZW26C00100",
             exception="A meeting would put the child at risk", decided_by="A. Head, head of service"),
    )
    proceedings = session.scalar(select(Proceedings))
    page = web.get(f"/families/{family.id}/proceedings/{proceedings.id}/court-summary")
    assert page.status_code == 200
    answer = soup(page).find(id="fgc-answer").get_text(" ", strip=True)
    assert answer.startswith("No. The family accepted the conference offered on 6 May 2026")
    assert "A meeting would put the child at risk" in answer and "A. Head, head of service" in answer
    text = text_of(page)
    assert "It offered a family group decision-making meeting to NF-1, NM-1" in text
    assert "Viability assessment: negative" in text
    cells = [td.get_text(strip=True) for td in soup(page).select("#summary-children tbody td")]
    assert "NM-1" in cells and "NF-1" in cells


def test_a_parent_in_earlier_proceedings_is_shown_as_such(session, england, worker, web):
    earlier = [
        opened("E1", D(2025, 1, 6), "FAM0"),
        step("add_person", D(2025, 1, 6), "FAM0", person_ref="NM-1", sex="F"),
        step("relate_person", D(2025, 1, 6), "FAM0", "E1", person_ref="NM-1", relationship="mother",
             parental_responsibility="yes"),
        step("offer_fgc", D(2025, 1, 7), "FAM0"), step("send_letter_before_proceedings", D(2025, 1, 8), "FAM0"),
        step("issue_proceedings", D(2025, 2, 1), "FAM0", "E1", proceedings_ref="ZW25C00001"),
    ]
    assert record(session, england, earlier).ok
    family = with_network(session, england, step("offer_fgc", D(2026, 5, 6)),
                          step("send_letter_before_proceedings", D(2026, 5, 10)),
                          step("issue_proceedings", D(2026, 6, 1), child_ref="C1", proceedings_ref="ZW26C00100"))
    page = soup(web.get(f"/families/{family.id}/network"))
    tags = [t.get_text(strip=True) for t in page.select(".govuk-summary-card__title .govuk-tag")]
    assert tags == ["Parent in 2 care proceedings"]


def test_another_authority_cannot_see_the_network_pages(session, england, wales, web):
    family = with_network(session, england)
    outsider = make_user(session, "social_worker", wales, email="outsider@example.test")
    sign_in(web, outsider)
    for url in (f"/families/{family.id}/network", f"/families/{family.id}/genogram",
                f"/families/{family.id}/network/add-person"):
        assert web.get(url).status_code == 404, url


def test_a_board_member_cannot_see_the_network_pages(session, england, web):
    family = with_network(session, england)
    board = make_user(session, "fjb_viewer", None, dfj_area=england.dfj_area, email="board@example.test")
    sign_in(web, board)
    assert web.get(f"/families/{family.id}/network").status_code == 403
    assert web.get(f"/families/{family.id}/genogram").status_code == 403


def test_unknown_network_steps_are_404_not_500(session, england, worker, web):
    family = with_network(session, england)
    c1 = child_of(session, "C1")
    assert web.get(f"/families/{family.id}/network/relate-person").status_code == 404  # a child's step
    assert web.get(f"/families/{family.id}/children/{c1.id}/network/add-person").status_code == 404
    assert web.get(f"/families/{family.id}/steps/add-person").status_code == 404
    assert web.get(f"/families/{family.id}/network/nonsense").status_code == 404


# --- the managers' family network lists -----------------------------------------------------------


@pytest.fixture
def manager(session, england, web):
    user = make_user(session, "team_manager", england, team=make_team(session, england, "Court team"),
                     email="manager@example.test")
    sign_in(web, user)
    return user


def test_parents_to_offer_post_removal_support_are_listed_until_it_is_recorded(session, england, manager, web, clock):
    with_network(session, england, step("offer_fgc", D(2026, 5, 6)),
                 step("send_letter_before_proceedings", D(2026, 5, 10)),
                 step("issue_proceedings", D(2026, 5, 20), child_ref="C1", proceedings_ref="ZW26C00100"),
                 step("final_order", D(2026, 8, 1), child_ref="C1", proceedings_ref="ZW26C00100",
                      order_type="placement_order"))
    page = soup(web.get(f"/queues/{england.code}/family-network"))
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in page.select("#post-removal-support + p + div tbody tr")]
    assert rows == [["NF-1", "FAM1", "1 August 2026", "1 November 2026 Overdue"],
                    ["NM-1", "FAM1", "1 August 2026", "1 November 2026 Overdue"]]  # today is 20 November 2026
    assert record(session, england, [step("post_removal_support", D(2026, 11, 2), person_ref="NM-1",
                                          outcome="accepted")]).ok
    page = soup(web.get(f"/queues/{england.code}/family-network"))
    assert [tr.find("td").get_text(strip=True) for tr in page.select("#post-removal-support + p + div tbody tr")] == ["NF-1"]


def test_an_imported_exception_without_who_decided_is_listed_and_completed_once(session, england, manager, web):
    with_network(session, england, step("accommodate_s20", D(2026, 5, 10), child_ref="C1", consent_by="NM-1",
                                        exception="Mother admitted to hospital"))
    page = soup(web.get(f"/queues/{england.code}/family-network"))
    link = page.select_one("a[href$='/decided-by']")
    assert link is not None
    response = submit(web, link["href"], {"decided_by": ""})
    assert ("#decided_by", "Enter who decided, with their role") in error_summary(response)
    assert submit(web, link["href"], {"decided_by": "Pat Manager, team manager"}).status_code == 302
    assert "Every exception records who decided" in text_of(web.get(f"/queues/{england.code}/family-network"))
    assert web.get(link["href"]).status_code == 404  # completed: nothing left to complete
    # the export carries it, so export, import, export gives the same rows
    from pathway.transfer import export_text

    assert "Pat Manager, team manager" in export_text(session)


def test_a_social_worker_cannot_open_the_managers_lists(session, england, worker, web):
    assert web.get(f"/queues/{england.code}/family-network").status_code == 403


def test_an_extension_for_one_child_and_fdac_from_the_family_page(session, england, worker, web):
    family = with_network(session, england, step("offer_fgc", D(2026, 5, 6)),
                          step("send_letter_before_proceedings", D(2026, 5, 10), offered_to=("NF-1", "NF-2", "NM-1")),
                          step("issue_proceedings", D(2026, 5, 20), child_ref="C1", proceedings_ref="ZW26C00200"),
                          step("issue_proceedings", D(2026, 5, 20), child_ref="C2", proceedings_ref="ZW26C00200"))
    proceedings = session.scalar(select(Proceedings))
    url = f"/families/{family.id}/proceedings/{proceedings.id}/extend"
    choices = [o["value"] for o in soup(web.get(url)).select("select[name=child_ref] option")]
    assert choices == ["", "C1", "C2"]
    response = submit(web, url, {"weeks": "4", "reason": "parenting_assessment", "child_ref": "C2",
                                 **date_fields("date", D(2026, 11, 10))})
    assert response.status_code == 302
    assert session.scalar(select(Event.child_id).where(Event.event == "extend_timetable")) == child_of(session, "C2").id
    link = soup(web.get(f"/families/{family.id}")).find("a", href=f"/families/{family.id}/proceedings/{proceedings.id}/fdac")
    assert link is not None
    assert submit(web, link["href"], date_fields("date", D(2026, 6, 1))).status_code == 302
    session.expire_all()
    assert session.get(Proceedings, proceedings.id).fdac is True
