"""The one service that records steps: projection, history, refusals that write nothing."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from conftest import opened, record, step
from pathway import workflow as wf
from pathway.models import AuditEntry, Child, Event, Extension, Family, FamilyGroupConference, Proceedings, ProceedingsChild
from pathway.services import Actor, Conflict, family_state, record_step

D = date


def count(session, model):
    return session.execute(select(func.count()).select_from(model)).scalar()


def court_history():
    return [
        opened("C1", D(2026, 1, 5)),
        opened("C2", D(2026, 1, 5), dob=D(2019, 3, 3)),
        step("offer_fgc", D(2026, 1, 10)),
        step("fgc_accepted", D(2026, 1, 12)),
        step("hold_fgc", D(2026, 2, 2)),
        step("send_letter_before_proceedings", D(2026, 2, 10)),
        step("issue_proceedings", D(2026, 3, 2), child_ref="C1", proceedings_ref="ZW26C00042"),
        step("issue_proceedings", D(2026, 3, 2), child_ref="C2", proceedings_ref="ZW26C00042"),
        step("extend_timetable", D(2026, 8, 20), proceedings_ref="ZW26C00042", weeks=8, reason="parenting_assessment"),
        step("final_order", D(2026, 9, 30), child_ref="C1", proceedings_ref="ZW26C00042", order_type="care_order"),
        step("final_order", D(2026, 10, 14), child_ref="C2", proceedings_ref="ZW26C00042", order_type="sgo"),
    ]


def test_projection_follows_the_history(session, england):
    outcome = record(session, england, court_history())
    assert outcome.ok, outcome.errors
    children = {c.reference: c for c in session.scalars(select(Child))}
    assert children["C1"].stage == "care_order" and children["C1"].stage_since == D(2026, 9, 30)
    assert children["C2"].stage == "kinship_care"
    assert children["C1"].entered_care_on == D(2026, 3, 2) and children["C1"].entered_care_in_emergency is False
    proceedings = session.scalars(select(Proceedings)).one()
    assert proceedings.issued_on == D(2026, 3, 2)
    assert proceedings.deadline == D(2026, 8, 30) + (D(2026, 10, 25) - D(2026, 8, 30))  # +8 weeks
    assert proceedings.concluded_on == D(2026, 10, 14)
    assert {(p.order_type, p.order_on) for p in session.scalars(select(ProceedingsChild))} == {
        ("care_order", D(2026, 9, 30)), ("sgo", D(2026, 10, 14))}
    extension = session.scalars(select(Extension)).one()
    assert (extension.weeks, extension.reason, extension.category) == (8, "parenting_assessment", "complexity")
    fgc = session.scalars(select(FamilyGroupConference)).one()
    assert (fgc.status, fgc.held_on) == ("held", D(2026, 2, 2))
    assert count(session, Event) == len(court_history())


def test_stored_stage_equals_the_stage_the_history_implies(session, england, clock):
    record(session, england, court_history() + [
        step("close_case", D(2026, 11, 1), child_ref="C2", reason="Special guardianship order made")])
    family = session.scalars(select(Family)).one()
    replayed = family_state(session, family, clock.today())
    for child in session.scalars(select(Child)):
        assert child.stage == replayed.children[child.reference].stage
        assert child.stage_since == replayed.children[child.reference].stage_since


def test_a_refused_step_writes_nothing(session, england):
    record(session, england, [opened("C1", D(2026, 1, 5))])
    before = (count(session, Event), session.scalars(select(Child)).one().stage)
    outcome = record(session, england, [
        step("accommodate_s20", D(2026, 2, 1), child_ref="C1", consent_by="mother")])
    assert not outcome.ok
    assert "No family group conference" in outcome.errors[0].message
    assert (count(session, Event), session.scalars(select(Child)).one().stage) == before


def test_one_bad_step_in_a_batch_writes_none_of_it(session, england):
    steps = court_history()
    steps[-1] = step("final_order", D(2026, 10, 14), child_ref="C2", proceedings_ref="ZW26C00042", order_type="adoption")
    outcome = record(session, england, steps)
    assert [e.key for e in outcome.errors] == [len(steps) + 1]  # keys start at 2 in the helper
    for model in (Event, Child, Family, Proceedings, ProceedingsChild, Extension, FamilyGroupConference):
        assert count(session, model) == 0, model.__name__


def test_a_back_dated_step_is_replayed_into_place(session, england):
    # The worker records an accommodation with an exception, then learns an FGC had been offered
    # the week before and records that too: the history is replayed in date order.
    record(session, england, [opened("C1", D(2026, 1, 5)),
                              step("accommodate_s20", D(2026, 2, 1), child_ref="C1", consent_by="mother",
                                   exception="Emergency: mother hospitalised")])
    outcome = record(session, england, [step("offer_fgc", D(2026, 1, 25))])
    assert outcome.ok, outcome.errors
    assert session.scalars(select(FamilyGroupConference)).one().offered_on == D(2026, 1, 25)


def test_a_back_dated_step_that_would_break_later_history_is_refused(session, england):
    record(session, england, [opened("C1", D(2026, 1, 5)), step("offer_fgc", D(2026, 1, 10)),
                              step("accommodate_s20", D(2026, 2, 1), child_ref="C1", consent_by="mother")])
    outcome = record(session, england, [step("close_case", D(2026, 1, 20), child_ref="C1", reason="Moved away")])
    assert not outcome.ok
    assert "already recorded, invalid" in outcome.errors[0].message
    assert count(session, Event) == 3


def test_child_refs_are_unique_within_an_authority_not_across(session, england, wales):
    assert record(session, england, [opened("C1", D(2026, 1, 5), family_ref="FAM1")]).ok
    outcome = record(session, england, [opened("C1", D(2026, 2, 5), family_ref="FAM2")])
    assert "already open" in outcome.errors[0].message
    assert record(session, wales, [opened("C1", D(2026, 2, 5), family_ref="FAM2")]).ok


def test_proceedings_refs_are_unique_within_an_authority(session, england):
    steps = [opened("A1", D(2026, 1, 5), family_ref="FA"), opened("B1", D(2026, 1, 5), family_ref="FB"),
             step("offer_fgc", D(2026, 1, 6), family_ref="FA"), step("offer_fgc", D(2026, 1, 6), family_ref="FB"),
             step("send_letter_before_proceedings", D(2026, 1, 7), family_ref="FA"),
             step("send_letter_before_proceedings", D(2026, 1, 7), family_ref="FB"),
             step("issue_proceedings", D(2026, 2, 1), family_ref="FA", child_ref="A1", proceedings_ref="P1")]
    assert record(session, england, steps).ok
    outcome = record(session, england, [
        step("issue_proceedings", D(2026, 2, 2), family_ref="FB", child_ref="B1", proceedings_ref="P1")])
    assert "belong to another family" in outcome.errors[0].message


def test_record_step_audits_before_and_after(session, england, clock):
    record(session, england, [opened("C1", D(2026, 1, 5))])
    outcome = record_step(session, england, step("offer_fgc", D(2026, 1, 8)),
                          actor=Actor(None, "worker@example.test"), now=clock.now())
    session.commit()
    assert outcome.ok
    entry = session.scalars(select(AuditEntry)).one()
    assert entry.action == "record:offer_fgc" and entry.actor == "worker@example.test"
    assert '"fgc": []' in entry.before and '"status": "offered"' in entry.after


def test_record_step_with_a_stale_version_is_a_conflict(session, england, clock):
    record(session, england, [opened("C1", D(2026, 1, 5))])
    version = session.scalars(select(Family)).one().version
    record_step(session, england, step("offer_fgc", D(2026, 1, 8)), actor=Actor(None, "a"), now=clock.now(),
                expected_version=version)
    session.commit()
    with pytest.raises(Conflict, match="changed by someone else"):
        record_step(session, england, step("start_cp_plan", D(2026, 1, 9), child_ref="C1"),
                    actor=Actor(None, "b"), now=clock.now(), expected_version=version)
    session.rollback()
    assert count(session, Event) == 2


@pytest.mark.parametrize("table", ["events", "audit_log"])
def test_the_database_refuses_to_change_history(session, england, clock, table):
    record(session, england, [opened("C1", D(2026, 1, 5))])
    record_step(session, england, step("offer_fgc", D(2026, 1, 8)), actor=Actor(None, "a"), now=clock.now())
    session.commit()
    with pytest.raises((DBAPIError, IntegrityError), match="append-only"):
        session.execute(text(f"UPDATE {table} SET id = id"))
    session.rollback()
    with pytest.raises((DBAPIError, IntegrityError), match="append-only"):
        session.execute(text(f"DELETE FROM {table}"))
    session.rollback()


def test_same_day_steps_apply_in_the_order_given(session, england):
    steps = [opened("C1", D(2026, 1, 5)), step("offer_fgc", D(2026, 2, 1)),
             step("accommodate_s20", D(2026, 2, 1), child_ref="C1", consent_by="father")]
    assert record(session, england, steps).ok
    reversed_order = [opened("C2", D(2026, 1, 5), family_ref="FAM2"),
                      step("accommodate_s20", D(2026, 2, 1), family_ref="FAM2", child_ref="C2", consent_by="father"),
                      step("offer_fgc", D(2026, 2, 1), family_ref="FAM2")]
    assert not record(session, england, reversed_order).ok


def test_recording_a_batch_issues_no_query_per_row(session, england):
    """Opening 5 or 60 children (each a reference to check against the authority) costs the
    same number of SQL statements: lookups are batched, not one per row."""
    from sqlalchemy import event

    from pathway.extensions import db

    def statements_for(prefix: str, n: int) -> int:
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731 (before_cursor_execute: statement)
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            steps = [opened(f"{prefix}C{i}", D(2026, 1, 5), family_ref=f"{prefix}F{i}") for i in range(n)]
            steps += [step("offer_fgc", D(2026, 1, 6), family_ref=f"{prefix}F{i}") for i in range(n)]
            assert record(session, england, steps).ok
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    assert statements_for("A", 5) == statements_for("B", 60)
