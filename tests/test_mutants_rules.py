"""Queue rules at their edges (issue 18: tests that fail when the law is coded wrong)."""
from __future__ import annotations

from datetime import date, timedelta

from pathway.queues import rules
from pathway.queues.rules import ChildFacts, Finding

from test_queues_rules import accommodated, flags


def test_the_most_urgent_of_a_childs_findings_is_the_earliest_date():
    findings = [Finding("care_without_fgc", date(2026, 5, 1)), Finding("unallocated", date(2026, 3, 1)),
                Finding("looked_after_review_due", date(2026, 4, 1))]
    assert rules.urgency(findings) == date(2026, 3, 1)


def test_the_first_looked_after_review_is_due_on_the_20th_working_day_and_overdue_the_day_after():
    monday = date(2026, 6, 1)
    due = rules.first_review_due(monday, "england")
    assert due == date(2026, 6, 29)  # four weeks of working days, no bank holiday
    child = accommodated(monday)
    assert "looked_after_first_review_overdue" not in flags(child, due)
    assert "looked_after_first_review_due" in flags(child, due)
    assert "looked_after_first_review_overdue" in flags(child, due + timedelta(days=1))


def test_the_16_weeks_of_pre_proceedings_run_from_the_latest_review_not_an_older_one():
    started = date(2026, 1, 5)
    facts = ChildFacts(nation="england", stage="pre_proceedings", stage_since=started,
                       last_pre_proceedings_review=date(2026, 3, 2))
    assert rules.pre_proceedings_clock_from(facts) == date(2026, 3, 2)
    without = ChildFacts(nation="england", stage="pre_proceedings", stage_since=started)
    assert rules.pre_proceedings_clock_from(without) == started


def test_due_soon_is_today_up_to_28_days_ahead_and_never_after_the_date():
    today = date(2026, 6, 1)
    assert rules.is_due_soon(today, today)
    assert rules.is_due_soon(today + timedelta(days=28), today)
    assert not rules.is_due_soon(today + timedelta(days=29), today)
    assert not rules.is_due_soon(today - timedelta(days=1), today)


def test_post_removal_support_is_offered_within_3_months_of_the_order():
    assert rules.post_removal_support_due(date(2026, 11, 30)) == date(2027, 2, 28)


def test_a_flag_and_a_queue_use_the_welsh_name_of_the_plan_only_in_wales():
    flag = next(f for f in rules.FLAGS if f.label_wales)
    assert flag.label_for("wales") == flag.label_wales and flag.label_for("england") == flag.label
    queue = next(q for q in rules.QUEUES if q.title_wales)
    assert queue.title_for("wales") == queue.title_wales and queue.title_for("england") == queue.title


# --- The windows (issue 17: the flags stored with the days they apply) -------------------------

D = timedelta(days=1)


def findings(facts: ChildFacts, today: date) -> list[tuple[str, date]]:
    return [(f.code, f.on) for f in rules.assess(facts, today).findings]


def test_a_one_day_window_is_kept_and_a_window_cut_to_nothing_is_not():
    day = date(2026, 6, 1)
    assert rules._window("x", day, day, day) == [rules.Window("x", day, day, day)]
    assert rules._window("x", day, day + D, day) == []
    assert rules._window("x", day, None, day, not_before=day) == [rules.Window("x", day, day, day)]
    assert rules._window("x", day, day - D, None, not_before=day) == [rules.Window("x", day, day, None)]
    assert rules._window("x", day, None, day - D, not_before=day) == []


def test_every_flag_that_applies_at_once_is_listed_in_order_with_its_own_date():
    """A child with many clocks running at once: no flag hides another, each keeps its date."""
    issued = date(2026, 3, 2)
    facts = ChildFacts(
        nation="england", stage="proceedings", stage_since=issued, allocated=False, family_opened_on=date(2026, 1, 5),
        entered_care_on=date(2026, 2, 2), issued_on=issued, deadline=issued + timedelta(days=181),
        looked_after_since=date(2026, 2, 2), strategy_discussion_on=date(2026, 8, 3), cp_plan_since=date(2026, 4, 1),
        cmh_listed_for=issued + timedelta(days=30),
    )
    today = date(2026, 8, 20)
    deadline = issued + timedelta(days=181)
    assert findings(facts, today) == [
        ("proceedings_due_soon", deadline),
        ("care_without_fgc", date(2026, 2, 2)),
        ("looked_after_first_review_overdue", rules.first_review_due(date(2026, 2, 2), "england")),
        ("cp_conference_due", rules.ts.initial_conference_due(date(2026, 8, 3), "england")),
        ("cp_review_overdue", rules.ts.cp_review_due(date(2026, 4, 1), None)),
        ("at_risk_26_weeks", deadline),
        ("cmh_after_day_18", issued + timedelta(days=17)),
        ("unallocated", date(2026, 1, 5)),
    ]
    overdue = findings(facts, issued + timedelta(days=182))
    assert overdue[0] == ("proceedings_overdue", issued + timedelta(days=181)) and ("unallocated", date(2026, 1, 5)) in overdue


def test_other_stages_flags_come_with_the_earlier_ones():
    s20 = ChildFacts(nation="wales", stage="section_20", stage_since=date(2026, 1, 5), allocated=False,
                     family_opened_on=date(2026, 1, 2), entered_care_on=date(2026, 1, 5),
                     looked_after_since=date(2026, 1, 5), looked_after_reviews=2,
                     last_looked_after_review=date(2026, 3, 1), must_leave_accommodation_since=date(2026, 9, 1))
    codes = [code for code, _on in findings(s20, date(2026, 9, 2))]
    assert codes == ["care_without_fgc", "looked_after_review_overdue", "s20_over_6_months_no_legal_planning",
                     "objection_to_accommodation", "unallocated"]
    pre = ChildFacts(nation="england", stage="pre_proceedings", stage_since=date(2026, 1, 5), allocated=False,
                     cp_plan_since=date(2026, 1, 5), last_cp_review=date(2026, 4, 1))
    assert [c for c, _ in findings(pre, date(2026, 10, 2))] == ["cp_review_overdue", "pre_proceedings_over_16_weeks",
                                                                 "unallocated"]
    home = ChildFacts(nation="england", stage="reunification", stage_since=date(2026, 1, 5), allocated=False,
                      returned_home_on=date(2026, 1, 5), cp_plan_since=date(2026, 1, 5))
    assert [c for c, _ in findings(home, date(2026, 7, 20))] == ["cp_review_overdue", "reunification_review_overdue",
                                                                  "unallocated"]
    # Emergency protection during proceedings: the court's flags stay beside it.
    ep = ChildFacts(nation="england", stage="emergency_protection", stage_since=date(2026, 6, 1), allocated=False,
                    emergency_ends_on=date(2026, 6, 4), entered_care_on=date(2026, 6, 1), issued_on=date(2026, 5, 4),
                    deadline=date(2026, 5, 4) + timedelta(days=181))
    assert findings(ep, date(2026, 6, 5)) == [
        ("care_without_fgc", date(2026, 6, 1)), ("emergency_protection_ended", date(2026, 6, 4)),
        ("at_risk_26_weeks", date(2026, 5, 4) + timedelta(days=181)), ("no_cmh_by_day_12", date(2026, 5, 15)),
        ("unallocated", date(2026, 6, 1))]


def test_emergency_protection_is_ending_on_its_last_two_days_and_ended_only_after():
    ep = ChildFacts(nation="england", stage="emergency_protection", stage_since=date(2026, 6, 1),
                    emergency_ends_on=date(2026, 6, 4))
    assert findings(ep, date(2026, 6, 2)) == []
    assert findings(ep, date(2026, 6, 3)) == [("emergency_protection_ending", date(2026, 6, 4))]
    assert findings(ep, date(2026, 6, 4)) == [("emergency_protection_ending", date(2026, 6, 4))]
    assert findings(ep, date(2026, 6, 5)) == [("emergency_protection_ended", date(2026, 6, 4))]


def test_no_clock_flags_a_child_before_the_clock_starts():
    """The looked-after, conference and plan clocks apply from the day each began, never before
    (the stored windows are read for any day)."""
    start = date(2026, 6, 1)
    looked_after = ChildFacts(nation="england", stage="section_20", stage_since=start, looked_after_since=start)
    assert findings(looked_after, start - D) == []
    assert findings(looked_after, start) == [("looked_after_first_review_due", rules.first_review_due(start, "england"))]
    reviewed = ChildFacts(nation="england", stage="section_20", stage_since=start, looked_after_since=start,
                          looked_after_reviews=1, last_looked_after_review=start - timedelta(days=120))
    assert findings(reviewed, start) == [("looked_after_review_overdue", start - timedelta(days=120) + (
        rules.ts.add_months(start - timedelta(days=120), 3) - (start - timedelta(days=120))))]
    assert findings(reviewed, start - D) == []
    late = ChildFacts(nation="england", stage="section_20", stage_since=start, looked_after_since=start + timedelta(days=60),
                      looked_after_reviews=0)
    assert findings(late, start + timedelta(days=59)) == []
    discussion = ChildFacts(nation="england", stage="early_help", stage_since=start, strategy_discussion_on=start)
    due = rules.ts.initial_conference_due(start, "england")
    assert findings(discussion, start - D) == []
    assert findings(discussion, start) == [("cp_conference_due", due)]
    assert findings(discussion, due + D) == [("cp_conference_overdue", due)]
    overdue_at_once = ChildFacts(nation="england", stage="early_help", stage_since=start,
                                 strategy_discussion_on=due + timedelta(days=30))
    assert findings(overdue_at_once, due + timedelta(days=29)) == []
    plan = ChildFacts(nation="england", stage="child_protection", stage_since=start, cp_plan_since=start,
                      last_cp_review=start - timedelta(days=400))
    assert findings(plan, start - D) == []
    assert [c for c, _ in findings(plan, start)] == ["cp_review_overdue"]
    soon = ChildFacts(nation="england", stage="child_protection", stage_since=start, cp_plan_since=start,
                      last_cp_review=start - timedelta(days=170))
    review_due = rules.ts.cp_review_due(start, start - timedelta(days=170))
    assert (review_due - start).days <= rules.DUE_SOON_DAYS
    assert findings(soon, start - D) == []
    assert findings(soon, start) == [("cp_review_due", review_due)]


def test_the_looked_after_period_not_the_stage_starts_the_first_review_clock():
    """Accommodated, then in proceedings: still the same looked-after period."""
    since = date(2026, 2, 2)
    facts = ChildFacts(nation="england", stage="proceedings", stage_since=date(2026, 4, 6), looked_after_since=since)
    assert rules.looked_after_review_due(facts) == rules.first_review_due(since, "england")


def test_proceedings_flags_need_both_the_issue_and_the_deadline():
    half = ChildFacts(nation="england", stage="proceedings", stage_since=date(2026, 3, 2), issued_on=date(2026, 3, 2))
    assert findings(half, date(2026, 12, 1)) == []
    assert not rules.in_proceedings(half)


def test_an_assessment_lists_the_findings_of_one_queue():
    found = rules.Assessment([rules.Finding("unallocated", date(2026, 1, 1)),
                              rules.Finding("care_without_fgc", date(2026, 2, 1))])
    assert found.in_queue("care_without_fgc") == [rules.Finding("care_without_fgc", date(2026, 2, 1))]
    assert found.in_queue("proceedings") == []
