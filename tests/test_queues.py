"""The queue built from real histories (recorded through the pathway service), the review and
hearing records, the `queue` command, and the SQL statement budget."""
from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select

from conftest import TODAY, opened, record, step
from pathway import services
from pathway import workflow as wf
from pathway.demo import synthetic_authority
from pathway.models import AuditEntry, Child, Event, Family, Hearing, Proceedings, Team, User
from pathway.queues import queries, records, rules
from pathway.queues.models import CaseReview
from pathway.queues.queries import Filters, build_queue, open_children
from pathway.services import Actor

NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=timezone.utc)
ACTOR = Actor(None, "manager@example.test")


def child_flags(session, la, today: date) -> dict[str, list[str]]:
    return {r.child_ref: r.flags for r in open_children(session, today, [la.id])}


def the_child(session, la, ref: str) -> Child:
    return session.execute(select(Child).where(Child.la_id == la.id, Child.reference == ref)).scalar_one()


def allocate(session, la, family_ref: str, *, team=True, worker=True) -> None:
    family = session.execute(select(Family).where(Family.la_id == la.id, Family.reference == family_ref)).scalar_one()
    team_id = (session.execute(select(Team.id).where(Team.la_id == la.id)).scalar() or _team(session, la)) if team \
        else family.team_id
    worker_id = (session.execute(select(User.id).where(User.la_id == la.id)).scalar() or _worker(session, la)) if worker \
        else family.worker_id
    services.allocate(session, family, team_id, worker_id, actor=Actor(None, "test"), now=NOW)
    session.commit()


def _team(session, la) -> int:
    team = Team(la_id=la.id, name="Court team")
    session.add(team)
    session.flush()
    return team.id


def _worker(session, la) -> int:
    user = User(email=f"worker@{la.code.lower()}.test", name="A Worker", role="social_worker", la_id=la.id,
                password_hash="x", active=True, created_at=NOW)
    session.add(user)
    session.flush()
    return user.id


def proceedings_history(issue_on: date, ref: str = "PR1", family: str = "FAM1", child: str = "C1"):
    return [
        opened(child, issue_on - timedelta(days=60), family),
        step("offer_fgc", issue_on - timedelta(days=50), family),
        step("send_letter_before_proceedings", issue_on - timedelta(days=40), family),
        step("issue_proceedings", issue_on, family, child, proceedings_ref=ref),
    ]


def list_cmh(session, la, ref: str, on: date) -> None:
    """A case management hearing listed for the proceedings (keeps the court-timetable flags off)."""
    proceedings = session.execute(select(Proceedings).where(Proceedings.la_id == la.id, Proceedings.reference == ref)).scalar_one()
    records.record_hearing(session, proceedings, kind="case_management", listed_for=on, actor=ACTOR, now=NOW)
    session.commit()


# --- each flag from a recorded history ---------------------------------------------------------


def test_proceedings_week_26_then_27(session, england):
    assert record(session, england, proceedings_history(date(2026, 2, 2))).ok
    allocate(session, england, "FAM1")
    list_cmh(session, england, "PR1", date(2026, 2, 15))  # day 14
    (day_181,) = open_children(session, date(2026, 8, 2), [england.id])
    assert (day_181.deadline, day_181.week_of_timetable, day_181.timetable_overdue) == (date(2026, 8, 2), 26, False)
    assert day_181.flags == ["proceedings_due_soon"]
    (day_182,) = open_children(session, date(2026, 8, 3), [england.id])
    assert (day_182.week_of_timetable, day_182.timetable_overdue, day_182.flags) == (27, True, ["proceedings_overdue"])
    assert child_flags(session, england, date(2026, 7, 4)) == {"C1": []}  # 29 days before the deadline


def test_an_extension_moves_the_deadline_and_clears_due_soon(session, england):
    history = proceedings_history(date(2026, 2, 2)) + [
        step("extend_timetable", date(2026, 7, 20), proceedings_ref="PR1", weeks=4, reason="parenting_assessment"),
    ]
    assert record(session, england, history).ok, history
    allocate(session, england, "FAM1")
    list_cmh(session, england, "PR1", date(2026, 2, 15))
    (row,) = open_children(session, date(2026, 8, 3), [england.id])
    assert row.deadline == date(2026, 8, 30) and row.extensions == 1
    assert (row.week_of_timetable, row.timetable_overdue, row.flags) == (27, False, [])
    assert child_flags(session, england, date(2026, 8, 31)) == {"C1": ["proceedings_overdue"]}


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_first_looked_after_review_across_christmas(session, england, wales, nation):
    la = england if nation == "england" else wales
    history = [
        opened("C1", date(2025, 12, 1)),
        step("offer_fgc", date(2025, 12, 5)),
        step("accommodate_s20", date(2025, 12, 15), child_ref="C1", consent_by="mother"),
    ]
    assert record(session, la, history).ok
    allocate(session, la, "FAM1")
    assert child_flags(session, la, date(2026, 1, 15)) == {"C1": ["looked_after_first_review_due"]}
    assert child_flags(session, la, date(2026, 1, 16)) == {"C1": ["looked_after_first_review_overdue"]}

    records.record_review(session, the_child(session, la, "C1"), kind="looked_after_review",
                          held_on=date(2026, 1, 14), decision="plan_confirmed", actor=ACTOR, now=NOW)
    session.commit()
    # Second review within 3 months of the first: due 14 April 2026.
    assert child_flags(session, la, date(2026, 1, 16)) == {"C1": []}
    assert child_flags(session, la, date(2026, 3, 17)) == {"C1": ["looked_after_review_due"]}
    assert child_flags(session, la, date(2026, 4, 15)) == {"C1": ["looked_after_review_overdue"]}


def test_section_20_over_6_months_until_a_legal_planning_meeting(session, england):
    history = [
        opened("C1", date(2026, 1, 5)),
        step("offer_fgc", date(2026, 1, 10)),
        step("accommodate_s20", date(2026, 1, 31), child_ref="C1", consent_by="father"),
    ]
    assert record(session, england, history).ok
    allocate(session, england, "FAM1")
    child = the_child(session, england, "C1")
    for held in (date(2026, 2, 20), date(2026, 5, 1), date(2026, 7, 20)):
        records.record_review(session, child, kind="looked_after_review", held_on=held,
                              decision="plan_confirmed", actor=ACTOR, now=NOW)
    session.commit()
    assert child_flags(session, england, date(2026, 7, 31)) == {"C1": []}
    assert child_flags(session, england, date(2026, 8, 1)) == {"C1": ["s20_over_6_months_no_legal_planning"]}
    records.record_review(session, child, kind="legal_planning_meeting", held_on=date(2026, 8, 1),
                          decision="no_legal_action", actor=ACTOR, now=NOW)
    session.commit()
    assert child_flags(session, england, date(2026, 8, 1)) == {"C1": []}


def test_pre_proceedings_16_weeks_and_a_review_decision(session, england):
    history = [opened("C1", date(2026, 2, 1)), step("send_letter_before_proceedings", date(2026, 3, 2))]
    assert record(session, england, history).ok
    allocate(session, england, "FAM1")
    started = date(2026, 3, 2)
    assert child_flags(session, england, started + timedelta(days=112)) == {"C1": []}
    assert child_flags(session, england, started + timedelta(days=113)) == {"C1": ["pre_proceedings_over_16_weeks"]}
    records.record_review(session, the_child(session, england, "C1"), kind="pre_proceedings_review",
                          held_on=date(2026, 5, 1), decision="continue", actor=ACTOR, now=NOW)
    session.commit()
    assert child_flags(session, england, started + timedelta(days=113)) == {"C1": []}
    assert child_flags(session, england, date(2026, 5, 1) + timedelta(days=113)) == {
        "C1": ["pre_proceedings_over_16_weeks"]
    }


def test_emergency_entry_into_care_without_an_fgc_until_one_is_offered(session, england):
    history = [
        opened("C1", date(2026, 1, 5)),
        step("emergency_protection", date(2026, 2, 1), child_ref="C1", emergency_type="epo"),
        step("offer_fgc", date(2026, 3, 1)),
    ]
    assert record(session, england, history).ok
    allocate(session, england, "FAM1")
    # Still under emergency protection after the order ended (day 8: 8 February), and looked after
    # with no review by the 20th working day (27 February).
    assert child_flags(session, england, date(2026, 2, 28)) == {
        "C1": ["care_without_fgc", "emergency_protection_ended", "looked_after_first_review_overdue"]}
    assert child_flags(session, england, date(2026, 3, 1)) == {
        "C1": ["emergency_protection_ended", "looked_after_first_review_overdue"]}


def test_reunification_review_6_months_after_return_home(session, wales):
    history = [
        opened("C1", date(2026, 1, 5)),
        step("offer_fgc", date(2026, 1, 10)),
        step("accommodate_s20", date(2026, 1, 20), child_ref="C1", consent_by="mother"),
        step("return_home", date(2026, 3, 31), child_ref="C1"),
    ]
    assert record(session, wales, history).ok
    allocate(session, wales, "FAM1")
    assert child_flags(session, wales, date(2026, 9, 1)) == {"C1": []}
    assert child_flags(session, wales, date(2026, 9, 2)) == {"C1": ["reunification_review_due"]}
    assert child_flags(session, wales, date(2026, 10, 1)) == {"C1": ["reunification_review_overdue"]}
    assert record(session, wales, [step("reunification_review", date(2026, 10, 2), child_ref="C1",
                                        reason="stable")]).ok
    assert child_flags(session, wales, date(2026, 10, 2)) == {"C1": []}


def test_unallocated_until_both_a_team_and_a_worker(session, england):
    assert record(session, england, [opened("C1", date(2026, 1, 5))]).ok
    assert child_flags(session, england, TODAY) == {"C1": ["unallocated"]}
    allocate(session, england, "FAM1", worker=False)
    assert child_flags(session, england, TODAY) == {"C1": ["unallocated"]}
    allocate(session, england, "FAM1")
    assert child_flags(session, england, TODAY) == {"C1": []}


def test_closed_children_are_left_out(session, england):
    history = [opened("C1", date(2026, 1, 5)), opened("C2", date(2026, 1, 5)),
               step("close_case", date(2026, 2, 1), child_ref="C2", reason="Needs met")]
    assert record(session, england, history).ok
    assert [r.child_ref for r in open_children(session, TODAY, [england.id])] == ["C1"]


# --- recording reviews and hearings ------------------------------------------------------------


def test_a_review_is_refused_with_reasons_and_writes_nothing(session, england):
    assert record(session, england, [opened("C1", date(2026, 1, 5))]).ok
    child = the_child(session, england, "C1")
    with pytest.raises(wf.Refused) as refused:
        records.record_review(session, child, kind="pre_proceedings_review", held_on=TODAY + timedelta(days=1),
                              decision="nonsense", actor=ACTOR, now=NOW)
    assert [p.field for p in refused.value.problems] == ["kind", "held_on", "decision"]
    with pytest.raises(wf.Refused):
        records.record_review(session, child, kind="legal_planning_meeting", held_on=date(2026, 1, 4),
                              decision="no_legal_action", actor=ACTOR, now=NOW)
    assert session.execute(select(CaseReview)).all() == []
    assert session.execute(select(AuditEntry)).all() == []


def test_a_review_is_recorded_with_an_audit_entry(session, england):
    assert record(session, england, [opened("C1", date(2026, 1, 5))]).ok
    child = the_child(session, england, "C1")
    review_id = records.record_review(session, child, kind="legal_planning_meeting", held_on=date(2026, 3, 1),
                                      decision="start_pre_proceedings", actor=ACTOR, now=NOW)
    session.commit()
    review = session.get(CaseReview, review_id)
    assert (review.child_id, review.family_id, review.la_id) == (child.id, child.family_id, england.id)
    assert (review.held_on, review.decision) == (date(2026, 3, 1), "start_pre_proceedings")
    assert review.recorded_at.date() == TODAY
    # The decision to start pre-proceedings is also the pathway's step (issue 16), audited as one.
    step_entry, entry = session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
    assert step_entry.action == "record:decide_pre_proceedings"
    assert session.execute(select(Event.event, Event.occurred_on).where(Event.event == "decide_pre_proceedings")
                           ).all() == [("decide_pre_proceedings", date(2026, 3, 1))]
    assert (entry.action, entry.entity, entry.entity_id, entry.actor) == (
        "record:legal_planning_meeting", "case_review", review_id, ACTOR.label
    )
    assert json.loads(entry.after) == {"child": "C1", "kind": "legal_planning_meeting", "held_on": "2026-03-01",
                                       "decision": "start_pre_proceedings"}


def test_hearing_dates_are_recorded_audited_and_shown_on_the_proceedings_list(session, england):
    assert record(session, england, proceedings_history(date(2026, 6, 1))).ok
    proceedings = session.execute(select(Proceedings)).scalar_one()
    with pytest.raises(wf.Refused):
        records.record_hearing(session, proceedings, kind="final", listed_for=date(2026, 5, 31), actor=ACTOR, now=NOW)
    records.record_hearing(session, proceedings, kind="issues_resolution", listed_for=date(2026, 10, 1),
                           actor=ACTOR, now=NOW)
    records.record_hearing(session, proceedings, kind="issues_resolution", listed_for=date(2026, 10, 8),
                           actor=ACTOR, now=NOW)  # relisted
    records.record_hearing(session, proceedings, kind="final", listed_for=date(2026, 11, 25), actor=ACTOR, now=NOW)
    session.commit()
    page = build_queue(session, england, TODAY, queue="proceedings")
    assert page.rows[0].hearings == {"issues_resolution": date(2026, 10, 8), "final": date(2026, 11, 25)}
    assert len(session.execute(select(Hearing)).all()) == 3
    assert [e.action for e in session.execute(select(AuditEntry)).scalars()] == ["record:hearing"] * 3


# --- the page's lists: SQL and the rules agree --------------------------------------------------


@pytest.fixture
def synthetic(session, england):
    """60 made-up families through the real pathway and 6 with a child in every list, some
    allocated, with review records."""
    events = synthetic_authority(random.Random(7), 1, 60, TODAY, max_age_days=700)
    assert record(session, england, events).ok
    # And families with a child in every list; two offered an FGC later, one reviewed at home.
    assert record(session, england, [ev for n in range(6) for ev in busy_family(n)] + [
        step("offer_fgc", date(2026, 11, 10), "FAM0"), step("offer_fgc", date(2026, 11, 10), "FAM1"),
        step("reunification_review", date(2026, 11, 12), "FAM2", "C2d", reason="stable"),
    ]).ok  # fmt: skip
    rng = random.Random(8)
    families = session.execute(select(Family).where(Family.la_id == england.id).order_by(Family.id)).scalars().all()
    for family in families[::2]:
        allocate(session, england, family.reference, worker=rng.random() < 0.8)
    for child in session.execute(select(Child).where(Child.la_id == england.id)).scalars().all():
        kind = {"section_20": "looked_after_review", "pre_proceedings": "pre_proceedings_review"}.get(child.stage)
        if kind and rng.random() < 0.6:
            held = child.stage_since + timedelta(days=rng.randint(0, (TODAY - child.stage_since).days))
            decision = next(iter(rules.DECISIONS[kind]))
            records.record_review(session, child, kind=kind, held_on=held, decision=decision, actor=ACTOR, now=NOW)
    session.commit()
    return england


@pytest.mark.parametrize("days_later", [0, 45, 200])
def test_every_list_as_the_page_builds_it_matches_the_rules(session, synthetic, days_later):
    today = TODAY + timedelta(days=days_later)
    everyone = open_children(session, today, [synthetic.id])
    assert len(everyone) > 60
    for queue in rules.QUEUES:
        expected = queries.queue_rows(everyone, queue)
        assert len(expected) >= 3, queue.code
        for page in (  # sorted and paged in SQL; and the whole list (the CSV download)
            build_queue(session, synthetic, today, queue=queue.code, page=1, per_page=10_000),
            build_queue(session, synthetic, today, queue=queue.code, page=None),
        ):
            assert [r.child_id for r in page.rows] == [r.child_id for r in expected], queue.code
            assert page.queue_counts[queue.code] == len(expected)
            assert [r.flags for r in page.rows] == [r.flags for r in expected]
    counts = build_queue(session, synthetic, today).stage_counts
    assert sum(counts.values()) == len(everyone)


def test_filters_and_paging(session, synthetic):
    team_id = session.execute(select(Team.id)).scalar_one()
    filtered = Filters(team_id=team_id, stage="proceedings")
    everyone = open_children(session, TODAY, [synthetic.id], filtered)
    assert everyone and all(r.stage == "proceedings" and r.team_name == "Court team" for r in everyone)
    expected = queries.queue_rows(everyone, rules.QUEUE["proceedings"])
    first = build_queue(session, synthetic, TODAY, filtered, "proceedings", page=1, per_page=3)
    second = build_queue(session, synthetic, TODAY, filtered, "proceedings", page=2, per_page=3)
    assert first.total == len(expected) and first.pages == -(-len(expected) // 3)
    assert [r.child_id for r in first.rows + second.rows] == [r.child_id for r in expected[:6]]
    assert first.queue_counts["pre_proceedings"] == 0  # the stage filter applies to every list
    assert first.stage_counts["pre_proceedings"] > 0  # ... but not to the counts by stage
    beyond = build_queue(session, synthetic, TODAY, filtered, "proceedings", page=999, per_page=3)
    assert beyond.page == first.pages


# --- no query per row --------------------------------------------------------------------------


class StatementCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def statements_per_list(session, la) -> dict[str, int]:
    counts = {}
    assert la.id  # loaded before counting (a commit expires it)
    for queue in rules.QUEUES:
        with StatementCounter(session.get_bind()) as counter:
            page = build_queue(session, la, TODAY, queue=queue.code)
            assert page.rows, queue.code
        counts[queue.code] = counter.count
    return counts


def busy_family(n: int):
    """A family whose child appears in every list: in proceedings, entered care in an emergency
    with no FGC offered, unallocated; plus one child in each of the other lists."""
    f = f"FAM{n}"
    return [
        opened(f"C{n}a", date(2025, 1, 6), f), opened(f"C{n}b", date(2025, 1, 6), f),
        opened(f"C{n}c", date(2025, 1, 6), f), opened(f"C{n}d", date(2025, 1, 6), f),
        step("emergency_protection", date(2026, 5, 1), f, f"C{n}a", emergency_type="epo"),
        step("issue_proceedings", date(2026, 5, 3), f, f"C{n}a", proceedings_ref=f"PR{n}",
             exception="Immediate risk", decided_by="Head of service"),
        step("send_letter_before_proceedings", date(2026, 6, 1), f),  # C{n}b-d: pre-proceedings
        step("accommodate_s20", date(2026, 11, 2), f, f"C{n}c", consent_by=f"P{n}", exception="Fled"),
        step("emergency_protection", date(2026, 6, 10), f, f"C{n}d", emergency_type="police_protection"),
        step("return_home", date(2026, 6, 12), f, f"C{n}d"),  # review due 12 December 2026
        # Every clock (issue 11): an initial conference due, an emergency protection order ending.
        opened(f"C{n}e", date(2025, 1, 6), f), opened(f"C{n}f", date(2025, 1, 6), f),
        step("add_person", date(2025, 1, 6), f, person_ref=f"P{n}", sex="F"),
        step("relate_person", date(2025, 1, 6), f, f"C{n}c", person_ref=f"P{n}", relationship="mother",
             parental_responsibility="yes"),
        step("object_to_accommodation", date(2026, 11, 5), f, f"C{n}c", person_ref=f"P{n}"),
        step("strategy_discussion", date(2026, 11, 10), f, f"C{n}e"),  # conference due 1 December 2026
        step("emergency_protection", date(2026, 11, 14), f, f"C{n}f", emergency_type="epo",
             end_date=date(2026, 11, 21)),  # ends tomorrow
    ]


def test_the_number_of_statements_does_not_grow_with_the_number_of_children(session, england):
    assert record(session, england, [ev for n in range(2) for ev in busy_family(n)]).ok
    few = statements_per_list(session, england)
    assert record(session, england, [ev for n in range(2, 30) for ev in busy_family(n)]).ok
    many = statements_per_list(session, england)
    assert many == few
    assert max(many.values()) <= 5
    with StatementCounter(session.get_bind()) as counter:
        assert len(open_children(session, TODAY, [england.id])) == 180
    assert counter.count == 1


# --- the queue command ---------------------------------------------------------------------------


@pytest.fixture
def two_authorities(session, england, wales):
    assert record(session, england, proceedings_history(date(2026, 5, 1)) + [
        opened("C2", date(2026, 1, 5), "FAM2"),
        opened("C3", date(2026, 1, 5), "FAM2"),
        step("close_case", date(2026, 2, 1), "FAM2", "C3", reason="Moved away"),
    ]).ok  # fmt: skip
    allocate(session, england, "FAM2")
    assert record(session, wales, [opened("W1", date(2026, 1, 5), "WFAM")]).ok
    return england, wales


def test_queue_command_json(cli, two_authorities):
    result = cli.invoke(args=["queue", "--format", "json", "--la", "E09000999"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"child_ref": "C1", "family_ref": "FAM1", "la_code": "E09000999", "stage": "proceedings",
         "stage_since": "2026-05-01", "proceedings_ref": "PR1", "timetable_deadline": "2026-10-29",
         "timetable_overdue": True, "week_of_timetable": 30,
         "flags": ["proceedings_overdue", "no_cmh_by_day_12", "unallocated"],
         "flag_dates": {"proceedings_overdue": "2026-10-29", "no_cmh_by_day_12": "2026-05-12",
                        "unallocated": "2026-03-02"}},
        {"child_ref": "C2", "family_ref": "FAM2", "la_code": "E09000999", "stage": "early_help",
         "stage_since": "2026-01-05", "proceedings_ref": None, "timetable_deadline": None,
         "timetable_overdue": None, "week_of_timetable": None, "flags": [], "flag_dates": {}},
    ]  # fmt: skip


def test_queue_command_csv_for_every_authority(cli, two_authorities):
    result = cli.invoke(args=["queue", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["la_code"], r["child_ref"]) for r in rows] == [
        ("E09000999", "C1"), ("E09000999", "C2"), ("W06000999", "W1")
    ]
    assert rows[0] == {
        "child_ref": "C1", "family_ref": "FAM1", "la_code": "E09000999", "stage": "proceedings",
        "stage_since": "2026-05-01", "proceedings_ref": "PR1", "timetable_deadline": "2026-10-29",
        "timetable_overdue": "true", "week_of_timetable": "30",
        "flags": "proceedings_overdue;no_cmh_by_day_12;unallocated",
        "flag_dates": "proceedings_overdue=2026-10-29;no_cmh_by_day_12=2026-05-12;unallocated=2026-03-02",
    }  # fmt: skip
    assert rows[1]["timetable_overdue"] == rows[1]["proceedings_ref"] == rows[1]["flags"] == ""
    assert rows[2]["flags"] == "unallocated"


def test_queue_command_unknown_authority(cli, two_authorities):
    result = cli.invoke(args=["queue", "--la", "X1"])
    assert result.exit_code != 0
    assert "There is no local authority with the code X1" in result.output


# --- the family network (issue 9) ---------------------------------------------------------------


def test_an_objection_flags_the_child_until_the_removal_is_recorded(session, england):
    history = [
        opened("C1", date(2026, 5, 4)),
        step("add_person", date(2026, 5, 4), person_ref="P-M1", sex="F"),
        step("relate_person", date(2026, 5, 4), child_ref="C1", person_ref="P-M1", relationship="mother",
             parental_responsibility="yes"),
        step("offer_fgc", date(2026, 5, 5)),
        step("accommodate_s20", date(2026, 5, 6), child_ref="C1", consent_by="P-M1"),
        step("object_to_accommodation", date(2026, 6, 1), child_ref="C1", person_ref="P-M1"),
    ]
    assert record(session, england, history).ok
    allocate(session, england, "FAM1")
    assert "objection_to_accommodation" in child_flags(session, england, date(2026, 6, 2))["C1"]
    assert "objection_to_accommodation" not in child_flags(session, england, date(2026, 5, 31)).get("C1", [])
    assert record(session, england, [step("remove_from_accommodation", date(2026, 6, 2), child_ref="C1",
                                          person_ref="P-M1")]).ok
    assert child_flags(session, england, date(2026, 6, 3))["C1"] == []
    assert the_child(session, england, "C1").stage == "reunification"
