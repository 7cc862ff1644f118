"""Report facts (issue 17): what the board report needs per proceedings, per child party, per
child and per conference's child, worked out here from a family's replayed state and stored in the
projection by `services` in the same transaction as the step that changes them, so that each
figure is one aggregate over narrow rows (`figures`). Pure: no Flask, no database.

Each fact is stated once, here, from the definitions in `definitions`; the consistency check (the
stored projection equals the replayed history) covers them.
"""
from __future__ import annotations

from datetime import date

from .. import codes
from .. import workflow as wf
from ..fgc_outcomes import outcomes
from ..timescales import LAST_DAY_OFFSET, working_days_between
from .definitions import (age_band, CARE_ENTRIES, date_number, EMERGENCY_ENDS, RETURN_WINDOW, RETURNS_HOME,
                          S20_ENDS)

# The facts' names, as the projection's columns are named.
PROCEEDINGS_FACTS = ("duration_days", "within_26_weeks", "extended", "complexity_extended")
PARTY_FACTS = ("ethnicity_group", "age_band", "disposal_days", "returning_to_court", "returning_after_fdac")
CHILD_FACTS = ("fgc_offered_before_care", "fgc_held_before_care")
FGC_FACTS = ("referral_working_days",)


def proceedings_facts(p: wf.ProceedingsCase) -> dict:
    """Days from issue to conclusion; within 26 weeks (concluded on or before issue + 181 days);
    extended at all; extended for complexity. The first two are None while the proceedings are open."""
    duration = (p.concluded_on - p.issued_on).days if p.concluded_on else None
    categories = {x.category for x in p.extensions}
    return {
        "duration_days": duration,
        "within_26_weeks": None if duration is None else duration <= LAST_DAY_OFFSET,
        "extended": bool(p.extensions),
        "complexity_extended": "complexity" in categories,
    }


def party_facts(family: wf.FamilyCase, p: wf.ProceedingsCase, child_ref: str) -> dict:
    """The child's ethnicity group (as recorded now), age band on the day the application for the
    child was issued, and days from the application to the child's final order (None before it);
    and whether the child is returning to court: a final order in other proceedings for the child
    on or before the day the child became a party here, within 3 years of it (the third
    anniversary included: `RETURN_WINDOW`), and whether one such order was made in the FDAC."""
    child, party = family.children[child_ref], p.parties[child_ref]
    joined = date_number(party.joined_on)
    earlier = [q for q in family.proceedings.values() if q is not p and child_ref in q.parties
               and (order_on := q.parties[child_ref].order_on) is not None and order_on <= party.joined_on
               and joined - date_number(order_on) <= RETURN_WINDOW]  # fmt: skip
    return {
        "ethnicity_group": codes.ethnicity_group(child.ethnicity),
        "age_band": age_band(child.dob, party.joined_on),
        "disposal_days": (party.order_on - p.issued_on).days if party.order_on else None,
        "returning_to_court": bool(earlier),
        "returning_after_fdac": any(q.fdac for q in earlier),
    }


def child_facts(family: wf.FamilyCase, child: wf.ChildCase) -> dict:
    """Whether the family had been offered, and had held, an FGC on or before the child's first
    entry into care (None when the child has not entered care)."""
    entered = child.entered_care_on
    if entered is None:
        return {"fgc_offered_before_care": None, "fgc_held_before_care": None}
    return {
        "fgc_offered_before_care": any(f.offered_on <= entered for f in family.fgcs),
        "fgc_held_before_care": any(f.held_on is not None and f.held_on <= entered for f in family.fgcs),
    }


def care_episodes(child: wf.ChildCase) -> list[tuple[str, date, date | None]]:
    """The child's episodes and moments the report counts, from its steps in the history's order
    (`ChildCase.steps`), as (kind, started_on, ended_on):

    - `section_20`: each accommodation by agreement (section 20/76), ending on the day of the
      next emergency protection, care application, return home, removal or case closure (None:
      not ended);
    - `emergency_protection`: each emergency protection not continuing another (one after an
      earlier one with none of the ending steps between them continues it), ending on the next
      accommodation, care application, return home or closure;
    - `return_home`: each return home or removal from accommodation;
    - `return_broke_down`: each reunification review that found the return broke down;
    - `care_entry_after_return`: each entry into care (accommodation, emergency protection or a
      care application) after an earlier return home."""
    steps = child.steps
    found = []
    for i, (event, day, reason) in enumerate(steps):
        later = steps[i + 1:]
        if event == "accommodate_s20":
            found.append(("section_20", day, _first(later, S20_ENDS)))
        elif event == "emergency_protection" and not _continues_emergency(steps[:i]):
            found.append(("emergency_protection", day, _first(later, EMERGENCY_ENDS)))
        if event in RETURNS_HOME:
            found.append(("return_home", day, None))
        elif event == "reunification_review" and reason == "broke_down":
            found.append(("return_broke_down", day, None))
        if event in CARE_ENTRIES and any(e in RETURNS_HOME for e, _d, _r in steps[:i]):
            found.append(("care_entry_after_return", day, None))
    return found


def _first(steps, events) -> date | None:
    return next((day for event, day, _r in steps if event in events), None)


def _continues_emergency(before) -> bool:
    """Whether the latest emergency protection or ending step before this one is an emergency protection."""
    for event, _day, _reason in reversed(before):
        if event == "emergency_protection":
            return True
        if event in EMERGENCY_ENDS:
            return False
    return False


def fgc_facts(family: wf.FamilyCase, fgc: wf.FgcCase) -> dict:
    """Working days from the referral to the FGC service to the conference (the authority's
    nation's bank holidays excluded); None unless both happened."""
    days = None
    if fgc.referred_on is not None and fgc.held_on is not None:
        days = working_days_between(fgc.referred_on, fgc.held_on, family.nation)
    return {"referral_working_days": days}


def fgc_outcome_facts(family: wf.FamilyCase) -> list[tuple[date, date, date, str, str]]:
    """Every child's outcome six months after each plan decision (`fgc_outcomes.outcomes`), as
    the history has it: (offered_on, plan_decided_on, due_on, child_ref, outcome). The outcome is
    where the child was on `due_on` by the history recorded so far; a report counts it only once
    that day has come (a later step dated before it rewrites the family's facts)."""
    journeys = {ref: child.journey for ref, child in family.children.items()}
    return [(o.offered_on, o.plan_decided_on, o.due_on, o.child_ref, o.outcome)
            for o in outcomes(family, journeys, date.max)]  # fmt: skip
