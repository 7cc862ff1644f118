"""The queue for an authority, in a fixed number of SQL statements whatever the number of
children (never a query per row).

- `open_children(session, today, la_ids, filters)`: every open child with its family,
  allocation, open proceedings, extension count, earliest FGC offer, review records and latest
  reunification review, and the flags `rules.assess` finds. One SELECT. The CLI uses it.
- `build_queue(session, la, today, filters, queue, page)`: what the queues page shows: open
  children by stage, the number of children in each list, and one page of one list, most urgent
  first. At most 6 statements. Every list but the whole stage of care proceedings is the
  children whose stored flags (pathway.queues.stored: `rules.windows`, kept in the projection)
  apply today: counted, sorted and paged in SQL by a date comparison, with no rule restated
  here. Only the page's rows are read in full (and assessed by the rules, for what they show).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from math import ceil

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from .. import timescales as ts
from .. import workflow as wf
from ..models import (
    Child,
    Event,
    Extension,
    Family,
    FamilyGroupConference,
    Hearing,
    LocalAuthority,
    Proceedings,
    ProceedingsChild,
    Team,
    User,
)
from . import rules, stored
from .models import CaseReview, ChildFlag

PER_PAGE = 25


@dataclass(frozen=True)
class Filters:
    team_id: int | None = None
    worker_id: int | None = None
    stage: str | None = None


@dataclass(slots=True)
class QueueRow:
    child_id: int
    child_ref: str
    family_id: int
    family_ref: str
    la_id: int
    la_code: str
    nation: str
    stage: str
    stage_since: date
    team_name: str | None
    worker_name: str | None
    proceedings_id: int | None
    proceedings_ref: str | None
    issued_on: date | None
    deadline: date | None
    extensions: int
    week_of_timetable: int | None
    timetable_overdue: bool | None
    facts: rules.ChildFacts | None  # None: read from the stored flags (`listed_children`)
    assessment: rules.Assessment
    hearings: dict[str, date] = field(default_factory=dict)  # filled for the rows on a page
    hearing_ids: dict[str, int] = field(default_factory=dict)  # the same listings' ids

    @property
    def flags(self) -> list[str]:
        return self.assessment.flags

    @property
    def stage_label(self) -> str:
        return wf.STAGE[self.stage].label_for(self.nation)


# --------------------------------------------------------------------------------------------
# Every open child, with its flags
# --------------------------------------------------------------------------------------------


def _children_where(la_ids: list[int] | None, filters: Filters, *extra):
    """Open children of these authorities (None: all) that pass the filters."""
    conditions = [Child.stage != "closed", *extra]
    if la_ids is not None:
        # Family.la_id repeats Child.la_id (always equal) so the planner can start from the
        # authority's own families rather than scanning every family in the country.
        conditions += [Child.la_id.in_(la_ids), Family.la_id.in_(la_ids)]
    if filters.team_id is not None:
        conditions.append(Family.team_id == filters.team_id)
    if filters.worker_id is not None:
        conditions.append(Family.worker_id == filters.worker_id)
    if filters.stage is not None:
        conditions.append(Child.stage == filters.stage)
    return conditions


def _open_children_statement(today: date, la_ids: list[int] | None, filters: Filters, *extra):
    """One SELECT: the children `_children_where` picks, each with its open proceedings (left
    joins) and correlated subqueries for the rest, each an index lookup for that child only (so a
    page of 25 children costs 25 lookups, not a pass over the whole authority)."""
    extensions = select(func.count()).where(Extension.proceedings_id == Proceedings.id).scalar_subquery()
    fgc_offered_on = (
        select(func.min(FamilyGroupConference.offered_on))
        .where(FamilyGroupConference.family_id == Family.id, FamilyGroupConference.offered_on <= today)
        .scalar_subquery()
    )

    def reviews(kind: str, aggregate):
        """Review records of one kind held since they count (rules.review_counts_from), by today."""
        counts_from = getattr(Child, rules.review_counts_from(kind))
        return (
            select(aggregate)
            .where(
                CaseReview.child_id == Child.id,
                CaseReview.kind == kind,
                CaseReview.held_on >= counts_from,
                CaseReview.held_on <= today,
            )
            .scalar_subquery()
        )

    def listed(kind: str):
        """The latest listing recorded of a kind of hearing for the child's open proceedings."""
        return (
            select(Hearing.listed_for).where(Hearing.proceedings_id == Proceedings.id, Hearing.kind == kind)
            .order_by(Hearing.id.desc()).limit(1).scalar_subquery()
        )  # fmt: skip

    last_reunification_review = (
        select(func.max(Event.occurred_on))
        .where(Event.child_id == Child.id, Event.event == "reunification_review", Event.occurred_on <= today)
        .scalar_subquery()
    )
    return (
        select(
            Child.id, Child.reference, Child.stage, Child.stage_since, Child.entered_care_on,
            Child.returned_home_on, Child.must_leave_accommodation_since, Child.emergency_ends_on,
            Child.looked_after_since, Child.strategy_discussion_on, Child.cp_plan_since, Child.last_cp_review,
            Family.id.label("family_id"), Family.reference.label("family_ref"),
            Family.opened_on.label("family_opened_on"), Family.team_id, Family.worker_id, Team.name.label("team_name"),
            User.name.label("worker_name"), LocalAuthority.code.label("la_code"), LocalAuthority.nation,
            Proceedings.id.label("proceedings_id"), Proceedings.reference.label("proceedings_ref"),
            Proceedings.issued_on, func.coalesce(ProceedingsChild.deadline, Proceedings.deadline).label("deadline"),
            case((Proceedings.id.is_not(None), extensions), else_=0).label("extensions"),
            fgc_offered_on.label("fgc_offered_on"),
            reviews("looked_after_review", func.count()).label("la_reviews"),
            reviews("looked_after_review", func.max(CaseReview.held_on)).label("last_la_review"),
            reviews("legal_planning_meeting", func.max(CaseReview.held_on)).label("last_legal_planning"),
            reviews("pre_proceedings_review", func.max(CaseReview.held_on)).label("last_pre_proceedings_review"),
            last_reunification_review.label("last_reunification_review"),
            listed("case_management").label("cmh"), listed("issues_resolution").label("irh"),
            listed("final").label("final_hearing"), Child.la_id,
        )
        .join(Family, Family.id == Child.family_id)
        .join(LocalAuthority, LocalAuthority.id == Child.la_id)
        .outerjoin(Team, Team.id == Family.team_id)
        .outerjoin(User, User.id == Family.worker_id)
        # A party with no final order yet: the proceedings are open (they conclude when every
        # child party has an order), and a child is a party to one open set at a time.
        .outerjoin(ProceedingsChild, and_(ProceedingsChild.child_id == Child.id, ProceedingsChild.order_type.is_(None)))
        .outerjoin(Proceedings, and_(Proceedings.id == ProceedingsChild.proceedings_id,
                                     Proceedings.concluded_on.is_(None)))
        .where(*_children_where(la_ids, filters, *extra))
        .order_by(LocalAuthority.code, Family.reference, Child.reference)
    )  # fmt: skip


def _row(r, today: date, assess: bool = True) -> QueueRow:
    (
        child_id, child_ref, stage, stage_since, entered_care_on, returned_home_on, must_leave, emergency_ends_on,
        looked_after_since, strategy_discussion_on, cp_plan_since, last_cp_review, family_id, family_ref,
        family_opened_on, team_id, worker_id, team_name, worker_name, la_code, nation, proceedings_id,
        proceedings_ref, issued_on, deadline, extensions, fgc_offered_on, la_reviews, last_la_review,
        last_legal_planning, last_pre_proceedings_review, last_reunification, cmh, irh, final_hearing, la_id,
    ) = r  # fmt: skip
    if last_reunification is not None and (returned_home_on is None or last_reunification < returned_home_on):
        last_reunification = None  # a review of an earlier return home
    facts = rules.ChildFacts(
        nation=nation, stage=stage, stage_since=stage_since, allocated=team_id is not None and worker_id is not None,
        family_opened_on=family_opened_on, entered_care_on=entered_care_on, fgc_offered_on=fgc_offered_on,
        issued_on=issued_on, deadline=deadline, extensions=extensions, looked_after_reviews=la_reviews,
        last_looked_after_review=last_la_review, last_legal_planning=last_legal_planning,
        last_pre_proceedings_review=last_pre_proceedings_review, returned_home_on=returned_home_on,
        last_reunification_review=last_reunification, must_leave_accommodation_since=must_leave,
        emergency_ends_on=emergency_ends_on, looked_after_since=looked_after_since,
        strategy_discussion_on=strategy_discussion_on, cp_plan_since=cp_plan_since, last_cp_review=last_cp_review,
        cmh_listed_for=cmh, irh_listed_for=irh, final_listed_for=final_hearing,
    )  # fmt: skip
    in_proceedings = deadline is not None
    return QueueRow(
        child_id=child_id, child_ref=child_ref, family_id=family_id, family_ref=family_ref, la_id=la_id, la_code=la_code,
        nation=nation, stage=stage, stage_since=stage_since, team_name=team_name, worker_name=worker_name,
        proceedings_id=proceedings_id, proceedings_ref=proceedings_ref, issued_on=issued_on,
        deadline=deadline, extensions=extensions,
        week_of_timetable=ts.week_of_timetable(issued_on, today) if in_proceedings else None,
        timetable_overdue=ts.is_overdue(deadline, today) if in_proceedings else None,
        facts=facts, assessment=rules.assess(facts, today) if assess else rules.Assessment(),
    )  # fmt: skip


def open_children(
    session: Session, today: date, la_ids: list[int] | None = None, filters: Filters | None = None, *extra,
    assess: bool = True,
) -> list[QueueRow]:
    """Every open child (closed children left out) of these authorities (None: all) passing the
    filters and any `extra` SQL conditions, with its flags as of `today`, ordered by authority,
    family and child reference. One SQL statement. `assess=False`: the facts only (the store
    works out the windows itself), with an empty assessment."""
    statement = _open_children_statement(today, la_ids, filters or Filters(), *extra)
    return [_row(r, today, assess) for r in session.connection().execute(statement).all()]


def listed_children(session: Session, today: date, la_ids: list[int] | None = None) -> list[QueueRow]:
    """What `open_children` gives, for every open child of these authorities (None: all), with
    the flags read from the store (pathway.queues.stored) rather than worked out again: two
    statements and no rule run per child (the `queue` command). `facts` is None."""
    extensions = select(func.count()).where(Extension.proceedings_id == Proceedings.id).scalar_subquery()
    statement = (
        select(
            Child.id, Child.reference, Child.stage, Child.stage_since, Family.id, Family.reference, Child.la_id,
            LocalAuthority.code, LocalAuthority.nation, Team.name, User.name, Proceedings.id, Proceedings.reference,
            Proceedings.issued_on, func.coalesce(ProceedingsChild.deadline, Proceedings.deadline),
            case((Proceedings.id.is_not(None), extensions), else_=0),
        )
        .select_from(_with_open_party(outer=True))
        .join(LocalAuthority, LocalAuthority.id == Child.la_id)
        .outerjoin(Team, Team.id == Family.team_id)
        .outerjoin(User, User.id == Family.worker_id)
        .where(*_children_where(la_ids, Filters()))
        .order_by(LocalAuthority.code, Family.reference, Child.reference)
    )  # fmt: skip
    flags_of: dict[int, list[rules.Finding]] = {}
    flagged = select(ChildFlag.child_id, ChildFlag.code, ChildFlag.on).where(stored.applies_on(today))
    if la_ids is not None:
        flagged = flagged.where(ChildFlag.la_id.in_(la_ids))
    for child_id, code, on in session.connection().execute(flagged):
        flags_of.setdefault(child_id, []).append(rules.Finding(code, on))
    order = {f.code: n for n, f in enumerate(rules.FLAGS)}
    rows = []
    for (child_id, child_ref, stage, stage_since, family_id, family_ref, la_id, la_code, nation, team_name,
         worker_name, proceedings_id, proceedings_ref, issued_on, deadline, extension_count) in (
            session.connection().execute(statement)):
        in_proceedings = deadline is not None
        findings = sorted(flags_of.get(child_id, ()), key=lambda f: order[f.code])
        rows.append(QueueRow(
            child_id=child_id, child_ref=child_ref, family_id=family_id, family_ref=family_ref, la_id=la_id,
            la_code=la_code, nation=nation, stage=stage, stage_since=stage_since, team_name=team_name,
            worker_name=worker_name, proceedings_id=proceedings_id, proceedings_ref=proceedings_ref,
            issued_on=issued_on, deadline=deadline, extensions=extension_count,
            week_of_timetable=ts.week_of_timetable(issued_on, today) if in_proceedings else None,
            timetable_overdue=ts.is_overdue(deadline, today) if in_proceedings else None,
            facts=None, assessment=rules.Assessment(findings),
        ))  # fmt: skip
    return rows


# --------------------------------------------------------------------------------------------
# The lists: the stored flags (pathway.queues.stored) that apply today
# --------------------------------------------------------------------------------------------

# Each flag's list, for SQL: which list a stored flag puts its child in.
_LIST_OF = case({f.code: f.queue for f in rules.FLAGS}, value=ChildFlag.code)


def _with_open_party(outer: bool = False):
    """Children and families, with the open proceedings each child is a party to (a child is a
    party to one open set at a time); `outer`: children who are not, too."""
    join = "outerjoin" if outer else "join"
    joined = Child.__table__.join(Family.__table__, Family.id == Child.family_id)
    joined = getattr(joined, join)(
        ProceedingsChild.__table__, and_(ProceedingsChild.child_id == Child.id, ProceedingsChild.order_type.is_(None)))
    return getattr(joined, join)(
        Proceedings.__table__, and_(Proceedings.id == ProceedingsChild.proceedings_id, Proceedings.concluded_on.is_(None)))


def _flagged(today: date, la: LocalAuthority):
    """The stored flags of the authority's children that apply today, with the children and
    families the filters test."""
    return (
        select(ChildFlag.child_id).select_from(ChildFlag)
        .join(Child, Child.id == ChildFlag.child_id).join(Family, Family.id == Child.family_id)
        .where(ChildFlag.la_id == la.id, stored.applies_on(today))
    )  # fmt: skip


def in_queue(row: QueueRow, queue: rules.Queue) -> bool:
    """Whether a child belongs in a list, by the rules (the reference for the SQL above)."""
    if queue.lists_whole_stage:
        return row.stage == queue.stage and row.deadline is not None
    return bool(row.assessment.in_queue(queue.code))


def sort_key(row: QueueRow, queue: rules.Queue):
    """Most urgent first: the earliest deadline or due date among the list's flags."""
    if queue.lists_whole_stage:
        return (row.deadline, row.family_ref, row.child_ref)
    return (rules.urgency(row.assessment.in_queue(queue.code)), row.family_ref, row.child_ref)


def queue_rows(rows: list[QueueRow], queue: rules.Queue) -> list[QueueRow]:
    """The rows of one list, most urgent first (from rows already assessed)."""
    return sorted((r for r in rows if in_queue(r, queue)), key=lambda r: sort_key(r, queue))


# --------------------------------------------------------------------------------------------
# The queues page
# --------------------------------------------------------------------------------------------


@dataclass
class QueuePage:
    la: LocalAuthority
    today: date
    filters: Filters
    queue: rules.Queue
    stage_counts: dict[str, int]  # open children by stage (team and worker filters applied)
    queue_counts: dict[str, int]  # children in each list (all filters applied)
    rows: list[QueueRow]  # this page of the selected list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


def counts(session: Session, la: LocalAuthority, today: date, filters: Filters) -> tuple[dict, dict]:
    """Open children by stage (the stage filter not applied: the counts pick a stage) and the
    number of children in each list (every filter applied): two statements."""
    by_stage = session.execute(
        select(Child.stage, func.count(), func.count(Proceedings.id)).select_from(_with_open_party(outer=True))
        .where(*_children_where([la.id], Filters(filters.team_id, filters.worker_id)))
        .group_by(Child.stage)
    ).all()  # fmt: skip
    stages = {s: 0 for s in wf.OPEN_STAGES}
    queues = {q.code: 0 for q in rules.QUEUES}
    for stage, children, in_open_proceedings in by_stage:
        stages[stage] = children
        for queue in rules.QUEUES:
            if queue.lists_whole_stage and queue.stage == stage and filters.stage in (None, stage):
                queues[queue.code] = in_open_proceedings
    listed = (
        _flagged(today, la).with_only_columns(_LIST_OF, func.count(ChildFlag.child_id.distinct()))
        .where(*_children_where([la.id], filters)).group_by(_LIST_OF)
    )  # fmt: skip
    for code, children in session.execute(listed).all():
        if not rules.QUEUE[code].lists_whole_stage:  # that list is the whole stage, counted above
            queues[code] = children
    return stages, queues


def _page_ids(session, la, today, filters, queue: rules.Queue, page, per_page) -> list[int]:
    """The children of one list in order, most urgent first (the earliest date among the flags
    of the list that apply today: rules.urgency), one page of them or (page None) all."""
    if queue.lists_whole_stage:
        deadline = func.coalesce(ProceedingsChild.deadline, Proceedings.deadline)  # the child's own
        ids = (select(Child.id).select_from(_with_open_party())
               .where(*_children_where([la.id], filters), Child.stage == queue.stage)
               .order_by(deadline, Family.reference, Child.reference))  # fmt: skip
    else:
        codes = [f.code for f in rules.FLAGS if f.queue == queue.code]
        urgency = func.min(ChildFlag.on)
        ids = (_flagged(today, la).where(ChildFlag.code.in_(codes), *_children_where([la.id], filters))
               .group_by(ChildFlag.child_id, Family.reference, Child.reference)
               .order_by(urgency, Family.reference, Child.reference))  # fmt: skip
    if page is not None:
        ids = ids.limit(per_page).offset((page - 1) * per_page)
    return list(session.scalars(ids).all())


def attach_hearings(session: Session, rows: list[QueueRow]) -> None:
    """The latest listing recorded of each kind of hearing, for these rows' proceedings (one
    statement per 500 proceedings: one for a page)."""
    ids = sorted({r.proceedings_id for r in rows if r.proceedings_id is not None})
    listed: dict[int, dict[str, date]] = {}
    listed_ids: dict[int, dict[str, int]] = {}
    for start in range(0, len(ids), 500):
        for hearing_id, proceedings_id, kind, listed_for in session.execute(
            select(Hearing.id, Hearing.proceedings_id, Hearing.kind, Hearing.listed_for)
            .where(Hearing.proceedings_id.in_(ids[start : start + 500]))
            .order_by(Hearing.id)
        ):
            listed.setdefault(proceedings_id, {})[kind] = listed_for
            listed_ids.setdefault(proceedings_id, {})[kind] = hearing_id
    for r in rows:
        if r.proceedings_id in listed:
            r.hearings = listed[r.proceedings_id]
            r.hearing_ids = listed_ids[r.proceedings_id]


def build_queue(
    session: Session,
    la: LocalAuthority,
    today: date,
    filters: Filters | None = None,
    queue: str = "proceedings",
    page: int | None = 1,
    per_page: int = PER_PAGE,
) -> QueuePage:
    """What the queues page shows for one authority as of `today`: counts by stage, the size of
    every list, and page `page` (from 1) of list `queue`, most urgent first; `page=None` gives
    the whole list (the CSV download). At most 5 SQL statements, whatever the number of children."""
    filters = filters or Filters()
    selected = rules.QUEUE[queue]
    stage_counts, queue_counts = counts(session, la, today, filters)
    total = queue_counts[queue]
    pages = max(1, ceil(total / per_page))
    page_number = 1 if page is None else min(max(1, page), pages)
    wanted = _page_ids(session, la, today, filters, selected, None if page is None else page_number, per_page)
    position = {child_id: n for n, child_id in enumerate(wanted)}
    shown = []
    for start in range(0, len(wanted), 500):
        # By id alone (the ids are this authority's): with the authority's condition too, the
        # planner walks the whole authority by its index before it narrows to the page.
        shown += open_children(session, today, None, filters, Child.id.in_(wanted[start : start + 500]))
    shown.sort(key=lambda r: position[r.child_id])
    if selected.lists_whole_stage:
        attach_hearings(session, shown)
    return QueuePage(
        la=la, today=today, filters=filters, queue=selected, stage_counts=stage_counts, queue_counts=queue_counts,
        rows=shown, total=total, page=page_number, per_page=per_page,
    )  # fmt: skip


def filter_options(session: Session, la: LocalAuthority) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The authority's teams, and the people families can be allocated to, for the filters."""
    teams = session.execute(select(Team.id, Team.name).where(Team.la_id == la.id).order_by(Team.name)).all()
    workers = session.execute(
        select(User.id, User.name)
        .where(User.la_id == la.id, User.role.in_(("social_worker", "team_manager")))
        .order_by(User.name, User.id)
    ).all()
    return [tuple(t) for t in teams], [tuple(w) for w in workers]
