"""What the family pages and the home page show, worked out from the stored records.

Pure reading: nothing here writes. The business rules stay in workflow.py and timescales.py;
this module only puts them into the words a social worker reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import codes, timescales
from ..queues import rules
from .. import workflow as wf
from ..models import (
    AuditEntry,
    Child,
    Event,
    Extension,
    Family,
    FamilyGroupConference,
    Proceedings,
    ProceedingsChild,
)

FAMILY_STEPS = ("offer_fgc", "fgc_accepted", "hold_fgc", "fgc_declined", "send_letter_before_proceedings")
PRE_PROCEEDINGS_WEEKS = 16


def fmt(day: date | None) -> str:
    return wf.fmt(day) if day else ""


def stage_label(stage: str, nation: str) -> str:
    return wf.STAGE[stage].label_for(nation)


def step_label(name: str, nation: str) -> str:
    """The step's name in the nation's terms (section 76, care and support protection plan)."""
    return wf.event_label(name, nation)


def step_slug(name: str) -> str:
    return name.replace("_", "-")


def step_from_slug(slug: str) -> str | None:
    name = slug.replace("-", "_")
    return name if name in wf.EVENT else None


# --------------------------------------------------------------------------------------------
# The next thing due for a child
# --------------------------------------------------------------------------------------------


def review_facts(session, child_ids: list[int], today: date) -> dict:
    """Each open child's facts as the managers' queues see them (recorded reviews included), so
    that the family pages give the same due dates as the queues: one statement."""
    from ..queues.queries import open_children

    if not child_ids:
        return {}
    return {row.child_id: row.facts for row in open_children(session, today, None, None, Child.id.in_(child_ids))}


def next_due(child: Child, open_proceedings: Proceedings | None, fgc_offered: bool, nation: str, today: date,
             facts=None) -> str:
    """One line: the next thing due for this child, from the stored projection and, where given,
    the queue facts (`review_facts`) whose due dates come from queues/rules.py."""
    stage = child.stage
    if stage == "closed":
        return f"Case closed on {fmt(child.closed_on)}"
    if open_proceedings is not None:
        p = open_proceedings
        if timescales.is_overdue(p.deadline, today):
            return (f"Final order overdue: the timetable ended on {fmt(p.deadline)} "
                    f"({days(timescales.days_overdue(p.deadline, today))} ago)")
        week = timescales.week_of_timetable(p.issued_on, today)
        return f"Final order by {fmt(p.deadline)} (week {week} of 26)"
    if not fgc_offered and stage in ("early_help", "child_protection", "pre_proceedings"):
        return "Offer a family group conference before any move into care"
    if not fgc_offered and child.entered_care_in_emergency:
        return "Offer a family group conference (the child came into care in an emergency)"
    if stage == "emergency_protection":
        return f"Emergency protection ends by {fmt(child.stage_since + timedelta(days=8))}: decide the next step"
    if stage == "section_20" and facts is not None:
        what = "First looked-after review" if facts.looked_after_reviews == 0 else "Next looked-after review"
        return _by(what, rules.looked_after_review_due(facts), today)
    if stage == "section_20":
        first = timescales.first_review_due(child.stage_since, nation)
        if today <= first:
            return f"First looked-after review by {fmt(first)}"
        return "Looked-after reviews: at least every 6 months"
    if stage == "pre_proceedings":
        ends = (rules.pre_proceedings_review_due(facts) if facts is not None
                else child.stage_since + timedelta(weeks=PRE_PROCEEDINGS_WEEKS))
        return _by("Decide whether to step down or issue", ends, today, " (16 weeks of pre-proceedings)")
    if stage == "child_protection":
        plan = "care and support protection plan" if nation == "wales" else "child protection plan"
        return _by(f"First review of the {plan}", timescales.add_months(child.stage_since, 3), today)
    if stage == "reunification":
        if facts is not None and facts.last_reunification_review is not None:
            return f"Six-month reunification review recorded on {fmt(facts.last_reunification_review)}"
        returned = child.returned_home_on or child.stage_since
        return _by("Six-month reunification review", rules.reunification_review_due(returned), today)
    if stage in ("care_order", "adoption"):
        return "Looked-after reviews: at least every 6 months"
    return "Nothing due"


def days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _by(what: str, due: date, today: date, note: str = "") -> str:
    if today > due:
        return f"{what}: was due by {fmt(due)}{note}, {days((today - due).days)} ago"
    return f"{what} by {fmt(due)}{note}"


def open_proceedings_by_child(session, child_ids: list[int]) -> dict[int, Proceedings]:
    if not child_ids:
        return {}
    rows = session.execute(
        select(ProceedingsChild.child_id, Proceedings)
        .join(Proceedings, Proceedings.id == ProceedingsChild.proceedings_id)
        .where(ProceedingsChild.child_id.in_(child_ids), ProceedingsChild.order_type.is_(None),
               Proceedings.concluded_on.is_(None))
    ).all()  # fmt: skip
    return {child_id: p for child_id, p in rows}


def families_offered_fgc(session, family_ids: list[int]) -> set[int]:
    if not family_ids:
        return set()
    return set(session.scalars(
        select(FamilyGroupConference.family_id).where(FamilyGroupConference.family_id.in_(family_ids))
    ))  # fmt: skip


@dataclass
class FamilyRow:
    family: Family
    children: list[dict]


def family_rows(session, families: list[Family], today: date) -> list[FamilyRow]:
    """Home-page rows: each family's children with their stage and next thing due."""
    ids = [f.id for f in families]
    children = session.scalars(
        select(Child).where(Child.family_id.in_(ids)).order_by(Child.family_id, Child.id)
    ).all() if ids else []  # fmt: skip
    proceedings = open_proceedings_by_child(session, [c.id for c in children])
    offered = families_offered_fgc(session, ids)
    facts = review_facts(session, [c.id for c in children if c.stage != "closed"], today)
    by_family: dict[int, list[dict]] = {i: [] for i in ids}
    for c in children:
        nation = c.family.local_authority.nation
        by_family[c.family_id].append({
            "child": c,
            "stage": stage_label(c.stage, nation),
            "next_due": next_due(c, proceedings.get(c.id), c.family_id in offered, nation, today, facts.get(c.id)),
        })  # fmt: skip
    return [FamilyRow(f, by_family[f.id]) for f in families]


# --------------------------------------------------------------------------------------------
# The family page
# --------------------------------------------------------------------------------------------


@dataclass
class ChildPanel:
    child: Child
    stage: str
    stages: list[dict]
    next_due: str
    steps: list[dict]


@dataclass
class ProceedingsPanel:
    proceedings: Proceedings
    children: list[str]
    week: int | None
    day: int | None
    timetable_end: date
    deadline: date
    extensions: list[dict]
    overdue_days: int
    concluded_week: int | None


@dataclass
class FamilyPage:
    family: Family
    nation: str
    children: list[ChildPanel]
    fgcs: list[FamilyGroupConference]
    family_steps: list[dict]
    proceedings: list[ProceedingsPanel]
    prompts: list[str]
    timeline: list[dict]
    audit: list[AuditEntry] = field(default_factory=list)


def _stage_list(current: str, nation: str) -> list[dict]:
    return [{"name": s.name, "label": s.label_for(nation), "current": s.name == current} for s in wf.STAGES]


def _family_steps(family: Family, fgcs: list[FamilyGroupConference], children: list[Child]) -> list[str]:
    latest = fgcs[-1] if fgcs else None
    steps = []
    if any(c.stage != "closed" for c in children):
        if latest is None or latest.status in ("declined", "held"):
            steps.append("offer_fgc")
        if latest is not None and latest.status == "offered":
            steps.append("fgc_accepted")
        if latest is not None and latest.status in ("offered", "accepted"):
            steps += ["hold_fgc", "fgc_declined"]
    if any("send_letter_before_proceedings" in wf.CHILD_MACHINE.get_triggers(c.stage) for c in children):
        steps.append("send_letter_before_proceedings")
    return steps


def _event_details(ev: Event) -> list[str]:
    details = []
    if ev.consent_by:
        details.append(f"Agreed by: {codes.CONSENT_BY.get(ev.consent_by, ev.consent_by)}")
    if ev.emergency_type:
        details.append(codes.EMERGENCY_TYPES.get(ev.emergency_type, ev.emergency_type))
    if ev.proceedings is not None and ev.event in ("issue_proceedings", "extend_timetable", "final_order"):
        details.append(f"Court case number: {ev.proceedings.reference}")
    if ev.weeks:
        details.append(f"{ev.weeks} week{'s' if ev.weeks != 1 else ''}")
    if ev.reason:
        if ev.event == "extend_timetable" and ev.reason in codes.EXTENSION_REASONS:
            details.append(f"Reason: {codes.EXTENSION_REASONS[ev.reason][0]}")
        elif ev.event == "reunification_review":
            details.append(codes.REUNIFICATION_OUTCOMES.get(ev.reason, ev.reason))
        else:
            details.append(f"Reason: {ev.reason}")
    if ev.order_type:
        details.append(codes.ORDER_TYPES.get(ev.order_type, ev.order_type))
    if ev.exception:
        details.append(f"Exception recorded: {ev.exception}")
    if ev.decided_by:
        details.append(f"Decided by: {ev.decided_by}")
    details.extend(_network_details(ev))
    return details


def _network_details(ev: Event) -> list[str]:
    """The family network columns of a step, in words (characteristics are not repeated here)."""
    details = []
    person = ev.person.reference if ev.person is not None else None
    if person and ev.event == "final_order":
        details.append(f"To live with: {person}")
    elif person:
        details.append(f"Person: {person}")
    if ev.relation:
        pr = "with parental responsibility" if ev.parental_responsibility == "yes" else "without parental responsibility"
        details.append(f"{codes.RELATIONSHIPS.get(ev.relation, ev.relation)}, {pr}")
    if ev.outcome:
        outcomes = {**codes.CARER_ASSESSMENT_OUTCOMES, **codes.POST_REMOVAL_SUPPORT_OUTCOMES}
        details.append(outcomes.get(ev.outcome, ev.outcome))
    if ev.offered_to:
        details.append(f"Offered to: {ev.offered_to.replace(';', ', ')}")
    return details


def _recorded_by(ev: Event) -> str:
    if ev.recorded_by is not None:
        return ev.recorded_by.name
    return {"import": "File import", "demo": "Demo data"}.get(ev.source, ev.source)


def timeline(session, family: Family, nation: str) -> list[dict]:
    events = session.scalars(
        select(Event).where(Event.family_id == family.id)
        .options(selectinload(Event.recorded_by), selectinload(Event.child), selectinload(Event.proceedings),
                 selectinload(Event.person))
        .order_by(Event.occurred_on.desc(), Event.id.desc())
    ).all()  # fmt: skip
    return [{
        "what": step_label(ev.event, nation),
        "child": ev.child.reference if ev.child is not None else None,
        "on": ev.occurred_on,
        "recorded_by": _recorded_by(ev),
        "recorded_at": ev.recorded_at,
        "details": _event_details(ev),
    } for ev in events]  # fmt: skip


def prompts(family: Family, children: list[Child], fgcs: list[FamilyGroupConference],
            panels: list[ProceedingsPanel], nation: str, today: date) -> list[str]:
    """What the pathway asks of the worker now, in the order it matters."""
    found = []
    open_children = [c for c in children if c.stage != "closed"]
    if not open_children:
        return found
    if not fgcs:
        found.append("No FGC offered yet: offer one before any move into care.")
    for c in open_children:
        if c.entered_care_in_emergency and not any(f.offered_on >= c.entered_care_on for f in fgcs):
            found.append(
                f"Child {c.reference} came into care in an emergency on {fmt(c.entered_care_on)} and no "
                "family group conference has been offered since. Offer the family one now."
            )
    latest = fgcs[-1] if fgcs else None
    if latest is not None and latest.status == "accepted" and nation == "england" and any(
        c.stage in ("pre_proceedings", "section_20", "emergency_protection", "child_protection", "early_help")
        for c in open_children
    ):
        found.append(
            f"The family accepted the family group conference offered on {fmt(latest.offered_on)}. "
            "Hold it before any care application (Children Act 1989 section 31ZA)."
        )
    for panel in panels:
        if panel.overdue_days:
            found.append(
                f"Proceedings {panel.proceedings.reference} passed their deadline of {fmt(panel.deadline)}: "
                f"{days(panel.overdue_days)} overdue. Record the final orders, or an extension the court granted."
            )
    return found


def proceedings_panels(session, family: Family, today: date) -> list[ProceedingsPanel]:
    rows = session.scalars(
        select(Proceedings).where(Proceedings.family_id == family.id)
        .options(selectinload(Proceedings.parties).selectinload(ProceedingsChild.child),
                 selectinload(Proceedings.extensions))
        .order_by(Proceedings.issued_on, Proceedings.id)
    ).all()  # fmt: skip
    panels = []
    for p in rows:
        open_ = p.concluded_on is None
        panels.append(ProceedingsPanel(
            proceedings=p,
            children=[pc.child.reference for pc in sorted(p.parties, key=lambda pc: pc.child_id)],
            week=timescales.week_of_timetable(p.issued_on, today) if open_ else None,
            day=timescales.day_of_timetable(p.issued_on, today) if open_ else None,
            timetable_end=timescales.timetable_end(p.issued_on),
            deadline=p.deadline,
            extensions=[_extension(x) for x in p.extensions],
            overdue_days=timescales.days_overdue(p.deadline, today) if open_ else 0,
            concluded_week=timescales.week_of_timetable(p.issued_on, p.concluded_on) if p.concluded_on else None,
        ))  # fmt: skip
    return panels


def _extension(x: Extension) -> dict:
    label, category = codes.EXTENSION_REASONS.get(x.reason, (x.reason, x.category))
    return {"granted_on": x.granted_on, "weeks": x.weeks, "reason": label,
            "category": codes.EXTENSION_CATEGORIES.get(category, category)}


def family_page(session, family: Family, today: date, with_audit: bool, may_record: bool) -> FamilyPage:
    nation = family.local_authority.nation
    children = list(family.children)
    fgcs = session.scalars(
        select(FamilyGroupConference).where(FamilyGroupConference.family_id == family.id)
        .order_by(FamilyGroupConference.offered_on, FamilyGroupConference.id)
    ).all()  # fmt: skip
    open_by_child = open_proceedings_by_child(session, [c.id for c in children])
    facts = review_facts(session, [c.id for c in children if c.stage != "closed"], today)
    panels = proceedings_panels(session, family, today)
    child_panels = []
    for c in children:
        steps = []
        if may_record:
            steps = [{"name": s, "slug": step_slug(s), "label": step_label(s, nation)}
                     for s in wf.steps_allowed(c.stage)]
        child_panels.append(ChildPanel(
            child=c, stage=stage_label(c.stage, nation), stages=_stage_list(c.stage, nation),
            next_due=next_due(c, open_by_child.get(c.id), bool(fgcs), nation, today, facts.get(c.id)), steps=steps,
        ))  # fmt: skip
    family_steps = []
    if may_record:
        family_steps = [{"name": s, "slug": step_slug(s), "label": step_label(s, nation)}
                        for s in _family_steps(family, fgcs, children)]
    audit = []
    if with_audit:
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.family_id == family.id).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        ).all()  # fmt: skip
    return FamilyPage(
        family=family, nation=nation, children=child_panels, fgcs=fgcs, family_steps=family_steps,
        proceedings=panels, prompts=prompts(family, children, fgcs, panels, nation, today),
        timeline=timeline(session, family, nation), audit=audit,
    )  # fmt: skip
