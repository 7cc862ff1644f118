"""No lost updates: real concurrent connections against the same database.

The PostgreSQL tests give every writer its own session and connection (as separate gunicorn
workers have), make them race for one family, and then check that exactly one change was applied,
the others were told the record changed (or refused), and the history still implies every stored
stage. The projection-equals-history test runs on both databases.
"""
from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from conftest import BACKEND, TODAY, opened, record, step
from pathway.demo import synthetic_authority
from pathway.models import (
    ChildRelation,
    FamilyPerson,
    Person,
    AuditEntry,
    CareEpisode,
    Child,
    Event,
    Family,
    FamilyGroupConference,
    FgcOutcome,
    LocalAuthority,
    PartyParent,
    Proceedings,
    ProceedingsChild,
)
from pathway.reports import facts as report_facts
from pathway.services import Actor, Conflict, family_state, record_step

NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=timezone.utc)
on_postgresql = pytest.mark.skipif(BACKEND != "postgresql", reason="needs concurrent PostgreSQL connections")


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def ready_for_court(session, la, family_ref="FAM1", children=("C1",)):
    """A family in pre-proceedings: FGC offered, accepted and held, letter sent."""
    steps = [opened(c, date(2026, 6, 1), family_ref) for c in children] + [
        step("offer_fgc", date(2026, 6, 10), family_ref),
        step("fgc_accepted", date(2026, 6, 15), family_ref),
        step("hold_fgc", date(2026, 7, 1), family_ref),
        step("send_letter_before_proceedings", date(2026, 7, 10), family_ref),
    ]
    outcome = record(session, la, steps)
    assert outcome.ok, outcome.errors
    return session.execute(
        select(Family).where(Family.la_id == la.id, Family.reference == family_ref)
    ).scalar_one()


@dataclass
class Attempt:
    name: str
    result: str = "not run"  # applied | conflict | refused | error: ...
    message: str = ""


def attempt(engine, la_id: int, ev, expected_version: int, outcome: Attempt, before=None, after=None):
    """One writer: its own session and connection, one step, commit or roll back."""
    with Session(engine) as s:
        la = s.get(LocalAuthority, la_id)
        try:
            if before is not None:
                before()
            result = record_step(s, la, ev, actor=Actor(None, f"writer-{outcome.name}"), now=NOW,
                                 expected_version=expected_version)
            if result.ok:
                if after is not None:
                    after()
                s.commit()
                outcome.result = "applied"
            else:
                s.rollback()
                outcome.result = "refused"
                outcome.message = " ".join(e.message for e in result.errors)
        except Conflict as conflict:
            s.rollback()
            outcome.result = "conflict"
            outcome.message = str(conflict)
        except Exception as e:  # noqa: BLE001  (reported by the test, not swallowed)
            s.rollback()
            outcome.result = f"error: {type(e).__name__}: {e}"


def run_threads(targets) -> None:
    threads = [threading.Thread(target=t) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer is still running after 2 minutes"


def waiting_on_lock(engine) -> int:
    """How many other connections to this database are waiting for a row lock."""
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )).scalar()  # fmt: skip


def assert_history_consistent(session, la) -> None:
    """No duplicate events, and every stored stage, proceedings and FGC is what the history implies."""
    session.expire_all()
    events = session.execute(
        select(Event.family_id, Event.child_id, Event.proceedings_id, Event.person_id, Event.event,
               Event.occurred_on)
        .where(Event.la_id == la.id)
    ).all()  # fmt: skip
    repeated = [key for key, n in Counter(events).items() if n > 1]
    assert repeated == [], f"duplicate events: {repeated}"
    families = session.scalars(select(Family).where(Family.la_id == la.id).order_by(Family.id)).all()
    assert families
    for family in families:
        assert_projection_matches(session, family)


def assert_projection_matches(session, family) -> None:
    state = family_state(session, family, TODAY)
    stored_children = {c.reference: c for c in session.scalars(select(Child).where(Child.family_id == family.id))}
    assert set(stored_children) == set(state.children), family.reference
    for ref, child in state.children.items():
        row = stored_children[ref]
        stored = (row.stage, row.stage_since, row.closed_on, row.entered_care_on, row.entered_care_by,
                  row.entered_care_in_emergency, row.returned_home_on, row.must_leave_accommodation_since)
        implied = (child.stage, child.stage_since, child.closed_on, child.entered_care_on, child.entered_care_by,
                   child.entered_care_in_emergency, child.returned_home_on, child.must_leave_accommodation_since)
        assert stored == implied, f"{family.reference}/{ref}: stored {stored}, history implies {implied}"
        # Report facts (issue 17).
        facts = {name: getattr(row, name) for name in report_facts.CHILD_FACTS}
        assert facts == report_facts.child_facts(state, child), f"{family.reference}/{ref}"
    stored_proceedings = {
        p.reference: p for p in session.scalars(select(Proceedings).where(Proceedings.family_id == family.id))
    }
    assert set(stored_proceedings) == set(state.proceedings), family.reference
    for ref, p in state.proceedings.items():
        row = stored_proceedings[ref]
        assert (row.issued_on, row.deadline, row.concluded_on) == (p.issued_on, p.deadline, p.concluded_on), ref
        assert {name: getattr(row, name) for name in report_facts.PROCEEDINGS_FACTS} == report_facts.proceedings_facts(p), ref
        parties = {
            pc.child.reference: (pc.joined_on, pc.order_type, pc.order_on, pc.father_recorded, pc.father_has_pr,
                                 pc.relative_assessed, pc.fgc_at_issue,
                                 {name: getattr(pc, name) for name in report_facts.PARTY_FACTS})
            for pc in session.scalars(select(ProceedingsChild).where(ProceedingsChild.proceedings_id == row.id))
        }
        assert parties == {c: (x.joined_on, x.order_type, x.order_on, x.father_recorded, x.father_has_pr,
                               x.relative_assessed, x.fgc_at_issue,
                               report_facts.party_facts(state, p, c)) for c, x in p.parties.items()}, ref
        assert [(x.granted_on, x.weeks, x.reason) for x in row.extensions] == [
            (x.granted_on, x.weeks, x.reason) for x in p.extensions
        ], ref
    assert_network_matches(session, family, state)
    fgcs = session.execute(
        select(FamilyGroupConference.offered_on, FamilyGroupConference.status, FamilyGroupConference.held_on)
        .where(FamilyGroupConference.family_id == family.id)
        .order_by(FamilyGroupConference.offered_on, FamilyGroupConference.id)
    ).all()  # fmt: skip
    assert [tuple(f) for f in fgcs] == [(f.offered_on, f.status, f.held_on) for f in state.fgcs], family.reference
    # FGC service (issue 13): the conference's own columns too.
    service = ("referred_on", "coordinator", "coordinator_allocated_on", "private_family_time", "plan_decided_on",
               "plan_outcome", "reviewed_on", "closed_on", "closed_reason")
    stored = session.scalars(select(FamilyGroupConference).where(FamilyGroupConference.family_id == family.id)
                             .order_by(FamilyGroupConference.offered_on, FamilyGroupConference.id)).all()
    assert [tuple(getattr(f, c) for c in service) for f in stored] == [
        tuple(getattr(f, c) for c in service) for f in state.fgcs], family.reference
    assert [{c: getattr(f, c) for c in report_facts.FGC_FACTS} for f in stored] == [
        report_facts.fgc_facts(state, f) for f in state.fgcs], family.reference
    # Report facts (issue 17): each child's outcome six months after each plan decision.
    refs = {c.id: c.reference for c in stored_children.values()}
    outcomes = session.execute(
        select(FgcOutcome.offered_on, FgcOutcome.plan_decided_on, FgcOutcome.due_on, FgcOutcome.child_id,
               FgcOutcome.outcome).where(FgcOutcome.family_id == family.id).order_by(FgcOutcome.id)
    ).all()  # fmt: skip
    assert [(o, p, d, refs[c], x) for o, p, d, c, x in outcomes] == report_facts.fgc_outcome_facts(state), family.reference
    episodes = session.execute(
        select(CareEpisode.child_id, CareEpisode.kind, CareEpisode.started_on, CareEpisode.ended_on)
        .where(CareEpisode.family_id == family.id).order_by(CareEpisode.id)
    ).all()  # fmt: skip
    assert [(refs[c], *rest) for c, *rest in episodes] == [
        (child.ref, *e) for child in state.children.values() for e in report_facts.care_episodes(child)], family.reference


@pytest.fixture
def engine(database_url):
    """A pool big enough for every writer to hold its own connection at once."""
    engine = create_engine(database_url, pool_size=55, max_overflow=0)
    yield engine
    engine.dispose()


# --------------------------------------------------------------------------------------------
# Both databases
# --------------------------------------------------------------------------------------------


def test_a_stale_version_is_a_conflict_and_writes_nothing(session, england):
    family = ready_for_court(session, england)
    stale = family.version
    first = record_step(session, england, step("issue_proceedings", date(2026, 9, 1), "FAM1", "C1",
                                               proceedings_ref="PR1"),
                        actor=Actor(None, "first"), now=NOW, expected_version=stale)
    assert first.ok, first.errors
    session.commit()
    events = session.execute(select(func.count(Event.id))).scalar()

    with pytest.raises(Conflict) as raised:
        record_step(session, england, step("accommodate_s20", date(2026, 9, 1), "FAM1", "C1", consent_by="mother"),
                    actor=Actor(None, "second"), now=NOW, expected_version=stale)
    session.rollback()

    assert "changed by someone else" in str(raised.value)
    assert "Reload the page" in str(raised.value)
    assert session.execute(select(func.count(Event.id))).scalar() == events
    assert session.execute(select(Child.stage)).scalar() == "proceedings"
    assert session.execute(select(Family.version)).scalar() == stale + 1


def test_the_current_version_is_accepted_and_moves_on(session, england):
    family = ready_for_court(session, england)
    version = family.version
    outcome = record_step(session, england, step("close_case", date(2026, 9, 1), "FAM1", "C1", reason="Plan completed"),
                          actor=Actor(None, "worker"), now=NOW, expected_version=version)
    assert outcome.ok, outcome.errors
    session.commit()
    assert session.execute(select(Family.version)).scalar() == version + 1


def test_stored_projection_equals_replayed_history_for_a_synthetic_authority(session, england):
    events = synthetic_authority(random.Random(6), 1, 120, TODAY)
    outcome = record(session, england, events)
    assert outcome.ok, outcome.errors[:3]
    assert outcome.events_written == len(events)
    # Later single steps through the form path change some families again.
    session.expire_all()
    for child in session.scalars(
        select(Child).where(Child.stage == "early_help").order_by(Child.id).limit(10)
    ).all():  # fmt: skip
        family = session.get(Family, child.family_id)
        result = record_step(session, england, step("start_cp_plan", TODAY, family.reference, child.reference),
                             actor=Actor(None, "worker"), now=NOW, expected_version=family.version)
        assert result.ok, result.errors
        session.commit()
    assert_history_consistent(session, england)


# --------------------------------------------------------------------------------------------
# PostgreSQL: real concurrent writers
# --------------------------------------------------------------------------------------------


@on_postgresql
@pytest.mark.postgres
def test_two_concurrent_transitions_on_one_child_one_applied_other_told_it_changed(session, england, engine):
    family = ready_for_court(session, england)
    version, la_id = family.version, england.id
    first, second = Attempt("first"), Attempt("second")
    first_has_written = threading.Event()
    may_commit = threading.Event()

    def hold_then_commit():
        first_has_written.set()
        assert may_commit.wait(30)

    issue = step("issue_proceedings", date(2026, 9, 1), "FAM1", "C1", proceedings_ref="PR1")
    accommodate = step("accommodate_s20", date(2026, 9, 1), "FAM1", "C1", consent_by="mother")
    writer_one = threading.Thread(target=attempt, args=(engine, la_id, issue, version, first),
                                  kwargs={"after": hold_then_commit})
    writer_one.start()
    assert first_has_written.wait(30), "the first writer never reached its commit"
    # The second writer reads the same version, then waits on the family row the first one holds.
    writer_two = threading.Thread(target=attempt, args=(engine, la_id, accommodate, version, second))
    writer_two.start()
    deadline = time.monotonic() + 30
    while waiting_on_lock(engine) < 1:
        assert time.monotonic() < deadline, "the second writer never waited for the row lock"
        time.sleep(0.02)
    may_commit.set()
    writer_one.join(30)
    writer_two.join(30)

    assert first.result == "applied", first
    assert second.result == "conflict", second
    assert "Reload the page" in second.message
    session.expire_all()
    assert session.execute(select(Child.stage)).scalar() == "proceedings"
    assert session.execute(select(func.count(Event.id)).where(Event.event == "accommodate_s20")).scalar() == 0
    assert session.execute(select(Family.version)).scalar() == version + 1
    assert_history_consistent(session, england)


@on_postgresql
@pytest.mark.postgres
def test_two_writers_started_together_exactly_one_applied(session, england, engine):
    """No forced interleaving: both start at a barrier. Whichever wins, the other is stopped."""
    family = ready_for_court(session, england)
    version, la_id = family.version, england.id
    barrier = threading.Barrier(2)
    first, second = Attempt("first"), Attempt("second")
    issue = step("issue_proceedings", date(2026, 9, 1), "FAM1", "C1", proceedings_ref="PR1")
    accommodate = step("accommodate_s20", date(2026, 9, 1), "FAM1", "C1", consent_by="mother")
    run_threads([
        lambda: attempt(engine, la_id, issue, version, first, before=barrier.wait),
        lambda: attempt(engine, la_id, accommodate, version, second, before=barrier.wait),
    ])  # fmt: skip

    results = sorted([first.result, second.result])
    assert results.count("applied") == 1, (first, second)
    assert all(r in ("applied", "conflict", "refused") for r in results), (first, second)
    session.expire_all()
    assert session.execute(select(Family.version)).scalar() == version + 1
    assert session.execute(
        select(func.count(Event.id)).where(Event.event.in_(["issue_proceedings", "accommodate_s20"]))
    ).scalar() == 1  # fmt: skip
    assert_history_consistent(session, england)


BURST = 50


@on_postgresql
@pytest.mark.postgres
def test_a_burst_of_50_conflicting_writes_applies_exactly_one(session, england, engine):
    family = ready_for_court(session, england, children=("C1", "C2"))
    version, la_id = family.version, england.id
    audit_before = session.execute(select(func.count(AuditEntry.id))).scalar()
    events_before = session.execute(select(func.count(Event.id))).scalar()
    day = date(2026, 9, 1)
    kinds = [
        step("send_letter_before_proceedings", day, "FAM1"),
        step("offer_fgc", day, "FAM1"),
        step("issue_proceedings", day, "FAM1", "C1", proceedings_ref="PR1"),
        step("issue_proceedings", day, "FAM1", "C2", proceedings_ref="PR1"),
        step("accommodate_s20", day, "FAM1", "C1", consent_by="mother"),
    ]
    barrier = threading.Barrier(BURST)
    attempts = [Attempt(str(n)) for n in range(BURST)]
    run_threads([
        (lambda n=n: attempt(engine, la_id, kinds[n % len(kinds)], version, attempts[n], before=barrier.wait))
        for n in range(BURST)
    ])  # fmt: skip

    results = Counter(a.result for a in attempts)
    assert results["applied"] == 1, results
    assert results["applied"] + results["conflict"] + results["refused"] == BURST, [
        a for a in attempts if a.result not in ("applied", "conflict", "refused")
    ]
    for a in attempts:
        if a.result == "conflict":
            assert "changed by someone else" in a.message and "Reload the page" in a.message
    session.expire_all()
    assert session.execute(select(func.count(Event.id))).scalar() == events_before + 1
    assert session.execute(select(func.count(AuditEntry.id))).scalar() == audit_before + 1
    assert session.execute(select(Family.version)).scalar() == version + 1
    assert_history_consistent(session, england)


@on_postgresql
@pytest.mark.postgres
def test_concurrent_writers_on_different_families_do_not_block_each_other(session, england, engine):
    """The lock is per family: 20 writers on 20 families all succeed."""
    for n in range(20):
        ready_for_court(session, england, family_ref=f"FAM{n}", children=(f"C{n}",))
    versions = dict(session.execute(select(Family.reference, Family.version)).all())
    la_id = england.id
    barrier = threading.Barrier(20)
    attempts = [Attempt(str(n)) for n in range(20)]
    run_threads([
        (lambda n=n: attempt(
            engine, la_id,
            step("issue_proceedings", date(2026, 9, 1), f"FAM{n}", f"C{n}", proceedings_ref=f"PR{n}"),
            versions[f"FAM{n}"], attempts[n], before=barrier.wait,
        ))
        for n in range(20)
    ])  # fmt: skip
    assert [a.result for a in attempts] == ["applied"] * 20, attempts
    session.expire_all()
    assert session.execute(select(func.count(Child.id)).where(Child.stage == "proceedings")).scalar() == 20
    assert_history_consistent(session, england)


@on_postgresql
@pytest.mark.postgres
def test_two_writers_opening_the_same_new_family_one_applied_other_told(session, england, engine):
    la_id = england.id
    barrier = threading.Barrier(2)
    first, second = Attempt("first"), Attempt("second")
    run_threads([
        lambda: attempt(engine, la_id, opened("C1", date(2026, 9, 1), "NEWFAM"), None, first,
                        before=barrier.wait),
        lambda: attempt(engine, la_id, opened("C2", date(2026, 9, 1), "NEWFAM"), None, second,
                        before=barrier.wait),
    ])  # fmt: skip
    results = sorted([first.result, second.result])
    assert results.count("applied") == 1, (first, second)
    assert all(r in ("applied", "conflict", "refused") for r in results), (first, second)
    session.expire_all()
    assert session.execute(select(func.count(Family.id))).scalar() == 1
    assert_history_consistent(session, england)


def assert_network_matches(session, family, state) -> None:
    """The family network as stored (people, relationships, support due) is what the history implies."""
    members = {
        ref: (m.added_on, m.dob, m.sex, m.ethnicity, m.characteristics, m.support_due_from)
        for ref, m in session.execute(
            select(Person.reference, FamilyPerson).join(FamilyPerson, FamilyPerson.person_id == Person.id)
            .where(FamilyPerson.family_id == family.id)
        )
    }  # fmt: skip
    due = state.post_removal_support_due()
    assert members == {
        p.ref: (p.added_on, p.dob, p.sex, p.ethnicity, ";".join(p.characteristics) or None, due.get(p.ref))
        for p in state.people.values()
    }, family.reference
    relations = {
        (c_ref, p_ref): (r.relationship, r.parental_responsibility, r.since, r.objecting_since)
        for c_ref, p_ref, r in session.execute(
            select(Child.reference, Person.reference, ChildRelation)
            .join(ChildRelation, ChildRelation.child_id == Child.id).join(Person, Person.id == ChildRelation.person_id)
            .where(Child.family_id == family.id)
        )
    }  # fmt: skip
    assert relations == {
        (c.ref, p_ref): (r.relationship, r.parental_responsibility, r.since, c.objections.get(p_ref))
        for c in state.children.values() for p_ref, r in c.relations.items()
    }, family.reference
    # Report facts (issue 17): each parent of each child party, with the day the child joined.
    parents = set(session.execute(
        select(Child.reference, Proceedings.reference, Person.reference, PartyParent.joined_on)
        .join(PartyParent, PartyParent.child_id == Child.id).join(Proceedings, Proceedings.id == PartyParent.proceedings_id)
        .join(Person, Person.id == PartyParent.person_id).where(Child.family_id == family.id)
    ).all())  # fmt: skip
    assert parents == {
        (c_ref, p.ref, person_ref, party.joined_on) for p in state.proceedings.values()
        for c_ref, party in p.parties.items() for person_ref, r in state.children[c_ref].relations.items()
        if r.relationship in ("mother", "father")
    }, family.reference
