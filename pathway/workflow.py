"""THE pathway: a child's stages, the steps between them and the gates that guard each step.

Everything that changes a case (forms, the CSV import, the CLI, demo data) goes through `apply`,
which fires one of three machines defined once, here, at import:

- CHILD_MACHINE: the child's stage (early help ... proceedings ... reunification, closed);
- FGC_MACHINE: one family group conference offer (offered, accepted, declined, held);
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
    Stage("early_help", "Early help"),
    Stage("child_protection", "Child protection plan", "Care and support protection plan"),
    Stage("pre_proceedings", "Pre-proceedings"),
    Stage("section_20", "Section 20 accommodation", "Section 76 accommodation", looked_after=True),
    Stage("emergency_protection", "Emergency protection", looked_after=True),
    Stage("proceedings", "Care proceedings"),
    Stage("care_order", "Looked after under a care order", looked_after=True),
    Stage("adoption", "Placement order: adoption plan", looked_after=True),
    Stage("kinship_care", "Special guardianship or child arrangements order"),
    Stage("supervision_order", "At home under a supervision order"),
    Stage("no_order", "Proceedings ended without an order"),
    Stage("reunification", "Returned home (reunification)"),
    Stage("closed", "Case closed"),
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
    EventSpec("open_case", "Open a child's case", "child", ("dob", "sex", "ethnicity")),
    EventSpec("start_cp_plan", "Start a child protection plan", "child"),
    EventSpec("end_cp_plan", "End the child protection plan", "child"),
    EventSpec("offer_fgc", "Offer a family group conference", "family", changes_stage=False),
    EventSpec("fgc_accepted", "Family accepted the FGC", "family", changes_stage=False),
    EventSpec("hold_fgc", "Family group conference held", "family", changes_stage=False),
    EventSpec("fgc_declined", "Family declined the FGC", "family", changes_stage=False),
    EventSpec("send_letter_before_proceedings", "Send the letter before proceedings", "family"),
    EventSpec("accommodate_s20", "Accommodate by agreement", "child", ("consent_by", "exception")),
    EventSpec("emergency_protection", "Emergency protection", "child", ("emergency_type",)),
    EventSpec("issue_proceedings", "Issue care proceedings", "child", ("proceedings_ref", "exception")),
    EventSpec(
        "extend_timetable",
        "Extend the 26-week timetable",
        "proceedings",
        ("proceedings_ref", "weeks", "reason"),
        changes_stage=False,
    ),
    EventSpec("final_order", "Record the final order", "child", ("proceedings_ref", "order_type")),
    EventSpec("return_home", "Child returns home", "child"),
    EventSpec("reunification_review", "Six-month reunification review", "child", ("reason",), False),
    EventSpec("close_case", "Close the case", "child", ("reason",)),
)
EVENT = {e.name: e for e in EVENT_SPECS}
EVENT_NAMES = tuple(EVENT)
FIELDS = (
    "dob", "sex", "ethnicity", "proceedings_ref", "weeks", "reason",
    "order_type", "consent_by", "emergency_type", "exception",
)  # fmt: skip


WELSH_EVENT_LABELS = {
    "start_cp_plan": "Start a care and support protection plan",
    "end_cp_plan": "End the care and support protection plan",
    "accommodate_s20": "Accommodate by agreement (section 76)",
}


def event_label(name: str, nation: str = "england") -> str:
    """A step's name in the terms of the authority's nation."""
    if nation == "wales" and name in WELSH_EVENT_LABELS:
        return WELSH_EVENT_LABELS[name]
    if name == "accommodate_s20":
        return "Accommodate by agreement (section 20)"
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

    def __post_init__(self):
        if self.stage_since is None:
            self.stage_since = self.opened_on

    @property
    def is_open(self) -> bool:
        return self.stage != "closed"


@dataclass
class FgcCase:
    offered_on: date
    status: str = "offered"  # offered | accepted | declined | held
    accepted_on: date | None = None
    declined_on: date | None = None
    held_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.status in ("offered", "accepted")


@dataclass
class Party:
    joined_on: date
    order_type: str | None = None
    order_on: date | None = None


@dataclass
class ExtensionCase:
    granted_on: date
    weeks: int
    reason: str

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

    @property
    def deadline(self) -> date:
        return timetable_deadline(self.issued_on, [(x.granted_on, x.weeks) for x in self.extensions])


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


@dataclass
class Context:
    """What a family's steps need to know of the world outside the family."""

    today: date
    # Which family (if any) already holds a child or proceedings reference in this authority.
    child_ref_owner: Callable[[str], str | None] = lambda ref: None
    proceedings_ref_owner: Callable[[str], str | None] = lambda ref: None


# --------------------------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    field: str  # the form field or import column it concerns ("date", "consent_by", ...)
    message: str


class Refused(Exception):
    """A step the pathway will not take, with every reason, each naming what to do instead."""

    def __init__(self, problems: Iterable[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(" ".join(p.message for p in self.problems))


def fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _child_name(child: ChildCase) -> str:
    return f"child {child.ref}"


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
    move = "accommodated" if ev.event == "accommodate_s20" else "made the subject of a care application"
    return Problem(
        "exception",
        f"No family group conference has been offered to this family on or before {fmt(ev.date)}. "
        f"Offer one before {_child_name(child)} is {move}. If the child could not wait, record "
        "the reason the family could not be offered one first as an exception.",
    )


def gate_accepted_fgc_held(ev, family, child, ctx):
    """G1e (England, Children Act 1989 s.31ZA): an accepted meeting is held before issue, unless an
    exception is recorded."""
    if family.nation != "england" or ev.exception:
        return None
    latest = family.latest_fgc()
    if latest is None or latest.status != "accepted":
        return None
    return Problem(
        "exception",
        f"The family accepted the family group conference offered on {fmt(latest.offered_on)}, "
        "but it has not been held. In England it must be held before proceedings are issued "
        "(Children Act 1989 section 31ZA). Record the conference as held, or, if holding it would "
        "not be in the child's best interests, record who decided that, when and why as an exception.",
    )


def gate_consent(ev, family, child, ctx):
    """G2: who consented to accommodation; the child only from their 16th birthday."""
    if ev.consent_by not in codes.CONSENT_BY:
        return Problem(
            "consent_by",
            "Record who agreed to the accommodation: the mother, the father, another person with "
            "parental responsibility, or the child if 16 or over.",
        )
    if ev.consent_by == "child" and age_on(child.dob, ev.date) < 16:
        return Problem(
            "consent_by",
            f"Child {child.ref} is under 16 on {fmt(ev.date)} and cannot consent "
            f"alone (they turn 16 on {fmt(birthday(child.dob, 16))}). Record the consent of a "
            "person with parental responsibility.",
        )
    return None


def gate_letter_before_proceedings(ev, family, child, ctx):
    """G3: a letter before proceedings on or before the day of issue, unless the child was under emergency
    protection in the 8 days before or an exception is recorded."""
    if family.letter_sent_by(ev.date) or _excused(ev, child):
        return None
    return Problem(
        "exception",
        f"No letter before proceedings has been sent to this family on or before {fmt(ev.date)}. "
        "Send the letter first, or, if proceedings had to be issued without one, record the reason "
        "as an exception.",
    )


def gate_proceedings_ref(ev, family, child, ctx):
    """The court's case number: new, or open proceedings of this family (siblings share them)."""
    if not ev.proceedings_ref:
        return Problem("proceedings_ref", "Enter the court's case number for these proceedings.")
    existing = family.proceedings.get(ev.proceedings_ref)
    if existing is None:
        owner = ctx.proceedings_ref_owner(ev.proceedings_ref)
        if owner is not None and owner != family.ref:
            return Problem(
                "proceedings_ref",
                f"Proceedings {ev.proceedings_ref} belong to another family in this authority. "
                "Check the case number.",
            )
        return None
    if existing.status == "concluded":
        return Problem(
            "proceedings_ref",
            f"Proceedings {ev.proceedings_ref} concluded on {fmt(existing.concluded_on)}. "
            "A new application needs a new case number.",
        )
    return None


def gate_emergency_type(ev, family, child, ctx):
    """The kind of emergency protection: police protection or an emergency protection order."""
    if ev.emergency_type not in codes.EMERGENCY_TYPES:
        return Problem(
            "emergency_type",
            "Choose the kind of emergency protection: police protection or an emergency protection order.",
        )
    return None


def gate_final_order(ev, family, child, ctx):
    """G5: a final order for a child party to the named proceedings, on or after issue."""
    if ev.order_type not in codes.ORDER_TYPES:
        return Problem("order_type", "Choose the final order the court made.")
    if not ev.proceedings_ref or ev.proceedings_ref != child.proceedings_ref:
        named = ev.proceedings_ref or "(none given)"
        current = (
            f" They are a party to proceedings {child.proceedings_ref}."
            if child.proceedings_ref else ""
        )
        return Problem(
            "proceedings_ref",
            f"Child {child.ref} is not a party to proceedings {named}.{current}",
        )
    return None  # a date before issue: see date_problem


def gate_reunification_outcome(ev, family, child, ctx):
    """The review's outcome: stable at home, or the return broke down."""
    if ev.reason not in codes.REUNIFICATION_OUTCOMES:
        return Problem("reason", "Record whether the child is stable at home or the return broke down.")
    return None


def gate_close(ev, family, child, ctx):
    """G7: a reason, and no open proceedings."""
    if child.stage == "proceedings" and child.proceedings_ref:
        return Problem(
            "event",
            f"Child {child.ref} is a party to proceedings {child.proceedings_ref}, "
            "which are still open. Record the final order before closing the case.",
        )
    if not (ev.reason or "").strip():
        return Problem("reason", "Give the reason the case is closing.")
    return None


def gate_cp_plan_to_end(ev, family, child, ctx):
    """Only a plan the child is on can end."""
    if not child.on_cp_plan:
        plan = "care and support protection plan" if family.nation == "wales" else "child protection plan"
        return Problem("event", f"Child {child.ref} is not on a {plan}, so there is no plan to end.")
    return None


def gate_extension(ev, family, proceedings, ctx):
    """G4: weeks 1 to 8, a listed reason, for proceedings open on that date."""
    problems = []  # a date before issue or after conclusion: see date_problem
    if not isinstance(ev.weeks, int) or not 1 <= ev.weeks <= 8:
        problems.append(Problem("weeks", "An extension is a whole number of weeks from 1 to 8."))
    if ev.reason not in codes.EXTENSION_REASONS:
        problems.append(Problem("reason", "Choose the reason the court gave for the extension."))
    return problems


def _check(*gates: Gate):
    """A transition condition that runs every gate and refuses with all their reasons."""

    def condition(event_data) -> bool:
        ev, family, ctx = (event_data.kwargs[k] for k in ("event", "family", "ctx"))
        problems = [p for g in gates if (p := g(ev, family, event_data.model, ctx))]
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


def _record_emergency(event_data) -> None:
    event_data.model.emergency_dates.append(event_data.kwargs["event"].date)


def _join_proceedings(event_data) -> None:
    child: ChildCase = event_data.model
    ev: PathwayEvent = event_data.kwargs["event"]
    family: FamilyCase = event_data.kwargs["family"]
    proceedings = family.proceedings.get(ev.proceedings_ref)
    if proceedings is None:
        proceedings = family.proceedings[ev.proceedings_ref] = ProceedingsCase(ev.proceedings_ref, ev.date)
    proceedings.parties[child.ref] = Party(ev.date)
    child.proceedings_ref = ev.proceedings_ref


def _record_order(event_data) -> None:
    child: ChildCase = event_data.model
    ev: PathwayEvent = event_data.kwargs["event"]
    proceedings = event_data.kwargs["family"].proceedings[child.proceedings_ref]
    party = proceedings.parties[child.ref]
    party.order_type, party.order_on = ev.order_type, ev.date
    child.proceedings_ref = None
    if all(p.order_type for p in proceedings.parties.values()):
        PROCEEDINGS_MACHINE.events["conclude"].trigger(proceedings, on=max(
            p.order_on for p in proceedings.parties.values()
        ))


def _set_cp_plan(value: bool):
    def effect(event_data) -> None:
        event_data.model.on_cp_plan = value

    return effect


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

CHILD_TRANSITIONS: list[dict] = [
    {"trigger": "start_cp_plan", "source": ["early_help", *_HOME], "dest": "child_protection",
     "after": [_set_cp_plan(True)]},
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
     "conditions": [_check(gate_consent, gate_fgc_before_care)], "after": [_enter_care]},
    {"trigger": "emergency_protection", "source": [*_BEFORE_CARE, "section_20"],
     "dest": "emergency_protection", "conditions": [_check(gate_emergency_type)],
     "after": [_record_emergency, _enter_care]},
    {"trigger": "emergency_protection", "source": "emergency_protection", "dest": None,
     "conditions": [_check(gate_emergency_type)], "after": [_record_emergency]},
    {"trigger": "issue_proceedings", "source": [*_BEFORE_CARE, "section_20", "emergency_protection"],
     "dest": "proceedings",
     "conditions": [_check(gate_proceedings_ref, gate_fgc_before_care, gate_accepted_fgc_held,
                           gate_letter_before_proceedings)],
     "after": [_join_proceedings, _enter_care]},
    *[
        {"trigger": "final_order", "source": "proceedings", "dest": stage,
         "conditions": [_check(gate_final_order), _leads_to(stage)], "after": [_record_order]}
        for stage in dict.fromkeys(ORDER_STAGE.values())
    ],
    {"trigger": "return_home", "source": list(LOOKED_AFTER), "dest": "reunification",
     "after": [_returned_home]},
    {"trigger": "reunification_review", "source": "reunification", "dest": None,
     "conditions": [_check(gate_reunification_outcome)]},
    {"trigger": "close_case", "source": list(OPEN_STAGES), "dest": "closed",
     "conditions": [_check(gate_close)], "after": [_closed]},
]  # fmt: skip

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


FGC_MACHINE = Machine(
    model=None,
    states=["offered", "accepted", "declined", "held"],
    transitions=[
        {"trigger": "fgc_accepted", "source": "offered", "dest": "accepted", "after": [_fgc_dates("accepted_on")]},
        {"trigger": "hold_fgc", "source": ["offered", "accepted"], "dest": "held", "after": [_fgc_dates("held_on")]},
        {"trigger": "fgc_declined", "source": ["offered", "accepted"], "dest": "declined",
         "after": [_fgc_dates("declined_on")]},
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
    event_data.model.extensions.append(ExtensionCase(ev.date, ev.weeks, ev.reason))


def _concluded(event_data) -> None:
    event_data.model.concluded_on = event_data.kwargs["on"]


PROCEEDINGS_MACHINE = Machine(
    model=None,
    states=["open", "concluded"],
    transitions=[
        {"trigger": "extend_timetable", "source": "open", "dest": None,
         "conditions": [_check_extension], "after": [_add_extension]},
        {"trigger": "conclude", "source": "open", "dest": "concluded", "after": [_concluded]},
    ],
    initial=None,
    auto_transitions=False,
    send_event=True,
    model_attribute="status",
)  # fmt: skip


_TRIGGERS_FROM = {s.name: frozenset(CHILD_MACHINE.get_triggers(s.name)) for s in STAGES}


def steps_allowed(stage: str) -> list[str]:
    """The child-level steps the machine allows from a stage (gates not yet checked)."""
    return [e.name for e in EVENT_SPECS if e.level == "child" and e.name in _TRIGGERS_FROM[stage]]


# --------------------------------------------------------------------------------------------
# Applying a step
# --------------------------------------------------------------------------------------------


def apply(family: FamilyCase | None, ev: PathwayEvent, ctx: Context, la_code: str = "", nation: str = "") -> FamilyCase:
    """Apply one step to a family's state (changing it in place) and return the family.

    `family` is None only for the `open_case` that opens a new family; then `la_code` and
    `nation` say where. Raises Refused, having changed nothing, when a gate or the stage says no.
    """
    if ev.event not in EVENT:
        raise Refused(Problem("event", f"'{ev.event}' is not a step Pathway knows."))
    if ev.date > ctx.today:
        raise Refused(Problem(
            "date", f"The date {fmt(ev.date)} is in the future. Record a step on or after the day it happens."
        ))
    if ev.event == "open_case":
        return _open_case(family, ev, ctx, la_code, nation)
    if family is None:
        raise Refused(Problem(
            "family_ref", f"Family {ev.family_ref} has no open case. Open a child's case first."
        ))
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
    else:
        _apply_fgc(family, ev, ctx)
    return family


def _open_case(family, ev, ctx, la_code, nation) -> FamilyCase:
    problems = []
    if not ev.child_ref:
        problems.append(Problem("child_ref", "Enter the child's reference."))
    elif (family and ev.child_ref in family.children) or ctx.child_ref_owner(ev.child_ref) not in (
        None, ev.family_ref  # the family's own replayed history holds its own children
    ):
        problems.append(Problem(
            "child_ref", f"A case for child {ev.child_ref} is already open in this authority. "
            "Each child's case is opened once; check the reference.",
        ))
    if ev.dob is None:
        problems.append(Problem("dob", "Enter the child's date of birth (or expected date of birth)."))
    elif ev.dob > ev.date + timedelta(days=280):
        problems.append(Problem(
            "dob", "The date of birth is more than 40 weeks after the case was opened. "
            "For an unborn baby enter the expected date of birth.",
        ))
    if ev.sex not in codes.SEXES:
        problems.append(Problem("sex", "Choose the child's sex: M or F."))
    if ev.ethnicity not in codes.ETHNICITIES:
        problems.append(Problem("ethnicity", "Choose the child's ethnicity from the SSDA903 codes."))
    if problems:
        raise Refused(problems)
    if family is None:
        family = FamilyCase(la_code, nation, ev.family_ref, ev.date)
    family.children[ev.child_ref] = ChildCase(ev.child_ref, ev.dob, ev.sex, ev.ethnicity, ev.date)
    return family


def _child_of(family: FamilyCase, ev: PathwayEvent) -> ChildCase:
    if not ev.child_ref:
        raise Refused(Problem("child_ref", f"Say which child '{EVENT[ev.event].label}' is for."))
    child = family.children.get(ev.child_ref)
    if child is None:
        raise Refused(Problem(
            "child_ref", f"Child {ev.child_ref} has no open case in family {family.ref}. "
            "Open the child's case first.",
        ))
    return child  # a date before the child's case opened: see date_problem


def _wrong_stage(ev: PathwayEvent, child: ChildCase, nation: str) -> Refused:
    stage = STAGE[child.stage].label_for(nation)
    if child.stage == "closed":
        return Refused(Problem("event", f"Child {child.ref}'s case was closed on {fmt(child.closed_on)}."))
    allowed = [event_label(t, nation) for t in steps_allowed(child.stage)]
    can = f" At this stage you can record: {', '.join(allowed)}." if allowed else ""
    return Refused(Problem(
        "event",
        f"'{event_label(ev.event, nation)}' cannot be recorded for child {child.ref}, who is at the "
        f"stage '{stage}'.{can}",
    ))


def _apply_to_child(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    child = _child_of(family, ev)
    if ev.event not in _TRIGGERS_FROM[child.stage]:
        raise _wrong_stage(ev, child, family.nation)
    # Gates run as conditions, before anything changes: a refusal leaves the family untouched.
    CHILD_MACHINE.events[ev.event].trigger(child, event=ev, family=family, ctx=ctx)


def _apply_letter(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    ready = [c for c in family.open_children() if ev.event in _TRIGGERS_FROM[c.stage]]
    if not ready:
        raise Refused(Problem(
            "event", "No child in this family is at a stage where a letter before proceedings can be sent.",
        ))
    for child in ready:
        CHILD_MACHINE.events[ev.event].trigger(child, event=ev, family=family, ctx=ctx)
    family.letters.append(ev.date)


def _apply_fgc(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    if not family.open_children():
        raise Refused(Problem("event", f"Every child's case in family {family.ref} is closed."))
    latest = family.latest_fgc()
    if ev.event == "offer_fgc":
        if latest and latest.is_open:
            raise Refused(Problem(
                "event",
                f"A family group conference offered on {fmt(latest.offered_on)} is still open. "
                "Record it as held or declined before offering another.",
            ))
        family.fgcs.append(FgcCase(ev.date))
        return
    if latest is None:
        raise Refused(Problem("event", "No family group conference has been offered to this family. "
                                       "Record the offer first."))
    if ev.date < latest.offered_on:
        raise Refused(Problem("date", f"The latest family group conference was offered on "
                                      f"{fmt(latest.offered_on)}, after {fmt(ev.date)}. Check the date: "
                                      f"it cannot have been {_FGC_OUTCOME[ev.event]} before it was offered."))
    try:
        FGC_MACHINE.events[ev.event].trigger(latest, event=ev, family=family, ctx=ctx)
    except MachineError:
        raise Refused(Problem(
            "event",
            f"The family group conference offered on {fmt(latest.offered_on)} is already {latest.status}. "
            + ("Offer a new one first." if not latest.is_open else ""),
        )) from None


def _apply_to_proceedings(family: FamilyCase, ev: PathwayEvent, ctx: Context) -> None:
    proceedings = family.proceedings.get(ev.proceedings_ref or "")
    if proceedings is None:
        raise Refused(Problem(
            "proceedings_ref",
            f"Family {family.ref} has no proceedings {ev.proceedings_ref}. Check the court's case number."
            if ev.proceedings_ref else "Enter the court's case number for these proceedings.",
        ))
    try:
        PROCEEDINGS_MACHINE.events[ev.event].trigger(proceedings, event=ev, family=family, ctx=ctx)
    except MachineError:
        raise Refused(Problem(
            "proceedings_ref",
            f"Proceedings {proceedings.ref} concluded on {fmt(proceedings.concluded_on)}. An extension can "
            "only be granted while proceedings are open.",
        )) from None


def replay(events: Iterable[PathwayEvent], la_code: str, nation: str, ctx: Context) -> FamilyCase | None:
    """A family's state as its history implies: every step applied in order from nothing."""
    family = None
    for ev in events:
        family = apply(family, ev, ctx, la_code, nation)
    return family


# --------------------------------------------------------------------------------------------
# A step's date against the record it refers to
# --------------------------------------------------------------------------------------------

_FGC_OUTCOME = {"fgc_accepted": "accepted", "hold_fgc": "held", "fgc_declined": "declined"}


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
        return Problem("date", f"The date {fmt(ev.date)} is before child {child.ref}'s case was opened on "
                               f"{fmt(child.opened_on)}. Check the date.")
    if ev.date < family.opened_on:
        return Problem("date", f"The date {fmt(ev.date)} is before family {family.ref}'s first case was "
                               f"opened on {fmt(family.opened_on)}. Check the date.")
    if ev.event in _FGC_OUTCOME and family.fgcs and family.fgc_offered_by(ev.date) is None:
        return Problem("date", f"The family group conference was offered on {fmt(family.fgcs[0].offered_on)}, "
                               f"after {fmt(ev.date)}. Check the date: it cannot have been "
                               f"{_FGC_OUTCOME[ev.event]} before it was offered.")
    proceedings = family.proceedings.get(ev.proceedings_ref or "")
    if proceedings is None or ev.event not in ("extend_timetable", "final_order"):
        return None
    if ev.date < proceedings.issued_on:
        what = "An extension" if ev.event == "extend_timetable" else "A final order"
        return Problem("date", f"{what} cannot be dated {fmt(ev.date)}: proceedings {proceedings.ref} were "
                               f"issued on {fmt(proceedings.issued_on)}. Check the date.")
    if ev.event == "extend_timetable" and proceedings.concluded_on and ev.date > proceedings.concluded_on:
        return Problem("date", f"Proceedings {proceedings.ref} concluded on {fmt(proceedings.concluded_on)}, "
                               f"before {fmt(ev.date)}. An extension can only be granted while proceedings "
                               "are open: check the date.")
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
    reason: str | None = None  # why not, or why an exception is needed: the gates' own words


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
            return Availability(event, False, False, " ".join(p.message for p in blocking))
        excusable = [p for p in refused.problems if p.field == "exception"]
        if excusable:
            return Availability(event, True, True, " ".join(p.message for p in excusable))
    return Availability(event, True)


# --------------------------------------------------------------------------------------------
# Each child's journey: the stages a child actually passed through
# --------------------------------------------------------------------------------------------


def replay_with_journeys(events: Iterable[PathwayEvent], la_code: str, nation: str, ctx: Context
                         ) -> tuple[FamilyCase | None, dict[str, list[tuple[str, date]]]]:
    """`replay`, noting for each child every stage it entered, in order, with the day it did:
    {child_ref: [(stage, since), ...]} (a stage entered twice appears twice)."""
    family = None
    journeys: dict[str, list[tuple[str, date]]] = {}
    for ev in events:
        family = apply(family, ev, ctx, la_code, nation)
        for child in family.children.values():
            journey = journeys.setdefault(child.ref, [])
            if not journey or journey[-1] != (child.stage, child.stage_since):
                journey.append((child.stage, child.stage_since))
    return family, journeys


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
    import re

    text = " ".join((gate.__doc__ or gate.__name__).split())
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
