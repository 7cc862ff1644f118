"""Board report figures on small hand-built histories (issue 5).

Every history goes through the real pathway (conftest.record -> services.record_steps). The
expected answer of each figure is worked out in the comments. The period is the financial year
April 2025 to March 2026 unless a test says otherwise.
"""
from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import add_la, opened, record, step

from pathway import reports
from pathway.reports import timeliness

FY_START, FY_END = date(2025, 4, 1), date(2026, 3, 31)


def care_application(family, child, issued, proceedings, fgc=None, letter=None, dob=date(2015, 5, 1),
                     ethnicity="WBRI", opened_on=None):
    """Open a child's case, offer an FGC, send the letter, issue: the ordinary route to court."""
    opened_on = opened_on or date(issued.year - 1, 1, 6)
    return [
        opened(child, opened_on, family, dob=dob, ethnicity=ethnicity),
        step("offer_fgc", fgc or opened_on, family),
        step("send_letter_before_proceedings", letter or opened_on, family),
        step("issue_proceedings", issued, family, child, proceedings_ref=proceedings),
    ]


def order(family, child, day, proceedings, order_type="care_order"):
    return step("final_order", day, family, child, proceedings_ref=proceedings, order_type=order_type)


def recorded(session, la, steps):
    outcome = record(session, la, steps)
    assert outcome.ok, [e.message for e in outcome.errors]


@pytest.fixture
def proceedings_history(session, england):
    """Eight sets of proceedings around the financial year 2025-26.

    P1 issued 3 Feb 2025, order 3 Aug 2025: day 181 after issue (issue + 181): within 26 weeks.
    P2 issued 3 Feb 2025, order 4 Aug 2025: 182 days: NOT within (one day late).
    P3 siblings C1, C2 issued 2 Dec 2024; C1's order 12 Mar 2025 (day 100, before the period),
       C2's 20 Jun 2025 (200 days): concluded 20 Jun 2025, in the period, NOT within.
    P4 issued 7 Apr 2025 (26 weeks end 5 Oct 2025); a 4-week complexity extension (parenting
       assessment) granted 20 Oct 2025, after that deadline; order 10 Nov 2025: 217 days, NOT within.
    P5 issued 5 May 2025; a 6-week system extension (court listing) 1 Oct 2025; order 3 Nov
       2025: 182 days, NOT within.
    P6 issued 6 Oct 2025, order 1 Apr 2026: the day after the period: not counted.
    P7 issued 1 Oct 2025, order 31 Mar 2026, the period's last day: 181 days, within.
    P8 issued 2 Sep 2024, order 31 Mar 2025, the day before the period: not counted.
    """
    steps = [
        *care_application("F1", "A1", date(2025, 2, 3), "P1", dob=date(2025, 2, 3), opened_on=date(2024, 9, 2)),
        order("F1", "A1", date(2025, 8, 3), "P1", "care_order"),
        *care_application("F2", "B1", date(2025, 2, 3), "P2", dob=date(2024, 2, 4), ethnicity="BAFR"),
        order("F2", "B1", date(2025, 8, 4), "P2", "supervision_order"),
        opened("C1", date(2024, 1, 8), "F3", dob=date(2008, 12, 2), ethnicity="MWBC"),
        opened("C2", date(2024, 1, 8), "F3", dob=date(2008, 12, 3), ethnicity="APKN"),
        step("offer_fgc", date(2024, 1, 9), "F3"),
        step("send_letter_before_proceedings", date(2024, 1, 10), "F3"),
        step("issue_proceedings", date(2024, 12, 2), "F3", "C1", proceedings_ref="P3"),
        step("issue_proceedings", date(2024, 12, 2), "F3", "C2", proceedings_ref="P3"),
        order("F3", "C1", date(2025, 3, 12), "P3", "sgo"),
        order("F3", "C2", date(2025, 6, 20), "P3", "care_order"),
        *care_application("F4", "D1", date(2025, 4, 7), "P4", dob=date(2020, 4, 7), ethnicity="NOBT"),
        step("extend_timetable", date(2025, 10, 20), "F4", proceedings_ref="P4", weeks=4,
             reason="parenting_assessment"),
        order("F4", "D1", date(2025, 11, 10), "P4", "placement_order"),
        *care_application("F5", "E1", date(2025, 5, 5), "P5", dob=date(2020, 5, 6)),
        step("extend_timetable", date(2025, 10, 1), "F5", proceedings_ref="P5", weeks=6, reason="court_listing"),
        order("F5", "E1", date(2025, 11, 3), "P5", "child_arrangements_order"),
        *care_application("F6", "G1", date(2025, 10, 6), "P6"),
        order("F6", "G1", date(2026, 4, 1), "P6"),
        *care_application("F7", "H1", date(2025, 10, 1), "P7", dob=date(2009, 10, 1)),
        order("F7", "H1", date(2026, 3, 31), "P7", "no_order"),
        *care_application("F8", "J1", date(2024, 9, 2), "P8"),
        order("F8", "J1", date(2025, 3, 31), "P8"),
    ]
    recorded(session, england, steps)
    return england


def test_concluded_proceedings_and_the_26_week_boundary(session, proceedings_history):
    report = timeliness(session, FY_START, FY_END)
    # Concluded in the period: P1, P2, P3 (the later sibling's order), P4, P5, P7 = 6.
    assert report["proceedings_concluded"] == 6
    # Days: P1 181, P2 182, P3 200, P4 217, P5 182, P7 181; total 1143.
    # Mean 1143 / 6 / 7 = 27.214... -> 27.2 weeks.
    assert report["mean_weeks"] == 27.2
    # Sorted 181, 181, 182, 182, 200, 217: the middle two are 182 and 182 -> 26.0 weeks.
    assert report["median_weeks"] == 26.0
    # Within (day 181 or earlier): P1 and P7 only; P2 and P5 (day 182) are not. 2 / 6 = 33.3%.
    assert report["within_26_weeks"] == 2
    assert report["within_26_weeks_pct"] == 33.3


def test_extensions_and_the_adjusted_measure(session, proceedings_history):
    report = timeliness(session, FY_START, FY_END)
    # P4 (complexity, granted after its 26 weeks had run out) and P5 (system) were extended.
    assert report["extended"] == 2
    assert report["extensions_by_reason"]["parenting_assessment"] == 1
    assert report["extensions_by_reason"]["court_listing"] == 1
    assert sum(report["extensions_by_reason"].values()) == 2
    assert report["extensions_by_category"] == {"complexity": 1, "non_compliance": 0, "system": 1, "other": 0}
    # Adjusted: all but P4 (complexity) = P1, P2, P3, P5, P7 = 5, of which P1, P7 within: 40.0%.
    # P5 stays in: a court-listing extension is delay, not complexity.
    assert report["adjusted_proceedings"] == 5
    assert report["adjusted_within_26_weeks_pct"] == 40.0


def test_orders_of_the_children_in_concluded_proceedings(session, proceedings_history):
    report = timeliness(session, FY_START, FY_END)
    # A1 care, B1 supervision, C1 sgo (made in March 2025, but its proceedings concluded in the
    # period with C2's order), C2 care, D1 placement, E1 child arrangements, H1 no order.
    assert report["orders_by_type"] == {
        "care_order": 2, "care_order_at_home": 0, "supervision_order": 1, "sgo": 1,
        "sgo_with_supervision": 0, "placement_order": 1, "child_arrangements_order": 1,
        "no_order": 1, "withdrawn": 0,
    }  # fmt: skip


def test_breakdowns_by_ethnicity_group_and_age_band(session, proceedings_history):
    report = timeliness(session, FY_START, FY_END)
    # Children of the 6 concluded proceedings (7 children): A1 WBRI, B1 BAFR, C1 MWBC, C2 APKN,
    # D1 NOBT, E1 WBRI, H1 WBRI.
    assert report["concluded_children_by_ethnicity_group"] == {
        "white": 3, "mixed": 1, "asian": 1, "black": 1, "other": 0, "not_known": 1,
    }  # fmt: skip
    # Age on the day of issue: A1 born on the issue day (0: under 1); B1 born 4 Feb 2024, issued
    # 3 Feb 2025, one day before the first birthday (under 1); C1 born 2 Dec 2008, issued on the
    # 16th birthday (16+); C2 born a day later (15: 10-15); D1 issued on the 5th birthday (5-9);
    # E1 born 6 May 2020, issued 5 May 2025, the day before the 5th birthday (1-4);
    # H1 issued on the 16th birthday (16+).
    assert report["concluded_children_by_age_band"] == {
        "under_1": 2, "1_4": 1, "5_9": 1, "10_15": 1, "16_plus": 2,
    }  # fmt: skip


def test_period_edges(session, proceedings_history):
    # Only the period's last day: P7 (31 Mar 2026), 181 days, within.
    report = timeliness(session, FY_END, FY_END)
    assert report["proceedings_concluded"] == 1
    assert report["mean_weeks"] == report["median_weeks"] == 25.9  # 181 / 7 = 25.857
    assert report["within_26_weeks_pct"] == 100.0
    # The day after: P6 (1 Apr 2026) alone, 177 days. The day before the period: P8 alone.
    assert timeliness(session, date(2026, 4, 1), date(2026, 4, 1))["proceedings_concluded"] == 1
    assert timeliness(session, date(2025, 3, 31), date(2025, 3, 31))["proceedings_concluded"] == 1
    # P3's first sibling order (12 Mar 2025) does not conclude it: nothing concluded that day.
    assert timeliness(session, date(2025, 3, 12), date(2025, 3, 12))["proceedings_concluded"] == 0


def test_an_empty_period_has_null_percentages_and_averages(session, proceedings_history):
    report = timeliness(session, date(2020, 4, 1), date(2021, 3, 31))
    assert report["proceedings_concluded"] == 0
    assert report["mean_weeks"] is None and report["median_weeks"] is None
    assert report["within_26_weeks_pct"] is None
    assert report["adjusted_within_26_weeks_pct"] is None
    assert report["fgc_offered_before_care_pct"] is None
    assert report["section_20_median_days"] is None
    assert report["children_returning_to_proceedings_pct"] is None
    assert set(report) == set(reports.KEYS)


def test_children_entering_care_fgc_and_emergencies(session, england):
    """K1 accommodated 1 Jul 2025, FGC offered the same day: offered on or before entry.
    K2 emergency protection 1 Jun 2025, FGC offered only on 10 Jun: not before; an emergency.
    K3 accommodated 1 Jul 2025 with an exception recorded, FGC offered the next day: not before;
       an emergency entry (exception).
    K4 care application 7 Apr 2025 after an FGC offer: entered care then, offered before.
    K5 accommodated 31 Mar 2025 (the day before the period), then a care application in May:
       first entry is before the period, so not counted.
    K6 accommodated 1 Apr 2026, the day after the period: not counted.
    Entering care: K1, K2, K3, K4 = 4; FGC before: K1, K4 = 2 (50.0%); emergencies: K2, K3 = 2."""
    recorded(session, england, [
        opened("K1", date(2025, 6, 2), "FK1"),
        step("offer_fgc", date(2025, 7, 1), "FK1"),
        step("accommodate_s20", date(2025, 7, 1), "FK1", "K1", consent_by="mother"),
        opened("K2", date(2025, 5, 2), "FK2"),
        step("emergency_protection", date(2025, 6, 1), "FK2", "K2", emergency_type="epo"),
        step("offer_fgc", date(2025, 6, 10), "FK2"),
        opened("K3", date(2025, 6, 2), "FK3"),
        step("accommodate_s20", date(2025, 7, 1), "FK3", "K3", consent_by="father",
             exception="Parent admitted to hospital overnight"),
        step("offer_fgc", date(2025, 7, 2), "FK3"),
        *care_application("FK4", "K4", date(2025, 4, 7), "PK4"),
        opened("K5", date(2025, 1, 6), "FK5"),
        step("offer_fgc", date(2025, 1, 7), "FK5"),
        step("accommodate_s20", date(2025, 3, 31), "FK5", "K5", consent_by="mother"),
        step("send_letter_before_proceedings", date(2025, 4, 2), "FK5"),
        step("issue_proceedings", date(2025, 5, 1), "FK5", "K5", proceedings_ref="PK5"),
        opened("K6", date(2026, 1, 5), "FK6"),
        step("offer_fgc", date(2026, 1, 6), "FK6"),
        step("accommodate_s20", date(2026, 4, 1), "FK6", "K6", consent_by="mother"),
    ])  # fmt: skip
    report = timeliness(session, FY_START, FY_END)
    assert report["children_entering_care"] == 4
    assert report["fgc_offered_before_care"] == 2
    assert report["fgc_offered_before_care_pct"] == 50.0
    assert report["emergency_entries"] == 2


def test_section_20_use(session, england):
    """S1 accommodated 1 May 2025, home 31 May 2025: 30 days.
    S2 accommodated 1 Jun 2025, home 1 May 2026 (after the period): measured to 31 Mar 2026, 303 days.
    S3 accommodated 25 Mar 2025, before the period: not counted.
    S4 accommodated 1 Sep 2025, care application 11 Sep 2025: the accommodation ends, 10 days.
    S5 accommodated 10 Apr 2025, home 20 Apr (10 days), accommodated again 1 Aug, home 6 Aug (5 days).
    Children: S1, S2, S4, S5 = 4 (S5 once). Accommodations: 30, 303, 10, 10, 5; median 10."""
    recorded(session, england, [
        opened("S1", date(2025, 1, 6), "FS1"), step("offer_fgc", date(2025, 1, 7), "FS1"),
        step("accommodate_s20", date(2025, 5, 1), "FS1", "S1", consent_by="mother"),
        step("return_home", date(2025, 5, 31), "FS1", "S1"),
        opened("S2", date(2025, 1, 6), "FS2"), step("offer_fgc", date(2025, 1, 7), "FS2"),
        step("accommodate_s20", date(2025, 6, 1), "FS2", "S2", consent_by="mother"),
        step("return_home", date(2026, 5, 1), "FS2", "S2"),
        opened("S3", date(2025, 1, 6), "FS3"), step("offer_fgc", date(2025, 1, 7), "FS3"),
        step("accommodate_s20", date(2025, 3, 25), "FS3", "S3", consent_by="mother"),
        opened("S4", date(2025, 1, 6), "FS4"), step("offer_fgc", date(2025, 1, 7), "FS4"),
        step("accommodate_s20", date(2025, 9, 1), "FS4", "S4", consent_by="father"),
        step("send_letter_before_proceedings", date(2025, 9, 2), "FS4"),
        step("issue_proceedings", date(2025, 9, 11), "FS4", "S4", proceedings_ref="PS4"),
        opened("S5", date(2025, 1, 6), "FS5"), step("offer_fgc", date(2025, 1, 7), "FS5"),
        step("accommodate_s20", date(2025, 4, 10), "FS5", "S5", consent_by="mother"),
        step("return_home", date(2025, 4, 20), "FS5", "S5"),
        step("accommodate_s20", date(2025, 8, 1), "FS5", "S5", consent_by="mother"),
        step("return_home", date(2025, 8, 6), "FS5", "S5"),
    ])  # fmt: skip
    report = timeliness(session, FY_START, FY_END)
    assert report["section_20_accommodated"] == 4
    assert report["section_20_median_days"] == 10.0
    # Over the first half-year only (to 30 Sep 2025): S2 is measured to 30 Sep (121 days).
    # Accommodations 30, 121, 10, 10, 5: median 10. Over July to September alone: S4 (10, ending
    # within) and S5's second (5): median (5 + 10) / 2 = 7.5.
    half = timeliness(session, FY_START, date(2025, 9, 30))
    assert half["section_20_accommodated"] == 4 and half["section_20_median_days"] == 10.0
    summer = timeliness(session, date(2025, 7, 1), date(2025, 9, 30))
    assert summer["section_20_accommodated"] == 2 and summer["section_20_median_days"] == 7.5
    # A child still accommodated on the period's last day counts to that day: S2 over June 2025
    # alone runs 1 to 30 June, 29 days.
    june = timeliness(session, date(2025, 6, 1), date(2025, 6, 30))
    assert june["section_20_accommodated"] == 1 and june["section_20_median_days"] == 29.0


def test_children_returning_to_proceedings_within_3_years(session, england):
    """R1 supervision order 1 Jun 2022; new application 1 Jun 2025, the third anniversary: returning.
    R2 supervision order 1 Jun 2022; new application 2 Jun 2025, a day too late: not returning.
    R3 first application 1 Jul 2025: not returning.
    R4 order (no order) 1 May 2025, in the period; new application 1 Sep 2025: returning.
    In the period, children made subject of an application: R1, R2, R3, R4 = 4; returning 2: 50.0%."""
    steps = []
    for child, issued_again in (("R1", date(2025, 6, 1)), ("R2", date(2025, 6, 2))):
        family = f"F{child}"
        steps += [
            *care_application(family, child, date(2021, 12, 1), f"P{child}a", opened_on=date(2021, 9, 6)),
            order(family, child, date(2022, 6, 1), f"P{child}a", "supervision_order"),
            step("issue_proceedings", issued_again, family, child, proceedings_ref=f"P{child}b"),
        ]
    steps += care_application("FR3", "R3", date(2025, 7, 1), "PR3")
    steps += [
        *care_application("FR4", "R4", date(2024, 11, 4), "PR4a"),
        order("FR4", "R4", date(2025, 5, 1), "PR4a", "no_order"),
        step("issue_proceedings", date(2025, 9, 1), "FR4", "R4", proceedings_ref="PR4b"),
    ]
    recorded(session, england, steps)
    report = timeliness(session, FY_START, FY_END)
    assert report["children_entering_proceedings"] == 4
    assert report["children_returning_to_proceedings"] == 2
    assert report["children_returning_to_proceedings_pct"] == 50.0
    # Before the period R4's first application (Nov 2024) is not a return.
    before = timeliness(session, date(2024, 4, 1), date(2025, 3, 31))
    assert (before["children_entering_proceedings"], before["children_returning_to_proceedings"]) == (1, 0)


def test_scope_by_authority_area_and_nation(session, england):
    """One concluded proceedings in each of three authorities: E1 and E2 share a DFJ area,
    W1 is Welsh. Each is counted only in its own authority, area and nation."""
    e2 = add_la(session, "E09000998", "england", dfj_area="Testshire")
    w1 = add_la(session, "W06000999", "wales", dfj_area="Testshire Cymru")
    for la, ref in ((england, "X1"), (e2, "X2"), (w1, "X3")):
        recorded(session, la, [
            *care_application(f"F{ref}", ref, date(2025, 5, 1), f"P{ref}"),
            order(f"F{ref}", ref, date(2025, 9, 1), f"P{ref}"),
        ])  # fmt: skip

    def concluded(**scope):
        return timeliness(session, FY_START, FY_END, **scope)["proceedings_concluded"]

    assert concluded() == 3
    assert concluded(la_code="E09000998") == 1
    assert concluded(dfj_area="Testshire") == 2
    assert concluded(nation="wales") == 1
    assert concluded(nation="england") == 2
    assert concluded(dfj_area="Testshire", nation="wales") == 0
    assert concluded(dfj_area="Nowhere") == 0
    with pytest.raises(LookupError):
        timeliness(session, FY_START, FY_END, la_code="E00000000")


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def test_cli_prints_exactly_the_report_keys_as_json(cli, proceedings_history):
    result = cli.invoke(args=["report", "timeliness", "--from", "2025-04-01", "--to", "2026-03-31",
                              "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert list(printed) == list(reports.KEYS)
    assert printed["proceedings_concluded"] == 6 and printed["within_26_weeks_pct"] == 33.3
    assert printed["extensions_by_category"]["complexity"] == 1


def test_cli_csv_and_one_authority(cli, session, proceedings_history):
    add_la(session, "E09000998", "england")
    args = ["report", "timeliness", "--from", "2025-04-01", "--to", "2026-03-31", "--format", "csv"]
    result = cli.invoke(args=[*args, "--la", "E09000999"])
    assert result.exit_code == 0, result.output
    rows = dict(line.split(",", 1) for line in result.output.strip().splitlines()[1:])
    assert result.output.startswith("figure,value\n")
    assert rows["proceedings_concluded"] == "6"
    assert rows["orders_by_type.care_order"] == "2"
    assert rows["mean_weeks"] == "27.2"
    other = dict(line.split(",", 1) for line in cli.invoke(args=[*args, "--la", "E09000998"]).output.splitlines()[1:])
    assert other["proceedings_concluded"] == "0" and other["mean_weeks"] == ""


def test_cli_refuses_an_unknown_authority_and_a_backwards_period(cli, england):
    result = cli.invoke(args=["report", "timeliness", "--from", "2025-04-01", "--to", "2026-03-31", "--la", "NOPE"])
    assert result.exit_code != 0 and "NOPE" in result.output
    result = cli.invoke(args=["report", "timeliness", "--from", "2026-04-01", "--to", "2026-03-31"])
    assert result.exit_code != 0 and "ends before it starts" in result.output


# --------------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------------


def test_financial_years_and_quarters():
    assert reports.financial_year(2025) == reports.Period("fy2025", date(2025, 4, 1), date(2026, 3, 31),
                                                          "April 2025 to March 2026")
    quarters = reports.quarters_in(reports.financial_year(2025))
    assert [(q.start, q.end) for q in quarters] == [
        (date(2025, 4, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 9, 30)),
        (date(2025, 10, 1), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 3, 31)),
    ]  # fmt: skip
    assert quarters[3].label == "January to March 2026" and quarters[3].key == "fy2025-q4"
    assert reports.financial_year_of(date(2026, 3, 31)) == 2025
    assert reports.financial_year_of(date(2026, 4, 1)) == 2026
    assert reports.quarter_of(date(2025, 12, 31)).key == "fy2025-q3"
    assert reports.period_from_key("fy2025-q4") == quarters[3]
    assert reports.period_from_key("FY2025") == reports.financial_year(2025)
    for bad in ("", "2025", "fy25", "fy2025-q5", "fy2025-q", "fyabcd"):
        with pytest.raises(ValueError):
            reports.period_from_key(bad)
    trend = reports.trend_quarters(reports.financial_year(2025))
    assert [q.key for q in trend][0] == "fy2024-q1" and trend[-1] == quarters[3] and len(trend) == 8
    choices = reports.period_choices(date(2026, 11, 20), years=2)
    # Newest first; quarters of this year that have not started are left out.
    assert [p.key for p in choices] == ["fy2026", "fy2026-q3", "fy2026-q2", "fy2026-q1",
                                        "fy2025", "fy2025-q4", "fy2025-q3", "fy2025-q2", "fy2025-q1"]
    assert reports.latest_complete_period(date(2026, 11, 20)).key == "fy2026-q2"


def test_rounding_and_age_bands():
    assert reports.pct(1, 3) == 33.3 and reports.pct(2, 3) == 66.7 and reports.pct(0, 0) is None
    assert reports.one_decimal(1, 20) == 0.1  # 0.05: halves go up, not to even
    assert reports.weeks(182, 1) == 26.0 and reports.weeks(0, 0) is None
    dob = date(2020, 2, 29)
    assert reports.age_band(dob, date(2021, 2, 28)) == "under_1"
    assert reports.age_band(dob, date(2021, 3, 1)) == "1_4"
    assert reports.age_band(date(2026, 1, 1), date(2025, 12, 1)) == "under_1"  # unborn
    assert reports.age_band(date(2009, 10, 1), date(2025, 9, 30)) == "10_15"
    assert reports.age_band(date(2009, 10, 1), date(2025, 10, 1)) == "16_plus"
