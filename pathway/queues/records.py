"""Recording what the queues need and the event history does not hold: review meetings and
decisions (`case_reviews`) and hearing dates listed by the court (`hearings`). Each write adds a
row and an entry in the audit trail, in the caller's transaction (the caller commits)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .. import codes
from .. import workflow as wf
from ..messages import N_, label, msg
from ..models import Child, Hearing, HearingOutcome, Proceedings
from ..services import Actor, audit
from . import rules, stored
from .models import CaseReview


# A review record's kind as it reads inside a sentence ("the date the looked-after review was held").
_REVIEW_IN_A_SENTENCE = {
    "looked_after_review": N_("looked-after review"),
    "legal_planning_meeting": N_("legal planning meeting"),
    "pre_proceedings_review": N_("pre-proceedings review"),
}


def review_problems(
    child: Child, kind: str, held_on: date | None, decision: str | None, today: date
) -> list[wf.Problem]:
    """Why a review record would be refused, in words a manager can act on (empty: fine)."""
    problems = []
    if kind not in rules.REVIEW_KINDS:
        return [wf.Problem("kind", msg("Choose the kind of meeting."))]
    what = label(_REVIEW_IN_A_SENTENCE[kind])
    stages = rules.REVIEW_STAGES[kind]
    if child.stage == "closed":
        problems.append(wf.Problem("held_on", msg("Child %(child)s's case is closed.", child=child.reference)))
    elif stages is not None and child.stage not in stages:
        problems.append(wf.Problem("kind", msg(
            "A %(what)s cannot be recorded for child %(child)s at their current stage.",
            what=what, child=child.reference,
        )))  # fmt: skip
    elif kind == "looked_after_review" and child.looked_after_since is None:
        problems.append(wf.Problem("kind", msg("Child %(child)s is not looked after now.", child=child.reference)))
    if held_on is None:
        problems.append(wf.Problem("held_on", msg("Enter the date the %(what)s was held", what=what)))
    elif held_on > today:
        problems.append(wf.Problem("held_on", msg("The date the %(what)s was held must be today or in the past",
                                                  what=what)))
    elif stages is not None and held_on < child.stage_since:
        problems.append(wf.Problem("held_on", msg(
            "The date the %(what)s was held must be on or after %(since)s, when the "
            "child's current stage began", what=what, since=child.stage_since,
        )))  # fmt: skip
    elif kind == "looked_after_review" and (counts_from := getattr(child, rules.review_counts_from(kind))) \
            and held_on < counts_from:
        problems.append(wf.Problem("held_on", msg(
            "The date the %(what)s was held must be on or after %(since)s, when the "
            "child's current period of being looked after began", what=what, since=counts_from,
        )))  # fmt: skip
    elif held_on < child.opened_on:
        problems.append(wf.Problem("held_on", msg(
            "The date the %(what)s was held must be on or after %(opened)s, "
            "when the child's case was opened", what=what, opened=child.opened_on,
        )))  # fmt: skip
    if decision not in rules.DECISIONS[kind]:
        problems.append(wf.Problem("decision", msg("Select the decision of the %(what)s", what=what)))
    return problems


def record_review(
    session: Session, child: Child, *, kind: str, held_on: date, decision: str, actor: Actor, now: datetime
) -> int:
    """Add one review record and its audit entry; raise wf.Refused (writing nothing) if invalid."""
    problems = review_problems(child, kind, held_on, decision, now.date())
    if problems:
        raise wf.Refused(problems)
    _keep_the_step_in_step(session, child, kind, held_on, decision, actor, now)
    values = {"kind": kind, "held_on": held_on, "decision": decision}
    review_id = session.execute(
        insert(CaseReview).values(
            la_id=child.la_id, family_id=child.family_id, child_id=child.id, recorded_by_id=actor.user_id,
            recorded_at=now, **values,
        ).returning(CaseReview.id)
    ).scalar_one()  # fmt: skip
    audit(session, actor=actor, action=f"record:{kind}", entity="case_review", entity_id=review_id, now=now,
          la_id=child.la_id, family_id=child.family_id, after={"child": child.reference, **values})
    stored.recompute(session, [child.family_id])
    return review_id


# Children in Need census module 5 (issue 16): a review decision that is also a pathway step is
# recorded as that step too, through the one service, so the queue's record and the history (the
# census's source) stay in step. The step's refusal refuses the record.
REVIEW_STEPS = {
    ("legal_planning_meeting", "start_pre_proceedings"): ("decide_pre_proceedings", None),
    ("pre_proceedings_review", "issue_proceedings"): ("pre_proceedings_decision", "issue"),
    ("pre_proceedings_review", "step_down"): ("pre_proceedings_decision", "step_down"),
}


def _keep_the_step_in_step(session, child: Child, kind: str, held_on: date, decision: str, actor: Actor,
                           now: datetime) -> None:
    if (kind, decision) not in REVIEW_STEPS:
        return
    from ..services import record_step

    event, outcome = REVIEW_STEPS[(kind, decision)]
    family = child.family
    step = wf.PathwayEvent(event=event, date=held_on, family_ref=family.reference, outcome=outcome)
    result = record_step(session, family.local_authority, step, actor=actor, now=now)
    if not result.ok:
        raise wf.Refused([wf.Problem("held_on" if p.field == "date" else "decision", p.message)
                          for e in result.errors for p in e.problems])


def hearing_problems(proceedings: Proceedings, kind: str | None, listed_for: date | None) -> list[wf.Problem]:
    problems = []
    if proceedings.concluded_on is not None:
        problems.append(wf.Problem("kind", msg(
            "Proceedings %(proceedings)s concluded on %(concluded)s.",
            proceedings=proceedings.reference, concluded=proceedings.concluded_on,
        )))  # fmt: skip
    if kind not in rules.HEARING_KINDS:
        problems.append(wf.Problem("kind", msg("Select the kind of hearing")))
    if listed_for is None:
        problems.append(wf.Problem("listed_for", msg("Enter the date the hearing is listed for")))
    elif listed_for < proceedings.issued_on:
        problems.append(wf.Problem("listed_for", msg(
            "The hearing date must be on or after %(issued)s, when the proceedings were issued",
            issued=proceedings.issued_on,
        )))  # fmt: skip
    return problems


def record_hearing(
    session: Session, proceedings: Proceedings, *, kind: str, listed_for: date, actor: Actor, now: datetime
) -> int:
    """Add a hearing listing (a later listing of the same kind replaces it on the queue) and its
    audit entry; raise wf.Refused (writing nothing) if invalid."""
    problems = hearing_problems(proceedings, kind, listed_for)
    if problems:
        raise wf.Refused(problems)
    hearing_id = session.execute(
        insert(Hearing).values(proceedings_id=proceedings.id, kind=kind, listed_for=listed_for).returning(Hearing.id)
    ).scalar_one()
    audit(session, actor=actor, action="record:hearing", entity="hearing", entity_id=hearing_id, now=now,
          la_id=proceedings.la_id, family_id=proceedings.family_id,
          after={"proceedings": proceedings.reference, "kind": kind, "listed_for": listed_for})
    stored.recompute(session, [proceedings.family_id])
    return hearing_id


def hearing_outcome_problems(session: Session, hearing: Hearing, outcome: str | None, reason: str | None) -> list[wf.Problem]:
    problems = []
    if session.scalar(select(HearingOutcome.id).where(HearingOutcome.hearing_id == hearing.id)) is not None:
        problems.append(wf.Problem("outcome", msg("The outcome of this hearing is already recorded.")))
    if outcome not in codes.HEARING_OUTCOMES:
        problems.append(wf.Problem("outcome", msg("Select whether the hearing was held, adjourned or vacated")))
    elif outcome == "held" and reason:
        problems.append(wf.Problem("reason", msg("Leave the reason blank for a hearing that was held")))
    elif outcome == "adjourned" and reason not in codes.ADJOURNMENT_REASONS:
        problems.append(wf.Problem("reason", msg(
            "Select the reason the hearing was adjourned, by the party responsible")))
    elif outcome != "held" and reason not in codes.ADJOURNMENT_REASONS:
        problems.append(wf.Problem("reason", msg("Select the reason the hearing was vacated, by the party responsible")))
    return problems


def record_hearing_outcome(session: Session, hearing: Hearing, *, outcome: str, reason: str | None, actor: Actor,
                           now: datetime) -> int:
    """Record what happened at a listed hearing (once) and its audit entry; raise wf.Refused
    (writing nothing) if invalid."""
    reason = reason or None
    problems = hearing_outcome_problems(session, hearing, outcome, reason)
    if problems:
        raise wf.Refused(problems)
    outcome_id = session.execute(insert(HearingOutcome).values(
        hearing_id=hearing.id, outcome=outcome, reason=reason, recorded_at=now, recorded_by_id=actor.user_id,
    ).returning(HearingOutcome.id)).scalar_one()  # fmt: skip
    proceedings = session.get(Proceedings, hearing.proceedings_id)
    audit(session, actor=actor, action="record:hearing_outcome", entity="hearing", entity_id=hearing.id, now=now,
          la_id=proceedings.la_id, family_id=proceedings.family_id,
          after={"proceedings": proceedings.reference, "kind": hearing.kind, "outcome": outcome, "reason": reason})
    return outcome_id
