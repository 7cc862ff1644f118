"""Report definitions at their boundaries (issue 18: tests that fail when the law is coded wrong).

A child's age band is their age on the day proceedings are issued: on their first, fifth, tenth and
sixteenth birthday they are in the older band, the day before in the younger one. Averages over
fewer than five proceedings are withheld from a board member. Pure tests, no database.
"""
from __future__ import annotations

from datetime import date

import pytest

from pathway.reports import FEWER_THAN_5, WITHHELD, suppress
from pathway.reports.definitions import age_band, date_number, one_decimal, pct, weeks

from test_reports_suppression import report

BORN = date(2012, 6, 15)


@pytest.mark.parametrize(("years", "younger", "older"), [
    (1, "under_1", "1_4"), (5, "1_4", "5_9"), (10, "5_9", "10_15"), (16, "10_15", "16_plus"),
])
def test_a_child_moves_into_the_older_age_band_on_the_birthday_itself(years, younger, older):
    birthday = date(BORN.year + years, BORN.month, BORN.day)
    assert age_band(BORN, date(birthday.year, 6, 14)) == younger  # the day before the birthday
    assert age_band(BORN, birthday) == older
    assert age_band(BORN, date(birthday.year, 6, 16)) == older


def test_a_child_born_on_29_february_has_their_birthday_on_1_march_in_other_years():
    leapling = date(2020, 2, 29)
    assert age_band(leapling, date(2021, 2, 28)) == "under_1"
    assert age_band(leapling, date(2021, 3, 1)) == "1_4"
    assert age_band(leapling, date(2036, 2, 28)) == "10_15"
    assert age_band(leapling, date(2036, 2, 29)) == "16_plus"


def test_an_unborn_baby_or_a_newborn_is_under_1():
    assert age_band(BORN, date(2012, 6, 1)) == "under_1"
    assert age_band(BORN, BORN) == "under_1"
    assert age_band(BORN, date(2060, 1, 1)) == "16_plus"


def test_date_numbers_compare_calendar_anniversaries():
    assert date_number(date(2026, 4, 1)) == 20260401
    assert date_number(date(2026, 12, 31)) - date_number(date(2025, 12, 31)) == 10000


def test_percentages_and_means_have_one_decimal_place_with_halves_rounded_up():
    assert one_decimal(1, 8) == 0.1  # 0.125
    assert one_decimal(3, 8) == 0.4  # 0.375
    assert one_decimal(1, 20) == 0.1  # 0.05, a half, rounds up
    assert one_decimal(0, 5) == 0.0
    assert one_decimal(0, 0) is None and one_decimal(3, 0) is None
    assert pct(1, 3) == 33.3 and pct(2, 3) == 66.7 and pct(0, 3) == 0.0 and pct(1, 0) is None
    assert weeks(70, 2) == 5.0  # two durations of 35 days: 5 weeks each on average
    assert weeks(15, 2) == 1.1  # 7.5 days, 1.07 weeks
    assert weeks(0, 0) is None and weeks(0, 1) == 0.0


@pytest.mark.parametrize(("concluded", "shown_average"), [(4, False), (5, True), (6, True)])
def test_the_average_length_of_proceedings_is_shown_from_five_concluded(concluded, shown_average):
    shown, _ = suppress(report(proceedings_concluded=concluded, adjusted_proceedings=concluded,
                               within_26_weeks=0, within_26_weeks_pct=0.0,
                               mean_weeks=30.1, median_weeks=29.0))
    if shown_average:
        assert (shown["mean_weeks"], shown["median_weeks"]) == (30.1, 29.0)
        assert shown["proceedings_concluded"] == concluded
    else:
        assert shown["mean_weeks"] == WITHHELD and shown["median_weeks"] == WITHHELD
        assert shown["proceedings_concluded"] == FEWER_THAN_5


def test_the_median_length_of_section_20_is_withheld_for_four_children_and_shown_for_five():
    shown, _ = suppress(report(section_20_accommodated=4, section_20_median_days=40))
    assert shown["section_20_median_days"] == WITHHELD
    shown, _ = suppress(report(section_20_accommodated=5, section_20_median_days=40))
    assert shown["section_20_median_days"] == 40
