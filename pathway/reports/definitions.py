"""The report's definitions, its keys and code lists, and the arithmetic of its figures.

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

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .. import codes
from ..messages import N_

SMALL = range(1, 5)  # counts from 1 to 4 are never shown to a board member

AGE_BANDS = {
    "under_1": N_("Under 1"),
    "1_4": N_("1 to 4"),
    "5_9": N_("5 to 9"),
    "10_15": N_("10 to 15"),
    "16_plus": N_("16 and over"),
}
# Upper bounds (exclusive) of each band as a difference of YYYYMMDD numbers: see `age_band`.
_AGE_BAND_LIMITS = (("under_1", 10000), ("1_4", 50000), ("5_9", 100000), ("10_15", 160000))

S20_ENDS = ("emergency_protection", "issue_proceedings", "return_home", "remove_from_accommodation", "close_case")
EMERGENCY_ENDS = ("accommodate_s20", "issue_proceedings", "return_home", "close_case")
RETURNS_HOME = ("return_home", "remove_from_accommodation")
CARE_ENTRIES = ("accommodate_s20", "emergency_protection", "issue_proceedings")
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
