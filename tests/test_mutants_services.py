"""Recording steps at its edges (issue 18: tests that fail when the service is coded wrong).

`pathway.services`: the one way a step is recorded (lock, replay, write the events, the
projection, the report facts and the audit trail), and the helpers the import and the pages use.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, insert, select, text, update

from conftest import TODAY, add_la, opened, record, step
from pathway import services
from pathway import workflow as wf
from pathway.messages import sentences
from pathway.models import (AuditEntry, Child, ChildRelation, Event, Extension, Family, FamilyGroupConference,
                            FamilyPerson, Person, Proceedings)
from pathway.queues.models import ChildFlag
from pathway.services import Actor, Conflict, Outcome, StepError
from pathway.transfer import parse_row

from test_concurrency import assert_projection_matches
from web_helpers import make_team, make_user

D = date
NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=timezone.utc)
ACTOR = Actor(None, "test")


def count(session, model):
    return session.execute(select(func.count()).select_from(model)).scalar()


def the_family(session, ref="FAM1"):
    session.expire_all()
    return session.execute(select(Family).where(Family.reference == ref)).scalar_one()


def record_keyed(session, la, keyed):
    """record_steps with the keys given (the import's line numbers), rolled back on refusal."""
    outcome = services.record_steps(session, la, keyed, actor=ACTOR, source="import", now=NOW)
    if outcome.ok:
        session.commit()
    else:
        session.rollback()
    return outcome


def ready_for_court(family_ref="FAM1", child="C1"):
    return [opened(child, D(2026, 6, 1), family_ref), step("offer_fgc", D(2026, 6, 10), family_ref),
            step("fgc_accepted", D(2026, 6, 15), family_ref), step("hold_fgc", D(2026, 7, 1), family_ref),
            step("send_letter_before_proceedings", D(2026, 7, 10), family_ref)]


# --------------------------------------------------------------------------------------------
# Messages, errors, outcomes
# --------------------------------------------------------------------------------------------


def test_a_conflict_names_the_family_and_says_what_to_do():
    conflict = Conflict("FAM9")
    assert conflict.family_ref == "FAM9"
    assert str(conflict) == str(conflict.message) == (
        "Family FAM9's record was changed by someone else while you were working on it. "
        "Reload the page to see the latest record, then try again.")


def test_a_step_error_gives_its_problems_one_after_another():
    error = StepError(4, [wf.Problem("date", "The date is wrong."), wf.Problem("reason", "A reason is needed.")])
    assert error.message == "The date is wrong. A reason is needed."
    assert Outcome().ok and not Outcome(errors=[error]).ok


def test_the_duty_date_is_the_setting_or_else_the_default(app):
    assert services.fgdm_duty_from() == wf.FGDM_DUTY_DEFAULT
    app.config["FGDM_DUTY_FROM"] = D(2027, 1, 1)
    assert services.fgdm_duty_from() == D(2027, 1, 1)


def test_outside_an_application_the_duty_date_is_the_default():
    assert services.fgdm_duty_from() == wf.FGDM_DUTY_DEFAULT


def test_lists_are_split_on_semicolons_and_blank_is_none():
    assert services.split_list(" a ; b;;c ") == ("a", "b", "c")
    assert services.split_list("") is None and services.split_list(None) is None and services.split_list(" ; ") is None
    assert services.join_list(("a", "b")) == "a;b"
    assert services.join_list(()) is None and services.join_list(None) is None


# --------------------------------------------------------------------------------------------
# History: every column round trips, by family, by authority, or both
# --------------------------------------------------------------------------------------------

NETWORK = """event,date,family_ref,child_ref,person_ref,relationship,parental_responsibility,dob,sex,ethnicity,characteristics,outcome,consent_by,exception,decided_by,offered_to,proceedings_ref,order_type,emergency_type,weeks,reason,end_date,invited,attended,private_family_time,coordinator
open_case,2026-05-04,NET1,NC1,,,,2015-05-01,F,WBRI,,,,,,,,,,,,,,,,
open_case,2026-05-04,NET1,NC2,,,,2019-03-03,M,MWBC,,,,,,,,,,,,,,,,
add_person,2026-05-04,NET1,,NM1,,,1990-02-02,F,WBRI,care_experienced;learning_disability,,,,,,,,,,,,,,,
add_person,2026-05-04,NET1,,NF1,,,,M,,,,,,,,,,,,,,,,,
add_person,2026-05-04,NET1,,NF2,,,,M,,,,,,,,,,,,,,,,,
add_person,2026-05-05,NET1,,NG1,,,,,,,,,,,,,,,,,,,,,
relate_person,2026-05-05,NET1,NC1,NM1,mother,yes,,,,,,,,,,,,,,,,,,,
relate_person,2026-05-05,NET1,NC2,NM1,mother,yes,,,,,,,,,,,,,,,,,,,
relate_person,2026-05-05,NET1,NC1,NF1,father,yes,,,,,,,,,,,,,,,,,,,
relate_person,2026-05-05,NET1,NC2,NF2,father,no,,,,,,,,,,,,,,,,,,,
relate_person,2026-05-05,NET1,NC1,NG1,maternal_grandparent,no,,,,,,,,,,,,,,,,,,,
offer_fgc,2026-05-10,NET1,,,,,,,,,,,,,NM1;NF1,,,,,,,,,,
fgc_declined,2026-05-12,NET1,,,,,,,,,,,,,,,,,,,,,,,
object_to_accommodation,2026-05-13,NET1,NC2,NM1,,,,,,,,,,,,,,,,,,,,,
withdraw_objection,2026-05-14,NET1,NC2,NM1,,,,,,,,,,,,,,,,,,,,,
accommodate_s20,2026-05-15,NET1,NC2,,,,,,,,,NM1,,,,,,,,,,,,,
object_to_accommodation,2026-05-20,NET1,NC2,NM1,,,,,,,,,,,,,,,,,,,,,
remove_from_accommodation,2026-05-21,NET1,NC2,NM1,,,,,,,,,,,,,,,,,,,,,
carer_assessment,2026-05-25,NET1,,NG1,,,,,,,viability_positive,,,,,,,,,,,,,,
send_letter_before_proceedings,2026-06-01,NET1,,,,,,,,,,,,,NF1;NM1,,,,,,,,,,
issue_proceedings,2026-06-20,NET1,NC1,,,,,,,,,,Meeting would put the child at risk,"A. Head, head of service",,ZW26C00077,,,,,,,,,
extend_timetable,2026-08-20,NET1,NC1,,,,,,,,,,,,,ZW26C00077,,,8,parenting_assessment,,,,,
relate_person,2026-09-01,NET1,NC1,NG1,maternal_grandparent,yes,,,,,,,,,,,,,,,,,,,
final_order,2026-09-01,NET1,NC1,NG1,,,,,,,,,,,,ZW26C00077,sgo,,,,,,,,
post_removal_support,2026-09-10,NET1,,NM1,,,,,,,referred,,,,,,,,,,,,,,
open_case,2026-01-05,CLK1,K1,,,,2015-05-01,F,WBRI,,,,,,,,,,,,,,,,
open_case,2026-01-05,CLK1,K2,,,,2018-05-01,M,WBRI,,,,,,,,,,,,,,,,
strategy_discussion,2026-01-12,CLK1,K1,,,,,,,,,,,,,,,,,,,,,,
initial_cp_conference,2026-01-30,CLK1,K1,,,,,,,,plan,,,,,,,,,,,,,,
initial_cp_conference,2026-01-30,CLK1,K2,,,,,,,,no_plan,,,,,,,,,,,,,,
emergency_protection,2026-03-02,CLK1,K2,,,,,,,,,,,,,,,epo,,,2026-03-06,,,,
offer_fgc,2026-03-03,CLK1,,,,,,,,,,,,,,,,,,,,,,,
send_letter_before_proceedings,2026-03-04,CLK1,,,,,,,,,,,,,,,,,,,,,,,
extend_epo,2026-03-05,CLK1,K2,,,,,,,,,,,,,,,,,,2026-03-12,,,,
issue_proceedings,2026-03-10,CLK1,K2,,,,,,,,,,,,,ZW26C00300,,,,,,,,,
interim_order,2026-03-11,CLK1,K2,,,,,,,,,,,,,ZW26C00300,interim_care_order,,,,,,,,
cp_review_conference,2026-04-28,CLK1,K1,,,,,,,,,,,,,,,,,,,,,,
issue_proceedings,2026-05-01,CLK1,K1,,,,,,,,,,,,,ZW26C00300,,,,,,,,,
extend_timetable,2026-08-20,CLK1,K2,,,,,,,,,,,,,ZW26C00300,,,6,parenting_assessment,,,,,
extend_timetable,2026-08-21,CLK1,,,,,,,,,,,,,,ZW26C00300,,,2,court_listing,,,,,
open_case,2026-05-04,FG1,FC1,,,,2016-02-02,F,WBRI,,,,,,,,,,,,,,,,
add_person,2026-05-04,FG1,,FM1,,,,F,,,,,,,,,,,,,,,,,
add_person,2026-05-04,FG1,,FG9,,,,,,,,,,,,,,,,,,,,,
offer_fgc,2026-05-05,FG1,,,,,,,,,,,,,FM1,,,,,,,,,,
fgc_accepted,2026-05-06,FG1,,,,,,,,,,,,,,,,,,,,,,,
refer_fgc,2026-05-07,FG1,,,,,,,,,,,,,,,,,,"Neglect, home conditions",,,,,
allocate_fgc_coordinator,2026-05-08,FG1,,,,,,,,,,,,,,,,,,,,,,,coord@e09000999.example
hold_fgc,2026-06-10,FG1,,,,,,,,,,,,,,,,,,,,FG9;FM1,FM1,yes,
decide_fgc_plan,2026-06-12,FG1,,,,,,,,,not_accepted,,,,,,,,,The plan leaves the child alone at night,,,,,
review_fgc,2026-09-10,FG1,,,,,,,,,,,,,,,,,,,,,,,
offer_fgc,2026-09-20,FG1,,,,,,,,,,,,,,,,,,,,,,,
close_fgc,2026-09-25,FG1,,,,,,,,,,,,,,,,,,family_withdrew,,,,,
"""
COORD = "coord@e09000999.example"


def network_steps():
    return [parse_row({**row, "la_code": "E09000999"}) for row in csv.DictReader(io.StringIO(NETWORK))]


def in_order(steps):
    return sorted(steps, key=lambda ev: ev.date)  # stable: the given order within a day


def test_the_history_gives_back_every_column_of_every_step(session, england):
    make_user(session, "fgc_coordinator", england, email=COORD)
    steps = network_steps()
    outcome = record(session, england, steps)
    assert outcome.ok, [e.message for e in outcome.errors]
    assert outcome.events_written == len(steps) and outcome.families == ["CLK1", "FG1", "NET1"]
    for ref in ("NET1", "CLK1", "FG1"):
        family = the_family(session, ref)
        mine = in_order([ev for ev in steps if ev.family_ref == ref])
        assert [services.to_event(r) for r in services.history_rows(session, [family.id])] == mine
        assert_projection_matches(session, family)
    assert [services.to_event(r) for r in services.history_rows(session)] == in_order(steps)
    offers = session.execute(select(Family.reference, FamilyGroupConference.offered_on, FamilyGroupConference.offered_to)
                             .join(Family, Family.id == FamilyGroupConference.family_id)).all()
    assert sorted(tuple(o) for o in offers) == [
        ("CLK1", D(2026, 3, 3), None), ("FG1", D(2026, 5, 5), "FM1"), ("FG1", D(2026, 9, 20), None),
        ("NET1", D(2026, 5, 10), "NF1;NM1"), ("NET1", D(2026, 6, 1), "NF1;NM1")]
    extensions = session.execute(
        select(Proceedings.reference, Extension.granted_on, Extension.weeks, Extension.reason, Extension.category,
               Child.reference).join(Proceedings, Proceedings.id == Extension.proceedings_id)
        .outerjoin(Child, Child.id == Extension.child_id).order_by(Extension.id)).all()
    assert sorted(tuple(e) for e in extensions) == [
        ("ZW26C00077", D(2026, 8, 20), 8, "parenting_assessment", "complexity", "NC1"),
        ("ZW26C00300", D(2026, 8, 20), 6, "parenting_assessment", "complexity", "K2"),
        ("ZW26C00300", D(2026, 8, 21), 2, "court_listing", "system", None)]
    assert [services.to_event(r) for r in services.history_rows(session, la_id=england.id)] == in_order(steps)


def test_one_step_at_a_time_gives_the_same_projection_as_the_history(session, england):
    make_user(session, "fgc_coordinator", england, email=COORD)
    for ev in in_order(network_steps()):
        outcome = services.record_step(session, england, ev, actor=ACTOR, now=NOW, source="import")
        assert outcome.ok, (ev, [e.message for e in outcome.errors])
        session.commit()
        assert_projection_matches(session, the_family(session, ev.family_ref))


def test_the_history_of_an_authority_or_of_families_leaves_out_everyone_else(session, england, wales):
    assert record(session, england, [opened("C1", D(2026, 1, 5)), opened("C2", D(2026, 1, 5), "FAM2")]).ok
    assert record(session, wales, [opened("W1", D(2026, 1, 6)), step("offer_fgc", D(2026, 1, 7))]).ok
    fam1 = session.scalar(select(Family.id).where(Family.la_id == england.id, Family.reference == "FAM1"))
    welsh = session.scalar(select(Family.id).where(Family.la_id == wales.id))

    def refs(rows):
        return [(r.family_ref, r.child_ref, r.event) for r in rows]

    assert refs(services.history_rows(session, la_id=wales.id)) == [("FAM1", "W1", "open_case"), ("FAM1", None, "offer_fgc")]
    assert refs(services.history_rows(session, [fam1, welsh], la_id=england.id)) == [("FAM1", "C1", "open_case")]
    assert refs(services.history_rows(session, [fam1, welsh], la_id=wales.id)) == [
        ("FAM1", "W1", "open_case"), ("FAM1", None, "offer_fgc")]
    assert refs(services.history_rows(session, [fam1, welsh])) == [
        ("FAM1", "C1", "open_case"), ("FAM1", "W1", "open_case"), ("FAM1", None, "offer_fgc")]
    assert list(services.history_rows(session, [])) == []


def test_a_familys_state_is_replayed_in_its_authoritys_nation(session, wales, clock):
    assert record(session, wales, [opened("W1", D(2026, 1, 6)), step("offer_fgc", D(2026, 1, 7))]).ok
    state = services.family_state(session, the_family(session), clock.today())
    assert (state.ref, state.la_code, state.nation) == ("FAM1", wales.code, "wales")
    assert list(state.children) == ["W1"] and state.fgcs[0].offered_on == D(2026, 1, 7)


# --------------------------------------------------------------------------------------------
# Recording: order, refusals and their keys
# --------------------------------------------------------------------------------------------


def test_on_the_same_day_the_recorded_history_comes_before_the_new_steps(session, england):
    assert record(session, england, [opened("C1", D(2026, 1, 5)), step("offer_fgc", D(2026, 2, 1))]).ok
    outcome = record(session, england, [step("accommodate_s20", D(2026, 2, 1), child_ref="C1", consent_by="father")])
    assert outcome.ok, [e.message for e in outcome.errors]
    assert session.scalar(select(Child.stage)) == "section_20"


def test_a_back_dated_step_that_breaks_the_history_is_named_with_its_line_and_the_step_it_breaks(session, england):
    assert record(session, england, [opened("C1", D(2026, 1, 5)), step("offer_fgc", D(2026, 1, 10)),
                                     step("accommodate_s20", D(2026, 2, 1), child_ref="C1", consent_by="mother")]).ok
    outcome = record_keyed(session, england, [
        (7, step("start_cp_plan", D(2026, 1, 12), child_ref="C1")),
        (8, step("close_case", D(2026, 1, 20), child_ref="C1", reason="Moved away")),
    ])
    assert [e.key for e in outcome.errors] == [8]
    (problem,) = outcome.errors[0].problems
    assert problem.field == "date"
    assert problem.message == ("This step would make 'Accommodate by agreement' on 1 February 2026, already "
                               "recorded, invalid: Child C1's case was closed on 20 January 2026.")
    assert count(session, Event) == 3


def test_a_step_dated_before_the_record_it_refers_to_is_told_its_date(session, england):
    assert record(session, england, [opened("C1", D(2026, 1, 5))]).ok
    outcome = record_keyed(session, england, [(4, step("start_cp_plan", D(2026, 1, 2), child_ref="C1"))])
    assert [e.key for e in outcome.errors] == [4]
    (problem,) = outcome.errors[0].problems
    assert problem == wf.date_problem(services.family_state(session, the_family(session), TODAY),
                                      step("start_cp_plan", D(2026, 1, 2), child_ref="C1"))
    assert problem.field == "date"


def test_errors_come_in_line_order_and_steps_without_a_line_last(session, england):
    bad = [step("accommodate_s20", D(2026, 1, d), family_ref=f"F{d}", child_ref="C1", consent_by="mother")
           for d in range(1, 5)]
    outcome = record_keyed(session, england, [(9, bad[0]), (None, bad[1]), (3, bad[2]), (5, bad[3])])
    assert [e.key for e in outcome.errors] == [3, 5, 9, None]
    outcome = record_keyed(session, england, [(1, bad[0]), ("head", bad[1])])
    assert [e.key for e in outcome.errors] == ["head", 1]  # a key that is not a line number counts as 0


def test_two_new_families_in_one_batch_cannot_open_the_same_child(session, england):
    outcome = record(session, england, [opened("C1", D(2026, 1, 5), "FA"), opened("C1", D(2026, 1, 6), "FB")])
    assert [e.key for e in outcome.errors] == [3]
    assert "already open" in outcome.errors[0].message
    assert count(session, Child) == 0


def test_two_new_families_in_one_batch_cannot_share_proceedings(session, england):
    steps = ready_for_court("FA", "A1") + ready_for_court("FB", "B1") + [
        step("issue_proceedings", D(2026, 8, 1), "FA", "A1", proceedings_ref="P1"),
        step("issue_proceedings", D(2026, 8, 1), "FA", "A2", proceedings_ref="P1"),
        step("issue_proceedings", D(2026, 8, 2), "FB", "B1", proceedings_ref="P1")]
    steps.insert(1, opened("A2", D(2026, 6, 1), "FA"))
    outcome = record(session, england, steps)
    assert [e.key for e in outcome.errors] == [len(steps) + 1]
    assert "belong to another family" in outcome.errors[0].message
    del steps[-1]
    assert record(session, england, steps).ok
    assert session.scalar(select(func.count()).select_from(Proceedings)) == 1


# --------------------------------------------------------------------------------------------
# FGC coordinators (issue 13)
# --------------------------------------------------------------------------------------------


def allocation(coordinator, day=D(2026, 5, 8), family_ref="FAM1"):
    return step("allocate_fgc_coordinator", day, family_ref, coordinator=coordinator)


def referred(family_ref="FAM1"):
    return [opened("C1", D(2026, 5, 4), family_ref), step("offer_fgc", D(2026, 5, 5), family_ref),
            step("fgc_accepted", D(2026, 5, 6), family_ref),
            step("refer_fgc", D(2026, 5, 7), family_ref, reason="Neglect")]


def test_only_an_active_coordinator_of_the_authority_can_be_allocated(session, england, wales):
    make_user(session, "fgc_coordinator", england, email="yes@e.test")
    make_user(session, "fgc_coordinator", england, email="gone@e.test", active=False)
    make_user(session, "social_worker", england, email="worker@e.test")
    make_user(session, "fgc_coordinator", wales, email="welsh@e.test")
    assert record(session, england, referred()).ok
    for email in ("gone@e.test", "worker@e.test", "welsh@e.test", "nobody@e.test"):
        outcome = record(session, england, [allocation(email)])
        (problem,) = outcome.errors[0].problems
        assert problem.field == "coordinator"
        assert problem.message == (f"{email} is not an FGC coordinator of {england.name}. Allocate a user with the "
                                   "FGC coordinator role in this authority.")
    assert record(session, england, [allocation("yes@e.test")]).ok
    assert session.scalar(select(FamilyGroupConference.coordinator)) == "yes@e.test"


def test_a_coordinator_who_has_left_stays_in_the_history(session, england):
    user = make_user(session, "fgc_coordinator", england, email="c@e.test")
    assert record(session, england, referred() + [allocation("c@e.test")]).ok
    user.active = False
    session.commit()
    assert record(session, england, [step("hold_fgc", D(2026, 6, 1))]).ok  # the allocation replays
    assert session.scalar(select(FamilyGroupConference.status)) == "held"


# --------------------------------------------------------------------------------------------
# Versions and conflicts
# --------------------------------------------------------------------------------------------


def test_every_family_a_batch_changes_moves_on_one_version_and_no_other(session, england):
    assert record(session, england, [opened("A1", D(2026, 1, 5), "FA"), opened("B1", D(2026, 1, 5), "FB"),
                                     opened("C1", D(2026, 1, 5), "FC")]).ok
    assert [the_family(session, r).version for r in ("FA", "FB", "FC")] == [1, 1, 1]
    outcome = services.record_steps(session, england, [(2, step("offer_fgc", D(2026, 1, 6), "FA")),
                                                       (3, step("offer_fgc", D(2026, 1, 6), "FB")),
                                                       (4, opened("D1", D(2026, 1, 6), "FD"))],
                                    actor=ACTOR, source="import", now=NOW)
    assert outcome.ok and outcome.families == ["FA", "FB", "FD"] and outcome.events_written == 3
    # Already moved on in this session, before the commit.
    assert {f.reference: f.version for f in session.scalars(select(Family))} == {"FA": 2, "FB": 2, "FC": 1, "FD": 1}
    session.commit()
    assert record(session, england, [step("offer_fgc", D(2026, 1, 7), "FC"), opened("E1", D(2026, 1, 7), "FE")]).ok
    assert [the_family(session, r).version for r in ("FA", "FB", "FC", "FD", "FE")] == [2, 2, 2, 1, 1]


def test_a_version_given_for_a_family_not_yet_recorded_is_not_checked(session, england):
    outcome = services.record_step(session, england, opened("C1", D(2026, 1, 5)), actor=ACTOR, now=NOW,
                                   expected_version=7)
    assert outcome.ok
    session.commit()
    assert the_family(session).version == 1


def another_writer_moves_on(monkeypatch, session, refs):
    """After the batch has read the families, another writer (SQLite locks nothing) moves them on."""
    real = services._fgc_coordinators

    def moved_meanwhile(*args):
        for ref in refs:
            session.execute(text("UPDATE families SET version = version + 1 WHERE reference = :r"), {"r": ref})
        return real(*args)

    monkeypatch.setattr(services, "_fgc_coordinators", moved_meanwhile)


def test_a_family_moved_on_by_another_writer_meanwhile_is_a_conflict(session, england, monkeypatch):
    assert record(session, england, [opened("A1", D(2026, 1, 5), "FA")]).ok
    another_writer_moves_on(monkeypatch, session, ["FA"])
    with pytest.raises(Conflict) as raised:
        record(session, england, [step("offer_fgc", D(2026, 1, 6), "FA")])
    assert raised.value.family_ref == "FA"
    session.rollback()
    assert count(session, Event) == 1


def test_one_of_several_families_moved_on_meanwhile_is_a_conflict_naming_it(session, england, monkeypatch):
    assert record(session, england, [opened("A1", D(2026, 1, 5), "FA"), opened("B1", D(2026, 1, 5), "FB"),
                                     opened("C1", D(2026, 1, 5), "FC")]).ok
    another_writer_moves_on(monkeypatch, session, ["FB"])
    with pytest.raises(Conflict) as raised:
        record(session, england, [step("offer_fgc", D(2026, 1, 6), r) for r in ("FA", "FB", "FC")])
    assert raised.value.family_ref == "FB"
    session.rollback()
    assert count(session, Event) == 3


def another_writer_creates(monkeypatch, session, la, refs):
    """Another writer creates the same new family after the batch looked (a new row has no lock)."""
    real = services._fgc_coordinators

    def created_meanwhile(*args):
        for ref in refs:
            session.execute(insert(Family).values(la_id=la.id, reference=ref, opened_on=D(2026, 1, 1), version=1))
        return real(*args)

    monkeypatch.setattr(services, "_fgc_coordinators", created_meanwhile)


def test_a_new_family_created_by_another_writer_meanwhile_is_a_conflict(session, england, monkeypatch):
    another_writer_creates(monkeypatch, session, england, ["FA"])
    with pytest.raises(Conflict) as raised:
        record(session, england, [opened("A1", D(2026, 1, 5), "FA")])
    assert raised.value.family_ref == "FA"
    session.rollback()
    assert count(session, Family) == 0


def test_a_conflict_among_many_new_families_names_the_first_three(session, england, monkeypatch):
    another_writer_creates(monkeypatch, session, england, ["FB"])
    with pytest.raises(Conflict) as raised:
        record(session, england, [opened(f"{r}1", D(2026, 1, 5), r) for r in ("FD", "FC", "FB", "FA")])
    assert raised.value.family_ref == "FA, FB, FC"
    session.rollback()


def test_moving_the_version_on_refuses_a_version_the_family_is_not_at(session, england):
    assert record(session, england, [opened("C1", D(2026, 1, 5))]).ok
    family = the_family(session)
    for wrong in (0, 2, -1, 2**31, 2**31 + 1):
        with pytest.raises(Conflict, match="changed by someone else") as raised:
            services.move_version_on(session, family, wrong)
        assert raised.value.family_ref == "FAM1"
    services.move_version_on(session, family, 1)
    session.commit()
    assert the_family(session).version == 2
    services.move_version_on(session, the_family(session), 2)
    session.commit()
    assert the_family(session).version == 3


# --------------------------------------------------------------------------------------------
# A big batch (more than 200 families): the authority's families and history read at once
# --------------------------------------------------------------------------------------------


def test_a_batch_of_more_than_200_families_continues_each_familys_history(session, england, wales):
    n = 205
    assert record(session, wales, [opened("W1", D(2026, 1, 5), "F0"), step("offer_fgc", D(2026, 1, 6), "F0")]).ok
    first = [opened(f"C{i}", D(2026, 1, 5), f"F{i}") for i in range(n)]
    first += [step("offer_fgc", D(2026, 1, 6), f"F{i}") for i in range(n - 4)]
    assert record(session, england, first).ok
    touched = range(201)
    outcome = record(session, england, [step("accommodate_s20", D(2026, 2, 1), f"F{i}", f"C{i}", consent_by="mother")
                                        for i in touched])
    assert outcome.ok, outcome.errors[:2]
    assert outcome.events_written == 201 and len(outcome.families) == 201
    session.expire_all()
    versions = dict(session.execute(select(Family.reference, Family.version).where(Family.la_id == england.id)).all())
    assert versions == {f"F{i}": 2 if i in touched else 1 for i in range(n)}
    stages = dict(session.execute(select(Child.reference, Child.stage).where(Child.la_id == england.id)).all())
    assert stages == {f"C{i}": "section_20" if i in touched else "early_help" for i in range(n)}
    assert session.scalar(select(Family.version).where(Family.la_id == wales.id)) == 1
    # Without the FGC offer in its history a family's step is refused, big batch or not.
    refused = record(session, england, [step("accommodate_s20", D(2026, 2, 2), f"F{i}", f"C{i}", consent_by="mother")
                                        for i in range(n - 4, n)] +
                     [opened(f"N{i}", D(2026, 2, 2), f"G{i}") for i in range(200)])
    assert [e.key for e in refused.errors] == [2, 3, 4, 5]


# --------------------------------------------------------------------------------------------
# Rebuilding the projection
# --------------------------------------------------------------------------------------------


def test_rebuilding_repairs_only_the_authoritys_own_families_and_counts_them(session, england, wales):
    assert services.rebuild_projection(session, england, TODAY) == 0
    assert record(session, england, ready_for_court("FA", "A1") + [opened("B1", D(2026, 1, 5), "FB")]).ok
    assert record(session, wales, [opened("W1", D(2026, 1, 5))]).ok
    session.execute(update(Child).values(stage="closed"))
    session.execute(update(FamilyGroupConference).values(status="declined"))
    session.execute(ChildFlag.__table__.delete())
    session.commit()
    assert services.rebuild_projection(session, england, TODAY) == 2
    session.commit()
    session.expire_all()
    stages = dict(session.execute(select(Child.reference, Child.stage)).all())
    assert stages == {"A1": "pre_proceedings", "B1": "early_help", "W1": "closed"}
    assert session.scalar(select(FamilyGroupConference.status)) == "held"
    assert session.scalar(select(func.count()).select_from(ChildFlag).where(ChildFlag.la_id == england.id)) > 0
    assert session.scalar(select(func.count()).select_from(ChildFlag).where(ChildFlag.la_id == wales.id)) == 0
    assert count(session, Event) == 7
    for ref in ("FA", "FB"):
        assert_projection_matches(session, the_family(session, ref))


# --------------------------------------------------------------------------------------------
# Bulk insert
# --------------------------------------------------------------------------------------------


def test_bulk_insert_keeps_the_order_converts_each_value_and_fills_in_defaults(session, england):
    services.insert_many(session, Family, [])
    rows = [{"la_id": england.id, "reference": r, "opened_on": d}
            for r, d in (("X3", D(2026, 1, 5)), ("X1", D(2026, 1, 5)), ("X2", D(2026, 2, 6)), ("X0", D(2026, 1, 5)))]
    services.insert_many(session, Family, rows)  # no version: the column's default
    with_version = [{"la_id": england.id, "reference": "Y1", "opened_on": D(2026, 3, 1), "version": 4}]
    services.insert_many(session, Family, with_version)
    session.commit()
    stored = session.execute(select(Family.reference, Family.opened_on, Family.version).order_by(Family.id)).all()
    assert [tuple(r) for r in stored] == [("X3", D(2026, 1, 5), 1), ("X1", D(2026, 1, 5), 1), ("X2", D(2026, 2, 6), 1),
                                          ("X0", D(2026, 1, 5), 1), ("Y1", D(2026, 3, 1), 4)]


# --------------------------------------------------------------------------------------------
# Audit
# --------------------------------------------------------------------------------------------


def test_an_audit_entry_holds_who_what_and_the_record_before_and_after_as_sorted_json(session, england):
    user = make_user(session, "social_worker", england, email="w@e.test")
    services.audit(session, actor=Actor(user.id, "w@e.test"), action="test", entity="thing", entity_id=42, now=NOW,
                   la_id=england.id, before={"b": D(2026, 1, 2), "a": 1}, after={"z": None, "y": [2]})
    services.audit(session, actor=Actor(None, "import"), action="other", entity="family", entity_id=None, now=NOW)
    session.commit()
    first, second = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert (first.user_id, first.actor, first.action, first.entity, first.entity_id, first.la_id, first.family_id) == (
        user.id, "w@e.test", "test", "thing", 42, england.id, None)
    assert first.at.replace(tzinfo=timezone.utc) == NOW
    assert (first.before, first.after) == ('{"a": 1, "b": "2026-01-02"}', '{"y": [2], "z": null}')
    assert (second.user_id, second.actor, second.la_id, second.before, second.after) == (None, "import", None, None, None)


def test_allocating_a_family_is_audited_and_clears_its_unallocated_flag(session, england):
    assert record(session, england, [opened("C1", D(2026, 1, 5))]).ok
    team = make_team(session, england)
    worker = make_user(session, "social_worker", england, team=team)
    family = the_family(session)
    assert "unallocated" in set(session.scalars(select(ChildFlag.code)))
    services.allocate(session, family, team.id, worker.id, actor=Actor(worker.id, worker.email), now=NOW)
    session.commit()
    family = the_family(session)
    assert (family.team_id, family.worker_id) == (team.id, worker.id)
    assert "unallocated" not in set(session.scalars(select(ChildFlag.code)))
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.user_id, entry.actor, entry.action, entry.entity, entry.entity_id, entry.la_id, entry.family_id) == (
        worker.id, worker.email, "allocate", "family", family.id, england.id, family.id)
    assert entry.at.replace(tzinfo=timezone.utc) == NOW
    assert json.loads(entry.before) == {"team_id": None, "worker_id": None}
    assert json.loads(entry.after) == {"team_id": team.id, "worker_id": worker.id}
    services.allocate(session, family, None, None, actor=ACTOR, now=NOW)
    session.commit()
    assert "unallocated" in set(session.scalars(select(ChildFlag.code)))
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert json.loads(last.before) == {"team_id": team.id, "worker_id": worker.id}
    assert json.loads(last.after) == {"team_id": None, "worker_id": None}


def test_a_family_summary_gives_each_childs_stage_the_fgcs_letters_and_proceedings():
    assert services.family_summary(None) is None
    history = ready_for_court("FAM1", "C1") + [
        opened("C2", D(2026, 6, 2)),
        step("issue_proceedings", D(2026, 8, 3), child_ref="C1", proceedings_ref="P1"),
        step("extend_timetable", D(2026, 11, 2), proceedings_ref="P1", weeks=8, reason="parenting_assessment")]
    state = wf.replay(history, "E09000999", "england", wf.Context(today=TODAY))
    assert services.family_summary(state) == {
        "children": {"C1": {"stage": "proceedings", "since": D(2026, 8, 3)},
                     "C2": {"stage": "early_help", "since": D(2026, 6, 2)}},
        "fgc": [{"offered_on": D(2026, 6, 10), "status": "held"}],
        "letters": [D(2026, 7, 10)],
        "proceedings": {"P1": {"issued_on": D(2026, 8, 3), "deadline": D(2027, 3, 28),
                               "concluded_on": None, "extensions": 1}},
    }


def test_recording_one_step_from_a_form_writes_it_with_its_audit_entry(session, england):
    outcome = services.record_step(session, england, opened("C1", D(2026, 1, 5)), actor=Actor(None, "w@e.test"),
                                   now=NOW)
    assert outcome.ok
    session.commit()
    family = the_family(session)
    assert session.scalar(select(Event.source)) == "form"
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.actor, entry.action, entry.entity, entry.entity_id, entry.la_id, entry.family_id) == (
        "w@e.test", "record:open_case", "family", family.id, england.id, family.id)
    assert entry.before is None
    assert json.loads(entry.after) == {"children": {"C1": {"stage": "early_help", "since": "2026-01-05"}},
                                       "fgc": [], "letters": [], "proceedings": {}}
    outcome = services.record_step(session, england, step("offer_fgc", D(2026, 1, 8)), actor=ACTOR, now=NOW,
                                   expected_version=1, source="import")
    assert outcome.ok
    session.commit()
    second = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert json.loads(second.before) == json.loads(entry.after)
    assert json.loads(second.after)["fgc"] == [{"offered_on": "2026-01-08", "status": "offered"}]
    assert session.scalars(select(Event.source).order_by(Event.id)).all() == ["form", "import"]
    refused = services.record_step(session, england, step("hold_fgc", D(2026, 1, 3)), actor=ACTOR, now=NOW)
    assert not refused.ok and refused.errors[0].key is None
    session.rollback()
    assert count(session, AuditEntry) == 2


def test_moving_one_familys_version_on_leaves_every_other_family_alone(session, england):
    assert record(session, england, [opened("C1", D(2026, 1, 5)), opened("C2", D(2026, 1, 5), "FAM2")]).ok
    services.move_version_on(session, the_family(session, "FAM2"), 1)
    session.commit()
    assert [the_family(session, r).version for r in ("FAM1", "FAM2")] == [1, 2]


def test_one_step_is_audited_against_its_own_authoritys_family_of_that_reference(session, england, wales):
    assert record(session, wales, [opened("W1", D(2026, 1, 5)), step("offer_fgc", D(2026, 1, 6))]).ok
    assert record(session, england, [opened("C0", D(2026, 1, 5), "FAM0"), step("offer_fgc", D(2026, 1, 6), "FAM0")]).ok
    assert record(session, england, [opened("C1", D(2026, 2, 5))]).ok
    outcome = services.record_step(session, england, step("start_cp_plan", D(2026, 2, 6), child_ref="C1"),
                                   actor=ACTOR, now=NOW, expected_version=1)
    assert outcome.ok, outcome.errors
    session.commit()
    mine = session.scalar(select(Family.id).where(Family.la_id == england.id, Family.reference == "FAM1"))
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.entity_id, entry.family_id, entry.la_id) == (mine, mine, england.id)
    assert json.loads(entry.before) == {"children": {"C1": {"stage": "early_help", "since": "2026-02-05"}},
                                        "fgc": [], "letters": [], "proceedings": {}}
    assert json.loads(entry.after)["children"]["C1"]["stage"] == "child_protection"


def test_the_duty_from_the_setting_governs_recording_the_family_page_and_rebuilding(app, session, england):
    """Before s.31ZA applies (the setting) an accepted meeting need not be held before the
    application: recorded, replayed for the family's page and rebuilt under the same setting."""
    app.config["FGDM_DUTY_FROM"] = D(2027, 1, 1)
    history = [opened("C1", D(2026, 5, 4)), step("offer_fgc", D(2026, 5, 5)), step("fgc_accepted", D(2026, 5, 6)),
               step("send_letter_before_proceedings", D(2026, 5, 7)),
               step("issue_proceedings", D(2026, 5, 20), child_ref="C1", proceedings_ref="P1")]
    assert record(session, england, history).ok
    assert services.family_state(session, the_family(session), TODAY).children["C1"].stage == "proceedings"
    assert services.rebuild_projection(session, england, TODAY) == 1
    session.commit()
    app.config["FGDM_DUTY_FROM"] = None
    assert not record(session, england, [opened("C2", D(2026, 5, 4), "FAM2"), step("offer_fgc", D(2026, 5, 5), "FAM2"),
                                         step("fgc_accepted", D(2026, 5, 6), "FAM2"),
                                         step("send_letter_before_proceedings", D(2026, 5, 7), "FAM2"),
                                         step("issue_proceedings", D(2026, 5, 20), "FAM2", "C2", proceedings_ref="P2")]).ok


def test_a_conflict_between_two_new_families_names_both(session, england, monkeypatch):
    another_writer_creates(monkeypatch, session, england, ["FB"])
    with pytest.raises(Conflict) as raised:
        record(session, england, [opened("B1", D(2026, 1, 5), "FB"), opened("A1", D(2026, 1, 5), "FA")])
    assert raised.value.family_ref == "FA, FB"
    session.rollback()


def test_the_families_given_back_are_each_as_its_whole_history_replays(session, england, wales):
    assert record(session, england, ready_for_court("FA", "A1")).ok
    outcome = record(session, england, [step("issue_proceedings", D(2026, 8, 3), "FA", "A1", proceedings_ref="P1"),
                                        opened("B1", D(2026, 8, 3), "FB")])
    assert outcome.ok and sorted(outcome.states) == ["FA", "FB"]
    for ref in ("FA", "FB"):
        assert outcome.states[ref] == services.family_state(session, the_family(session, ref), TODAY)
    assert outcome.states["FA"].la_code == england.code and outcome.states["FA"].nation == "england"
    welsh = record(session, wales, [opened("W1", D(2026, 1, 5))])
    assert (welsh.states["FAM1"].la_code, welsh.states["FAM1"].nation) == (wales.code, "wales")


def test_the_time_a_step_was_recorded_is_stored_as_every_other_time_is(session, england):
    """An event's recorded time can be looked up by the time itself (stored in the database's
    one form for times, whichever way the rows were inserted)."""
    user = make_user(session, "social_worker", england)
    outcome = services.record_steps(session, england, [(None, opened("C1", D(2026, 1, 5)))],
                                    actor=Actor(user.id, user.email), source="form", now=NOW)
    assert outcome.ok
    session.commit()
    found = session.execute(select(Event.event, Event.recorded_by_id, Event.source, Event.la_id)
                            .where(Event.recorded_at == NOW)).all()
    assert [tuple(r) for r in found] == [("open_case", user.id, "form", england.id)]
    assert session.scalar(select(Event.recorded_at)).replace(tzinfo=timezone.utc) == NOW


def test_each_authoritys_people_are_its_own_even_with_the_same_references(session, england, wales):
    def network(la_code_child, family_ref):
        return [opened(la_code_child, D(2026, 1, 5), family_ref),
                step("add_person", D(2026, 1, 5), family_ref, person_ref="P1", sex="F"),
                step("add_person", D(2026, 1, 5), family_ref, person_ref="P2", sex="M")]

    assert record(session, england, network("C1", "FAM1")).ok
    assert record(session, wales, network("W1", "FAM1")).ok
    for la, child in ((england, "C1"), (wales, "W1")):
        assert record(session, la, [
            step("relate_person", D(2026, 1, 6), "FAM1", child, person_ref="P1", relationship="mother",
                 parental_responsibility="yes"),
            step("add_person", D(2026, 1, 6), "FAM1", person_ref="P3")]).ok
    people = {(la_id, ref): pid for pid, la_id, ref in session.execute(select(Person.id, Person.la_id, Person.reference))}
    assert sorted(people) == [(la.id, ref) for la in (england, wales) for ref in ("P1", "P2", "P3")]
    for model in (Event, FamilyPerson):
        pairs = session.execute(select(model.la_id if model is Event else Family.la_id, Person.la_id)
                                .select_from(model).join(Person, Person.id == model.person_id)
                                .join(Family, Family.id == model.family_id)).all()
        assert pairs and all(a == b for a, b in pairs), model.__name__
    relations = session.execute(select(Child.la_id, Person.la_id).select_from(ChildRelation)
                                .join(Child, Child.id == ChildRelation.child_id)
                                .join(Person, Person.id == ChildRelation.person_id)).all()
    assert len(relations) == 2 and all(a == b for a, b in relations)


def test_a_family_long_in_use_moves_its_version_on_as_any_other(session, england):
    assert record(session, england, [opened("C1", D(2026, 1, 5))]).ok
    session.execute(update(Family).values(version=100))
    session.commit()
    services.move_version_on(session, the_family(session), 100)
    session.commit()
    assert the_family(session).version == 101


def test_a_family_already_read_before_another_writer_changed_it_is_read_again_under_the_lock(session, england):
    from sqlalchemy.orm import Session as OrmSession

    from pathway.extensions import db
    from pathway.models import LocalAuthority

    assert record(session, england, [opened("C1", D(2026, 1, 5))]).ok
    held = session.scalar(select(Family))  # this session's copy: version 1
    assert held.version == 1
    with OrmSession(db.engine) as other:  # another writer moves the family on and commits
        la = other.get(LocalAuthority, england.id)
        assert services.record_steps(other, la, [(2, step("offer_fgc", D(2026, 1, 6)))], actor=ACTOR,
                                     source="import", now=NOW).ok
        other.commit()
    outcome = services.record_steps(session, england, [(2, step("fgc_accepted", D(2026, 1, 7)))], actor=ACTOR,
                                    source="import", now=NOW)
    assert outcome.ok, outcome.errors
    session.commit()
    assert the_family(session).version == 3
    assert count(session, Event) == 3


def test_rows_whose_values_have_not_changed_are_left_as_they_are(session, england):
    """A step that changes nothing else (a new person in the network) rewrites none of the family's
    other rows: conferences, extensions, report facts, the rest of the network."""
    from pathway.models import CareEpisode, FgcOutcome

    make_user(session, "fgc_coordinator", england, email=COORD)
    assert record(session, england, [ev for ev in network_steps() if ev.family_ref in ("NET1", "FG1")]).ok
    # A later family's rows, so that rewritten rows could not take their old ids again.
    assert record(session, england, [
        opened("G1", D(2026, 5, 4), "FG3"), step("offer_fgc", D(2026, 5, 5), "FG3"),
        step("fgc_accepted", D(2026, 5, 6), "FG3"), step("hold_fgc", D(2026, 5, 20), "FG3"),
        step("decide_fgc_plan", D(2026, 5, 22), "FG3", outcome="accepted"),
        step("accommodate_s20", D(2026, 6, 1), "FG3", "G1", consent_by="mother"),
        step("send_letter_before_proceedings", D(2026, 6, 2), "FG3"),
        step("issue_proceedings", D(2026, 6, 10), "FG3", "G1", proceedings_ref="P3"),
        step("extend_timetable", D(2026, 9, 10), "FG3", proceedings_ref="P3", weeks=8, reason="parenting_assessment")]).ok
    models = (Child, Proceedings, Extension, FamilyGroupConference, FgcOutcome, CareEpisode)

    def rows():
        found = {m.__name__: sorted(session.scalars(select(m.id))) for m in models}
        found["FamilyPerson"] = sorted(session.execute(select(FamilyPerson.family_id, FamilyPerson.person_id,
                                                              FamilyPerson.added_on)).all())
        found["ChildRelation"] = sorted(session.execute(select(ChildRelation.child_id, ChildRelation.person_id)).all())
        return found

    before = rows()
    assert all(before[m.__name__] for m in models), before
    assert record(session, england, [step("add_person", D(2026, 10, 1), "NET1", person_ref="NZ9"),
                                     step("add_person", D(2026, 10, 1), "FG1", person_ref="FZ9")]).ok
    after = rows()
    assert len(after["FamilyPerson"]) == len(before["FamilyPerson"]) + 2
    assert set(before["FamilyPerson"]) < set(after["FamilyPerson"])
    after.pop("FamilyPerson"), before.pop("FamilyPerson")
    assert after == before
