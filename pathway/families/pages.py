"""What the family pages and the home page show, worked out from the stored records.

Pure reading: nothing here writes. The business rules stay in workflow.py and timescales.py;
this module only puts them into the words a social worker reads.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta
from threading import Lock
from typing import Callable

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from .. import codes, fgc_outcomes, timescales
from ..permissions import AUDIT_ROLES
from ..queues import rules
from .. import workflow as wf
from ..messages import N_, Message, label, msg
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
# Children in Need census module 5 (issue 16).
FAMILY_STEPS += ("decide_pre_proceedings", "pre_proceedings_meeting", "pre_proceedings_decision",
                 "send_letter_to_issue")
# FGC service (issue 13).
FAMILY_STEPS += ("refer_fgc", "allocate_fgc_coordinator", "decide_fgc_plan", "review_fgc", "close_fgc")
FGC_SERVICE_STEPS = ("refer_fgc", "allocate_fgc_coordinator", "decide_fgc_plan", "review_fgc", "close_fgc")
PRE_PROCEEDINGS_WEEKS = 16


def stage_label(stage: str, nation: str) -> str:
    return wf.STAGE[stage].label_for(nation)


def step_label(name: str, nation: str) -> str:
    """The step's name in the nation's terms (section 76, care and support protection plan)."""
    return wf.event_label(name, nation)


# What the success message says was recorded (GOV.UK style: "Family group conference offer recorded").
RECORDED = {
    "open_case": N_("Child's case opened"),
    "start_cp_plan": N_("Start of the child protection plan recorded"),
    "end_cp_plan": N_("End of the child protection plan recorded"),
    "offer_fgc": N_("Family group conference offer recorded"),
    "fgc_accepted": N_("Family group conference acceptance recorded"),
    "hold_fgc": N_("Family group conference recorded as held"),
    "fgc_declined": N_("Family group conference recorded as declined"),
    "send_letter_before_proceedings": N_("Letter before proceedings recorded"),
    "accommodate_s20": N_("Section 20 accommodation recorded"),
    "emergency_protection": N_("Emergency protection recorded"),
    "issue_proceedings": N_("Care application recorded"),
    "extend_timetable": N_("Extension recorded"),
    "final_order": N_("Final order recorded"),
    "return_home": N_("Return home recorded"),
    "reunification_review": N_("Reunification review recorded"),
    "close_case": N_("Case closure recorded"),
    # FGC service (issue 13).
    "refer_fgc": N_("Referral to the FGC service recorded"),
    "allocate_fgc_coordinator": N_("FGC coordinator allocated"),
    "decide_fgc_plan": N_("Decision on the family's plan recorded"),
    "review_fgc": N_("Family group conference review recorded"),
    "close_fgc": N_("Family group conference closed"),
}
RECORDED_WALES = {
    "start_cp_plan": N_("Start of the care and support protection plan recorded"),
    "end_cp_plan": N_("End of the care and support protection plan recorded"),
    "accommodate_s20": N_("Section 76 accommodation recorded"),
}


def recorded(name: str, nation: str) -> str:
    """The success message for a step: what was recorded, in the nation's terms."""
    if nation == "wales" and name in RECORDED_WALES:
        return RECORDED_WALES[name]
    return RECORDED.get(name) or msg("Step recorded: %(step)s", step=label(step_label(name, nation)))


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


class Due(Message):
    """The next thing due, in words (a Message: English as a `str`, shown in the reader's language
    with `|t`); `overdue` when its date has passed (shown as a warning)."""

    overdue: bool

    def __new__(cls, text: str, overdue: bool = False):
        text = text if isinstance(text, Message) else Message(text)
        due = super().__new__(cls, text.msgid, text.params)
        due.overdue = overdue
        return due

    def __getnewargs__(self):
        return (Message(self.msgid, self.params), self.overdue)


def _entered_care(child) -> Message:
    """How an emergency entry into care came about, as recorded (not every one was an emergency
    protection: an accommodation or application may instead carry a recorded exception)."""
    if getattr(child, "entered_care_by", None) == "emergency_protection":
        return msg("under emergency protection")
    return msg("with an exception recorded to the family group conference rule")


def next_due(child: Child, open_proceedings: Proceedings | None, fgc_offered: bool, nation: str, today: date,
             facts=None) -> Due:
    """One line: the next thing due for this child, from the stored projection and, where given,
    the queue facts (`review_facts`) whose due dates come from queues/rules.py."""
    stage = child.stage
    if stage == "closed":
        return Due(msg("Case closed on %(closed)s", closed=child.closed_on or ""))
    if open_proceedings is not None:
        p = open_proceedings
        if timescales.is_overdue(p.deadline, today):
            return Due(msg("Final order overdue: the timetable ended on %(deadline)s, %(ago)s ago",
                           deadline=p.deadline, ago=days(timescales.days_overdue(p.deadline, today))), overdue=True)
        week = timescales.week_of_timetable(p.issued_on, today)
        return Due(msg("Final order by %(deadline)s, week %(week)s of 26", deadline=p.deadline, week=week))
    due = _stage_due(child, nation, today, facts)
    if due.overdue:
        return due  # an overdue item is never hidden behind a prompt
    if not fgc_offered and stage in ("early_help", "child_protection", "pre_proceedings"):
        return Due(msg("Offer a family group conference before any move into care"))
    if not fgc_offered and child.entered_care_in_emergency:
        return Due(msg("Offer a family group conference: the child entered care %(how)s", how=_entered_care(child)))
    return due


def _stage_due(child, nation: str, today: date, facts) -> Due:
    stage = child.stage
    if stage == "emergency_protection":
        ends = child.stage_since + timedelta(days=8)
        return _by(msg("Emergency protection ends: decide the next step"), ends, today)
    if stage == "section_20" and facts is not None:
        what = msg("First looked-after review") if facts.looked_after_reviews == 0 else msg("Next looked-after review")
        return _by(what, rules.looked_after_review_due(facts), today)
    if stage == "section_20":
        first = timescales.first_review_due(child.stage_since, nation)
        if today <= first:
            return Due(msg("First looked-after review by %(due)s", due=first))
        return Due(msg("Looked-after reviews: at least every 6 months"))
    if stage == "pre_proceedings":
        ends = (rules.pre_proceedings_review_due(facts) if facts is not None
                else child.stage_since + timedelta(weeks=PRE_PROCEEDINGS_WEEKS))
        return _by(msg("Decide whether to step down or issue"), ends, today,
                   msg(", the end of 16 weeks of pre-proceedings"))
    if stage == "child_protection":
        what = (msg("First review of the care and support protection plan") if nation == "wales"
                else msg("First review of the child protection plan"))
        return _by(what, timescales.add_months(child.stage_since, 3), today)
    if stage == "reunification":
        if facts is not None and facts.last_reunification_review is not None:
            return Due(msg("Six-month reunification review recorded on %(on)s", on=facts.last_reunification_review))
        returned = child.returned_home_on or child.stage_since
        return _by(msg("Six-month reunification review"), rules.reunification_review_due(returned), today)
    if stage in ("care_order", "adoption"):
        return Due(msg("Looked-after reviews: at least every 6 months"))
    return Due(msg("Nothing due"))


def days(n: int) -> Message:
    return msg("%(n)s day", n=n) if n == 1 else msg("%(n)s days", n=n)


def _by(what: Message, due: date, today: date, note: Message | str = "") -> Due:
    if today > due:
        # Translators: translator-check: %(what)s is a task ("First looked-after review"), %(note)s an optional ", the end of 16 weeks of pre-proceedings"
        return Due(msg("%(what)s: was due by %(due)s%(note)s, %(ago)s ago", what=what, due=due, note=note,
                       ago=days((today - due).days)), overdue=True)
    # Translators: translator-check: %(what)s is a task ("First looked-after review"), %(note)s an optional ", the end of 16 weeks of pre-proceedings"
    return Due(msg("%(what)s by %(due)s%(note)s", what=what, due=due, note=note))


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
# Finding a family
# --------------------------------------------------------------------------------------------


@dataclass
class Match:
    family: Family
    children: list[Message]  # "child X" for each child whose reference matched


def find_families(session, la_id: int, text: str, limit: int) -> list[Match]:
    """Families of one authority whose reference, or any child's, contains `text` (capitals
    ignored; % and _ are plain characters), exact matches first, then by reference."""
    text = text.strip().lower()
    if not text:
        return []
    by_child = (
        select(Child.family_id, Child.reference)
        .where(Child.la_id == la_id, func.lower(Child.reference).contains(text, autoescape=True))
        .order_by(Child.reference).limit(limit * 5)
    )  # fmt: skip
    child_hits: dict[int, list[str]] = {}
    exact_child = set()
    for family_id, ref in session.execute(by_child):
        child_hits.setdefault(family_id, []).append(ref)
        if ref.lower() == text:
            exact_child.add(family_id)
    exact = or_(func.lower(Family.reference) == text, Family.id.in_(list(exact_child) or [-1]))
    families = session.scalars(
        select(Family).where(Family.la_id == la_id, or_(
            func.lower(Family.reference).contains(text, autoescape=True), Family.id.in_(list(child_hits) or [-1])
        )).order_by(case((exact, 0), else_=1), Family.reference).limit(limit)
    ).all()  # fmt: skip
    return [Match(f, [msg("child %(child)s", child=r) for r in child_hits.get(f.id, [])]) for f in families]


# --------------------------------------------------------------------------------------------
# The family page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One part of the family page, on its own URL: /families/<id> for the summary,
    /families/<id>/<slug> for the others, and a link in the page's navigation.

    Add a part by adding a Section here and its template (which extends families/family.html and
    fills `section_content`); the route and the navigation follow from this list. `context`, if
    given, is called as context(session, family, today) for whatever else that part shows, and its
    dict is passed to the template."""

    slug: str
    label: str
    template: str | None
    roles: tuple[str, ...] | None = None  # None: everyone who may see the family
    context: Callable | None = None
    endpoint: str | None = None  # a part with pages of its own: the link goes to this view instead

    def href(self, family_id: int) -> str:
        from flask import url_for

        if self.endpoint:
            return url_for(self.endpoint, family_id=family_id)
        if self.slug:
            return url_for("families.family", family_id=family_id, section=self.slug)
        return url_for("families.family", family_id=family_id)


SECTIONS: tuple[Section, ...] = (
    Section("", N_("Summary"), "families/summary.html"),
    Section("children", N_("Children"), "families/children.html"),
    Section("timeline", N_("Timeline"), "families/timeline.html"),
    Section("network", N_("Family network"), None, endpoint="families.network"),  # its own pages (network.py)
    # Translators: translator-check: audit trail (trywydd archwilio)
    Section("audit", N_("Audit trail"), "families/audit.html", AUDIT_ROLES),
)
SECTION = {s.slug: s for s in SECTIONS}


def sections_for(role: str) -> list[Section]:
    return [s for s in SECTIONS if s.roles is None or role in s.roles]


@dataclass
class StepOffer:
    """A step on the family page: a link when the pathway would take it, else the reason why not."""

    name: str
    slug: str
    label: str
    possible: bool
    needs_exception: bool = False
    reason: str | None = None


@dataclass
class ChildPanel:
    child: Child
    stage: str
    journey: list[dict]
    next_due: Due
    steps: list[StepOffer]  # possible now (some only with an exception)
    blocked: list[StepOffer]  # allowed from this stage, but a gate would refuse them today
    flags: list[Due] = field(default_factory=list)


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
    extension: StepOffer | None = None


@dataclass
class FamilyPage:
    family: Family
    nation: str
    children: list[ChildPanel]
    fgcs: list[FamilyGroupConference]
    family_steps: list[StepOffer]
    proceedings: list[ProceedingsPanel]
    prompts: list[Due]
    timeline: list[dict] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)
    fgc_outcomes: list = field(default_factory=list)  # FGC service (issue 13): fgc_outcomes.FgcOutcome


def _offer(availability: wf.Availability, nation: str) -> StepOffer:
    return StepOffer(availability.event, step_slug(availability.event), step_label(availability.event, nation),
                     availability.possible, availability.needs_exception, availability.reason)


def journey(stages: list[tuple[str, date]], next_due: Due, nation: str) -> list[dict]:
    """The stages a child passed through, with the days each began and ended, then the current
    one, then what is due next."""
    items = []
    for i, (stage, since) in enumerate(stages):
        current = i == len(stages) - 1
        until = None if current else stages[i + 1][1]
        items.append({"label": stage_label(stage, nation), "since": since, "until": until, "current": current,
                      "closed": stage == "closed"})
    if stages and stages[-1][0] != "closed":
        items.append({"label": N_("Next"), "next": next_due})
    return items


def flag_sentence(child_ref: str, finding, nation: str, today: date) -> Due:
    """A queue flag (queues/rules.py) for one child, in a sentence with the date it is tied to."""
    words = dict(child=child_ref, flag=label(rules.FLAG[finding.code].label_for(nation)), on=finding.on,
                 ago=days((today - finding.on).days))
    overdue = finding.code.endswith("_overdue") or finding.code in (
        "pre_proceedings_over_16_weeks", "s20_over_6_months_no_legal_planning")
    if finding.code == "proceedings_overdue":
        sentence = msg("Child %(child)s: %(flag)s, the deadline was %(on)s, %(ago)s ago.", **words)
    elif finding.code == "proceedings_due_soon":
        sentence = msg("Child %(child)s: %(flag)s, the deadline is %(on)s.", **words)
    elif finding.code == "care_without_fgc":
        sentence = msg("Child %(child)s: %(flag)s, entered care on %(on)s. Offer the family a family group "
                       "conference.", **words)
    elif finding.code == "unallocated":
        sentence = msg("Child %(child)s: %(flag)s, allocate the family to a team and a social worker.", **words)
    elif overdue:
        sentence = msg("Child %(child)s: %(flag)s, was due by %(on)s, %(ago)s ago.", **words)
    else:
        sentence = msg("Child %(child)s: %(flag)s, due by %(on)s.", **words)
    return Due(sentence, overdue=overdue)


def family_offers(state: wf.FamilyCase | None, nation: str, today: date) -> list[StepOffer]:
    """The family-level steps (the FGC and the letter), each asked of the pathway's gates."""
    if state is None:
        return []
    ctx = wf.Context(today=today)
    offers = [(name, wf.step_availability(state, None, name, ctx)) for name in FAMILY_STEPS]
    # FGC service (issue 13): the service's steps are listed only when they can be taken now.
    return [_offer(a, nation) for name, a in offers if a.possible or name not in FGC_SERVICE_STEPS]


def child_offers(state: wf.FamilyCase | None, child_ref: str, nation: str, today: date
                 ) -> tuple[list[StepOffer], list[StepOffer]]:
    """The steps the machine allows from the child's stage, split by what the gates say today."""
    if state is None or child_ref not in state.children:
        return [], []
    ctx = wf.Context(today=today)
    offers = [_offer(wf.step_availability(state, child_ref, name, ctx), nation)
              for name in wf.steps_allowed(state.children[child_ref].stage)]
    return [o for o in offers if o.possible], [o for o in offers if not o.possible]


def _event_details(ev: Event) -> list[str]:
    """Each a Message or an N_-marked label: English as a `str`, shown in the reader's language with `|t`."""
    details = []
    if ev.consent_by:
        details.append(msg("Agreed by: %(who)s", who=label(codes.CONSENT_BY.get(ev.consent_by, ev.consent_by))))
    if ev.emergency_type:
        details.append(codes.EMERGENCY_TYPES.get(ev.emergency_type, ev.emergency_type))
    if ev.proceedings is not None and ev.event in ("issue_proceedings", "extend_timetable", "final_order"):
        details.append(msg("Court case number: %(ref)s", ref=ev.proceedings.reference))
    if ev.weeks:
        details.append(msg("%(n)s week", n=ev.weeks) if ev.weeks == 1 else msg("%(n)s weeks", n=ev.weeks))
    if ev.reason:
        if ev.event == "extend_timetable" and ev.reason in codes.EXTENSION_REASONS:
            details.append(msg("Reason: %(reason)s", reason=label(codes.EXTENSION_REASONS[ev.reason][0])))
        elif ev.event == "reunification_review":
            details.append(codes.REUNIFICATION_OUTCOMES.get(ev.reason, ev.reason))
        else:
            details.append(msg("Reason: %(reason)s", reason=ev.reason))  # the worker's own words
    if ev.order_type:
        details.append(codes.ORDER_TYPES.get(ev.order_type, ev.order_type))
    if ev.exception:
        details.append(msg("Exception recorded: %(exception)s", exception=ev.exception))
    if ev.decided_by:
        details.append(msg("Decided by: %(who)s", who=ev.decided_by))
    details.extend(_network_details(ev))
    return details


def _network_details(ev: Event) -> list[str]:
    """The family network columns of a step, in words (characteristics are not repeated here)."""
    details = []
    person = ev.person.reference if ev.person is not None else None
    if person and ev.event == "final_order":
        details.append(msg("To live with: %(person)s", person=person))
    elif person:
        details.append(msg("Person: %(person)s", person=person))
    if ev.relation:
        relation = label(codes.RELATIONSHIPS.get(ev.relation, ev.relation))
        details.append(msg("%(relation)s, with parental responsibility", relation=relation)
                       if ev.parental_responsibility == "yes"
                       else msg("%(relation)s, without parental responsibility", relation=relation))
    if ev.outcome:
        outcomes = {**codes.CARER_ASSESSMENT_OUTCOMES, **codes.POST_REMOVAL_SUPPORT_OUTCOMES}
        details.append(outcomes.get(ev.outcome, ev.outcome))
    if ev.offered_to:
        details.append(msg("Offered to: %(who)s", who=ev.offered_to.replace(';', ', ')))
    return details


def _recorded_by(ev: Event) -> str:
    if ev.recorded_by is not None:
        return ev.recorded_by.name
    return {"import": msg("File import"), "demo": msg("Demo data")}.get(ev.source, ev.source)


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


def prompts(family: Family, children: list[Child], fgcs: list[FamilyGroupConference], nation: str) -> list[Due]:
    """What the pathway asks of the family as a whole; each child's needs-attention flags come
    from the queues' own rules (`flag_sentence`)."""
    found = []
    open_children = [c for c in children if c.stage != "closed"]
    if not open_children:
        return found
    if not fgcs:
        found.append(Due(msg("No FGC offered yet: offer one before any move into care.")))
    for c in open_children:
        if c.entered_care_in_emergency and fgcs and not any(f.offered_on >= c.entered_care_on for f in fgcs):
            found.append(Due(msg(
                "Child %(child)s entered care %(how)s on %(on)s and no family group conference has been offered "
                "since. Offer the family one now.", child=c.reference, how=_entered_care(c), on=c.entered_care_on,
            )))
    latest = fgcs[-1] if fgcs else None
    if latest is not None and latest.status in ("accepted", "referred", "coordinator_allocated") and nation == "england" and any(
        c.stage in ("pre_proceedings", "section_20", "emergency_protection", "child_protection", "early_help")
        for c in open_children
    ):
        # Translators: translator-check: Children Act 1989 section 31ZA (England only), legal term
        found.append(Due(msg(
            "The family accepted the family group conference offered on %(offered)s. "
            "Hold it before any care application (Children Act 1989 section 31ZA).", offered=latest.offered_on,
        )))
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


class Replayed:
    """A family's state replayed from its history, each child's stages on the way, and what the
    family page has asked of the gates for it (memo: the offers depend only on the state, the day
    and the nation). Shared by every view of the same history on the same day: read, never changed."""

    __slots__ = ("state", "journeys", "memo")

    def __init__(self, state: wf.FamilyCase | None, journeys: dict):
        self.state, self.journeys, self.memo = state, journeys, {}

    def remembered(self, key, work: Callable):
        if key not in self.memo:
            self.memo[key] = work()
        return self.memo[key]


# Issue 17: the family page without a full replay per view. Each process keeps the replays of the
# families it has shown lately, keyed by everything a replay reads: the authority, the day and every
# row of the family's history (so any step recorded, by any process, gives a new key; stale is
# impossible, a changed row is a different key). The history is still read (one indexed SELECT, a
# fraction of a millisecond); only the replay and the dry runs of the gates are saved.
REPLAY_CACHE_SIZE = 512
_replays: "OrderedDict[tuple, Replayed]" = OrderedDict()
_replays_lock = Lock()


def replayed(session, family: Family, today: date) -> Replayed:
    """The family's replay (see `Replayed`), from this process's cache when its history is unchanged."""
    from ..services import history_rows, to_event

    la = family.local_authority
    rows = list(history_rows(session, [family.id]))
    key = (la.code, la.nation, today, tuple(tuple(r) for r in rows))
    with _replays_lock:
        found = _replays.get(key)
        if found is not None:
            _replays.move_to_end(key)
            return found
    found = Replayed(*wf.replay_with_journeys([to_event(r) for r in rows], la.code, la.nation,
                                              wf.Context(today=today)))
    with _replays_lock:
        _replays[key] = found
        while len(_replays) > REPLAY_CACHE_SIZE:
            _replays.popitem(last=False)
    return found


def forget_replays() -> None:
    """Empty this process's cache of replays (tests compare a page with one built afresh)."""
    with _replays_lock:
        _replays.clear()


def family_state_and_journeys(session, family: Family, today: date):
    """The family's state replayed from its history, and each child's stages on the way."""
    found = replayed(session, family, today)
    return found.state, found.journeys


def family_page(session, family: Family, today: date, with_audit: bool, may_record: bool,
                with_timeline: bool = True) -> FamilyPage:
    nation = family.local_authority.nation
    children = list(family.children)
    fgcs = session.scalars(
        select(FamilyGroupConference).where(FamilyGroupConference.family_id == family.id)
        .order_by(FamilyGroupConference.offered_on, FamilyGroupConference.id)
    ).all()  # fmt: skip
    replay = replayed(session, family, today)
    state, journeys = replay.state, replay.journeys
    open_by_child = open_proceedings_by_child(session, [c.id for c in children])
    facts = review_facts(session, [c.id for c in children if c.stage != "closed"], today)
    panels = proceedings_panels(session, family, today)
    child_panels = []
    for c in children:
        steps, blocked = (replay.remembered(("child", c.reference, nation),
                                            lambda ref=c.reference: child_offers(state, ref, nation, today))
                          if may_record else ([], []))
        due = next_due(c, open_by_child.get(c.id), bool(fgcs), nation, today, facts.get(c.id))
        flags = []
        if c.id in facts:
            flags = [flag_sentence(c.reference, f, nation, today) for f in rules.assess(facts[c.id], today).findings]
        child_panels.append(ChildPanel(
            child=c, stage=stage_label(c.stage, nation), journey=journey(journeys.get(c.reference, []), due, nation),
            next_due=due, steps=steps, blocked=blocked, flags=flags,
        ))  # fmt: skip
    family_steps = replay.remembered(("family", nation), lambda: family_offers(state, nation, today)) if may_record else []
    if may_record and state is not None:
        ctx = wf.Context(today=today)
        for panel in panels:
            if panel.proceedings.concluded_on is None:
                ref = panel.proceedings.reference
                panel.extension = replay.remembered(("extend", ref, nation), lambda ref=ref: _offer(
                    wf.step_availability(state, None, "extend_timetable", ctx, proceedings_ref=ref), nation))
    return FamilyPage(
        family=family, nation=nation, children=child_panels, fgcs=fgcs, family_steps=family_steps,
        proceedings=panels, prompts=prompts(family, children, fgcs, nation),
        timeline=timeline(session, family, nation) if with_timeline else [],
        audit=audit_trail(session, family, nation) if with_audit else [],
        fgc_outcomes=replay.remembered("fgc_outcomes", lambda: fgc_outcomes.outcomes(state, journeys, today))
        if state else [],
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# The audit trail, in words
# --------------------------------------------------------------------------------------------


def _load(raw: str | None):
    return json.loads(raw) if raw else None


def _on(value) -> date | str:
    """A stored day as a date (a message's parameter, formatted in the reader's language), else as it is."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return str(value)


def family_changes(before: dict | None, after: dict | None, nation: str) -> list[str]:
    """What a recorded step changed in a family (services.family_summary before and after)."""
    before, after = before or {}, after or {}
    changes = []
    old_children = before.get("children", {})
    for ref, now in after.get("children", {}).items():
        was = old_children.get(ref)
        if was is None:
            changes.append(msg("Child %(child)s: case opened, stage %(stage)s from %(since)s", child=ref,
                               stage=label(stage_label(now["stage"], nation)), since=_on(now["since"])))
        elif was["stage"] != now["stage"]:
            changes.append(msg("Child %(child)s, stage: %(before)s -> %(after)s from %(since)s", child=ref,
                               before=label(stage_label(was["stage"], nation)),
                               after=label(stage_label(now["stage"], nation)), since=_on(now["since"])))
    old_fgcs = before.get("fgc", [])
    for i, now in enumerate(after.get("fgc", [])):
        was = old_fgcs[i] if i < len(old_fgcs) else None
        if was is None:
            changes.append(msg("Family group conference offered on %(offered)s", offered=_on(now["offered_on"])))
        elif was["status"] != now["status"]:
            changes.append(msg("Family group conference offered on %(offered)s: %(before)s -> %(after)s",
                               offered=_on(now["offered_on"]), before=was["status"], after=now["status"]))
    for day in after.get("letters", [])[len(before.get("letters", [])):]:
        changes.append(msg("Letter before proceedings sent on %(on)s", on=_on(day)))
    old_proceedings = before.get("proceedings", {})
    for ref, now in after.get("proceedings", {}).items():
        was = old_proceedings.get(ref)
        if was is None:
            changes.append(msg("Proceedings %(ref)s issued on %(issued)s; deadline %(deadline)s", ref=ref,
                               issued=_on(now["issued_on"]), deadline=_on(now["deadline"])))
            continue
        if was["deadline"] != now["deadline"]:
            changes.append(msg("Proceedings %(ref)s, deadline: %(before)s -> %(after)s", ref=ref,
                               before=_on(was["deadline"]), after=_on(now["deadline"])))
        if now.get("concluded_on") and not was.get("concluded_on"):
            changes.append(msg("Proceedings %(ref)s concluded on %(on)s", ref=ref, on=_on(now["concluded_on"])))
    return changes


def _allocation_words(entry: AuditEntry, names: dict) -> list[str]:
    before, after = _load(entry.before) or {}, _load(entry.after) or {}

    def who(kind: str, value):
        return names[kind].get(value, msg("someone no longer listed")) if value else msg("nobody")

    return [msg("Team: %(before)s -> %(after)s", before=who("team", before.get("team_id")),
                after=who("team", after.get("team_id"))),
            msg("Social worker: %(before)s -> %(after)s", before=who("user", before.get("worker_id")),
                after=who("user", after.get("worker_id")))]


def audit_words(entry: AuditEntry, nation: str, names: dict) -> tuple[str, list[str]]:
    """(what was done, what it changed) for one audit entry, in words."""
    action = entry.action
    if action == "allocate":
        return msg("Allocation changed"), _allocation_words(entry, names)
    kind = action.removeprefix("record:")
    if kind in wf.EVENT:
        return (msg("Recorded: %(step)s", step=label(step_label(kind, nation))),
                family_changes(_load(entry.before), _load(entry.after), nation))
    after = _load(entry.after) or {}
    if kind in rules.REVIEW_KINDS:
        decision = rules.DECISIONS.get(kind, {}).get(after.get("decision"), after.get("decision"))
        return (msg("Recorded: %(step)s", step=label(rules.REVIEW_KINDS[kind])),
                [msg("Child %(child)s: held on %(held)s; decision: %(decision)s", child=after.get("child"),
                     held=_on(after.get("held_on")), decision=label(decision) if decision else decision)])
    if kind == "hearing":
        hearing = rules.HEARING_KINDS.get(after.get("kind"), after.get("kind"))
        return (msg("Recorded: hearing listed"),
                [msg("Proceedings %(ref)s: %(kind)s listed for %(on)s", ref=after.get("proceedings"),
                     kind=label(hearing) if hearing else hearing, on=_on(after.get("listed_for")))])
    return action, []


def audit_trail(session, family: Family, nation: str) -> list[dict]:
    from ..models import Team, User

    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.family_id == family.id).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).all()  # fmt: skip
    names = {
        "team": dict(session.execute(select(Team.id, Team.name).where(Team.la_id == family.la_id)).all()),
        "user": dict(session.execute(select(User.id, User.name).where(User.la_id == family.la_id)).all()),
    }
    trail = []
    for entry in entries:
        what, changes = audit_words(entry, nation, names)
        trail.append({"entry": entry, "what": what, "changes": changes})
    return trail
