"""The clocks at their edges (issue 18: tests that fail when the law is coded wrong)."""
from __future__ import annotations

from datetime import date

import pytest

from pathway import timescales as ts


def test_no_working_days_after_a_day_is_that_day_and_negative_days_are_refused():
    friday = date(2026, 11, 20)
    assert ts.add_working_days(friday, 0, "england") == friday
    assert ts.add_working_days(friday, 1, "england") == date(2026, 11, 23)
    with pytest.raises(ValueError, match="^days must not be negative$"):
        ts.add_working_days(friday, -1, "england")


def test_the_working_day_count_starts_the_day_after():
    monday, tuesday = date(2026, 11, 16), date(2026, 11, 17)
    assert ts.working_days_between(monday, monday, "england") == 0
    assert ts.working_days_between(monday, tuesday, "england") == 1
    assert ts.working_days_between(date(2026, 11, 20), date(2026, 11, 23), "wales") == 1  # Fri -> Mon


def test_the_third_review_is_six_months_after_the_latest_review():
    reviews = [date(2026, 2, 1), date(2026, 5, 1), date(2026, 10, 1)]
    assert ts.next_review_due(date(2026, 1, 5), reviews, "england") == date(2027, 4, 1)
    assert ts.next_review_due(date(2026, 1, 5), reviews[:2], "england") == date(2026, 11, 1)
    assert ts.next_review_due(date(2026, 1, 5), reviews[:1], "england") == date(2026, 5, 1)


def test_the_day_of_issue_is_day_1_of_the_timetable():
    issued = date(2026, 3, 2)
    assert ts.day_number(issued, issued) == 1
    assert ts.day_number(issued, date(2026, 3, 3)) == 2
    assert ts.day_number(issued, date(2026, 3, 19)) == 18


def test_an_extended_emergency_protection_order_runs_up_to_7_more_days():
    assert ts.epo_extension_latest_end(date(2026, 3, 9)) == date(2026, 3, 16)


def test_weeks_between_counts_days_over_seven():
    assert ts.weeks_between(date(2026, 3, 2), date(2026, 3, 16)) == pytest.approx(2.0)
    assert ts.weeks_between(date(2026, 3, 2), date(2026, 3, 5)) == 3 / 7


def test_police_protection_recorded_by_date_ends_on_the_third_day_after_it_began():
    assert ts.police_protection_ends(date(2026, 3, 2)) == date(2026, 3, 5)


def test_an_emergency_protection_order_runs_at_most_to_day_8_the_day_made_being_day_1():
    assert ts.epo_latest_end(date(2026, 3, 2)) == date(2026, 3, 9)


def test_the_initial_conference_is_due_15_working_days_after_the_strategy_discussion():
    assert ts.initial_conference_due(date(2026, 6, 1), "england") == date(2026, 6, 22)


def test_a_child_protection_plan_is_reviewed_within_3_months_then_every_6():
    assert ts.cp_review_due(date(2026, 1, 31), None) == date(2026, 4, 30)
    assert ts.cp_review_due(date(2026, 1, 31), date(2026, 4, 20)) == date(2026, 10, 20)
