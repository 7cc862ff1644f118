"""Outcomes of family group conferences (issue 13), computed from the history, never typed in.

Six months after the authority decided on the family's plan (the same day of the month six
months on, or the month's last day), where was each child who was open on the day of the
decision: living within the family network (with parents, or with relatives or friends), in
care, or the subject of care proceedings. Pure: no Flask, no database.

A child's stage that day decides it:
- `proceedings` (an application issued, no final order yet): subject of proceedings;
- a looked-after stage (section 20/76, emergency protection, a care or placement order): in care;
- `kinship_care` (special guardianship or a child arrangements order): with relatives or friends;
- any other open stage (early help, child protection, pre-proceedings, returned home, a
  supervision order, proceedings ended without an order): with parents;
- a case closed by then: as the stage the child was in when it closed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from . import workflow as wf
from .timescales import add_months

OUTCOME_MONTHS = 6


@dataclass(frozen=True)
class FgcOutcome:
    offered_on: date
    plan_decided_on: date
    due_on: date  # six months after the decision
    child_ref: str
    outcome: str | None  # a code of codes.FGC_OUTCOMES_AT_6_MONTHS; None: six months not yet passed


def classify(stage: str) -> str:
    if stage == "proceedings":
        return "proceedings"
    if stage in wf.LOOKED_AFTER:
        return "in_care"
    if stage == "kinship_care":
        return "with_relatives_or_friends"
    return "with_parents"


def _stage_on(journey: list[tuple[str, date]], day: date) -> str | None:
    """The stage a child was in at the end of `day`, from its journey ([(stage, since)...])."""
    stage = None
    for name, since in journey:
        if since <= day:
            stage = name
    return stage


def _classify_on(journey: list[tuple[str, date]], day: date) -> str | None:
    stage = _stage_on(journey, day)
    if stage != "closed":
        return classify(stage) if stage else None
    before = [name for name, since in journey if since <= day and name != "closed"]
    return classify(before[-1]) if before else "with_parents"


def outcomes(family: wf.FamilyCase, journeys: dict[str, list[tuple[str, date]]], today: date) -> list[FgcOutcome]:
    """Every child's outcome for every conference whose plan was decided (accepted or not)."""
    found = []
    for fgc in family.fgcs:
        if fgc.plan_decided_on is None:
            continue
        due = add_months(fgc.plan_decided_on, OUTCOME_MONTHS)
        for ref, journey in sorted(journeys.items()):
            at_plan = _stage_on(journey, fgc.plan_decided_on)
            if at_plan is None or at_plan == "closed":
                continue  # not yet open, or already closed, when the plan was decided
            found.append(FgcOutcome(fgc.offered_on, fgc.plan_decided_on, due, ref,
                                    _classify_on(journey, due) if due <= today else None))
    return found


def family_outcomes(events: Iterable[wf.PathwayEvent], la_code: str, nation: str, ctx: wf.Context) -> list[FgcOutcome]:
    family, journeys = wf.replay_with_journeys(events, la_code, nation, ctx)
    return outcomes(family, journeys, ctx.today) if family else []
