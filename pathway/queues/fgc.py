"""The FGC service's lists (issue 13): what needs the coordinator's or the manager's attention
for each conference. Pure functions of dates (no Flask, no database), like `rules.py`.

fgc_referral_unallocated
    Referred to the FGC service and no coordinator allocated by the 5th working day after the
    referral (weekends and the nation's bank holidays excluded): flagged from the day after.
fgc_conference_not_held
    Referred and not held within the setting's weeks of the referral (FGC_CONFERENCE_WEEKS,
    default 6): flagged from the day after referral + weeks.
fgc_plan_awaiting_decision
    Held, and the authority has not decided on the family's plan by the 5th working day after
    the conference: flagged from the day after.
fgc_review_due / fgc_review_overdue
    The plan decided and no review held: the review is due the setting's months after the
    decision (FGC_REVIEW_MONTHS, default 3; the same day of the month, or the month's last day):
    "due" from 28 days before that day to the day itself, "overdue" after it.
fgc_not_held_before_issue
    England only: the family accepted the latest offer (accepted, referred or with a
    coordinator), no conference held yet, and proceedings are being considered (a child of the
    family is in pre-proceedings, after the letter before proceedings): section 31ZA, the
    meeting must be held before issue. Tied to the day of acceptance.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .. import timescales as ts
from ..messages import N_
from .rules import Finding, is_due_soon

ALLOCATION_WORKING_DAYS = 5
PLAN_DECISION_WORKING_DAYS = 5
CONFERENCE_WEEKS_DEFAULT = 6
REVIEW_MONTHS_DEFAULT = 3


@dataclass(frozen=True)
class FgcSettings:
    conference_weeks: int = CONFERENCE_WEEKS_DEFAULT  # FGC_CONFERENCE_WEEKS
    review_months: int = REVIEW_MONTHS_DEFAULT  # FGC_REVIEW_MONTHS


@dataclass(frozen=True)
class FgcFacts:
    """The latest conference of one family, as the projection holds it."""

    nation: str
    status: str
    offered_on: date
    accepted_on: date | None = None
    referred_on: date | None = None
    coordinator_allocated_on: date | None = None
    held_on: date | None = None
    plan_decided_on: date | None = None
    reviewed_on: date | None = None
    proceedings_considered: bool = False  # a child of the family in pre-proceedings


FGC_FLAGS = {
    "fgc_referral_unallocated": N_("Referral not allocated to a coordinator within 5 working days"),
    "fgc_conference_not_held": N_("Conference not held within the expected weeks of the referral"),
    "fgc_plan_awaiting_decision": N_("Family's plan awaiting the authority's decision for more than 5 working days"),
    "fgc_review_due": N_("Review of the family's plan due"),
    "fgc_review_overdue": N_("Review of the family's plan overdue"),
    "fgc_not_held_before_issue": N_("Accepted, proceedings being considered and no conference yet (section 31ZA)"),
}


def allocation_due(referred_on: date, nation: str) -> date:
    return ts.add_working_days(referred_on, ALLOCATION_WORKING_DAYS, nation)


def conference_due(referred_on: date, settings: FgcSettings) -> date:
    return referred_on + timedelta(weeks=settings.conference_weeks)


def plan_decision_due(held_on: date, nation: str) -> date:
    return ts.add_working_days(held_on, PLAN_DECISION_WORKING_DAYS, nation)


def review_due(plan_decided_on: date, settings: FgcSettings) -> date:
    return ts.add_months(plan_decided_on, settings.review_months)


def assess_fgc(facts: FgcFacts, today: date, settings: FgcSettings = FgcSettings()) -> list[Finding]:
    """The FGC service's flags for one conference, each with the date it is tied to."""
    found: list[Finding] = []
    s = facts.status
    if s == "referred" and today > (due := allocation_due(facts.referred_on, facts.nation)):
        found.append(Finding("fgc_referral_unallocated", due))
    if s in ("referred", "coordinator_allocated") and today > (due := conference_due(facts.referred_on, settings)):
        found.append(Finding("fgc_conference_not_held", due))
    if s == "held" and facts.plan_decided_on is None and today > (due := plan_decision_due(facts.held_on, facts.nation)):
        found.append(Finding("fgc_plan_awaiting_decision", due))
    if s == "plan_decided":
        due = review_due(facts.plan_decided_on, settings)
        if today > due:
            found.append(Finding("fgc_review_overdue", due))
        elif is_due_soon(due, today):
            found.append(Finding("fgc_review_due", due))
    if (facts.nation == "england" and s in ("accepted", "referred", "coordinator_allocated")
            and facts.proceedings_considered):
        found.append(Finding("fgc_not_held_before_issue", facts.accepted_on or facts.offered_on))
    return found
