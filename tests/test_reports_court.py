"""The board's court-timetable figures (issue 11), computed by hand on a small cohort: hearings
per concluded proceedings, adjournments and vacated hearings by party, case management by day 18,
FDAC proceedings, the court's extension codes, and time under emergency protection."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from conftest import record, step

from pathway.models import Hearing, Proceedings
from pathway.queues import records
from pathway.reports import timeliness
from pathway.services import Actor
from sqlalchemy import select

from test_reports import care_application, order

NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
ACTOR = Actor(None, "test")


def hearing(session, ref, kind, listed_for, outcome=None, reason=None):
    proceedings = session.scalar(select(Proceedings).where(Proceedings.reference == ref))
    hearing_id = records.record_hearing(session, proceedings, kind=kind, listed_for=listed_for, actor=ACTOR, now=NOW)
    if outcome:
        records.record_hearing_outcome(session, session.get(Hearing, hearing_id), outcome=outcome, reason=reason,
                                       actor=ACTOR, now=NOW)
    session.commit()


def test_court_figures_by_hand(session, england):
    issued = date(2025, 6, 2)
    steps, orders = [], []
    for n in range(1, 6):  # five concluded in 2025-26
        steps += care_application(f"F{n}", f"K{n}", issued, f"P{n}")
        orders.append(order(f"F{n}", f"K{n}", issued + timedelta(days=170 + 10 * n), f"P{n}"))  # days 180..220
    steps += [step("heard_in_fdac", date(2025, 6, 20), "F1", proceedings_ref="P1"),
              step("heard_in_fdac", date(2025, 6, 20), "F4", proceedings_ref="P4"),
              step("extend_timetable", date(2025, 11, 1), "F4", proceedings_ref="P4", weeks=4, reason="international"),
              step("extend_timetable", date(2025, 11, 1), "F5", proceedings_ref="P5", weeks=6, reason="court_listing")]
    assert record(session, england, steps).ok
    day = lambda n: issued + timedelta(days=n - 1)  # noqa: E731
    hearing(session, "P1", "case_management", day(18))  # by day 18
    hearing(session, "P1", "issues_resolution", day(120), "adjourned", "EX1")  # experts
    hearing(session, "P1", "issues_resolution", day(130), "held")
    hearing(session, "P1", "final", day(170), "vacated", "HM1")  # court: not counted as a hearing
    hearing(session, "P1", "final", day(178))
    hearing(session, "P2", "case_management", day(19))  # after day 18
    hearing(session, "P2", "final", day(400))  # after the conclusion: not counted
    hearing(session, "P3", "case_management", day(12), "adjourned", "LA5")  # local authority
    assert record(session, england, orders).ok  # the hearings were listed while the proceedings were open
    report = timeliness(session, date(2025, 4, 1), date(2026, 3, 31))
    assert report["proceedings_concluded"] == 5
    # P1: CMH, two IRH, one final (the vacated one left out) = 4; P2: 1; P3: 1 => 6 / 5
    assert report["hearings_per_concluded_proceedings"] == 1.2
    assert report["hearings_adjourned_by_party"]["experts"] == 1
    assert report["hearings_adjourned_by_party"]["local_authority"] == 1
    assert sum(report["hearings_adjourned_by_party"].values()) == 2
    assert report["hearings_vacated_by_party"] == {**{p: 0 for p in report["hearings_vacated_by_party"]}, "court": 1}
    assert (report["cmh_by_day_18"], report["cmh_by_day_18_pct"]) == (2, 40.0)  # P1 (day 18) and P3 (day 12)
    # FDAC: P1 (180 days: within) and P4 (210 days) => mean 195 / 7 = 27.9 weeks
    assert (report["fdac_proceedings_concluded"], report["fdac_within_26_weeks"], report["fdac_mean_weeks"]) == (2, 1, 27.9)
    assert report["extensions_by_fpl_code"] == {"TimetableForProceedings": 1, "TimetableForChild": 0,
                                                "DelayInCaseOrImpactOnChild": 0, "InternationalAspect": 1}


def test_time_under_emergency_protection_before_the_next_step(session, england):
    from conftest import opened

    steps = []
    # E1: police protection then an order the next day (one episode), proceedings 6 days after it began.
    steps += [opened("E1", date(2025, 5, 1), "G1"), step("emergency_protection", date(2025, 5, 10), "G1", "E1",
              emergency_type="police_protection"), step("emergency_protection", date(2025, 5, 11), "G1", "E1",
              emergency_type="epo"), step("issue_proceedings", date(2025, 5, 16), "G1", "E1", proceedings_ref="Q1",
              exception="Immediate risk", decided_by="Head of service")]
    # E2: an order, then accommodated 3 days later.
    steps += [opened("E2", date(2025, 5, 1), "G2"), step("emergency_protection", date(2025, 6, 1), "G2", "E2",
              emergency_type="epo"), step("accommodate_s20", date(2025, 6, 4), "G2", "E2", consent_by="mother",
              exception="No time to offer a conference", decided_by="Team manager")]
    # E3: still under protection at the period's end: measured to its last day (31 March 2026: 9 days).
    steps += [opened("E3", date(2025, 5, 1), "G3"), step("emergency_protection", date(2026, 3, 22), "G3", "E3",
              emergency_type="epo")]
    assert record(session, england, steps).ok
    report = timeliness(session, date(2025, 4, 1), date(2026, 3, 31))
    assert report["emergency_protection_episodes"] == 3  # days 6, 3 and 9
    assert report["emergency_protection_median_days"] == 6.0
