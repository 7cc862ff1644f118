"""Outcomes six months after the family's plan (issue 13), from the history."""
from __future__ import annotations

from datetime import date

import pytest

from pathway import fgc_outcomes
from pathway import workflow as wf
from test_workflow import D, ev, open_child

PLAN = [ev("offer_fgc", D(5)), ev("fgc_accepted", D(6)), ev("hold_fgc", D(20)),
        ev("decide_fgc_plan", D(25), outcome="accepted")]  # D(25) = 30 January 2026
DUE = date(2026, 7, 30)


def run(*later, today=date(2026, 11, 20)):
    return fgc_outcomes.family_outcomes([open_child("C1"), *PLAN, *later], "E09000999", "england",
                                        wf.Context(today=today))


@pytest.mark.parametrize("later, expected", [
    ((), "with_parents"),
    ((ev("send_letter_before_proceedings", D(40)),), "with_parents"),
    ((ev("accommodate_s20", D(40), "C1", consent_by="mother"),), "in_care"),
    ((ev("send_letter_before_proceedings", D(40)), ev("issue_proceedings", D(60), "C1", proceedings_ref="P1")),
     "proceedings"),
    ((ev("send_letter_before_proceedings", D(40)), ev("issue_proceedings", D(60), "C1", proceedings_ref="P1"),
      ev("final_order", D(150), "C1", proceedings_ref="P1", order_type="sgo")), "with_relatives_or_friends"),
    ((ev("accommodate_s20", D(40), "C1", consent_by="mother"), ev("close_case", D(100), "C1", reason="moved")),
     "in_care"),
])  # fmt: skip
def test_where_the_child_was_six_months_after_the_plan(later, expected):
    (found,) = run(*later)
    assert (found.child_ref, found.due_on, found.outcome) == ("C1", DUE, expected)


def test_the_boundary_is_the_day_six_months_on():
    care_on_the_day = ev("accommodate_s20", DUE, "C1", consent_by="mother")
    assert run(care_on_the_day)[0].outcome == "in_care"  # the stage at the end of that day
    assert run(ev("accommodate_s20", date(2026, 7, 31), "C1", consent_by="mother"))[0].outcome == "with_parents"
    assert run(today=date(2026, 7, 29))[0].outcome is None  # not yet six months
    assert run(today=DUE)[0].outcome == "with_parents"


def test_no_outcome_without_a_plan_decision():
    found = fgc_outcomes.family_outcomes([open_child("C1"), *PLAN[:3]], "E09000999", "england",
                                         wf.Context(today=date(2026, 11, 20)))
    assert found == []
