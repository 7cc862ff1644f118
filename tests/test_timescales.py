"""Timescale arithmetic at its boundaries."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathway import timescales as ts

ISSUED = date(2026, 3, 2)  # a Monday


def test_the_26_weeks_end_on_issue_plus_181_days():
    assert ts.timetable_end(ISSUED) == date(2026, 8, 30)
    assert ts.day_of_timetable(ISSUED, ISSUED) == 1
    assert ts.day_of_timetable(ISSUED, date(2026, 8, 30)) == 182


def test_day_181_after_issue_is_on_time_day_182_is_overdue():
    deadline = ts.timetable_deadline(ISSUED)
    assert not ts.is_overdue(deadline, ISSUED + timedelta(days=181))
    assert ts.is_overdue(deadline, ISSUED + timedelta(days=182))
    assert ts.days_overdue(deadline, ISSUED + timedelta(days=182)) == 1
    assert ts.days_overdue(deadline, ISSUED + timedelta(days=100)) == 0


def test_within_26_weeks_boundary():
    assert ts.within_26_weeks(ISSUED, ISSUED + timedelta(days=181))
    assert not ts.within_26_weeks(ISSUED, ISSUED + timedelta(days=182))


@pytest.mark.parametrize("offset, week", [(0, 1), (6, 1), (7, 2), (181, 26), (182, 27)])
def test_week_of_timetable(offset, week):
    assert ts.week_of_timetable(ISSUED, ISSUED + timedelta(days=offset)) == week


def test_extension_granted_before_the_deadline_runs_from_the_deadline():
    granted = ISSUED + timedelta(days=150)
    assert ts.timetable_deadline(ISSUED, [(granted, 8)]) == ISSUED + timedelta(days=181 + 56)


def test_extension_granted_on_the_deadline_runs_from_the_deadline():
    granted = ISSUED + timedelta(days=181)
    assert ts.timetable_deadline(ISSUED, [(granted, 1)]) == granted + timedelta(days=7)


def test_extension_granted_after_the_deadline_runs_from_the_day_granted():
    granted = ISSUED + timedelta(days=200)  # s.32(8): the later of the two
    assert ts.timetable_deadline(ISSUED, [(granted, 4)]) == granted + timedelta(weeks=4)


def test_successive_extensions_each_extend_the_current_deadline():
    first, second = ISSUED + timedelta(days=170), ISSUED + timedelta(days=230)
    after_first = ISSUED + timedelta(days=181 + 56)  # day 237
    assert ts.timetable_deadline(ISSUED, [(second, 2), (first, 8)]) == after_first + timedelta(weeks=2)


@given(
    issued=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 1, 1)),
    grants=st.lists(st.tuples(st.integers(0, 500), st.integers(1, 8)), max_size=4),
)
def test_extensions_never_shorten_the_timetable(issued, grants):
    extensions = [(issued + timedelta(days=d), w) for d, w in grants]
    deadline = ts.timetable_deadline(issued, extensions)
    assert deadline >= ts.timetable_end(issued)
    for granted, weeks in extensions:
        assert deadline >= granted + timedelta(weeks=weeks)
    assert deadline <= max([ts.timetable_end(issued)] + [g for g, _ in extensions]) + timedelta(
        weeks=sum(w for _, w in extensions)
    )


# --- working days across bank holidays ------------------------------------------------------


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_christmas_2026_bank_holidays(nation):
    holidays = ts.bank_holidays(nation, 2026)
    assert date(2026, 12, 25) in holidays  # Friday
    assert date(2026, 12, 28) in holidays  # Boxing Day falls on Saturday: substitute Monday
    assert date(2026, 8, 31) in holidays  # summer bank holiday in England and Wales


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_20_working_days_across_christmas(nation):
    # From Monday 14 Dec 2026: 14 Dec itself is not counted. Working days: 15-18 (4), 21-24 (8),
    # 25 Fri and 28 Mon are bank holidays, 29-31 (11), 1 Jan 2027 bank holiday, 4-8 Jan (16),
    # 11-14 Jan (20).
    assert ts.add_working_days(date(2026, 12, 14), 20, nation) == date(2027, 1, 14)
    assert ts.first_review_due(date(2026, 12, 14), nation) == date(2027, 1, 14)
    assert ts.working_days_between(date(2026, 12, 14), date(2027, 1, 14), nation) == 20
    assert ts.working_days_between(date(2026, 12, 14), date(2027, 1, 13), nation) == 19


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_working_days_across_easter_2027(nation):
    # Good Friday 26 March 2027, Easter Monday 29 March 2027.
    assert ts.add_working_days(date(2027, 3, 25), 1, nation) == date(2027, 3, 30)


def test_weekend_is_not_a_working_day():
    assert ts.add_working_days(date(2026, 11, 20), 1, "england") == date(2026, 11, 23)  # Fri -> Mon
    assert not ts.is_working_day(date(2026, 11, 21), "wales")


def test_unknown_nation_is_refused():
    with pytest.raises(ValueError, match="england or wales"):
        ts.bank_holidays("scotland", 2026)


def test_review_sequence_20_working_days_then_3_then_6_months():
    start = date(2026, 4, 1)  # Wednesday; Good Friday 3 Apr and Easter Monday 6 Apr are holidays
    first_due = ts.next_review_due(start, [], "england")
    assert first_due == date(2026, 5, 1)  # 20 working days, skipping the two Easter holidays
    assert ts.next_review_due(start, [date(2026, 4, 28)], "england") == date(2026, 7, 28)
    assert ts.next_review_due(start, [date(2026, 4, 28), date(2026, 7, 20)], "england") == date(2027, 1, 20)


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2026, 5, 15), 12, date(2027, 5, 15)),
])  # fmt: skip
def test_add_months_clamps_to_the_end_of_a_short_month(day, months, expected):
    assert ts.add_months(day, months) == expected


def test_age_and_leap_day_birthdays():
    assert ts.age_on(date(2010, 6, 15), date(2026, 6, 14)) == 15
    assert ts.age_on(date(2010, 6, 15), date(2026, 6, 15)) == 16
    assert ts.birthday(date(2008, 2, 29), 17) == date(2025, 3, 1)
    assert ts.age_on(date(2008, 2, 29), date(2025, 2, 28)) == 16
    assert ts.age_on(date(2008, 2, 29), date(2025, 3, 1)) == 17


def test_the_bank_holidays_are_loaded_lazily_once_per_process():
    """Issue 17: a process that never asks a working-day question never loads `holidays`, and
    one that does loads each nation's year once."""
    import subprocess
    import sys

    code = ("import sys, pathway.timescales as t; assert 'holidays' not in sys.modules; "
            "from datetime import date; t.is_working_day(date(2026, 12, 25), 'wales'); "
            "assert 'holidays' in sys.modules; print(t.bank_holidays.cache_info().misses)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
