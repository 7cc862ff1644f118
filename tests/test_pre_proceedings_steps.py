"""The pre-proceedings steps the Children in Need census module 5 needs (issue 16), without Flask
or a database: each gate tried from both sides, dates in order, and what a step down does."""
from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from pathway import workflow as wf

TODAY = date(2026, 11, 20)
OPEN = date(2026, 4, 6)
CTX = wf.Context(today=TODAY)
D = lambda n: OPEN + timedelta(days=n)  # noqa: E731


def ev(event, day, child_ref=None, **fields):
    return wf.PathwayEvent(event=event, date=day, family_ref="FAM1", child_ref=child_ref, **fields)


def family(*steps):
    opened = [ev("open_case", OPEN, "C1", dob=date(2018, 5, 1), sex="F", ethnicity="WBRI")]
    return wf.replay([*opened, *steps], "E09000999", "england", CTX)


def refused(fam, step) -> wf.Refused:
    before = copy.deepcopy(fam)
    with pytest.raises(wf.Refused) as info:
        wf.apply(fam, step, CTX)
    assert fam == before, "a refused step must leave the family exactly as it was"
    return info.value


STARTED = (ev("decide_pre_proceedings", D(10)), ev("send_letter_before_proceedings", D(12), offered_to=None))


def test_the_decision_starts_a_period_and_the_letter_joins_it():
    fam = family(*STARTED)
    [period] = fam.pre_proceedings
    assert (period.started_on, period.letter_on, period.children, period.is_open) == (D(10), D(12), ("C1",), True)
    assert fam.children["C1"].stage == "pre_proceedings"  # the stage still starts with the letter


def test_a_second_decision_while_one_runs_is_refused_and_after_a_step_down_allowed():
    fam = family(*STARTED)
    err = refused(fam, ev("decide_pre_proceedings", D(20)))
    assert "already started on 16 April 2026" in str(err)
    fam = family(*STARTED, ev("pre_proceedings_decision", D(30), outcome="step_down"),
                 ev("decide_pre_proceedings", D(40)))
    assert [p.started_on for p in fam.pre_proceedings] == [D(10), D(40)]


def test_a_letter_without_a_decision_starts_a_period_without_a_start_date():
    fam = family(ev("send_letter_before_proceedings", D(12)))
    [period] = fam.pre_proceedings
    assert period.started_on is None and period.letter_on == D(12)
    # The decision recorded later but dated before the letter is replayed first: the letter joins it.
    fam = family(ev("send_letter_before_proceedings", D(12)), ev("decide_pre_proceedings", D(11)))
    assert [(p.started_on, p.letter_on) for p in fam.pre_proceedings] == [(D(11), D(12))]


def test_a_decision_dated_after_its_letter_is_a_date_problem():
    fam = family(ev("send_letter_before_proceedings", D(12)))
    err = refused(fam, ev("decide_pre_proceedings", D(13)))
    assert {p.field for p in err.problems} == {"date"}
    assert "on or before the letter" in str(err)
    same_day = wf.apply(fam, ev("decide_pre_proceedings", D(12)), CTX)  # the nearest allowed
    assert same_day.pre_proceedings[0].started_on == D(12)


def test_the_decision_needs_a_child_at_a_stage_where_pre_proceedings_can_start():
    fam = family(ev("close_case", D(5), "C1", reason="Moved away"))
    err = refused(fam, ev("decide_pre_proceedings", D(10)))
    assert "No child in family FAM1" in str(err)


def test_the_initial_meeting_needs_the_decision_and_the_letter():
    err = refused(family(), ev("pre_proceedings_meeting", D(15), outcome="initial"))
    assert "No decision to start pre-proceedings" in str(err)
    fam = family(ev("decide_pre_proceedings", D(10)))
    err = refused(fam, ev("pre_proceedings_meeting", D(15), outcome="initial"))
    assert "send it first" in str(err)
    fam = family(*STARTED, ev("pre_proceedings_meeting", D(12), outcome="initial"))  # the letter's own day
    assert fam.pre_proceedings[0].initial_meeting_on == D(12)


def test_meeting_outcomes_initial_once_then_reviews():
    fam = family(*STARTED)
    assert {p.field for p in refused(fam, ev("pre_proceedings_meeting", D(15))).problems} == {"outcome"}
    assert "before a review" in str(refused(fam, ev("pre_proceedings_meeting", D(15), outcome="review")))
    fam = family(*STARTED, ev("pre_proceedings_meeting", D(15), outcome="initial"),
                 ev("pre_proceedings_meeting", D(40), outcome="review"),
                 ev("pre_proceedings_meeting", D(70), outcome="review"))
    assert fam.pre_proceedings[0].review_meetings == [D(40), D(70)]
    assert "Record this one as a review" in str(refused(fam, ev("pre_proceedings_meeting", D(80), outcome="initial")))


def test_the_decision_once_with_a_listed_outcome_and_no_meeting_after_it():
    assert "No decision to start" in str(refused(family(), ev("pre_proceedings_decision", D(20), outcome="issue")))
    fam = family(*STARTED)
    assert {p.field for p in refused(fam, ev("pre_proceedings_decision", D(20), outcome="maybe")).problems} == {
        "outcome"}
    fam = family(*STARTED, ev("pre_proceedings_decision", D(20), outcome="issue"))
    assert (fam.pre_proceedings[0].decided_on, fam.pre_proceedings[0].outcome) == (D(20), "issue")
    assert "already recorded" in str(refused(fam, ev("pre_proceedings_decision", D(21), outcome="step_down")))
    assert "no further" in str(refused(fam, ev("pre_proceedings_meeting", D(22), outcome="review")))


@pytest.mark.parametrize("on_plan, stage", [(False, "early_help"), (True, "child_protection")])
def test_a_step_down_ends_the_period_and_returns_the_child(on_plan, stage):
    plan = [ev("start_cp_plan", D(2), "C1")] if on_plan else []
    fam = family(*plan, *STARTED, ev("pre_proceedings_decision", D(30), outcome="step_down"))
    assert fam.children["C1"].stage == stage
    assert fam.children["C1"].stage_since == D(30)
    assert fam.pre_proceedings[0].ended_on == D(30)


def test_an_accommodated_child_keeps_their_stage_on_a_step_down():
    fam = family(ev("offer_fgc", D(1)), ev("accommodate_s20", D(2), "C1", consent_by="mother"), *STARTED,
                 ev("pre_proceedings_decision", D(30), outcome="step_down"))
    assert fam.children["C1"].stage == "section_20"


def test_the_letter_to_issue_follows_a_decision_to_issue_once():
    fam = family(*STARTED)
    assert "Record the decision to issue first" in str(refused(fam, ev("send_letter_to_issue", D(25))))
    stepped_down = family(*STARTED, ev("pre_proceedings_decision", D(20), outcome="step_down"))
    refused(stepped_down, ev("send_letter_to_issue", D(25)))
    fam = family(*STARTED, ev("pre_proceedings_decision", D(20), outcome="issue"), ev("send_letter_to_issue", D(20)))
    assert fam.pre_proceedings[0].letter_to_issue_on == D(20)
    assert "already sent" in str(refused(fam, ev("send_letter_to_issue", D(25))))


def test_issue_records_the_court_application_and_ends_the_period():
    fam = family(ev("offer_fgc", D(1)), *STARTED, ev("pre_proceedings_decision", D(20), outcome="issue"),
                 ev("issue_proceedings", D(28), "C1", proceedings_ref="ZW26C00001"))
    [period] = fam.pre_proceedings
    assert period.court_applications == {"C1": D(28)} and period.ended_on == D(28)


def test_steps_dated_before_the_case_are_date_problems():
    fam = family()
    err = refused(fam, ev("decide_pre_proceedings", OPEN - timedelta(days=1)))
    assert {p.field for p in err.problems} == {"date"}


def test_step_availability_offers_the_decision_but_not_a_meeting_before_it():
    fam = family()
    assert wf.step_availability(fam, None, "decide_pre_proceedings", CTX).possible
    meeting = wf.step_availability(fam, None, "pre_proceedings_meeting", CTX)
    assert not meeting.possible and "No decision to start pre-proceedings" in meeting.reason
    fam = family(*STARTED)
    assert not wf.step_availability(fam, None, "decide_pre_proceedings", CTX).possible
    assert wf.step_availability(fam, None, "pre_proceedings_meeting", CTX).possible  # the outcome: the form's
