"""Issue 17: the board report's facts kept in the projection equal what the history implies.

For every proceedings, child party, child and conference outcome of a generated cohort (the demo's
families through the real pathway, recorded in several batches so that families are changed
again), each stored fact equals one worked out here from the stored dates and the replayed history
by the definitions (README, `reports.definitions`), not by `reports.facts`. The FGC outcome at six
months is date-driven: a report counts it from its six-month day, not the day before. Run on
SQLite and on PostgreSQL by `make test`.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from conftest import TODAY, opened, record, step
from pathway import codes, fgc_outcomes, reports
from pathway.reports import facts as reports_facts
from pathway import workflow as wf
from pathway.clock import fixed
from pathway.demo import synthetic_authority
from pathway.models import CareEpisode, Child, ChildRelation, Event, Extension, Family, FamilyGroupConference, FgcOutcome, Proceedings, ProceedingsChild
from pathway.services import history_rows, to_event
from pathway.timescales import add_months, age_on, working_days_between
from test_concurrency import assert_projection_matches
from web_helpers import make_user


@pytest.fixture
def cohort(session, england):
    events = synthetic_authority(random.Random(1717), 1, 160, TODAY)
    # In three batches by date: the later batches replay and rewrite families already stored.
    events.sort(key=lambda ev: ev.date)
    for low, high in ((date.min, TODAY - timedelta(days=400)), (TODAY - timedelta(days=400), TODAY - timedelta(days=90)),
                      (TODAY - timedelta(days=90), date.max)):  # fmt: skip
        batch = [ev for ev in events if low <= ev.date < high]
        outcome = record(session, england, batch)
        assert outcome.ok, outcome.errors[:3]
    session.commit()
    return england


def band(dob: date, on: date) -> str:
    """The age band on a day, from the age in whole years (under 1 includes the unborn)."""
    years = age_on(dob, on) if on >= dob else 0
    return "under_1" if years < 1 else "1_4" if years < 5 else "5_9" if years < 10 else "10_15" if years < 16 else "16_plus"


def test_every_stored_proceedings_fact_is_what_its_dates_and_extensions_say(session, cohort):
    rows = session.scalars(select(Proceedings).where(Proceedings.la_id == cohort.id)).all()
    assert len([p for p in rows if p.concluded_on]) > 20 and len([p for p in rows if p.concluded_on is None]) > 5
    for p in rows:
        categories = {x.category for x in session.scalars(select(Extension).where(Extension.proceedings_id == p.id))}
        days = (p.concluded_on - p.issued_on).days if p.concluded_on else None
        assert (p.duration_days, p.within_26_weeks, p.extended, p.complexity_extended) == (
            days, None if days is None else p.concluded_on <= p.issued_on + timedelta(days=181),
            bool(categories), "complexity" in categories), p.reference
    assert any(p.complexity_extended for p in rows) and any(p.extended and not p.complexity_extended for p in rows)
    assert any(p.within_26_weeks for p in rows) and any(p.within_26_weeks is False for p in rows)


def test_every_stored_party_fact_is_what_the_child_and_the_application_say(session, cohort):
    parties = session.execute(
        select(ProceedingsChild, Child, Proceedings).join(Child, Child.id == ProceedingsChild.child_id)
        .join(Proceedings, Proceedings.id == ProceedingsChild.proceedings_id).where(Proceedings.la_id == cohort.id)
    ).all()  # fmt: skip
    assert len(parties) > 40
    for party, child, proceedings in parties:
        wanted = (codes.ethnicity_group(child.ethnicity), band(child.dob, party.joined_on),
                  (party.order_on - proceedings.issued_on).days if party.order_on else None)
        assert (party.ethnicity_group, party.age_band, party.disposal_days) == wanted, child.reference
    assert len({p.age_band for p, _c, _p in parties}) >= 4


def test_every_stored_return_to_court_is_an_earlier_final_order_within_3_years(session, cohort):
    """Worked out from the stored party rows of each child's other proceedings: an order on or
    before the day the child joined these, by at most three calendar years (the anniversary in)."""
    rows = session.execute(
        select(ProceedingsChild, Proceedings.fdac).join(Proceedings, Proceedings.id == ProceedingsChild.proceedings_id)
        .where(Proceedings.la_id == cohort.id)
    ).all()  # fmt: skip
    by_child: dict = {}
    for party, fdac in rows:
        by_child.setdefault(party.child_id, []).append((party, fdac))
    returning = 0
    for party, _fdac in rows:
        earlier = [fdac for other, fdac in by_child[party.child_id]
                   if other.proceedings_id != party.proceedings_id and other.order_on is not None
                   and other.order_on <= party.joined_on
                   and party.joined_on <= add_months(other.order_on, 36)]  # fmt: skip
        assert (party.returning_to_court, party.returning_after_fdac) == (bool(earlier), any(earlier)), party.child_id
        returning += bool(earlier)
    assert returning >= 1 and any(len(v) > 1 for v in by_child.values())


def child_in_two_proceedings(order_on: date, joined_on: date, fdac: bool = False) -> tuple[wf.FamilyCase, wf.ProceedingsCase]:
    family = wf.FamilyCase("E09000999", "england", "FAM1", date(2020, 1, 6))
    family.children["C1"] = wf.ChildCase("C1", date(2015, 5, 1), "F", "WBRI", date(2020, 1, 6))
    first = wf.ProceedingsCase("P1", date(2021, 1, 4), fdac=fdac, parties={"C1": wf.Party(date(2021, 1, 4), "sgo", order_on)})
    second = wf.ProceedingsCase("P2", joined_on, parties={"C1": wf.Party(joined_on)})
    family.proceedings.update(P1=first, P2=second)
    return family, second


def test_a_child_returns_to_court_up_to_the_third_anniversary_of_the_earlier_order_not_a_day_after():
    order_on = date(2022, 6, 1)
    facts = reports_facts.party_facts
    assert facts(*child_in_two_proceedings(order_on, date(2025, 6, 1)), "C1")["returning_to_court"] is True
    assert facts(*child_in_two_proceedings(order_on, date(2025, 6, 2)), "C1")["returning_to_court"] is False
    # An order on the day of the new application counts; an order after it, or in the same
    # proceedings, does not; nor does the first application itself.
    assert facts(*child_in_two_proceedings(order_on, order_on), "C1")["returning_to_court"] is True
    family, second = child_in_two_proceedings(order_on, order_on - timedelta(days=1))
    assert facts(family, second, "C1")["returning_to_court"] is False
    assert facts(family, family.proceedings["P1"], "C1")["returning_to_court"] is False
    family, second = child_in_two_proceedings(order_on, date(2023, 1, 2))
    assert facts(family, second, "C1")["returning_to_court"] is True
    family.proceedings["P1"].parties["C1"].order_on = None  # the earlier proceedings without a final order
    assert facts(family, second, "C1")["returning_to_court"] is False


def test_a_return_after_an_fdac_order_is_counted_as_such_only_when_the_earlier_proceedings_were_in_the_fdac():
    order_on, joined = date(2022, 6, 1), date(2024, 2, 5)
    assert reports_facts.party_facts(*child_in_two_proceedings(order_on, joined, fdac=True), "C1")[
        "returning_after_fdac"] is True
    assert reports_facts.party_facts(*child_in_two_proceedings(order_on, joined, fdac=False), "C1")[
        "returning_after_fdac"] is False
    late = reports_facts.party_facts(*child_in_two_proceedings(order_on, date(2025, 6, 2), fdac=True), "C1")
    assert (late["returning_to_court"], late["returning_after_fdac"]) == (False, False)


def test_every_stored_fgc_answer_on_entering_care_is_what_the_conferences_say(session, cohort):
    children = session.scalars(select(Child).where(Child.la_id == cohort.id)).all()
    entered = [c for c in children if c.entered_care_on]
    assert len(entered) > 30
    for c in children:
        fgcs = session.scalars(select(FamilyGroupConference).where(FamilyGroupConference.family_id == c.family_id)).all()
        if c.entered_care_on is None:
            assert (c.fgc_offered_before_care, c.fgc_held_before_care) == (None, None), c.reference
            continue
        assert c.fgc_offered_before_care == any(f.offered_on <= c.entered_care_on for f in fgcs), c.reference
        assert c.fgc_held_before_care == any(f.held_on and f.held_on <= c.entered_care_on for f in fgcs), c.reference
    assert any(c.fgc_offered_before_care for c in entered) and any(c.fgc_offered_before_care is False for c in entered)
    assert any(c.fgc_held_before_care for c in entered)


def test_every_stored_referral_time_is_the_working_days_from_referral_to_conference(session, cohort):
    fgcs = session.scalars(select(FamilyGroupConference).join(Family, Family.id == FamilyGroupConference.family_id)
                           .where(Family.la_id == cohort.id)).all()
    timed = [f for f in fgcs if f.referred_on and f.held_on]
    assert len(timed) > 5
    for f in fgcs:
        wanted = working_days_between(f.referred_on, f.held_on, cohort.nation) if f in timed else None
        assert f.referral_working_days == wanted, f.id


def test_the_referral_time_skips_bank_holidays_in_england_and_in_wales(session, england, wales):
    """Referred on Wednesday 24 December 2025, held on Monday 29 December: Christmas Day and
    Boxing Day are bank holidays in both nations, the 27th and 28th a weekend: 1 working day."""
    for la, fam in ((england, "FE"), (wales, "FW")):
        coordinator = make_user(session, "fgc_coordinator", la, email=f"coord-{fam.lower()}@example.test")
        assert record(session, la, [
            opened(f"{fam}-C", date(2025, 12, 1), fam), step("add_person", date(2025, 12, 1), fam, person_ref=f"{fam}-M"),
            step("offer_fgc", date(2025, 12, 2), fam), step("fgc_accepted", date(2025, 12, 2), fam),
            step("refer_fgc", date(2025, 12, 24), fam, reason="Concerns"),
            step("allocate_fgc_coordinator", date(2025, 12, 24), fam, coordinator=coordinator.email),
            step("hold_fgc", date(2025, 12, 29), fam, private_family_time="yes"),
        ]).ok
    got = dict(session.execute(select(Family.reference, FamilyGroupConference.referral_working_days)
                               .join(Family, Family.id == FamilyGroupConference.family_id)).all())
    assert got == {"FE": 1, "FW": 1}


def test_every_stored_fgc_outcome_is_what_a_replay_of_the_history_finds(session, cohort):
    children = {c.id: c.reference for c in session.scalars(select(Child).where(Child.la_id == cohort.id))}
    stored = {(r.family_id, children[r.child_id], r.offered_on, r.plan_decided_on, r.due_on, r.outcome)
              for r in session.scalars(select(FgcOutcome).where(FgcOutcome.la_id == cohort.id))}
    events: dict[int, list] = {}
    for row in history_rows(session, None, la_id=cohort.id):
        events.setdefault(row.family_id, []).append(to_event(row))
    replayed = set()
    for family_id, history in events.items():
        for o in fgc_outcomes.family_outcomes(history, cohort.code, cohort.nation, wf.Context(today=TODAY)):
            replayed.add((family_id, o.child_ref, o.offered_on, o.plan_decided_on, o.due_on, o.outcome))
    due = {row for row in stored if row[4] <= TODAY}
    assert len(due) > 10 and len({row[5] for row in due}) >= 2
    # Every outcome whose day has come is the replay's; those still to come have no outcome yet.
    assert due == {row for row in replayed if row[5] is not None}
    assert {row[:5] for row in stored if row[4] > TODAY} == {row[:5] for row in replayed if row[5] is None}


def episodes_from_events(session, la) -> set[tuple]:
    """The definitions (README; `reports` docstring), read straight off the events table in the
    history's order (date, then the order recorded)."""
    rows = session.execute(select(Event.child_id, Event.event, Event.occurred_on, Event.reason)
                           .where(Event.la_id == la.id, Event.child_id.is_not(None))
                           .order_by(Event.child_id, Event.occurred_on, Event.id)).all()  # fmt: skip
    by_child: dict[int, list] = {}
    for child_id, event, day, reason in rows:
        by_child.setdefault(child_id, []).append((event, day, reason))
    s20_ends = {"emergency_protection", "issue_proceedings", "return_home", "remove_from_accommodation", "close_case"}
    epo_ends = {"accommodate_s20", "issue_proceedings", "return_home", "close_case"}
    homes = {"return_home", "remove_from_accommodation"}
    found = set()
    for child_id, steps in by_child.items():
        in_emergency = returned = False
        for i, (event, day, reason) in enumerate(steps):
            after = steps[i + 1:]
            if event == "accommodate_s20":
                found.add((child_id, "section_20", day, min((d for e, d, _r in after if e in s20_ends), default=None)))
            if event == "emergency_protection" and not in_emergency:
                found.add((child_id, "emergency_protection", day,
                           min((d for e, d, _r in after if e in epo_ends), default=None)))
            if event in {"accommodate_s20", "emergency_protection", "issue_proceedings"} and returned:
                found.add((child_id, "care_entry_after_return", day, None))
            if event in homes:
                found.add((child_id, "return_home", day, None))
                returned = True
            if event == "reunification_review" and reason == "broke_down":
                found.add((child_id, "return_broke_down", day, None))
            in_emergency = event == "emergency_protection" or (in_emergency and event not in epo_ends)
    return found


def test_every_stored_care_episode_is_what_the_events_say(session, cohort):
    stored = session.execute(select(CareEpisode.child_id, CareEpisode.kind, CareEpisode.started_on,
                                    CareEpisode.ended_on).where(CareEpisode.la_id == cohort.id)).all()
    assert len(stored) == len(set(stored))
    wanted = episodes_from_events(session, cohort)
    assert set(stored) == wanted
    kinds = {row[1] for row in wanted}
    assert kinds >= {"section_20", "emergency_protection", "return_home", "care_entry_after_return"}, kinds
    assert any(row[3] is None for row in wanted if row[1] == "section_20")  # still accommodated
    assert any(row[3] is not None for row in wanted if row[1] == "emergency_protection")


def test_an_emergency_protection_order_after_police_protection_continues_the_episode(session, england):
    """Police protection on 1 June, an emergency protection order on 3 June, accommodation on 10
    June; then, after a return home, emergency protection again on 1 September."""
    assert record(session, england, [
        opened("C1", date(2026, 1, 5)), step("add_person", date(2026, 1, 5), person_ref="M1"),
        step("offer_fgc", date(2026, 1, 6)),
        step("emergency_protection", date(2026, 6, 1), "FAM1", "C1", emergency_type="police_protection"),
        step("emergency_protection", date(2026, 6, 3), "FAM1", "C1", emergency_type="epo"),
        step("accommodate_s20", date(2026, 6, 10), "FAM1", "C1", consent_by="mother"),
        step("return_home", date(2026, 7, 1), "FAM1", "C1"),
        step("emergency_protection", date(2026, 9, 1), "FAM1", "C1", emergency_type="police_protection"),
    ]).ok
    got = session.execute(select(CareEpisode.kind, CareEpisode.started_on, CareEpisode.ended_on)
                          .order_by(CareEpisode.id)).all()
    assert got == [("emergency_protection", date(2026, 6, 1), date(2026, 6, 10)),
                   ("section_20", date(2026, 6, 10), date(2026, 7, 1)),
                   ("return_home", date(2026, 7, 1), None),
                   ("emergency_protection", date(2026, 9, 1), None),
                   ("care_entry_after_return", date(2026, 9, 1), None)]
    assert set(got) == {(kind, a, b) for _c, kind, a, b in episodes_from_events(session, england)}


def test_the_consistency_check_covers_the_facts_for_every_family(session, cohort):
    for family in session.scalars(select(Family).where(Family.la_id == cohort.id).order_by(Family.id)):
        assert_projection_matches(session, family)


def test_the_consistency_check_sees_a_stored_fact_that_drifted(session, cohort):
    proceedings = session.scalars(select(Proceedings).where(Proceedings.la_id == cohort.id,
                                                            Proceedings.concluded_on.is_not(None))).first()
    proceedings.duration_days += 1
    session.flush()
    with pytest.raises(AssertionError):
        assert_projection_matches(session, session.get(Family, proceedings.family_id))


def record_plan(session, la, plan_day: date) -> None:
    """One child at home; a conference held in January 2026 and its plan accepted on `plan_day`."""
    assert record(session, la, [
        opened("C1", date(2026, 1, 5)), step("add_person", date(2026, 1, 5), person_ref="M1"),
        step("offer_fgc", date(2026, 1, 6)), step("fgc_accepted", date(2026, 1, 6)),
        step("hold_fgc", date(2026, 1, 20), private_family_time="yes"),
        step("decide_fgc_plan", plan_day, outcome="accepted"),
    ]).ok
    session.commit()


def test_a_step_dated_before_the_six_month_day_rewrites_the_outcome(session, england, app):
    plan_day = date(2026, 3, 10)
    due = add_months(plan_day, 6)  # 10 September 2026
    record_plan(session, england, plan_day)
    assert session.scalars(select(FgcOutcome.outcome)).all() == ["with_parents"]
    # Recorded later, dated before the six-month day: the child was accommodated by then.
    assert record(session, england, [step("accommodate_s20", due - timedelta(days=1), "FAM1", "C1",
                                          consent_by="mother")]).ok
    session.commit()
    assert session.scalars(select(FgcOutcome.outcome)).all() == ["in_care"]
    # Dated on the six-month day itself: the child's stage at the end of that day counts.
    assert record(session, england, [step("return_home", due, "FAM1", "C1")]).ok
    session.commit()
    assert session.scalars(select(FgcOutcome.outcome)).all() == ["with_parents"]
    assert_projection_matches(session, session.scalars(select(Family)).one())


def test_the_report_counts_an_outcome_from_its_six_month_day_not_the_day_before(session, england, app, clock):
    plan_day = date(2026, 1, 31)
    due = add_months(plan_day, 6)  # 31 July 2026
    record_plan(session, england, plan_day)
    quarter = reports.quarter(2026, 2)  # July to September 2026
    assert due in quarter
    counts = {}
    for day in (due - timedelta(days=1), due, due + timedelta(days=1)):
        clock.set(fixed(day).moment)
        counts[day] = reports.timeliness(session, quarter.start, quarter.end)["fgc_outcomes_at_6_months"]["with_parents"]
    assert counts == {due - timedelta(days=1): 0, due: 1, due + timedelta(days=1): 1}
    # The stored fact is the same whatever today is: only the report's comparison with today moves.
    assert session.execute(select(FgcOutcome.due_on, FgcOutcome.outcome)).all() == [(due, "with_parents")]


# The facts' boundaries, on the replayed state itself (no database): day 181 is within the 26
# weeks and day 182 is not; an FGC offered, or held, on the very day of entering care counts.


def concluded_after(days: int) -> wf.ProceedingsCase:
    issued = date(2026, 1, 5)
    return wf.ProceedingsCase("PR1", issued, status="concluded", concluded_on=issued + timedelta(days=days))


def test_within_26_weeks_is_concluded_by_day_181_after_issue_not_day_182():
    assert reports_facts.proceedings_facts(concluded_after(181))["within_26_weeks"] is True
    assert reports_facts.proceedings_facts(concluded_after(182))["within_26_weeks"] is False
    assert reports_facts.proceedings_facts(concluded_after(181))["duration_days"] == 181


def entering_care_with_fgc(offered: date, held: date | None, entered: date) -> tuple[wf.FamilyCase, wf.ChildCase]:
    family = wf.FamilyCase("E09000999", "england", "FAM1", date(2026, 1, 5))
    child = wf.ChildCase("C1", date(2015, 5, 1), "F", "WBRI", date(2026, 1, 5), entered_care_on=entered)
    family.children["C1"] = child
    family.fgcs.append(wf.FgcCase(offered, held_on=held))
    return family, child


def test_an_fgc_offered_and_held_on_the_day_of_entering_care_counts_as_before_it():
    day = date(2026, 3, 2)
    assert reports_facts.child_facts(*entering_care_with_fgc(day, day, day)) == {
        "fgc_offered_before_care": True, "fgc_held_before_care": True}
    assert reports_facts.child_facts(*entering_care_with_fgc(day, day + timedelta(days=1), day)) == {
        "fgc_offered_before_care": True, "fgc_held_before_care": False}
    assert reports_facts.child_facts(*entering_care_with_fgc(day + timedelta(days=1), None, day)) == {
        "fgc_offered_before_care": False, "fgc_held_before_care": False}


def with_parent(family: str, child: str, person: str, issued: date, proceedings: str) -> list:
    """A child's route to court, with `person` recorded as the child's father before the issue."""
    from test_reports import care_application

    route = care_application(family, child, issued, proceedings)
    opened_on = route[0].date
    return [route[0], step("add_person", opened_on, family, person_ref=person),
            step("relate_person", opened_on, family, child, person_ref=person, relationship="father",
                 parental_responsibility="yes"), *route[1:]]  # fmt: skip


def recurrent_of(session, la) -> dict[str, bool]:
    return dict(session.execute(
        select(Child.reference, ProceedingsChild.recurrent_parent).join(Child, Child.id == ProceedingsChild.child_id)
        .where(Child.la_id == la.id)
    ).all())  # fmt: skip


def test_a_parent_with_a_child_in_earlier_proceedings_of_another_family_is_recurrent_whatever_the_order_recorded(
        session, england, app):
    later = with_parent("FAMB", "B1", "DAD-1", date(2025, 9, 1), "PB")
    outcome = record(session, england, later)
    assert outcome.ok, outcome.errors
    assert recurrent_of(session, england) == {"B1": False}
    # The father's first family, whose proceedings were issued earlier, is recorded afterwards.
    outcome = record(session, england, with_parent("FAMA", "A1", "DAD-1", date(2024, 2, 5), "PA"))
    assert outcome.ok, outcome.errors
    assert recurrent_of(session, england) == {"A1": False, "B1": True}
    report = reports.figures(session, date(2025, 4, 1), date(2026, 3, 31))
    assert report["entering_proceedings_recurrent_parent"] == 1
    # A different father, and proceedings issued the same day, are not earlier proceedings.
    outcome = record(session, england, with_parent("FAMC", "C1", "DAD-2", date(2024, 2, 5), "PC")
                     + with_parent("FAMD", "D1", "DAD-2", date(2024, 2, 5), "PD"))
    assert outcome.ok, outcome.errors
    assert recurrent_of(session, england) == {"A1": False, "B1": True, "C1": False, "D1": False}


def test_every_stored_recurrent_parent_is_what_the_stored_relationships_and_proceedings_say(session, cohort):
    relations = session.execute(select(ChildRelation.child_id, ChildRelation.person_id)
                                .where(ChildRelation.relationship.in_(codes.PARENTS))).all()  # fmt: skip
    parents_of, children_of = {}, {}
    for child_id, person_id in relations:
        parents_of.setdefault(child_id, set()).add(person_id)
        children_of.setdefault(person_id, set()).add(child_id)
    parties = session.execute(
        select(ProceedingsChild.child_id, Proceedings.issued_on, ProceedingsChild.recurrent_parent)
        .join(Proceedings, Proceedings.id == ProceedingsChild.proceedings_id).where(Proceedings.la_id == cohort.id)
    ).all()  # fmt: skip
    issued_for: dict = {}
    for child_id, issued_on, _r in parties:
        issued_for.setdefault(child_id, []).append(issued_on)
    recurrent = 0
    for child_id, issued_on, stored in parties:
        wanted = any(earlier < issued_on for parent in parents_of.get(child_id, ())
                     for other in children_of[parent] for earlier in issued_for.get(other, ()))  # fmt: skip
        assert stored is wanted, child_id
        recurrent += wanted
    assert recurrent >= 1


def test_every_parent_is_stored_with_the_traits_any_of_their_families_records(session, cohort):
    """Worked out from the stored family networks: a person is recorded with a learning disability
    (or as care experienced) when any family of the authority records it."""
    from pathway.models import FamilyPerson, Person

    recorded: dict = {}
    for person_id, characteristics in session.execute(select(FamilyPerson.person_id, FamilyPerson.characteristics)):
        recorded.setdefault(person_id, set()).update((characteristics or "").split(";"))
    people = session.execute(select(Person.id, Person.learning_disability, Person.care_experienced)
                             .where(Person.la_id == cohort.id)).all()  # fmt: skip
    for person_id, learning, care in people:
        codes_recorded = recorded.get(person_id, set())
        assert (learning, care) == ("learning_disability" in codes_recorded, "care_experienced" in codes_recorded)
    assert sum(learning for _p, learning, _c in people) >= 1 and sum(care for _p, _l, care in people) >= 1


def test_a_trait_recorded_in_a_second_family_is_the_persons_in_the_first(session, england):
    from pathway.models import Person

    outcome = record(session, england, with_parent("FAMA", "A1", "DAD-1", date(2024, 2, 5), "PA"))
    assert outcome.ok, outcome.errors
    report = reports.figures(session, date(2023, 4, 1), date(2024, 3, 31))
    assert (report["parents_entering_proceedings"], report["parents_learning_disability"]) == (1, 0)
    # The same father, in a family opened later, recorded with a learning disability there.
    outcome = record(session, england, [opened("B1", date(2025, 1, 6), "FAMB"),
                                        step("add_person", date(2025, 1, 6), "FAMB", person_ref="DAD-1",
                                             characteristics=("learning_disability",))])  # fmt: skip
    assert outcome.ok, outcome.errors
    assert session.scalar(select(Person.learning_disability).where(Person.reference == "DAD-1")) is True
    report = reports.figures(session, date(2023, 4, 1), date(2024, 3, 31))
    assert (report["parents_entering_proceedings"], report["parents_learning_disability"]) == (1, 1)


def test_a_parent_recorded_again_as_a_step_parent_is_no_longer_among_the_partys_parents(session, england):
    from pathway.models import PartyParent

    steps = with_parent("FAMA", "A1", "DAD-1", date(2024, 2, 5), "PA")
    outcome = record(session, england, steps)
    assert outcome.ok, outcome.errors
    assert session.scalar(select(func.count()).select_from(PartyParent)) == 1
    outcome = record(session, england, [step("relate_person", date(2024, 3, 1), "FAMA", "A1", person_ref="DAD-1",
                                             relationship="step_parent", parental_responsibility="no")])
    assert outcome.ok, outcome.errors
    assert session.scalar(select(func.count()).select_from(PartyParent)) == 0
    assert reports.figures(session, date(2023, 4, 1), date(2024, 3, 31))["parents_entering_proceedings"] == 0
