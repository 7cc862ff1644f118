"""The FGC as its own machine (issue 13): offered, accepted (or declined before the meeting),
referred to the FGC service, coordinator allocated, held, plan decided, review held, or closed
with a reason; dates in order; old files' shapes still replay."""
from __future__ import annotations

import pytest

from pathway import workflow as wf
from test_workflow import CTX, D, ev, family, fields, refused

COORD = "coordinator@northmoor.example"


def people(*refs):
    return [ev("add_person", D(1), person_ref=r) for r in refs]


def through(last: str, *, start=10):
    """The steps of one conference up to and including `last`, a day apart from `start`."""
    steps = [
        ev("offer_fgc", D(start)),
        ev("fgc_accepted", D(start + 1)),
        ev("refer_fgc", D(start + 2), reason="Neglect; parents' drinking"),
        ev("allocate_fgc_coordinator", D(start + 3), coordinator=COORD),
        ev("hold_fgc", D(start + 4), invited=("M1", "G1", "A1"), attended=("M1", "G1"), private_family_time="yes"),
        ev("decide_fgc_plan", D(start + 5), outcome="accepted"),
        ev("review_fgc", D(start + 6)),
    ]
    names = [s.event for s in steps]
    return steps[: names.index(last) + 1]


def test_a_conference_from_offer_to_review():
    fam = family(*people("M1", "G1", "A1"), *through("review_fgc"))
    (fgc,) = fam.fgcs
    assert fgc.status == "review_held"
    assert (fgc.offered_on, fgc.accepted_on, fgc.referred_on, fgc.coordinator_allocated_on, fgc.held_on,
            fgc.plan_decided_on, fgc.reviewed_on) == tuple(D(n) for n in range(10, 17))
    assert fgc.concerns == "Neglect; parents' drinking" and fgc.coordinator == COORD
    assert fgc.invited == ("A1", "G1", "M1") and fgc.attended == ("G1", "M1") and fgc.private_family_time is True
    assert fgc.plan_outcome == "accepted" and not fgc.is_open


@pytest.mark.parametrize("last, status", [
    ("offer_fgc", "offered"), ("fgc_accepted", "accepted"), ("refer_fgc", "referred"),
    ("allocate_fgc_coordinator", "coordinator_allocated"), ("hold_fgc", "held"), ("decide_fgc_plan", "plan_decided"),
])  # fmt: skip
def test_each_status_and_whether_a_new_offer_may_follow(last, status):
    fam = family(*people("M1", "G1", "A1"), *through(last))
    assert fam.latest_fgc().status == status
    err = refused(fam, ev("offer_fgc", D(40)))
    assert "still open" in str(err)


@pytest.mark.parametrize("finish", [
    ev("fgc_declined", D(14)), ev("close_fgc", D(14), reason="family_withdrew"), ev("review_fgc", D(16)),
])  # fmt: skip
def test_a_new_offer_only_when_the_last_is_closed_declined_or_reviewed(finish):
    steps = through("decide_fgc_plan") if finish.event == "review_fgc" else through("allocate_fgc_coordinator")
    fam = family(*people("M1", "G1", "A1"), *steps, finish, ev("offer_fgc", D(40)))
    assert [f.status for f in fam.fgcs] == [{"fgc_declined": "declined", "close_fgc": "closed",
                                              "review_fgc": "review_held"}[finish.event], "offered"]


def test_old_files_hold_straight_after_the_offer_or_acceptance_and_offer_again():
    fam = family(ev("offer_fgc", D(5)), ev("hold_fgc", D(9)), ev("offer_fgc", D(20)), ev("fgc_accepted", D(21)),
                 ev("hold_fgc", D(30)), ev("offer_fgc", D(40)))
    assert [(f.status, f.held_on) for f in fam.fgcs] == [("held", D(9)), ("held", D(30)), ("offered", None)]
    assert fam.fgcs[0].private_family_time is None and fam.fgcs[0].invited == ()


def test_a_conference_held_after_referral_without_a_coordinator():
    fam = family(*through("refer_fgc"), ev("hold_fgc", D(20)))
    assert fam.latest_fgc().status == "held" and fam.latest_fgc().coordinator is None


@pytest.mark.parametrize("step, status, words", [
    (ev("refer_fgc", D(12), reason="x"), "offered", "accepted the offer before referring"),
    (ev("allocate_fgc_coordinator", D(12), coordinator=COORD), "accepted", "Refer the family"),
    (ev("decide_fgc_plan", D(14), outcome="accepted"), "coordinator_allocated", "held before deciding"),
    (ev("review_fgc", D(15)), "held", "only after the authority has decided"),
    (ev("fgc_declined", D(15)), "held", "decline only before the conference is held"),
    (ev("fgc_accepted", D(15)), "held", "Only an offer not yet answered"),
    (ev("close_fgc", D(18), reason="other"), "review_held", "Only a conference still in progress"),
    (ev("hold_fgc", D(18)), "review_held", "held only after it is offered"),
])  # fmt: skip
def test_the_order_of_the_steps_and_each_refusal_in_words(step, status, words):
    upto = {"offered": "offer_fgc", "accepted": "fgc_accepted", "coordinator_allocated": "allocate_fgc_coordinator",
            "held": "hold_fgc", "review_held": "review_fgc"}[status]
    fam = family(*people("M1", "G1", "A1"), *through(upto))
    assert fam.latest_fgc().status == status
    err = refused(fam, step)
    assert fields(err) == {"event"} and words in str(err), str(err)


def test_dates_run_in_order():
    fam = family(*people("M1", "G1", "A1"), *through("allocate_fgc_coordinator"))  # allocated on D(13)
    err = refused(fam, ev("hold_fgc", D(12)))
    assert fields(err) == {"date"} and "18 January 2026" in str(err) and "run in order" in str(err)
    assert wf.apply(fam, ev("hold_fgc", D(13)), CTX).latest_fgc().held_on == D(13)  # the same day is in order


def test_a_step_before_any_offer_is_a_date_mistake():
    fam = family(*through("fgc_accepted"))
    err = refused(fam, ev("refer_fgc", D(9), reason="x"))
    assert fields(err) == {"date"} and "referred before it was offered" in str(err)


def test_declined_at_any_point_before_the_meeting():
    for upto in ("offer_fgc", "fgc_accepted", "refer_fgc", "allocate_fgc_coordinator"):
        fam = family(*through(upto), ev("fgc_declined", D(20)))
        assert fam.latest_fgc().status == "declined"


def test_the_referral_needs_its_concerns():
    fam = family(*through("fgc_accepted"))
    for blank in (None, "  "):
        err = refused(fam, ev("refer_fgc", D(12), reason=blank))
        assert fields(err) == {"reason"} and "concerns" in str(err)


def test_allocation_needs_a_coordinator_and_can_change_hands():
    fam = family(*through("refer_fgc"))
    assert fields(refused(fam, ev("allocate_fgc_coordinator", D(13)))) == {"coordinator"}
    fam = wf.apply(fam, ev("allocate_fgc_coordinator", D(13), coordinator=COORD), CTX)
    err = refused(fam, ev("allocate_fgc_coordinator", D(14), coordinator=COORD))
    assert "already the coordinator" in str(err)
    fam = wf.apply(fam, ev("allocate_fgc_coordinator", D(15), coordinator="other@northmoor.example"), CTX)
    assert fam.latest_fgc().coordinator == "other@northmoor.example"
    assert fam.latest_fgc().status == "coordinator_allocated"


def test_attendance_names_people_in_the_network_and_only_people_invited():
    fam = family(*people("M1", "G1"), *through("allocate_fgc_coordinator"))
    err = refused(fam, ev("hold_fgc", D(20), invited=("M1", "X9"), attended=("M1",)))
    assert fields(err) == {"invited"} and "X9 is not in family FAM1's network" in str(err)
    err = refused(fam, ev("hold_fgc", D(20), invited=("M1",), attended=("M1", "G1")))
    assert fields(err) == {"attended"} and "G1 came to the conference but is not among the people invited" in str(err)
    err = refused(fam, ev("hold_fgc", D(20), attended=("M1",)))
    assert fields(err) == {"invited"}
    err = refused(fam, ev("hold_fgc", D(20), invited=("M1",), private_family_time="maybe"))
    assert fields(err) == {"private_family_time"}
    held = wf.apply(fam, ev("hold_fgc", D(20), invited=("M1", "G1"), private_family_time="no"), CTX)
    assert held.latest_fgc().private_family_time is False and held.latest_fgc().attended == ()


def test_the_plan_decision_accepted_or_not_with_a_reason():
    fam = family(*people("M1", "G1", "A1"), *through("hold_fgc"))
    assert fields(refused(fam, ev("decide_fgc_plan", D(20)))) == {"outcome"}
    assert fields(refused(fam, ev("decide_fgc_plan", D(20), outcome="maybe"))) == {"outcome"}
    err = refused(fam, ev("decide_fgc_plan", D(20), outcome="not_accepted"))
    assert fields(err) == {"reason"} and "unsafe" in str(err)
    assert fields(refused(fam, ev("decide_fgc_plan", D(20), outcome="accepted", reason="fine"))) == {"reason"}
    done = wf.apply(fam, ev("decide_fgc_plan", D(20), outcome="not_accepted", reason="No safe carer at night"), CTX)
    assert (done.latest_fgc().plan_outcome, done.latest_fgc().plan_reason) == ("not_accepted", "No safe carer at night")


def test_closing_needs_a_listed_reason():
    fam = family(*through("refer_fgc"))
    for bad in (None, "bored"):
        err = refused(fam, ev("close_fgc", D(20), reason=bad))
        assert fields(err) == {"reason"} and "family_withdrew" in str(err)
    closed = wf.apply(fam, ev("close_fgc", D(20), reason="circumstances_changed"), CTX).latest_fgc()
    assert (closed.status, closed.closed_on, closed.closed_reason) == ("closed", D(20), "circumstances_changed")


def test_the_meeting_before_issue_counts_a_referred_conference_as_accepted_not_held():
    fam = family(*through("allocate_fgc_coordinator"), ev("send_letter_before_proceedings", D(15)))
    err = refused(fam, ev("issue_proceedings", D(20), "C1", proceedings_ref="P1"), wf.Context(today=CTX.today, fgdm_duty_from=D(0)))
    assert "has not been held" in str(err)
    assert wf.fgc_answer_code(fam, ev("issue_proceedings", D(20), "C1")) == "accepted_not_held"
    held = wf.apply(fam, ev("hold_fgc", D(18)), CTX)
    assert wf.fgc_answer_code(held, ev("issue_proceedings", D(20), "C1")) == "held"


def test_the_rules_describe_the_new_steps():
    rules = {(r.step, r.source, r.dest) for r in wf.pathway_rules() if r.machine == "fgc"}
    assert ("refer_fgc", "accepted", "referred") in rules
    assert ("review_fgc", "plan_decided", "review_held") in rules
    assert ("hold_fgc", "offered", "held") in rules and ("hold_fgc", "coordinator_allocated", "held") in rules
    assert not any(step == "review_fgc" and source != "plan_decided" for step, source, _ in rules)
