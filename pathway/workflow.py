"""THE pathway: a child's stages, the steps between them and the gates that guard each step.

Everything that changes a case (forms, the CSV import, the CLI, demo data) goes through `apply`,
which fires one of three machines defined once, here, at import:

- CHILD_MACHINE: the child's stage (early help ... proceedings ... reunification, closed);
- FGC_MACHINE: one family group conference offer (offered, accepted, declined, referred to the
  FGC service, coordinator allocated, held, plan decided, review held, closed);
- PROCEEDINGS_MACHINE: one set of care proceedings (open, concluded).

The machines are built with `model=None` and fired with `MACHINE.events[name].trigger(obj, ...)`,
so no Machine is built per request or per row. A gate that refuses raises `Refused`, carrying
the field it concerns and a sentence a social worker can act on. This module knows nothing of
Flask or the database: `replay(events)` rebuilds a family's whole state from its history.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Iterable

from transitions import Machine, MachineError

from . import codes
from . import timescales as ts
from .messages import N_, Message, label, listing, msg, sentences
from .timescales import age_on, birthday, timetable_deadline

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    name: str
    label: str
    label_wales: str | None = None
    looked_after: bool = False

    def label_for(self, nation: str) -> str:
        return self.label_wales if nation == "wales" and self.label_wales else self.label


STAGES: tuple[Stage, ...] = (
    Stage("early_help", N_("Early help")),
    Stage("child_protection", N_("Child protection plan"), N_("Care and support protection plan")),
    Stage("pre_proceedings", N_("Pre-proceedings")),
    Stage("section_20", N_("Section 20 accommodation"), N_("Section 76 accommodation"), looked_after=True),
    Stage("emergency_protection", N_("Emergency protection"), looked_after=True),
    Stage("proceedings", N_("Care proceedings")),
    Stage("care_order", N_("Looked after under a care order"), looked_after=True),
    Stage("adoption", N_("Placement order: adoption plan"), looked_after=True),
    Stage("kinship_care", N_("Special guardianship or child arrangements order")),
    Stage("supervision_order", N_("At home under a supervision order")),
    Stage("no_order", N_("Proceedings ended without an order")),
    Stage("reunification", N_("Returned home (reunification)")),
    Stage("closed", N_("Case closed")),
)
STAGE = {s.name: s for s in STAGES}
OPEN_STAGES = tuple(s.name for s in STAGES if s.name != "closed")
# Stages in which a child lives at home or with kin after, or without, proceedings.
AT_HOME_AFTER_COURT = ("reunification", "supervision_order", "kinship_care", "no_order")
LOOKED_AFTER = tuple(s.name for s in STAGES if s.looked_after)

# The stage each final order leads to.
ORDER_STAGE = {
    "care_order": "care_order",
    "care_order_at_home": "care_order",
    "placement_order": "adoption",
    "sgo": "kinship_care",
    "sgo_with_supervision": "kinship_care",
    "child_arrangements_order": "kinship_care",
    "supervision_order": "supervision_order",
    "no_order": "no_order",
    "withdrawn": "no_order",
}

# The day s.31ZA comes into force until the appointed day is known (shared/domain.md section 2):
# a setting (FGDM_DUTY_FROM), so history from before it imports as it happened.
FGDM_DUTY_DEFAULT = date(2026, 4, 29)

# Days before a step within which emergency protection excuses the FGC and letter gates (s.44:
# an emergency protection order lasts up to 8 days).
EMERGENCY_WINDOW_DAYS = 8


@dataclass(frozen=True)
class EventSpec:
    name: str
    label: str
    level: str  # child | family | proceedings
    fields: tuple[str, ...] = ()  # the optional columns this event uses
    changes_stage: bool = True


EVENT_SPECS: tuple[EventSpec, ...] = (
    EventSpec("open_case", N_("Open a child's case"), "child", ("dob", "sex", "ethnicity")),
    EventSpec("start_cp_plan", N_("Start a child protection plan"), "child"),
    EventSpec("end_cp_plan", N_("End the child protection plan"), "child"),
    EventSpec("offer_fgc", N_("Offer a family group conference"), "family", ("offered_to",), changes_stage=False),
    EventSpec("fgc_accepted", N_("Family accepted the FGC"), "family", changes_stage=False),
    EventSpec("hold_fgc", N_("Family group conference held"), "family",
              ("invited", "attended", "private_family_time"), changes_stage=False),  # attendance: issue 13
    EventSpec("fgc_declined", N_("Family declined the FGC"), "family", changes_stage=False),
    EventSpec("send_letter_before_proceedings", N_("Send the letter before proceedings"), "family", ("offered_to",)),
    # Translators: translator-check: accommodation by agreement (llety drwy gytundeb)
    EventSpec("accommodate_s20", N_("Accommodate by agreement"), "child", ("consent_by", "exception", "decided_by")),
    EventSpec("emergency_protection", N_("Emergency protection"), "child", ("emergency_type", "end_date")),
    EventSpec("issue_proceedings", N_("Issue care proceedings"), "child", ("proceedings_ref", "exception", "decided_by")),
    EventSpec(
        "extend_timetable",
        N_("Extend the 26-week timetable"),
        "proceedings",
        ("proceedings_ref", "weeks", "reason", "child_ref"),  # child_ref: blank for every child
        changes_stage=False,
    ),
    EventSpec("final_order", N_("Record the final order"), "child", ("proceedings_ref", "order_type", "person_ref")),
    EventSpec("return_home", N_("Child returns home"), "child"),
    EventSpec("reunification_review", N_("Six-month reunification review"), "child", ("reason",), False),
    EventSpec("close_case", N_("Close the case"), "child", ("reason",)),
    # The family network (issue 9).
    EventSpec("add_person", N_("Add a person to the family network"), "family",
              ("person_ref", "dob", "sex", "ethnicity", "characteristics"), changes_stage=False),
    EventSpec("relate_person", N_("Record how a person relates to a child"), "child",
              ("person_ref", "relationship", "parental_responsibility"), changes_stage=False),
    EventSpec("object_to_accommodation", N_("Record an objection to accommodation"), "child", ("person_ref",),
              changes_stage=False),
    EventSpec("withdraw_objection", N_("Record that an objection was withdrawn"), "child", ("person_ref",),
              changes_stage=False),
    EventSpec("remove_from_accommodation", N_("Child removed from accommodation"), "child", ("person_ref",)),
    EventSpec("carer_assessment", N_("Record a carer assessment"), "family", ("person_ref", "outcome"),
              changes_stage=False),
    EventSpec("post_removal_support", N_("Record post-removal support"), "family", ("person_ref", "outcome"),
              changes_stage=False),
    # Every clock a child is on (issue 11).
    EventSpec("extend_epo", N_("Extend the emergency protection order"), "child", ("end_date",), changes_stage=False),
    EventSpec("interim_order", N_("Record an interim order"), "child", ("proceedings_ref", "order_type"),
              changes_stage=False),
    # Translators: translator-check: section 47 enquiry (England); Wales uses its own safeguarding procedures
    EventSpec("strategy_discussion", N_("Strategy discussion (section 47 enquiry)"), "child", changes_stage=False),
    EventSpec("initial_cp_conference", N_("Initial child protection conference"), "child", ("outcome",)),
    EventSpec("cp_review_conference", N_("Child protection review conference"), "child", changes_stage=False),
    # Translators: translator-check: Family Drug and Alcohol Court has no settled Welsh name
    EventSpec("heard_in_fdac", N_("Proceedings heard in a Family Drug and Alcohol Court"), "proceedings",
              ("proceedings_ref",), changes_stage=False),
    # Children in Need census module 5 (issue 16): the pre-proceedings facts the census asks for.
    EventSpec("decide_pre_proceedings", N_("Decision to start pre-proceedings (legal planning meeting)"), "family",
              changes_stage=False),
    EventSpec("pre_proceedings_meeting", N_("Pre-proceedings meeting"), "family", ("outcome",), changes_stage=False),
    EventSpec("pre_proceedings_decision", N_("Pre-proceedings decision: issue or step down"), "family", ("outcome",)),
    EventSpec("send_letter_to_issue", N_("Send the letter to issue proceedings"), "family", changes_stage=False),
    # FGC service (issue 13): the conference from referral to review. `hold_fgc` (above) gains
    # who was invited and who came, and whether private family time was held.
    EventSpec("refer_fgc", N_("Refer the family to the FGC service"), "family", ("reason",), changes_stage=False),
    EventSpec("allocate_fgc_coordinator", N_("Allocate an FGC coordinator"), "family", ("coordinator",),
              changes_stage=False),
    EventSpec("decide_fgc_plan", N_("Decide on the family's plan"), "family", ("outcome", "reason"),
              changes_stage=False),
    EventSpec("review_fgc", N_("Family group conference review held"), "family", changes_stage=False),
    EventSpec("close_fgc", N_("Close the family group conference"), "family", ("reason",), changes_stage=False),
)
EVENT = {e.name: e for e in EVENT_SPECS}
EVENT_NAMES = tuple(EVENT)
FIELDS = (
    "dob", "sex", "ethnicity", "proceedings_ref", "weeks", "reason",
    "order_type", "consent_by", "emergency_type", "exception",
    "person_ref", "relationship", "parental_responsibility", "characteristics", "outcome",
    "decided_by", "offered_to", "end_date",
    # FGC service (issue 13).
    "invited", "attended", "private_family_time", "coordinator",
)  # fmt: skip
# Columns holding a date (YYYY-MM-DD) besides `date`.
DATE_FIELDS = ("dob", "end_date")
# Columns holding a `;`-separated list.
LIST_FIELDS = ("characteristics", "offered_to", "invited", "attended")


WELSH_EVENT_LABELS = {
    "start_cp_plan": N_("Start a care and support protection plan"),
    "end_cp_plan": N_("End the care and support protection plan"),
    "accommodate_s20": N_("Accommodate by agreement (section 76)"),
    "object_to_accommodation": N_("Record an objection to accommodation (section 76)"),
    "initial_cp_conference": N_("Initial child protection conference (care and support protection plan)"),
    "cp_review_conference": N_("Review conference of the care and support protection plan"),
    "remove_from_accommodation": N_("Child removed from accommodation (section 76)"),
}


def event_label(name: str, nation: str = "england") -> str:
    """A step's name in the terms of the authority's nation."""
    if nation == "wales" and name in WELSH_EVENT_LABELS:
        return WELSH_EVENT_LABELS[name]
    if name == "accommodate_s20":
        return N_("Accommodate by agreement (section 20)")
    return EVENT[name].label


# --------------------------------------------------------------------------------------------
# What happened, and the state it leaves
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathwayEvent:
    """One step as recorded: the columns of the import format, parsed."""

    event: str
    date: date
    family_ref: str
    child_ref: str | None = None
    proceedings_ref: str | None = None
    dob: date | None = None
    sex: str | None = None
    ethnicity: str | None = None
    weeks: int | None = None
    reason: str | None = None
    order_type: str | None = None
    consent_by: str | None = None
    emergency_type: str | None = None
    exception: str | None = None
    person_ref: str | None = None
    relationship: str | None = None
    parental_responsibility: str | None = None  # "yes" | "no", as written in the event file
    characteristics: tuple[str, ...] | None = None
    outcome: str | None = None
    decided_by: str | None = None
    offered_to: tuple[str, ...] | None = None
    end_date: date | None = None
    # FGC service (issue 13).
    invited: tuple[str, ...] | None = None  # hold_fgc: the people invited (person references)
    attended: tuple[str, ...] | None = None  # hold_fgc: the people who came
    private_family_time: str | None = None  # hold_fgc: "yes" | "no"
    coordinator: str | None = None  # allocate_fgc_coordinator: the coordinator's email address

    @property
    def level(self) -> str:
        return EVENT[self.event].level


@dataclass
class ChildCase:
    ref: str
    dob: date
    sex: str
    ethnicity: str
    opened_on: date
    stage: str = "early_help"
    stage_since: date | None = None
    on_cp_plan: bool = False
    closed_on: date | None = None
    emergency_dates: list[date] = field(default_factory=list)
    proceedings_ref: str | None = None  # the open proceedings the child is a party to
    entered_care_on: date | None = None
    entered_care_by: str | None = None
    entered_care_in_emergency: bool | None = None
    returned_home_on: date | None = None
    # The family network, as it stands on the day being replayed.
    relations: dict[str, "Relation"] = field(default_factory=dict)  # person_ref -> how they relate
    objections: dict[str, date] = field(default_factory=dict)  # standing objections: person_ref -> since
    accommodated_with_own_consent: bool = False  # section 20(11): a child of 16+ agreed
    removed_by: str | None = None  # the PR holder who last removed the child from accommodation
    # Every clock the child is on (issue 11).
    emergency_type: str | None = None  # the emergency protection in force, while in that stage
    emergency_ends_on: date | None = None
    epo_extended: bool = False
    interim_order: str | None = None  # in open proceedings: interim_care_order | interim_supervision_order
    looked_after_since: date | None = None  # the first day of the current looked-after period
    strategy_discussion_on: date | None = None  # a section 47 enquiry awaiting its initial conference
    cp_plan_since: date | None = None
    last_cp_review: date | None = None
    # Every stage the child entered, in order, with the day it did: [(stage, since), ...] (a stage
    # entered twice appears twice). Kept by `apply`; read by the FGC outcomes at six months.
    journey: list[tuple[str, date]] = field(default_factory=list)
    # Every step recorded for the child, in the history's order: [(event, date, reason), ...]
    # (kept by `apply`; read by the report's care episodes, `reports.facts`).
    steps: list[tuple[str, date, str | None]] = field(default_factory=list)

    def __post_init__(self):
        if self.stage_since is None:
            self.stage_since = self.opened_on

    @property
    def is_open(self) -> bool:
        return self.stage != "closed"

    def pr_holders(self) -> list[str]:
        return sorted(ref for ref, r in self.relations.items() if r.parental_responsibility)

    def parent(self, relationship: str) -> str | None:
        """The person recorded as this child's mother (or father), if any."""
        return next((ref for ref, r in self.relations.items() if r.relationship == relationship), None)

    def standing_objections(self) -> dict[str, date]:
        """Objections by people who hold parental responsibility today: the ones the law counts."""
        return {ref: d for ref, d in self.objections.items()
                if ref in self.relations and self.relations[ref].parental_responsibility}

    @property
    def must_leave_accommodation_since(self) -> date | None:
        """The day an objection ended the authority's power to keep the child accommodated by
        agreement (Williams v Hackney), while the child is still accommodated; else None."""
        if self.stage != "section_20" or self.accommodated_with_own_consent:
            return None
        standing = self.standing_objections()
        return max(standing.values()) if standing else None


@dataclass
class Relation:
    relationship: str
    parental_responsibility: bool
    since: date


@dataclass
class PersonCase:
    ref: str
    added_on: date
    dob: date | None = None
    sex: str | None = None
    ethnicity: str | None = None
    characteristics: tuple[str, ...] = ()


@dataclass(frozen=True)
class NetworkRecord:
    """A carer assessment or a post-removal support record for one person."""

    on: date
    person_ref: str
    outcome: str


# The statuses of a conference not yet held: the family can still decline it.
FGC_BEFORE_MEETING = ("offered", "accepted", "referred", "coordinator_allocated")
# The statuses in which a conference is over: a new offer may follow.
FGC_FINISHED = ("declined", "review_held", "closed")


@dataclass
class FgcCase:
    offered_on: date
    # offered | accepted | declined | referred | coordinator_allocated | held | plan_decided |
    # review_held | closed
    status: str = "offered"
    accepted_on: date | None = None
    declined_on: date | None = None
    held_on: date | None = None
    offered_to: tuple[str, ...] = ()  # the people it was offered to (resolved on the day)
    in_letter: bool = False  # made in the letter before proceedings (s.31ZA(6))
    # FGC service (issue 13).
    referred_on: date | None = None
    concerns: str | None = None  # the concerns in the referral
    coordinator: str | None = None  # the coordinator's email address
    coordinator_allocated_on: date | None = None
    invited: tuple[str, ...] = ()
    attended: tuple[str, ...] = ()
    private_family_time: bool | None = None  # None: not recorded (old files)
    plan_decided_on: date | None = None
    plan_outcome: str | None = None  # accepted | not_accepted
    plan_reason: str | None = None  # why the plan was not accepted
    reviewed_on: date | None = None
    closed_on: date | None = None
    closed_reason: str | None = None  # a code of codes.FGC_CLOSE_REASONS

    @property
    def is_open(self) -> bool:
        """Whether this conference stands in the way of a new offer. One referred to the FGC
        service is open until it is reviewed, declined or closed; one held without a referral
        (recorded as before the service existed: offer, perhaps acceptance, held) is over once
        held, so old files that offer again after a conference still import."""
        if self.status in FGC_BEFORE_MEETING:
            return True
        return self.status not in FGC_FINISHED and self.referred_on is not None

    @property
    def last_step_on(self) -> date:
        """The date of the conference's latest step: a later step cannot be dated before it."""
        return max(d for d in (self.offered_on, self.accepted_on, self.declined_on, self.referred_on,
                               self.coordinator_allocated_on, self.held_on, self.plan_decided_on,
                               self.reviewed_on, self.closed_on) if d is not None)

    @property
    def review_due_from(self) -> date | None:
        return self.plan_decided_on


@dataclass
class Party:
    joined_on: date
    order_type: str | None = None
    order_on: date | None = None
    order_carer: str | None = None  # the person the child is to live with, where the order names one
    # The family network as it stood on the day the child became a party (for boards and the
    # court application summary).
    father_recorded: bool = False
    father_has_pr: bool = False
    relative_assessed: bool = False  # someone other than a parent assessed as a carer, on or before
    fgc_at_issue: str = "not_offered"  # a code of codes.FGC_AT_ISSUE


@dataclass
class ExtensionCase:
    granted_on: date
    weeks: int
    reason: str
    child_ref: str | None = None  # None: every child of the proceedings

    @property
    def category(self) -> str:
        return codes.extension_category(self.reason)


@dataclass
class ProceedingsCase:
    ref: str
    issued_on: date
    status: str = "open"  # open | concluded
    parties: dict[str, Party] = field(default_factory=dict)
    extensions: list[ExtensionCase] = field(default_factory=list)
    concluded_on: date | None = None
    fdac: bool = False  # heard in a Family Drug and Alcohol Court

    def deadline_for(self, child_ref: str) -> date:
        """One child's deadline: the extensions for every child and those for this child."""
        return timetable_deadline(self.issued_on, [(x.granted_on, x.weeks) for x in self.extensions
                                                   if x.child_ref in (None, child_ref)])

    @property
    def deadline(self) -> date:
        """The proceedings' deadline: the latest of their children's."""
        every = timetable_deadline(self.issued_on, [(x.granted_on, x.weeks) for x in self.extensions
                                                    if x.child_ref is None])
        return max([every, *(self.deadline_for(c) for c in self.parties)])


@dataclass
class FamilyCase:
    la_code: str
    nation: str
    ref: str
    opened_on: date
    children: dict[str, ChildCase] = field(default_factory=dict)
    fgcs: list[FgcCase] = field(default_factory=list)
    letters: list[date] = field(default_factory=list)
    proceedings: dict[str, ProceedingsCase] = field(default_factory=dict)
    people: dict[str, PersonCase] = field(default_factory=dict)
    letter_offers: dict[date, tuple[str, ...]] = field(default_factory=dict)  # letters that carried the FGC offer
    assessments: list[NetworkRecord] = field(default_factory=list)
    post_removal_support: list[NetworkRecord] = field(default_factory=list)
    # Parents whose child was placed away from them by a final order: (person_ref, child_ref, order date).
    removals: list[tuple[str, str, date]] = field(default_factory=list)
    # Children in Need census module 5 (issue 16): each pre-proceedings period, in order.
    pre_proceedings: list["PreProceedingsPeriod"] = field(default_factory=list)

    def open_children(self) -> list[ChildCase]:
        return [c for c in self.children.values() if c.is_open]

    def fgc_offered_by(self, day: date) -> FgcCase | None:
        offers = [f for f in self.fgcs if f.offered_on <= day]
        return offers[0] if offers else None

    def latest_fgc(self) -> FgcCase | None:
        return self.fgcs[-1] if self.fgcs else None

    def letter_sent_by(self, day: date) -> date | None:
        sent = [d for d in self.letters if d <= day]
        return sent[0] if sent else None

    def offered_fgc_to(self, day: date) -> set[str]:
        """Everyone offered a family group conference (or FGDM meeting) on or before `day`."""
        return {ref for f in self.fgcs if f.offered_on <= day for ref in f.offered_to}

    def parents(self) -> dict[str, set[str]]:
        """Each person recorded as a mother or father of a child of the family: person -> child refs."""
        found: dict[str, set[str]] = {}
        for child in self.children.values():
            for ref, r in child.relations.items():
                if r.relationship in codes.PARENTS:
                    found.setdefault(ref, set()).add(child.ref)
        return found

    def post_removal_support_due(self) -> dict[str, date]:
        """Mothers and fathers placed apart from a child by a final order and not offered
        post-removal support since: person -> the order's date (support due within 3 months)."""
        due: dict[str, date] = {}
        for person, _child, on in self.removals:
            if any(s.person_ref == person and s.on >= on for s in self.post_removal_support):
                continue
            due[person] = min(due.get(person, on), on)
        return due


@dataclass
class Context:
    """What a family's steps need to know of the world outside the family."""

    today: date
    # Children Act 1989 s.31ZA (England) applies to applications issued on or after this day.
    fgdm_duty_from: date = field(default_factory=lambda: FGDM_DUTY_DEFAULT)
    # Which family (if any) already holds a child or proceedings reference in this authority.
    child_ref_owner: Callable[[str], str | None] = lambda ref: None
    proceedings_ref_owner: Callable[[str], str | None] = lambda ref: None


# --------------------------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    field: str  # the form field or import column it concerns ("date", "consent_by", ...)
    message: Message  # English as a str; translated on display (pathway.i18n.render)


class Refused(Exception):
    """A step the pathway will not take, with every reason, each naming what to do instead."""

    def __init__(self, problems: Iterable[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(" ".join(p.message for p in self.problems))


def fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# --------------------------------------------------------------------------------------------
# Gates. Each takes (event, family, child) and returns a Problem or None.
# --------------------------------------------------------------------------------------------

Gate = Callable[[PathwayEvent, FamilyCase, "ChildCase | None", Context], "Problem | None"]


def _emergency_within_window(child: ChildCase, day: date) -> bool:
    return any(0 <= (day - d).days <= EMERGENCY_WINDOW_DAYS for d in child.emergency_dates)


def _excused(ev: PathwayEvent, child: ChildCase) -> bool:
    return bool(ev.exception) or _emergency_within_window(child, ev.date)


def gate_fgc_before_care(ev, family, child, ctx):
    """G1: an FGC offered to the family on or before a child is moved into care, unless the child was under
    emergency protection in the 8 days before or an exception is recorded."""
    if ev.event == "issue_proceedings" and child.stage == "section_20":
        return None  # already accommodated: the FGC question was asked at accommodation
    if family.fgc_offered_by(ev.date) or _excused(ev, child):
        return None
    if ev.event == "accommodate_s20":
        return Problem("exception", msg(
            "No family group conference has been offered to this family on or before %(date)s. "
            "Offer one before child %(child)s is accommodated. If the child could not wait, record "
            "the reason the family could not be offered one first as an exception.",
            date=ev.date, child=child.ref,
        ))
    return Problem("exception", msg(
        "No family group conference has been offered to this family on or before %(date)s. "
        "Offer one before child %(child)s is made the subject of a care application. If the child could "
        "not wait, record the reason the family could not be offered one first as an exception.",
        date=ev.date, child=child.ref,
    ))


def _fgdm_duty_applies(ev, family, ctx) -> bool:
    return family.nation == "england" and ev.date >= ctx.fgdm_duty_from


def gate_fgdm_offered_to_everyone_with_pr(ev, family, child, ctx):
    """G1s (England, Children Act 1989 s.31ZA): before applying, the authority offers a family
    group decision-making meeting to the parents and everyone with parental responsibility.
    Only the best-interests decision excuses it: an emergency does not."""
    if not _fgdm_duty_applies(ev, family, ctx) or ev.exception:
        return None
    offered = family.offered_fgc_to(ev.date)
    holders = child.pr_holders()
    if not holders:
        if family.fgc_offered_by(ev.date):
            return None
        missing = msg("the child's parents and everyone with parental responsibility")
    else:
        not_offered = [ref for ref in holders if ref not in offered]
        if not not_offered:
            return None
        each = [msg("%(person)s was not offered one", person=ref) for ref in not_offered]
        missing = msg("everyone with parental responsibility for child %(child)s: %(not_offered)s",
                      child=child.ref, not_offered=listing(each))
    # Translators: translator-check: section 31ZA, family group decision-making meeting (legal terms)
    return Problem("exception", msg(
        "In England a family group decision-making meeting must be offered to %(missing)s before "
        "proceedings are issued (Children Act 1989 section 31ZA), on or before %(date)s. "
        "Record the offer (in the letter before proceedings or as an FGC offer), or, if offering "
        "one would not be in the child's best interests, record that decision, who made it and "
        "why, as an exception.",
        missing=missing, date=ev.date,
    ))


def gate_accepted_fgc_held(ev, family, child, ctx):
    """G1e (England, Children Act 1989 s.31ZA): an accepted meeting is held before issue, unless an
    exception is recorded."""
    if not _fgdm_duty_applies(ev, family, ctx) or ev.exception:
        return None
    latest = family.latest_fgc()
    if latest is None or latest.status not in ("accepted", "referred", "coordinator_allocated"):
        return None
    return Problem("exception", msg(
        "The family accepted the family group conference offered on %(offered)s, "
        "but it has not been held. In England it must be held before proceedings are issued "
        "(Children Act 1989 section 31ZA). Record the conference as held, or, if holding it would "
        "not be in the child's best interests, record who decided that, when and why as an exception.",
        offered=latest.offered_on,
    ))


def gate_consent(ev, family, child, ctx):
    """G2: who consented to accommodation: a person with parental responsibility for this child
    on that day (by reference), or the child from their 16th birthday. The words mother, father
    and other_pr stand only for a child with no relationships recorded (old tracker files)."""
    if ev.consent_by in codes.CONSENT_WORDS and child.relations:
        if child.pr_holders():
            return Problem("consent_by", msg(
                "Relationships are recorded for child %(child)s: name the person with parental "
                "responsibility who agreed, by their reference (people with parental responsibility: "
                "%(holders)s).",
                child=child.ref, holders=", ".join(child.pr_holders()),
            ))
        return Problem("consent_by", msg(
            "Relationships are recorded for child %(child)s: name the person with parental "
            "responsibility who agreed, by their reference. Nobody is recorded with parental "
            "responsibility for the child yet.",
            child=child.ref,
        ))
    if ev.consent_by and ev.consent_by not in codes.CONSENT_BY:
        relation = child.relations.get(ev.consent_by)
        if relation is None:
            return Problem("consent_by", msg(
                "%(person)s is not recorded as related to child %(child)s. Record how they "
                "relate to the child first, or name the person with parental responsibility who agreed.",
                person=ev.consent_by, child=child.ref,
            ))
        if not relation.parental_responsibility:
            return Problem("consent_by", msg(
                "%(person)s does not have parental responsibility for child %(child)s on "
                "%(date)s, so cannot agree to the child being accommodated. Record the consent "
                "of a person with parental responsibility, or the child's own if 16 or over.",
                person=ev.consent_by, child=child.ref, date=ev.date,
            ))
        return None
    if ev.consent_by not in codes.CONSENT_BY:
        return Problem("consent_by", msg(
            "Record who agreed to the accommodation: a person with parental responsibility (their "
            "reference; for a child with no relationships recorded, mother, father or other_pr), "
            "or the child if 16 or over.",
        ))
    if ev.consent_by == "child" and age_on(child.dob, ev.date) < 16:
        return Problem("consent_by", msg(
            "Child %(child)s is under 16 on %(date)s and cannot consent "
            "alone (they turn 16 on %(turns_16)s). Record the consent of a "
            "person with parental responsibility.",
            child=child.ref, date=ev.date, turns_16=birthday(child.dob, 16),
        ))
    return None


def gate_no_standing_objection(ev, family, child, ctx):
    """G2o (s.20(7)-(11), s.76 in Wales): a person with parental responsibility who objects stops
    the accommodation, unless the child is 16 or over and agrees."""
    standing = child.standing_objections()
    if not standing or (ev.consent_by == "child" and age_on(child.dob, ev.date) >= 16):
        return None
    section = "76" if family.nation == "wales" else "20"
    who = listing(msg("%(person)s (since %(since)s)", person=ref, since=d) for ref, d in sorted(standing.items()))
    # Translators: translator-check: section 20 / section 76 (adran 76), accommodation by agreement
    return Problem("consent_by", msg(
        "Child %(child)s cannot be accommodated under section %(section)s: %(who)s has parental "
        "responsibility and objects. The law does not allow accommodation by agreement against "
        "that objection unless the child is 16 or over and agrees. Record the objection as "
        "withdrawn if it was, or seek an order (emergency protection or care proceedings).",
        child=child.ref, section=section, who=who,
    ))


def gate_power_to_accommodate_ended(ev, family, child, ctx):
    """An objection while accommodated ends the authority's power to keep the child: the next
    step out of accommodation is the removal, emergency protection or proceedings."""
    since = child.must_leave_accommodation_since
    if since is None:
        return None
    objector = max(child.standing_objections().items(), key=lambda item: item[1])[0]
    return Problem("event", msg(
        "%(person)s objected on %(since)s to child %(child)s being accommodated, which ends "
        "the authority's power to keep the child. Record the child's removal from accommodation, "
        "or emergency protection, or the issue of care proceedings.",
        person=objector, since=since, child=child.ref,
    ))


def _person_in_family(ev, family, column="person_ref"):
    ref = getattr(ev, column)
    if not ref:
        return Problem(column, msg("Enter the person's reference."))
    if ref not in family.people or family.people[ref].added_on > ev.date:
        return Problem(column, msg(
            "%(person)s is not in family %(family)s's network on %(date)s. Add the person to the "
            "family network first.",
            person=ref, family=family.ref, date=ev.date,
        ))
    return None


def gate_relationship(ev, family, child, ctx):
    """A recorded relationship: a known person, a listed relationship, PR yes or no, at most one
    mother and one father for a child."""
    problems = [p for p in [_person_in_family(ev, family)] if p]
    if ev.relationship not in codes.RELATIONSHIPS:
        problems.append(Problem("relationship", msg("Choose how the person relates to the child.")))
    elif ev.relationship in codes.PARENTS:
        other = child.parent(ev.relationship)
        if other is not None and other != ev.person_ref:
            if ev.relationship == "mother":
                text = msg(
                    "%(other)s is already recorded as child %(child)s's mother. A child has one mother "
                    "recorded; record %(person)s as a step-parent or other relative, or correct %(other)s's "
                    "relationship first.", other=other, child=child.ref, person=ev.person_ref)
            else:
                text = msg(
                    "%(other)s is already recorded as child %(child)s's father. A child has one father "
                    "recorded; record %(person)s as a step-parent or other relative, or correct %(other)s's "
                    "relationship first.", other=other, child=child.ref, person=ev.person_ref)
            problems.append(Problem("relationship", text))
    if ev.parental_responsibility not in codes.YES_NO:
        problems.append(Problem("parental_responsibility", msg(
            "Say whether %(person)s has parental responsibility for the child: yes or no.", person=ev.person_ref)
            if ev.person_ref else msg("Say whether the person has parental responsibility for the child: yes or no.")))
    if ev.person_ref and ev.person_ref == child.ref:
        problems.append(Problem("person_ref", msg("A child cannot be related to themselves.")))
    return problems


def gate_objector_has_pr(ev, family, child, ctx):
    """Only a person with parental responsibility can object to, or remove a child from,
    accommodation by agreement."""
    problem = _person_in_family(ev, family)
    if problem:
        return problem
    relation = child.relations.get(ev.person_ref)
    if relation is None or not relation.parental_responsibility:
        return Problem("person_ref", msg(
            "%(person)s does not have parental responsibility for child %(child)s on "
            "%(date)s. Only a person with parental responsibility can object to the "
            "accommodation or remove the child from it.",
            person=ev.person_ref, child=child.ref, date=ev.date,
        ))
    return None


def gate_objection_to_withdraw(ev, family, child, ctx):
    """Only an objection recorded for the child can be withdrawn."""
    if ev.person_ref not in child.objections:
        return Problem("person_ref", msg(
            "%(person)s has no objection recorded for child %(child)s to withdraw.", person=ev.person_ref,
            child=child.ref) if ev.person_ref else msg(
            "This person has no objection recorded for child %(child)s to withdraw.", child=child.ref))
    return None


def gate_letter_before_proceedings(ev, family, child, ctx):
    """G3: a letter before proceedings on or before the day of issue, unless the child was under emergency
    protection in the 8 days before or an exception is recorded."""
    if family.letter_sent_by(ev.date) or _excused(ev, child):
        return None
    return Problem("exception", msg(
        "No letter before proceedings has been sent to this family on or before %(date)s. "
        "Send the letter first, or, if proceedings had to be issued without one, record the reason "
        "as an exception.",
        date=ev.date,
    ))


def gate_proceedings_ref(ev, family, child, ctx):
    """The court's case number: new, or open proceedings of this family (siblings share them)."""
    if not ev.proceedings_ref:
        return Problem("proceedings_ref", msg("Enter the court's case number for these proceedings."))
    existing = family.proceedings.get(ev.proceedings_ref)
    if existing is None:
        owner = ctx.proceedings_ref_owner(ev.proceedings_ref)
        if owner is not None and owner != family.ref:
            return Problem("proceedings_ref", msg(
                "Proceedings %(proceedings)s belong to another family in this authority. "
                "Check the case number.",
                proceedings=ev.proceedings_ref,
            ))
        return None
    if existing.status == "concluded":
        return Problem("proceedings_ref", msg(
            "Proceedings %(proceedings)s concluded on %(concluded)s. "
            "A new application needs a new case number.",
            proceedings=ev.proceedings_ref, concluded=existing.concluded_on,
        ))
    return None


def gate_emergency_type(ev, family, child, ctx):
    """The kind of emergency protection: police protection or an emergency protection order."""
    if ev.emergency_type not in codes.EMERGENCY_TYPES:
        return Problem("emergency_type", msg(
            "Choose the kind of emergency protection: police protection or an emergency protection order.",
        ))
    if ev.end_date is None:
        return None
    if ev.emergency_type != "epo":
        return Problem("end_date", msg(
            "Police protection lasts up to 72 hours: leave the end date blank (it ends on the "
            "third day after it began, %(ends)s).",
            ends=ts.police_protection_ends(ev.date),
        ))
    latest = ts.epo_latest_end(ev.date)
    if not ev.date <= ev.end_date <= latest:
        # Translators: translator-check: emergency protection order (gorchymyn diogelu brys)
        return Problem("end_date", msg(
            "An emergency protection order made on %(made)s lasts at most 8 days, the day it "
            "was made counting as day 1: it ends on or before %(latest)s, and not before it was made.",
            made=ev.date, latest=latest,
        ))
    return None


def gate_epo_extension(ev, family, child, ctx):
    """An emergency protection order may be extended once, by up to 7 days, while it runs."""
    if child.emergency_type != "epo":
        return Problem("event", msg(
            "Child %(child)s is under police protection, not an emergency protection order: only an "
            "order can be extended.",
            child=child.ref,
        ))
    if child.epo_extended:
        return Problem("event", msg(
            "Child %(child)s's emergency protection order was already extended (to "
            "%(ends)s). It can be extended only once; apply for an interim order instead.",
            child=child.ref, ends=child.emergency_ends_on,
        ))
    if ev.date > child.emergency_ends_on:
        return Problem("date", msg(
            "The emergency protection order ended on %(ended)s: it cannot be extended after it ended.",
            ended=child.emergency_ends_on,
        ))
    latest = ts.epo_extension_latest_end(child.emergency_ends_on)
    if ev.end_date is None or not child.emergency_ends_on < ev.end_date <= latest:
        return Problem("end_date", msg(
            "Enter the new end date: after %(ends)s and no more than 7 days after it (%(latest)s at the latest).",
            ends=child.emergency_ends_on, latest=latest,
        ))
    return None


def gate_interim_order(ev, family, child, ctx):
    """An interim care or supervision order for a child party to open proceedings."""
    if ev.order_type not in codes.INTERIM_ORDER_TYPES:
        return Problem("order_type", msg(
            "Choose the interim order: an interim care order or an interim supervision order."))
    if not ev.proceedings_ref or ev.proceedings_ref != child.proceedings_ref:
        named = ev.proceedings_ref or msg("(no case number given)")
        if child.proceedings_ref:
            return Problem("proceedings_ref", msg(
                "Child %(child)s is not a party to open proceedings %(named)s. They are a party to "
                "proceedings %(current)s.", child=child.ref, named=named, current=child.proceedings_ref))
        return Problem("proceedings_ref", msg(
            "Child %(child)s is not a party to open proceedings %(named)s.", child=child.ref, named=named))
    issued = family.proceedings[child.proceedings_ref].issued_on
    if ev.date < issued:
        return Problem("date", msg(
            "An interim order cannot be dated before the proceedings were issued on %(issued)s.", issued=issued))
    return None


def gate_conference_outcome(ev, family, child, ctx):
    """The conference's outcome: a plan or no plan; a plan only for a child not already on one."""
    if ev.outcome not in codes.CP_CONFERENCE_OUTCOMES:
        return Problem("outcome", msg(
            "Record whether the conference made a child protection plan: plan or no_plan."))
    if ev.outcome == "plan" and child.on_cp_plan:
        return Problem("outcome", msg(
            "Child %(child)s already has a child protection plan (since %(since)s). Record a review "
            "conference instead.", child=child.ref, since=child.cp_plan_since))
    return None


def gate_final_order(ev, family, child, ctx):
    """G5: a final order for a child party to the named proceedings, on or after issue."""
    if ev.order_type not in codes.ORDER_TYPES:
        return Problem("order_type", msg("Choose the final order the court made."))
    if ev.person_ref:
        if ev.order_type not in codes.ORDERS_NAMING_A_CARER:
            # Translators: translator-check: special guardianship order, child arrangements order
            return Problem("person_ref", msg(
                "Name the person the child is to live with only for a special guardianship or child "
                "arrangements order.",
            ))
        problem = _person_in_family(ev, family)
        if problem:
            return problem
    if not ev.proceedings_ref or ev.proceedings_ref != child.proceedings_ref:
        named = ev.proceedings_ref or msg("(none given)")
        if child.proceedings_ref:
            return Problem("proceedings_ref", msg(
                "Child %(child)s is not a party to proceedings %(named)s. They are a party to proceedings "
                "%(current)s.", child=child.ref, named=named, current=child.proceedings_ref))
        return Problem("proceedings_ref", msg(
            "Child %(child)s is not a party to proceedings %(named)s.", child=child.ref, named=named))
    return None  # a date before issue: see date_problem


def gate_reunification_outcome(ev, family, child, ctx):
    """The review's outcome: stable at home, or the return broke down."""
    if ev.reason not in codes.REUNIFICATION_OUTCOMES:
        return Problem("reason", msg("Record whether the child is stable at home or the return broke down."))
    return None


def gate_close(ev, family, child, ctx):
    """G7: a reason, and no open proceedings."""
    if child.stage == "proceedings" and child.proceedings_ref:
        return Problem("event", msg(
            "Child %(child)s is a party to proceedings %(proceedings)s, "
            "which are still open. Record the final order before closing the case.",
            child=child.ref, proceedings=child.proceedings_ref,
        ))
    if not (ev.reason or "").strip():
        return Problem("reason", msg("Give the reason the case is closing."))
    return None


def gate_cp_plan_to_end(ev, family, child, ctx):
    """Only a plan the child is on can end."""
    if not child.on_cp_plan:
        if family.nation == "wales":
            # Translators: translator-check: care and support protection plan (cynllun amddiffyn gofal a chymorth)
            return Problem("event", msg(
                "Child %(child)s is not on a care and support protection plan, so there is no plan to end.",
                child=child.ref))
        return Problem("event", msg(
            "Child %(child)s is not on a child protection plan, so there is no plan to end.", child=child.ref))
    return None


def gate_cp_plan_to_review(ev, family, child, ctx):
    """Only a plan the child is on can be reviewed."""
    if not child.on_cp_plan:
        return Problem("event", msg("Child %(child)s has no child protection plan to review.", child=child.ref))
    return None


def gate_extension(ev, family, proceedings, ctx):
    """G4: weeks 1 to 8, a listed reason, for proceedings open on that date."""
    problems = []  # a date before issue or after conclusion: see date_problem
    if not isinstance(ev.weeks, int) or not 1 <= ev.weeks <= 8:
        problems.append(Problem("weeks", msg("An extension is a whole number of weeks from 1 to 8.")))
    if ev.reason not in codes.EXTENSION_REASONS:
        problems.append(Problem("reason", msg("Choose the reason the court gave for the extension.")))
    if ev.child_ref is not None:
        party = proceedings.parties.get(ev.child_ref)
        if party is None:
            problems.append(Problem("child_ref", msg(
                "Child %(child)s is not a party to proceedings %(proceedings)s. Name a child of these "
                "proceedings, or leave the child blank to extend the timetable for every child.",
                child=ev.child_ref, proceedings=proceedings.ref,
            )))
        elif party.order_type is not None:
            problems.append(Problem("child_ref", msg(
                "Child %(child)s's final order was made on %(made)s: their timetable cannot be extended.",
                child=ev.child_ref, made=party.order_on,
            )))
    return problems


def _check(*gates: Gate):
    """A transition condition that runs every gate and refuses with all their reasons."""

    def condition(event_data) -> bool:
        ev, family, ctx = (event_data.kwargs[k] for k in ("event", "family", "ctx"))
        problems = []
        for gate in gates:
            found = gate(ev, family, event_data.model, ctx)
            problems.extend(found if isinstance(found, list) else [found] if found else [])
        if problems:
            raise Refused(problems)
        return True

    condition.gates = gates  # read by pathway_rules(), which draws the pathway from these tables
    return condition


# --------------------------------------------------------------------------------------------
# Effects of a step beyond the change of stage
# --------------------------------------------------------------------------------------------


def _enter_care(event_data) -> None:
    child: ChildCase = event_data.model
    ev: PathwayEvent = event_data.kwargs["event"]
    if child.entered_care_on is None:
        child.entered_care_on = ev.date
        child.entered_care_by = ev.event
        child.entered_care_in_emergency = ev.event == "emergency_protection" or bool(ev.exception)


def _accommodated(event_data) -> None:
    child: ChildCase = event_data.model
    child.accommodated_with_own_consent = event_data.kwargs["event"].consent_by == "child"


def _relate(event_data) -> None:
    ev: PathwayEvent = event_data.kwargs["event"]
    event_data.model.relations[ev.person_ref] = Relation(
        ev.relationship, ev.parental_responsibility == "yes", ev.date
    )


def _object(event_data) -> None:
    ev: PathwayEvent = event_data.kwargs["event"]
    event_data.model.objections.setdefault(ev.person_ref, ev.date)


def _withdraw_objection(event_data) -> None:
    event_data.model.objections.pop(event_data.kwargs["event"].person_ref, None)


def _removed(event_data) -> None:
    ev: PathwayEvent = event_data.kwargs["event"]
    child: ChildCase = event_data.model
    child.removed_by = ev.person_ref
    child.returned_home_on = ev.date


def _record_emergency(event_data) -> None:
    child: ChildCase = event_data.model
    ev: PathwayEvent = event_data.kwargs["event"]
    child.emergency_dates.append(ev.date)
    child.emergency_type, child.epo_extended = ev.emergency_type, False
    if ev.emergency_type == "police_protection":
        child.emergency_ends_on = ts.police_protection_ends(ev.date)
    else:  # an order made without an end date recorded runs for its full 8 days
        child.emergency_ends_on = ev.end_date or ts.epo_latest_end(ev.date)


def _join_proceedings(event_data) -> None:
    child: ChildCase = event_data.model
    ev: PathwayEvent = event_data.kwargs["event"]
    family: FamilyCase = event_data.kwargs["family"]
    proceedings = family.proceedings.get(ev.proceedings_ref)
    if proceedings is None:
        proceedings = family.proceedings[ev.proceedings_ref] = ProceedingsCase(ev.proceedings_ref, ev.date)
    father = child.parent("father")
    proceedings.parties[child.ref] = Party(
        ev.date,
        father_recorded=father is not None,
        father_has_pr=father is not None and child.relations[father].parental_responsibility,
        relative_assessed=any(
            a.on <= ev.date and a.outcome != "withdrawn"
            and (a.person_ref not in child.relations or child.relations[a.person_ref].relationship not in codes.PARENTS)
            for a in family.assessments
        ),
        fgc_at_issue=fgc_answer_code(family, ev),
    )
    child.proceedings_ref = ev.proceedings_ref


def _record_order(event_data) -> None:
    child: ChildCase = event_data.model
    ev: PathwayEvent = event_data.kwargs["event"]
    proceedings = event_data.kwargs["family"].proceedings[child.proceedings_ref]
    party = proceedings.parties[child.ref]
    party.order_type, party.order_on, party.order_carer = ev.order_type, ev.date, ev.person_ref
    child.proceedings_ref = None
    if ev.order_type in codes.ORDERS_AWAY_FROM_PARENTS:
        for parent in codes.PARENTS:
            person = child.parent(parent)
            if person is not None and person != ev.person_ref:
                event_data.kwargs["family"].removals.append((person, child.ref, ev.date))
    if all(p.order_type for p in proceedings.parties.values()):
        PROCEEDINGS_MACHINE.events["conclude"].trigger(proceedings, on=max(
            p.order_on for p in proceedings.parties.values()
        ))


def fgc_answer_code(family: "FamilyCase", ev: PathwayEvent) -> str:
    """How the family group conference stood on the day of a step (a code of FGC_AT_ISSUE):
    the answer to "Has a family group conference been convened? If not, why not?"."""
    offer = next((f for f in reversed(family.fgcs) if f.offered_on <= ev.date), None)
    if offer is None:
        return "not_offered_exception" if ev.exception else "not_offered"
    if offer.held_on is not None:  # held, and perhaps its plan decided, reviewed or closed since
        return "held"
    if offer.status == "declined":
        return "declined"
    if offer.accepted_on is not None:  # accepted, referred, a coordinator allocated, or closed unheld
        return "accepted_not_held"
    return "offered_no_answer"


def _set_cp_plan(value: bool):
    def effect(event_data) -> None:
        child = event_data.model
        child.on_cp_plan = value
        child.cp_plan_since = event_data.kwargs["event"].date if value else None
        child.last_cp_review = None
        if value:
            child.strategy_discussion_on = None  # the enquiry has led to a plan

    return effect


def _strategy_discussion(event_data) -> None:
    event_data.model.strategy_discussion_on = event_data.kwargs["event"].date


def _conference_held(event_data) -> None:
    child = event_data.model
    child.strategy_discussion_on = None
    if event_data.kwargs["event"].outcome == "plan":
        _set_cp_plan(True)(event_data)


def _cp_reviewed(event_data) -> None:
    event_data.model.last_cp_review = event_data.kwargs["event"].date


def _plan_outcome(wanted: str):
    def condition(event_data) -> bool:
        return event_data.kwargs["event"].outcome == wanted

    return condition


def _extend_epo(event_data) -> None:
    child = event_data.model
    child.emergency_ends_on, child.epo_extended = event_data.kwargs["event"].end_date, True


def _interim_order(event_data) -> None:
    event_data.model.interim_order = event_data.kwargs["event"].order_type


def _returned_home(event_data) -> None:
    event_data.model.returned_home_on = event_data.kwargs["event"].date


def _closed(event_data) -> None:
    event_data.model.closed_on = event_data.kwargs["event"].date


def _leads_to(stage: str):
    def condition(event_data) -> bool:
        return ORDER_STAGE[event_data.kwargs["event"].order_type] == stage

    return condition


def _stage_since(event_data) -> None:
    event_data.model.stage_since = event_data.kwargs["event"].date


# --------------------------------------------------------------------------------------------
# The machines
# --------------------------------------------------------------------------------------------

_HOME = list(AT_HOME_AFTER_COURT)
_BEFORE_CARE = ["early_help", "child_protection", "pre_proceedings", *_HOME]
_OPEN = list(OPEN_STAGES)
_power_ended = _check(gate_power_to_accommodate_ended)

CHILD_TRANSITIONS: list[dict] = [
    {"trigger": "start_cp_plan", "source": ["early_help", *_HOME], "dest": "child_protection",
     "after": [_set_cp_plan(True)]},
    # Child protection (issue 11): the strategy discussion starts the section 47 enquiry; the
    # initial conference's plan starts the child protection stage as start_cp_plan does (or, for a
    # child already further on, a plan alongside their stage).
    {"trigger": "strategy_discussion", "source": _OPEN, "dest": None, "after": [_strategy_discussion]},
    {"trigger": "initial_cp_conference", "source": ["early_help", *_HOME], "dest": "child_protection",
     "conditions": [_check(gate_conference_outcome), _plan_outcome("plan")], "after": [_conference_held]},
    {"trigger": "initial_cp_conference", "source": _OPEN, "dest": None,
     "conditions": [_check(gate_conference_outcome)], "after": [_conference_held]},
    {"trigger": "cp_review_conference", "source": _OPEN, "dest": None,
     "conditions": [_check(gate_cp_plan_to_review)], "after": [_cp_reviewed]},
    {"trigger": "extend_epo", "source": "emergency_protection", "dest": None,
     "conditions": [_check(gate_epo_extension)], "after": [_extend_epo]},
    {"trigger": "interim_order", "source": "proceedings", "dest": None,
     "conditions": [_check(gate_interim_order)], "after": [_interim_order]},
    {"trigger": "end_cp_plan", "source": "child_protection", "dest": "early_help",
     "conditions": [_check(gate_cp_plan_to_end)], "after": [_set_cp_plan(False)]},
    {"trigger": "end_cp_plan",
     "source": ["pre_proceedings", "section_20", "emergency_protection", "proceedings"], "dest": None,
     "conditions": [_check(gate_cp_plan_to_end)], "after": [_set_cp_plan(False)]},
    {"trigger": "send_letter_before_proceedings", "source": ["early_help", "child_protection", *_HOME],
     "dest": "pre_proceedings"},
    {"trigger": "send_letter_before_proceedings",
     "source": ["pre_proceedings", "section_20", "emergency_protection"], "dest": None},
    {"trigger": "accommodate_s20", "source": [*_BEFORE_CARE, "emergency_protection"], "dest": "section_20",
     "conditions": [_check(gate_consent, gate_no_standing_objection, gate_fgc_before_care)],
     "after": [_enter_care, _accommodated]},
    {"trigger": "emergency_protection", "source": [*_BEFORE_CARE, "section_20"],
     "dest": "emergency_protection", "conditions": [_check(gate_emergency_type)],
     "after": [_record_emergency, _enter_care]},
    {"trigger": "emergency_protection", "source": "emergency_protection", "dest": None,
     "conditions": [_check(gate_emergency_type)], "after": [_record_emergency]},
    {"trigger": "issue_proceedings", "source": [*_BEFORE_CARE, "section_20", "emergency_protection"],
     "dest": "proceedings",
     "conditions": [_check(gate_proceedings_ref, gate_fgc_before_care, gate_fgdm_offered_to_everyone_with_pr,
                           gate_accepted_fgc_held, gate_letter_before_proceedings)],
     "after": [_join_proceedings, _enter_care]},
    *[
        {"trigger": "final_order", "source": "proceedings", "dest": stage,
         "conditions": [_check(gate_final_order), _leads_to(stage)], "after": [_record_order]}
        for stage in dict.fromkeys(ORDER_STAGE.values())
    ],
    {"trigger": "return_home", "source": "section_20", "dest": "reunification",
     "conditions": [_power_ended], "after": [_returned_home]},
    {"trigger": "return_home", "source": [s for s in LOOKED_AFTER if s != "section_20"], "dest": "reunification",
     "after": [_returned_home]},
    {"trigger": "reunification_review", "source": "reunification", "dest": None,
     "conditions": [_check(gate_reunification_outcome)]},
    {"trigger": "close_case", "source": list(OPEN_STAGES), "dest": "closed",
     "conditions": [_check(gate_close, gate_power_to_accommodate_ended)], "after": [_closed]},
    # The family network: recorded at any open stage; the stage does not change.
    {"trigger": "relate_person", "source": _OPEN, "dest": None,
     "conditions": [_check(gate_relationship)], "after": [_relate]},
    {"trigger": "object_to_accommodation", "source": _OPEN, "dest": None,
     "conditions": [_check(gate_objector_has_pr)], "after": [_object]},
    {"trigger": "withdraw_objection", "source": _OPEN, "dest": None,
     "conditions": [_check(gate_objection_to_withdraw)], "after": [_withdraw_objection]},
    # The child leaves accommodation by agreement that day, to the care of a person with parental
    # responsibility: a return home not part of the care plan (SSDA903 E4B), followed up like any
    # return home (the six-month reunification review) while proceedings can still be issued.
    {"trigger": "remove_from_accommodation", "source": "section_20", "dest": "reunification",
     "conditions": [_check(gate_objector_has_pr)], "after": [_removed]},
]  # fmt: skip

# Children in Need census module 5 (issue 16): a pre-proceedings decision to step down takes each
# child still at the pre-proceedings stage back to child protection if on a plan, else to early
# help (a child in need); a decision to issue leaves the stage until proceedings are issued.
def _on_cp_plan(event_data) -> bool:
    return event_data.model.on_cp_plan


CHILD_TRANSITIONS.extend([
    {"trigger": "pre_proceedings_decision", "source": "pre_proceedings", "dest": "child_protection",
     "conditions": [_plan_outcome("step_down"), _on_cp_plan]},
    {"trigger": "pre_proceedings_decision", "source": "pre_proceedings", "dest": "early_help",
     "conditions": [_plan_outcome("step_down")], "unless": [_on_cp_plan]},
])  # fmt: skip

CHILD_MACHINE = Machine(
    model=None,
    states=[{"name": s.name, "on_enter": [_stage_since]} for s in STAGES],
    transitions=CHILD_TRANSITIONS,
    initial=None,
    auto_transitions=False,
    send_event=True,
    model_attribute="stage",
)


def _fgc_dates(attribute: str):
    def effect(event_data) -> None:
        setattr(event_data.model, attribute, event_data.kwargs["event"].date)

    return effect


# FGC service (issue 13): the gates and effects of the conference's own steps.


def gate_fgc_referral(ev, family, fgc, ctx):
    """G8: a referral to the FGC service says what the concerns are, for the coordinator."""
    if not (ev.reason or "").strip():
        return Problem("reason", msg("Enter the concerns that led to the referral: the coordinator needs them "
                                     "to prepare the conference with the family."))
    return None


def gate_fgc_coordinator(ev, family, fgc, ctx):
    """G8c: a coordinator is allocated by naming a user with the FGC coordinator role in the
    authority (by their email address)."""
    if not (ev.coordinator or "").strip():
        return Problem("coordinator", msg("Choose the FGC coordinator to allocate."))
    if fgc.coordinator == ev.coordinator:
        return Problem("coordinator", msg("%(coordinator)s is already the coordinator of this conference.",
                                          coordinator=ev.coordinator))
    return None


def gate_fgc_attendance(ev, family, fgc, ctx):
    """G8a: the people invited to a conference and those who came are in the family network on
    the day, everyone who came was invited, and private family time is yes or no."""
    problems = []
    for column, refs in (("invited", ev.invited or ()), ("attended", ev.attended or ())):
        unknown = [r for r in refs if r not in family.people or family.people[r].added_on > ev.date]
        if len(unknown) == 1:
            problems.append(Problem(column, msg(
                "%(people)s is not in family %(family)s's network on %(date)s. Add each person to the family "
                "network first.", people=unknown[0], family=family.ref, date=ev.date)))
        elif unknown:
            problems.append(Problem(column, msg(
                "%(people)s are not in family %(family)s's network on %(date)s. Add each person to the family "
                "network first.", people=", ".join(unknown), family=family.ref, date=ev.date)))
    uninvited = [r for r in ev.attended or () if ev.invited and r not in ev.invited]
    if len(uninvited) == 1:
        problems.append(Problem("attended", msg(
            "%(people)s came to the conference but is not among the people invited. Add them to the people "
            "invited.", people=uninvited[0])))
    elif uninvited:
        problems.append(Problem("attended", msg(
            "%(people)s came to the conference but are not among the people invited. Add them to the people "
            "invited.", people=", ".join(uninvited))))
    if ev.attended and not ev.invited:
        problems.append(Problem("invited", msg("Say who was invited as well as who came.")))
    if ev.private_family_time not in (None, *codes.YES_NO):
        problems.append(Problem("private_family_time", msg("Say whether private family time was held: yes or no.")))
    return problems


def gate_fgc_plan_decision(ev, family, fgc, ctx):
    """G8p: the authority's decision on the family's plan is accepted or not accepted, and a plan
    not accepted says why (the plan leaves the child unsafe)."""
    if ev.outcome not in codes.FGC_PLAN_OUTCOMES:
        return Problem("outcome", msg("Choose whether the authority accepts the family's plan: %(first)s or "
                                      "%(second)s.", first=list(codes.FGC_PLAN_OUTCOMES)[0],
                                      second=list(codes.FGC_PLAN_OUTCOMES)[1]))
    if ev.outcome == "not_accepted" and not (ev.reason or "").strip():
        return Problem("reason", msg("Say why the family's plan is not accepted: what leaves the child unsafe."))
    if ev.outcome == "accepted" and ev.reason:
        return Problem("reason", msg("A reason is given only when the plan is not accepted; leave it blank."))
    return None


def gate_fgc_close_reason(ev, family, fgc, ctx):
    """G8x: a conference is closed with a reason: the family withdrew, the child's circumstances
    changed, or other."""
    if ev.reason not in codes.FGC_CLOSE_REASONS:
        return Problem("reason", msg("Choose why the conference is closing: %(reasons)s.",
                                     reasons=", ".join(codes.FGC_CLOSE_REASONS)))
    return None


def _fgc_referred(event_data) -> None:
    fgc, ev = event_data.model, event_data.kwargs["event"]
    fgc.referred_on, fgc.concerns = ev.date, ev.reason.strip()


def _fgc_coordinator(event_data) -> None:
    fgc, ev = event_data.model, event_data.kwargs["event"]
    fgc.coordinator, fgc.coordinator_allocated_on = ev.coordinator.strip(), ev.date


def _fgc_held(event_data) -> None:
    fgc, ev = event_data.model, event_data.kwargs["event"]
    fgc.held_on = ev.date
    fgc.invited, fgc.attended = tuple(sorted(set(ev.invited or ()))), tuple(sorted(set(ev.attended or ())))
    fgc.private_family_time = None if ev.private_family_time is None else ev.private_family_time == "yes"


def _fgc_plan(event_data) -> None:
    fgc, ev = event_data.model, event_data.kwargs["event"]
    fgc.plan_decided_on, fgc.plan_outcome, fgc.plan_reason = ev.date, ev.outcome, ev.reason


def _fgc_closed(event_data) -> None:
    fgc, ev = event_data.model, event_data.kwargs["event"]
    fgc.closed_on, fgc.closed_reason = ev.date, ev.reason


FGC_MACHINE = Machine(
    model=None,
    states=["offered", "accepted", "declined", "held",
            # FGC service (issue 13).
            "referred", "coordinator_allocated", "plan_decided", "review_held", "closed"],
    transitions=[
        {"trigger": "fgc_accepted", "source": "offered", "dest": "accepted", "after": [_fgc_dates("accepted_on")]},
        # FGC service (issue 13): held straight after the offer or acceptance, as in files from
        # before the service, or after the referral (with or without a coordinator).
        {"trigger": "hold_fgc", "source": ["offered", "accepted", "referred", "coordinator_allocated"], "dest": "held",
         "conditions": [_check(gate_fgc_attendance)], "after": [_fgc_held]},
        {"trigger": "fgc_declined", "source": list(FGC_BEFORE_MEETING), "dest": "declined",
         "after": [_fgc_dates("declined_on")]},
        # FGC service (issue 13).
        {"trigger": "refer_fgc", "source": "accepted", "dest": "referred",
         "conditions": [_check(gate_fgc_referral)], "after": [_fgc_referred]},
        {"trigger": "allocate_fgc_coordinator", "source": "referred", "dest": "coordinator_allocated",
         "conditions": [_check(gate_fgc_coordinator)], "after": [_fgc_coordinator]},
        {"trigger": "allocate_fgc_coordinator", "source": "coordinator_allocated", "dest": None,
         "conditions": [_check(gate_fgc_coordinator)], "after": [_fgc_coordinator]},
        {"trigger": "decide_fgc_plan", "source": "held", "dest": "plan_decided",
         "conditions": [_check(gate_fgc_plan_decision)], "after": [_fgc_plan]},
        {"trigger": "review_fgc", "source": "plan_decided", "dest": "review_held",
         "after": [_fgc_dates("reviewed_on")]},
        {"trigger": "close_fgc", "source": [*FGC_BEFORE_MEETING, "held", "plan_decided"], "dest": "closed",
         "conditions": [_check(gate_fgc_close_reason)], "after": [_fgc_closed]},
    ],
    initial=None,
    auto_transitions=False,
    send_event=True,
    model_attribute="status",
)  # fmt: skip


def _check_extension(event_data) -> bool:
    problems = gate_extension(
        event_data.kwargs["event"], event_data.kwargs["family"], event_data.model, event_data.kwargs["ctx"]
    )
    if problems:
        raise Refused(problems)
    return True


_check_extension.gates = (gate_extension,)  # read by pathway_rules()


def _add_extension(event_data) -> None:
    ev = event_data.kwargs["event"]
    event_data.model.extensions.append(ExtensionCase(ev.date, ev.weeks, ev.reason, ev.child_ref))


def _check_fdac(event_data) -> bool:
    proceedings: ProceedingsCase = event_data.model
    ev: PathwayEvent = event_data.kwargs["event"]
    if proceedings.fdac:
        raise Refused(Problem("proceedings_ref", msg(
            "Proceedings %(proceedings)s are already recorded as heard in a Family Drug and Alcohol Court.",
            proceedings=proceedings.ref)))
    if ev.date < proceedings.issued_on:
        raise Refused(Problem("date", msg(
            "Proceedings %(proceedings)s were issued on %(issued)s: this date is before that.",
            proceedings=proceedings.ref, issued=proceedings.issued_on)))
    return True


def _heard_in_fdac(event_data) -> None:
    event_data.model.fdac = True


def _concluded(event_data) -> None:
    event_data.model.concluded_on = event_data.kwargs["on"]


PROCEEDINGS_MACHINE = Machine(
    model=None,
    states=["open", "concluded"],
    transitions=[
        {"trigger": "extend_timetable", "source": "open", "dest": None,
         "conditions": [_check_extension], "after": [_add_extension]},
        {"trigger": "conclude", "source": "open", "dest": "concluded", "after": [_concluded]},
        {"trigger": "heard_in_fdac", "source": "open", "dest": None, "conditions": [_check_fdac],
         "after": [_heard_in_fdac]},
    ],
    initial=None,
    auto_transitions=False,
    send_event=True,
    model_attribute="status",
)  # fmt: skip


_TRIGGERS_FROM = {s.name: frozenset(CHILD_MACHINE.get_triggers(s.name)) for s in STAGES}


# Steps recorded on the family network page rather than as a step of a child's pathway: they
# change no stage and may be recorded at any open stage.
NETWORK_EVENTS = (
    "add_person", "relate_person", "object_to_accommodation", "withdraw_objection", "carer_assessment",
    "post_removal_support",
)  # fmt: skip


def steps_allowed(stage: str) -> list[str]:
    """The child-level pathway steps the machine allows from a stage (gates not yet checked)."""
    return [e.name for e in EVENT_SPECS
            if e.level == "child" and e.name in _TRIGGERS_FROM[stage] and e.name not in NETWORK_EVENTS]


def network_steps_allowed(stage: str) -> list[str]:
    """The family network steps the machine allows for a child at a stage."""
    return [name for name in NETWORK_EVENTS if name in _TRIGGERS_FROM[stage]]


# --------------------------------------------------------------------------------------------
# Applying a step
# --------------------------------------------------------------------------------------------


def apply(family: FamilyCase | None, ev: PathwayEvent, ctx: Context, la_code: str = "", nation: str = "") -> FamilyCase:
    """Apply one step to a family's state (changing it in place) and return the family.

    `family` is None only for the `open_case` that opens a new family; then `la_code` and
    `nation` say where. Raises Refused, having changed nothing, when a gate or the stage says no.
    """
    if ev.event not in EVENT:
        raise Refused(Problem("event", msg("'%(event)s' is not a step Pathway knows.", event=ev.event)))
    if ev.date > ctx.today:
        raise Refused(Problem("date", msg(
            "The date %(date)s is in the future. Record a step on or after the day it happens.", date=ev.date
        )))
    if ev.event == "open_case":
        return _note_journeys(_open_case(family, ev, ctx, la_code, nation), ev)
    if family is None:
        raise Refused(Problem("family_ref", msg(
            "Family %(family)s has no open case. Open a child's case first.", family=ev.family_ref
        )))
    # The date against the record the step refers to comes before the stage: a step dated
    # before its case, offer or proceedings is a mistaken date, not a step at the wrong stage.
    if problem := date_problem(family, ev):
        raise Refused(problem)
    level = EVENT[ev.event].level
    if level == "child":
        _apply_to_child(family, ev, ctx)
    elif level == "proceedings":
        _apply_to_proceedings(family, ev, ctx)
    elif ev.event == "send_letter_before_proceedings":
        _apply_letter(family, ev, ctx)
    elif ev.event in _NETWORK_STEPS:
        _NETWORK_STEPS[ev.event](family, ev, ctx)
    elif ev.event in _PRE_PROCEEDINGS_STEPS:
        _PRE_PROCEEDINGS_STEPS[ev.event](family, ev, ctx)
    else:
        _apply_fgc(family, ev, ctx)
    return _note_journeys(family, ev)


def _note_journeys(family: FamilyCase, ev: PathwayEvent) -> FamilyCase:
    """Note the step for its child, and add each child's stage to its journey when it has changed."""
    if ev.child_ref in family.children and EVENT[ev.event].level in ("child", "proceedings"):
        family.children[ev.child_ref].steps.append((ev.event, ev.date, ev.reason))
    for child in family.children.values():
        here = (child.stage, child.stage_since)
        if not child.journey or child.journey[-1] != here:
            child.journey.append(here)
    return family


def _open_case(family, ev, ctx, la_code, nation) -> FamilyCase:
    problems = []
    if not ev.child_ref:
        problems.append(Problem("child_ref", msg("Enter the child's reference.")))
    elif (family and ev.child_ref in family.children) or ctx.child_ref_owner(ev.child_ref) not in (
        None, ev.family_ref  # the family's own replayed history holds its own children
    ):
        problems.append(Problem("child_ref", msg(
            "A case for child %(child)s is already open in this authority. "
            "Each child's case is opened once; check the reference.", child=ev.child_ref,
        )))
    if ev.dob is None:
        problems.append(Problem("dob", msg("Enter the child's date of birth (or expected date of birth).")))
    elif ev.dob > ev.date + timedelta(days=280):
        problems.append(Problem("dob", msg(
            "The date of birth is more than 40 weeks after the case was opened. "
            "For an unborn baby enter the expected date of birth.",
        )))
    if ev.sex not in codes.SEXES:
        problems.append(Problem("sex", msg("Choose the child's sex: M or F.")))
    if ev.ethnicity not in codes.ETHNICITIES:
        problems.append(Problem("ethnicity", msg("Choose the child's ethnicity from the SSDA903 codes.")))
    if problems:
        raise Refused(problems)
    if family is None:
        family = FamilyCase(la_code, nation, ev.family_ref, ev.date)
    family.children[ev.child_ref] = ChildCase(ev.child_ref, ev.dob, ev.sex, ev.ethnicity, ev.date)
    return family


def _child_of(family: FamilyCase, ev: PathwayEvent) -> ChildCase:
    if not ev.child_ref:
        raise Refused(Problem("child_ref", msg("Say which child '%(step)s' is for.",
                                               step=label(EVENT[ev.event].label))))
    child = family.children.get(ev.child_ref)
    if child is None:
        raise Refused(Problem("child_ref", msg(
            "Child %(child)s has no open case in family %(family)s. Open the child's case first.",
            child=ev.child_ref, family=family.ref,
        )))
    return child  # a date before the child's case opened: see date_problem


def _wrong_stage(ev: PathwayEvent, child: ChildCase, nation: str) -> Refused:
    stage = STAGE[child.stage].label_for(nation)
    if child.stage == "closed":
        return Refused(Problem("event", msg("Child %(child)s's case was closed on %(closed)s.",
                                            child=child.ref, closed=child.closed_on)))
    allowed = [event_label(t, nation) for t in steps_allowed(child.stage)]
    step = label(event_label(ev.event, nation))
    if allowed:
        return Refused(Problem("event", msg(
            "'%(step)s' cannot be recorded for child %(child)s, who is at the stage '%(stage)s'. At this stage "
            "you can record: %(allowed)s.", step=step, child=child.ref, stage=label(stage), allowed=listing(allowed),
        )))
    return Refused(Problem("event", msg(
        "'%(step)s' cannot be recorded for child %(child)s, who is at the stage '%(stage)s'.",
        step=step, child=child.ref, stage=label(stage),
    )))


def _apply_to_child(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    child = _child_of(family, ev)
    if ev.event not in _TRIGGERS_FROM[child.stage]:
        raise _wrong_stage(ev, child, family.nation)
    # Gates run as conditions, before anything changes: a refusal leaves the family untouched.
    CHILD_MACHINE.events[ev.event].trigger(child, event=ev, family=family, ctx=ctx)
    _follow_legal_status(child, ev.date)
    if ev.event in ("issue_proceedings", "close_case"):
        _pre_proceedings_follow_child(family, child, ev)


def is_looked_after(child: ChildCase) -> bool:
    """Looked after today: accommodated (section 20/76), under emergency protection, under a care
    or placement order, or in proceedings under an interim care order. A child already looked
    after when proceedings are issued stays so (still accommodated) unless an interim
    supervision order sends them home."""
    if STAGE[child.stage].looked_after:
        return True
    if child.stage == "proceedings":
        if child.interim_order is not None:
            return child.interim_order == "interim_care_order"
        return child.looked_after_since is not None
    return False


def _follow_legal_status(child: ChildCase, day: date) -> None:
    """One looked-after period runs across changes of legal status without restarting."""
    if child.stage != "proceedings":
        child.interim_order = None
    if child.stage != "emergency_protection":
        child.emergency_type = child.emergency_ends_on = None
        child.epo_extended = False
    if is_looked_after(child):
        if child.looked_after_since is None:
            child.looked_after_since = day
    else:
        child.looked_after_since = None


def _apply_letter(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    ready = [c for c in family.open_children() if ev.event in _TRIGGERS_FROM[c.stage]]
    if not ready:
        raise Refused(Problem("event", msg(
            "No child in this family is at a stage where a letter before proceedings can be sent.",
        )))
    offered_to = _offered_to(family, ev) if ev.offered_to else ()
    for child in ready:
        CHILD_MACHINE.events[ev.event].trigger(child, event=ev, family=family, ctx=ctx)
    family.letters.append(ev.date)
    _pre_proceedings_letter(family, ev, ready)
    if offered_to:
        # In England the FGDM offer is made in the letter (s.31ZA(6)): the letter carries it to
        # the people named, as a new offer or as part of the offer still open.
        family.letter_offers[ev.date] = offered_to
        latest = family.latest_fgc()
        if latest and latest.is_open:
            latest.offered_to = tuple(sorted({*latest.offered_to, *offered_to}))
        else:
            family.fgcs.append(FgcCase(ev.date, offered_to=offered_to, in_letter=True))


def _offered_to(family: FamilyCase, ev: PathwayEvent) -> tuple[str, ...]:
    """The people an offer names, each in the family's network; blank: every person with
    parental responsibility for an open child of the family on that day."""
    if not ev.offered_to:
        return tuple(sorted({ref for c in family.open_children() for ref in c.pr_holders()}))
    unknown = [ref for ref in ev.offered_to if ref not in family.people or family.people[ref].added_on > ev.date]
    if len(unknown) == 1:
        raise Refused(Problem("offered_to", msg(
            "%(people)s is not in family %(family)s's network on %(date)s. Add each person to the family "
            "network before recording an offer to them.", people=unknown[0], family=family.ref, date=ev.date,
        )))
    if unknown:
        raise Refused(Problem("offered_to", msg(
            "%(people)s are not in family %(family)s's network on %(date)s. Add each person to the family "
            "network before recording an offer to them.", people=", ".join(unknown), family=family.ref, date=ev.date,
        )))
    return tuple(sorted(set(ev.offered_to)))


def _add_person(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    problems = []
    ref = ev.person_ref
    if not ref:
        problems.append(Problem("person_ref", msg("Enter the person's reference.")))
    elif ref in family.people:
        problems.append(Problem("person_ref", msg(
            "%(person)s is already in family %(family)s's network (added %(added)s). "
            "To change how they relate to a child, record the relationship again.",
            person=ref, family=family.ref, added=family.people[ref].added_on,
        )))
    elif ref in family.children:
        problems.append(Problem("person_ref", msg(
            "'%(person)s' cannot be a person's reference: it is a child's reference in this family.", person=ref)))
    elif ref in codes.CONSENT_BY:
        problems.append(Problem("person_ref", msg(
            "'%(person)s' cannot be a person's reference: it is a word the event file reserves.", person=ref)))
    if ev.dob is not None and ev.dob > ev.date:
        problems.append(Problem("dob", msg("A person's date of birth cannot be after the day they are added.")))
    if ev.sex is not None and ev.sex not in codes.SEXES:
        problems.append(Problem("sex", msg("Choose the person's sex: M or F, or leave it blank if not known.")))
    if ev.ethnicity is not None and ev.ethnicity not in codes.ETHNICITIES:
        problems.append(Problem("ethnicity", msg(
            "Choose the person's ethnicity from the SSDA903 codes, or leave it blank.")))
    unknown = [c for c in ev.characteristics or () if c not in codes.CHARACTERISTICS]
    if len(unknown) == 1:
        problems.append(Problem("characteristics", msg(
            "%(unknown)s is not a characteristic Pathway records; use %(known)s.",
            unknown=unknown[0], known=", ".join(codes.CHARACTERISTICS))))
    elif unknown:
        problems.append(Problem("characteristics", msg(
            "%(unknown)s are not a characteristic Pathway records; use %(known)s.",
            unknown=", ".join(unknown), known=", ".join(codes.CHARACTERISTICS))))
    if problems:
        raise Refused(problems)
    family.people[ref] = PersonCase(
        ref, ev.date, ev.dob, ev.sex, ev.ethnicity, tuple(sorted(set(ev.characteristics or ())))
    )


def _carer_assessment(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    problems = [p for p in [_person_in_family(ev, family)] if p]
    if ev.outcome not in codes.CARER_ASSESSMENT_OUTCOMES:
        problems.append(Problem("outcome", msg(
            "Choose the assessment's outcome: %(outcomes)s.", outcomes=", ".join(codes.CARER_ASSESSMENT_OUTCOMES)
        )))
    if problems:
        raise Refused(problems)
    family.assessments.append(NetworkRecord(ev.date, ev.person_ref, ev.outcome))


def _post_removal_support(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    problems = [p for p in [_person_in_family(ev, family)] if p]
    if not problems and ev.person_ref not in family.parents():
        problems.append(Problem("person_ref", msg(
            "%(person)s is not recorded as the mother or father of a child in family %(family)s. "
            "Post-removal support is for parents.", person=ev.person_ref, family=family.ref,
        )))
    if ev.outcome not in codes.POST_REMOVAL_SUPPORT_OUTCOMES:
        problems.append(Problem("outcome", msg(
            "Choose what happened: %(outcomes)s.", outcomes=", ".join(codes.POST_REMOVAL_SUPPORT_OUTCOMES)
        )))
    if problems:
        raise Refused(problems)
    family.post_removal_support.append(NetworkRecord(ev.date, ev.person_ref, ev.outcome))


_NETWORK_STEPS = {
    "add_person": _add_person,
    "carer_assessment": _carer_assessment,
    "post_removal_support": _post_removal_support,
}


def _apply_fgc(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    if not family.open_children():
        raise Refused(Problem("event", msg("Every child's case in family %(family)s is closed.", family=family.ref)))
    latest = family.latest_fgc()
    if ev.event == "offer_fgc":
        if latest and latest.is_open:
            raise Refused(Problem("event", msg(
                "A family group conference offered on %(offered)s is still open. "
                "Record it as held or declined before offering another.", offered=latest.offered_on,
            ) if latest.referred_on is None else msg(
                "A family group conference offered on %(offered)s is still open. "
                "A conference referred to the FGC service is finished when it is reviewed, declined or "
                "closed: record that before offering another.", offered=latest.offered_on,
            )))
        family.fgcs.append(FgcCase(ev.date, offered_to=_offered_to(family, ev)))
        return
    if latest is None:
        raise Refused(Problem("event", msg("No family group conference has been offered to this family. "
                                           "Record the offer first.")))
    if ev.date < latest.offered_on:
        raise Refused(Problem("date", msg(
            "The latest family group conference was offered on %(offered)s, after %(date)s. Check the date: "
            "it cannot have been %(outcome)s before it was offered.",
            offered=latest.offered_on, date=ev.date, outcome=label(_FGC_OUTCOME[ev.event]))))
    if ev.date < latest.last_step_on and ev.event in FGC_MACHINE.get_triggers(latest.status):
        raise Refused(Problem("date", msg(
            "The family group conference's last step was recorded on %(last)s, after %(date)s. Its steps run "
            "in order: check the date.", last=latest.last_step_on, date=ev.date)))
    try:
        FGC_MACHINE.events[ev.event].trigger(latest, event=ev, family=family, ctx=ctx)
    except MachineError:
        raise Refused(Problem("event", _fgc_out_of_order(latest, ev.event))) from None


# FGC service (issue 13): why a conference step cannot be taken from where the conference stands.
_FGC_NEEDS = {
    "fgc_accepted": N_("Only an offer not yet answered can be accepted."),
    "fgc_declined": N_("The family can decline only before the conference is held."),
    "hold_fgc": N_("A conference can be held only after it is offered, accepted or referred, and once."),
    "refer_fgc": N_("Record that the family accepted the offer before referring them to the FGC service."),
    "allocate_fgc_coordinator": N_("Refer the family to the FGC service before allocating a coordinator."),
    "decide_fgc_plan": N_("Record the conference as held before deciding on the family's plan."),
    "review_fgc": N_("A review can be held only after the authority has decided on the family's plan."),
    "close_fgc": N_("Only a conference still in progress can be closed."),
}
_FGC_STATUS_WORDS = {
    "offered": N_("offered"), "accepted": N_("accepted"), "declined": N_("declined"), "held": N_("held"),
    "referred": N_("referred to the FGC service"), "coordinator_allocated": N_("with a coordinator allocated"),
    "plan_decided": N_("at the point where the plan has been decided"), "review_held": N_("reviewed"),
    "closed": N_("closed"),
}


def _fgc_out_of_order(latest: FgcCase, event: str) -> Message:
    status = label(_FGC_STATUS_WORDS.get(latest.status, latest.status))
    parts = [msg("The family group conference offered on %(offered)s is already %(status)s.",
                 offered=latest.offered_on, status=status)]
    if event in _FGC_NEEDS:
        parts.append(label(_FGC_NEEDS[event]))
    if not latest.is_open:
        parts.append(msg("Offer a new one first."))
    return sentences(parts)


def _apply_to_proceedings(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    proceedings = family.proceedings.get(ev.proceedings_ref or "")
    if proceedings is None:
        raise Refused(Problem("proceedings_ref", msg(
            "Family %(family)s has no proceedings %(proceedings)s. Check the court's case number.",
            family=family.ref, proceedings=ev.proceedings_ref,
        ) if ev.proceedings_ref else msg("Enter the court's case number for these proceedings.")))
    try:
        PROCEEDINGS_MACHINE.events[ev.event].trigger(proceedings, event=ev, family=family, ctx=ctx)
    except MachineError:
        raise Refused(Problem("proceedings_ref", msg(
            "Proceedings %(proceedings)s concluded on %(concluded)s. An extension can only be granted while "
            "proceedings are open.", proceedings=proceedings.ref, concluded=proceedings.concluded_on,
        ) if ev.event == "extend_timetable" else msg(
            "Proceedings %(proceedings)s concluded on %(concluded)s. This can only be recorded while "
            "proceedings are open.", proceedings=proceedings.ref, concluded=proceedings.concluded_on,
        ))) from None


# --------------------------------------------------------------------------------------------
# Children in Need census module 5 (issue 16): pre-proceedings periods
# --------------------------------------------------------------------------------------------


@dataclass
class PreProceedingsPeriod:
    """One pre-proceedings period of a family, as the census's module 5 reads it.

    It starts with the legal planning meeting's decision (`decide_pre_proceedings`), or, in a
    history recorded before that step existed, with a letter before proceedings sent when no
    period was open (then `started_on` is None: the census names the missing decision). It ends
    with a decision to step down, or once every child of it is a party to proceedings or closed."""

    started_on: date | None
    children: tuple[str, ...]  # the open children the period was started for
    letter_on: date | None = None  # the first letter before proceedings in the period
    initial_meeting_on: date | None = None
    review_meetings: list[date] = field(default_factory=list)
    decided_on: date | None = None
    outcome: str | None = None  # codes.PRE_PROCEEDINGS_DECISIONS
    letter_to_issue_on: date | None = None
    court_applications: dict[str, date] = field(default_factory=dict)  # child -> day proceedings issued
    ended_on: date | None = None

    @property
    def opened_on(self) -> date:
        return self.started_on or self.letter_on

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


def open_pre_proceedings(family: FamilyCase) -> PreProceedingsPeriod | None:
    """The family's pre-proceedings period still running, if any."""
    latest = family.pre_proceedings[-1] if family.pre_proceedings else None
    return latest if latest is not None and latest.is_open else None


def gate_pre_proceedings_can_start(ev, family, child, ctx):
    """The decision to start pre-proceedings: for a family with a child at a stage where a letter
    before proceedings can be sent, while no pre-proceedings period is running, on or before the
    letter if the letter was recorded first."""
    if not [c for c in family.open_children() if "send_letter_before_proceedings" in _TRIGGERS_FROM[c.stage]]:
        return Problem("event", msg("No child in family %(family)s is at a stage where pre-proceedings can start.",
                                    family=family.ref))
    running = open_pre_proceedings(family)
    if running is None:
        return None
    if running.started_on is not None:
        return Problem("event", msg(
            "Pre-proceedings for family %(family)s already started on %(started)s. "
            "Record the pre-proceedings decision (issue or step down) before starting again.",
            family=family.ref, started=running.started_on,
        ))
    if ev.date > running.letter_on:
        return Problem("date", msg(
            "The letter before proceedings was sent on %(letter)s, before %(date)s. "
            "The decision to start pre-proceedings comes on or before the letter: check the date.",
            letter=running.letter_on, date=ev.date,
        ))
    return None


def gate_pre_proceedings_meeting(ev, family, child, ctx):
    """A pre-proceedings meeting: `initial` (once, after the letter before proceedings) or
    `review` (after the initial meeting), in a period started by the decision and not yet decided."""
    running = open_pre_proceedings(family)
    if running is None or running.started_on is None:
        return _no_pre_proceedings_decision(family)
    if running.decided_on is not None:
        return Problem("event", msg(
            "The pre-proceedings decision was made on %(decided)s: no further "
            "pre-proceedings meeting can be recorded in this period.", decided=running.decided_on,
        ))
    if ev.outcome not in codes.PRE_PROCEEDINGS_MEETING_OUTCOMES:
        return Problem("outcome", msg("Say which meeting this was: initial or review."))
    if ev.outcome == "initial":
        if running.initial_meeting_on is not None:
            return Problem("outcome", msg(
                "The initial pre-proceedings meeting was held on %(held)s. Record this one as a review.",
                held=running.initial_meeting_on))
        if running.letter_on is None:
            return Problem("event", msg(
                "No letter before proceedings has been sent since pre-proceedings started on "
                "%(started)s. The letter invites the parents to the meeting: send it first.",
                started=running.started_on,
            ))
    elif running.initial_meeting_on is None:
        return Problem("outcome", msg("No initial pre-proceedings meeting is recorded. Record the initial meeting "
                                      "before a review."))
    return None


def gate_pre_proceedings_decision(ev, family, child, ctx):
    """The pre-proceedings decision: `issue` (step up) or `step_down`, once per period, on or after
    the decision to start pre-proceedings."""
    running = open_pre_proceedings(family)
    if running is None or running.started_on is None:
        return _no_pre_proceedings_decision(family)
    if running.decided_on is not None:
        return Problem("event", msg("The pre-proceedings decision was already recorded on %(decided)s.",
                                    decided=running.decided_on))
    if ev.outcome not in codes.PRE_PROCEEDINGS_DECISIONS:
        return Problem("outcome", msg("Choose the decision: issue (step up to care proceedings) or step_down."))
    return None


def _no_pre_proceedings_decision(family: FamilyCase) -> Problem:
    return Problem("event", msg(
        "No decision to start pre-proceedings is recorded for family %(family)s. Record the "
        "legal planning meeting's decision to start pre-proceedings first.", family=family.ref,
    ))


def gate_letter_to_issue(ev, family, child, ctx):
    """The letter telling the parents proceedings will be issued: after a pre-proceedings decision
    to issue, once per period."""
    latest = family.pre_proceedings[-1] if family.pre_proceedings else None
    if latest is None or latest.outcome != "issue":
        return Problem("event", msg(
            "No pre-proceedings decision to issue proceedings is recorded for family %(family)s. "
            "Record the decision to issue first.", family=family.ref,
        ))
    if latest.letter_to_issue_on is not None:
        return Problem("event", msg("The letter to issue proceedings was already sent on %(sent)s.",
                                    sent=latest.letter_to_issue_on))
    return None


def _refuse_unless(gate, ev, family) -> None:
    problem = gate(ev, family, None, None)
    if problem:
        raise Refused(problem)


def _decide_pre_proceedings(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    _refuse_unless(gate_pre_proceedings_can_start, ev, family)
    running = open_pre_proceedings(family)
    if running is not None:  # a letter recorded before its decision: the decision joins its period
        running.started_on = ev.date
        return
    ready = [c.ref for c in family.open_children() if "send_letter_before_proceedings" in _TRIGGERS_FROM[c.stage]]
    family.pre_proceedings.append(PreProceedingsPeriod(ev.date, tuple(ready)))


def _pre_proceedings_meeting(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    _refuse_unless(gate_pre_proceedings_meeting, ev, family)
    running = open_pre_proceedings(family)
    if ev.outcome == "initial":
        running.initial_meeting_on = ev.date
    else:
        running.review_meetings.append(ev.date)


def _pre_proceedings_decision(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    _refuse_unless(gate_pre_proceedings_decision, ev, family)
    running = open_pre_proceedings(family)
    running.decided_on, running.outcome = ev.date, ev.outcome
    if ev.outcome == "step_down":
        running.ended_on = ev.date
        for child in family.open_children():
            if child.ref in running.children and ev.event in _TRIGGERS_FROM[child.stage]:
                CHILD_MACHINE.events[ev.event].trigger(child, event=ev, family=family, ctx=ctx)


def _send_letter_to_issue(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    _refuse_unless(gate_letter_to_issue, ev, family)
    family.pre_proceedings[-1].letter_to_issue_on = ev.date


_PRE_PROCEEDINGS_STEPS = {
    "decide_pre_proceedings": _decide_pre_proceedings,
    "pre_proceedings_meeting": _pre_proceedings_meeting,
    "pre_proceedings_decision": _pre_proceedings_decision,
    "send_letter_to_issue": _send_letter_to_issue,
}


def _pre_proceedings_letter(family: FamilyCase, ev: PathwayEvent, ready: list[ChildCase]) -> None:
    """A letter before proceedings joins the running period (the first letter counts), or, with
    none running, starts one whose decision is not recorded (old histories)."""
    running = open_pre_proceedings(family)
    if running is None:
        family.pre_proceedings.append(PreProceedingsPeriod(None, tuple(c.ref for c in ready), letter_on=ev.date))
    elif running.letter_on is None:
        running.letter_on = ev.date


def _pre_proceedings_follow_child(family: FamilyCase, child: ChildCase, ev: PathwayEvent) -> None:
    """A child of the running period issued (the court application) or closed; the period ends once
    every child of it is a party to proceedings or closed."""
    running = open_pre_proceedings(family)
    if running is None or child.ref not in running.children:
        return
    if ev.event == "issue_proceedings":
        running.court_applications.setdefault(child.ref, ev.date)
    if all(ref in running.court_applications or family.children[ref].stage == "closed" for ref in running.children):
        running.ended_on = ev.date


def replay(events: Iterable[PathwayEvent], la_code: str, nation: str, ctx: Context) -> FamilyCase | None:
    """A family's state as its history implies: every step applied in order from nothing."""
    family = None
    for ev in events:
        family = apply(family, ev, ctx, la_code, nation)
    return family


# --------------------------------------------------------------------------------------------
# A step's date against the record it refers to
# --------------------------------------------------------------------------------------------

_FGC_OUTCOME = {"fgc_accepted": N_("accepted"), "hold_fgc": N_("held"), "fgc_declined": N_("declined")}
# FGC service (issue 13).
_FGC_OUTCOME.update({"refer_fgc": N_("referred"), "allocate_fgc_coordinator": N_("given a coordinator"),
                     "decide_fgc_plan": N_("given a decision on its plan"), "review_fgc": N_("reviewed"),
                     "close_fgc": N_("closed")})


def date_problem(family: FamilyCase | None, ev: PathwayEvent) -> Problem | None:
    """The mistake in a step's date, judged against the record the step refers to in `family`:
    dated before the family's or the child's case was opened, an FGC outcome before any offer, an
    extension or a final order before the proceedings were issued, an extension after they
    concluded. None when the date fits.

    `apply` asks this before the stage. `services.record_steps` asks it again of a refused step
    against the state the rest of the history leaves, because a step dated too early is replayed
    before the record it refers to, where it would otherwise be refused for the wrong reason
    ("no open case", "no FGC offered", the wrong stage)."""
    if family is None or ev.event == "open_case":
        return None
    spec = EVENT[ev.event]
    child = family.children.get(ev.child_ref) if spec.level == "child" and ev.child_ref else None
    if child is not None and ev.date < child.opened_on:
        return Problem("date", msg("The date %(date)s is before child %(child)s's case was opened on "
                                   "%(opened)s. Check the date.", date=ev.date, child=child.ref,
                                   opened=child.opened_on))
    if ev.date < family.opened_on:
        return Problem("date", msg("The date %(date)s is before family %(family)s's first case was "
                                   "opened on %(opened)s. Check the date.", date=ev.date, family=family.ref,
                                   opened=family.opened_on))
    if ev.event in _FGC_OUTCOME and family.fgcs and family.fgc_offered_by(ev.date) is None:
        return Problem("date", msg("The family group conference was offered on %(offered)s, "
                                   "after %(date)s. Check the date: it cannot have been "
                                   "%(outcome)s before it was offered.", offered=family.fgcs[0].offered_on,
                                   date=ev.date, outcome=label(_FGC_OUTCOME[ev.event])))
    proceedings = family.proceedings.get(ev.proceedings_ref or "")
    if proceedings is None or ev.event not in ("extend_timetable", "final_order"):
        return None
    if ev.date < proceedings.issued_on:
        if ev.event == "extend_timetable":
            return Problem("date", msg(
                "An extension cannot be dated %(date)s: proceedings %(proceedings)s were issued on %(issued)s. "
                "Check the date.", date=ev.date, proceedings=proceedings.ref, issued=proceedings.issued_on))
        return Problem("date", msg(
            "A final order cannot be dated %(date)s: proceedings %(proceedings)s were issued on %(issued)s. "
            "Check the date.", date=ev.date, proceedings=proceedings.ref, issued=proceedings.issued_on))
    if ev.event == "extend_timetable" and proceedings.concluded_on and ev.date > proceedings.concluded_on:
        return Problem("date", msg("Proceedings %(proceedings)s concluded on %(concluded)s, "
                                   "before %(date)s. An extension can only be granted while proceedings "
                                   "are open: check the date.", proceedings=proceedings.ref,
                                   concluded=proceedings.concluded_on, date=ev.date))
    return None


# --------------------------------------------------------------------------------------------
# Which steps can be taken now (for pages that offer them)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    """Whether a step could be recorded today, as the gates answer it."""

    event: str
    possible: bool  # the pathway takes it once the form's details are filled in
    needs_exception: bool = False  # ... but only with an exception recorded
    reason: Message | None = None  # why not, or why an exception is needed: the gates' own words


def step_availability(family: FamilyCase, child_ref: str | None, event: str, ctx: Context,
                      proceedings_ref: str | None = None) -> Availability:
    """Dry-run one step, dated today, through `apply` on a copy of the family: the same stage
    check and gates the service asks, and nothing here to drift from them. The details the
    step's form asks for (consent, case number, order, weeks, reason ...) are left blank, so
    refusals about those fields mean "fill in the form", not "not possible"; a refusal about the
    exception means "possible with an exception"; any other refusal means "not yet possible"."""
    import copy

    probe = PathwayEvent(event=event, date=ctx.today, family_ref=family.ref, child_ref=child_ref,
                         proceedings_ref=proceedings_ref)
    try:
        apply(copy.deepcopy(family), probe, ctx, family.la_code, family.nation)
    except Refused as refused:
        left_blank = {f for f in FIELDS if getattr(probe, f) is None} - {"exception"}
        blocking = [p for p in refused.problems if p.field not in left_blank and p.field != "exception"]
        if blocking:
            return Availability(event, False, False, sentences(p.message for p in blocking))
        excusable = [p for p in refused.problems if p.field == "exception"]
        if excusable:
            return Availability(event, True, True, sentences(p.message for p in excusable))
    return Availability(event, True)


# --------------------------------------------------------------------------------------------
# Each child's journey: the stages a child actually passed through
# --------------------------------------------------------------------------------------------


def replay_with_journeys(events: Iterable[PathwayEvent], la_code: str, nation: str, ctx: Context
                         ) -> tuple[FamilyCase | None, dict[str, list[tuple[str, date]]]]:
    """`replay`, noting for each child every stage it entered, in order, with the day it did:
    {child_ref: [(stage, since), ...]} (a stage entered twice appears twice: `ChildCase.journey`)."""
    family = replay(events, la_code, nation, ctx)
    return family, ({ref: list(child.journey) for ref, child in family.children.items()} if family else {})


# --------------------------------------------------------------------------------------------
# The pathway described: every transition of the three machines with its gates, in words
# (for the "How the pathway works" page and diagram, which are drawn from this and nothing else)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GateWords:
    code: str  # "G1", ... as the README names them, or "" for a plain check of a field
    words: str


@dataclass(frozen=True)
class Rule:
    machine: str  # "child", "fgc" or "proceedings"
    step: str  # the step (an EVENT name, or "conclude")
    source: str  # the stage or status it is taken from
    dest: str | None  # where it leads; None: the stage or status stays as it is
    gates: tuple[GateWords, ...]


def gate_words(gate: Callable) -> GateWords:
    """A gate in words: the first sentence of its docstring ("G1: an FGC offered ...")."""
    return docstring_words(gate.__doc__ or gate.__name__)


def docstring_words(docstring: str) -> GateWords:
    """A gate's docstring as its code and words. The catalogue's extraction reads the gates'
    docstrings through this too (pathway/translations/extract.py), so the words shown are the
    words translated."""
    import re

    text = " ".join(docstring.split())
    coded = re.match(r"(G\d+[a-z]?)(?: \((.*?)\))?: (.*)", text)
    if coded is None:
        return GateWords("", text)
    code, where, rest = coded.groups()
    words = rest[0].upper() + rest[1:]
    if where:
        words = f"{words.rstrip('.')} ({where})."
    return GateWords(code, words)


MACHINES = (("child", CHILD_MACHINE), ("fgc", FGC_MACHINE), ("proceedings", PROCEEDINGS_MACHINE))


def pathway_rules() -> list[Rule]:
    """Every transition of the machines, in the order they are defined, each with its gates."""
    found = []
    for machine_name, machine in MACHINES:
        for name, event in machine.events.items():
            for source, transitions in event.transitions.items():
                for t in transitions:
                    gates = tuple(gate_words(g) for c in t.conditions for g in getattr(c.func, "gates", ()))
                    found.append(Rule(machine_name, name, source, t.dest, gates))
    # An offer starts a new conference record (`_apply_fgc`) when none is open: from no offer
    # yet, or from each status in which a conference is no longer open.
    new_offer = FgcCase(date.min)
    closed = [s for s in FGC_MACHINE.states if not FgcCase(date.min, status=s).is_open]
    for source in ["none", *closed]:
        found.append(Rule("fgc", "offer_fgc", source, new_offer.status, ()))
    return found
