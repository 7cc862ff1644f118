"""The pathway machine and its gates, without Flask or a database.

Each gate (G1-G7 in issue 2) is tried from both sides: the step it must refuse, and the nearest
step it must allow.
"""
from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from pathway import workflow as wf

TODAY = date(2026, 11, 20)
OPEN = date(2026, 1, 5)
CTX = wf.Context(today=TODAY)


def ev(event, day, child_ref=None, family_ref="FAM1", **fields):
    return wf.PathwayEvent(event=event, date=day, family_ref=family_ref, child_ref=child_ref, **fields)


def open_child(ref, day=OPEN, dob=date(2015, 5, 1)):
    return ev("open_case", day, ref, dob=dob, sex="F", ethnicity="WBRI")


def family(*steps, nation="england"):
    return wf.replay([open_child("C1"), *steps], "E09000999", nation, CTX)


def refused(fam, step, ctx=CTX) -> wf.Refused:
    before = copy.deepcopy(fam)
    with pytest.raises(wf.Refused) as info:
        wf.apply(fam, step, ctx)
    assert fam == before, "a refused step must leave the family exactly as it was"
    return info.value


def fields(error: wf.Refused) -> set[str]:
    return {p.field for p in error.problems}


def stage(fam, ref="C1"):
    return fam.children[ref].stage


D = lambda n: OPEN + timedelta(days=n)  # noqa: E731  day n after the case opened


# --- the machine is defined once --------------------------------------------------------------


def test_every_stage_and_event_is_in_the_machine():
    assert set(wf.CHILD_MACHINE.states) == {s.name for s in wf.STAGES}
    child_events = {e.name for e in wf.EVENT_SPECS if e.level == "child" and e.name != "open_case"}
    assert child_events <= set(wf.CHILD_MACHINE.events)
    assert wf.CHILD_MACHINE.models == []  # fired on plain objects, never one Machine per child


def test_open_case_starts_in_early_help():
    fam = family()
    assert stage(fam) == "early_help"
    assert fam.children["C1"].stage_since == OPEN


# --- G1: an FGC offer before a child is moved into care ---------------------------------------


def test_g1_accommodation_without_fgc_offer_is_refused():
    err = refused(family(), ev("accommodate_s20", D(30), "C1", consent_by="mother"))
    assert "No family group conference has been offered" in str(err)
    assert "exception" in fields(err)


def test_g1_offer_on_the_same_day_allows_accommodation():
    fam = family(ev("offer_fgc", D(30)), ev("accommodate_s20", D(30), "C1", consent_by="mother"))
    assert stage(fam) == "section_20"
    assert fam.children["C1"].entered_care_on == D(30)
    assert fam.children["C1"].entered_care_in_emergency is False


def test_g1_offer_the_day_after_does_not_count():
    fam = family()
    err = refused(fam, ev("accommodate_s20", D(30), "C1", consent_by="mother"))
    assert "on or before" in str(err)


def test_g1_exception_allows_accommodation_and_marks_emergency_entry():
    fam = family(ev("accommodate_s20", D(30), "C1", consent_by="mother",
                    exception="Mother admitted to hospital overnight; no family available"))
    assert stage(fam) == "section_20"
    assert fam.children["C1"].entered_care_in_emergency is True


@pytest.mark.parametrize("days_after_emergency, allowed", [(0, True), (8, True), (9, False)])
def test_g1_emergency_protection_excuses_the_offer_for_8_days(days_after_emergency, allowed):
    fam = family(ev("emergency_protection", D(10), "C1", emergency_type="epo"))
    step = ev("accommodate_s20", D(10 + days_after_emergency), "C1", consent_by="father")
    if allowed:
        assert stage(wf.apply(fam, step, CTX)) == "section_20"
    else:
        refused(fam, step)


def test_g1_issue_for_a_child_not_accommodated_needs_an_offer():
    fam = family(ev("send_letter_before_proceedings", D(20)))
    err = refused(fam, ev("issue_proceedings", D(40), "C1", proceedings_ref="ZW26C00001"))
    assert "No family group conference" in str(err)


def test_g1_issue_for_a_child_already_accommodated_needs_no_new_offer():
    fam = family(
        ev("accommodate_s20", D(10), "C1", consent_by="mother", exception="Parent in custody"),
        ev("send_letter_before_proceedings", D(20)),
        ev("issue_proceedings", D(40), "C1", proceedings_ref="ZW26C00001"),
    )
    assert stage(fam) == "proceedings"


# --- G1e: England, s.31ZA: an accepted FGC must be held before issue --------------------------


# The duty applies to applications issued on or after its commencement (a setting); these tests
# set it before the case opened so that it applies to every step below.
DUTY = wf.Context(today=TODAY, fgdm_duty_from=date(2026, 1, 1))


def _accepted(nation="england"):
    return family(ev("offer_fgc", D(5)), ev("fgc_accepted", D(6)), ev("send_letter_before_proceedings", D(7)),
                  nation=nation)


def test_g1e_england_accepted_but_not_held_is_refused():
    err = refused(_accepted(), ev("issue_proceedings", D(30), "C1", proceedings_ref="P1"), DUTY)
    assert "section 31ZA" in str(err)


def test_g1e_held_conference_allows_issue():
    fam = _accepted()
    wf.apply(fam, ev("hold_fgc", D(20)), DUTY)
    assert stage(wf.apply(fam, ev("issue_proceedings", D(30), "C1", proceedings_ref="P1"), DUTY)) == "proceedings"


def test_g1e_declined_conference_allows_issue():
    fam = _accepted()
    wf.apply(fam, ev("fgc_declined", D(20)), DUTY)
    assert stage(wf.apply(fam, ev("issue_proceedings", D(30), "C1", proceedings_ref="P1"), DUTY)) == "proceedings"


def test_g1e_does_not_apply_in_wales():
    fam = _accepted(nation="wales")
    assert stage(wf.apply(fam, ev("issue_proceedings", D(30), "C1", proceedings_ref="P1"), DUTY)) == "proceedings"


def test_g1e_best_interests_exception_allows_issue():
    fam = _accepted()
    step = ev("issue_proceedings", D(30), "C1", proceedings_ref="P1",
              exception="Head of service decided on 3 Feb: a meeting would put the child at risk")
    assert stage(wf.apply(fam, step, DUTY)) == "proceedings"


@pytest.mark.parametrize("duty_from, applies", [(D(30), True), (D(31), False)])
def test_g1e_applies_only_to_applications_issued_on_or_after_commencement(duty_from, applies):
    ctx = wf.Context(today=TODAY, fgdm_duty_from=duty_from)
    step = ev("issue_proceedings", D(30), "C1", proceedings_ref="P1")
    if applies:
        assert "section 31ZA" in str(refused(_accepted(), step, ctx))
    else:
        assert stage(wf.apply(_accepted(), step, ctx)) == "proceedings"


def test_the_duty_starts_by_default_on_the_day_the_act_was_passed():
    assert wf.Context(today=TODAY).fgdm_duty_from == date(2026, 4, 29)


# --- G2: consent to accommodation -------------------------------------------------------------


def test_g2_consent_is_required():
    fam = family(ev("offer_fgc", D(5)))
    err = refused(fam, ev("accommodate_s20", D(30), "C1"))
    assert fields(err) == {"consent_by"}
    err = refused(fam, ev("accommodate_s20", D(30), "C1", consent_by="aunt"))
    assert fields(err) == {"consent_by"}


def test_g2_a_child_consents_alone_only_from_their_16th_birthday():
    dob = date(2010, 6, 15)
    fam = wf.replay([open_child("C1", dob=dob), ev("offer_fgc", date(2026, 6, 1))], "E1", "england", CTX)
    err = refused(fam, ev("accommodate_s20", date(2026, 6, 14), "C1", consent_by="child"))
    assert "under 16" in str(err) and "15 June 2026" in str(err)
    assert stage(wf.apply(fam, ev("accommodate_s20", date(2026, 6, 15), "C1", consent_by="child"), CTX)) == "section_20"


# --- G3: letter before proceedings ------------------------------------------------------------


def test_g3_issue_without_a_letter_is_refused():
    err = refused(family(ev("offer_fgc", D(5))), ev("issue_proceedings", D(30), "C1", proceedings_ref="P1"))
    assert "No letter before proceedings" in str(err)


def test_g1_and_g3_both_reported_at_once():
    err = refused(family(), ev("issue_proceedings", D(30), "C1", proceedings_ref="P1"))
    assert len(err.problems) == 2


def test_g3_letter_on_the_day_of_issue_counts():
    fam = family(ev("offer_fgc", D(5)), ev("send_letter_before_proceedings", D(30)),
                 ev("issue_proceedings", D(30), "C1", proceedings_ref="P1"))
    assert stage(fam) == "proceedings"


@pytest.mark.parametrize("gap, allowed", [(8, True), (9, False)])
def test_g3_emergency_protection_in_the_8_days_before_excuses_the_letter(gap, allowed):
    fam = family(ev("emergency_protection", D(10), "C1", emergency_type="police_protection"))
    step = ev("issue_proceedings", D(10 + gap), "C1", proceedings_ref="P1")
    if allowed:
        assert stage(wf.apply(fam, step, CTX)) == "proceedings"
    else:
        err = refused(fam, step)
        assert len(err.problems) == 2  # neither FGC offer nor letter, and no longer an emergency


def test_g3_exception_allows_issue():
    fam = family(ev("offer_fgc", D(5)))
    step = ev("issue_proceedings", D(30), "C1", proceedings_ref="P1", exception="Baby born with injuries; court same day")
    assert stage(wf.apply(fam, step, CTX)) == "proceedings"


# --- proceedings, extensions (G4) and final orders (G5) ---------------------------------------


def in_proceedings(*children):
    refs = children or ("C1",)
    steps = [open_child(r) for r in refs] + [ev("offer_fgc", D(5)), ev("send_letter_before_proceedings", D(6))]
    steps += [ev("issue_proceedings", D(10), r, proceedings_ref="P1") for r in refs]
    return wf.replay(steps, "E1", "england", CTX)


def test_siblings_share_proceedings():
    fam = in_proceedings("C1", "C2")
    assert set(fam.proceedings["P1"].parties) == {"C1", "C2"}
    assert fam.proceedings["P1"].issued_on == D(10)
    assert fam.proceedings["P1"].deadline == D(10) + timedelta(days=181)


def test_proceedings_of_another_family_are_refused():
    ctx = wf.Context(today=TODAY, proceedings_ref_owner=lambda ref: "FAM9" if ref == "P9" else None)
    fam = in_proceedings("C1")
    wf.apply(fam, open_child("C3", D(15)), ctx)
    with pytest.raises(wf.Refused, match="another family"):
        wf.apply(fam, ev("issue_proceedings", D(20), "C3", proceedings_ref="P9"), ctx)
    wf.apply(fam, ev("issue_proceedings", D(20), "C3", proceedings_ref="P1"), ctx)  # a sibling joins later
    assert fam.proceedings["P1"].parties["C3"].joined_on == D(20)
    assert fam.proceedings["P1"].issued_on == D(10)


@pytest.mark.parametrize("weeks", [1, 8])
def test_g4_extension_of_1_to_8_weeks_is_allowed(weeks):
    fam = in_proceedings()
    wf.apply(fam, ev("extend_timetable", D(100), proceedings_ref="P1", weeks=weeks, reason="parenting_assessment"), CTX)
    assert fam.proceedings["P1"].deadline == D(10) + timedelta(days=181 + 7 * weeks)


@pytest.mark.parametrize("weeks", [0, 9, None])
def test_g4_extension_weeks_outside_1_to_8_is_refused(weeks):
    err = refused(in_proceedings(), ev("extend_timetable", D(100), proceedings_ref="P1", weeks=weeks, reason="other"))
    assert fields(err) == {"weeks"}


def test_g4_extension_reason_must_be_a_listed_code():
    err = refused(in_proceedings(), ev("extend_timetable", D(100), proceedings_ref="P1", weeks=4, reason="busy"))
    assert fields(err) == {"reason"}


def test_g4_extension_before_issue_is_refused():
    err = refused(in_proceedings(), ev("extend_timetable", D(9), proceedings_ref="P1", weeks=4, reason="other"))
    assert fields(err) == {"date"}


def test_g4_extension_of_concluded_proceedings_is_refused():
    fam = in_proceedings()
    wf.apply(fam, ev("final_order", D(150), "C1", proceedings_ref="P1", order_type="care_order"), CTX)
    err = refused(fam, ev("extend_timetable", D(160), proceedings_ref="P1", weeks=4, reason="other"))
    assert "concluded" in str(err)


def test_g4_extension_of_unknown_proceedings_is_refused():
    err = refused(in_proceedings(), ev("extend_timetable", D(100), proceedings_ref="P2", weeks=4, reason="other"))
    assert fields(err) == {"proceedings_ref"}


def test_g5_order_for_a_child_not_party_is_refused():
    fam = wf.replay([open_child("C1"), open_child("C2"), ev("offer_fgc", D(5)), ev("send_letter_before_proceedings", D(6)),
                     ev("issue_proceedings", D(10), "C1", proceedings_ref="P1")], "E1", "england", CTX)
    err = refused(fam, ev("final_order", D(150), "C2", proceedings_ref="P1", order_type="sgo"))
    assert "cannot be recorded" in str(err)  # C2 is not in proceedings at all
    err = refused(fam, ev("final_order", D(150), "C1", proceedings_ref="P7", order_type="sgo"))
    assert "not a party to proceedings P7" in str(err)


def test_g5_order_type_must_be_listed():
    err = refused(in_proceedings(), ev("final_order", D(150), "C1", proceedings_ref="P1", order_type="residence"))
    assert fields(err) == {"order_type"}


def test_g5_order_on_the_issue_date_is_allowed_before_is_not():
    fam = in_proceedings()
    assert stage(wf.apply(copy.deepcopy(fam), ev("final_order", D(10), "C1", proceedings_ref="P1",
                                                 order_type="withdrawn"), CTX)) == "no_order"
    err = refused(fam, ev("final_order", D(9), "C1", proceedings_ref="P1", order_type="withdrawn"))
    assert fields(err) == {"date"} and "proceedings P1 were issued on 15 January 2026" in str(err)


@pytest.mark.parametrize("order, expected", sorted(wf.ORDER_STAGE.items()))
def test_each_order_leads_to_its_stage(order, expected):
    fam = in_proceedings()
    wf.apply(fam, ev("final_order", D(150), "C1", proceedings_ref="P1", order_type=order), CTX)
    assert stage(fam) == expected


def test_g5_proceedings_conclude_on_the_latest_order_of_every_child():
    fam = in_proceedings("C1", "C2")
    wf.apply(fam, ev("final_order", D(150), "C1", proceedings_ref="P1", order_type="care_order"), CTX)
    assert fam.proceedings["P1"].status == "open" and fam.proceedings["P1"].concluded_on is None
    wf.apply(fam, ev("final_order", D(170), "C2", proceedings_ref="P1", order_type="sgo"), CTX)
    assert fam.proceedings["P1"].status == "concluded"
    assert fam.proceedings["P1"].concluded_on == D(170)


def test_a_new_application_needs_a_new_case_number():
    fam = in_proceedings()
    wf.apply(fam, ev("final_order", D(150), "C1", proceedings_ref="P1", order_type="supervision_order"), CTX)
    wf.apply(fam, ev("send_letter_before_proceedings", D(290)), CTX)
    err = refused(fam, ev("issue_proceedings", D(300), "C1", proceedings_ref="P1"))
    assert "concluded" in str(err)


# --- G6: dates -------------------------------------------------------------------------------


def test_g6_a_step_dated_today_is_allowed_tomorrow_is_refused():
    fam = family()
    wf.apply(copy.deepcopy(fam), ev("offer_fgc", TODAY), CTX)
    err = refused(fam, ev("offer_fgc", TODAY + timedelta(days=1)))
    assert "in the future" in str(err)


def test_g6_a_childs_step_cannot_precede_the_opening_of_their_case():
    fam = family(open_child("C2", D(50)))
    err = refused(fam, ev("start_cp_plan", D(49), "C2"))
    assert fields(err) == {"date"}
    assert stage(wf.apply(fam, ev("start_cp_plan", D(50), "C2"), CTX)) == "early_help"  # C1 untouched
    assert stage(fam, "C2") == "child_protection"


def test_g6_a_family_step_cannot_precede_the_family():
    err = refused(family(), ev("offer_fgc", OPEN - timedelta(days=1)))
    assert fields(err) == {"date"}


# --- G7: closing -----------------------------------------------------------------------------


def test_g7_close_needs_a_reason():
    err = refused(family(), ev("close_case", D(30), "C1", reason="  "))
    assert fields(err) == {"reason"}


def test_g7_close_is_refused_while_party_to_open_proceedings():
    err = refused(in_proceedings(), ev("close_case", D(30), "C1", reason="Moved away"))
    assert "still open" in str(err)


def test_g7_close_after_final_order_is_allowed_and_final():
    fam = in_proceedings()
    wf.apply(fam, ev("final_order", D(150), "C1", proceedings_ref="P1", order_type="sgo"), CTX)
    wf.apply(fam, ev("close_case", D(200), "C1", reason="Special guardianship order made"), CTX)
    assert stage(fam) == "closed" and fam.children["C1"].closed_on == D(200)
    err = refused(fam, ev("start_cp_plan", D(210), "C1"))
    assert "closed on" in str(err)


# --- stages, family-level steps, reunification -----------------------------------------------


def test_wrong_stage_says_what_can_be_done_instead():
    err = refused(family(), ev("return_home", D(30), "C1"))
    message = str(err)
    assert "cannot be recorded for child C1" in message and "Early help" in message
    assert "Start a child protection plan" in message


def test_letter_moves_every_open_child_but_not_a_closed_one():
    fam = wf.replay([open_child("C1"), open_child("C2"), open_child("C3"),
                     ev("close_case", D(3), "C3", reason="Moved to live with father in another area"),
                     ev("send_letter_before_proceedings", D(10))], "E1", "england", CTX)
    assert [stage(fam, r) for r in ("C1", "C2", "C3")] == ["pre_proceedings", "pre_proceedings", "closed"]
    assert fam.letters == [D(10)]


def test_fgc_record_moves_through_its_own_machine():
    fam = family(ev("offer_fgc", D(5)), ev("fgc_accepted", D(7)), ev("hold_fgc", D(30)))
    assert [(f.status, f.offered_on, f.accepted_on, f.held_on) for f in fam.fgcs] == [("held", D(5), D(7), D(30))]
    err = refused(fam, ev("fgc_declined", D(31)))
    assert "already held" in str(err)
    wf.apply(fam, ev("offer_fgc", D(200)), CTX)  # a review conference
    assert len(fam.fgcs) == 2


def test_fgc_steps_need_an_open_offer():
    err = refused(family(), ev("fgc_accepted", D(5)))
    assert "Record the offer first" in str(err)
    fam = family(ev("offer_fgc", D(5)))
    err = refused(fam, ev("offer_fgc", D(6)))
    assert "still open" in str(err)


def test_cp_plan_can_end_after_the_child_moved_on():
    fam = family(ev("start_cp_plan", D(5), "C1"), ev("offer_fgc", D(6)), ev("send_letter_before_proceedings", D(7)),
                 ev("end_cp_plan", D(60), "C1"))
    assert stage(fam) == "pre_proceedings" and not fam.children["C1"].on_cp_plan
    err = refused(fam, ev("end_cp_plan", D(61), "C1"))
    assert str(err) == "Child C1 is not on a child protection plan, so there is no plan to end."


def test_reunification_review_records_without_changing_stage():
    fam = family(ev("offer_fgc", D(5)), ev("accommodate_s20", D(10), "C1", consent_by="mother"),
                 ev("return_home", D(100), "C1"))
    assert stage(fam) == "reunification" and fam.children["C1"].returned_home_on == D(100)
    wf.apply(fam, ev("reunification_review", D(282), "C1", reason="broke_down"), CTX)
    assert stage(fam) == "reunification" and fam.children["C1"].stage_since == D(100)
    err = refused(fam, ev("reunification_review", D(283), "C1", reason="fine"))
    assert fields(err) == {"reason"}


def test_welsh_authority_speaks_of_section_76():
    fam = family(nation="wales")
    err = refused(fam, ev("return_home", D(30), "C1"))
    assert "section 76" in str(err)
    assert wf.STAGE["section_20"].label_for("wales") == "Section 76 accommodation"
    assert wf.STAGE["child_protection"].label_for("wales") == "Care and support protection plan"
    assert wf.event_label("start_cp_plan", "wales") == "Start a care and support protection plan"
    assert wf.event_label("start_cp_plan", "england") == "Start a child protection plan"
    assert wf.event_label("accommodate_s20", "england") == "Accommodate by agreement (section 20)"


def test_opening_a_child_twice_is_refused():
    err = refused(family(), open_child("C1", D(3)))
    assert "already open" in str(err)
    ctx = wf.Context(today=TODAY, child_ref_owner=lambda ref: "FAM2" if ref == "C9" else None)
    with pytest.raises(wf.Refused, match="already open"):
        wf.apply(family(), open_child("C9", D(3)), ctx)


def test_open_case_checks_every_field_at_once():
    with pytest.raises(wf.Refused) as info:
        wf.apply(None, ev("open_case", D(0), "C1", dob=None, sex="X", ethnicity="ZZZZ"), CTX, "E1", "england")
    assert fields(info.value) == {"dob", "sex", "ethnicity"}


def test_unborn_baby_can_be_opened_with_expected_date_of_birth():
    fam = wf.apply(None, open_child("C1", D(0), dob=D(200)), CTX, "E1", "england")
    assert fam.children["C1"].dob == D(200)
    with pytest.raises(wf.Refused):
        wf.apply(None, open_child("C1", D(0), dob=D(281)), CTX, "E1", "england")


# --- step_availability: the page asks the same gates, on a copy ---------------------------------


def available(fam, event, child_ref="C1", **kw):
    before = copy.deepcopy(fam)
    answer = wf.step_availability(fam, child_ref, event, CTX, **kw)
    assert fam == before, "asking must not change the family"
    return answer


def test_availability_accommodation_before_any_fgc_needs_an_exception_with_the_gate_reason():
    fam = family()
    answer = available(fam, "accommodate_s20")
    assert (answer.possible, answer.needs_exception) == (True, True)
    assert answer.reason.startswith("No family group conference has been offered to this family on or before")
    fam = family(ev("offer_fgc", D(1)))
    assert available(fam, "accommodate_s20") == wf.Availability("accommodate_s20", True, False, None)


def test_availability_ending_a_plan_never_started_is_not_possible():
    fam = family(ev("send_letter_before_proceedings", D(1)))
    assert available(fam, "end_cp_plan") == wf.Availability(
        "end_cp_plan", False, False, "Child C1 is not on a child protection plan, so there is no plan to end.")
    fam = family(ev("start_cp_plan", D(1), "C1"), ev("send_letter_before_proceedings", D(2)))
    assert available(fam, "end_cp_plan").possible


def test_availability_closing_during_proceedings_is_not_possible_after_the_order_it_is():
    fam = in_proceedings()
    answer = available(fam, "close_case")
    assert not answer.possible and "still open" in answer.reason
    wf.apply(fam, ev("final_order", D(150), "C1", proceedings_ref="P1", order_type="sgo"), CTX)
    assert available(fam, "close_case").possible  # the reason is asked for by the form


def test_availability_of_family_steps_and_extensions():
    fam = family()
    assert not available(fam, "fgc_accepted", None).possible
    assert available(fam, "offer_fgc", None).possible
    fam = family(ev("offer_fgc", D(1)))
    answer = available(fam, "offer_fgc", None)
    assert not answer.possible and "still open" in answer.reason
    fam = in_proceedings()
    assert available(fam, "extend_timetable", None, proceedings_ref="P1").possible
    wf.apply(fam, ev("final_order", D(150), "C1", proceedings_ref="P1", order_type="sgo"), CTX)
    answer = available(fam, "extend_timetable", None, proceedings_ref="P1")
    assert not answer.possible and "concluded" in answer.reason


def test_availability_a_step_the_stage_does_not_allow_is_not_possible():
    answer = available(family(), "return_home")
    assert not answer.possible and "cannot be recorded for child C1" in answer.reason


def test_journeys_are_the_stages_each_child_passed_through():
    events = [open_child("C1"), ev("start_cp_plan", D(3), "C1"), ev("offer_fgc", D(4)),
              ev("accommodate_s20", D(10), "C1", consent_by="mother"), ev("return_home", D(40), "C1")]
    fam, journeys = wf.replay_with_journeys(events, "E1", "england", CTX)
    assert fam == wf.replay(events, "E1", "england", CTX)
    assert journeys == {"C1": [("early_help", OPEN), ("child_protection", D(3)), ("section_20", D(10)),
                               ("reunification", D(40))]}
