"""Issue 17: the queues' flags kept in the projection equal what the pure rules compute.

For every child of a generated cohort (the demo's families through the real pathway, children in
every list, review records, hearing listings, allocations), the stored flags that apply on a day
(`stored.applies_on`, the SQL the queues page uses) are exactly `rules.assess` of the child's facts
read for that day, on today and on every day a date-driven flag starts or stops applying. Run on
SQLite and on PostgreSQL by `make test`.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from conftest import TODAY, allocate_family, opened, record, step
from pathway.demo import synthetic_authority
from pathway.models import Child, Family, Proceedings, Team, User
from pathway.queues import records, rules, stored
from pathway.queues.models import ChildFlag
from pathway.queues.queries import open_children
from test_queues import ACTOR, NOW, busy_family

D = timedelta(days=1)


@pytest.fixture
def cohort(session, england):
    events = synthetic_authority(random.Random(17), 1, 80, TODAY, max_age_days=800)
    assert record(session, england, events).ok
    assert record(session, england, [ev for n in range(6) for ev in busy_family(n)]).ok
    team = Team(la_id=england.id, name="Court team")
    session.add(team)
    session.flush()
    worker = User(email="worker@e.test", name="A Worker", role="social_worker", la_id=england.id,
                  password_hash="x", created_at=NOW)
    session.add(worker)
    session.flush()
    rng = random.Random(18)
    for family in session.scalars(select(Family).where(Family.la_id == england.id).order_by(Family.id)):
        if rng.random() < 0.6:
            allocate_family(session, family, team.id, worker.id if rng.random() < 0.8 else None)
    for child in session.scalars(select(Child).where(Child.la_id == england.id).order_by(Child.id)):
        kind = {"section_20": "looked_after_review", "pre_proceedings": "pre_proceedings_review",
                "proceedings": "looked_after_review"}.get(child.stage)
        if kind and child.stage_since < TODAY and rng.random() < 0.6:
            start = child.looked_after_since if kind == "looked_after_review" else child.stage_since
            if start is None or start >= TODAY:
                continue
            held = start + timedelta(days=rng.randint(0, (TODAY - start).days))
            records.record_review(session, child, kind=kind, held_on=held,
                                  decision=next(iter(rules.DECISIONS[kind])), actor=ACTOR, now=NOW)
    for proceedings in session.scalars(select(Proceedings).where(Proceedings.concluded_on.is_(None))
                                       .order_by(Proceedings.id)):
        if rng.random() < 0.5:
            listed = proceedings.issued_on + timedelta(days=rng.choice([10, 17, 20, 30, 130, 150]))
            records.record_hearing(session, proceedings, kind=rng.choice(["case_management", "issues_resolution"]),
                                   listed_for=listed, actor=ACTOR, now=NOW)
    session.commit()
    return england


def by_rules(session, la, day: date) -> set[tuple[int, str, date]]:
    return {(r.child_id, f.code, f.on) for r in open_children(session, day, [la.id]) for f in r.assessment.findings}


def from_store(session, la, day: date) -> set[tuple[int, str, date]]:
    rows = session.execute(select(ChildFlag.child_id, ChildFlag.code, ChildFlag.on)
                           .where(ChildFlag.la_id == la.id, stored.applies_on(day))).all()
    return {tuple(r) for r in rows}


def change_days(session, la) -> list[date]:
    """Today and every later day on which a stored flag starts or stops applying."""
    bounds = session.execute(select(ChildFlag.starts_on, ChildFlag.ends_on).where(ChildFlag.la_id == la.id)).all()
    days = {TODAY}
    for starts_on, ends_on in bounds:
        days |= {d for d in (starts_on, starts_on and starts_on - D, ends_on, ends_on and ends_on + D) if d}
    return sorted(d for d in days if d >= TODAY)


def test_the_stored_flags_equal_the_rules_on_every_day_a_flag_changes(session, cohort):
    assert session.scalar(select(func.count()).select_from(ChildFlag)) > 200
    days = change_days(session, cohort)
    assert len(days) > 100
    seen_codes = set()
    for day in days[:: max(1, len(days) // 150)] + [days[-1]]:  # about 150 of them, and the last
        expected = by_rules(session, cohort, day)
        assert from_store(session, cohort, day) == expected, day
        seen_codes |= {code for _child, code, _on in expected}
    # The cohort really exercises the lists: nearly every flag applies to someone on some day.
    assert len(seen_codes) >= len(rules.FLAGS) - 4, set(rules.FLAG) - seen_codes


def test_a_date_driven_flag_moves_on_the_day_without_any_recompute(session, england):
    """A child entering section 20 with no legal planning meeting: the flag is stored once, and
    read on the day after 6 months it applies, the day before it does not."""
    start = date(2026, 5, 1)
    assert record(session, england, [
        opened("C1", date(2026, 4, 1)), step("offer_fgc", date(2026, 4, 2)),
        step("accommodate_s20", start, "FAM1", "C1", consent_by="mother"),
    ]).ok
    six_months = date(2026, 11, 1)  # accommodation + 6 calendar months: the last day without the flag
    child = session.scalar(select(Child))
    before = {code for c, code, _ in from_store(session, england, six_months) if c == child.id}
    after = {code for c, code, _ in from_store(session, england, six_months + D) if c == child.id}
    assert "s20_over_6_months_no_legal_planning" not in before
    assert "s20_over_6_months_no_legal_planning" in after
    for day in (six_months, six_months + D):
        assert from_store(session, england, day) == by_rules(session, england, day)


def test_every_change_rewrites_the_flags_in_the_same_transaction(session, england):
    """A step, a review record and an allocation each leave the store equal to the rules at once."""
    assert record(session, england, [opened("C1", date(2026, 1, 5)), step("offer_fgc", date(2026, 1, 6)),
                                     step("accommodate_s20", date(2026, 1, 7), "FAM1", "C1", consent_by="mother")]).ok
    assert from_store(session, england, TODAY) == by_rules(session, england, TODAY)
    codes = {code for _c, code, _on in from_store(session, england, TODAY)}
    assert {"unallocated", "s20_over_6_months_no_legal_planning", "looked_after_first_review_overdue"} <= codes
    child = session.scalar(select(Child))
    records.record_review(session, child, kind="legal_planning_meeting", held_on=date(2026, 11, 2),
                          decision="no_legal_action", actor=ACTOR, now=NOW)
    records.record_review(session, child, kind="looked_after_review", held_on=date(2026, 2, 1),
                          decision="plan_confirmed", actor=ACTOR, now=NOW)
    team = Team(la_id=england.id, name="Team")
    session.add(team)
    worker = User(email="w@e.test", name="W", role="social_worker", la_id=england.id, password_hash="x", created_at=NOW)
    session.add(worker)
    session.flush()
    allocate_family(session, session.scalar(select(Family)), team.id, worker.id)
    codes = {code for _c, code, _on in from_store(session, england, TODAY)}
    assert codes == {"looked_after_review_overdue"}, codes
    assert from_store(session, england, TODAY) == by_rules(session, england, TODAY)


def test_rebuilding_the_projection_rebuilds_the_flags(session, cohort):
    from pathway.services import rebuild_projection

    expected = from_store(session, cohort, TODAY)
    session.execute(ChildFlag.__table__.delete())
    assert from_store(session, cohort, TODAY) == set()
    rebuild_projection(session, cohort, TODAY)
    assert from_store(session, cohort, TODAY) == expected == by_rules(session, cohort, TODAY)


def test_a_window_applies_between_its_bounds_both_included():
    w = rules.Window("unallocated", date(2026, 1, 1), date(2026, 2, 1), date(2026, 2, 3))
    assert [w.applies(date(2026, 2, d)) for d in (1, 2, 3, 4)] == [True, True, True, False]
    assert not w.applies(date(2026, 1, 31))
    assert rules.Window("x", date(2026, 1, 1)).applies(date(1900, 1, 1))
    assert rules._window("x", date(2026, 1, 1), date(2026, 1, 5), date(2026, 1, 4)) == []
    assert rules._window("x", date(2026, 1, 1), None, date(2026, 1, 4), not_before=date(2026, 1, 3)) == [
        rules.Window("x", date(2026, 1, 1), date(2026, 1, 3), date(2026, 1, 4))]


@pytest.mark.parametrize("days_later", [0, 30, 183])
def test_the_queue_command_reads_the_store_and_says_what_the_rules_say(session, cohort, days_later):
    from pathway.queues.cli import as_record
    from pathway.queues.queries import listed_children

    day = TODAY + timedelta(days=days_later)
    stored_rows = [as_record(r) for r in listed_children(session, day, [cohort.id])]
    assert stored_rows == [as_record(r) for r in open_children(session, day, [cohort.id])]
    assert len(stored_rows) > 100 and sum(bool(r["flags"]) for r in stored_rows) > 50
