"""The pathway's transitions and limits at their edges (issue 18: tests that fail when the law is
coded wrong). Each rule is tried from both sides, through workflow.replay and workflow.apply only.
"""
from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import test_refusals_cy as cy
from test_refusals_cy import CASES as WELSH_CASES
from test_workflow import CTX, D, ev, family, fields, refused, stage

from pathway import codes
from pathway import workflow as wf
from pathway.messages import msg


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


REF = "ZW26C00042"


ISSUED = D(22)


def in_proceedings(issued=ISSUED):
    return family(ev("offer_fgc", D(20)), ev("send_letter_before_proceedings", D(20)),
                  ev("issue_proceedings", issued, "C1", proceedings_ref=REF))


def test_an_interim_order_can_be_dated_the_day_of_issue_but_not_the_day_before():
    fam = in_proceedings(D(22))
    err = refused(fam, ev("interim_order", D(21), "C1", proceedings_ref=REF, order_type="interim_care_order"))
    assert fields(err) == {"date"}
    wf.apply(fam, ev("interim_order", D(22), "C1", proceedings_ref=REF, order_type="interim_care_order"), CTX)
    assert fam.children["C1"].interim_order == "interim_care_order"


def test_proceedings_can_be_heard_in_the_fdac_from_the_day_of_issue():
    fam = in_proceedings(D(22))
    err = refused(fam, ev("heard_in_fdac", D(21), proceedings_ref=REF))
    assert [(p.field, str(p.message)) for p in err.problems] == [
        ("date", "Proceedings ZW26C00042 were issued on 27 January 2026: this date is before that.")]
    wf.apply(fam, ev("heard_in_fdac", D(22), proceedings_ref=REF), CTX)
    assert fam.proceedings[REF].fdac is True
    err = refused(fam, ev("heard_in_fdac", D(23), proceedings_ref=REF))
    assert [(p.field, str(p.message)) for p in err.problems] == [
        ("proceedings_ref", "Proceedings ZW26C00042 are already recorded as heard in a Family Drug and Alcohol Court.")]


def test_an_emergency_protection_order_can_be_extended_on_its_last_day_but_not_after():
    fam = family(ev("emergency_protection", D(20), "C1", emergency_type="epo"))
    ends = fam.children["C1"].emergency_ends_on
    err = refused(fam, ev("extend_epo", ends + timedelta(days=1), "C1", end_date=ends + timedelta(days=5)))
    assert fields(err) == {"date"}
    wf.apply(fam, ev("extend_epo", ends, "C1", end_date=ends + timedelta(days=7)), CTX)
    assert fam.children["C1"].emergency_ends_on == ends + timedelta(days=7) and fam.children["C1"].epo_extended


def test_the_steps_a_stage_offers_are_the_child_steps_its_machine_allows_and_the_network_steps_apart():
    for each in wf.STAGES:
        child_steps = wf.steps_allowed(each.name)
        network = wf.network_steps_allowed(each.name)
        triggers = wf._TRIGGERS_FROM[each.name]
        assert child_steps == [e.name for e in wf.EVENT_SPECS if e.level == "child" and e.name in triggers
                               and e.name not in wf.NETWORK_EVENTS]
        assert network == [n for n in wf.NETWORK_EVENTS if n in triggers]
        assert not set(child_steps) & set(network)
    assert "issue_proceedings" in wf.steps_allowed("pre_proceedings")
    assert "offer_fgc" not in wf.steps_allowed("pre_proceedings")  # a family step
    assert "add_person" not in wf.steps_allowed("pre_proceedings") and "relate_person" in wf.network_steps_allowed(
        "pre_proceedings")
    assert wf.network_steps_allowed("closed") == []


def test_a_step_for_a_conference_that_is_over_says_to_offer_a_new_one():
    fam = family(ev("offer_fgc", D(20)), ev("fgc_declined", D(21)))
    err = refused(fam, ev("hold_fgc", D(22)))
    assert "Offer a new one first." in str(err)
    fam = family(ev("offer_fgc", D(20)), ev("fgc_accepted", D(21)))  # still open
    err = refused(fam, ev("fgc_accepted", D(22)))
    assert str(err) == ("The family group conference offered on 25 January 2026 is already accepted. Only an "
                        "offer not yet answered can be accepted.")


def test_the_letter_to_issue_needs_a_decision_to_issue_even_with_no_pre_proceedings_at_all():
    err = refused(family(), ev("send_letter_to_issue", D(20)))
    assert fields(err) == {"event"} and "No pre-proceedings decision to issue proceedings" in str(err)


def test_an_offer_starts_a_new_conference_from_no_offer_or_from_every_status_in_which_one_is_over():
    rules = [r for r in wf.pathway_rules() if r.machine == "fgc" and r.step == "offer_fgc" and not r.gates]
    closed = [s for s in wf.FGC_MACHINE.states if not wf.FgcCase(D(0), status=s).is_open]
    assert closed and "offered" not in closed
    assert [(r.source, r.dest) for r in rules] == [(s, "offered") for s in ["none", *closed]]


@pytest.mark.parametrize(("nation", "step", "stage", "first_allowed"), [
    ("england", "Start a child protection plan", "Section 20 accommodation", "End the child protection plan"),
    ("wales", "Start a care and support protection plan", "Section 76 accommodation",
     "End the care and support protection plan"),
])
def test_a_step_at_the_wrong_stage_names_the_stage_and_the_steps_in_the_nations_words(nation, step, stage,
                                                                                       first_allowed):
    fam = family(ev("offer_fgc", D(20)), ev("accommodate_s20", D(21), "C1", consent_by="mother"), nation=nation)
    err = refused(fam, ev("start_cp_plan", D(22), "C1"))
    assert fields(err) == {"event"}
    assert str(err).startswith(f"'{step}' cannot be recorded for child C1, who is at the stage '{stage}'. "
                               f"At this stage you can record: {first_allowed}, Emergency protection, ")


def test_a_step_for_a_closed_case_says_when_it_closed():
    fam = family()
    wf.apply(fam, ev("close_case", D(30), "C1", reason="Moved away"), CTX)
    err = refused(fam, ev("start_cp_plan", D(31), "C1"))
    assert [(p.field, str(p.message)) for p in err.problems] == [("event", "Child C1's case was closed on 4 February 2026.")]


def test_a_review_conference_needs_a_plan_to_review():
    err = refused(family(), ev("cp_review_conference", D(30), "C1"))
    assert [(p.field, str(p.message)) for p in err.problems] == [
        ("event", "Child C1 has no child protection plan to review.")]


def test_a_conference_out_of_order_is_described_in_words():
    fam = family(ev("offer_fgc", D(20)), ev("fgc_accepted", D(21)), ev("refer_fgc", D(22), reason="Neglect"))
    err = refused(fam, ev("fgc_accepted", D(23)))
    assert str(err).startswith("The family group conference offered on 25 January 2026 is already referred to the "
                               "FGC service.")
    fam = family(ev("offer_fgc", D(20)), ev("fgc_declined", D(21)))
    err = refused(fam, ev("hold_fgc", D(22)))
    assert str(err).endswith(" Offer a new one first.") and str(err).startswith(
        "The family group conference offered on 25 January 2026 is already declined.")


# --- The pieces the machines are built from --------------------------------------------------------
# The machines' conditions and effects are made by these factories when workflow.py is imported;
# called here directly, so that a change to a factory is seen by a test run in a process that
# imported the module before the change was chosen (as mutmut's workers do).


def step_data(model, event=None, **kwargs):
    return SimpleNamespace(model=model, kwargs={"event": event, **kwargs})


def test_a_transitions_condition_runs_every_gate_and_refuses_with_all_their_reasons():
    one, two, three = (wf.Problem(f, msg(f"{f}.")) for f in ("date", "order_type", "person_ref"))
    calls = []

    def first(ev, family, model, ctx):
        calls.append((ev, family, model, ctx))
        return one

    def second(ev, family, model, ctx):
        return [two, three]

    def silent(ev, family, model, ctx):
        return None

    condition = wf._check(first, silent, second)
    assert condition.gates == (first, silent, second)
    data = step_data("the child", "the step", family="the family", ctx="the context")
    with pytest.raises(wf.Refused) as info:
        condition(data)
    assert info.value.problems == [one, two, three]
    assert str(info.value) == "date. order_type. person_ref."
    assert calls == [("the step", "the family", "the child", "the context")]
    assert wf._check(silent)(data) is True
    assert wf._check(silent, lambda *a: [])(data) is True


def test_a_plan_starts_on_the_days_step_and_ends_with_its_review_and_enquiry_forgotten():
    child = SimpleNamespace(on_cp_plan=False, cp_plan_since=None, last_cp_review=D(3), strategy_discussion_on=D(2))
    wf._set_cp_plan(True)(step_data(child, ev("start_cp_plan", D(5), "C1")))
    assert (child.on_cp_plan, child.cp_plan_since, child.last_cp_review, child.strategy_discussion_on) == (
        True, D(5), None, None)
    child.last_cp_review, child.strategy_discussion_on = D(8), D(9)
    wf._set_cp_plan(False)(step_data(child, ev("end_cp_plan", D(10), "C1")))
    assert child.on_cp_plan is False and child.cp_plan_since is None and child.last_cp_review is None
    assert child.strategy_discussion_on == D(9)  # ending a plan says nothing of an enquiry
    fam = on_plan_then(ev("cp_review_conference", D(8), "C1"))
    assert fam.children["C1"].last_cp_review == D(8)
    wf.apply(fam, ev("end_cp_plan", D(9), "C1"), CTX)
    assert fam.children["C1"].last_cp_review is None and fam.children["C1"].cp_plan_since is None


def test_the_conditions_of_an_outcome_and_of_an_order_compare_exactly():
    step_down = step_data(None, SimpleNamespace(outcome="step_down"))
    assert wf._plan_outcome("step_down")(step_down) is True
    assert wf._plan_outcome("issue")(step_down) is False
    sgo = step_data(None, SimpleNamespace(order_type="sgo"))
    assert wf._leads_to("kinship_care")(sgo) is True
    assert wf._leads_to("care_order")(sgo) is False


def test_a_conference_step_records_its_date_on_the_conference():
    fgc = SimpleNamespace(held_on=None, referred_on=D(1))
    wf._fgc_dates("held_on")(step_data(fgc, ev("hold_fgc", D(7))))
    assert fgc.held_on == D(7) and fgc.referred_on == D(1)


# --- Every refusal names a field of the step ---------------------------------------------------
# The refusals of tests/test_refusals_cy.py (one or more for every gate), read here for their
# fields: a form shows a problem beside the field it names, an import beside the column.

STEP_FIELDS = {f.name for f in dataclasses.fields(wf.PathwayEvent)}


@pytest.mark.parametrize(("gate", "refuse"), [(gate, refuse) for gate, refuse, _welsh in WELSH_CASES],
                         ids=[f"{gate.__name__}-{n}" for n, (gate, _r, _w) in enumerate(WELSH_CASES)])
def test_every_refusal_of_every_gate_names_a_field_of_the_step(gate, refuse):
    problems = refuse(gate)
    assert problems
    assert {p.field for p in problems} <= STEP_FIELDS


def test_a_carer_assessment_is_kept_with_its_person_and_an_unknown_outcome_lists_the_outcomes():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents

    fam = parents(network_ev("carer_assessment", day(20), person_ref="R1", outcome="viability_positive"))
    assert [(a.on, a.person_ref, a.outcome) for a in fam.assessments] == [(day(20), "R1", "viability_positive")]
    err = refused(parents(), network_ev("carer_assessment", day(20), person_ref="R1", outcome="great"))
    assert [(p.field, str(p.message)) for p in err.problems] == [
        ("outcome", "Choose the assessment's outcome: " + ", ".join(codes.CARER_ASSESSMENT_OUTCOMES) + ".")]


def test_a_gates_docstring_gives_its_code_and_words_and_the_nation_goes_before_the_full_stop():
    assert wf.docstring_words("A plain   sentence\n  on two lines.") == wf.GateWords("", "A plain sentence on two lines.")
    assert wf.docstring_words("G9 (Wales): the order of box X.") == wf.GateWords("G9", "The order of box X (Wales).")
    assert wf.docstring_words("G4: an extension.") == wf.GateWords("G4", "An extension.")


def test_a_step_for_proceedings_names_the_case_number_the_family_lacks_or_asks_for_one():
    fam = in_proceedings()
    err = refused(fam, ev("heard_in_fdac", D(25), proceedings_ref="ZW26C09999"))
    assert [(p.field, str(p.message)) for p in err.problems] == [
        ("proceedings_ref", "Family FAM1 has no proceedings ZW26C09999. Check the court's case number.")]
    for blank in (None, ""):
        err = refused(fam, ev("heard_in_fdac", D(25), proceedings_ref=blank))
        assert [(p.field, str(p.message)) for p in err.problems] == [
            ("proceedings_ref", "Enter the court's case number for these proceedings.")]


def test_a_step_for_proceedings_that_have_concluded_says_when():
    fam = in_proceedings()
    wf.apply(fam, ev("final_order", D(60), "C1", proceedings_ref=REF, order_type="care_order"), CTX)
    err = refused(fam, ev("heard_in_fdac", D(61), proceedings_ref=REF))
    assert [(p.field, str(p.message)) for p in err.problems] == [("proceedings_ref", (
        "Proceedings ZW26C00042 concluded on 6 March 2026. This can only be recorded while proceedings are open."))]
    err = refused(fam, ev("extend_timetable", D(60), proceedings_ref=REF, weeks=8, reason="kinship_assessment"))
    assert [(p.field, str(p.message)) for p in err.problems] == [("proceedings_ref", (
        "Proceedings ZW26C00042 concluded on 6 March 2026. An extension can only be granted while proceedings "
        "are open."))]


def test_post_removal_support_is_kept_with_its_outcome_and_refused_in_words():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import ordered

    fam = ordered("care_order")
    wf.apply(fam, network_ev("post_removal_support", day(101), person_ref="M1", outcome="referred"), CTX)
    assert [(r.on, r.person_ref, r.outcome) for r in fam.post_removal_support] == [(day(101), "M1", "referred")]
    err = refused(fam, network_ev("post_removal_support", day(102), person_ref="R1", outcome="referred"))
    assert [(p.field, str(p.message)) for p in err.problems] == [("person_ref", (
        "R1 is not recorded as the mother or father of a child in family FAM9. Post-removal support is for "
        "parents."))]
    err = refused(fam, network_ev("post_removal_support", day(102), person_ref="F1", outcome="maybe"))
    assert [(p.field, str(p.message)) for p in err.problems] == [
        ("outcome", "Choose what happened: " + ", ".join(codes.POST_REMOVAL_SUPPORT_OUTCOMES) + ".")]


def test_a_step_without_a_case_number_is_applied_to_no_proceedings_whatever_their_number():
    fam = family(ev("offer_fgc", D(20)), ev("send_letter_before_proceedings", D(20)),
                 ev("issue_proceedings", D(22), "C1", proceedings_ref="XXXX"))
    err = refused(fam, ev("heard_in_fdac", D(25)))
    assert [(p.field, str(p.message)) for p in err.problems] == [
        ("proceedings_ref", "Enter the court's case number for these proceedings.")]


def test_an_availability_that_needs_an_exception_names_its_step():
    answer = wf.step_availability(family(), "C1", "accommodate_s20", CTX)
    assert (answer.event, answer.possible, answer.needs_exception) == ("accommodate_s20", True, True)


KNOWN = ", ".join(codes.CHARACTERISTICS)


@pytest.mark.parametrize(("fields_given", "expected"), [
    ({}, [("person_ref", "Enter the person's reference.")]),
    ({"person_ref": "M1"}, [("person_ref", ("M1 is already in family FAM9's network (added 4 May 2026). To change how "
                                           "they relate to a child, record the relationship again."))]),
    ({"person_ref": "C1"}, [("person_ref", ("'C1' cannot be a person's reference: it is a child's reference in this "
                                           "family."))]),
    ({"person_ref": "mother"}, [("person_ref", ("'mother' cannot be a person's reference: it is a word the event file "
                                               "reserves."))]),
    ({"person_ref": "Z1", "dob": "after", "sex": "X", "ethnicity": "NOPE", "characteristics": ("foo",)}, [
        ("dob", "A person's date of birth cannot be after the day they are added."),
        ("sex", "Choose the person's sex: M or F, or leave it blank if not known."),
        ("ethnicity", "Choose the person's ethnicity from the SSDA903 codes, or leave it blank."),
        ("characteristics", f"foo is not a characteristic Pathway records; use {KNOWN}.")]),
    ({"person_ref": "Z2", "characteristics": ("foo", "bar")}, [
        ("characteristics", f"foo, bar are not a characteristic Pathway records; use {KNOWN}.")]),
])
def test_adding_a_person_is_refused_in_words_for_each_field(fields_given, expected):
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents

    if fields_given.get("dob") == "after":
        fields_given = {**fields_given, "dob": day(4)}
    err = refused(parents(), network_ev("add_person", day(3), **fields_given))
    assert [(p.field, str(p.message)) for p in err.problems] == expected


def test_a_person_added_is_kept_with_their_details_and_characteristics_once_each_in_order():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents

    fam = parents(network_ev("add_person", day(3), person_ref="Z1", dob=day(-9000), sex="F", ethnicity="WBRI",
                             characteristics=("substance_misuse", "care_experienced", "substance_misuse")))
    assert fam.people["Z1"] == wf.PersonCase("Z1", day(3), day(-9000), "F", "WBRI",
                                             ("care_experienced", "substance_misuse"))


def test_the_refusal_after_objections_names_the_latest_objector():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents, relate

    fam = parents(relate("C1", "F1", "father", "yes"), network_ev("offer_fgc", day(5)),
                  network_ev("accommodate_s20", day(6), "C1", consent_by="M1"),
                  network_ev("object_to_accommodation", day(10), "C1", person_ref="M1"),
                  network_ev("object_to_accommodation", day(12), "C1", person_ref="F1"))
    err = refused(fam, network_ev("return_home", day(13), "C1"))
    assert [(p.field, str(p.message)) for p in err.problems] == [("event", (
        "F1 objected on 16 May 2026 to child C1 being accommodated, which ends the authority's power to keep "
        "the child. Record the child's removal from accommodation, or emergency protection, or the issue of "
        "care proceedings."))]


def test_a_case_cannot_close_without_a_reason_given_at_all():
    err = refused(family(), ev("close_case", D(30), "C1"))
    assert [(p.field, str(p.message)) for p in err.problems] == [("reason", "Give the reason the case is closing.")]


def test_a_final_order_leaves_the_child_with_no_case_number_and_support_on_its_day_counts():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import ordered

    fam = in_proceedings()
    wf.apply(fam, ev("final_order", D(60), "C1", proceedings_ref=REF, order_type="care_order"), CTX)
    assert fam.children["C1"].proceedings_ref is None
    fam = ordered("care_order")  # the order on day 100, away from both parents
    assert fam.post_removal_support_due() == {"M1": day(100), "F1": day(100)}
    wf.apply(fam, network_ev("post_removal_support", day(100), person_ref="M1", outcome="referred"), CTX)
    assert fam.post_removal_support_due() == {"F1": day(100)}


def test_a_letter_before_proceedings_needs_a_child_at_a_stage_for_it():
    fam = family()
    wf.apply(fam, ev("close_case", D(30), "C1", reason="Moved away"), CTX)
    err = refused(fam, ev("send_letter_before_proceedings", D(31)))
    assert [(p.field, str(p.message)) for p in err.problems] == [
        ("event", "No child in this family is at a stage where a letter before proceedings can be sent.")]


# --- The conference's own steps (issue 13), through workflow.apply ----------------------------------


def said(err):
    return [(p.field, str(p.message)) for p in err.problems]


@pytest.mark.parametrize("step", [ev("offer_fgc", D(31)), ev("fgc_accepted", D(31)), ev("hold_fgc", D(31))])
def test_no_conference_step_for_a_family_whose_every_childs_case_is_closed(step):
    fam = family(ev("offer_fgc", D(20)))
    wf.apply(fam, ev("close_case", D(30), "C1", reason="Moved away"), CTX)
    assert said(refused(fam, step)) == [("event", "Every child's case in family FAM1 is closed.")]


def test_a_new_offer_while_a_conference_is_open_says_how_to_finish_it_first():
    fam = family(ev("offer_fgc", D(20)))
    assert said(refused(fam, ev("offer_fgc", D(25)))) == [("event", (
        "A family group conference offered on 25 January 2026 is still open. Record it as held or declined "
        "before offering another."))]
    fam = family(ev("offer_fgc", D(20)), ev("fgc_accepted", D(21)), ev("refer_fgc", D(22), reason="Neglect"))
    assert said(refused(fam, ev("offer_fgc", D(25)))) == [("event", (
        "A family group conference offered on 25 January 2026 is still open. A conference referred to the FGC "
        "service is finished when it is reviewed, declined or closed: record that before offering another."))]


def test_an_offer_is_a_new_conference_on_its_day_to_everyone_with_parental_responsibility():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents, relate

    fam = parents(relate("C1", "F1", "father", "yes"), network_ev("offer_fgc", day(6)))
    assert fam.fgcs == [wf.FgcCase(day(6), offered_to=("F1", "M1"))]
    fam = parents(network_ev("offer_fgc", day(6), offered_to="R1"))
    assert fam.fgcs == [wf.FgcCase(day(6), offered_to=("R1",))]


def test_a_conference_step_with_no_offer_at_all_asks_for_the_offer():
    assert said(refused(family(), ev("fgc_accepted", D(20)))) == [("event", (
        "No family group conference has been offered to this family. Record the offer first."))]


def test_a_step_dated_before_the_latest_offer_is_a_date_mistake_but_its_day_is_not():
    fam = family(ev("offer_fgc", D(10)), ev("fgc_declined", D(11)), ev("offer_fgc", D(20)))
    assert said(refused(fam, ev("fgc_accepted", D(15)))) == [("date", (
        "The latest family group conference was offered on 25 January 2026, after 20 January 2026. Check the "
        "date: it cannot have been accepted before it was offered."))]
    wf.apply(fam, ev("fgc_accepted", D(20)), CTX)
    assert (fam.latest_fgc().status, fam.latest_fgc().accepted_on) == ("accepted", D(20))


def test_a_conference_step_dated_before_its_last_step_is_a_date_mistake_unless_out_of_order_anyway():
    fam = family(ev("offer_fgc", D(10)), ev("fgc_accepted", D(12)))
    assert said(refused(fam, ev("hold_fgc", D(11)))) == [("date", (
        "The family group conference's last step was recorded on 17 January 2026, after 16 January 2026. Its "
        "steps run in order: check the date."))]
    wf.apply(fam, ev("hold_fgc", D(12)), CTX)  # the same day as the last step
    assert fam.latest_fgc().held_on == D(12)
    # Held (an old file's conference, never referred): accepting it again is out of order whatever the date.
    assert said(refused(fam, ev("fgc_accepted", D(11)))) == [("event", (
        "The family group conference offered on 15 January 2026 is already held. Only an offer not yet answered "
        "can be accepted. Offer a new one first."))]


def test_a_conference_step_out_of_order_names_where_the_conference_stands():
    fam = family(ev("offer_fgc", D(10)))
    assert said(refused(fam, ev("review_fgc", D(12)))) == [("event", (
        "The family group conference offered on 15 January 2026 is already offered. A review can be held only "
        "after the authority has decided on the family's plan."))]


def test_a_conference_is_held_with_the_people_of_the_family_network_who_came():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents

    fam = parents(network_ev("offer_fgc", day(6)))
    wf.apply(fam, network_ev("hold_fgc", day(8), invited=("M1", "R1"), attended=("R1",)), CTX)
    assert (fam.latest_fgc().status, fam.latest_fgc().invited, fam.latest_fgc().attended) == (
        "held", ("M1", "R1"), ("R1",))


# --- G2o: a standing objection (s.20(7)-(11), s.76 in Wales), the gate called as the machine calls it


def test_an_objection_stops_accommodation_by_agreement_under_each_nations_section_naming_every_objector():
    parents_with_pr = {"P1": wf.Relation("mother", True, cy.OPENED), "P2": wf.Relation("father", True, cy.OPENED)}
    objections = {"P2": date(2026, 2, 3), "P1": date(2026, 2, 1)}
    for nation, section in (("england", "20"), ("wales", "76")):
        fam = cy.family(cy.child(relations=parents_with_pr, objections=objections), nation=nation)
        assert said(wf.Refused(cy.call(wf.gate_no_standing_objection, cy.ev("accommodate_s20", consent_by="P1"),
                                       fam))) == [("consent_by", (
            f"Child C1 cannot be accommodated under section {section}: P1 (since 1 February 2026), P2 (since 3 "
            "February 2026) has parental responsibility and objects. The law does not allow accommodation by "
            "agreement against that objection unless the child is 16 or over and agrees. Record the objection as "
            "withdrawn if it was, or seek an order (emergency protection or care proceedings)."))]


def test_a_child_of_16_who_agrees_is_accommodated_despite_an_objection_but_not_on_a_parents_word():
    objected = cy.child(dob=date(2010, 3, 2), relations=cy.mother(), objections={"P1": date(2026, 2, 1)})
    fam = cy.family(objected)
    sixteen, day_before = date(2026, 3, 2), date(2026, 3, 1)
    assert cy.call(wf.gate_no_standing_objection, cy.ev("accommodate_s20", sixteen, consent_by="child"), fam) == []
    for step in (cy.ev("accommodate_s20", day_before, consent_by="child"),
                 cy.ev("accommodate_s20", sixteen, consent_by="P1")):
        [problem] = cy.call(wf.gate_no_standing_objection, step, fam)
        assert problem.field == "consent_by" and "P1 (since 1 February 2026) has parental responsibility" in str(
            problem.message)
    unopposed = cy.family(cy.child(relations=cy.mother()))
    assert cy.call(wf.gate_no_standing_objection, cy.ev("accommodate_s20", consent_by="P1"), unopposed) == []


# --- How the conference stood on the day of a step (the court's FGC question at issue) -------------


def conference_family(*fgcs):
    fam = wf.FamilyCase("E09000999", "england", "FAM1", D(0))
    fam.fgcs.extend(fgcs)
    return fam


@pytest.mark.parametrize(("conference", "answer"), [
    (wf.FgcCase(D(10)), "offered_no_answer"),
    (wf.FgcCase(D(10), status="accepted", accepted_on=D(11)), "accepted_not_held"),
    (wf.FgcCase(D(10), status="closed", accepted_on=D(11), referred_on=D(12), closed_on=D(14)), "accepted_not_held"),
    (wf.FgcCase(D(10), status="declined", declined_on=D(11)), "declined"),
    (wf.FgcCase(D(10), status="declined", accepted_on=D(11), declined_on=D(12)), "declined"),
    (wf.FgcCase(D(10), status="held", held_on=D(12)), "held"),
    (wf.FgcCase(D(10), status="review_held", accepted_on=D(11), held_on=D(12), reviewed_on=D(18)), "held"),
])
def test_the_fgc_answer_at_issue_reads_the_latest_conference_offered_by_that_day(conference, answer):
    step = ev("issue_proceedings", D(20), "C1")
    assert wf.fgc_answer_code(conference_family(conference), step) == answer
    # A later offer, after the day, does not count; an offer on the day does.
    assert wf.fgc_answer_code(conference_family(conference, wf.FgcCase(D(21), status="held", held_on=D(22))),
                              step) == answer
    assert wf.fgc_answer_code(conference_family(conference, wf.FgcCase(D(20))), step) == "offered_no_answer"


def test_the_fgc_answer_with_no_offer_by_that_day_says_whether_an_exception_was_recorded():
    later = conference_family(wf.FgcCase(D(21), status="held", held_on=D(22)))
    assert wf.fgc_answer_code(later, ev("issue_proceedings", D(20), "C1")) == "not_offered"
    assert wf.fgc_answer_code(later, ev("issue_proceedings", D(20), "C1", exception="Baby at risk at birth")) == (
        "not_offered_exception")
    assert wf.fgc_answer_code(conference_family(), ev("issue_proceedings", D(20), "C1", exception="")) == (
        "not_offered")


# --- The letter before proceedings for the family, and the offer it may carry (s.31ZA(6)) ----------


def test_a_letter_moves_every_child_at_a_stage_for_it_and_the_period_lists_only_them():
    fam = wf.replay([ev("open_case", D(0), "C1", dob=date(2015, 5, 1), sex="F", ethnicity="WBRI"),
                     ev("open_case", D(0), "C2", dob=date(2017, 5, 1), sex="M", ethnicity="WBRI"),
                     ev("open_case", D(0), "C3", dob=date(2019, 5, 1), sex="M", ethnicity="WBRI"),
                     ev("start_cp_plan", D(5), "C2"), ev("close_case", D(8), "C3", reason="Moved away")],
                    "E09000999", "england", CTX)
    wf.apply(fam, ev("send_letter_before_proceedings", D(20)), CTX)
    assert [(c.ref, c.stage, c.stage_since) for c in fam.children.values()] == [
        ("C1", "pre_proceedings", D(20)), ("C2", "pre_proceedings", D(20)), ("C3", "closed", D(8))]
    assert fam.letters == [D(20)] and fam.letter_offers == {} and fam.fgcs == []
    assert [(p.started_on, p.children, p.letter_on) for p in fam.pre_proceedings] == [(None, ("C1", "C2"), D(20))]


def test_a_letter_carrying_the_offer_after_a_conference_is_over_makes_a_new_offer_in_the_letter():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents

    fam = parents(network_ev("offer_fgc", day(2)), network_ev("fgc_declined", day(3)),
                  network_ev("send_letter_before_proceedings", day(5), offered_to="R1;M1;R1"))
    assert fam.letter_offers == {day(5): ("M1", "R1")}
    assert fam.fgcs[1:] == [wf.FgcCase(day(5), offered_to=("M1", "R1"), in_letter=True)]


def test_a_letter_carrying_the_offer_adds_its_people_to_the_open_offer_in_order():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents

    fam = parents(network_ev("offer_fgc", day(2), offered_to="R1"),
                  network_ev("send_letter_before_proceedings", day(5), offered_to="M1;F1"))
    assert fam.fgcs == [wf.FgcCase(day(2), offered_to=("F1", "M1", "R1"))]
    assert fam.letter_offers == {day(5): ("F1", "M1")}


def test_the_pre_proceedings_period_ends_once_each_of_its_children_is_issued_for_or_closed():
    fam = wf.replay([ev("open_case", D(0), "C1", dob=date(2015, 5, 1), sex="F", ethnicity="WBRI"),
                     ev("open_case", D(0), "C2", dob=date(2017, 5, 1), sex="M", ethnicity="WBRI"),
                     ev("offer_fgc", D(10)), ev("send_letter_before_proceedings", D(20)),
                     ev("open_case", D(22), "C3", dob=date(2019, 5, 1), sex="M", ethnicity="WBRI")],
                    "E09000999", "england", CTX)
    [period] = fam.pre_proceedings
    wf.apply(fam, ev("issue_proceedings", D(30), "C3", proceedings_ref="ZW26C00003"), CTX)  # not of the period
    wf.apply(fam, ev("issue_proceedings", D(31), "C1", proceedings_ref="ZW26C00001"), CTX)
    assert period.children == ("C1", "C2") and period.court_applications == {"C1": D(31)} and period.is_open
    wf.apply(fam, ev("close_case", D(35), "C2", reason="Moved away"), CTX)
    assert period.court_applications == {"C1": D(31)} and period.ended_on == D(35)


# --- G8a: who was invited to the conference and who came ------------------------------------------


def attendance(**fields):
    fam = cy.family(people=("P1", "P2"))
    fam.people["P3"] = wf.PersonCase("P3", date(2026, 3, 2))  # added on the day of the conference
    fam.people["P4"] = wf.PersonCase("P4", date(2026, 3, 3))  # added the day after
    return said(wf.Refused(cy.call(wf.gate_fgc_attendance, cy.ev("hold_fgc", child_ref=None, **fields), fam,
                                   model=wf.FgcCase(date(2026, 2, 1)))))


def test_a_person_added_to_the_network_on_the_day_of_the_conference_can_be_invited_and_come():
    assert attendance(invited=("P1", "P3"), attended=("P3",), private_family_time="yes") == []
    assert attendance(invited=("P4",)) == [("invited", (
        "P4 is not in family FAM1's network on 2 March 2026. Add each person to the family network first."))]


def test_everyone_who_came_is_in_the_network_and_was_invited_each_said_once():
    assert attendance(invited=("P1", "P4", "P9"), attended=("P4", "P9")) == [
        ("invited", ("P4, P9 are not in family FAM1's network on 2 March 2026. Add each person to the family network "
                    "first.")),
        ("attended", ("P4, P9 are not in family FAM1's network on 2 March 2026. Add each person to the family "
                     "network first."))]
    assert attendance(attended=("P1", "P2")) == [("invited", "Say who was invited as well as who came.")]
    assert attendance(private_family_time="no") == []


def test_an_empty_history_has_no_family_and_no_journeys():
    assert wf.replay_with_journeys([], "E09000999", "england", CTX) == (None, {})
    fam, journeys = wf.replay_with_journeys([ev("open_case", D(0), "C1", dob=date(2015, 5, 1), sex="F",
                                                ethnicity="WBRI"), ev("start_cp_plan", D(5), "C1")],
                                            "E09000999", "england", CTX)
    assert journeys == {"C1": [("early_help", D(0)), ("child_protection", D(5))]} == {
        ref: c.journey for ref, c in fam.children.items()}


def test_a_replayed_family_belongs_to_the_authority_and_nation_it_was_replayed_for():
    fam = wf.replay([ev("open_case", D(0), "C1", dob=date(2015, 5, 1), sex="F", ethnicity="WBRI"),
                     ev("offer_fgc", D(3))], "W06000015", "wales", CTX)
    assert (fam.la_code, fam.nation, fam.ref, fam.opened_on) == ("W06000015", "wales", "FAM1", D(0))


# --- At issue: the statutory offer, the meeting accepted, who was assessed; the final order's carer


def test_the_statutory_offer_made_on_the_day_of_issue_counts_for_each_parent_with_pr():
    from test_family_network import before_issue, issue
    from test_family_network import ev as network_ev

    fam = before_issue(network_ev("offer_fgc", issue().date, offered_to="F1;M1"))
    assert fam.offered_fgc_to(issue().date) == {"F1", "M1"}
    assert fam.offered_fgc_to(issue().date - timedelta(days=1)) == set()
    assert stage(wf.apply(fam, issue(), CTX)) == "proceedings"


def test_a_conference_referred_to_the_fgc_service_but_not_held_stops_issue_in_england():
    from test_family_network import D as day
    from test_family_network import before_issue, issue
    from test_family_network import ev as network_ev

    fam = before_issue(network_ev("offer_fgc", day(6)), network_ev("fgc_accepted", day(7)),
                       network_ev("refer_fgc", day(8), reason="Neglect"))
    assert fam.latest_fgc().status == "referred"
    err = refused(fam, issue())
    assert fields(err) == {"exception"} and "but it has not been held" in str(err)


def test_a_special_guardian_named_in_the_final_order_must_be_in_the_family_network_that_day():
    from test_family_network import D as day
    from test_family_network import before_issue, issue, person
    from test_family_network import ev as network_ev

    fam = before_issue(network_ev("offer_fgc", day(6)), issue(), person("G7", day(101)))
    for ref in ("X9", "G7"):
        err = refused(fam, network_ev("final_order", day(100), "C1", proceedings_ref="ZW26C00009",
                                      order_type="sgo", person_ref=ref))
        assert said(err) == [("person_ref", (f"{ref} is not in family FAM9's network on 12 August 2026. Add the "
                                            "person to the family network first."))]
    wf.apply(fam, network_ev("final_order", day(101), "C1", proceedings_ref="ZW26C00009", order_type="sgo",
                             person_ref="G7"), CTX)
    assert fam.proceedings["ZW26C00009"].parties["C1"].order_carer == "G7"


@pytest.mark.parametrize(("assessed", "relative_assessed"), [
    (("R1",), True),  # the maternal grandparent
    (("A1",), True),  # in the network, not related to the child
    (("M1", "F1"), False),  # the parents are not relatives
])
def test_a_relative_assessed_by_the_day_of_issue_is_kept_on_the_party_but_not_a_parent(assessed, relative_assessed):
    from test_family_network import before_issue, issue, person
    from test_family_network import ev as network_ev

    day = issue().date
    fam = before_issue(network_ev("offer_fgc", day), person("A1"),
                       *(network_ev("carer_assessment", day, person_ref=ref, outcome="viability_positive")
                         for ref in assessed), issue())
    assert fam.proceedings["ZW26C00009"].parties["C1"].relative_assessed is relative_assessed


def test_consent_by_the_old_word_mother_lists_everyone_with_parental_responsibility_to_name_instead():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents, relate

    fam = parents(relate("C1", "F1", "father", "yes"), network_ev("offer_fgc", day(5)))
    err = refused(fam, network_ev("accommodate_s20", day(6), "C1", consent_by="mother"))
    assert said(err) == [("consent_by", (
        "Relationships are recorded for child C1: name the person with parental responsibility who agreed, by "
        "their reference (people with parental responsibility: F1, M1)."))]


def test_a_child_step_without_a_child_asks_which_child_it_is_for():
    assert said(refused(family(), ev("start_cp_plan", D(20)))) == [
        ("child_ref", "Say which child 'Start a child protection plan' is for.")]


def test_the_way_a_child_first_entered_care_is_kept_through_later_changes_of_legal_status():
    fam = family(ev("offer_fgc", D(20)), ev("accommodate_s20", D(21), "C1", consent_by="mother"))
    assert (fam.children["C1"].entered_care_on, fam.children["C1"].entered_care_by) == (D(21), "accommodate_s20")
    fam = family(ev("emergency_protection", D(20), "C1", emergency_type="epo"),
                 ev("accommodate_s20", D(25), "C1", consent_by="mother"))
    child = fam.children["C1"]
    assert (child.entered_care_on, child.entered_care_by, child.entered_care_in_emergency) == (
        D(20), "emergency_protection", True)


def test_an_extended_emergency_protection_order_is_forgotten_when_the_child_leaves_emergency_protection():
    fam = on_plan_then()
    assert fam.children["C1"].epo_extended is False
    fam = family(ev("emergency_protection", D(20), "C1", emergency_type="epo"))
    ends = fam.children["C1"].emergency_ends_on
    wf.apply(fam, ev("extend_epo", ends, "C1", end_date=ends + timedelta(days=7)), CTX)
    assert fam.children["C1"].epo_extended is True
    wf.apply(fam, ev("accommodate_s20", ends + timedelta(days=1), "C1", consent_by="mother", exception="Order ended"),
             CTX)
    child = fam.children["C1"]
    assert (child.stage, child.epo_extended, child.emergency_type, child.emergency_ends_on) == (
        "section_20", False, None, None)


def test_a_step_for_a_child_the_family_does_not_have_asks_to_open_the_childs_case():
    assert said(refused(family(), ev("start_cp_plan", D(20), "C7"))) == [
        ("child_ref", "Child C7 has no open case in family FAM1. Open the child's case first.")]


# --- Applying a step: what is refused before any stage is looked at ---------------------------------


def test_a_step_pathway_does_not_know_or_dated_in_the_future_is_refused_and_today_is_not():
    assert said(refused(family(), ev("teleport", D(20), "C1"))) == [
        ("event", "'teleport' is not a step Pathway knows.")]
    tomorrow = CTX.today + timedelta(days=1)
    assert said(refused(family(), ev("start_cp_plan", tomorrow, "C1"))) == [("date", (
        "The date 21 November 2026 is in the future. Record a step on or after the day it happens."))]
    assert family(ev("start_cp_plan", CTX.today, "C1")).children["C1"].cp_plan_since == CTX.today


def test_a_step_for_a_family_with_no_case_asks_for_a_childs_case_to_be_opened_first():
    with pytest.raises(wf.Refused) as info:
        wf.apply(None, ev("offer_fgc", D(1)), CTX)
    assert said(info.value) == [("family_ref", "Family FAM1 has no open case. Open a child's case first.")]


def opening(fam=None, ctx=CTX, **fields):
    fields = {"dob": date(2015, 5, 1), "sex": "F", "ethnicity": "WBRI", **fields}
    step = ev("open_case", D(0), fields.pop("child_ref", "C2"), **fields)
    return wf.apply(fam, step, ctx, "E09000999", "england")


def test_opening_a_childs_case_is_refused_in_words_for_each_field_at_once():
    with pytest.raises(wf.Refused) as info:
        opening(child_ref="", dob=None, sex="X", ethnicity="NOPE")
    assert said(info.value) == [
        ("child_ref", "Enter the child's reference."),
        ("dob", "Enter the child's date of birth (or expected date of birth)."),
        ("sex", "Choose the child's sex: M or F."),
        ("ethnicity", "Choose the child's ethnicity from the SSDA903 codes.")]


def test_a_childs_case_is_opened_once_in_the_authority():
    already = [("child_ref", ("A case for child C1 is already open in this authority. Each child's case is opened "
                             "once; check the reference."))]
    with pytest.raises(wf.Refused) as info:
        opening(family(), child_ref="C1")
    assert said(info.value) == already
    elsewhere = wf.Context(today=CTX.today, child_ref_owner=lambda ref: "FAM2" if ref == "C1" else None)
    with pytest.raises(wf.Refused) as info:
        opening(None, elsewhere, child_ref="C1")
    assert said(info.value) == already
    own = wf.Context(today=CTX.today, child_ref_owner=lambda ref: "FAM1")  # its own history, replayed
    fam = opening(None, own, child_ref="C1")
    fam = opening(fam, own, child_ref="C2", dob=date(2018, 2, 3), sex="M", ethnicity="WIRI")
    assert fam.children["C2"] == wf.ChildCase("C2", date(2018, 2, 3), "M", "WIRI", D(0), journey=[("early_help", D(0))],
                                              steps=[("open_case", D(0), None)])
    assert list(fam.children) == ["C1", "C2"] and fam.la_code == "E09000999"


# --- A step's date against the record it refers to ----------------------------------------------


def test_a_step_dated_before_its_childs_or_its_familys_case_opened_is_a_date_mistake():
    fam = family(ev("open_case", D(10), "C2", dob=date(2016, 1, 1), sex="M", ethnicity="WBRI"))
    assert said(refused(fam, ev("start_cp_plan", D(5), "C2"))) == [("date", (
        "The date 10 January 2026 is before child C2's case was opened on 15 January 2026. Check the date."))]
    assert family(ev("start_cp_plan", D(0), "C1")).children["C1"].on_cp_plan  # on the day it opened
    assert said(refused(fam, ev("offer_fgc", D(-1)))) == [("date", (
        "The date 4 January 2026 is before family FAM1's first case was opened on 5 January 2026. Check the "
        "date."))]
    assert wf.date_problem(None, ev("offer_fgc", D(-1))) is None
    assert wf.date_problem(fam, ev("open_case", D(-1), "C3")) is None


def test_a_conference_outcome_dated_before_the_first_offer_is_a_date_mistake():
    fam = family(ev("offer_fgc", D(20)))
    assert said(refused(fam, ev("fgc_declined", D(15)))) == [("date", (
        "The family group conference was offered on 25 January 2026, after 20 January 2026. Check the date: it "
        "cannot have been declined before it was offered."))]


def test_an_extension_or_a_final_order_dated_before_issue_or_an_extension_after_the_end_is_a_date_mistake():
    fam = in_proceedings(D(22))
    extension = {"proceedings_ref": REF, "weeks": 8, "reason": "parenting_assessment"}
    assert said(refused(fam, ev("extend_timetable", D(21), **extension))) == [("date", (
        "An extension cannot be dated 26 January 2026: proceedings ZW26C00042 were issued on 27 January 2026. "
        "Check the date."))]
    assert said(refused(fam, ev("final_order", D(21), "C1", proceedings_ref=REF, order_type="care_order"))) == [
        ("date", ("A final order cannot be dated 26 January 2026: proceedings ZW26C00042 were issued on 27 January "
                 "2026. Check the date."))]
    wf.apply(fam, ev("final_order", D(60), "C1", proceedings_ref=REF, order_type="care_order"), CTX)
    assert said(refused(fam, ev("extend_timetable", D(61), **extension))) == [("date", (
        "Proceedings ZW26C00042 concluded on 6 March 2026, before 7 March 2026. An extension can only be granted "
        "while proceedings are open: check the date."))]
    assert fields(refused(fam, ev("extend_timetable", D(60), **extension))) == {"proceedings_ref"}


def test_an_offer_names_only_people_in_the_family_network_on_its_day():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents, person

    fam = parents(person("S1", day(7)))
    assert said(refused(fam, network_ev("offer_fgc", day(6), offered_to="M1;S1"))) == [("offered_to", (
        "S1 is not in family FAM9's network on 10 May 2026. Add each person to the family network before "
        "recording an offer to them."))]
    assert said(refused(fam, network_ev("offer_fgc", day(6), offered_to="X1;S1"))) == [("offered_to", (
        "X1, S1 are not in family FAM9's network on 10 May 2026. Add each person to the family network before "
        "recording an offer to them."))]
    wf.apply(fam, network_ev("offer_fgc", day(7), offered_to="S1;M1;S1"), CTX)
    assert fam.fgcs[-1].offered_to == ("M1", "S1")


def test_post_removal_support_is_due_from_a_parents_first_order_not_yet_followed_by_support():
    fam = wf.FamilyCase("E09000999", "england", "FAM1", D(0))
    fam.removals = [("M1", "C1", D(100)), ("M1", "C2", D(120)), ("F1", "C2", D(120))]
    assert fam.post_removal_support_due() == {"M1": D(100), "F1": D(120)}
    fam.post_removal_support.append(wf.NetworkRecord(D(110), "M1", "referred"))
    assert fam.post_removal_support_due() == {"M1": D(120), "F1": D(120)}


def test_a_person_born_on_the_day_they_are_added_to_the_network_can_be_added():
    from test_family_network import D as day
    from test_family_network import ev as network_ev
    from test_family_network import parents

    fam = parents(network_ev("add_person", day(3), person_ref="B1", dob=day(3)))
    assert fam.people["B1"].dob == day(3)


def test_a_family_step_naming_a_child_is_judged_against_the_familys_case_not_the_childs():
    fam = family(ev("open_case", D(10), "C2", dob=date(2016, 1, 1), sex="M", ethnicity="WBRI"))
    wf.apply(fam, ev("offer_fgc", D(5), "C2"), CTX)
    assert fam.fgcs[0].offered_on == D(5)


def test_an_extension_before_issue_without_a_case_number_asks_for_the_number_whatever_the_proceedings():
    fam = family(ev("offer_fgc", D(20)), ev("send_letter_before_proceedings", D(20)),
                 ev("issue_proceedings", D(22), "C1", proceedings_ref="XXXX"))
    err = refused(fam, ev("extend_timetable", D(21), weeks=8, reason="parenting_assessment"))
    assert said(err) == [("proceedings_ref", "Enter the court's case number for these proceedings.")]


def test_a_proceedings_step_naming_a_child_is_among_the_childs_steps_and_a_family_step_is_not():
    fam = in_proceedings()
    wf.apply(fam, ev("heard_in_fdac", D(25), "C1", proceedings_ref=REF), CTX)
    wf.apply(fam, ev("fgc_declined", D(26), "C1"), CTX)
    assert fam.children["C1"].steps[-2:] == [("issue_proceedings", D(22), None), ("heard_in_fdac", D(25), None)]


def test_a_date_of_birth_more_than_40_weeks_ahead_asks_for_the_expected_date_of_an_unborn_baby():
    with pytest.raises(wf.Refused) as info:
        opening(dob=D(281))
    assert said(info.value) == [("dob", (
        "The date of birth is more than 40 weeks after the case was opened. For an unborn baby enter the expected "
        "date of birth."))]
