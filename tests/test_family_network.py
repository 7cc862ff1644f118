"""The family network in the pathway (issue 9): people, relationships, parental responsibility,
and the gates of the law that concern them, each tried from both sides. No Flask, no database.
"""
from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from pathway import workflow as wf

TODAY = date(2026, 11, 20)
OPEN = date(2026, 5, 4)  # after s.31ZA's default commencement (29 April 2026)
CTX = wf.Context(today=TODAY)
D = lambda n: OPEN + timedelta(days=n)  # noqa: E731


def ev(event, day, child_ref=None, **fields):
    for name in ("offered_to", "characteristics"):
        if isinstance(fields.get(name), str):
            fields[name] = tuple(fields[name].split(";"))
    return wf.PathwayEvent(event=event, date=day, family_ref="FAM9", child_ref=child_ref, **fields)


def open_child(ref, dob=date(2016, 3, 1), day=OPEN):
    return ev("open_case", day, ref, dob=dob, sex="M", ethnicity="WBRI")


def person(ref, day=OPEN, **fields):
    return ev("add_person", day, person_ref=ref, **fields)


def relate(child, ref, relationship, pr="yes", day=OPEN):
    return ev("relate_person", day, child, person_ref=ref, relationship=relationship, parental_responsibility=pr)


def family(*steps, nation="england", ctx=CTX):
    return wf.replay([open_child("C1"), *steps], "E09000999", nation, ctx)


def parents(*extra, nation="england"):
    """C1 with mother M1 (PR) and father F1 (no PR), and a relative R1."""
    return family(person("M1", sex="F"), person("F1", sex="M"), person("R1"),
                  relate("C1", "M1", "mother"), relate("C1", "F1", "father", "no"),
                  relate("C1", "R1", "maternal_grandparent", "no"), *extra, nation=nation)


def refused(fam, step, ctx=CTX) -> wf.Refused:
    before = copy.deepcopy(fam)
    with pytest.raises(wf.Refused) as info:
        wf.apply(fam, step, ctx)
    assert fam == before, "a refused step must leave the family exactly as it was"
    return info.value


def fields(err):
    return {p.field for p in err.problems}


# --- people and relationships -----------------------------------------------------------------


def test_a_person_is_added_with_their_details_and_related_to_each_child_separately():
    fam = family(open_child("C2"), person("M1", sex="F", characteristics="care_experienced;learning_disability"),
                 person("F1", sex="M"), person("F2", sex="M"),
                 relate("C1", "M1", "mother"), relate("C2", "M1", "mother"),
                 relate("C1", "F1", "father"), relate("C2", "F2", "father", "no"))
    assert fam.people["M1"].characteristics == ("care_experienced", "learning_disability")
    assert fam.children["C1"].parent("father") == "F1"
    assert fam.children["C2"].parent("father") == "F2"  # half-siblings: a father each
    assert fam.children["C1"].pr_holders() == ["F1", "M1"]
    assert fam.children["C2"].pr_holders() == ["M1"]
    assert fam.parents() == {"M1": {"C1", "C2"}, "F1": {"C1"}, "F2": {"C2"}}


def test_a_person_is_added_once_per_family():
    err = refused(family(person("M1")), person("M1", D(3)))
    assert "already in family FAM9's network" in str(err)


@pytest.mark.parametrize("ref", ["mother", "child", "C1"])
def test_a_person_reference_cannot_be_a_reserved_word_or_a_childs_reference(ref):
    assert fields(refused(family(), person(ref))) == {"person_ref"}


def test_person_details_are_checked():
    err = refused(family(), person("M1", dob=D(1), sex="X", ethnicity="ZZZZ", characteristics="left_handed"))
    assert fields(err) == {"dob", "sex", "ethnicity", "characteristics"}
    assert "left_handed is not a characteristic" in str(err)


def test_a_relationship_needs_a_person_of_the_family_a_listed_relationship_and_pr():
    fam = family(person("M1"))
    assert "not in family FAM9's network" in str(refused(fam, relate("C1", "X9", "mother")))
    err = refused(fam, ev("relate_person", D(1), "C1", person_ref="M1", relationship="aunt"))
    assert fields(err) == {"relationship", "parental_responsibility"}


def test_a_person_added_later_cannot_be_related_earlier():
    fam = family(person("M1", D(10)))
    assert "not in family FAM9's network on" in str(refused(fam, relate("C1", "M1", "mother", day=D(9))))
    wf.apply(fam, relate("C1", "M1", "mother", day=D(10)), CTX)


def test_at_most_one_mother_and_one_father_per_child():
    fam = family(person("M1"), person("M2"), relate("C1", "M1", "mother"))
    err = refused(fam, relate("C1", "M2", "mother", day=D(2)))
    assert "M1 is already recorded as child C1's mother" in str(err)
    wf.apply(fam, relate("C1", "M2", "step_parent", day=D(2)), CTX)  # a second carer, as step-parent
    wf.apply(fam, relate("C1", "M1", "mother", "no", day=D(3)), CTX)  # the same mother again: a change


def test_recording_a_relationship_again_changes_pr_from_that_date():
    fam = parents()
    assert fam.children["C1"].pr_holders() == ["M1"]
    wf.apply(fam, relate("C1", "R1", "maternal_grandparent", "yes", day=D(40)), CTX)  # a special guardian
    relation = fam.children["C1"].relations["R1"]
    assert relation.parental_responsibility is True and relation.since == D(40)


# --- section 20/76 consent by a person with PR -------------------------------------------------


def test_consent_named_in_person_must_come_from_a_pr_holder_of_that_child():
    fam = parents(ev("offer_fgc", D(5)))
    err = refused(fam, ev("accommodate_s20", D(10), "C1", consent_by="F1"))
    assert "F1 does not have parental responsibility for child C1" in str(err)
    err = refused(fam, ev("accommodate_s20", D(10), "C1", consent_by="X7"))
    assert "X7 is not recorded as related to child C1" in str(err)
    assert wf.apply(fam, ev("accommodate_s20", D(10), "C1", consent_by="M1"), CTX).children["C1"].stage == "section_20"


def test_pr_on_the_date_counts_not_before():
    # History applies in date order: consent on day 19 meets the father without PR (he gains it on day 20).
    with pytest.raises(wf.Refused, match="F1 does not have parental responsibility"):
        parents(ev("offer_fgc", D(5)), ev("accommodate_s20", D(19), "C1", consent_by="F1"),
                relate("C1", "F1", "father", "yes", day=D(20)))


def test_pr_acquired_on_the_date_counts():
    fam = parents(ev("offer_fgc", D(5)), relate("C1", "F1", "father", "yes", day=D(20)),
                  ev("accommodate_s20", D(20), "C1", consent_by="F1"))
    assert fam.children["C1"].stage == "section_20"


def test_the_old_words_stand_only_for_a_child_with_no_relationships_recorded():
    fam = family(ev("offer_fgc", D(5)))
    assert wf.apply(copy.deepcopy(fam), ev("accommodate_s20", D(10), "C1", consent_by="mother"), CTX)
    err = refused(parents(ev("offer_fgc", D(5))), ev("accommodate_s20", D(10), "C1", consent_by="mother"))
    assert "name the person with parental responsibility who agreed" in str(err)
    assert "M1" in str(err)


# --- objections and removal (s.20(7)-(8), Williams v Hackney) ---------------------------------


def test_only_a_pr_holder_can_object():
    err = refused(parents(), ev("object_to_accommodation", D(3), "C1", person_ref="F1"))
    assert "F1 does not have parental responsibility" in str(err)


def test_a_standing_objection_refuses_accommodation_naming_the_objector():
    fam = parents(person("F2"), relate("C1", "F2", "step_parent", "yes"), ev("offer_fgc", D(5)),
                  ev("object_to_accommodation", D(6), "C1", person_ref="F2"))
    err = refused(fam, ev("accommodate_s20", D(10), "C1", consent_by="M1"))
    assert "F2 (since 10 May 2026) has parental responsibility and objects" in str(err)
    assert "unless the child is 16 or over and agrees" in str(err)


def test_a_withdrawn_objection_no_longer_stands():
    fam = parents(ev("offer_fgc", D(5)), ev("object_to_accommodation", D(6), "C1", person_ref="M1"),
                  ev("withdraw_objection", D(8), "C1", person_ref="M1"),
                  ev("accommodate_s20", D(10), "C1", consent_by="M1"))
    assert fam.children["C1"].stage == "section_20"


def test_an_objection_by_someone_who_lost_pr_no_longer_counts():
    fam = parents(person("S1"), relate("C1", "S1", "step_parent", "yes"), ev("offer_fgc", D(5)),
                  ev("object_to_accommodation", D(6), "C1", person_ref="S1"),
                  relate("C1", "S1", "step_parent", "no", day=D(8)),
                  ev("accommodate_s20", D(10), "C1", consent_by="M1"))
    assert fam.children["C1"].stage == "section_20"


def test_withdrawing_needs_an_objection():
    assert "has no objection recorded" in str(refused(parents(), ev("withdraw_objection", D(3), "C1", person_ref="M1")))


@pytest.mark.parametrize("age_day, allowed", [(date(2026, 6, 14), False), (date(2026, 6, 15), True)])
def test_a_child_of_16_who_agrees_is_accommodated_despite_the_objection(age_day, allowed):
    fam = wf.replay([open_child("C1", dob=date(2010, 6, 15)), person("M1"), relate("C1", "M1", "mother"),
                     ev("offer_fgc", D(5)), ev("object_to_accommodation", D(6), "C1", person_ref="M1")],
                    "E1", "england", CTX)
    step = ev("accommodate_s20", age_day, "C1", consent_by="child")
    if allowed:
        child = wf.apply(fam, step, CTX).children["C1"]
        assert child.stage == "section_20" and child.must_leave_accommodation_since is None
    else:
        refused(fam, step)


def accommodated(*extra):
    return parents(ev("offer_fgc", D(5)), ev("accommodate_s20", D(10), "C1", consent_by="M1"), *extra)


def test_an_objection_while_accommodated_ends_the_power_to_keep_the_child():
    fam = accommodated(ev("object_to_accommodation", D(20), "C1", person_ref="M1"))
    child = fam.children["C1"]
    assert child.stage == "section_20" and child.must_leave_accommodation_since == D(20)
    for step in (ev("return_home", D(21), "C1"), ev("close_case", D(21), "C1", reason="Moved away")):
        err = refused(fam, step)
        assert "M1 objected on 24 May 2026" in str(err) and "removal from accommodation" in str(err)


@pytest.mark.parametrize("step", [
    ev("remove_from_accommodation", D(21), "C1", person_ref="M1"),
    ev("emergency_protection", D(21), "C1", emergency_type="police_protection"),
])
def test_after_an_objection_removal_or_emergency_protection_may_follow(step):
    fam = accommodated(ev("object_to_accommodation", D(20), "C1", person_ref="M1"))
    assert wf.apply(fam, step, CTX).children["C1"].must_leave_accommodation_since is None


def test_after_an_objection_proceedings_may_be_issued():
    fam = accommodated(ev("send_letter_before_proceedings", D(15), offered_to="M1"),
                       ev("object_to_accommodation", D(20), "C1", person_ref="M1"))
    wf.apply(fam, ev("issue_proceedings", D(21), "C1", proceedings_ref="P9"), CTX)
    assert fam.children["C1"].stage == "proceedings"


def test_without_an_objection_return_home_is_allowed():
    assert wf.apply(accommodated(), ev("return_home", D(21), "C1"), CTX).children["C1"].stage == "reunification"


def test_removal_takes_the_child_home_to_reunification():
    fam = accommodated(ev("remove_from_accommodation", D(30), "C1", person_ref="M1"))
    child = fam.children["C1"]
    assert (child.stage, child.returned_home_on, child.removed_by) == ("reunification", D(30), "M1")


def test_removal_needs_a_pr_holder_and_an_accommodated_child():
    err = refused(accommodated(), ev("remove_from_accommodation", D(30), "C1", person_ref="F1"))
    assert "F1 does not have parental responsibility" in str(err)
    err = refused(parents(), ev("remove_from_accommodation", D(30), "C1", person_ref="M1"))
    assert "cannot be recorded for child C1" in str(err)


def test_an_objection_to_a_child_of_16_who_agreed_does_not_end_the_power():
    fam = wf.replay([open_child("C1", dob=date(2009, 1, 1)), person("M1"), relate("C1", "M1", "mother"),
                     ev("offer_fgc", D(5)), ev("accommodate_s20", D(10), "C1", consent_by="child"),
                     ev("object_to_accommodation", D(20), "C1", person_ref="M1")], "E1", "england", CTX)
    assert fam.children["C1"].must_leave_accommodation_since is None


# --- s.31ZA: the offer to everyone with PR (England) -------------------------------------------


def before_issue(*extra, nation="england"):
    return parents(relate("C1", "F1", "father", "yes"), ev("send_letter_before_proceedings", D(5)), *extra,
                   nation=nation)


def issue(day=D(30), **fields):
    return ev("issue_proceedings", day, "C1", proceedings_ref="ZW26C00009", **fields)


def test_england_every_pr_holder_must_be_offered_the_meeting():
    fam = before_issue(ev("offer_fgc", D(6), offered_to="M1"))
    err = refused(fam, issue())
    assert "F1 was not offered one" in str(err) and "section 31ZA" in str(err)
    assert "M1" not in str(err).split("child C1:")[1]


def test_an_offer_to_all_covers_every_pr_holder_on_that_date():
    fam = before_issue(ev("offer_fgc", D(6)))  # blank: everyone with PR on that day
    assert fam.fgcs[0].offered_to == ("F1", "M1")
    assert wf.apply(fam, issue(), CTX).children["C1"].stage == "proceedings"


def test_someone_who_gains_pr_after_the_offer_to_all_must_be_offered_too():
    fam = before_issue(ev("offer_fgc", D(6)), person("S1", D(7)), relate("C1", "S1", "step_parent", "yes", D(8)))
    assert "S1 was not offered one" in str(refused(fam, issue()))


def test_the_offer_made_in_the_letter_counts_and_is_recorded_on_the_letter():
    fam = parents(relate("C1", "F1", "father", "yes"),
                  ev("send_letter_before_proceedings", D(5), offered_to="F1;M1"))
    assert fam.letter_offers == {D(5): ("F1", "M1")}
    assert fam.fgcs[0].in_letter and fam.fgcs[0].offered_on == D(5)
    assert wf.apply(fam, issue(), CTX).children["C1"].stage == "proceedings"


def test_a_letter_adds_people_to_the_offer_still_open():
    fam = parents(relate("C1", "F1", "father", "yes"), ev("offer_fgc", D(4), offered_to="M1"),
                  ev("send_letter_before_proceedings", D(5), offered_to="F1"))
    assert len(fam.fgcs) == 1 and fam.fgcs[0].offered_to == ("F1", "M1")


def test_an_offer_must_name_people_of_the_family():
    err = refused(parents(), ev("offer_fgc", D(6), offered_to="M1;Z9"))
    assert fields(err) == {"offered_to"} and "Z9 is not in family FAM9's network" in str(err)


def test_only_the_best_interests_exception_excuses_the_statutory_offer():
    fam = before_issue(ev("offer_fgc", D(6), offered_to="M1"))
    step = issue(exception="Head of service: a meeting would put the child at risk", decided_by="A. Head, head of service")
    assert wf.apply(fam, step, CTX).children["C1"].stage == "proceedings"


def test_emergency_protection_excuses_pathways_rule_but_not_the_statute():
    fam = before_issue(ev("emergency_protection", D(25), "C1", emergency_type="epo"))
    err = refused(fam, issue(D(28)))
    assert [p.message for p in err.problems if "section 31ZA" in p.message]
    assert not [p.message for p in err.problems if "No family group conference has been offered" in p.message]


def test_the_statute_applies_to_a_child_already_accommodated():
    fam = parents(relate("C1", "F1", "father", "yes"), ev("offer_fgc", D(4), offered_to="M1"),
                  ev("accommodate_s20", D(10), "C1", consent_by="M1"), ev("send_letter_before_proceedings", D(15)))
    assert "F1 was not offered one" in str(refused(fam, issue()))


def test_the_statute_does_not_apply_in_wales():
    fam = before_issue(ev("offer_fgc", D(6), offered_to="M1"), nation="wales")
    assert wf.apply(fam, issue(), CTX).children["C1"].stage == "proceedings"


@pytest.mark.parametrize("duty_from, applies", [(D(30), True), (D(31), False)])
def test_the_statute_applies_from_its_commencement(duty_from, applies):
    ctx = wf.Context(today=TODAY, fgdm_duty_from=duty_from)
    fam = before_issue(ev("offer_fgc", D(6), offered_to="M1"))
    if applies:
        refused(fam, issue(), ctx)
    else:
        assert wf.apply(fam, issue(), ctx).children["C1"].stage == "proceedings"


def test_with_no_pr_holder_recorded_the_statute_needs_an_offer_to_the_family():
    fam = family(ev("send_letter_before_proceedings", D(5)), ev("emergency_protection", D(25), "C1",
                                                                 emergency_type="epo"))
    err = refused(fam, issue(D(28)))
    assert "the child's parents and everyone with parental responsibility" in str(err)
    wf.apply(fam, ev("offer_fgc", D(26)), CTX)
    assert wf.apply(fam, issue(D(28)), CTX).children["C1"].stage == "proceedings"


# --- what the family network leaves for the court and boards ------------------------------------


@pytest.mark.parametrize("steps, answer", [
    ([ev("offer_fgc", D(6)), ev("hold_fgc", D(20))], "held"),
    ([ev("offer_fgc", D(6)), ev("fgc_declined", D(8))], "declined"),
    ([ev("offer_fgc", D(6)), ev("fgc_declined", D(8))], "declined"),
    ([ev("offer_fgc", D(6))], "offered_no_answer"),
])
def test_the_fgc_answer_at_issue_is_kept_on_the_party(steps, answer):
    fam = before_issue(*steps, issue())
    assert fam.proceedings["ZW26C00009"].parties["C1"].fgc_at_issue == answer


def test_accepted_not_held_with_the_best_interests_decision():
    fam = before_issue(ev("offer_fgc", D(6)), ev("fgc_accepted", D(7)),
                       issue(exception="Risk of harm from a meeting", decided_by="A. Head"))
    assert fam.proceedings["ZW26C00009"].parties["C1"].fgc_at_issue == "accepted_not_held"


def test_not_offered_with_an_exception_in_wales():
    fam = family(ev("send_letter_before_proceedings", D(5)), issue(exception="Baby at immediate risk"),
                 nation="wales")
    assert fam.proceedings["ZW26C00009"].parties["C1"].fgc_at_issue == "not_offered_exception"


def test_father_and_relative_assessment_at_issue_are_kept_on_the_party():
    fam = before_issue(ev("offer_fgc", D(6)), ev("carer_assessment", D(20), person_ref="R1", outcome="viability_positive"),
                       issue())
    party = fam.proceedings["ZW26C00009"].parties["C1"]
    assert (party.father_recorded, party.father_has_pr, party.relative_assessed) == (True, True, True)


def test_an_assessment_after_issue_or_withdrawn_does_not_count_as_before_issue():
    fam = before_issue(ev("offer_fgc", D(6)), ev("carer_assessment", D(20), person_ref="R1", outcome="withdrawn"),
                       issue(), ev("carer_assessment", D(31), person_ref="R1", outcome="full_positive"))
    assert fam.proceedings["ZW26C00009"].parties["C1"].relative_assessed is False


def test_carer_assessment_checks_the_person_and_outcome():
    err = refused(parents(), ev("carer_assessment", D(3), person_ref="Q1", outcome="great"))
    assert fields(err) == {"person_ref", "outcome"}


# --- parents who lose child after child ---------------------------------------------------------


def ordered(order_type, **fields):
    return before_issue(ev("offer_fgc", D(6)), issue(),
                        ev("final_order", D(100), "C1", proceedings_ref="ZW26C00009", order_type=order_type, **fields))


@pytest.mark.parametrize("order_type, due", [
    ("care_order", {"M1": D(100), "F1": D(100)}),
    ("placement_order", {"M1": D(100), "F1": D(100)}),
    ("sgo", {"M1": D(100), "F1": D(100)}),
    ("care_order_at_home", {}),
    ("supervision_order", {}),
    ("no_order", {}),
])
def test_an_order_away_from_the_parents_makes_post_removal_support_due(order_type, due):
    assert ordered(order_type).post_removal_support_due() == due


def test_a_child_arrangements_order_to_a_parent_does_not_make_support_due_for_that_parent():
    fam = ordered("child_arrangements_order", person_ref="F1")
    assert fam.post_removal_support_due() == {"M1": D(100)}


def test_the_carer_named_must_be_in_the_network_and_only_for_orders_naming_one():
    fam = before_issue(ev("offer_fgc", D(6)), issue())
    step = ev("final_order", D(100), "C1", proceedings_ref="ZW26C00009", order_type="care_order", person_ref="R1")
    assert "only for a special guardianship or child arrangements order" in str(refused(fam, step))


def test_post_removal_support_after_the_order_clears_it_and_is_for_parents_only():
    fam = ordered("care_order")
    wf.apply(fam, ev("post_removal_support", D(101), person_ref="M1", outcome="referred"), CTX)
    assert fam.post_removal_support_due() == {"F1": D(100)}
    err = refused(fam, ev("post_removal_support", D(102), person_ref="R1", outcome="referred"))
    assert "not recorded as the mother or father" in str(err)
    err = refused(fam, ev("post_removal_support", D(102), person_ref="F1", outcome="maybe"))
    assert fields(err) == {"outcome"}


def test_support_recorded_before_the_order_does_not_count():
    fam = before_issue(ev("offer_fgc", D(6)), ev("post_removal_support", D(7), person_ref="M1", outcome="declined"),
                       issue(), ev("final_order", D(100), "C1", proceedings_ref="ZW26C00009", order_type="care_order"))
    assert set(fam.post_removal_support_due()) == {"M1", "F1"}
