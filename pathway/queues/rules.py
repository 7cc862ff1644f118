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
looked_after_first_review_due / looked_after_first_review_overdue
    Looked after (section 20/76, emergency protection, an interim care order, a care or placement
    order: `workflow.is_looked_after`), and no looked-after review held since the looked-after
    period began (`looked_after_since`: one period across changes of legal status). The first
    review is due by the 20th working day after that day (weekends and the nation's bank holidays
    excluded): "due" from the first day looked after to that day, "overdue" after it.
looked_after_review_due / looked_after_review_overdue
    As above, with at least one review held in the period: the second review is due 3 months
    after the first, later ones 6 months after the latest: "due" from 28 days before that day to
    the day itself, "overdue" after it.
emergency_protection_ending / emergency_protection_ended
    Under emergency protection, which ends (police protection: the third day after it began; an
    emergency protection order: its end date, or day 8, or its extension) today or tomorrow;
    "ended" once that day has passed with no next step recorded (the child is still at the stage).
cp_conference_due / cp_conference_overdue
    A strategy discussion (section 47 enquiry) recorded and no initial child protection
    conference since: due by the 15th working day after the discussion ("due" from the discussion
    to that day, "overdue" after it).
cp_review_due / cp_review_overdue
    On a child protection plan: the first review conference is due 3 months after the plan
    started, later ones 6 months after the latest review: "due" from 28 days before, "overdue" after.
at_risk_26_weeks
    The court's at-risk rule: in proceedings issued within the last 26 weeks (today on or before
    day 182) and no case management hearing listed within 24 days of issue, no issues resolution
    hearing within 140 days and no final hearing within 182 days (the day of issue is day 1; any
    one of these takes the child off the list). Tied to the 26-week date.
no_cmh_by_day_12
    In proceedings on or after day 12 of the timetable with no case management hearing listed.
    Tied to day 12.
cmh_after_day_18
    The case management hearing is listed for a day after day 18. Tied to day 18.
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
from ..messages import N_

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
    Flag("proceedings_overdue", "proceedings", N_("Past the timetable deadline")),
    Flag("proceedings_due_soon", "proceedings", N_("Deadline within 4 weeks, no extension")),
    Flag("care_without_fgc", "care_without_fgc", N_("Entered care with no FGC offered")),
    Flag("emergency_protection_ending", "emergency_protection", N_("Emergency protection ends today or tomorrow")),
    Flag("emergency_protection_ended", "emergency_protection", N_("Emergency protection ended: record the next step")),
    Flag("looked_after_first_review_due", "looked_after", N_("First looked-after review due")),
    Flag("looked_after_first_review_overdue", "looked_after", N_("First looked-after review overdue")),
    Flag("looked_after_review_due", "looked_after", N_("Looked-after review due")),
    Flag("looked_after_review_overdue", "looked_after", N_("Looked-after review overdue")),
    Flag("cp_conference_due", "child_protection", N_("Initial child protection conference due"),
         N_("Initial child protection conference due (care and support protection plan)")),
    Flag("cp_conference_overdue", "child_protection", N_("Initial child protection conference overdue"),
         N_("Initial child protection conference overdue (care and support protection plan)")),
    Flag("cp_review_due", "child_protection", N_("Child protection review conference due"),
         N_("Care and support protection plan review due")),
    Flag("cp_review_overdue", "child_protection", N_("Child protection review conference overdue"),
         N_("Care and support protection plan review overdue")),
    Flag("at_risk_26_weeks", "court_timetable", N_("At risk of missing 26 weeks: no hearing listed in time")),
    Flag("no_cmh_by_day_12", "court_timetable", N_("No case management hearing listed by day 12")),
    Flag("cmh_after_day_18", "court_timetable", N_("Case management hearing listed after day 18")),
    Flag(
        "s20_over_6_months_no_legal_planning",
        "section_20",
        N_("Section 20 over 6 months, no legal planning decision"),
        N_("Section 76 over 6 months, no legal planning decision"),
    ),
    Flag(
        "objection_to_accommodation",
        "section_20",
        N_("Parent objects: record the removal, emergency protection or proceedings"),
    ),
    Flag("pre_proceedings_over_16_weeks", "pre_proceedings", N_("Pre-proceedings over 16 weeks without a review")),
    Flag("reunification_review_due", "reunification", N_("6-month reunification review due")),
    Flag("reunification_review_overdue", "reunification", N_("6-month reunification review overdue")),
    Flag("unallocated", "unallocated", N_("Not allocated")),
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
    Queue("proceedings", N_("Care proceedings"), lists_whole_stage=True, stage="proceedings"),
    Queue("court_timetable", N_("Court timetable")),
    Queue("emergency_protection", N_("Emergency protection ending")),
    Queue("care_without_fgc", N_("Entered care without an FGC offer")),
    Queue("looked_after", N_("Looked-after reviews")),
    Queue("child_protection", N_("Child protection conferences"), N_("Care and support protection conferences")),
    Queue("section_20", N_("Section 20 accommodation"), N_("Section 76 accommodation")),
    Queue("pre_proceedings", N_("Pre-proceedings over 16 weeks")),
    Queue("reunification", N_("Reunification reviews")),
    Queue("unallocated", N_("Unallocated families")),
)
QUEUE = {q.code: q for q in QUEUES}


# Records the pathway's events do not hold (kept in case_reviews), and their decisions.
REVIEW_KINDS = {
    "looked_after_review": N_("Looked-after review"),
    "legal_planning_meeting": N_("Legal planning meeting"),
    "pre_proceedings_review": N_("Pre-proceedings review"),
}
DECISIONS = {
    "looked_after_review": {
        "plan_confirmed": N_("Care plan confirmed"),
        "plan_changed": N_("Care plan changed"),
    },
    "legal_planning_meeting": {
        "issue_proceedings": N_("Issue care proceedings"),
        "start_pre_proceedings": N_("Start pre-proceedings"),
        "no_legal_action": N_("No legal action now: continue the current plan"),
    },
    "pre_proceedings_review": {
        "continue": N_("Continue pre-proceedings"),
        "issue_proceedings": N_("Issue care proceedings"),
        "step_down": N_("Step down: end pre-proceedings"),
    },
}
# The stages a child must be in for a record of that kind (None: any open stage); a record
# counts from the day the child's current stage began.
REVIEW_STAGES = {
    "looked_after_review": None,  # any looked-after child (records_problems checks the period)
    "legal_planning_meeting": None,
    "pre_proceedings_review": ("pre_proceedings",),
}
HEARING_KINDS = {
    "case_management": N_("Case management hearing"),
    "issues_resolution": N_("Issues resolution hearing"),
    "final": N_("Final hearing"),
    "further_case_management": N_("Further case management hearing"),
    "interim_care_order": N_("Interim care order hearing"),
    "fact_finding": N_("Fact-finding hearing"),
    "judgment": N_("Judgment"),
    "fdac_review": N_("Family Drug and Alcohol Court review hearing"),
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
    # Every clock the child is on (issue 11). Looked-after review counts and dates are those held
    # since `looked_after_since`.
    emergency_ends_on: date | None = None
    looked_after_since: date | None = None
    strategy_discussion_on: date | None = None
    cp_plan_since: date | None = None
    last_cp_review: date | None = None
    # The latest listing of each kind of hearing for the child's open proceedings.
    cmh_listed_for: date | None = None
    irh_listed_for: date | None = None
    final_listed_for: date | None = None


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
    """When the next looked-after review is due for a looked-after child."""
    if facts.looked_after_reviews == 0 or facts.last_looked_after_review is None:
        return first_review_due(facts.looked_after_since or facts.stage_since, facts.nation)
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
    """Within 4 weeks of `due`, not past it (the "_due" windows below are these days)."""
    return today <= due and (due - today).days <= DUE_SOON_DAYS


def in_proceedings(facts: ChildFacts) -> bool:
    return facts.issued_on is not None and facts.deadline is not None


# --------------------------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------------------------


def review_counts_from(kind: str) -> str:
    """Which of a child's dates records of a kind count from: looked-after reviews from the start
    of the looked-after period (`looked_after_since`; none while not looked after), the others
    from the start of the child's current stage (`stage_since`). The queue's SQL and the record
    check both ask this."""
    return "looked_after_since" if kind == "looked_after_review" else "stage_since"


@dataclass(frozen=True, slots=True)
class Window:
    """A flag that applies to a child from `starts_on` to `ends_on` (both included; None: no
    bound), tied to the date `on`. A child's flags change with the days only by these bounds, so
    the projection stores each child's windows (pathway.queues.stored) and a list is a date
    comparison in SQL; `assess` is the same windows read for one day."""

    code: str
    on: date
    starts_on: date | None = None
    ends_on: date | None = None

    def applies(self, today: date) -> bool:
        return (self.starts_on is None or self.starts_on <= today) and (self.ends_on is None or today <= self.ends_on)


def _window(code: str, on: date, starts_on: date | None = None, ends_on: date | None = None,
            not_before: date | None = None) -> list[Window]:
    """The window, cut to start no earlier than `not_before`; none if that leaves no day."""
    if not_before is not None and (starts_on is None or starts_on < not_before):
        starts_on = not_before
    if starts_on is not None and ends_on is not None and starts_on > ends_on:
        return []
    return [Window(code, on, starts_on, ends_on)]


def _due_then_overdue(prefix: str, due: date, not_before: date | None = None) -> list[Window]:
    """"{prefix}_due" from 4 weeks before `due` to the day itself, "{prefix}_overdue" after it."""
    return (_window(f"{prefix}_due", due, due - timedelta(days=DUE_SOON_DAYS), due, not_before)
            + _window(f"{prefix}_overdue", due, due + timedelta(days=1), None, not_before))


def _court_timetable(facts: ChildFacts) -> list[Window]:
    """The court's at-risk rule and the case management hearing window (day 12 to day 18)."""
    found: list[Window] = []
    issued = facts.issued_on
    day_12 = issued + timedelta(days=ts.CMH_EARLIEST_DAY - 1)
    day_18 = issued + timedelta(days=ts.CMH_LATEST_DAY - 1)
    in_time = {
        "case_management": facts.cmh_listed_for, "issues_resolution": facts.irh_listed_for,
        "final": facts.final_listed_for,
    }  # fmt: skip
    if not any(listed is not None and ts.day_number(issued, listed) <= ts.AT_RISK_LISTED_BY[kind]
               for kind, listed in in_time.items()):
        # while today is on or before day 182 of the timetable
        found += _window("at_risk_26_weeks", ts.timetable_end(issued), None,
                         issued + timedelta(days=ts.TIMETABLE_DAYS - 1))
    if facts.cmh_listed_for is None:
        found += _window("no_cmh_by_day_12", day_12, day_12)
    elif facts.cmh_listed_for > day_18:
        found += _window("cmh_after_day_18", day_18)
    return found


def windows(facts: ChildFacts) -> list[Window]:
    """Every needs-attention flag that can apply to one open child, each with the days it
    applies: the rules of this module's docstring, stated once (in FLAGS order)."""
    found: list[Window] = []
    day = timedelta(days=1)
    if in_proceedings(facts):
        found += _window("proceedings_overdue", facts.deadline, facts.deadline + day)
        if facts.extensions == 0:
            found += _window("proceedings_due_soon", facts.deadline, facts.deadline - timedelta(days=DUE_SOON_DAYS),
                             facts.deadline)
        found += _court_timetable(facts)
    if facts.stage == "emergency_protection" and facts.emergency_ends_on is not None:
        ends = facts.emergency_ends_on
        found += _window("emergency_protection_ended", ends, ends + day)
        found += _window("emergency_protection_ending", ends, ends - day, ends)
    if facts.entered_care_on is not None:  # until the family is offered an FGC
        offered = facts.fgc_offered_on
        found += _window("care_without_fgc", facts.entered_care_on, None, offered - day if offered else None)
    if facts.looked_after_since is not None:
        due = looked_after_review_due(facts)
        if facts.looked_after_reviews == 0:  # the first review is due from the first day looked after
            found += _window("looked_after_first_review_due", due, None, due, facts.looked_after_since)
            # (overdue from the day after the 20th working day: never before the period began)
            found += _window("looked_after_first_review_overdue", due, due + day)
        else:
            found += _due_then_overdue("looked_after_review", due, facts.looked_after_since)
    if facts.strategy_discussion_on is not None:
        due = ts.initial_conference_due(facts.strategy_discussion_on, facts.nation)
        found += _window("cp_conference_due", due, None, due, facts.strategy_discussion_on)
        found += _window("cp_conference_overdue", due, due + day)  # always after the discussion
    if facts.cp_plan_since is not None:
        found += _due_then_overdue("cp_review", ts.cp_review_due(facts.cp_plan_since, facts.last_cp_review),
                                   facts.cp_plan_since)
    if facts.stage == "section_20":
        legal_by = legal_planning_due(facts)
        if facts.last_legal_planning is None:
            found += _window("s20_over_6_months_no_legal_planning", legal_by, legal_by + day)
        if facts.must_leave_accommodation_since is not None:
            found += _window("objection_to_accommodation", facts.must_leave_accommodation_since,
                             facts.must_leave_accommodation_since)
    if facts.stage == "pre_proceedings":
        due = pre_proceedings_review_due(facts)
        found += _window("pre_proceedings_over_16_weeks", due, due + day)
    if facts.stage == "reunification" and facts.returned_home_on and facts.last_reunification_review is None:
        found += _due_then_overdue("reunification_review", reunification_review_due(facts.returned_home_on))
    if not facts.allocated:
        found += _window("unallocated", facts.family_opened_on or facts.stage_since)
    found.sort(key=lambda w: _FLAG_ORDER[w.code])
    return found


def assess(facts: ChildFacts, today: date) -> Assessment:
    """Every needs-attention flag that applies to one open child today (in FLAGS order)."""
    return Assessment([Finding(w.code, w.on) for w in windows(facts) if w.applies(today)])


_FLAG_ORDER = {f.code: n for n, f in enumerate(FLAGS)}


def urgency(findings: list[Finding]) -> date:
    """The earliest date among a child's findings in one queue: earlier is more urgent."""
    return min(f.on for f in findings)
