"""The pathway's transitions and limits at their edges (issue 18: tests that fail when the law is
coded wrong). Each rule is tried from both sides, through workflow.replay and workflow.apply only.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from pathway import workflow as wf

from test_workflow import CTX, D, ev, family, fields, refused, stage


def on_plan_then(*steps):
    return family(ev("start_cp_plan", D(5), "C1"), *steps)


@pytest.mark.parametrize(("steps", "where"), [
    ((ev("send_letter_before_proceedings", D(20)),), "pre_proceedings"),
    ((ev("offer_fgc", D(20)), ev("accommodate_s20", D(21), "C1", consent_by="mother")), "section_20"),
    ((ev("emergency_protection", D(20), "C1", emergency_type="epo"),), "emergency_protection"),
    ((ev("offer_fgc", D(20)), ev("send_letter_before_proceedings", D(20)),
      ev("issue_proceedings", D(22), "C1", proceedings_ref="ZW26C00042")), "proceedings"),
])
def test_a_child_protection_plan_can_end_whatever_stage_the_child_has_reached(steps, where):
    fam = on_plan_then(*steps)
    assert stage(fam) == where and fam.children["C1"].on_cp_plan
    wf.apply(fam, ev("end_cp_plan", D(30), "C1"), CTX)
    assert stage(fam) == where  # the plan ends; the child stays where they are
    assert fam.children["C1"].on_cp_plan is False and fam.children["C1"].cp_plan_since is None


def test_a_plan_that_was_never_made_cannot_end():
    assert refused(family(ev("emergency_protection", D(20), "C1", emergency_type="epo")),
                   ev("end_cp_plan", D(30), "C1"))


def test_a_child_accommodated_under_section_20_can_be_taken_into_emergency_protection():
    fam = family(ev("offer_fgc", D(20)), ev("accommodate_s20", D(21), "C1", consent_by="mother"))
    wf.apply(fam, ev("emergency_protection", D(25), "C1", emergency_type="police_protection"), CTX)
    assert stage(fam) == "emergency_protection"
    assert fam.children["C1"].emergency_type == "police_protection"


@pytest.mark.parametrize("steps", [
    (ev("send_letter_before_proceedings", D(20)),),
    (ev("emergency_protection", D(20), "C1", emergency_type="epo"),),
    (ev("offer_fgc", D(20)), ev("accommodate_s20", D(21), "C1", consent_by="mother")),
])
def test_a_letter_before_proceedings_can_be_sent_again_or_after_an_emergency(steps):
    fam = family(*steps)
    where = stage(fam)
    wf.apply(fam, ev("send_letter_before_proceedings", D(26)), CTX)
    assert stage(fam) == where
    assert D(26) in fam.letters and fam.letter_sent_by(D(25)) in (None, D(20))


@pytest.mark.parametrize("before", [(), (ev("emergency_protection", D(10), "C1", emergency_type="epo"),)])
def test_emergency_protection_needs_its_kind_first_time_and_again(before):
    fam = family(*before)
    err = refused(fam, ev("emergency_protection", D(12), "C1", emergency_type="care_order"))
    assert "emergency_type" in fields(err)
    err = refused(fam, ev("emergency_protection", D(12), "C1"))
    assert "emergency_type" in fields(err)
    wf.apply(fam, ev("emergency_protection", D(12), "C1", emergency_type="police_protection"), CTX)
    assert fam.children["C1"].emergency_type == "police_protection"


def test_an_unborn_baby_can_be_expected_up_to_40_weeks_after_the_case_opens():
    opened = D(0)
    ok = wf.replay([ev("open_case", opened, "C9", dob=opened + timedelta(days=280), sex="M", ethnicity="WBRI")],
                   "E09000999", "england", CTX)
    assert ok.children["C9"].dob == opened + timedelta(days=280)
    with pytest.raises(wf.Refused) as info:
        wf.replay([ev("open_case", opened, "C9", dob=opened + timedelta(days=281), sex="M", ethnicity="WBRI")],
                  "E09000999", "england", CTX)
    assert "dob" in fields(info.value)


def test_an_emergency_after_the_day_of_issue_does_not_excuse_the_letter():
    # Recorded late: the emergency on day 30, the application issued on day 29 without a letter.
    fam = family(ev("offer_fgc", D(20)), ev("emergency_protection", D(30), "C1", emergency_type="epo"))
    err = refused(fam, ev("issue_proceedings", D(29), "C1", proceedings_ref="ZW26C00042"))
    assert "No letter before proceedings" in str(err)
    wf.apply(fam, ev("issue_proceedings", D(30), "C1", proceedings_ref="ZW26C00042"), CTX)
    assert stage(fam) == "proceedings"
