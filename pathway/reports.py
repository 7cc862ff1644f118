"""Family Justice Board timescale reports (issue 5): definitions, periods, SQL and suppression.

Every figure is a SQL aggregate (COUNT, SUM, GROUP BY, window functions) over the projection
(`proceedings`, `proceedings_children`, `extensions`, `children`, `family_group_conferences`)
or, where the projection keeps only the latest state, over the append-only `events`. Nothing
loads one row per case into Python: the queries return one row per figure or per code, or a
histogram. Medians never fetch the durations themselves: for proceedings, a GROUP BY gives how
many took each number of days (a few hundred rows at most, however many proceedings) and the
median is read off that; for section 20/76 accommodations, ROW_NUMBER() and COUNT() window
functions pick the middle one or two values in SQL (SQLite 3.25+ and PostgreSQL).

The definitions, for a period [date_from, date_to] (both days included) and a scope (all
authorities, one authority, a designated family judge area or a nation; given together they
all apply):

proceedings_concluded
    Proceedings whose conclusion date falls in the period. Proceedings conclude when every
    child party has a final order, on the latest of those orders' dates (`Proceedings.concluded_on`).
mean_weeks, median_weeks
    (conclusion − issue) in days, divided by 7, over those proceedings; one decimal place,
    halves rounded up. The median of an even number of proceedings is the mean of the middle two.
within_26_weeks, within_26_weeks_pct
    Concluded on or before issue + 181 days (the issue day is day 1 of the 26 weeks).
extended
    Concluded proceedings with at least one extension, whenever it was granted.
extensions_by_reason, extensions_by_category
    Every extension of those proceedings, by reason and by category (complexity,
    non_compliance, system, other).
adjusted_proceedings, adjusted_within_26_weeks_pct
    The 26-week measure over concluded proceedings that had no extension for complexity.
orders_by_type
    The final orders of the children in those proceedings, by order type (one per child).
children_entering_care
    Children whose first entry into care (the earliest of section 20/76 accommodation,
    emergency protection and a care application: `Child.entered_care_on`) falls in the period.
fgc_offered_before_care, fgc_offered_before_care_pct
    Of those, children whose family had been offered an FGC on or before that day.
emergency_entries
    Of those, children who entered care by emergency protection or with an exception recorded.
section_20_accommodated, section_20_median_days
    Children accommodated by agreement (section 20, or section 76 in Wales) in the period: an
    `accommodate_s20` event dated in the period. An accommodation lasts until the child's next
    emergency protection, care application, return home, removal by a person with parental
    responsibility or case closure. The median is over the
    accommodations that began in the period, each measured in days from its start to its end,
    or, if it had not ended by the last day of the period, to that last day: so a child still
    accommodated counts with the days so far, and a past period's figure does not change later.
children_entering_proceedings, children_returning_to_proceedings (and _pct)
    Children made the subject of a care application in the period (an `issue_proceedings`
    event), and of those, children who already had a final order (any type) made on or before
    the application and no more than 3 years before it: issued on or before the order's third
    anniversary (28 February for an order of 29 February).
concluded_children_by_ethnicity_group, concluded_children_by_age_band
    The children in the concluded proceedings (one per child party, so a sibling group of three
    counts three), by ethnicity group (codes.ETHNICITY_GROUPS) and by age on the day the
    application for them was issued (under 1, which includes unborn babies, 1-4, 5-9, 10-15, 16+).

The family network (issue 9), over the children entering proceedings in the period (as above),
each fact as it stood on the day the child became a party (kept on the party row):
entering_proceedings_father_recorded, entering_proceedings_father_pr
    Children with a father recorded; with a father holding parental responsibility.
entering_proceedings_relative_assessed
    Children for whom someone in the family network other than their mother or father had been
    assessed as a carer (viability or full assessment, not withdrawn) on or before the day.
entering_proceedings_recurrent_parent
    Children whose mother or father (as recorded now) was the mother or father of a child party
    to earlier proceedings (issued before these) in the authority: recurrent proceedings.
parents_entering_proceedings, parents_learning_disability, parents_care_experienced
    The mothers and fathers (as recorded now; each person once) of those children, and of them
    those recorded with a learning disability, and as care-experienced.
fgc_at_issue
    Those children by the answer to "Has a family group conference been convened?" on the day:
    held, offered and declined, accepted not held, offered with no answer yet, not offered with an
    exception recorded, not offered (codes.FGC_AT_ISSUE). A child entering two sets of
    proceedings in one period is counted once in each answer it had.

The court's timetable (issue 11), over the proceedings concluded in the period:
extensions_by_fpl_code
    Their extensions by the court's four codes (codes.FPL_CODE_OF_REASON, Pathway's mapping).
hearings_per_concluded_proceedings
    The hearings listed for them (each listing recorded, for a day on or before the conclusion,
    not vacated) divided by their number; one decimal place.
hearings_adjourned_by_party, hearings_vacated_by_party
    Their hearings adjourned, and vacated, by the party responsible for the court's reason code.
cmh_by_day_18, cmh_by_day_18_pct
    Those with a case management hearing listed on or before day 18 (issue + 17 days).
fdac_proceedings_concluded, fdac_within_26_weeks, fdac_mean_weeks, fdac_orders_by_type
    Those heard in a Family Drug and Alcohol Court, within 26 weeks, their mean weeks, and their
    children's final orders by type.
fdac_children_returning_to_proceedings
    Of the children entering proceedings in the period (as above), those returning within 3 years
    of a final order made in proceedings heard in a Family Drug and Alcohol Court.
emergency_protection_episodes, emergency_protection_median_days
    Children taken into emergency protection in the period (an `emergency_protection` event not
    following another within the same episode), and the median days from its start to the next
    step (accommodation, proceedings, return home or closure), or to the period's last day.

The national definitions beside Pathway's own (issue 14; shared/court-codes.md):
moj_children_disposed, moj_mean_weeks, moj_median_weeks, moj_within_26_weeks(_pct)
    The Ministry of Justice's: per child, from the application (the day the proceedings were
    issued) to the child's first substantive disposal (their final order, including no order and
    withdrawn), for the children whose disposal falls in the period.
cafcass_mean_weeks, cafcass_weeks_bands
    Cafcass's: per application (the proceedings concluded in the period), the mean of the days
    from issue to completion divided by 7 and rounded to the nearest whole week (halves up), and
    the applications by their own duration in whole weeks (days / 7 to the nearest week): 26 or
    less, 27 to 29, 30 or more.

After court and after care (issue 14):
children_returned_home
    Children who returned home in the period (`return_home`, or `remove_from_accommodation` by a
    person with parental responsibility).
returns_broke_down
    Children whose six-month reunification review in the period found the return broke down.
reentered_care_after_return
    Children entering care again in the period (section 20/76, emergency protection or a care
    application) after an earlier return home.

Percentages have one decimal place and are None when the denominator is 0. Dictionaries are
keyed by code and list every code, with 0 where there is none.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from sqlalchemy import (
    Integer,
    and_,
    case,
    distinct,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.functions import FunctionElement

from . import codes
from .models import (
    Child,
    ChildRelation,
    Event,
    Extension,
    FamilyGroupConference,
    FamilyPerson,
    LocalAuthority,
    Proceedings,
    ProceedingsChild,
)
from .timescales import LAST_DAY_OFFSET

SMALL = range(1, 5)  # counts from 1 to 4 are never shown to a board member

AGE_BANDS = {
    "under_1": "Under 1",
    "1_4": "1 to 4",
    "5_9": "5 to 9",
    "10_15": "10 to 15",
    "16_plus": "16 and over",
}
# Upper bounds (exclusive) of each band as a difference of YYYYMMDD numbers: see `age_band`.
_AGE_BAND_LIMITS = (("under_1", 10000), ("1_4", 50000), ("5_9", 100000), ("10_15", 160000))

S20_ENDS = ("emergency_protection", "issue_proceedings", "return_home", "remove_from_accommodation", "close_case")
RETURN_WINDOW = 30000  # three years, as a difference of YYYYMMDD numbers

# FGC service (issue 13): the keys of `_fgc_service`, appended to KEYS.
FGC_KEYS = (
    "fgc_offered", "fgc_accepted", "fgc_referred", "fgc_held", "fgc_plan_accepted", "fgc_reviewed",
    "fgc_conferences_held", "fgc_held_after_referral", "fgc_referral_to_conference_median_working_days",
    "fgc_private_family_time", "fgc_private_family_time_pct", "fgc_outcomes_at_6_months",
    "fgc_held_before_care", "fgc_held_before_care_pct",
)
# The report's keys, in the order the CLI prints them.
KEYS = (
    "proceedings_concluded",
    "mean_weeks",
    "median_weeks",
    "within_26_weeks",
    "within_26_weeks_pct",
    "extended",
    "extensions_by_reason",
    "extensions_by_category",
    "adjusted_proceedings",
    "adjusted_within_26_weeks_pct",
    "orders_by_type",
    "children_entering_care",
    "fgc_offered_before_care",
    "fgc_offered_before_care_pct",
    "emergency_entries",
    "section_20_accommodated",
    "section_20_median_days",
    "children_entering_proceedings",
    "children_returning_to_proceedings",
    "children_returning_to_proceedings_pct",
    "concluded_children_by_ethnicity_group",
    "concluded_children_by_age_band",
    "entering_proceedings_father_recorded",
    "entering_proceedings_father_pr",
    "entering_proceedings_relative_assessed",
    "entering_proceedings_recurrent_parent",
    "parents_entering_proceedings",
    "parents_learning_disability",
    "parents_care_experienced",
    "fgc_at_issue",
    "extensions_by_fpl_code",
    "hearings_per_concluded_proceedings",
    "hearings_adjourned_by_party",
    "hearings_vacated_by_party",
    "cmh_by_day_18",
    "cmh_by_day_18_pct",
    "fdac_proceedings_concluded",
    "fdac_within_26_weeks",
    "fdac_mean_weeks",
    "fdac_orders_by_type",
    "fdac_children_returning_to_proceedings",
    "emergency_protection_episodes",
    "emergency_protection_median_days",
    "moj_children_disposed",
    "moj_mean_weeks",
    "moj_median_weeks",
    "moj_within_26_weeks",
    "moj_within_26_weeks_pct",
    "cafcass_mean_weeks",
    "cafcass_weeks_bands",
    "children_returned_home",
    "returns_broke_down",
    "reentered_care_after_return",
    # FGC service (issue 13): see `_fgc_service`.
    *FGC_KEYS,
)
CAFCASS_BANDS = {"26_or_less": "26 weeks or less", "27_to_29": "27 to 29 weeks", "30_or_more": "30 weeks or more"}
# Breakdowns and the codes they list.
BREAKDOWNS = {
    "extensions_by_reason": tuple(codes.EXTENSION_REASONS),
    "extensions_by_category": tuple(codes.EXTENSION_CATEGORIES),
    "orders_by_type": tuple(codes.ORDER_TYPES),
    "concluded_children_by_ethnicity_group": tuple(codes.ETHNICITY_GROUPS),
    "concluded_children_by_age_band": tuple(AGE_BANDS),
    "fgc_at_issue": tuple(codes.FGC_AT_ISSUE),
    "extensions_by_fpl_code": tuple(codes.FPL_EXTENSION_CODES),
    "hearings_adjourned_by_party": tuple(codes.HEARING_PARTIES),
    "hearings_vacated_by_party": tuple(codes.HEARING_PARTIES),
    "cafcass_weeks_bands": ("26_or_less", "27_to_29", "30_or_more"),
    "fdac_orders_by_type": tuple(codes.ORDER_TYPES),
    "fgc_outcomes_at_6_months": tuple(codes.FGC_OUTCOMES_AT_6_MONTHS),  # FGC service (issue 13)
}

# --------------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------------

_TENTH = Decimal("0.1")


def one_decimal(numerator, denominator) -> float | None:
    """numerator / denominator to one decimal place (halves rounded up); None for 0 / 0."""
    if not denominator:
        return None
    return float((Decimal(numerator) / Decimal(denominator)).quantize(_TENTH, rounding=ROUND_HALF_UP))


def pct(part: int, whole: int) -> float | None:
    return one_decimal(100 * part, whole)


def weeks(total_days, count: int) -> float | None:
    """The mean of `count` durations summing to `total_days` days, in weeks."""
    return one_decimal(total_days, 7 * count) if count else None


def date_number(day: date) -> int:
    """20260401 for 1 April 2026: differences of these numbers compare calendar anniversaries."""
    return day.year * 10000 + day.month * 100 + day.day


def age_band(dob: date, on: date) -> str:
    """The age band of someone born on `dob`, on the day `on` (before birth: under 1)."""
    difference = date_number(on) - date_number(dob)
    for band, limit in _AGE_BAND_LIMITS:
        if difference < limit:
            return band
    return "16_plus"


# --------------------------------------------------------------------------------------------
# Periods: financial years (April to March) and their quarters
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str  # "fy2025" or "fy2025-q3": safe in a URL
    start: date
    end: date
    label: str

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


_QUARTER_MONTHS = {1: (4, "April to June"), 2: (7, "July to September"), 3: (10, "October to December"),
                   4: (1, "January to March")}  # fmt: skip


def financial_year_of(day: date) -> int:
    """The year a financial year starts in: 2025 for any day from 1 April 2025 to 31 March 2026."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year(year: int) -> Period:
    return Period(f"fy{year}", date(year, 4, 1), date(year + 1, 3, 31), f"April {year} to March {year + 1}")


def quarter(year: int, number: int) -> Period:
    """Quarter 1 to 4 of the financial year starting in April `year`."""
    if number not in _QUARTER_MONTHS:
        raise ValueError("a financial year has quarters 1 to 4")
    month, months = _QUARTER_MONTHS[number]
    calendar_year = year if number < 4 else year + 1
    start = date(calendar_year, month, 1)
    following = date(calendar_year + (month + 3 > 12), (month + 3 - 1) % 12 + 1, 1)
    return Period(f"fy{year}-q{number}", start, following - timedelta(days=1), f"{months} {calendar_year}")


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


# --------------------------------------------------------------------------------------------
# Portable SQL for dates (SQLite stores dates as ISO text, PostgreSQL as dates)
# --------------------------------------------------------------------------------------------


class days_between(FunctionElement):
    """(later - earlier) in whole days."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (f"CAST(julianday({compiler.process(later, **kw)}) - "
            f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)")  # fmt: skip


class date_num(FunctionElement):
    """A date as the number YYYYMMDD (see `date_number`)."""

    type = Integer()
    inherit_cache = True
    name = "date_num"


@compiles(date_num)
def _date_num(element, compiler, **kw):
    day = compiler.process(list(element.clauses)[0], **kw)
    return (f"CAST(date_part('year', {day}) * 10000 + date_part('month', {day}) * 100 "
            f"+ date_part('day', {day}) AS INTEGER)")  # fmt: skip


@compiles(date_num, "sqlite")
def _date_num_sqlite(element, compiler, **kw):
    (day,) = list(element.clauses)  # stored as 'YYYY-MM-DD' text
    return f"CAST(replace({compiler.process(day, **kw)}, '-', '') AS INTEGER)"


class age_years(FunctionElement):
    """Age in whole years on a day, from a date of birth: the YYYYMMDD difference // 10000, so a
    birthday on 29 February falls on 1 March in common years, as `timescales.age_on` has it.
    PostgreSQL's age() gives the same (and is quicker there than taking dates apart)."""

    type = Integer()
    inherit_cache = True
    name = "age_years"


@compiles(age_years)
def _age_years(element, compiler, **kw):
    on, dob = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(date_part('year', age({on}, {dob})) AS INTEGER)"


@compiles(age_years, "sqlite")
def _age_years_sqlite(element, compiler, **kw):
    on, dob = list(element.clauses)
    return f"(({compiler.process(date_num(on), **kw)} - {compiler.process(date_num(dob), **kw)}) / 10000)"


class earlier_of(FunctionElement):
    """The earlier of two dates."""

    inherit_cache = True
    name = "earlier_of"


@compiles(earlier_of)
def _earlier_of(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(earlier_of, "sqlite")
def _earlier_of_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"  # ISO dates compare as text


def _sum(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --------------------------------------------------------------------------------------------
# Scope
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    la_code: str | None = None
    dfj_area: str | None = None
    nation: str | None = None

    @property
    def everywhere(self) -> bool:
        return not (self.la_code or self.dfj_area or self.nation)


class Authorities(tuple):
    """The ids of the authorities in scope. `.everywhere` when that is every authority: then
    queries on the projection leave out the (costly, pointless) test of the authority."""

    everywhere = False

    def where(self, column):
        return true() if self.everywhere else column.in_(self)


def scope_la_ids(session: Session, scope: Scope) -> Authorities:
    """The ids of the authorities in scope; LookupError for an unknown authority code."""
    query = select(LocalAuthority.id).order_by(LocalAuthority.id)
    if scope.la_code:
        query = query.where(LocalAuthority.code == scope.la_code)
    if scope.dfj_area:
        query = query.where(LocalAuthority.dfj_area == scope.dfj_area)
    if scope.nation:
        query = query.where(LocalAuthority.nation == scope.nation)
    ids = list(session.scalars(query))
    if scope.la_code and not ids and not session.scalar(
        select(LocalAuthority.id).where(LocalAuthority.code == scope.la_code)
    ):
        raise LookupError(f"local authority '{scope.la_code}' has not been added")
    found = Authorities(ids)
    found.everywhere = scope.everywhere
    return found


# --------------------------------------------------------------------------------------------
# The queries
# --------------------------------------------------------------------------------------------

_DURATION = days_between(Proceedings.concluded_on, Proceedings.issued_on)


def _has_extension(category: str | None = None):
    condition = Extension.proceedings_id == Proceedings.id
    if category:
        condition = and_(condition, Extension.category == category)
    return exists(select(Extension.id).where(condition))


def _concluded(la_ids: Authorities, start: date, end: date):
    return and_(Proceedings.concluded_on >= start, Proceedings.concluded_on <= end, la_ids.where(Proceedings.la_id))


def _bucket(column, periods: list[Period]):
    """Which of `periods` (consecutive, ascending) a date column falls in: its index."""
    return case(*[(column <= p.end, i) for i, p in enumerate(periods)], else_=len(periods))


def _proceedings_stats(session: Session, la_ids, periods: list[Period]) -> dict[int, dict]:
    """Per period (by index): proceedings concluded, their total and median days, and how many
    were within 26 weeks, extended, without a complexity extension, and both of those.

    One GROUP BY gives, per period, a histogram: how many proceedings took each number of days,
    split by whether they were extended and whether for complexity (a few hundred rows at most,
    whatever the number of proceedings). The figures, the median included, are sums over it.
    Measured quicker on both SQLite and PostgreSQL than ranking every proceedings with window
    functions (national scale, SQLite: about 160 ms against 290 ms)."""
    query = (
        select(
            _bucket(Proceedings.concluded_on, periods).label("h_bucket"),
            _DURATION.label("h_days"),
            case((_has_extension(), 1), else_=0).label("h_extended"),
            case((_has_extension("complexity"), 1), else_=0).label("h_complexity"),
            func.count(),
        )
        .where(_concluded(la_ids, periods[0].start, periods[-1].end))
        # By the output columns' names, so that each expression (two of them subqueries) is
        # written, and evaluated, once.
        .group_by(*(literal_column(name) for name in ("h_bucket", "h_days", "h_extended", "h_complexity")))
    )
    histograms: dict[int, list] = {}
    for bucket, days, extended, complexity, n in session.execute(query):
        histograms.setdefault(bucket, []).append((int(days), bool(extended), bool(complexity), n))
    return {bucket: _summarise(rows) for bucket, rows in histograms.items()}


def _summarise(histogram: list[tuple[int, bool, bool, int]]) -> dict:
    """The figures of one period from its histogram of (days, extended, complexity, count)."""
    n = sum(count for *_x, count in histogram)
    within = sum(count for days, _e, _c, count in histogram if days <= LAST_DAY_OFFSET)
    adjusted = [(days, count) for days, _e, complexity, count in histogram if not complexity]
    return {
        "n": n,
        "days": sum(days * count for days, *_x, count in histogram),
        "within": within,
        "extended": sum(count for _d, extended, _c, count in histogram if extended),
        "adjusted": sum(count for _d, count in adjusted),
        "adjusted_within": sum(count for days, count in adjusted if days <= LAST_DAY_OFFSET),
        "median_weeks": _median_weeks(histogram, n),
    }


def _median_weeks(histogram, n: int) -> float | None:
    """The median duration in weeks: the middle value (odd n) or the mean of the middle two."""
    if not n:
        return None
    wanted = sorted({(n + 1) // 2, (n + 2) // 2})  # 1-based positions in the sorted durations
    counts: dict[int, int] = {}
    for days, *_x, count in histogram:
        counts[days] = counts.get(days, 0) + count
    found, seen = [], 0
    for days in sorted(counts):
        seen += counts[days]
        while wanted and wanted[0] <= seen:
            found.append(days)
            wanted.pop(0)
    if len(found) == 1:
        found *= 2
    return one_decimal(sum(found), 14)


def _age_sql():
    """Age in whole years on the day the application for the child was issued (0 before birth)."""
    return age_years(ProceedingsChild.joined_on, Child.dob)


def age_band_of(age: int) -> str:
    """The band of an age in whole years (as `_age_sql` gives it)."""
    return age_band(date(2000, 1, 1), date(2000 + max(age, 0), 1, 1))


def _zeros(key: str) -> dict[str, int]:
    return {code: 0 for code in BREAKDOWNS[key]}


def _proceedings_breakdowns(session: Session, la_ids, period: Period) -> dict:
    out = {key: _zeros(key) for key in BREAKDOWNS}
    reasons = (
        select(Extension.reason, Extension.category, func.count(Extension.id))
        .join(Proceedings, Proceedings.id == Extension.proceedings_id)
        .where(_concluded(la_ids, period.start, period.end))
        .group_by(Extension.reason, Extension.category)
    )
    for reason, category, n in session.execute(reasons):
        out["extensions_by_reason"][reason] = out["extensions_by_reason"].get(reason, 0) + n
        out["extensions_by_category"][category] = out["extensions_by_category"].get(category, 0) + n
    # Grouped by ethnicity code (about 20) and age in years (0 to 17): a few hundred groups at
    # most, added up into ethnicity groups and age bands here.
    age = _age_sql().label("age")
    children = (
        select(ProceedingsChild.order_type, Child.ethnicity, age, func.count())
        .join(Proceedings, Proceedings.id == ProceedingsChild.proceedings_id)
        .join(Child, Child.id == ProceedingsChild.child_id)
        .where(_concluded(la_ids, period.start, period.end))
        .group_by(ProceedingsChild.order_type, Child.ethnicity, age)
    )
    for order_type, ethnicity, years, n in session.execute(children):
        for key, code in (("orders_by_type", order_type),
                          ("concluded_children_by_ethnicity_group", codes.ethnicity_group(ethnicity)),
                          ("concluded_children_by_age_band", age_band_of(int(years)))):  # fmt: skip
            out[key][code] = out[key].get(code, 0) + n
    return out


def _entering_care(session: Session, la_ids, period: Period) -> dict:
    offered = exists(
        select(FamilyGroupConference.id).where(
            FamilyGroupConference.family_id == Child.family_id,
            FamilyGroupConference.offered_on <= Child.entered_care_on,
        )
    )
    n, fgc, emergency = session.execute(
        select(func.count(Child.id), _sum(offered), _sum(Child.entered_care_in_emergency.is_(True))).where(
            Child.entered_care_on >= period.start, Child.entered_care_on <= period.end, la_ids.where(Child.la_id)
        )
    ).one()
    return {"children_entering_care": n, "fgc_offered_before_care": int(fgc), "emergency_entries": int(emergency)}


def _events_in(la_ids, event: str, period: Period, alias=Event):
    return and_(alias.la_id.in_(la_ids), alias.event == event, alias.occurred_on >= period.start,
                alias.occurred_on <= period.end)  # fmt: skip


def _after(later, earlier):
    """`later` comes after `earlier` in the history's order (date, then the order recorded)."""
    return or_(later.occurred_on > earlier.occurred_on,
               and_(later.occurred_on == earlier.occurred_on, later.id > earlier.id))  # fmt: skip


def _section_20(session: Session, la_ids, period: Period) -> dict:
    start, finish = aliased(Event), aliased(Event)
    ended = (
        select(func.min(finish.occurred_on))
        .where(finish.child_id == start.child_id, finish.event.in_(S20_ENDS), _after(finish, start))
        .scalar_subquery()
    )
    # An accommodation still running at the end of the period is measured to the period's last day.
    # (`ended` appears once, so the correlated subquery runs once per accommodation.)
    last_day = earlier_of(func.coalesce(ended, literal(period.end)), literal(period.end))
    episodes = (
        select(start.child_id.label("child_id"), days_between(last_day, start.occurred_on).label("days"))
        .where(_events_in(la_ids, "accommodate_s20", period, start))
        .subquery()
    )
    ranked = select(
        episodes.c.child_id,
        episodes.c.days,
        func.row_number().over(order_by=episodes.c.days).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    children, middle_days, middle_n = session.execute(
        select(func.count(distinct(ranked.c.child_id)), func.sum(case((middle, ranked.c.days), else_=0)), _sum(middle))
    ).one()
    return {"section_20_accommodated": children,
            "section_20_median_days": one_decimal(int(middle_days or 0), int(middle_n))}  # fmt: skip


def _returning(session: Session, la_ids, period: Period) -> dict:
    """Children made party to a care application in the period, and those of them with an earlier
    final order within 3 years. Read from the projection (one party row per application and
    child, with its final order), which holds the same facts as the `issue_proceedings` and
    `final_order` events: a child can only be made party to new proceedings once the last
    ones have ended in an order."""
    new, earlier = aliased(ProceedingsChild), aliased(ProceedingsChild)
    earlier_order = exists(
        select(earlier.proceedings_id).where(
            earlier.child_id == new.child_id,
            earlier.proceedings_id != new.proceedings_id,
            earlier.order_on <= new.joined_on,
            date_num(new.joined_on) - date_num(earlier.order_on) <= RETURN_WINDOW,
        )
    )
    entering, returning = session.execute(
        select(func.count(distinct(new.child_id)),
               func.count(distinct(case((earlier_order, new.child_id), else_=None))))
        .join(Proceedings, Proceedings.id == new.proceedings_id)
        .where(new.joined_on >= period.start, new.joined_on <= period.end, la_ids.where(Proceedings.la_id))
    ).one()  # fmt: skip
    return {"children_entering_proceedings": entering, "children_returning_to_proceedings": returning}


def _court(session: Session, la_ids, period: Period) -> dict:
    """Hearings, case management by day 18, FDAC and the court's extension codes, over the
    proceedings concluded in the period."""
    from .models import Hearing, HearingOutcome

    concluded = _concluded(la_ids, period.start, period.end)
    fpl = {code: 0 for code in codes.FPL_EXTENSION_CODES}
    for reason, n in session.execute(
        select(Extension.reason, func.count(Extension.id)).join(Proceedings, Proceedings.id == Extension.proceedings_id)
        .where(concluded).group_by(Extension.reason)
    ):  # fmt: skip
        fpl[codes.FPL_CODE_OF_REASON[reason]] += n
    listed = (
        select(func.count(Hearing.id).label("n"))
        .outerjoin(HearingOutcome, HearingOutcome.hearing_id == Hearing.id)
        .where(Hearing.proceedings_id == Proceedings.id, Hearing.listed_for <= Proceedings.concluded_on,
               or_(HearingOutcome.outcome.is_(None), HearingOutcome.outcome != "vacated"))
        .scalar_subquery()
    )  # fmt: skip
    cmh = exists(select(Hearing.id).where(
        Hearing.proceedings_id == Proceedings.id, Hearing.kind == "case_management",
        days_between(Hearing.listed_for, Proceedings.issued_on) <= 17,
    ))  # fmt: skip
    n, hearings, by_18, fdac, fdac_within, fdac_days = session.execute(
        select(func.count(Proceedings.id), func.coalesce(func.sum(listed), 0), _sum(cmh), _sum(Proceedings.fdac.is_(True)),
               _sum(and_(Proceedings.fdac.is_(True), _DURATION <= LAST_DAY_OFFSET)),
               func.coalesce(func.sum(case((Proceedings.fdac.is_(True), _DURATION), else_=0)), 0))
        .where(concluded)
    ).one()  # fmt: skip
    parties = {outcome: {party: 0 for party in codes.HEARING_PARTIES} for outcome in ("adjourned", "vacated")}
    for outcome, reason, count in session.execute(
        select(HearingOutcome.outcome, HearingOutcome.reason, func.count())
        .join(Hearing, Hearing.id == HearingOutcome.hearing_id).join(Proceedings, Proceedings.id == Hearing.proceedings_id)
        .where(concluded, HearingOutcome.outcome.in_(("adjourned", "vacated"))).group_by(HearingOutcome.outcome, HearingOutcome.reason)
    ):  # fmt: skip
        parties[outcome][codes.ADJOURNMENT_REASONS[reason][1]] += count
    fdac_orders = {code: 0 for code in codes.ORDER_TYPES}
    for order_type, count in session.execute(
        select(ProceedingsChild.order_type, func.count()).join(Proceedings, Proceedings.id == ProceedingsChild.proceedings_id)
        .where(concluded, Proceedings.fdac.is_(True)).group_by(ProceedingsChild.order_type)
    ):  # fmt: skip
        fdac_orders[order_type] += count
    new, earlier, earlier_proceedings = aliased(ProceedingsChild), aliased(ProceedingsChild), aliased(Proceedings)
    after_fdac = exists(
        select(earlier.proceedings_id).join(earlier_proceedings, earlier_proceedings.id == earlier.proceedings_id)
        .where(earlier.child_id == new.child_id, earlier.proceedings_id != new.proceedings_id,
               earlier.order_on <= new.joined_on, earlier_proceedings.fdac.is_(True),
               date_num(new.joined_on) - date_num(earlier.order_on) <= RETURN_WINDOW)
    )  # fmt: skip
    fdac_returning = session.scalar(
        select(func.count(distinct(case((after_fdac, new.child_id), else_=None))))
        .join(Proceedings, Proceedings.id == new.proceedings_id)
        .where(new.joined_on >= period.start, new.joined_on <= period.end, la_ids.where(Proceedings.la_id))
    )  # fmt: skip
    return {
        "fdac_orders_by_type": fdac_orders,
        "fdac_children_returning_to_proceedings": fdac_returning,
        "extensions_by_fpl_code": fpl,
        "hearings_per_concluded_proceedings": one_decimal(int(hearings), n),
        "hearings_adjourned_by_party": parties["adjourned"],
        "hearings_vacated_by_party": parties["vacated"],
        "cmh_by_day_18": int(by_18),
        "cmh_by_day_18_pct": pct(int(by_18), n),
        "fdac_proceedings_concluded": int(fdac),
        "fdac_within_26_weeks": int(fdac_within),
        "fdac_mean_weeks": weeks(int(fdac_days), int(fdac)),
    }


EMERGENCY_ENDS = ("accommodate_s20", "issue_proceedings", "return_home", "close_case")


def _emergency_protection(session: Session, la_ids, period: Period) -> dict:
    """Episodes of emergency protection starting in the period and the median days to the next
    step, as `_section_20` measures accommodation (a second emergency protection event within an
    episode, such as an order after police protection, continues it)."""
    start, finish, before = aliased(Event), aliased(Event), aliased(Event)
    continuing = exists(select(before.id).where(
        before.child_id == start.child_id, before.event == "emergency_protection", _after(start, before),
        ~exists(select(finish.id).where(finish.child_id == start.child_id, finish.event.in_(EMERGENCY_ENDS),
                                        _after(finish, before), _after(start, finish))),
    ))  # fmt: skip
    ended = (
        select(func.min(finish.occurred_on))
        .where(finish.child_id == start.child_id, finish.event.in_(EMERGENCY_ENDS), _after(finish, start))
        .scalar_subquery()
    )
    last_day = earlier_of(func.coalesce(ended, literal(period.end)), literal(period.end))
    episodes = (
        select(start.child_id.label("child_id"), days_between(last_day, start.occurred_on).label("days"))
        .where(_events_in(la_ids, "emergency_protection", period, start), ~continuing)
        .subquery()
    )
    count, median = _median_days(session, episodes)
    return {"emergency_protection_episodes": count, "emergency_protection_median_days": median}


def _median_days(session: Session, episodes) -> tuple[int, float | None]:
    """The number of episodes and the median of their days, picked in SQL by window functions."""
    ranked = select(
        episodes.c.days,
        func.row_number().over(order_by=episodes.c.days).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    n, middle_days, middle_n = session.execute(
        select(func.count(), func.sum(case((middle, ranked.c.days), else_=0)), _sum(middle))
    ).one()
    return n, one_decimal(int(middle_days or 0), int(middle_n))


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _national_definitions(session: Session, la_ids, period: Period) -> dict:
    """The MoJ's (per child, to the first substantive disposal) and Cafcass's (per application,
    whole weeks) measures: two histograms of days, a few hundred rows at most."""
    per_child = dict(session.execute(
        select(days_between(ProceedingsChild.order_on, Proceedings.issued_on).label("d"), func.count())
        .join(Proceedings, Proceedings.id == ProceedingsChild.proceedings_id)
        .where(ProceedingsChild.order_on >= period.start, ProceedingsChild.order_on <= period.end,
               la_ids.where(Proceedings.la_id))
        .group_by(literal_column("d"))
    ).all())  # fmt: skip
    n = sum(per_child.values())
    within = sum(c for d, c in per_child.items() if d <= LAST_DAY_OFFSET)
    histogram = [(int(d), False, False, c) for d, c in per_child.items()]
    per_application = dict(session.execute(
        select(_DURATION.label("d"), func.count()).where(_concluded(la_ids, period.start, period.end))
        .group_by(literal_column("d"))
    ).all())  # fmt: skip
    applications = sum(per_application.values())
    bands = {"26_or_less": 0, "27_to_29": 0, "30_or_more": 0}
    for d, c in per_application.items():
        w = _half_up(Decimal(int(d)) / 7)
        bands["26_or_less" if w <= 26 else "27_to_29" if w <= 29 else "30_or_more"] += c
    total_days = sum(int(d) * c for d, c in per_application.items())
    return {
        "moj_children_disposed": n,
        "moj_mean_weeks": weeks(sum(int(d) * c for d, c in per_child.items()), n),
        "moj_median_weeks": _median_weeks(histogram, n),
        "moj_within_26_weeks": within,
        "moj_within_26_weeks_pct": pct(within, n),
        "cafcass_mean_weeks": _half_up(Decimal(total_days) / (7 * applications)) if applications else None,
        "cafcass_weeks_bands": bands,
    }


RETURNS_HOME = ("return_home", "remove_from_accommodation")
CARE_ENTRIES = ("accommodate_s20", "emergency_protection", "issue_proceedings")


def _after_care(session: Session, la_ids, period: Period) -> dict:
    """Returns home, returns that broke down, and children coming back into care after one."""
    home = aliased(Event)
    returned = session.scalar(select(func.count(distinct(Event.child_id))).where(
        Event.la_id.in_(la_ids), Event.event.in_(RETURNS_HOME), Event.occurred_on >= period.start,
        Event.occurred_on <= period.end,
    ))  # fmt: skip
    broke = session.scalar(select(func.count(distinct(Event.child_id))).where(
        _events_in(la_ids, "reunification_review", period), Event.reason == "broke_down",
    ))  # fmt: skip
    earlier_return = exists(select(home.id).where(
        home.child_id == Event.child_id, home.event.in_(RETURNS_HOME), _after(Event, home)
    ))  # fmt: skip
    again = session.scalar(select(func.count(distinct(Event.child_id))).where(
        Event.la_id.in_(la_ids), Event.event.in_(CARE_ENTRIES), Event.occurred_on >= period.start,
        Event.occurred_on <= period.end, earlier_return,
    ))  # fmt: skip
    return {"children_returned_home": returned, "returns_broke_down": broke, "reentered_care_after_return": again}


def _family_network(session: Session, la_ids, period: Period) -> dict:
    """The family network of the children entering proceedings in the period (see the
    definitions above): three aggregates over the party rows and the relationships."""
    new = aliased(ProceedingsChild)
    entering = and_(new.joined_on >= period.start, new.joined_on <= period.end, la_ids.where(Proceedings.la_id))
    parent, other_parent = aliased(ChildRelation), aliased(ChildRelation)
    earlier_party, earlier = aliased(ProceedingsChild), aliased(Proceedings)
    recurrent = exists(
        select(parent.person_id)
        .join(other_parent, other_parent.person_id == parent.person_id)
        .join(earlier_party, earlier_party.child_id == other_parent.child_id)
        .join(earlier, earlier.id == earlier_party.proceedings_id)
        .where(parent.child_id == new.child_id, parent.relationship.in_(codes.PARENTS),
               other_parent.relationship.in_(codes.PARENTS), earlier.issued_on < Proceedings.issued_on)
    )  # fmt: skip

    def children(condition):
        return func.count(distinct(case((condition, new.child_id), else_=None)))

    father, father_pr, assessed, repeat = session.execute(
        select(children(new.father_recorded.is_(True)), children(new.father_has_pr.is_(True)),
               children(new.relative_assessed.is_(True)), children(recurrent))
        .select_from(new).join(Proceedings, Proceedings.id == new.proceedings_id).where(entering)
    ).one()  # fmt: skip
    answers = dict(session.execute(
        select(new.fgc_at_issue, func.count(distinct(new.child_id)))
        .select_from(new).join(Proceedings, Proceedings.id == new.proceedings_id).where(entering)
        .group_by(new.fgc_at_issue)
    ).all())  # fmt: skip

    child = aliased(Child)
    parents_of = (
        select(parent.person_id.label("person_id"), child.family_id.label("family_id"))
        .join(new, new.child_id == parent.child_id).join(Proceedings, Proceedings.id == new.proceedings_id)
        .join(child, child.id == parent.child_id)
        .where(entering, parent.relationship.in_(codes.PARENTS))
        .distinct().subquery()
    )  # fmt: skip

    def with_trait(code: str):
        return exists(select(FamilyPerson.person_id).where(
            FamilyPerson.person_id == parents_of.c.person_id, FamilyPerson.characteristics.like(f"%{code}%")
        ))  # fmt: skip

    def people(condition):
        return func.count(distinct(case((condition, parents_of.c.person_id), else_=None)))

    parents, learning, care = session.execute(
        select(func.count(distinct(parents_of.c.person_id)), people(with_trait("learning_disability")),
               people(with_trait("care_experienced")))
    ).one()  # fmt: skip
    return {
        "entering_proceedings_father_recorded": father,
        "entering_proceedings_father_pr": father_pr,
        "entering_proceedings_relative_assessed": assessed,
        "entering_proceedings_recurrent_parent": repeat,
        "parents_entering_proceedings": parents,
        "parents_learning_disability": int(learning),
        "parents_care_experienced": int(care),
        "fgc_at_issue": {code: answers.get(code, 0) for code in codes.FGC_AT_ISSUE},
    }


# --------------------------------------------------------------------------------------------
# FGC service (issue 13)
# --------------------------------------------------------------------------------------------


def _fgc_service(session: Session, la_ids, period: Period) -> dict:
    """The FGC service's figures for the period (definitions in the README's board section and
    here):

    fgc_offered, fgc_accepted, fgc_referred, fgc_held, fgc_plan_accepted, fgc_reviewed
        The funnel: conferences offered in the period, and of them those accepted, referred to
        the FGC service, held, whose plan the authority accepted, and reviewed, however long
        after the period (as far as each has got so far: so each offer counts in the one period
        it was made in, and the year is the sum of its quarters, as suppression requires).
    fgc_conferences_held, fgc_held_after_referral, fgc_referral_to_conference_median_working_days
        Conferences held in the period; of them those referred to the FGC service first, and the
        median working days (the authority's nation's bank holidays excluded) from referral to
        conference: one row per distinct (nation, referral day, conference day), never per case.
    fgc_private_family_time, fgc_private_family_time_pct
        Of the conferences held in the period, those with private family time recorded as held.
    fgc_outcomes_at_6_months
        The children of conferences whose plan was decided six months before a day in the period
        (the six-month day falls in the period), by where they were that day
        (`fgc_outcomes`): with parents, with relatives or friends, in care, subject of
        proceedings. Worked out by replaying the histories of just those families (the stage on
        a past day is in the history, not the projection).
    fgc_held_before_care, fgc_held_before_care_pct
        Of the children entering care in the period, those whose family had a conference held
        on or before that day (not only offered)."""
    from .models import Family

    fgc = FamilyGroupConference
    in_scope = la_ids.where(Family.la_id)
    end = period.end

    def reached(column):
        return _sum(column.is_not(None))

    offered = and_(fgc.offered_on >= period.start, fgc.offered_on <= end, in_scope)
    n, accepted, referred, held, plan_accepted, reviewed = session.execute(
        select(func.count(fgc.id), reached(fgc.accepted_on), reached(fgc.referred_on), reached(fgc.held_on),
               _sum(fgc.plan_outcome == "accepted"), reached(fgc.reviewed_on))
        .join(Family, Family.id == fgc.family_id).where(offered)
    ).one()  # fmt: skip
    held_in = and_(fgc.held_on >= period.start, fgc.held_on <= end, in_scope)
    conferences, private = session.execute(
        select(func.count(fgc.id), _sum(fgc.private_family_time.is_(True)))
        .join(Family, Family.id == fgc.family_id).where(held_in)
    ).one()
    histogram = session.execute(
        select(LocalAuthority.nation, fgc.referred_on, fgc.held_on, func.count(fgc.id))
        .join(Family, Family.id == fgc.family_id).join(LocalAuthority, LocalAuthority.id == Family.la_id)
        .where(held_in, fgc.referred_on.is_not(None))
        .group_by(LocalAuthority.nation, fgc.referred_on, fgc.held_on)
    ).all()  # fmt: skip
    from .timescales import working_days_between

    durations = sorted((working_days_between(r, h, nation), k) for nation, r, h, k in histogram)
    after_referral = sum(k for _d, k in durations)
    median = None
    if after_referral:
        ordered = [d for d, k in durations for _ in range(k)]
        middle = after_referral // 2
        median = float(ordered[middle]) if after_referral % 2 else one_decimal(ordered[middle - 1] + ordered[middle], 2)
    held_before = exists(select(fgc.id).where(fgc.family_id == Child.family_id, fgc.held_on <= Child.entered_care_on))
    (before_care,) = session.execute(
        select(_sum(held_before)).where(Child.entered_care_on >= period.start, Child.entered_care_on <= end,
                                        la_ids.where(Child.la_id))
    ).one()  # fmt: skip
    return {
        "fgc_offered": n, "fgc_accepted": int(accepted), "fgc_referred": int(referred), "fgc_held": int(held),
        "fgc_plan_accepted": int(plan_accepted), "fgc_reviewed": int(reviewed),
        "fgc_conferences_held": conferences, "fgc_held_after_referral": after_referral,
        "fgc_referral_to_conference_median_working_days": median,
        "fgc_private_family_time": int(private), "fgc_private_family_time_pct": pct(int(private), conferences),
        "fgc_outcomes_at_6_months": _fgc_outcomes(session, la_ids, period),
        "fgc_held_before_care": int(before_care),
        "fgc_held_before_care_pct": None,  # filled in by figures(), beside the other care percentages
    }


def _fgc_outcomes(session: Session, la_ids, period: Period) -> dict:
    from . import fgc_outcomes
    from . import workflow as wf
    from .clock import current_clock
    from .models import Family
    from .services import history_rows, to_event
    from .timescales import add_months

    fgc = FamilyGroupConference
    # Plans decided from six months (and a few days, for month ends) before the period's start.
    earliest = add_months(period.start, -fgc_outcomes.OUTCOME_MONTHS) - timedelta(days=3)
    latest = add_months(period.end, -fgc_outcomes.OUTCOME_MONTHS)
    families = session.execute(
        select(Family.id, LocalAuthority.code, LocalAuthority.nation).join(fgc, fgc.family_id == Family.id)
        .join(LocalAuthority, LocalAuthority.id == Family.la_id)
        .where(fgc.plan_decided_on >= earliest, fgc.plan_decided_on <= latest, la_ids.where(Family.la_id))
        .distinct()
    ).all()  # fmt: skip
    counts = {code: 0 for code in codes.FGC_OUTCOMES_AT_6_MONTHS}
    if not families:
        return counts
    where = {fid: (code, nation) for fid, code, nation in families}
    events: dict[int, list] = defaultdict(list)
    for row in history_rows(session, sorted(where)):
        events[row.family_id].append(to_event(row))
    # Six months on must have passed today: a day still to come has no outcome yet.
    try:
        today = current_clock().today()
    except RuntimeError:  # outside an application (scripts): the system's clock
        from .clock import SystemClock

        today = SystemClock().today()
    ctx = wf.Context(today=today)
    for fid, history in events.items():
        code, nation = where[fid]
        for found in fgc_outcomes.family_outcomes(history, code, nation, ctx):
            if found.outcome and period.start <= found.due_on <= period.end:
                counts[found.outcome] += 1
    return counts


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------


def _without_jit(session: Session) -> None:
    """PostgreSQL compiles queries it thinks costly to machine code (JIT) first; for these
    queries, which run in tens of milliseconds, that compiling alone takes longer (measured
    about 60 ms). SET LOCAL lasts until the end of the transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def figures(session: Session, date_from: date, date_to: date, scope: Scope = Scope()) -> dict:
    """Every figure of the report for the period, plus `adjusted_within_26_weeks` (the count
    behind `adjusted_within_26_weeks_pct`, which the board page needs for suppression)."""
    if date_to < date_from:
        raise ValueError("the period ends before it starts")
    la_ids = scope_la_ids(session, scope)
    _without_jit(session)
    period = Period("custom", date_from, date_to, "")
    counts = _proceedings_stats(session, la_ids, [period]).get(0, {})
    n = counts.get("n", 0)
    result: dict = {
        "proceedings_concluded": n,
        "mean_weeks": weeks(counts.get("days", 0), n),
        "median_weeks": counts.get("median_weeks"),
        "within_26_weeks": counts.get("within", 0),
        "within_26_weeks_pct": pct(counts.get("within", 0), n),
        "extended": counts.get("extended", 0),
        "adjusted_proceedings": counts.get("adjusted", 0),
        "adjusted_within_26_weeks": counts.get("adjusted_within", 0),
        "adjusted_within_26_weeks_pct": pct(counts.get("adjusted_within", 0), counts.get("adjusted", 0)),
    }
    result.update(_proceedings_breakdowns(session, la_ids, period))
    result.update(_entering_care(session, la_ids, period))
    result["fgc_offered_before_care_pct"] = pct(result["fgc_offered_before_care"], result["children_entering_care"])
    result.update(_section_20(session, la_ids, period))
    result.update(_returning(session, la_ids, period))
    result["children_returning_to_proceedings_pct"] = pct(
        result["children_returning_to_proceedings"], result["children_entering_proceedings"]
    )
    result.update(_family_network(session, la_ids, period))
    result.update(_court(session, la_ids, period))
    result.update(_emergency_protection(session, la_ids, period))
    result.update(_national_definitions(session, la_ids, period))
    result.update(_after_care(session, la_ids, period))
    result.update(_fgc_service(session, la_ids, period))  # FGC service (issue 13)
    result["fgc_held_before_care_pct"] = pct(result["fgc_held_before_care"], result["children_entering_care"])
    return {key: result[key] for key in (*KEYS, "adjusted_within_26_weeks")}


def timeliness(session: Session, date_from: date, date_to: date, la_code: str | None = None,
               dfj_area: str | None = None, nation: str | None = None) -> dict:
    """The board report for [date_from, date_to], unsuppressed, with exactly the keys in KEYS.
    For the server operator (CLI) and the benchmark; a board member sees `suppress(...)` of it."""
    full = figures(session, date_from, date_to, Scope(la_code, dfj_area, nation))
    return {key: full[key] for key in KEYS}


TREND_KEYS = ("proceedings_concluded", "mean_weeks", "median_weeks", "within_26_weeks", "within_26_weeks_pct",
              "adjusted_proceedings", "adjusted_within_26_weeks", "adjusted_within_26_weeks_pct")  # fmt: skip


def quarterly_trend(session: Session, quarters: list[Period], scope: Scope = Scope()) -> list[dict]:
    """Duration and the 26-week share (raw and adjusted) for each of `quarters` (consecutive)."""
    la_ids = scope_la_ids(session, scope)
    _without_jit(session)
    counts = _proceedings_stats(session, la_ids, quarters)
    rows = []
    for i, q in enumerate(quarters):
        c = counts.get(i, {"n": 0, "days": 0, "within": 0, "adjusted": 0, "adjusted_within": 0, "median_weeks": None})
        rows.append({
            "period": q,
            "proceedings_concluded": c["n"],
            "mean_weeks": weeks(c["days"], c["n"]),
            "median_weeks": c["median_weeks"],
            "within_26_weeks": c["within"],
            "within_26_weeks_pct": pct(c["within"], c["n"]),
            "adjusted_proceedings": c["adjusted"],
            "adjusted_within_26_weeks": c["adjusted_within"],
            "adjusted_within_26_weeks_pct": pct(c["adjusted_within"], c["adjusted"]),
        })  # fmt: skip
    return rows


# --------------------------------------------------------------------------------------------
# Output for the operator: JSON and CSV rows
# --------------------------------------------------------------------------------------------


def flat_rows(report: dict) -> Iterable[tuple[str, object]]:
    """(figure, value) pairs; a breakdown gives one row per code, named "key.code"."""
    for key, value in report.items():
        if isinstance(value, dict):
            for code, n in value.items():
                yield f"{key}.{code}", n
        else:
            yield key, value


# --------------------------------------------------------------------------------------------
# Suppression: what a board member may see
# --------------------------------------------------------------------------------------------

FEWER_THAN_5 = "fewer than 5"
WITHHELD = "withheld"

SUPPRESSION_RULE = (
    "Counts from 1 to 4 are shown as \u201cfewer than 5\u201d, so that no child or family can be "
    "recognised. Where a small count could still be worked out by subtraction (a total minus the "
    "other parts of it, such as proceedings concluded minus those finished within 26 weeks, or a "
    "breakdown with one hidden row), we also withhold the next smallest count in that sum, shown as "
    "\u201cwithheld\u201d. A percentage is withheld when its count or its total is hidden, and an "
    "average (mean or median) is withheld when it is over fewer than 5 proceedings or children, "
    "or their number is hidden. Zero is shown as 0."
)

Cell = tuple  # (group, name): group "main" for the period, a quarter's key for the trend


def protect(values: dict, equations: list[tuple[object, list]], hidden: Iterable = ()) -> set:
    """The shown cells to suppress. `values` maps every cell to its count; each equation
    (total, parts) says total = sum(parts). `hidden` cells are not on the page (remainders such
    as "concluded but not within 26 weeks", totals such as all extensions) but a reader can work
    them out, so they are protected like any other.

    Primary: every shown cell from 1 to 4. Secondary: work out everything a reader could, by
    solving any sum with exactly one unknown; while that reveals a count from 1 to 4, withhold
    the smallest non-zero shown figure the revealing sum used (or one it used in turn). Then
    the same for any combination of sums (exact linear algebra: a table minus its margins can
    fix a cell that no single sum does), withholding the smallest shown figure next to it."""
    hidden = set(hidden)
    shown = [cell for cell in values if cell not in hidden]
    suppressed = {cell for cell in shown if values[cell] in SMALL}
    by_cell: dict | None = None
    while True:
        derived_by = _derivable(equations, [cell for cell in shown if cell not in suppressed])
        leak = next((cell for cell in derived_by if values[cell] in SMALL), None)
        if leak is not None:
            suppressed.add(_to_withhold(leak, derived_by, values, hidden, suppressed))
            continue
        # Sums with one unknown are not all a reader can do: subtracting one sum from another
        # (a table and its margins) can fix a cell no single sum does. Solve exactly.
        fixed = _fixed_by_any_combination(equations, suppressed | hidden)
        leak = min((cell for cell in fixed if values[cell] in SMALL), key=str, default=None)
        if leak is None:
            return suppressed
        if by_cell is None:
            by_cell = defaultdict(list)
            for total, parts in equations:
                for member in (total, *parts):
                    by_cell[member].append((total, *parts))
        suppressed.add(_neighbour_to_withhold(leak, by_cell, values, hidden, suppressed))


def _fixed_by_any_combination(equations, unknown: set) -> set:
    """The unknown cells that the sums fix, whatever the other unknowns: reduced row echelon
    form over the rationals of the sums restricted to the unknowns; a cell is fixed when its
    pivot row holds nothing else."""
    pivots: dict = {}
    holders: dict = defaultdict(set)  # cell -> pivots whose rows mention it
    for total, parts in equations:
        row: dict = {}
        for cell, sign in ((total, 1), *((p, -1) for p in parts)):
            if cell in unknown:
                row[cell] = row.get(cell, 0) + sign
        row = {c: Fraction(v) for c, v in row.items() if v}
        for cell in [c for c in row if c in pivots]:
            factor = row.get(cell)
            if factor:
                for other, coefficient in pivots[cell].items():
                    row[other] = row.get(other, 0) - factor * coefficient
                row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        lead_cell = min(row, key=str)
        lead = row[lead_cell]
        row = {c: v / lead for c, v in row.items()}
        for pivot in list(holders.get(lead_cell, ())):
            other = pivots[pivot]
            factor = other.get(lead_cell)
            if not factor:
                continue
            for cell, coefficient in row.items():
                other[cell] = other.get(cell, 0) - factor * coefficient
                holders[cell].add(pivot)
            pivots[pivot] = {c: v for c, v in other.items() if v}
        for cell in row:
            holders[cell].add(lead_cell)
        pivots[lead_cell] = row
    return {cell for cell, row in pivots.items() if len(row) == 1}


def _neighbour_to_withhold(cell, by_cell: dict, values: dict, hidden: set, suppressed: set):
    """The smallest non-zero shown figure in a sum with `cell` (or, if none, in a sum with those
    sums' unknowns, and so on outwards)."""
    frontier, seen = [cell], {cell}
    while frontier:
        candidates, further = [], []
        for current in frontier:
            for equation in by_cell.get(current, ()):
                for member in equation:
                    if member in seen:
                        continue
                    seen.add(member)
                    if member in hidden or member in suppressed:
                        further.append(member)
                    else:
                        candidates.append(member)
        pool = [m for m in candidates if values[m] > 0] or candidates
        if pool:
            return min(pool, key=lambda m: (values[m], str(m)))
        frontier = further
    raise AssertionError(f"{cell} is fixed by nothing shown")  # cannot happen


def _derivable(equations, visible: list) -> dict:
    """Cells a reader can work out from the visible ones, each with the sum that gives it."""
    known = set(visible)
    derived_by: dict = {}
    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            members = [total, *parts]
            unknown = [m for m in members if m not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                derived_by[unknown[0]] = members
                changed = True
    return derived_by


def _to_withhold(cell, derived_by: dict, values: dict, hidden: set, suppressed: set):
    """A shown figure whose withholding stops `cell` being worked out (nearest sums first)."""
    frontier, seen = [cell], {cell}
    while frontier:
        candidates, further = [], []
        for current in frontier:
            for member in derived_by.get(current, ()):
                if member in seen:
                    continue
                seen.add(member)
                if member in hidden or member in derived_by:
                    further.append(member)
                if member not in hidden and member not in suppressed:
                    candidates.append(member)
        pool = [m for m in candidates if values[m] > 0] or candidates
        if pool:
            return min(pool, key=lambda m: (values[m], str(m)))
        frontier = further
    raise AssertionError(f"{cell} is derivable from nothing shown")  # cannot happen


_PERCENTAGES = {
    "within_26_weeks_pct": ("within_26_weeks", "proceedings_concluded"),
    "adjusted_within_26_weeks_pct": ("adjusted_within_26_weeks", "adjusted_proceedings"),
    "fgc_offered_before_care_pct": ("fgc_offered_before_care", "children_entering_care"),
    "children_returning_to_proceedings_pct": ("children_returning_to_proceedings", "children_entering_proceedings"),
    "cmh_by_day_18_pct": ("cmh_by_day_18", "proceedings_concluded"),
    "moj_within_26_weeks_pct": ("moj_within_26_weeks", "moj_children_disposed"),
    # FGC service (issue 13).
    "fgc_private_family_time_pct": ("fgc_private_family_time", "fgc_conferences_held"),
    "fgc_held_before_care_pct": ("fgc_held_before_care", "children_entering_care"),
}
_AVERAGES = {"mean_weeks": "proceedings_concluded", "median_weeks": "proceedings_concluded",
             "section_20_median_days": "section_20_accommodated",
             "hearings_per_concluded_proceedings": "proceedings_concluded",
             "fdac_mean_weeks": "fdac_proceedings_concluded",
             "emergency_protection_median_days": "emergency_protection_episodes",
             "moj_mean_weeks": "moj_children_disposed", "moj_median_weeks": "moj_children_disposed",
             "cafcass_mean_weeks": "proceedings_concluded",
             # FGC service (issue 13).
             "fgc_referral_to_conference_median_working_days": "fgc_held_after_referral"}  # fmt: skip
# FGC service (issue 13): its (total, part) pairs, appended to _PARTS.
FGC_PARTS = (
    ("fgc_offered", "fgc_accepted"), ("fgc_offered", "fgc_referred"), ("fgc_offered", "fgc_held"),
    ("fgc_offered", "fgc_plan_accepted"), ("fgc_offered", "fgc_reviewed"), ("fgc_accepted", "fgc_referred"),
    ("fgc_held", "fgc_plan_accepted"), ("fgc_held", "fgc_reviewed"),
    ("fgc_conferences_held", "fgc_held_after_referral"), ("fgc_conferences_held", "fgc_private_family_time"),
    ("children_entering_care", "fgc_held_before_care"), ("fgc_offered_before_care", "fgc_held_before_care"),
)
# (total, part) pairs: the part, and the remainder (total - part), are both protected.
_PARTS = (
    ("proceedings_concluded", "within_26_weeks"),
    ("proceedings_concluded", "extended"),
    ("proceedings_concluded", "adjusted_proceedings"),
    ("adjusted_proceedings", "adjusted_within_26_weeks"),
    ("within_26_weeks", "adjusted_within_26_weeks"),
    ("children_entering_care", "fgc_offered_before_care"),
    ("children_entering_care", "emergency_entries"),
    ("children_entering_proceedings", "children_returning_to_proceedings"),
    ("children_entering_proceedings", "entering_proceedings_father_recorded"),
    ("children_entering_proceedings", "entering_proceedings_father_pr"),
    ("entering_proceedings_father_recorded", "entering_proceedings_father_pr"),
    ("children_entering_proceedings", "entering_proceedings_relative_assessed"),
    ("children_entering_proceedings", "entering_proceedings_recurrent_parent"),
    ("parents_entering_proceedings", "parents_learning_disability"),
    ("parents_entering_proceedings", "parents_care_experienced"),
    ("proceedings_concluded", "cmh_by_day_18"),
    ("proceedings_concluded", "fdac_proceedings_concluded"),
    ("fdac_proceedings_concluded", "fdac_within_26_weeks"),
    ("within_26_weeks", "fdac_within_26_weeks"),
    ("moj_children_disposed", "moj_within_26_weeks"),
    ("children_returning_to_proceedings", "fdac_children_returning_to_proceedings"),
    # FGC service (issue 13).
    *FGC_PARTS,
)
_TREND_COUNTS = ("proceedings_concluded", "within_26_weeks", "adjusted_proceedings", "adjusted_within_26_weeks")


def _add_parts(group, figures: dict, values: dict, equations: list, hidden: set, pairs) -> None:
    for total, part in pairs:
        if total not in figures or part not in figures:
            continue
        rest = (group, f"{total} - {part}")
        values[rest] = figures[total] - figures[part]
        hidden.add(rest)
        equations.append(((group, total), [(group, part), rest]))


def _report_cells(group: str, report: dict, values: dict, equations: list, hidden: set) -> None:
    """The cells and sums of one period's figures for one scope (`report`, from `figures`)."""
    for key, value in report.items():
        if key == "period":
            continue
        if isinstance(value, dict):
            for code, n in value.items():
                values[(group, f"{key}.{code}")] = n
        elif key not in _PERCENTAGES and key not in _AVERAGES:
            values[(group, key)] = value
    _add_parts(group, report, values, equations, hidden, _PARTS)
    # Breakdowns: each list adds up to a total that other figures reveal.
    if "extensions_by_category" in report:
        values[(group, "extensions:total")] = sum(report["extensions_by_category"].values())
        hidden.add((group, "extensions:total"))
        equations.append(((group, "extensions:total"),
                          [(group, f"extensions_by_category.{c}") for c in report["extensions_by_category"]]))
        for category in report["extensions_by_category"]:
            reasons = [r for r, (_label, cat) in codes.EXTENSION_REASONS.items() if cat == category]
            equations.append(((group, f"extensions_by_category.{category}"),
                              [(group, f"extensions_by_reason.{r}") for r in reasons]))  # fmt: skip
    if "orders_by_type" in report:
        values[(group, "parties:total")] = sum(report["orders_by_type"].values())
        hidden.add((group, "parties:total"))
        for key in ("orders_by_type", "concluded_children_by_ethnicity_group", "concluded_children_by_age_band"):
            equations.append(((group, "parties:total"), [(group, f"{key}.{c}") for c in report[key]]))
    if "extensions_by_fpl_code" in report and "extensions_by_category" in report:
        equations.append(((group, "extensions:total"),
                          [(group, f"extensions_by_fpl_code.{c}") for c in report["extensions_by_fpl_code"]]))
    if "cafcass_weeks_bands" in report and "proceedings_concluded" in report:
        equations.append(((group, "proceedings_concluded"),
                          [(group, f"cafcass_weeks_bands.{b}") for b in report["cafcass_weeks_bands"]]))
    if "fgc_at_issue" in report and "children_entering_proceedings" in report:
        # Each child entering proceedings has one answer (a child entering twice in the period may
        # have two, when the sum exceeds the total and gives nothing away).
        equations.append(((group, "children_entering_proceedings"),
                          [(group, f"fgc_at_issue.{c}") for c in report["fgc_at_issue"]]))


def suppression_cells(report: dict, trend: list[dict] = (), in_period: Iterable[str] = ()) -> tuple:
    """The cells, equations and hidden cells of a board page: the period's figures (`report`,
    from `figures`), the quarterly trend rows, and which trend quarters (keys) make up the period."""
    values, equations, hidden = {}, [], set()
    _report_cells("main", report, values, equations, hidden)
    in_period = list(in_period)
    for row in trend:
        group = row["period"].key
        for key in _TREND_COUNTS:
            values[(group, key)] = row[key]
        _add_parts(group, row, values, equations, hidden, _PARTS[:5])
    if in_period:
        for key in _TREND_COUNTS:
            equations.append((("main", key), [(q, key) for q in in_period]))
    return values, equations, hidden


def _display(group: str, figures: dict, suppressed: set) -> dict:
    shown = {}
    for key, value in figures.items():
        if key == "period":
            shown[key] = value
        elif isinstance(value, dict):
            shown[key] = {code: _count((group, f"{key}.{code}"), n, suppressed) for code, n in value.items()}
        elif key in _PERCENTAGES:
            numerator, denominator = _PERCENTAGES[key]
            hide = (group, numerator) in suppressed or (group, denominator) in suppressed
            shown[key] = WITHHELD if hide and value is not None else value
        elif key in _AVERAGES:
            count = figures[_AVERAGES[key]]
            hide = (group, _AVERAGES[key]) in suppressed or 0 < count < 5
            shown[key] = WITHHELD if hide and value is not None else value
        else:
            shown[key] = _count((group, key), value, suppressed)
    return shown


def _count(cell, value: int, suppressed: set):
    if cell not in suppressed:
        return value
    return FEWER_THAN_5 if value in SMALL else WITHHELD


def suppress(report: dict, trend: list[dict] = (), in_period: Iterable[str] = ()) -> tuple[dict, list[dict]]:
    """What a board member sees: the period's figures and the trend rows with small counts, and
    anything that would reveal them, replaced by FEWER_THAN_5 or WITHHELD (see SUPPRESSION_RULE)."""
    values, equations, hidden = suppression_cells(report, trend, in_period)
    suppressed = protect(values, equations, hidden)
    return (_display("main", report, suppressed),
            [_display(row["period"].key, row, suppressed) for row in trend])  # fmt: skip


# --------------------------------------------------------------------------------------------
# Suppression that holds across pages: one decision per figure, whichever page shows it
# --------------------------------------------------------------------------------------------
#
# A board member can open the page (and CSV) for their designated family judge area and for each
# authority in it, for a financial year and for each of its quarters, and each page shows a
# trend of quarters. Suppressing each page on its own leaves sums across pages: the area minus
# the other authorities, the year minus its other quarters. So the figures of one area and one
# financial year form a block: every period (the year and its four quarters) for every scope
# (the area and each authority), with the sums inside each page plus area = sum of authorities
# and year = sum of quarters for every count, suppressed together by `protect`. Every page takes
# its decisions from the blocks of the years it shows, so a figure is shown, or not, the same
# way wherever it appears.


def group_key(period_key: str, scope_key: str) -> str:
    return f"{period_key}|{scope_key}"


def area_block(session: Session, dfj_area: str, year: int) -> tuple[set, dict]:
    """(suppressed cells, reports by group) for designated family judge area `dfj_area` and the
    financial year starting in April `year`. Groups are "period key|scope key", scope keys
    "dfj:<area>" or "la:<code>"."""
    fy = financial_year(year)
    periods = [fy, *quarters_in(fy)]
    la_codes = session.scalars(
        select(LocalAuthority.code).where(LocalAuthority.dfj_area == dfj_area).order_by(LocalAuthority.code)
    ).all()  # fmt: skip
    scopes = [(f"dfj:{dfj_area}", Scope(dfj_area=dfj_area))] + [(f"la:{c}", Scope(la_code=c)) for c in la_codes]
    # The comparisons on the same page (issue 14): the area's nation, and England and Wales.
    compared = [(key, scope) for key, _label, scope in comparison_scopes(session, dfj_area)]
    values, equations, hidden, by_group = {}, [], set(), {}
    for period in periods:
        for scope_key, scope in [*scopes, *compared]:
            group = group_key(period.key, scope_key)
            by_group[group] = figures(session, period.start, period.end, scope)
            _report_cells(group, by_group[group], values, equations, hidden)
    area_key = scopes[0][0]
    names = [name for (group, name) in values if group == group_key(fy.key, area_key)]
    for name in names:
        if len(scopes) > 1:  # the area is the sum of its authorities, in every period
            for period in periods:
                equations.append(((group_key(period.key, area_key), name),
                                  [(group_key(period.key, k), name) for k, _s in scopes[1:]]))  # fmt: skip
        for scope_key, _scope in [*scopes, *compared]:  # the year is the sum of its quarters, in every scope
            equations.append(((group_key(fy.key, scope_key), name),
                              [(group_key(q.key, scope_key), name) for q in periods[1:]]))  # fmt: skip
        # A comparison is the area plus everyone else, whom the reader does not see: the rest
        # of the nation, and the other nation of England and Wales, are protected unknowns.
        inner = area_key
        for outer, _scope in compared:
            for period in periods:
                total, part = group_key(period.key, outer), group_key(period.key, inner)
                if (total, name) not in values or (part, name) not in values:
                    continue
                rest = (group_key(period.key, f"rest:{outer}"), name)
                values[rest] = values[(total, name)] - values[(part, name)]
                hidden.add(rest)
                equations.append(((total, name), [(part, name), rest]))
            inner = outer
    return protect(values, equations, hidden), by_group


def comparison_scopes(session: Session, dfj_area: str) -> list[tuple[str, str, "Scope"]]:
    """(scope key, label, scope) of what an area is compared with: its nation (when its
    authorities are all in one), then England and Wales together."""
    nations = sorted(set(session.scalars(select(LocalAuthority.nation).where(LocalAuthority.dfj_area == dfj_area))))
    found = [(f"nation:{n}", codes.NATIONS[n], Scope(nation=n)) for n in nations if len(nations) == 1]
    return found + [("all", "England and Wales", Scope())]


def comparison(session: Session, dfj_area: str, period: Period, blocks: dict | None = None) -> list[tuple]:
    """(scope key, label, figures as shown) for the area, each of its authorities, its nation
    and England and Wales, for a year or a quarter, under the area's block's suppression."""
    blocks = {} if blocks is None else blocks
    year = financial_year_of(period.start)
    key = (dfj_area, year, area_data_version(session, dfj_area))
    if key not in blocks:
        while len(blocks) >= 64:
            blocks.pop(next(iter(blocks)))
        blocks[key] = area_block(session, dfj_area, year)
    suppressed, by_group = blocks[key]
    la = session.execute(
        select(LocalAuthority.code, LocalAuthority.name).where(LocalAuthority.dfj_area == dfj_area)
        .order_by(LocalAuthority.code)
    ).all()  # fmt: skip
    columns = [(f"dfj:{dfj_area}", dfj_area)] + [(f"la:{code}", name) for code, name in la]
    columns += [(k, label) for k, label, _scope in comparison_scopes(session, dfj_area)]
    return [(k, label, _display(group_key(period.key, k), by_group[group_key(period.key, k)], suppressed))
            for k, label in columns]


def area_data_version(session: Session, dfj_area: str) -> tuple:
    """Changes whenever the area's figures can: its authorities, and the number and the last id
    of their events (the history is append-only and every figure is worked out from it)."""
    la_ids = tuple(session.scalars(
        select(LocalAuthority.id).where(LocalAuthority.dfj_area == dfj_area).order_by(LocalAuthority.id)
    ))  # fmt: skip
    count, last = session.execute(
        select(func.count(Event.id), func.max(Event.id)).where(Event.la_id.in_(la_ids))
    ).one()  # fmt: skip
    return la_ids, count, last


def suppress_in_area(session: Session, dfj_area: str, scope_key: str, period: Period, report: dict,
                     trend: list[dict], blocks: dict | None = None) -> tuple[dict, list[dict]]:
    """What a board member sees on the page for `period` and scope `scope_key` ("dfj:<area>" or
    "la:<code>", an authority in `dfj_area`), with the decisions of the area's blocks for every
    year the page shows. `blocks` keeps blocks by (area, year, data version): the same decisions
    until something is recorded for the area (the board view keeps one per application)."""
    blocks = {} if blocks is None else blocks
    version = area_data_version(session, dfj_area)
    years = {financial_year_of(period.start)} | {financial_year_of(row["period"].start) for row in trend}
    suppressed: set = set()
    for year in sorted(years):
        key = (dfj_area, year, version)
        if key not in blocks:
            while len(blocks) >= 64:  # a few areas and years per worker: forget the oldest
                blocks.pop(next(iter(blocks)))
            blocks[key] = area_block(session, dfj_area, year)
        suppressed |= blocks[key][0]
    return (_display(group_key(period.key, scope_key), report, suppressed),
            [_display(group_key(row["period"].key, scope_key), row, suppressed) for row in trend])  # fmt: skip
