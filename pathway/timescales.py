"""Timescale arithmetic: pure functions of dates. `today` is always passed in (see clock.py).

- Care proceedings (Children Act 1989 s.32): 26 weeks beginning with the day of issue, so the
  issue day is day 1 and the last day is issue + 181 days. Each extension moves the deadline to
  max(current deadline, day granted) + weeks (s.32(8)). Overdue means today is after the deadline.
- Working days exclude weekends and the bank holidays of the child's nation.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable

TIMETABLE_DAYS = 26 * 7  # 182 days, of which the issue day is the first
LAST_DAY_OFFSET = TIMETABLE_DAYS - 1  # issue + 181 days


def timetable_end(issued_on: date) -> date:
    """The last day of the 26 weeks: issue + 181 days."""
    return issued_on + timedelta(days=LAST_DAY_OFFSET)


def timetable_deadline(issued_on: date, extensions: Iterable[tuple[date, int]] = ()) -> date:
    """The deadline after extensions, each (day granted, weeks), applied in the order granted."""
    deadline = timetable_end(issued_on)
    for granted_on, weeks in sorted(extensions):
        deadline = max(deadline, granted_on) + timedelta(weeks=weeks)
    return deadline


def day_of_timetable(issued_on: date, today: date) -> int:
    """Day N of the timetable: the issue day is day 1."""
    return (today - issued_on).days + 1


def week_of_timetable(issued_on: date, today: date) -> int:
    """Week N of 26: days 1-7 are week 1, day 182 is week 26, day 183 is week 27."""
    return (today - issued_on).days // 7 + 1


def is_overdue(deadline: date, today: date) -> bool:
    return today > deadline


def days_overdue(deadline: date, today: date) -> int:
    return max(0, (today - deadline).days)


def within_26_weeks(issued_on: date, concluded_on: date) -> bool:
    return concluded_on <= timetable_end(issued_on)


def weeks_between(start: date, end: date) -> float:
    return (end - start).days / 7


# --- ages and calendar months ---------------------------------------------------------------


def birthday(dob: date, years: int) -> date:
    """The day a person born on `dob` attains `years` (born 29 February: 1 March in common years)."""
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:
        return date(dob.year + years, 3, 1)


def age_on(dob: date, day: date) -> int:
    years = day.year - dob.year
    return years if day >= birthday(dob, years) else years - 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- working days ---------------------------------------------------------------------------

_SUBDIVISION = {"england": "ENG", "wales": "WLS"}


@lru_cache(maxsize=64)
def bank_holidays(nation: str, year: int) -> frozenset[date]:
    if nation not in _SUBDIVISION:
        raise ValueError(f"nation must be england or wales, not {nation!r}")
    import holidays  # loaded once, on the first working-day question, not by every process start

    return frozenset(holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation], years=year))


def is_working_day(day: date, nation: str) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(nation, day.year)


def add_working_days(start: date, days: int, nation: str) -> date:
    """The `days`-th working day after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, nation: str) -> int:
    """Working days after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, nation)
    return count


# --- looked-after reviews (Care Planning Regulations 2010 reg.33) ---------------------------


def first_review_due(looked_after_from: date, nation: str) -> date:
    """First review within 20 working days of becoming looked after."""
    return add_working_days(looked_after_from, 20, nation)


def next_review_due(looked_after_from: date, reviews_held: list[date], nation: str) -> date:
    """Second review within 3 months of the first; then at most every 6 months."""
    if not reviews_held:
        return first_review_due(looked_after_from, nation)
    if len(reviews_held) == 1:
        return add_months(reviews_held[0], 3)
    return add_months(reviews_held[-1], 6)


# --- emergency protection (Children Act 1989 s.46 and s.44) ----------------------------------

POLICE_PROTECTION_DAYS = 3  # 72 hours; Pathway records dates only: the third day after it began
EPO_MAX_DAYS = 8  # the day the order is made counts as day 1
EPO_EXTENSION_MAX_DAYS = 7  # one extension, of up to 7 days


def police_protection_ends(began: date) -> date:
    """Police protection lasts up to 72 hours: recorded by date, it ends on the third day after
    the day it began."""
    return began + timedelta(days=POLICE_PROTECTION_DAYS)


def epo_latest_end(made: date) -> date:
    """The last day an emergency protection order can run: day 8, the day made being day 1."""
    return made + timedelta(days=EPO_MAX_DAYS - 1)


def epo_extension_latest_end(current_end: date) -> date:
    return current_end + timedelta(days=EPO_EXTENSION_MAX_DAYS)


# --- child protection -------------------------------------------------------------------------

CP_CONFERENCE_WORKING_DAYS = 15


def initial_conference_due(strategy_discussion_on: date, nation: str) -> date:
    """The initial child protection conference: within 15 working days of the strategy discussion."""
    return add_working_days(strategy_discussion_on, CP_CONFERENCE_WORKING_DAYS, nation)


def cp_review_due(plan_started_on: date, last_review_on: date | None) -> date:
    """The first review within 3 months of the plan starting; then at most every 6 months."""
    if last_review_on is None:
        return add_months(plan_started_on, 3)
    return add_months(last_review_on, 6)


# --- the Public Law Outline ---------------------------------------------------------------------

CMH_EARLIEST_DAY, CMH_LATEST_DAY = 12, 18
AT_RISK_LISTED_BY = {"case_management": 24, "issues_resolution": 140, "final": 182}


def day_number(issued_on: date, day: date) -> int:
    """The day of the timetable a date falls on (the day of issue is day 1)."""
    return (day - issued_on).days + 1
