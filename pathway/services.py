"""The one way a step is recorded: `record_steps`.

Forms, the CSV import, the CLI and demo data all call it. For each family a batch touches it
holds the family row (SELECT ... FOR UPDATE on PostgreSQL; a version check everywhere), reads the
family's history, merges the new steps into it in date order, replays the whole through the
pathway machines (`workflow.apply`), and only if every step passes writes the new events, the
projection (stages, proceedings, FGC records) and the audit trail. A refused step writes nothing.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime
from typing import Iterable, Sequence

from sqlalchemy import and_, bindparam, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from . import workflow as wf
from .messages import Message, label, msg, sentences
from .reports import facts as report_facts
from .reports import sql as report_sql
from .models import (
    AuditEntry,
    Child,
    ChildRelation,
    Event,
    ExceptionDecision,
    Extension,
    Family,
    FamilyGroupConference,
    CareEpisode,
    FamilyPerson,
    FgcOutcome,
    LocalAuthority,
    PartyParent,
    Person,
    Proceedings,
    ProceedingsChild,
)

CHUNK = 500  # bound parameters per IN (...) list


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str  # an e-mail address, or "import", "seed-demo", ...


class Conflict(Exception):
    """Someone else changed the family since the page was loaded."""

    def __init__(self, family_ref: str):
        self.family_ref = family_ref
        self.message = msg(
            "Family %(family)s's record was changed by someone else while you were working on it. "
            "Reload the page to see the latest record, then try again.", family=family_ref,
        )
        super().__init__(self.message)


@dataclass
class StepError:
    key: object  # the import line number, or None for a single step
    problems: list[wf.Problem]

    @property
    def message(self) -> Message:
        return sentences(p.message for p in self.problems)


@dataclass
class Outcome:
    events_written: int = 0
    families: list[str] = field(default_factory=list)
    errors: list[StepError] = field(default_factory=list)
    states: dict[str, wf.FamilyCase] = field(default_factory=dict)  # each written family, as replayed

    @property
    def ok(self) -> bool:
        return not self.errors


def _chunks(seq: Sequence, size: int = CHUNK):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


# --------------------------------------------------------------------------------------------
# Reading a family's history
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _history_query(by: str):
    """The SELECT behind `history_rows`, built once per process (its six aliases made building it
    cost more than running it for one family): for every event (`by` "all"), for the families in
    an expanding parameter `family_ids` ("families") or for an authority `la_id` ("authority")."""
    child, proc, fam, la = aliased(Child), aliased(Proceedings), aliased(Family), aliased(LocalAuthority)
    person, member = aliased(Person), aliased(FamilyPerson)
    query = (
        select(
            Event.id, Event.family_id, Event.event, Event.occurred_on, la.code.label("la_code"),
            fam.reference.label("family_ref"), child.reference.label("child_ref"),
            proc.reference.label("proceedings_ref"), child.dob, child.sex, child.ethnicity,
            Event.weeks, Event.reason, Event.order_type, Event.consent_by, Event.emergency_type,
            Event.exception, person.reference.label("person_ref"), Event.relation.label("relationship"),
            Event.parental_responsibility, Event.characteristics, Event.outcome,
            func.coalesce(Event.decided_by, ExceptionDecision.decided_by).label("decided_by"), Event.offered_to,
            Event.end_date, Event.invited, Event.attended, Event.private_family_time, Event.coordinator,
            member.dob.label("person_dob"), member.sex.label("person_sex"),
            member.ethnicity.label("person_ethnicity"),
        )
        .join(fam, fam.id == Event.family_id)
        .join(la, la.id == Event.la_id)
        .outerjoin(child, child.id == Event.child_id)
        .outerjoin(proc, proc.id == Event.proceedings_id)
        .outerjoin(person, person.id == Event.person_id)
        # A person's details come with the step that added them to the family's network.
        .outerjoin(member, and_(Event.event == "add_person", member.family_id == Event.family_id,
                                member.person_id == Event.person_id))
        .outerjoin(ExceptionDecision, ExceptionDecision.event_id == Event.id)
        .order_by(Event.occurred_on, Event.id)
    )  # fmt: skip
    if by == "families":
        return query.where(Event.family_id.in_(bindparam("family_ids", expanding=True)))
    if by == "authority":
        return query.where(Event.la_id == bindparam("la_id"))
    return query


def history_rows(session: Session, family_ids: Sequence[int] | None = None, la_id: int | None = None):
    """Events as PathwayEvent-ready rows, in the order they apply: (date, id)."""
    if family_ids is None:
        if la_id is None:
            yield from session.execute(_history_query("all"))
        else:
            yield from session.execute(_history_query("authority"), {"la_id": la_id})
        return
    for chunk in _chunks(list(family_ids)):
        if la_id is None:
            yield from session.execute(_history_query("families"), {"family_ids": chunk})
        else:
            yield from session.execute(_history_query("families").where(Event.la_id == la_id), {"family_ids": chunk})


def split_list(text: str | None) -> tuple[str, ...] | None:
    """A `;`-separated column (characteristics, offered_to) as a tuple; None when blank."""
    items = tuple(item.strip() for item in (text or "").split(";") if item.strip())
    return items or None


def join_list(items) -> str | None:
    return ";".join(items) if items else None


def to_event(row) -> wf.PathwayEvent:
    is_open = row.event == "open_case"
    added = row.event == "add_person"
    return wf.PathwayEvent(
        event=row.event, date=row.occurred_on, family_ref=row.family_ref, child_ref=row.child_ref,
        proceedings_ref=row.proceedings_ref,
        dob=row.dob if is_open else row.person_dob if added else None,
        sex=row.sex if is_open else row.person_sex if added else None,
        ethnicity=row.ethnicity if is_open else row.person_ethnicity if added else None,
        weeks=row.weeks, reason=row.reason, order_type=row.order_type, consent_by=row.consent_by,
        emergency_type=row.emergency_type, exception=row.exception,
        person_ref=row.person_ref, relationship=row.relationship,
        parental_responsibility=row.parental_responsibility,
        characteristics=split_list(row.characteristics), outcome=row.outcome, decided_by=row.decided_by,
        offered_to=split_list(row.offered_to), end_date=row.end_date,
        invited=split_list(row.invited), attended=split_list(row.attended),
        private_family_time=row.private_family_time, coordinator=row.coordinator,
    )  # fmt: skip


def fgdm_duty_from() -> date:
    """The day s.31ZA applies from: the app's FGDM_DUTY_FROM setting, else the workflow's default."""
    try:
        from flask import current_app

        return current_app.config.get("FGDM_DUTY_FROM") or wf.FGDM_DUTY_DEFAULT
    except RuntimeError:  # outside an application (scripts, pure tests)
        return wf.FGDM_DUTY_DEFAULT


def family_state(session: Session, family: Family, today: date) -> wf.FamilyCase:
    """A family's state as its history implies (used by pages and consistency checks)."""
    la = family.local_authority
    events = [to_event(r) for r in history_rows(session, [family.id])]
    return wf.replay(events, la.code, la.nation, wf.Context(today=today, fgdm_duty_from=fgdm_duty_from()))


# --------------------------------------------------------------------------------------------
# Recording steps
# --------------------------------------------------------------------------------------------


class _RefIndex:
    """Which family holds a reference in this authority: the database plus this batch. The
    references the batch asks about are looked up together, in one chunked query."""

    def __init__(self, session: Session, la_id: int, column, refs: Iterable[str]):
        model = column.class_
        self.added: dict[str, str] = {}
        self.known: dict[str, str] = {}
        for chunk in _chunks(sorted(set(refs))):
            self.known.update(session.execute(
                select(column, Family.reference)
                .join(Family, Family.id == model.family_id)
                .where(model.la_id == la_id, column.in_(chunk))
            ).all())  # fmt: skip

    def owner(self, ref: str) -> str | None:
        return self.added.get(ref) or self.known.get(ref)


def record_steps(
    session: Session,
    la: LocalAuthority,
    steps: Iterable[tuple[object, wf.PathwayEvent]],
    *,
    actor: Actor,
    source: str,
    now: datetime,
    expected_versions: dict[str, int] | None = None,
) -> Outcome:
    """Check and record steps for one local authority. `steps` are (key, event) pairs; the key
    (an import line number) is given back with any error. Nothing is written unless every step
    passes; the caller commits (or rolls back) the transaction."""
    steps = list(steps)
    order = sorted(range(len(steps)), key=lambda i: (steps[i][1].date, i))
    family_refs = sorted({ev.family_ref for _, ev in steps})
    big = len(family_refs) > 200

    families = _lock_families(session, la.id, family_refs, big)
    if expected_versions:
        for ref, version in expected_versions.items():
            if ref in families and families[ref].version != version:
                raise Conflict(ref)

    existing: dict[str, list[tuple[int, wf.PathwayEvent]]] = defaultdict(list)
    if families:
        ids = None if big else [f.id for f in families.values()]
        wanted = {f.id for f in families.values()}
        for row in history_rows(session, ids, la_id=la.id if big else None):
            if row.family_id in wanted:
                existing[row.family_ref].append((row.id, to_event(row)))

    children_index = _RefIndex(
        session, la.id, Child.reference, (ev.child_ref for _, ev in steps if ev.event == "open_case" and ev.child_ref)
    )
    proceedings_index = _RefIndex(
        session, la.id, Proceedings.reference,
        (ev.proceedings_ref for _, ev in steps if ev.event == "issue_proceedings" and ev.proceedings_ref),
    )  # fmt: skip
    ctx = wf.Context(
        today=now.date(), fgdm_duty_from=fgdm_duty_from(),
        child_ref_owner=children_index.owner, proceedings_ref_owner=proceedings_index.owner,
    )  # fmt: skip

    # One sequence: recorded history first within a day, then the new steps in their given order.
    merged: list[tuple[tuple, str, object, wf.PathwayEvent]] = []
    for ref, rows in existing.items():
        merged.extend(((ev.date, 0, row_id), "old", row_id, ev) for row_id, ev in rows)
    merged.extend(((steps[i][1].date, 1, n), "new", i, steps[i][1]) for n, i in enumerate(order))
    merged.sort(key=lambda item: item[0])

    states: dict[str, wf.FamilyCase | None] = {}
    accepted: list[int] = []
    last_new: dict[str, int] = {}
    outcome = Outcome()
    refused_new: list[tuple[StepError, wf.PathwayEvent]] = []
    coordinators = _fgc_coordinators(session, la, [ev for _, ev in steps])
    for _sort, kind, ident, ev in merged:
        state = states.get(ev.family_ref)
        try:
            if kind == "new" and ev.event == "allocate_fgc_coordinator" and ev.coordinator \
                    and ev.coordinator not in coordinators:
                raise wf.Refused(wf.Problem("coordinator", msg(
                    "%(coordinator)s is not an FGC coordinator of %(authority)s. Allocate a user with the FGC "
                    "coordinator role in this authority.", coordinator=ev.coordinator, authority=la.name)))
            new_state = wf.apply(state, ev, ctx, la.code, la.nation)
        except wf.Refused as refused:
            if kind == "new":
                outcome.errors.append(StepError(steps[ident][0], refused.problems))
                refused_new.append((outcome.errors[-1], ev))
                continue
            culprit = last_new.get(ev.family_ref)
            outcome.errors.append(StepError(
                steps[culprit][0] if culprit is not None else None,
                [wf.Problem("date", msg("This step would make '%(step)s' on %(date)s, already recorded, "
                                        "invalid: %(refusal)s", step=label(wf.EVENT[ev.event].label),
                                        date=ev.date, refusal=sentences(p.message for p in refused.problems)))],
            ))  # fmt: skip
            continue
        states[ev.family_ref] = new_state
        if kind == "new":
            accepted.append(ident)
            last_new[ev.family_ref] = ident
            if ev.event == "open_case":
                children_index.added[ev.child_ref] = ev.family_ref
            elif ev.event == "issue_proceedings" and proceedings_index.owner(ev.proceedings_ref) is None:
                proceedings_index.added[ev.proceedings_ref] = ev.family_ref

    # A step dated before the record it refers to was replayed before that record, and refused
    # for what it met there; the mistake is its date, judged against the rest of the history.
    for error, ev in refused_new:
        if problem := wf.date_problem(states.get(ev.family_ref), ev):
            error.problems = [problem]

    if outcome.errors:
        outcome.errors.sort(key=lambda e: (e.key is None, e.key if isinstance(e.key, int) else 0))
        return outcome

    touched = sorted({steps[i][1].family_ref for i in accepted})
    try:
        ids = _write_projection(session, la, {r: states[r] for r in touched}, families)
        _write_events(session, la, [steps[i][1] for i in accepted], ids, actor, source, now)
    except IntegrityError:
        # Another writer created the same new family, child or proceedings reference after we
        # looked (a new row has nothing to lock): the same situation as a changed record.
        raise Conflict(touched[0] if len(touched) == 1 else ", ".join(touched[:3])) from None
    _bump_versions(session, families, touched)
    if big:
        _refresh_statistics(session)
    from .queues import stored as stored_flags

    stored_flags.recompute(session, [ids.family[r] for r in touched])  # the queues' flags, same transaction
    outcome.events_written = len(accepted)
    outcome.families = touched
    outcome.states = {r: states[r] for r in touched}
    return outcome


# The projection's tables a big batch has just filled (by COPY, on PostgreSQL).
_REFRESHED = ("families", "children", "proceedings", "proceedings_children", "family_people", "child_relations")


def _refresh_statistics(session: Session) -> None:
    """PostgreSQL plans by its statistics, which know nothing of rows a transaction has just
    copied in: after a big batch it planned the queues' recompute as whole-table scans, a scan
    per chunk of families (national scale: about 1.4 s a chunk, growing with the database).
    ANALYZE, allowed in a transaction, samples the batch's own rows too. A role that does not own
    the tables (`grant-app-role`) is told so in a warning and carries on: nothing fails."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {', '.join(_REFRESHED)}"))


def _fgc_coordinators(session: Session, la: LocalAuthority, steps: list[wf.PathwayEvent]) -> set[str]:
    """FGC service (issue 13): of the coordinators new allocations name, those that are active
    users with the fgc_coordinator role in this authority. Asked of new steps only, so a history
    stays valid when a coordinator later leaves."""
    from .models import User

    named = sorted({ev.coordinator for ev in steps if ev.event == "allocate_fgc_coordinator" and ev.coordinator})
    if not named:
        return set()
    return set(session.scalars(select(User.email).where(
        User.email.in_(named), User.la_id == la.id, User.role == "fgc_coordinator", User.active.is_(True),
    )))


def rebuild_projection(session: Session, la: LocalAuthority, today: date) -> int:
    """Bring the stored projection of every family of an authority into line with its history
    (after a migration adds projection columns). Writes no event; returns the families replayed.
    The caller commits."""
    families = {f.reference: f for f in session.scalars(
        select(Family).where(Family.la_id == la.id).with_for_update(of=Family).order_by(Family.id)
    )}  # fmt: skip
    if not families:
        return 0
    by_family: dict[str, list[wf.PathwayEvent]] = defaultdict(list)
    for row in history_rows(session, None, la_id=la.id):
        by_family[row.family_ref].append(to_event(row))
    ctx = wf.Context(today=today, fgdm_duty_from=fgdm_duty_from())
    states = {ref: wf.replay(events, la.code, la.nation, ctx) for ref, events in by_family.items()}
    _write_projection(session, la, states, families)
    from .queues import stored as stored_flags

    stored_flags.recompute_authority(session, la.id)
    return len(states)


def _lock_families(session: Session, la_id: int, refs: list[str], big: bool) -> dict[str, Family]:
    # populate_existing: the version must be the one read under the lock, not a copy the session
    # already held from before another writer committed.
    query = (
        select(Family).where(Family.la_id == la_id).with_for_update(of=Family)
        .order_by(Family.id)  # every writer locks in the same order: batches cannot deadlock
        .execution_options(populate_existing=True)
    )  # fmt: skip
    found: dict[str, Family] = {}
    if big:
        wanted = set(refs)
        found = {f.reference: f for f in session.scalars(query) if f.reference in wanted}
    else:
        for chunk in _chunks(refs):
            found.update({f.reference: f for f in session.scalars(query.where(Family.reference.in_(chunk)))})
    return found


@dataclass
class _Ids:
    family: dict[str, int] = field(default_factory=dict)
    child: dict[str, int] = field(default_factory=dict)
    proceedings: dict[str, int] = field(default_factory=dict)
    person: dict[str, int] = field(default_factory=dict)


def _child_values(s: wf.FamilyCase, c: wf.ChildCase) -> dict:
    return {**report_facts.child_facts(s, c),
        "dob": c.dob, "sex": c.sex, "ethnicity": c.ethnicity, "opened_on": c.opened_on,
        "stage": c.stage, "stage_since": c.stage_since, "closed_on": c.closed_on,
        "entered_care_on": c.entered_care_on, "entered_care_by": c.entered_care_by,
        "entered_care_in_emergency": c.entered_care_in_emergency, "returned_home_on": c.returned_home_on,
        "must_leave_accommodation_since": c.must_leave_accommodation_since,
        "emergency_ends_on": c.emergency_ends_on, "interim_order": c.interim_order,
        "looked_after_since": c.looked_after_since, "strategy_discussion_on": c.strategy_discussion_on,
        "cp_plan_since": c.cp_plan_since, "last_cp_review": c.last_cp_review,
    }  # fmt: skip


def _proceedings_values(p: wf.ProceedingsCase) -> dict:
    return {"issued_on": p.issued_on, "deadline": p.deadline, "concluded_on": p.concluded_on, "fdac": p.fdac,
            **report_facts.proceedings_facts(p)}


def _write_projection(session, la, states: dict[str, wf.FamilyCase], families: dict[str, Family]) -> _Ids:
    """Bring the stored projection of each touched family into line with its replayed state."""
    ids = _Ids()
    new_families = [
        {"la_id": la.id, "reference": ref, "opened_on": s.opened_on, "version": 1}
        for ref, s in states.items() if ref not in families
    ]  # fmt: skip
    if new_families:
        insert_many(session, Family, new_families)
    ids.family = {ref: f.id for ref, f in families.items()}
    missing = [ref for ref in states if ref not in ids.family]
    for chunk in _chunks(missing):
        ids.family.update(session.execute(
            select(Family.reference, Family.id).where(Family.la_id == la.id, Family.reference.in_(chunk))
        ).all())  # fmt: skip
    family_ids = [ids.family[r] for r in states]
    old_families = [ids.family[r] for r in states if r in families]

    # Children, then proceedings: update the rows whose projection changed, insert the new.
    ids.child, _ = _sync_family_rows(
        session, la, Child, old_families, family_ids, ids.family,
        [(ref, c.ref, _child_values(s, c)) for ref, s in states.items() for c in s.children.values()],
    )  # fmt: skip
    ids.proceedings, stored_proceedings = _sync_family_rows(
        session, la, Proceedings, old_families, family_ids, ids.family,
        [(ref, p.ref, _proceedings_values(p)) for ref, s in states.items() for p in s.proceedings.values()],
    )  # fmt: skip

    stored_parties = {}
    stored_extensions: dict[int, list] = defaultdict(list)
    old_proceedings = [row.id for row in stored_proceedings.values()]
    for chunk in _chunks(old_proceedings):
        for row in session.execute(select(ProceedingsChild).where(ProceedingsChild.proceedings_id.in_(chunk))).scalars():
            stored_parties[(row.proceedings_id, row.child_id)] = row
        for row in session.execute(
            select(Extension).where(Extension.proceedings_id.in_(chunk)).order_by(Extension.granted_on, Extension.id)
        ).scalars():
            stored_extensions[row.proceedings_id].append((row.granted_on, row.weeks, row.reason, row.child_id))
    new_parties, changed_parties, replace_extensions, new_extensions = [], [], [], []
    for s in states.values():
        for p in s.proceedings.values():
            pid = ids.proceedings[p.ref]
            for child_ref, party in p.parties.items():
                key = (pid, ids.child[child_ref])
                values = {
                    "joined_on": party.joined_on, "order_type": party.order_type, "order_on": party.order_on,
                    "father_recorded": party.father_recorded, "father_has_pr": party.father_has_pr,
                    "relative_assessed": party.relative_assessed, "fgc_at_issue": party.fgc_at_issue,
                    "deadline": p.deadline_for(child_ref),
                    **report_facts.party_facts(s, p, child_ref),
                }  # fmt: skip
                row = stored_parties.get(key)
                if row is None:
                    new_parties.append({"proceedings_id": pid, "child_id": key[1], **values})
                elif any(getattr(row, k) != v for k, v in values.items()):
                    changed_parties.append({"b_pid": pid, "b_cid": key[1], **values})
            wanted = [(x.granted_on, x.weeks, x.reason, ids.child[x.child_ref] if x.child_ref else None)
                      for x in p.extensions]  # fmt: skip
            if wanted != stored_extensions.get(pid, []):
                if pid in stored_extensions:
                    replace_extensions.append(pid)
                new_extensions.extend(
                    {"proceedings_id": pid, "granted_on": g, "weeks": w, "reason": r,
                     "category": wf.codes.extension_category(r), "child_id": c}
                    for g, w, r, c in wanted
                )  # fmt: skip
    if new_parties:
        insert_many(session, ProceedingsChild, new_parties)
    if changed_parties:
        t = ProceedingsChild.__table__
        session.execute(
            update(t).where(and_(t.c.proceedings_id == _bind("b_pid"), t.c.child_id == _bind("b_cid"))),
            changed_parties,
        )
    for chunk in _chunks(replace_extensions):
        session.execute(delete(Extension).where(Extension.proceedings_id.in_(chunk)))
    if new_extensions:
        insert_many(session, Extension, new_extensions)

    # FGC records: rewritten for a family whenever they differ from its history.
    stored_fgcs: dict[int, list] = defaultdict(list)
    for chunk in _chunks(old_families):
        for row in session.execute(
            select(FamilyGroupConference).where(FamilyGroupConference.family_id.in_(chunk))
            .order_by(FamilyGroupConference.offered_on, FamilyGroupConference.id)
        ).scalars():  # fmt: skip
            stored_fgcs[row.family_id].append(
                (row.offered_on, row.status, row.accepted_on, row.declined_on, row.held_on, row.offered_to,
                 row.in_letter, *(getattr(row, c) for c in _FGC_SERVICE_COLUMNS),
                 *(getattr(row, c) for c in report_facts.FGC_FACTS))
            )
    replace_fgcs, new_fgcs = [], []
    for ref, s in states.items():
        fid = ids.family[ref]
        wanted = [(f.offered_on, f.status, f.accepted_on, f.declined_on, f.held_on, join_list(f.offered_to),
                   f.in_letter, *(getattr(f, c) for c in _FGC_SERVICE_COLUMNS),
                   *report_facts.fgc_facts(s, f).values()) for f in s.fgcs]  # fmt: skip
        if wanted != stored_fgcs.get(fid, []):
            if fid in stored_fgcs:
                replace_fgcs.append(fid)
            new_fgcs.extend(
                {"family_id": fid, "offered_on": o, "status": st, "accepted_on": a, "declined_on": d, "held_on": h,
                 "offered_to": to, "in_letter": letter,
                 **dict(zip(_FGC_SERVICE_COLUMNS + report_facts.FGC_FACTS, service))}
                for o, st, a, d, h, to, letter, *service in wanted
            )  # fmt: skip
    for chunk in _chunks(replace_fgcs):
        session.execute(delete(FamilyGroupConference).where(FamilyGroupConference.family_id.in_(chunk)))
    if new_fgcs:
        insert_many(session, FamilyGroupConference, new_fgcs)
    _write_fact_rows(session, la, states, ids, old_families)
    ids.person, parents, members = _write_network(session, la, states, ids, old_families)
    child_ids = [ids.child[c.ref] for s in states.values() for c in s.children.values()]
    _store_recurrent_parents(session, child_ids, parents)
    _write_party_parents(session, la, states, ids, child_ids)
    _store_traits(session, members)
    return ids


def _write_party_parents(session, la, states: dict[str, wf.FamilyCase], ids: _Ids, child_ids: list[int]) -> None:
    """Each parent of each child party (`PartyParent`), rewritten for a child whenever they differ
    from the child's proceedings and relationships in the history."""
    stored: dict[int, set] = defaultdict(set)
    for chunk in _chunks(child_ids):
        for row in session.execute(select(PartyParent.child_id, PartyParent.proceedings_id, PartyParent.person_id,
                                          PartyParent.joined_on).where(PartyParent.child_id.in_(chunk))):
            stored[row[0]].add(tuple(row[1:]))
    wanted: dict[int, set] = defaultdict(set)
    for s in states.values():
        for p in s.proceedings.values():
            for child_ref, party in p.parties.items():
                relations = s.children[child_ref].relations
                wanted[ids.child[child_ref]].update(
                    (ids.proceedings[p.ref], ids.person[person_ref], party.joined_on)
                    for person_ref, r in relations.items() if r.relationship in wf.codes.PARENTS
                )  # fmt: skip
    changed = [cid for cid in child_ids if stored.get(cid, set()) != wanted.get(cid, set())]
    for chunk in _chunks([cid for cid in changed if cid in stored]):
        session.execute(delete(PartyParent).where(PartyParent.child_id.in_(chunk)))
    insert_many(session, PartyParent, [
        {"proceedings_id": pid, "child_id": cid, "person_id": person, "la_id": la.id, "joined_on": joined}
        for cid in changed for pid, person, joined in sorted(wanted.get(cid, ()))
    ])  # fmt: skip


def _store_traits(session, people: set[int]) -> None:
    """Whether any family records each of these people as having a learning disability, or as
    care experienced (`reports.sql.has_trait`): a person can be in several families, so for
    everyone in the batch's families, before or after it. Only rows whose answer changed are written."""
    person = Person.__table__
    for chunk in _chunks(sorted(people)):
        for column in ("learning_disability", "care_experienced"):
            trait = report_sql.has_trait(person.c.id, column)
            session.execute(update(person).where(person.c.id.in_(chunk), person.c[column] != trait)
                            .values({column: trait}))


def _store_recurrent_parents(session, child_ids: list[int], parents: set[int]) -> None:
    """Each party row's recurrent parent (`reports.sql.has_recurrent_parent`), for every row the
    batch can have changed: its own children's, and those of any family whose children have a
    parent among the batch's parents (before or after the batch), whose earlier proceedings may be
    the batch's. Only rows whose answer changed are written."""
    relation = ChildRelation.__table__
    related = set(child_ids)
    for chunk in _chunks(sorted(parents)):
        related.update(session.scalars(
            select(relation.c.child_id).where(relation.c.person_id.in_(chunk),
                                              relation.c.relationship.in_(wf.codes.PARENTS)).distinct()
        ))  # fmt: skip
    party = ProceedingsChild.__table__
    issued_on = (select(Proceedings.issued_on).where(Proceedings.id == party.c.proceedings_id)
                 .correlate(party).scalar_subquery())
    recurrent = report_sql.has_recurrent_parent(party.c.child_id, issued_on)
    for chunk in _chunks(sorted(related)):
        session.execute(
            update(party).where(party.c.child_id.in_(chunk), party.c.recurrent_parent != recurrent)
            .values(recurrent_parent=recurrent)
        )  # fmt: skip


def _write_fact_rows(session, la, states: dict[str, wf.FamilyCase], ids: _Ids, old_families: list[int]) -> None:
    """The report's per-child fact rows (`reports.facts`): each child's FGC outcomes at six months
    and its care episodes, rewritten for a family whenever they differ from its history."""
    def outcomes(s):
        return [(o, p, d, ids.child[c], x) for o, p, d, c, x in report_facts.fgc_outcome_facts(s)]

    def episodes(s):
        return [(ids.child[c.ref], *e) for c in s.children.values() for e in report_facts.care_episodes(c)]

    for model, columns, wanted_of in (
        (FgcOutcome, ("offered_on", "plan_decided_on", "due_on", "child_id", "outcome"), outcomes),
        (CareEpisode, ("child_id", "kind", "started_on", "ended_on"), episodes),
    ):
        stored: dict[int, list] = defaultdict(list)
        for chunk in _chunks(old_families):
            for row in session.execute(
                select(model.family_id, *(getattr(model, c) for c in columns))
                .where(model.family_id.in_(chunk)).order_by(model.id)
            ):  # fmt: skip
                stored[row[0]].append(tuple(row[1:]))
        replace, new = [], []
        for ref, s in states.items():
            fid = ids.family[ref]
            wanted = wanted_of(s)
            if wanted != stored.get(fid, []):
                if fid in stored:
                    replace.append(fid)
                new.extend({"la_id": la.id, "family_id": fid, **dict(zip(columns, row))} for row in wanted)
        for chunk in _chunks(replace):
            session.execute(delete(model).where(model.family_id.in_(chunk)))
        if new:
            insert_many(session, model, new)


# FGC service (issue 13): the conference's projection columns, each named as on `workflow.FgcCase`.
_FGC_SERVICE_COLUMNS = ("referred_on", "coordinator", "coordinator_allocated_on", "private_family_time",
                        "plan_decided_on", "plan_outcome", "reviewed_on", "closed_on", "closed_reason")


def _write_network(session, la, states: dict[str, wf.FamilyCase], ids: "_Ids",
                   old_families: list[int]) -> tuple[dict[str, int], set[int], set[int]]:
    """People (one row per reference in the authority, shared by families), each family's network
    and each child's relationships, brought into line with the replayed states. Returns the
    people's ids by reference, the ids of everyone who was or is a parent of one of the batch's
    children, and of everyone who was or is in one of the batch's families."""
    refs = sorted({ref for s in states.values() for ref in s.people})
    person_ids = _person_ids(session, la.id, refs)
    new_people = [{"la_id": la.id, "reference": r} for r in refs if r not in person_ids]
    if new_people:
        insert_many(session, Person, new_people)
        person_ids.update(_person_ids(session, la.id, [p["reference"] for p in new_people]))

    stored_members: dict[tuple[int, int], tuple] = {}
    stored_relations: dict[tuple[int, int], tuple] = {}
    member_columns = ("added_on", "dob", "sex", "ethnicity", "characteristics", "support_due_from")
    relation_columns = ("relationship", "parental_responsibility", "since", "objecting_since")
    for chunk in _chunks(old_families):
        for row in session.execute(select(FamilyPerson).where(FamilyPerson.family_id.in_(chunk))).scalars():
            stored_members[(row.family_id, row.person_id)] = tuple(getattr(row, c) for c in member_columns)
    child_ids = [ids.child[c.ref] for s in states.values() for c in s.children.values()]
    for chunk in _chunks(child_ids):
        for row in session.execute(select(ChildRelation).where(ChildRelation.child_id.in_(chunk))).scalars():
            stored_relations[(row.child_id, row.person_id)] = tuple(getattr(row, c) for c in relation_columns)

    wanted_members, wanted_relations = {}, {}
    for ref, s in states.items():
        fid = ids.family[ref]
        due = s.post_removal_support_due()
        for p in s.people.values():
            wanted_members[(fid, person_ids[p.ref])] = (
                p.added_on, p.dob, p.sex, p.ethnicity, join_list(p.characteristics), due.get(p.ref)
            )
        for c in s.children.values():
            for person_ref, r in c.relations.items():
                wanted_relations[(ids.child[c.ref], person_ids[person_ref])] = (
                    r.relationship, r.parental_responsibility, r.since, c.objections.get(person_ref)
                )
    _replace_changed(session, FamilyPerson, ("family_id", "person_id"), member_columns, stored_members, wanted_members)
    _replace_changed(session, ChildRelation, ("child_id", "person_id"), relation_columns, stored_relations,
                     wanted_relations)
    parents = {pid for relations in (stored_relations, wanted_relations)
               for (_cid, pid), values in relations.items() if values[0] in wf.codes.PARENTS}  # fmt: skip
    return person_ids, parents, {pid for _fid, pid in (*stored_members, *wanted_members)}


def _person_ids(session, la_id: int, refs: list[str]) -> dict[str, int]:
    """{reference: id} of these people of the authority. A large batch reads the authority's
    people in one statement: after a bulk COPY in the same transaction PostgreSQL has no
    statistics for the new rows, and 500-reference IN lists then cost a scan each."""
    if len(refs) > COPY_THRESHOLD:
        wanted = set(refs)
        rows = session.execute(select(Person.reference, Person.id).where(Person.la_id == la_id))
        return {ref: pid for ref, pid in rows if ref in wanted}
    found: dict[str, int] = {}
    for chunk in _chunks(refs):
        found.update(session.execute(
            select(Person.reference, Person.id).where(Person.la_id == la_id, Person.reference.in_(chunk))
        ).all())  # fmt: skip
    return found


def _replace_changed(session, model, keys, columns, stored: dict, wanted: dict) -> None:
    """Make the rows of a two-key table match `wanted` ({(k1, k2): values}): delete what is gone
    or changed, insert what is new or changed."""
    gone = [k for k, v in stored.items() if wanted.get(k) != v]
    table = model.__table__
    if gone:
        session.execute(
            delete(table).where(and_(table.c[keys[0]] == _bind("k0"), table.c[keys[1]] == _bind("k1"))),
            [{"k0": a, "k1": b} for a, b in gone],
        )
    fresh = [{keys[0]: k[0], keys[1]: k[1], **dict(zip(columns, v))} for k, v in wanted.items() if stored.get(k) != v]
    insert_many(session, model, fresh)


def _sync_family_rows(session, la, model, old_families, family_ids, family_id_of, wanted):
    """Make `model`'s rows (children or proceedings: a reference per authority, a family each)
    match `wanted` = [(family_ref, reference, values)]. Returns ({reference: id}, {reference: stored row})."""
    stored = {}
    for chunk in _chunks(old_families):
        for row in session.execute(select(model).where(model.family_id.in_(chunk))).scalars():
            stored[row.reference] = row
    new, changed = [], []
    for family_ref, reference, values in wanted:
        row = stored.get(reference)
        if row is None:
            new.append({"la_id": la.id, "family_id": family_id_of[family_ref], "reference": reference, **values})
        elif any(getattr(row, k) != v for k, v in values.items()):
            changed.append({"b_id": row.id, **values})
    insert_many(session, model, new)
    if changed:
        table = model.__table__
        session.execute(update(table).where(table.c.id == _bind("b_id")), changed)
    ids = {}
    for chunk in _chunks(family_ids):
        ids.update(session.execute(
            select(model.reference, model.id).where(model.family_id.in_(chunk))
        ).all())  # fmt: skip
    return ids, stored


def _bind(name: str):
    return bindparam(name)


COPY_THRESHOLD = 2000  # rows; above this PostgreSQL gets COPY instead of INSERT


def insert_many(session: Session, model, rows: list[dict]) -> None:
    """Insert rows in bulk, ids assigned in the order given (the history's order).

    Large batches on PostgreSQL go through COPY on the session's own connection (same
    transaction); on SQLite, one executemany of the driver with each column's own conversion
    (the ORM's per-row parameter handling was a tenth of an import); otherwise one Core
    executemany, batched by the driver."""
    if not rows:
        return
    table = model.__table__
    connection = session.connection()
    columns = list(rows[0])
    if connection.dialect.name == "sqlite" and all(c.name in rows[0] for c in table.columns if c.default is not None):
        dialect = connection.dialect
        # Each converting column (dates, times, booleans) with a memo: a batch repeats its values.
        convert = [(i, to, {}) for i, c in enumerate(columns)
                   if (to := table.c[c].type._cached_bind_processor(dialect)) is not None]  # fmt: skip
        data = []
        for row in rows:
            values = [row[c] for c in columns]
            for i, to, memo in convert:
                value = values[i]
                if value is not None:
                    found = memo.get(value)
                    if found is None:
                        found = memo[value] = to(value)
                    values[i] = found
            data.append(tuple(values))
        quote = dialect.identifier_preparer.quote
        sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")  # fmt: skip
        connection.exec_driver_sql(sql, data)
        return
    if len(rows) >= COPY_THRESHOLD and connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        quote = connection.dialect.identifier_preparer.quote  # child_flags has a column named "on"
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        return
    session.execute(table.insert(), rows)


def _write_events(session, la, events: list[wf.PathwayEvent], ids: _Ids, actor: Actor, source: str, now: datetime):
    rows = []
    for ev in events:
        spec = wf.EVENT[ev.event]
        rows.append({
            "la_id": la.id,
            "family_id": ids.family[ev.family_ref],
            "child_id": ids.child[ev.child_ref] if ev.child_ref and spec.level in ("child", "proceedings") else None,
            "proceedings_id": ids.proceedings[ev.proceedings_ref] if ev.proceedings_ref else None,
            "event": ev.event, "occurred_on": ev.date, "recorded_at": now,
            "recorded_by_id": actor.user_id, "source": source,
            "consent_by": ev.consent_by, "emergency_type": ev.emergency_type, "exception": ev.exception,
            "weeks": ev.weeks, "reason": ev.reason, "order_type": ev.order_type,
            "person_id": ids.person[ev.person_ref] if ev.person_ref else None,
            "relationship": ev.relationship, "parental_responsibility": ev.parental_responsibility,
            "characteristics": join_list(ev.characteristics), "outcome": ev.outcome,
            "decided_by": ev.decided_by, "offered_to": join_list(ev.offered_to), "end_date": ev.end_date,
            "invited": join_list(ev.invited), "attended": join_list(ev.attended),
            "private_family_time": ev.private_family_time, "coordinator": ev.coordinator,
        })  # fmt: skip
    insert_many(session, Event, rows)


def move_version_on(session: Session, family: Family, expected_version: int) -> None:
    """For a change to the family row itself (allocation): refuse it with Conflict unless the
    family is still at the version the page was loaded with, and move the version on."""
    t = Family.__table__
    if not 0 < expected_version < 2**31:  # not a version the database could hold: not this family's
        raise Conflict(family.reference)
    moved = session.execute(
        update(t).where(t.c.id == family.id, t.c.version == expected_version).values(version=expected_version + 1)
    ).rowcount  # fmt: skip
    if moved != 1:
        raise Conflict(family.reference)


def _bump_versions(session, families: dict[str, Family], touched: list[str]) -> None:
    """Every change to a family moves its version on; a stale version means a lost update."""
    t = Family.__table__
    stale = [families[r] for r in touched if r in families]
    if len(stale) == 1:
        f = stale[0]
        result = session.execute(
            update(t).where(t.c.id == f.id, t.c.version == f.version).values(version=f.version + 1)
        )
        if result.rowcount != 1:
            raise Conflict(f.reference)
    else:
        # Checked too: on SQLite nothing was locked, so another writer may have moved a version on.
        for chunk in _chunks(stale):
            read = {f.id: f for f in chunk}
            moved = session.execute(
                update(t).where(t.c.id.in_(list(read))).values(version=t.c.version + 1)
                .returning(t.c.id, t.c.version)
            ).all()  # fmt: skip
            for family_id, version in moved:
                if version != read[family_id].version + 1:
                    raise Conflict(read[family_id].reference)
    session.expire_all()


def allocate(session: Session, family: Family, team_id: int | None, worker_id: int | None, *, actor: Actor,
             now: datetime) -> None:
    """Allocate a family to a team and a social worker (or take the allocation away), with its
    audit entry and the queues' stored flags ("unallocated") in the same transaction."""
    from .queues import stored as stored_flags

    before = {"team_id": family.team_id, "worker_id": family.worker_id}
    family.team_id, family.worker_id = team_id, worker_id
    session.flush()
    stored_flags.recompute(session, [family.id])
    audit(session, actor=actor, action="allocate", entity="family", entity_id=family.id, now=now,
          la_id=family.la_id, family_id=family.id, before=before, after={"team_id": team_id, "worker_id": worker_id})


# --------------------------------------------------------------------------------------------
# Audit
# --------------------------------------------------------------------------------------------


def audit(session: Session, *, actor: Actor, action: str, entity: str, entity_id: int | None, now: datetime,
          la_id: int | None = None, family_id: int | None = None, before=None, after=None) -> None:
    """Append one entry to the audit trail (the database refuses to change or remove it)."""
    session.execute(insert(AuditEntry).values(
        at=now, user_id=actor.user_id, actor=actor.label, action=action, entity=entity,
        entity_id=entity_id, la_id=la_id, family_id=family_id,
        before=None if before is None else json.dumps(before, default=str, sort_keys=True),
        after=None if after is None else json.dumps(after, default=str, sort_keys=True),
    ))  # fmt: skip


def family_summary(state: wf.FamilyCase | None) -> dict | None:
    """A compact picture of a family for the audit trail's before and after."""
    if state is None:
        return None
    return {
        "children": {r: {"stage": c.stage, "since": c.stage_since} for r, c in state.children.items()},
        "fgc": [{"offered_on": f.offered_on, "status": f.status} for f in state.fgcs],
        "letters": state.letters,
        "proceedings": {
            r: {"issued_on": p.issued_on, "deadline": p.deadline, "concluded_on": p.concluded_on,
                "extensions": len(p.extensions)}
            for r, p in state.proceedings.items()
        },
    }  # fmt: skip


def record_step(session: Session, la: LocalAuthority, step: wf.PathwayEvent, *, actor: Actor, now: datetime,
                expected_version: int | None = None, source: str = "form") -> Outcome:
    """Record one step from a form: refuse it with reasons, or write it with its audit entry.

    The caller commits on success and rolls back on a refusal or Conflict."""
    family = session.execute(
        select(Family).where(Family.la_id == la.id, Family.reference == step.family_ref)
    ).scalar()
    before = family_summary(family_state(session, family, now.date())) if family else None
    expected = {step.family_ref: expected_version} if expected_version is not None else None
    outcome = record_steps(session, la, [(None, step)], actor=actor, source=source, now=now,
                           expected_versions=expected)
    if not outcome.ok:
        return outcome
    family = session.execute(
        select(Family).where(Family.la_id == la.id, Family.reference == step.family_ref)
    ).scalar_one()
    after = family_summary(outcome.states[step.family_ref])  # the state just written, already replayed
    audit(session, actor=actor, action=f"record:{step.event}", entity="family", entity_id=family.id, now=now,
          la_id=la.id, family_id=family.id, before=before, after=after)
    return outcome
