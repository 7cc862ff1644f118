"""Every clock a child is on (issue 11), at its boundaries: emergency protection (72 hours, EPO
day 8 and its one 7-day extension), the looked-after period across legal statuses, child
protection conferences (15 working days across Christmas in England and Wales; 3 and 6 months
from 31 August), the court's timetable (day 12, 18 and 24; 140 and 182 days), and each child's
own deadline. Pure: no Flask, no database."""
from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from pathway import timescales as ts
from pathway import workflow as wf
from pathway.queues import rules
from pathway.queues.rules import ChildFacts, assess

TODAY = date(2027, 6, 30)
CTX = wf.Context(today=TODAY)


def ev(event, day, child_ref="C1", **fields):
    return wf.PathwayEvent(event=event, date=day, family_ref="FAMC", child_ref=child_ref, **fields)


def family(*steps, opened=date(2026, 1, 5), nation="england", children=("C1",)):
    opening = [ev("open_case", opened, c, dob=date(2015, 5, 1), sex="F", ethnicity="WBRI") for c in children]
    return wf.replay([*opening, *steps], "E1", nation, CTX)


def refused(fam, step) -> wf.Refused:
    before = copy.deepcopy(fam)
    with pytest.raises(wf.Refused) as info:
        wf.apply(fam, step, CTX)
    assert fam == before
    return info.value


def flags(facts, today):
    return assess(facts, today).flags


# --- emergency protection --------------------------------------------------------------------------


def test_police_protection_ends_on_the_third_day_after_it_began():
    fam = family(ev("emergency_protection", date(2026, 3, 2), emergency_type="police_protection"))
    child = fam.children["C1"]
    assert child.emergency_ends_on == date(2026, 3, 5) == ts.police_protection_ends(date(2026, 3, 2))


def test_police_protection_takes_no_end_date():
    err = refused(family(), ev("emergency_protection", date(2026, 3, 2), emergency_type="police_protection",
                               end_date=date(2026, 3, 4)))
    assert {p.field for p in err.problems} == {"end_date"} and "72 hours" in str(err)


@pytest.mark.parametrize("end, allowed", [(date(2026, 3, 9), True), (date(2026, 3, 10), False),
                                          (date(2026, 3, 2), True), (date(2026, 3, 1), False)])
def test_an_epo_lasts_at_most_8_days_the_day_made_being_day_1(end, allowed):
    step = ev("emergency_protection", date(2026, 3, 2), emergency_type="epo", end_date=end)
    if allowed:
        assert wf.apply(family(), step, CTX).children["C1"].emergency_ends_on == end
    else:
        assert "at most 8 days" in str(refused(family(), step))


def test_an_epo_without_an_end_date_runs_its_full_8_days():
    fam = family(ev("emergency_protection", date(2026, 3, 2), emergency_type="epo"))
    assert fam.children["C1"].emergency_ends_on == date(2026, 3, 9)


def made(end=date(2026, 3, 9)):
    return family(ev("emergency_protection", date(2026, 3, 2), emergency_type="epo", end_date=end))


@pytest.mark.parametrize("new_end, allowed", [(date(2026, 3, 16), True), (date(2026, 3, 17), False),
                                              (date(2026, 3, 9), False)])
def test_one_extension_of_up_to_7_days(new_end, allowed):
    step = ev("extend_epo", date(2026, 3, 8), end_date=new_end)
    if allowed:
        child = wf.apply(made(), step, CTX).children["C1"]
        assert (child.emergency_ends_on, child.epo_extended) == (new_end, True)
    else:
        assert {p.field for p in refused(made(), step).problems} == {"end_date"}


def test_a_second_extension_is_refused():
    fam = made()
    wf.apply(fam, ev("extend_epo", date(2026, 3, 8), end_date=date(2026, 3, 12)), CTX)
    assert "extended only once" in str(refused(fam, ev("extend_epo", date(2026, 3, 10), end_date=date(2026, 3, 14))))


def test_an_order_that_has_ended_cannot_be_extended_nor_police_protection():
    assert "ended on 9 March 2026" in str(refused(made(), ev("extend_epo", date(2026, 3, 10), end_date=date(2026, 3, 12))))
    fam = family(ev("emergency_protection", date(2026, 3, 2), emergency_type="police_protection"))
    assert "only an order can be extended" in str(refused(fam, ev("extend_epo", date(2026, 3, 3), end_date=date(2026, 3, 6))))


def emergency(ends_on: date) -> ChildFacts:
    return ChildFacts(nation="england", stage="emergency_protection", stage_since=date(2026, 3, 2),
                      entered_care_on=date(2026, 3, 2), fgc_offered_on=date(2026, 1, 1), emergency_ends_on=ends_on,
                      looked_after_since=date(2026, 3, 2), looked_after_reviews=1,
                      last_looked_after_review=date(2026, 3, 3))


def test_72_hours_ending_today_or_tomorrow_then_ended():
    facts = emergency(ts.police_protection_ends(date(2026, 3, 2)))  # 5 March
    assert "emergency_protection_ending" not in flags(facts, date(2026, 3, 3))
    assert "emergency_protection_ending" in flags(facts, date(2026, 3, 4))  # ends tomorrow
    assert "emergency_protection_ending" in flags(facts, date(2026, 3, 5))  # ends today
    assert flags(facts, date(2026, 3, 6)) == ["emergency_protection_ended"]
    assert assess(facts, date(2026, 3, 6)).findings[0].on == date(2026, 3, 5)


def test_the_next_step_clears_the_emergency_flags():
    fam = made()
    wf.apply(fam, ev("offer_fgc", date(2026, 3, 3), child_ref=None), CTX)
    wf.apply(fam, ev("accommodate_s20", date(2026, 3, 6), consent_by="mother"), CTX)
    child = fam.children["C1"]
    assert child.emergency_ends_on is None and child.emergency_type is None


# --- the looked-after period ------------------------------------------------------------------------


def test_one_looked_after_period_across_changes_of_legal_status():
    fam = family(
        ev("offer_fgc", date(2026, 2, 1), child_ref=None), ev("send_letter_before_proceedings", date(2026, 2, 2), child_ref=None),
        ev("accommodate_s20", date(2026, 3, 2), consent_by="mother"),
        ev("issue_proceedings", date(2026, 4, 1), proceedings_ref="P1"),
        ev("interim_order", date(2026, 4, 2), proceedings_ref="P1", order_type="interim_care_order"),
        ev("final_order", date(2026, 9, 1), proceedings_ref="P1", order_type="care_order"),
    )
    child = fam.children["C1"]
    assert child.stage == "care_order" and child.looked_after_since == date(2026, 3, 2)
    wf.apply(fam, ev("return_home", date(2026, 10, 1)), CTX)
    assert child.looked_after_since is None


def test_an_interim_supervision_order_ends_the_period_and_an_interim_care_order_starts_one():
    fam = family(
        ev("offer_fgc", date(2026, 2, 1), child_ref=None), ev("send_letter_before_proceedings", date(2026, 2, 2), child_ref=None),
        ev("issue_proceedings", date(2026, 4, 1), proceedings_ref="P1"),
    )
    child = fam.children["C1"]
    assert child.looked_after_since is None  # at home when proceedings were issued
    wf.apply(fam, ev("interim_order", date(2026, 4, 2), proceedings_ref="P1", order_type="interim_supervision_order"), CTX)
    assert child.looked_after_since is None
    wf.apply(fam, ev("interim_order", date(2026, 5, 6), proceedings_ref="P1", order_type="interim_care_order"), CTX)
    assert child.looked_after_since == date(2026, 5, 6)


def test_an_interim_order_needs_the_childs_open_proceedings_and_a_listed_type():
    fam = family(ev("offer_fgc", date(2026, 2, 1), child_ref=None), ev("send_letter_before_proceedings", date(2026, 2, 2), child_ref=None),
                 ev("issue_proceedings", date(2026, 4, 1), proceedings_ref="P1"))
    assert "not a party to open proceedings P2" in str(refused(fam, ev("interim_order", date(2026, 4, 2), proceedings_ref="P2",
                                                                        order_type="interim_care_order")))
    assert {p.field for p in refused(fam, ev("interim_order", date(2026, 4, 2), proceedings_ref="P1",
                                             order_type="care_order")).problems} == {"order_type"}
    assert "cannot be recorded for child C1" in str(refused(family(), ev("interim_order", date(2026, 4, 2),
                                                                        proceedings_ref="P1", order_type="interim_care_order")))


def looked_after(since: date, **kw) -> ChildFacts:
    return ChildFacts(nation="england", stage="care_order", stage_since=since, looked_after_since=since, **kw)


def test_every_looked_after_child_has_reviews_not_only_section_20():
    facts = looked_after(date(2026, 2, 2))
    assert rules.looked_after_review_due(facts) == date(2026, 3, 2)
    assert flags(facts, date(2026, 3, 2)) == ["looked_after_first_review_due"]
    assert flags(facts, date(2026, 3, 3)) == ["looked_after_first_review_overdue"]


# --- child protection --------------------------------------------------------------------------------


@pytest.mark.parametrize("nation, due", [("england", date(2026, 1, 8)), ("wales", date(2026, 1, 8))])
def test_the_initial_conference_within_15_working_days_across_christmas(nation, due):
    # Strategy discussion Monday 15 December 2025: 25 and 26 December and 1 January are bank
    # holidays in both nations, so the 15th working day is Thursday 8 January 2026.
    assert ts.initial_conference_due(date(2025, 12, 15), nation) == due
    facts = ChildFacts(nation=nation, stage="early_help", stage_since=date(2025, 12, 1),
                       strategy_discussion_on=date(2025, 12, 15))
    assert flags(facts, due) == ["cp_conference_due"]
    assert flags(facts, due + timedelta(days=1)) == ["cp_conference_overdue"]


def test_scotland_style_holidays_do_not_leak_in_the_new_year_2_january_is_a_working_day():
    # 2 January is a bank holiday in Scotland only: in England and Wales it counts.
    assert ts.initial_conference_due(date(2025, 12, 31), "england") == ts.add_working_days(date(2025, 12, 31), 15, "wales")


def test_the_initial_conference_makes_a_plan_or_not():
    fam = family(ev("strategy_discussion", date(2026, 3, 2)))
    assert fam.children["C1"].strategy_discussion_on == date(2026, 3, 2)
    no_plan = wf.apply(copy.deepcopy(fam), ev("initial_cp_conference", date(2026, 3, 20), outcome="no_plan"), CTX)
    assert (no_plan.children["C1"].stage, no_plan.children["C1"].strategy_discussion_on) == ("early_help", None)
    plan = wf.apply(fam, ev("initial_cp_conference", date(2026, 3, 20), outcome="plan"), CTX)
    child = plan.children["C1"]
    assert (child.stage, child.on_cp_plan, child.cp_plan_since) == ("child_protection", True, date(2026, 3, 20))
    assert "already has a child protection plan" in str(refused(plan, ev("initial_cp_conference", date(2026, 4, 1), outcome="plan")))
    assert {p.field for p in refused(family(), ev("initial_cp_conference", date(2026, 4, 1), outcome="maybe")).problems} == {"outcome"}


def test_a_plan_made_for_a_child_already_in_pre_proceedings_runs_alongside():
    fam = family(ev("send_letter_before_proceedings", date(2026, 2, 2), child_ref=None),
                 ev("initial_cp_conference", date(2026, 3, 20), outcome="plan"))
    child = fam.children["C1"]
    assert (child.stage, child.on_cp_plan) == ("pre_proceedings", True)


def test_a_review_conference_needs_a_plan():
    assert "no child protection plan to review" in str(refused(family(), ev("cp_review_conference", date(2026, 3, 1))))
    fam = family(ev("start_cp_plan", date(2026, 2, 1)), ev("cp_review_conference", date(2026, 5, 1)))
    assert fam.children["C1"].last_cp_review == date(2026, 5, 1)


def test_reviews_3_then_6_months_from_31_august():
    assert ts.cp_review_due(date(2026, 8, 31), None) == date(2026, 11, 30)
    assert ts.cp_review_due(date(2026, 8, 31), date(2026, 8, 31)) == date(2027, 2, 28)
    facts = ChildFacts(nation="england", stage="child_protection", stage_since=date(2026, 8, 31),
                       cp_plan_since=date(2026, 8, 31))
    assert flags(facts, date(2026, 11, 1)) == []  # 29 days before
    assert flags(facts, date(2026, 11, 2)) == ["cp_review_due"]
    assert flags(facts, date(2026, 12, 1)) == ["cp_review_overdue"]
    facts.last_cp_review = date(2026, 11, 30)
    assert rules.ts.cp_review_due(facts.cp_plan_since, facts.last_cp_review) == date(2027, 5, 30)
    assert flags(facts, date(2026, 12, 1)) == []


# --- the court's timetable ---------------------------------------------------------------------------

ISSUED = date(2026, 3, 2)  # day 1


def court(**listed) -> ChildFacts:
    return ChildFacts(nation="england", stage="proceedings", stage_since=ISSUED, issued_on=ISSUED,
                      deadline=ISSUED + timedelta(days=181), extensions=1, **listed)


def day(n: int) -> date:
    return ISSUED + timedelta(days=n - 1)


def test_no_cmh_by_day_12():
    assert "no_cmh_by_day_12" not in flags(court(), day(11))
    assert "no_cmh_by_day_12" in flags(court(), day(12))
    assert "no_cmh_by_day_12" not in flags(court(cmh_listed_for=day(15)), day(12))


@pytest.mark.parametrize("listed_on, late", [(18, False), (19, True), (12, False)])
def test_cmh_after_day_18(listed_on, late):
    assert ("cmh_after_day_18" in flags(court(cmh_listed_for=day(listed_on)), day(10))) is late


@pytest.mark.parametrize("listed, at_risk", [
    ({"cmh_listed_for": day(24)}, False), ({"cmh_listed_for": day(25)}, True),
    ({"irh_listed_for": day(140)}, False), ({"irh_listed_for": day(141)}, True),
    ({"final_listed_for": day(182)}, False), ({"final_listed_for": day(183)}, True),
    ({}, True),
])
def test_the_courts_at_risk_list(listed, at_risk):
    assert ("at_risk_26_weeks" in flags(court(**listed), day(30))) is at_risk


def test_at_risk_only_within_the_26_weeks():
    assert "at_risk_26_weeks" in flags(court(), day(182))
    assert "at_risk_26_weeks" not in flags(court(), day(183))
    assert assess(court(), day(30)).findings[0].on == ts.timetable_end(ISSUED)


# --- each child's own deadline ------------------------------------------------------------------------


def siblings():
    fam = family(ev("offer_fgc", date(2026, 2, 1), child_ref=None), ev("send_letter_before_proceedings", date(2026, 2, 2), child_ref=None),
                 ev("issue_proceedings", ISSUED, "C1", proceedings_ref="P1"),
                 ev("issue_proceedings", ISSUED, "C2", proceedings_ref="P1"), children=("C1", "C2"))
    return fam


def extension(child_ref=None, weeks=4):
    return wf.PathwayEvent(event="extend_timetable", date=date(2026, 8, 20), family_ref="FAMC", child_ref=child_ref,
                           proceedings_ref="P1", weeks=weeks, reason="parenting_assessment")


def test_an_extension_for_one_child_moves_only_their_deadline_and_the_proceedings_latest():
    fam = siblings()
    wf.apply(fam, extension("C2"), CTX)
    p = fam.proceedings["P1"]
    end = ts.timetable_end(ISSUED)
    assert p.deadline_for("C1") == end
    assert p.deadline_for("C2") == end + timedelta(weeks=4)
    assert p.deadline == end + timedelta(weeks=4)


def test_an_extension_for_all_moves_every_deadline():
    fam = siblings()
    wf.apply(fam, extension(None), CTX)
    p = fam.proceedings["P1"]
    assert p.deadline_for("C1") == p.deadline_for("C2") == p.deadline


def test_an_extension_names_a_child_of_the_proceedings_without_a_final_order():
    fam = siblings()
    assert "not a party to proceedings P1" in str(refused(fam, extension("C9")))
    wf.apply(fam, wf.PathwayEvent(event="final_order", date=date(2026, 8, 1), family_ref="FAMC", child_ref="C1",
                                  proceedings_ref="P1", order_type="sgo"), CTX)
    assert "final order was made on 1 August 2026" in str(refused(fam, extension("C1")))


def test_fdac_is_recorded_once_for_open_proceedings():
    fam = siblings()
    p = wf.apply(fam, wf.PathwayEvent(event="heard_in_fdac", date=date(2026, 3, 20), family_ref="FAMC",
                                      proceedings_ref="P1"), CTX).proceedings["P1"]
    assert p.fdac is True
    again = wf.PathwayEvent(event="heard_in_fdac", date=date(2026, 3, 21), family_ref="FAMC", proceedings_ref="P1")
    assert "already recorded as heard in a Family Drug and Alcohol Court" in str(refused(fam, again))
