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
