"""Periods: financial years (April to March) and their quarters."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..messages import N_, Message, label, msg


@dataclass(frozen=True)
class Period:
    key: str  # "fy2025" or "fy2025-q3": safe in a URL
    start: date
    end: date
    label: Message  # "April to June 2026": English as a str, translated on display

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def is_partial(self, today: date) -> bool:
        """Not over yet: its figures run only to today ("partial: to 3 December 2026")."""
        return self.end > today


_QUARTER_MONTHS = {1: (4, N_("April to June")), 2: (7, N_("July to September")), 3: (10, N_("October to December")),
                   4: (1, N_("January to March"))}  # fmt: skip


def financial_year_of(day: date) -> int:
    """The year a financial year starts in: 2025 for any day from 1 April 2025 to 31 March 2026."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year(year: int) -> Period:
    return Period(f"fy{year}", date(year, 4, 1), date(year + 1, 3, 31),
                  msg("April %(start)s to March %(end)s", start=str(year), end=str(year + 1)))


def quarter(year: int, number: int) -> Period:
    """Quarter 1 to 4 of the financial year starting in April `year`."""
    if number not in _QUARTER_MONTHS:
        raise ValueError("a financial year has quarters 1 to 4")
    month, months = _QUARTER_MONTHS[number]
    calendar_year = year if number < 4 else year + 1
    start = date(calendar_year, month, 1)
    following = date(calendar_year + (month + 3 > 12), (month + 3 - 1) % 12 + 1, 1)
    return Period(f"fy{year}-q{number}", start, following - timedelta(days=1),
                  msg("%(months)s %(year)s", months=label(months), year=str(calendar_year)))


def quarter_of(day: date) -> Period:
    year = financial_year_of(day)
    return quarter(year, (day.month - 4) % 12 // 3 + 1)


def quarters_in(period: Period) -> list[Period]:
    return quarters_between(period.start, period.end)


def quarters_between(start: date, end: date) -> list[Period]:
    """The quarters from the one containing `start` to the one containing `end`."""
    found, q = [], quarter_of(start)
    while q.start <= end:
        found.append(q)
        q = quarter_of(q.end + timedelta(days=1))
    return found


def trend_quarters(period: Period, count: int = 8) -> list[Period]:
    """The `count` quarters ending with the one in which `period` ends."""
    last = quarter_of(period.end)
    quarters = [last]
    while len(quarters) < count:
        quarters.insert(0, quarter_of(quarters[0].start - timedelta(days=1)))
    return quarters


def period_from_key(key: str) -> Period:
    """Parse "fy2025" or "fy2025-q1"; ValueError otherwise."""
    text = (key or "").strip().lower()
    if not text.startswith("fy"):
        raise ValueError(f"not a period: {key!r}")
    year_text, separator, quarter_text = text[2:].partition("-q")
    if not (year_text.isdigit() and len(year_text) == 4):
        raise ValueError(f"not a period: {key!r}")
    if not separator:
        return financial_year(int(year_text))
    if quarter_text not in ("1", "2", "3", "4"):
        raise ValueError(f"not a period: {key!r}")
    return quarter(int(year_text), int(quarter_text))


def period_choices(today: date, years: int = 3) -> list[Period]:
    """Periods a board can pick: the last `years` financial years and their quarters, newest
    first, leaving out quarters that have not started."""
    current = financial_year_of(today)
    choices = []
    for year in range(current, current - years, -1):
        choices.append(financial_year(year))
        choices.extend(q for q in reversed(quarters_in(financial_year(year))) if q.start <= today)
    return choices


def latest_complete_period(today: date) -> Period:
    """The most recent quarter that has ended."""
    return quarter_of(quarter_of(today).start - timedelta(days=1))


def today_of_the_application() -> date:
    """Today by the application's clock (pathway.clock); outside an application (scripts), the
    system's."""
    from ..clock import SystemClock, current_clock

    try:
        return current_clock().today()
    except RuntimeError:
        return SystemClock().today()
