"""Refusals name the user's mistake (issue 12, item 1), in the words a worker reads.

Each step is recorded through the one service, as a form or an import records it, against a
history already stored: the history is replayed with the new step in date order, so a step
dated too early meets the history before the record it refers to. The refusal must still name
the date, not what the replay met there ("no open case", "no FGC offered", the wrong stage).
References are kept exactly as written (no capitalisation).
"""
from __future__ import annotations

from datetime import date as D

import pytest
from sqlalchemy import func, select

from conftest import opened, record, step
from pathway import workflow as wf
from pathway.models import Event

REF = "HA-1-C1"  # a reference with letters: any str.capitalize() would lower-case it


def count_events(session) -> int:
    return session.scalar(select(func.count(Event.id)))


def refusal(session, la, new_step) -> tuple[str, str]:
    """(field, message) of the one problem a new step is refused with; nothing written."""
    before = count_events(session)
    outcome = record(session, la, [new_step])
    assert not outcome.ok, "the step should have been refused"
    [error] = outcome.errors
    [problem] = error.problems
    assert count_events(session) == before
    return problem.field, problem.message


@pytest.fixture
def in_proceedings(session, england):
    """Family HA-1 (child HA-1-C1 opened 5 January 2026) in proceedings ZW26C00123 from 2 March."""
    outcome = record(session, england, [
        opened(REF, D(2026, 1, 5), family_ref="HA-1"),
        step("start_cp_plan", D(2026, 1, 10), "HA-1", REF),
        step("offer_fgc", D(2026, 1, 12), "HA-1"),
        step("fgc_declined", D(2026, 1, 20), "HA-1"),
        step("send_letter_before_proceedings", D(2026, 2, 2), "HA-1"),
        step("issue_proceedings", D(2026, 3, 2), "HA-1", REF, proceedings_ref="ZW26C00123"),
    ])  # fmt: skip
    assert outcome.ok, outcome.errors
    return england


def test_a_step_dated_before_the_family_case_opened_names_the_date(session, england):
    assert record(session, england, [opened(REF, D(2026, 1, 5), family_ref="HA-1")]).ok
    assert refusal(session, england, step("offer_fgc", D(2026, 1, 4), "HA-1")) == (
        "date", "The date 4 January 2026 is before family HA-1's first case was opened on 5 January 2026. "
                "Check the date.")


def test_a_child_step_dated_before_that_child_case_opened_names_the_date(session, england):
    assert record(session, england, [opened("HA-1-C0", D(2026, 1, 5), family_ref="HA-1"),
                                     opened(REF, D(2026, 2, 1), family_ref="HA-1")]).ok
    assert refusal(session, england, step("start_cp_plan", D(2026, 1, 20), "HA-1", REF)) == (
        "date", "The date 20 January 2026 is before child HA-1-C1's case was opened on 1 February 2026. "
                "Check the date.")


@pytest.mark.parametrize("event, word", [("fgc_accepted", "accepted"), ("hold_fgc", "held"),
                                         ("fgc_declined", "declined")])
def test_an_fgc_outcome_dated_before_the_offer_names_the_offer(session, england, event, word):
    assert record(session, england, [opened(REF, D(2026, 1, 5), family_ref="HA-1"),
                                     step("offer_fgc", D(2026, 2, 10), "HA-1")]).ok
    assert refusal(session, england, step(event, D(2026, 2, 9), "HA-1")) == (
        "date", "The family group conference was offered on 10 February 2026, after 9 February 2026. "
                f"Check the date: it cannot have been {word} before it was offered.")


def test_an_fgc_outcome_on_the_day_of_the_offer_is_taken(session, england):
    assert record(session, england, [opened(REF, D(2026, 1, 5), family_ref="HA-1"),
                                     step("offer_fgc", D(2026, 2, 10), "HA-1")]).ok
    assert record(session, england, [step("fgc_accepted", D(2026, 2, 10), "HA-1")]).ok


def test_an_fgc_outcome_with_no_offer_at_all_says_so(session, england):
    assert record(session, england, [opened(REF, D(2026, 1, 5), family_ref="HA-1")]).ok
    assert refusal(session, england, step("fgc_accepted", D(2026, 2, 9), "HA-1")) == (
        "event", "No family group conference has been offered to this family. Record the offer first.")


def test_an_extension_dated_before_issue_names_the_issue_date(session, in_proceedings):
    extension = step("extend_timetable", D(2026, 3, 1), "HA-1", proceedings_ref="ZW26C00123", weeks=4,
                     reason="parenting_assessment")
    assert refusal(session, in_proceedings, extension) == (
        "date", "An extension cannot be dated 1 March 2026: proceedings ZW26C00123 were issued on 2 March 2026. "
                "Check the date.")


def test_an_extension_on_the_day_of_issue_is_taken(session, in_proceedings):
    assert record(session, in_proceedings, [step("extend_timetable", D(2026, 3, 2), "HA-1",
                                                 proceedings_ref="ZW26C00123", weeks=4, reason="other")]).ok


def test_an_extension_dated_after_conclusion_names_the_conclusion(session, in_proceedings):
    assert record(session, in_proceedings, [step("final_order", D(2026, 8, 3), "HA-1", REF,
                                                 proceedings_ref="ZW26C00123", order_type="sgo")]).ok
    extension = step("extend_timetable", D(2026, 8, 4), "HA-1", proceedings_ref="ZW26C00123", weeks=4,
                     reason="other")
    assert refusal(session, in_proceedings, extension) == (
        "date", "Proceedings ZW26C00123 concluded on 3 August 2026, before 4 August 2026. An extension can only "
                "be granted while proceedings are open: check the date.")


def test_an_extension_for_proceedings_the_family_does_not_have_names_the_number(session, in_proceedings):
    extension = step("extend_timetable", D(2026, 4, 1), "HA-1", proceedings_ref="ZW26C00999", weeks=4,
                     reason="other")
    assert refusal(session, in_proceedings, extension) == (
        "proceedings_ref", "Family HA-1 has no proceedings ZW26C00999. Check the court's case number.")


def test_a_final_order_dated_before_issue_names_the_issue_date_not_the_stage(session, in_proceedings):
    order = step("final_order", D(2026, 2, 20), "HA-1", REF, proceedings_ref="ZW26C00123", order_type="care_order")
    field, message = refusal(session, in_proceedings, order)
    assert (field, message) == (
        "date", "A final order cannot be dated 20 February 2026: proceedings ZW26C00123 were issued on "
                "2 March 2026. Check the date.")
    assert "Early help" not in message and "At this stage" not in message


# --- references as written --------------------------------------------------------------------


def test_consent_of_a_child_under_16_keeps_the_reference(session, england):
    assert record(session, england, [opened(REF, D(2026, 1, 5), family_ref="HA-1", dob=D(2015, 5, 1)),
                                     step("offer_fgc", D(2026, 1, 6), "HA-1")]).ok
    field, message = refusal(session, england, step("accommodate_s20", D(2026, 2, 1), "HA-1", REF,
                                                    consent_by="child"))
    assert field == "consent_by"
    assert message.startswith("Child HA-1-C1 is under 16 on 1 February 2026 and cannot consent alone")


def test_closing_during_proceedings_keeps_the_reference(session, in_proceedings):
    assert refusal(session, in_proceedings, step("close_case", D(2026, 4, 1), "HA-1", REF, reason="Moved")) == (
        "event", "Child HA-1-C1 is a party to proceedings ZW26C00123, which are still open. Record the final "
                 "order before closing the case.")


def test_ending_a_plan_the_child_is_not_on_keeps_the_reference(session, england):
    assert record(session, england, [opened(REF, D(2026, 1, 5), family_ref="HA-1"),
                                     step("send_letter_before_proceedings", D(2026, 1, 6), "HA-1")]).ok
    assert refusal(session, england, step("end_cp_plan", D(2026, 2, 1), "HA-1", REF)) == (
        "event", "Child HA-1-C1 is not on a child protection plan, so there is no plan to end.")


def test_ending_a_plan_in_wales_uses_the_welsh_term(session, wales):
    assert record(session, wales, [opened(REF, D(2026, 1, 5), family_ref="HA-1"),
                                   step("send_letter_before_proceedings", D(2026, 1, 6), "HA-1")]).ok
    assert refusal(session, wales, step("end_cp_plan", D(2026, 2, 1), "HA-1", REF)) == (
        "event", "Child HA-1-C1 is not on a care and support protection plan, so there is no plan to end.")


def test_an_order_in_other_proceedings_keeps_the_reference(session, in_proceedings):
    order = step("final_order", D(2026, 4, 1), "HA-1", REF, proceedings_ref="ZW26C00777", order_type="sgo")
    assert refusal(session, in_proceedings, order) == (
        "proceedings_ref", "Child HA-1-C1 is not a party to proceedings ZW26C00777. They are a party to "
                           "proceedings ZW26C00123.")


def test_no_refusal_lower_cases_a_reference():
    """Every sentence the gates build about a child starts from the reference as written."""
    import inspect

    assert ".capitalize()" not in inspect.getsource(wf)


# --- the date check is pure and asked before the stage -----------------------------------------


def test_date_problem_is_none_when_the_date_fits():
    ctx = wf.Context(today=D(2026, 11, 20))
    family = wf.replay([wf.PathwayEvent("open_case", D(2026, 1, 5), "HA-1", REF, dob=D(2015, 5, 1), sex="F",
                                        ethnicity="WBRI")], "E1", "england", ctx)
    assert wf.date_problem(family, wf.PathwayEvent("start_cp_plan", D(2026, 1, 5), "HA-1", REF)) is None
    assert wf.date_problem(None, wf.PathwayEvent("start_cp_plan", D(2026, 1, 5), "HA-1", REF)) is None
