"""What needs a manager's attention: the queue flags and their date boundaries.

Pure functions of dates (no Flask, no database): `assess(facts, today)` returns the flags that
apply to one open child, each with the date it is tied to (a deadline or the day a review falls
due), so that lists can be sorted by urgency. The timescale arithmetic is `pathway.timescales`.

The rules, each a "needs attention" condition for an open child (see shared/domain.md):

proceedings_overdue
    The child is a party, with no final order yet, to open care proceedings, and today is after
    the deadline (issue + 181 days, moved by each extension).
proceedings_due_soon
    As above, not overdue, the deadline is within 4 weeks (deadline - today <= 28 days) and the
    court has granted no extension.
care_without_fgc
    The child entered care (section 20/76, emergency protection or a care application) and no
    family group conference has been offered to the family on or before today. An offer made
    before the entry means the flag never applies; an offer after it clears the flag.
s20_first_review_due / s20_first_review_overdue
    In section 20 (section 76 in Wales) accommodation and no looked-after review held since the
    accommodation began (the stage's start date). The first review is due by the 20th working day
    after that day (weekends and the nation's bank holidays excluded): "due" from the day of
    accommodation to that day, "overdue" after it.
s20_review_due / s20_review_overdue
    As above, with at least one review held since the accommodation began: the second review is
    due 3 months after the first, later ones 6 months after the latest: "due" from 28 days before
    that day to the day itself, "overdue" after it.
s20_over_6_months_no_legal_planning
    Accommodated for more than 6 months (today is after accommodation + 6 calendar months) with
    no legal planning meeting recorded on or after the day the accommodation began.
pre_proceedings_over_16_weeks
    In pre-proceedings for more than 16 weeks (more than 112 days) since the later of the day
    pre-proceedings started (the letter before proceedings) and the latest pre-proceedings review
    decision recorded since then: each review decision starts a new 16 weeks.
reunification_review_due / reunification_review_overdue
    Returned home (stage reunification) and no six-month reunification review recorded on or
    after the return. The review is due 6 calendar months after the return: "due" from 28 days
    before that day, "overdue" after it.
objection_to_accommodation
    In section 20/76 accommodation, and a person with parental responsibility has objected (and
    not withdrawn the objection) while the child was accommodated, unless the child of 16 or
    over agreed to the accommodation themselves: the authority has no power to keep the child
    (Williams v Hackney). Tied to the day of the objection; cleared by the child's removal,
    emergency protection or the issue of proceedings. The rule itself is the workflow's
    (`ChildCase.must_leave_accommodation_since`); the projection stores its date.
unallocated
    The child's family is not allocated to both a team and a social worker (a team alone is
    not an allocation).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .. import timescales as ts
from .. import workflow as wf

DUE_SOON_DAYS = 28  # "due within 4 weeks": the window before a deadline or review date
PRE_PROCEEDINGS_DAYS = 16 * 7  # 112 days
LEGAL_PLANNING_MONTHS = 6
REUNIFICATION_REVIEW_MONTHS = 6


@dataclass(frozen=True)
class Flag:
    code: str
    queue: str  # the list on the queues page it puts a child in
    label: str
    label_wales: str | None = None

    def label_for(self, nation: str) -> str:
        return self.label_wales if nation == "wales" and self.label_wales else self.label


FLAGS: tuple[Flag, ...] = (
    Flag("proceedings_overdue", "proceedings", "Past the timetable deadline"),
    Flag("proceedings_due_soon", "proceedings", "Deadline within 4 weeks, no extension"),
    Flag("care_without_fgc", "care_without_fgc", "Entered care with no FGC offered"),
    Flag("s20_first_review_due", "section_20", "First looked-after review due"),
    Flag("s20_first_review_overdue", "section_20", "First looked-after review overdue"),
    Flag("s20_review_due", "section_20", "Looked-after review due"),
    Flag("s20_review_overdue", "section_20", "Looked-after review overdue"),
    Flag(
        "s20_over_6_months_no_legal_planning",
        "section_20",
        "Section 20 over 6 months, no legal planning decision",
        "Section 76 over 6 months, no legal planning decision",
    ),
    Flag(
        "objection_to_accommodation",
        "section_20",
        "Parent objects: record the removal, emergency protection or proceedings",
    ),
    Flag("pre_proceedings_over_16_weeks", "pre_proceedings", "Pre-proceedings over 16 weeks without a review"),
    Flag("reunification_review_due", "reunification", "6-month reunification review due"),
    Flag("reunification_review_overdue", "reunification", "6-month reunification review overdue"),
    Flag("unallocated", "unallocated", "Not allocated"),
)
FLAG = {f.code: f for f in FLAGS}


@dataclass(frozen=True)
class Queue:
    code: str
    title: str
    title_wales: str | None = None
    # True: every child at `stage` is listed (flagged or not); False: only flagged children.
    lists_whole_stage: bool = False
    stage: str | None = None

    def title_for(self, nation: str) -> str:
        return self.title_wales if nation == "wales" and self.title_wales else self.title


QUEUES: tuple[Queue, ...] = (
    Queue("proceedings", "Care proceedings", lists_whole_stage=True, stage="proceedings"),
    Queue("care_without_fgc", "Entered care without an FGC offer"),
    Queue("section_20", "Section 20 accommodation", "Section 76 accommodation"),
    Queue("pre_proceedings", "Pre-proceedings over 16 weeks"),
    Queue("reunification", "Reunification reviews"),
    Queue("unallocated", "Unallocated families"),
)
QUEUE = {q.code: q for q in QUEUES}


# Records the pathway's events do not hold (kept in case_reviews), and their decisions.
REVIEW_KINDS = {
    "looked_after_review": "Looked-after review",
    "legal_planning_meeting": "Legal planning meeting",
    "pre_proceedings_review": "Pre-proceedings review",
}
DECISIONS = {
    "looked_after_review": {
        "plan_confirmed": "Care plan confirmed",
        "plan_changed": "Care plan changed",
    },
    "legal_planning_meeting": {
        "issue_proceedings": "Issue care proceedings",
        "start_pre_proceedings": "Start pre-proceedings",
        "no_legal_action": "No legal action now: continue the current plan",
    },
    "pre_proceedings_review": {
        "continue": "Continue pre-proceedings",
        "issue_proceedings": "Issue care proceedings",
        "step_down": "Step down: end pre-proceedings",
    },
}
# The stages a child must be in for a record of that kind (None: any open stage); a record
# counts from the day the child's current stage began.
REVIEW_STAGES = {
    "looked_after_review": wf.LOOKED_AFTER,
    "legal_planning_meeting": None,
    "pre_proceedings_review": ("pre_proceedings",),
}
HEARING_KINDS = {
    "case_management": "Case management hearing",
    "issues_resolution": "Issues resolution hearing",
    "final": "Final hearing",
}


# --------------------------------------------------------------------------------------------
# What a child's flags depend on
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class ChildFacts:
    """What the queue knows of one open child (from the projection and the review records).

    Review counts and dates are those on or after the day the child's current stage began
    (`stage_since`), and on or before today."""

    nation: str
    stage: str
    stage_since: date
    allocated: bool = True  # to a team and a social worker
    family_opened_on: date | None = None
    entered_care_on: date | None = None
    fgc_offered_on: date | None = None  # the family's earliest FGC offer, if any
    # The open proceedings the child is a party to (no final order for the child yet).
    issued_on: date | None = None
    deadline: date | None = None
    extensions: int = 0
    looked_after_reviews: int = 0
    last_looked_after_review: date | None = None
    last_legal_planning: date | None = None
    last_pre_proceedings_review: date | None = None
    returned_home_on: date | None = None
    last_reunification_review: date | None = None  # any, on or after the return home
    must_leave_accommodation_since: date | None = None  # an objection ended the power to accommodate


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    on: date  # the deadline or due date the flag is about (used to sort by urgency)


@dataclass(slots=True)
class Assessment:
    findings: list[Finding] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        return [f.code for f in self.findings]

    def in_queue(self, queue: str) -> list[Finding]:
        return [f for f in self.findings if FLAG[f.code].queue == queue]


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def first_review_due(accommodated_on: date, nation: str) -> date:
    """The 20th working day after accommodation began (cached: many children share a day)."""
    return ts.first_review_due(accommodated_on, nation)


def looked_after_review_due(facts: ChildFacts) -> date:
    """When the next looked-after review is due for a child in section 20/76 accommodation."""
    if facts.looked_after_reviews == 0 or facts.last_looked_after_review is None:
        return first_review_due(facts.stage_since, facts.nation)
    if facts.looked_after_reviews == 1:
        return ts.add_months(facts.last_looked_after_review, 3)
    return ts.add_months(facts.last_looked_after_review, 6)


def legal_planning_due(facts: ChildFacts) -> date:
    """The last day accommodation can run without a legal planning decision: 6 months in."""
    return ts.add_months(facts.stage_since, LEGAL_PLANNING_MONTHS)


def pre_proceedings_clock_from(facts: ChildFacts) -> date:
    """The start of the current 16 weeks: pre-proceedings' start or the latest review since."""
    latest = facts.last_pre_proceedings_review
    return max(facts.stage_since, latest) if latest else facts.stage_since


def pre_proceedings_review_due(facts: ChildFacts) -> date:
    """The last day within 16 weeks (112 days after the clock started)."""
    return pre_proceedings_clock_from(facts) + timedelta(days=PRE_PROCEEDINGS_DAYS)


POST_REMOVAL_SUPPORT_MONTHS = 3


def post_removal_support_due(order_on: date) -> date:
    """A mother or father placed apart from a child by a final order is offered post-removal
    support (Pause in England, Reflect in Wales) within 3 months of the order."""
    return ts.add_months(order_on, POST_REMOVAL_SUPPORT_MONTHS)


def reunification_review_due(returned_home_on: date) -> date:
    return ts.add_months(returned_home_on, REUNIFICATION_REVIEW_MONTHS)


def is_due_soon(due: date, today: date) -> bool:
    """Within 4 weeks of `due`, not past it."""
    return today <= due and (due - today).days <= DUE_SOON_DAYS


def in_proceedings(facts: ChildFacts) -> bool:
    return facts.issued_on is not None and facts.deadline is not None


# --------------------------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------------------------


def _due_or_overdue(prefix: str, due: date, today: date) -> Finding | None:
    if ts.is_overdue(due, today):
        return Finding(f"{prefix}_overdue", due)
    if is_due_soon(due, today):
        return Finding(f"{prefix}_due", due)
    return None


def assess(facts: ChildFacts, today: date) -> Assessment:
    """Every needs-attention flag that applies to one open child today (in FLAGS order)."""
    found: list[Finding] = []
    if in_proceedings(facts):
        if ts.is_overdue(facts.deadline, today):
            found.append(Finding("proceedings_overdue", facts.deadline))
        elif facts.extensions == 0 and is_due_soon(facts.deadline, today):
            found.append(Finding("proceedings_due_soon", facts.deadline))
    if facts.entered_care_on is not None and not (facts.fgc_offered_on and facts.fgc_offered_on <= today):
        found.append(Finding("care_without_fgc", facts.entered_care_on))
    if facts.stage == "section_20":
        due = looked_after_review_due(facts)
        if facts.looked_after_reviews == 0:  # the first review is due from the day accommodation begins
            code = "s20_first_review_overdue" if ts.is_overdue(due, today) else "s20_first_review_due"
            found.append(Finding(code, due))
        elif finding := _due_or_overdue("s20_review", due, today):
            found.append(finding)
        legal_by = legal_planning_due(facts)
        if facts.last_legal_planning is None and today > legal_by:
            found.append(Finding("s20_over_6_months_no_legal_planning", legal_by))
        if facts.must_leave_accommodation_since is not None and facts.must_leave_accommodation_since <= today:
            found.append(Finding("objection_to_accommodation", facts.must_leave_accommodation_since))
    if facts.stage == "pre_proceedings":
        due = pre_proceedings_review_due(facts)
        if today > due:
            found.append(Finding("pre_proceedings_over_16_weeks", due))
    if facts.stage == "reunification" and facts.returned_home_on and facts.last_reunification_review is None:
        if finding := _due_or_overdue("reunification_review", reunification_review_due(facts.returned_home_on), today):
            found.append(finding)
    if not facts.allocated:
        found.append(Finding("unallocated", facts.family_opened_on or facts.stage_since))
    return Assessment(found)


def urgency(findings: list[Finding]) -> date:
    """The earliest date among a child's findings in one queue: earlier is more urgent."""
    return min(f.on for f in findings)
