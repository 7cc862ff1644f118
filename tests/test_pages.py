"""The social workers' pages: home, family page, one form per step, allocation, audit trail.

Pages are parsed (BeautifulSoup) and checked on GOV.UK markup: error summary links, the title's
"Error: " prefix, the stage indicator's marked current stage, the timetable panel.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from conftest import opened, record, step
from pathway.models import AuditEntry, Child, Event, Family, Proceedings
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


def count(session, model) -> int:
    return session.scalar(select(func.count(model.id)))


@pytest.fixture
def worker(session, england, web):
    team = make_team(session, england)
    user = make_user(session, "social_worker", england, team=team, name="Sam Worker")
    sign_in(web, user)
    return user


def family_of(session, ref="FAM1") -> Family:
    session.expire_all()
    return session.scalar(select(Family).where(Family.reference == ref))


def child_of(session, ref) -> Child:
    return session.scalar(select(Child).where(Child.reference == ref))


def two_children(session, la):
    outcome = record(session, la, [opened("C1", date(2026, 1, 5)), opened("C2", date(2026, 1, 5), dob=date(2019, 2, 3))])
    assert outcome.ok, outcome.errors
    return family_of(session)


# --- a refused gate writes nothing and says why ---------------------------------------------


def test_a_refused_gate_writes_nothing_and_explains_itself(session, england, worker, web):
    family = two_children(session, england)
    c1 = child_of(session, "C1")
    events, audits = count(session, Event), count(session, AuditEntry)
    url = f"/families/{family.id}/children/{c1.id}/steps/accommodate-s20"
    response = submit(web, url, {**date_fields("date", date(2026, 2, 1)), "consent_by": "mother"})
    assert response.status_code == 200
    assert soup(response).title.get_text().startswith("Error: ")
    [(href, message)] = error_summary(response)
    assert href == "#exception"
    assert "No family group conference has been offered" in message and "Offer one before child C1" in message
    assert field_error(response, "exception").endswith(message)
    assert count(session, Event) == events and count(session, AuditEntry) == audits
    assert child_of(session, "C1").stage == "early_help"
    # the worker's answers are kept on the page
    assert soup(response).find("input", attrs={"name": "consent_by", "value": "mother"}).has_attr("checked")


def test_every_gate_problem_is_listed_against_its_own_field(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5), dob=date(2012, 1, 1))])
    family, c1 = family_of(session), child_of(session, "C1")
    response = submit(web, f"/families/{family.id}/children/{c1.id}/steps/accommodate-s20",
                      {**date_fields("date", date(2026, 2, 1)), "consent_by": "child"})
    hrefs = [href for href, _ in error_summary(response)]
    assert hrefs == ["#consent_by", "#exception"]
    assert "under 16" in field_error(response, "consent_by")


def test_the_exception_lets_the_step_through_and_is_on_the_timeline(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family, c1 = family_of(session), child_of(session, "C1")
    response = submit(web, f"/families/{family.id}/children/{c1.id}/steps/accommodate-s20", {
        **date_fields("date", date(2026, 2, 1)), "consent_by": "father",
        "exception": "Mother in hospital overnight; team manager agreed on 1 February.",
        "decided_by": "Pat Manager, team manager",
    })  # fmt: skip
    assert response.status_code == 302
    page = web.get(response.headers["Location"])
    assert "Section 20 accommodation recorded for child C1" in text_of(page)
    text = text_of(web.get(f"/families/{family.id}/timeline"))
    assert "Exception recorded: Mother in hospital overnight" in text
    assert "Agreed by: Father" in text
    assert "Decided by: Pat Manager, team manager" in text
    ev = session.scalar(select(Event).where(Event.event == "accommodate_s20"))
    assert ev.recorded_by_id == worker.id and ev.source == "form"


def test_form_validation_errors_use_the_gov_uk_error_summary(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family, c1 = family_of(session), child_of(session, "C1")
    events = count(session, Event)
    response = submit(web, f"/families/{family.id}/children/{c1.id}/steps/emergency-protection", {})
    assert error_summary(response) == [
        ("#date-day", "Enter the date the emergency protection started"),
        ("#emergency_type", "Select the kind of emergency protection"),
    ]
    response = submit(web, f"/families/{family.id}/children/{c1.id}/steps/emergency-protection",
                      {"date": ["31", "2", "2026"], "emergency_type": "epo"})
    assert error_summary(response) == [("#date-day", "The date the emergency protection started must be a real date")]
    response = submit(web, f"/families/{family.id}/children/{c1.id}/steps/emergency-protection",
                      {"date": ["1", "2", "26"], "emergency_type": "epo"})
    assert error_summary(response) == [("#date-day", "Year must include 4 numbers")]
    assert count(session, Event) == events


def test_a_date_in_the_future_is_refused_by_the_pathway(session, england, worker, web, clock):
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family = family_of(session)
    tomorrow = date(2026, 11, 21)
    response = submit(web, f"/families/{family.id}/steps/offer-fgc", date_fields("date", tomorrow))
    [(href, message)] = error_summary(response)
    assert href == "#date-day" and "is in the future" in message
    today = submit(web, f"/families/{family.id}/steps/offer-fgc", date_fields("date", clock.today()))
    assert today.status_code == 302


def test_a_stale_page_is_refused_as_a_conflict(session, england, worker, web):
    family = two_children(session, england)
    url = f"/families/{family.id}/steps/offer-fgc"
    page = web.get(url)
    stale = {i["name"]: i.get("value", "") for i in soup(page).select("form input[type=hidden]")}
    record(session, england, [step("start_cp_plan", date(2026, 1, 8), child_ref="C2")])  # someone else
    events = count(session, Event)
    response = web.post(url, data={**stale, **date_fields("date", date(2026, 1, 9))})
    assert response.status_code == 200
    [(href, message)] = error_summary(response)
    assert "changed by someone else" in message and href == "#date-day"
    assert count(session, Event) == events
    assert submit(web, url, date_fields("date", date(2026, 1, 9))).status_code == 302


def test_only_the_steps_the_pathway_allows_now_are_offered(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family, c1 = family_of(session), child_of(session, "C1")
    page = soup(web.get(f"/families/{family.id}/children"))
    card = page.find(id=f"child-{c1.id}")
    offered = {a["href"].rsplit("/", 1)[1] for a in card.select("a[href*='/steps/']")}
    # a review conference needs a plan to review: shown as not possible yet, not as a link
    assert offered == {"start-cp-plan", "accommodate-s20", "emergency-protection", "issue-proceedings", "close-case",
                       "strategy-discussion", "initial-cp-conference"}
    summary = soup(web.get(f"/families/{family.id}"))
    family_links = {a["href"].rsplit("/", 1)[1] for a in summary.select("a[href*='/families/'][href*='/steps/']")
                    if "/children/" not in a["href"]}
    assert family_links == {"offer-fgc", "send-letter-before-proceedings", "decide-pre-proceedings"}
    blocked = [li.get_text(" ", strip=True) for li in summary.select(".pathway-steps-blocked li")]
    no_decision = ("No decision to start pre-proceedings is recorded for family FAM1. Record the legal planning "
                   "meeting's decision to start pre-proceedings first.")
    assert blocked == [
        "Family accepted the FGC : No family group conference has been offered to this family. Record the offer first.",
        "Family group conference held : No family group conference has been offered to this family. "
        "Record the offer first.",
        "Family declined the FGC : No family group conference has been offered to this family. Record the offer first.",
        # Children in Need census module 5 (issue 16)
        f"Pre-proceedings meeting : {no_decision}",
        f"Pre-proceedings decision: issue or step down : {no_decision}",
        "Send the letter to issue proceedings : No pre-proceedings decision to issue proceedings is recorded for "
        "family FAM1. Record the decision to issue first.",
    ]
    # a step the machine does not allow from this stage is refused with the pathway's words
    response = submit(web, f"/families/{family.id}/children/{c1.id}/steps/return-home", date_fields("date", date(2026, 2, 1)))
    [(_, message)] = error_summary(response)
    assert "cannot be recorded for child C1, who is at the stage 'Early help'" in message


def offers(web, family, child):
    """(links offered, {step label: reason shown} for steps not possible) on a child's card."""
    card = soup(web.get(f"/families/{family.id}/children")).find(id=f"child-{child.id}")
    links = {a["href"].rsplit("/", 1)[1] for a in card.select("a[href*='/steps/']")}
    blocked = {li.select_one("span").get_text(strip=True): li.get_text(" ", strip=True).split(" : ", 1)[1]
               for li in card.select(".pathway-steps-blocked li")}
    return links, blocked, card


def test_a_step_a_gate_would_refuse_is_shown_as_not_possible_with_the_reason(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5)), step("send_letter_before_proceedings", date(2026, 1, 9))])
    family, c1 = family_of(session), child_of(session, "C1")
    links, blocked, card = offers(web, family, c1)
    # in pre-proceedings without ever having had a plan: ending one is not offered, and says why
    assert "end-cp-plan" not in links
    assert blocked == {"End the child protection plan":
                       "Child C1 is not on a child protection plan, so there is no plan to end.",
                       "Child protection review conference": "Child C1 has no child protection plan to review."}
    # section 20 before any FGC offer: still reachable (an exception may be right), with the reason
    assert "accommodate-s20" in links
    hint = card.find("a", href=lambda h: h and h.endswith("/accommodate-s20")).find_next("p").get_text(" ", strip=True)
    assert hint.startswith("Needs an exception: No family group conference has been offered to this family")
    # the same gate, asked by the form page
    form = text_of(web.get(f"/families/{family.id}/children/{c1.id}/steps/accommodate-s20"))
    assert "This step needs an exception: No family group conference has been offered" in form
    # and a blocked step's own form says why before anything is typed
    form = text_of(web.get(f"/families/{family.id}/children/{c1.id}/steps/end-cp-plan"))
    assert "Not possible yet for child C1: Child C1 is not on a child protection plan" in form


def test_closing_the_case_is_not_offered_during_proceedings(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5)), step("offer_fgc", date(2026, 1, 6)),
                              step("send_letter_before_proceedings", date(2026, 1, 9)),
                              step("issue_proceedings", date(2026, 3, 2), child_ref="C1", proceedings_ref="P1")])
    family, c1 = family_of(session), child_of(session, "C1")
    links, blocked, _card = offers(web, family, c1)
    assert "close-case" not in links and "final-order" in links
    assert blocked["Close the case"] == ("Child C1 is a party to proceedings P1, which are still open. Record the "
                                         "final order before closing the case.")
    # the summary offers the extension for the open proceedings
    assert "Record an extension" in text_of(web.get(f"/families/{family.id}"))
    # and once the order is made, closing is offered
    record(session, england, [step("final_order", date(2026, 8, 3), child_ref="C1", proceedings_ref="P1",
                                   order_type="sgo")])
    links, blocked, _card = offers(web, family, c1)
    assert "close-case" in links and "Close the case" not in blocked
    assert "Record an extension" not in text_of(web.get(f"/families/{family.id}"))


def test_page_offers_and_service_refusals_agree_at_every_stage(session, england, worker, web, clock):
    """Every step the children page shows as not possible is refused by the service today, with
    the very reason shown; every step offered without an exception, with valid details, is taken."""
    from pathway import workflow as wf
    from pathway.services import family_state

    record(session, england, [opened("C1", date(2026, 1, 5)), opened("C2", date(2026, 1, 5)),
                              step("start_cp_plan", date(2026, 1, 6), child_ref="C2"),
                              step("send_letter_before_proceedings", date(2026, 1, 9))])
    family = family_of(session)
    state = family_state(session, family, clock.today())
    for child in (child_of(session, "C1"), child_of(session, "C2")):
        _links, blocked, _card = offers(web, family, child)
        for name in wf.steps_allowed(state.children[child.reference].stage):
            label = wf.event_label(name, "england")
            outcome = record(session, england, [step(name, clock.today(), child_ref=child.reference)])
            if label in blocked:
                assert not outcome.ok and blocked[label] == outcome.errors[0].message


# --- the journey: two children through proceedings -------------------------------------------


def test_two_children_through_proceedings(session, england, worker, web, clock):
    family = two_children(session, england)
    f = f"/families/{family.id}"
    c1, c2 = child_of(session, "C1"), child_of(session, "C2")
    assert submit(web, f"{f}/steps/offer-fgc", date_fields("date", date(2026, 1, 10))).status_code == 302
    assert submit(web, f"{f}/steps/send-letter-before-proceedings",
                  date_fields("date", date(2026, 1, 12))).status_code == 302
    # one application covers both children
    issue = web.get(f"{f}/children/{c1.id}/steps/issue-proceedings")
    assert soup(issue).find("input", attrs={"name": "also", "value": str(c2.id)}) is not None
    response = submit(web, f"{f}/children/{c1.id}/steps/issue-proceedings", {
        **date_fields("date", date(2026, 3, 2)), "proceedings_ref": "ZW26C00123", "also": [str(c2.id)],
    })  # fmt: skip
    assert response.status_code == 302, error_summary(response)
    session.expire_all()
    assert {c.stage for c in session.scalars(select(Child))} == {"proceedings"}
    proceedings = session.scalar(select(Proceedings))
    assert proceedings.deadline == date(2026, 8, 30)  # 2 March + 181 days

    page = web.get(f)
    panel = text_of(page)
    # 20 November 2026 is day 264: week 38 of 26, and 82 days past 30 August
    assert "Week 38 of 26, day 264" in panel
    assert "Overdue by 82 days: record the final orders, or an extension the court granted." in panel
    # the queue's flag for each child, as a GOV.UK warning with its text
    warnings = [w.get_text(" ", strip=True) for w in soup(page).select(".govuk-warning-text")]
    assert "! Warning Child C1: Past the timetable deadline, the deadline was 30 August 2026, 82 days ago." in warnings
    assert "! Warning Child C2: Past the timetable deadline, the deadline was 30 August 2026, 82 days ago." in warnings

    response = submit(web, f"{f}/proceedings/{proceedings.id}/extend", {
        **date_fields("date", date(2026, 8, 20)), "weeks": "8", "reason": "kinship_assessment",
    })  # fmt: skip
    assert response.status_code == 302, error_summary(response)
    response = submit(web, f"{f}/proceedings/{proceedings.id}/extend", {
        **date_fields("date", date(2026, 10, 20)), "weeks": "8", "reason": "court_listing",
    })  # fmt: skip
    assert response.status_code == 302, error_summary(response)
    panel = text_of(web.get(f))
    # 30 August + 8 weeks = 25 October; + 8 weeks = 20 December
    assert "Deadline with extensions 20 December 2026" in panel
    assert "overdue" not in panel
    assert "8 weeks, granted 20 August 2026: Assessment of family and friends carers; complexity of the case" in panel

    for child, order in ((c1, "care_order"), (c2, "sgo")):
        response = submit(web, f"{f}/children/{child.id}/steps/final-order",
                          {**date_fields("date", date(2026, 11, 16)), "order_type": order})
        assert response.status_code == 302, error_summary(response)
    session.expire_all()
    assert child_of(session, "C1").stage == "care_order" and child_of(session, "C2").stage == "kinship_care"
    page = soup(web.get(f"{f}/timeline"))
    timeline = [" ".join(h.get_text().split()) for h in page.select(".pathway-timeline h3")]
    assert timeline[:4] == ["Record the final order: child C2", "Record the final order: child C1",
                            "Extend the 26-week timetable", "Extend the 26-week timetable"]
    assert "Issue care proceedings: child C1" in timeline and "Issue care proceedings: child C2" in timeline
    assert "Recorded by Sam Worker" in page.select_one(".pathway-timeline").get_text()
    assert "Concluded 16 November 2026, week 38" in text_of(web.get(f))


def test_a_final_order_takes_the_case_number_from_the_record_and_is_checked_in_date_order(
        session, england, worker, web):
    outcome = record(session, england, [
        opened("C1", date(2026, 1, 5)), step("offer_fgc", date(2026, 1, 6)),
        step("send_letter_before_proceedings", date(2026, 1, 7)),
        step("issue_proceedings", date(2026, 2, 2), child_ref="C1", proceedings_ref="P1"),
    ])  # fmt: skip
    assert outcome.ok, outcome.errors
    family, c1 = family_of(session), child_of(session, "C1")
    url = f"/families/{family.id}/children/{c1.id}/steps/final-order"
    assert soup(web.get(url)).find("input", attrs={"name": "proceedings_ref"}) is None
    # dated the day before issue: the mistake is the date, not the stage the child was at then
    response = submit(web, url, {**date_fields("date", date(2026, 2, 1)), "order_type": "care_order"})
    [(href, message)] = error_summary(response)
    assert href == "#date-day" and message == (
        "A final order cannot be dated 1 February 2026: proceedings P1 were issued on 2 February 2026. Check the date.")
    response = submit(web, url, {**date_fields("date", date(2026, 7, 1)), "order_type": "care_order"})
    assert response.status_code == 302
    ev = session.scalar(select(Event).where(Event.event == "final_order"))
    assert ev.proceedings.reference == "P1" and ev.order_type == "care_order"


# --- the family page ------------------------------------------------------------------------


def test_the_journey_shows_the_stages_passed_with_dates_the_current_one_and_what_is_next(
        session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5)), step("start_cp_plan", date(2026, 1, 9), child_ref="C1"),
                              step("offer_fgc", date(2026, 1, 12)),
                              step("send_letter_before_proceedings", date(2026, 2, 2))])
    family = family_of(session)
    page = soup(web.get(f"/families/{family.id}/children"))
    items = [li.get_text(" ", strip=True) for li in page.select(".pathway-journey li")]
    assert items == [
        "Early help 5 January 2026 to 9 January 2026 Passed",
        "Child protection plan 9 January 2026 to 2 February 2026 Passed",
        "Pre-proceedings Since 2 February 2026 Current stage",
        # 16 weeks from 2 February 2026 ended on 25 May 2026: overdue, in words
        "Next: Decide whether to step down or issue: was due by 25 May 2026, the end of 16 weeks of "
        "pre-proceedings, 179 days ago Overdue",
    ]
    current = page.select(".pathway-journey li[aria-current=step]")
    assert len(current) == 1 and "Pre-proceedings" in current[0].get_text()
    # the overdue next step is a GOV.UK warning, with text
    assert any("Overdue: Decide whether to step down or issue" in w.get_text()
               for w in page.select(".govuk-warning-text"))


def test_prompt_no_fgc_offered_until_one_is(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family = family_of(session)
    assert "No FGC offered yet: offer one before any move into care." in text_of(web.get(f"/families/{family.id}"))
    record(session, england, [step("offer_fgc", date(2026, 1, 6))])
    assert "No FGC offered yet" not in text_of(web.get(f"/families/{family.id}"))


def test_after_an_emergency_the_page_keeps_prompting_until_an_fgc_is_offered(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5)), step("offer_fgc", date(2026, 1, 6)),
                              step("fgc_declined", date(2026, 1, 20)),
                              step("emergency_protection", date(2026, 3, 1), child_ref="C1", emergency_type="epo")])
    family = family_of(session)
    prompt = ("Child C1 entered care under emergency protection on 1 March 2026 and no family group conference "
              "has been offered since.")
    assert prompt in text_of(web.get(f"/families/{family.id}"))
    record(session, england, [step("return_home", date(2026, 3, 5), child_ref="C1")])
    assert prompt in text_of(web.get(f"/families/{family.id}"))  # still prompting after going home
    assert submit(web, f"/families/{family.id}/steps/offer-fgc", date_fields("date", date(2026, 3, 6))).status_code == 302
    assert "entered care under emergency protection" not in text_of(web.get(f"/families/{family.id}"))


def test_welsh_authority_shows_welsh_terms(session, wales, web):
    user = make_user(session, "social_worker", wales)
    sign_in(web, user)
    record(session, wales, [opened("W1", date(2026, 1, 5)), step("start_cp_plan", date(2026, 1, 9), child_ref="W1")])
    family, child = family_of(session), child_of(session, "W1")
    text = text_of(web.get(f"/families/{family.id}/children"))
    assert "Care and support protection plan Since 9 January 2026 Current stage" in text
    assert "Accommodate by agreement (section 76)" in text and "section 20" not in text.lower()
    assert "section 31ZA" not in text
    assert "End the care and support protection plan" in text and "End the child protection plan" not in text
    form = text_of(web.get(f"/families/{family.id}/children/{child.id}/steps/accommodate-s20"))
    assert "Accommodate by agreement (section 76)" in form and "Under section 76" in form


def test_fgc_record_on_the_family_page(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5)), step("offer_fgc", date(2026, 1, 6)),
                              step("fgc_accepted", date(2026, 1, 8))])
    family = family_of(session)
    page = web.get(f"/families/{family.id}")
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup(page).select("table tbody tr")]
    assert ["6 January 2026", "Accepted", "8 January 2026", "–", "–"] in rows
    assert "Hold it before any care application (Children Act 1989 section 31ZA)" in text_of(page)
    links = {a["href"].rsplit("/", 1)[1] for a in soup(page).select("a[href*='/steps/']") if "/children/" not in a["href"]}
    assert links == {"hold-fgc", "fgc-declined", "send-letter-before-proceedings", "decide-pre-proceedings",
                     "refer-fgc", "close-fgc"}


# --- home, new family, add a child -----------------------------------------------------------


def test_home_lists_my_allocated_families_with_stage_and_next_thing_due(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5)), opened("C2", date(2026, 1, 5)),
                              step("start_cp_plan", date(2026, 10, 1), child_ref="C2"),
                              opened("X1", date(2026, 1, 5), family_ref="NOT-MINE")])
    family = family_of(session)
    family.worker_id, family.team_id = worker.id, worker.team_id
    session.commit()
    page = web.get("/families")
    rows = [[c.get_text(" ", strip=True) for c in tr.select("th, td")] for tr in soup(page).select("tbody tr")]
    assert rows == [
        ["FAM1", "C1", "Early help", "Offer a family group conference before any move into care"],
        ["C2", "Child protection plan", "Offer a family group conference before any move into care"],
    ]
    assert "NOT-MINE" not in text_of(page)


def test_manager_sees_unallocated_families_and_allocates_one_with_an_audit_entry(session, england, web):
    team = make_team(session, england)
    manager = make_user(session, "team_manager", england, team=team)
    worker = make_user(session, "social_worker", england, team=team, name="Sam Worker")
    sign_in(web, manager)
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family = family_of(session)
    assert "Not yet allocated: 1 family" in text_of(web.get("/families"))
    response = submit(web, f"/families/{family.id}/allocation", {"team": str(team.id), "worker": str(worker.id)})
    assert response.status_code == 302
    family = family_of(session)
    assert (family.team_id, family.worker_id) == (team.id, worker.id)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "allocate"))
    assert entry.user_id == manager.id and entry.family_id == family.id
    assert '"worker_id": null' in entry.before and f'"worker_id": {worker.id}' in entry.after
    page = web.get(f"/families/{family.id}")
    assert "Allocated to Sam Worker, Assessment team" in text_of(page)
    assert soup(page).find("a", string="Audit trail")["href"] == f"/families/{family.id}/audit"
    audit = soup(web.get(f"/families/{family.id}/audit"))
    [row] = audit.select("tbody tr")
    cells = row.select("td")
    assert cells[2].select_one("p").get_text(strip=True) == "Allocation changed"
    assert [li.get_text(strip=True) for li in cells[2].select("ul li")] == [
        "Team: nobody -> Assessment team", "Social worker: nobody -> Sam Worker"]
    # the raw record, for a manager, on request
    assert "Show the raw record" in cells[2].get_text() and '"worker_id": null' in cells[2].select_one("pre").get_text()


def test_audit_trail_is_for_managers_not_workers(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family = family_of(session)
    submit(web, f"/families/{family.id}/steps/offer-fgc", date_fields("date", date(2026, 1, 6)))
    assert count(session, AuditEntry) == 1
    assert "Audit trail" not in text_of(web.get(f"/families/{family.id}"))
    assert web.get(f"/families/{family.id}/audit").status_code == 403


def test_the_audit_trail_says_in_words_what_each_step_changed(session, england, web):
    team = make_team(session, england)
    manager = make_user(session, "team_manager", england, team=team)
    sign_in(web, manager)
    record(session, england, [opened("C1", date(2026, 1, 5)), step("offer_fgc", date(2026, 1, 6)),
                              step("send_letter_before_proceedings", date(2026, 1, 9)),
                              step("accommodate_s20", date(2026, 2, 1), child_ref="C1", consent_by="mother")])
    family = family_of(session)
    f = f"/families/{family.id}"
    assert submit(web, f"{f}/children/{child_of(session, 'C1').id}/steps/issue-proceedings", {
        **date_fields("date", date(2026, 2, 16)), "proceedings_ref": "ZW26C00123"}).status_code == 302
    p = session.scalar(select(Proceedings))
    assert submit(web, f"{f}/proceedings/{p.id}/extend", {
        **date_fields("date", date(2026, 8, 1)), "weeks": "2", "reason": "court_listing"}).status_code == 302
    rows = soup(web.get(f"{f}/audit")).select("tbody tr")
    said = [(r.select("td")[2].select_one("p").get_text(strip=True),
             [li.get_text(strip=True) for li in r.select("td")[2].select("ul li")]) for r in rows]
    assert said == [
        ("Recorded: Extend the 26-week timetable",
         ["Proceedings ZW26C00123, deadline: 16 August 2026 -> 30 August 2026"]),
        ("Recorded: Issue care proceedings",
         ["Child C1, stage: Section 20 accommodation -> Care proceedings from 16 February 2026",
          "Proceedings ZW26C00123 issued on 16 February 2026; deadline 16 August 2026"]),
    ]


def test_open_a_new_family_and_add_a_child(session, england, worker, web):
    response = submit(web, "/families/new", {
        "family_ref": "NEW-1", "child_ref": "K1", **date_fields("dob", date(2020, 6, 1)), "sex": "F",
        "ethnicity": "BAFR", **date_fields("date", date(2026, 11, 2)),
    })  # fmt: skip
    assert response.status_code == 302
    family = family_of(session, "NEW-1")
    assert family.worker_id == worker.id  # a worker's new family is theirs
    response = submit(web, f"/families/{family.id}/children/new", {
        "child_ref": "K2", **date_fields("dob", date(2027, 3, 1)), "sex": "M", "ethnicity": "NOBT",
        **date_fields("date", date(2026, 11, 3)),
    })  # fmt: skip
    assert response.status_code == 302, error_summary(response)
    assert [c.reference for c in family_of(session, "NEW-1").children] == ["K1", "K2"]
    # the same child reference again is refused by the pathway, against the field
    response = submit(web, f"/families/{family.id}/children/new", {
        "child_ref": "K2", **date_fields("dob", date(2021, 3, 1)), "sex": "M", "ethnicity": "NOBT",
        **date_fields("date", date(2026, 11, 3)),
    })  # fmt: skip
    [(href, message)] = error_summary(response)
    assert href == "#child_ref" and "already open" in message


def test_a_family_reference_in_use_is_refused(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5))])
    response = submit(web, "/families/new", {
        "family_ref": "FAM1", "child_ref": "K1", **date_fields("dob", date(2020, 6, 1)), "sex": "F",
        "ethnicity": "BAFR", **date_fields("date", date(2026, 11, 2)),
    })  # fmt: skip
    [(href, _)] = error_summary(response)
    assert href == "#family_ref"


def test_find_a_family_by_reference_within_my_authority(session, england, worker, web):
    from conftest import add_la

    other = add_la(session, "E09000777")
    record(session, england, [opened("C1", date(2026, 1, 5))])
    record(session, other, [opened("Z1", date(2026, 1, 5), family_ref="ELSEWHERE")])
    family = family_of(session)
    assert submit(web, "/families", {"reference": "FAM1"}).headers["Location"] == f"/families/{family.id}"
    response = submit(web, "/families", {"reference": "ELSEWHERE"})
    assert error_summary(response) == [(
        "#reference", "No family or child in your authority has a reference containing that. Check it and try again.")]


def test_find_a_family_by_part_of_a_family_or_child_reference_in_any_case(session, england, worker, web):
    from conftest import add_la

    other = add_la(session, "E09000777")
    record(session, england, [opened("HA-1-C1", date(2026, 1, 5), family_ref="HA-1"),
                              opened("HA-12-C1", date(2026, 1, 5), family_ref="HA-12"),
                              opened("KB_7", date(2026, 1, 5), family_ref="OTHER-3")])
    record(session, other, [opened("HA-1-C9", date(2026, 1, 5), family_ref="HA-100")])
    ids = {f.reference: f.id for f in session.scalars(select(Family))}
    # a child's reference, in lower case, finds the family
    assert submit(web, "/families", {"reference": "kb_7"}).headers["Location"] == f"/families/{ids['OTHER-3']}"
    # part of a reference lists every match in my authority, exact first, and none elsewhere
    page = soup(submit(web, "/families", {"reference": "ha-1"}))
    assert page.select_one("#matches").get_text(" ", strip=True) == "2 families in your authority match ‘ha-1’"
    assert [li.get_text(" ", strip=True) for li in page.select("#matches + ul li")] == [
        "Family HA-1 : child HA-1-C1", "Family HA-12 : child HA-12-C1"]
    assert "HA-100" not in text_of(submit(web, "/families", {"reference": "HA-1"}))
    # % and _ are characters, not wildcards
    assert error_summary(submit(web, "/families", {"reference": "%"}))[0][0] == "#reference"
    assert submit(web, "/families", {"reference": "B_"}).headers["Location"] == f"/families/{ids['OTHER-3']}"


def test_counts_say_what_they_count(session, england, web):
    team = make_team(session, england)
    manager = make_user(session, "team_manager", england, team=team)
    sign_in(web, manager)
    record(session, england, [opened("C1", date(2026, 1, 5)), opened("C2", date(2026, 1, 5))])
    assert "Not yet allocated: 1 family" in text_of(web.get("/families"))
    queues = text_of(web.get(f"/queues/{england.code}"))
    assert "Unallocated families: 2 children" in queues


def test_admin_adds_an_authority_a_team_and_a_user_who_can_sign_in(session, web):
    from pathway.models import LocalAuthority, Team, User

    admin = make_user(session, "admin")
    sign_in(web, admin)
    assert submit(web, "/admin/authorities", {"code": "E06000001", "name": "Hartlepool", "nation": "england",
                                              "dfj_area": "Cleveland", "submit": "Add the authority"}, form_index=1).status_code == 302
    la = session.scalar(select(LocalAuthority))
    page = web.get("/admin/authorities")
    values = {i["name"]: i.get("value", "") for i in soup(page).select("form")[2].select("input[type=hidden]")}
    assert web.post("/admin/authorities", data={**values, "team-la": str(la.id), "team-name": "Duty",
                                               "team-submit": "Add the team"}).status_code == 302
    team = session.scalar(select(Team))
    response = submit(web, "/admin/users", {"name": "Kim", "email": "kim@example.test", "role": "social_worker",
                                            "la": str(la.id), "team": str(team.id), "password": "short"})
    assert error_summary(response) == [("#password", "The password must be at least 12 characters")]
    response = submit(web, "/admin/users", {"name": "Kim", "email": "kim@example.test", "role": "social_worker",
                                            "la": str(la.id), "team": str(team.id), "password": "long enough pass"})
    assert response.status_code == 302
    kim = session.scalar(select(User).where(User.email == "kim@example.test"))
    assert kim.la_id == la.id and kim.team_id == team.id
    assert {a.action for a in session.scalars(select(AuditEntry))} == {"create_authority", "create_team", "create_user"}


def test_next_thing_due_says_when_a_review_date_has_passed():
    from types import SimpleNamespace

    from pathway.families.pages import next_due

    home = SimpleNamespace(stage="reunification", stage_since=date(2026, 5, 20), returned_home_on=date(2026, 5, 20),
                           closed_on=None, entered_care_in_emergency=False)
    assert next_due(home, None, True, "england", date(2026, 11, 20)) == "Six-month reunification review by 20 November 2026"
    assert next_due(home, None, True, "england", date(2026, 11, 21)) == (
        "Six-month reunification review: was due by 20 November 2026, 1 day ago")
    plan = SimpleNamespace(stage="child_protection", stage_since=date(2026, 9, 1), closed_on=None,
                           entered_care_in_emergency=False)
    assert next_due(plan, None, True, "wales", date(2026, 11, 20)) == (
        "First review of the care and support protection plan by 1 December 2026")
    assert next_due(plan, None, False, "wales", date(2026, 11, 20)) == (
        "Offer a family group conference before any move into care")


def test_next_thing_due_uses_the_reviews_the_queues_know_of():
    """The family pages give the same due dates as the managers' queues (queues/rules.py)."""
    from types import SimpleNamespace

    from pathway.families.pages import next_due
    from pathway.queues.rules import ChildFacts

    accommodated = SimpleNamespace(stage="section_20", stage_since=date(2026, 4, 1), closed_on=None,
                                   returned_home_on=None, entered_care_in_emergency=False)
    facts = ChildFacts(nation="england", stage="section_20", stage_since=date(2026, 4, 1))
    # No review yet: 20 working days from 1 April 2026, across Good Friday and Easter Monday.
    assert next_due(accommodated, None, True, "england", date(2026, 4, 20), facts) == (
        "First looked-after review by 1 May 2026")
    facts.looked_after_reviews, facts.last_looked_after_review = 1, date(2026, 4, 28)
    assert next_due(accommodated, None, True, "england", date(2026, 5, 20), facts) == (
        "Next looked-after review by 28 July 2026")  # the second within 3 months of the first
    home = SimpleNamespace(stage="reunification", stage_since=date(2026, 5, 20), returned_home_on=date(2026, 5, 20),
                           closed_on=None, entered_care_in_emergency=False)
    reviewed = ChildFacts(nation="england", stage="reunification", stage_since=date(2026, 5, 20),
                          returned_home_on=date(2026, 5, 20), last_reunification_review=date(2026, 11, 2))
    assert next_due(home, None, True, "england", date(2026, 11, 20), reviewed) == (
        "Six-month reunification review recorded on 2 November 2026")


def test_weeks_that_are_not_a_number_get_a_plain_message(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5)), step("offer_fgc", date(2026, 1, 6)),
                              step("send_letter_before_proceedings", date(2026, 1, 9)),
                              step("issue_proceedings", date(2026, 3, 2), child_ref="C1", proceedings_ref="P1")])
    family, p = family_of(session), session.scalar(select(Proceedings))
    events = count(session, Event)
    for typed in ("four", "4.5", "-2"):
        response = submit(web, f"/families/{family.id}/proceedings/{p.id}/extend", {
            **date_fields("date", date(2026, 8, 1)), "weeks": typed, "reason": "court_listing"})
        assert error_summary(response) == [
            ("#weeks", "The length of the extension in weeks must be a whole number, like 4")]
    response = submit(web, f"/families/{family.id}/proceedings/{p.id}/extend", {
        **date_fields("date", date(2026, 8, 1)), "weeks": "9", "reason": "court_listing"})
    assert error_summary(response) == [("#weeks", "An extension must be from 1 to 8 weeks")]
    assert count(session, Event) == events
    response = submit(web, f"/families/{family.id}/proceedings/{p.id}/extend", {
        **date_fields("date", date(2026, 8, 1)), "weeks": "1", "reason": "court_listing"})
    assert response.status_code == 302
    assert "Extension of 1 week recorded for proceedings P1" in text_of(web.get(f"/families/{family.id}"))


def test_family_steps_flash_says_what_was_recorded(session, england, worker, web):
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family = family_of(session)
    response = submit(web, f"/families/{family.id}/steps/offer-fgc", date_fields("date", date(2026, 1, 6)))
    banner = soup(web.get(response.headers["Location"])).select_one(".govuk-notification-banner")
    assert "Family group conference offer recorded for family FAM1" in banner.get_text(" ", strip=True)


def test_allocation_offers_social_workers_only_without_nested_brackets(session, england, web):
    team = make_team(session, england, "Family safeguarding team")
    manager = make_user(session, "team_manager", england, team=team, name="Priya Manager")
    make_user(session, "social_worker", england, team=team, name="Sam Worker")
    make_user(session, "social_worker", england, name="Jo Teamless")
    sign_in(web, manager)
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family = family_of(session)
    page = soup(web.get(f"/families/{family.id}/allocation"))
    workers = [o.get_text(strip=True) for o in page.select("select[name=worker] option")]
    assert workers == ["Choose a social worker", "Jo Teamless", "Sam Worker, Family safeguarding team"]
    manager_id = str(manager.id)
    response = submit(web, f"/families/{family.id}/allocation", {"team": str(team.id), "worker": manager_id})
    assert response.status_code == 200 and family_of(session).worker_id is None
    # the signed-in line has no brackets inside brackets
    line = page.select_one(".pathway-signed-in").get_text(" ", strip=True)
    assert line == f"Signed in as Priya Manager, team manager at {england.name}"


def test_next_thing_due_says_how_a_child_entered_care_and_never_hides_an_overdue_item():
    from types import SimpleNamespace

    from pathway.families.pages import next_due

    excepted = SimpleNamespace(stage="section_20", stage_since=date(2026, 11, 2), closed_on=None,
                               entered_care_in_emergency=True, entered_care_by="accommodate_s20",
                               returned_home_on=None)
    assert next_due(excepted, None, False, "england", date(2026, 11, 20)) == (
        "Offer a family group conference: the child entered care with an exception recorded to the family group "
        "conference rule")
    protected = SimpleNamespace(**{**vars(excepted), "stage": "reunification", "entered_care_by": "emergency_protection",
                                   "returned_home_on": date(2026, 11, 1)})
    assert next_due(protected, None, False, "england", date(2026, 11, 20)) == (
        "Offer a family group conference: the child entered care under emergency protection")
    plan = SimpleNamespace(stage="child_protection", stage_since=date(2026, 3, 10), closed_on=None,
                           entered_care_in_emergency=False)
    due = next_due(plan, None, False, "england", date(2026, 11, 20))
    assert due.overdue and due == "First review of the child protection plan: was due by 10 June 2026, 163 days ago"


def test_a_part_of_the_family_page_is_added_by_one_entry_in_the_list_of_sections(
        session, england, worker, web_app, monkeypatch):
    """A new part joins the family page with a Section, its template, nothing else."""
    import jinja2

    from pathway.families import pages

    def network(session, family, today):
        return {"people": [f"people of family {family.reference}"]}

    monkeypatch.setattr(pages, "SECTIONS", pages.SECTIONS + (
        pages.Section("people", "People", "test-network.html", context=network),))
    monkeypatch.setattr(pages, "SECTION", {s.slug: s for s in pages.SECTIONS})
    web_app.jinja_loader = jinja2.ChoiceLoader([web_app.jinja_loader, jinja2.DictLoader({
        "test-network.html": '{% extends "families/family.html" %}{% block section_content %}'
                             '<p id="people">{{ people | join(", ") }}</p>{% endblock %}'})])
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family = family_of(session)
    from web_helpers import WebClient

    client = WebClient(web_app)
    sign_in(client, worker)
    page = soup(client.get(f"/families/{family.id}/people"))
    assert page.select_one("#people").get_text() == "people of family FAM1"
    nav = [a.get_text(strip=True) for a in page.select(".pathway-subnav a")]
    assert nav == ["Summary", "Children", "Timeline", "Family network", "People"]  # no audit trail for a worker
    assert client.get(f"/families/{family.id}/no-such-part").status_code == 404
    assert client.get(f"/families/{family.id}/allocation").status_code == 403  # fixed routes still win
