"""The managers' family network lists (issue 9): parents to offer post-removal support, and
exceptions recorded without who decided (imported rows), which a manager completes.

Same permissions as the other queue pages: team managers of the authority (administrators may
read). The rules are the workflow's (`FamilyCase.post_removal_support_due`, stored as
`family_people.support_due_from`) and rules.post_removal_support_due.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import insert, select

from forms.queues import DecidedByForm

from .. import codes, services
from .. import workflow as wf
from ..clock import current_clock
from ..extensions import db
from ..i18n import long_date
from ..models import Child, Event, ExceptionDecision, Family, FamilyPerson, Person
from ..permissions import requires
from . import bp, rules
from .views import QUEUE_ROLES, RECORDING_ROLES, _actor, _authority


@dataclass(frozen=True)
class SupportDue:
    family_id: int
    family_ref: str
    person_ref: str
    order_on: date
    due: date
    overdue: bool


@dataclass(frozen=True)
class MissingDecision:
    event_id: int
    family_id: int
    family_ref: str
    child_ref: str | None
    event: str
    on: date
    exception: str


def support_due(session, la_id: int, today: date) -> list[SupportDue]:
    """Mothers and fathers placed apart from a child by a final order, with no post-removal
    support recorded since: most overdue first."""
    rows = session.execute(
        select(Family.id, Family.reference, Person.reference, FamilyPerson.support_due_from)
        .join(FamilyPerson, FamilyPerson.family_id == Family.id).join(Person, Person.id == FamilyPerson.person_id)
        .where(Family.la_id == la_id, FamilyPerson.support_due_from.is_not(None),
               FamilyPerson.support_due_from <= today)
        .order_by(FamilyPerson.support_due_from, Family.reference, Person.reference)
    ).all()  # fmt: skip
    found = []
    for family_id, family_ref, person_ref, order_on in rows:
        due = rules.post_removal_support_due(order_on)
        found.append(SupportDue(family_id, family_ref, person_ref, order_on, due, today > due))
    return found


def missing_decisions(session, la_id: int) -> list[MissingDecision]:
    """Steps recorded with an exception but without who decided (accepted from an import), and
    not yet completed by a manager: oldest first."""
    rows = session.execute(
        select(Event.id, Family.id, Family.reference, Child.reference, Event.event, Event.occurred_on, Event.exception)
        .join(Family, Family.id == Event.family_id).outerjoin(Child, Child.id == Event.child_id)
        .outerjoin(ExceptionDecision, ExceptionDecision.event_id == Event.id)
        .where(Event.la_id == la_id, Event.exception.is_not(None), Event.decided_by.is_(None),
               ExceptionDecision.id.is_(None))
        .order_by(Event.occurred_on, Event.id)
    ).all()  # fmt: skip
    return [MissingDecision(*row) for row in rows]


@bp.get("/<la_code>/family-network")
@requires(*QUEUE_ROLES)
def family_network(la_code: str):
    la = _authority(la_code)
    today = current_clock().today()
    return render_template(
        "queues/family-network.html", la=la, today=today, support=support_due(db.session, la.id, today),
        missing=missing_decisions(db.session, la.id), service=codes.POST_REMOVAL_SERVICE[la.nation],
        may_record=current_user.role in RECORDING_ROLES, step_label=lambda name: wf.event_label(name, la.nation),
    )  # fmt: skip


@bp.route("/<la_code>/exceptions/<int:event_id>/decided-by", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def complete_decision(la_code: str, event_id: int):
    """Record who decided an exception that came in from an import without it."""
    la = _authority(la_code)
    wanted = {m.event_id: m for m in missing_decisions(db.session, la.id)}
    missing = wanted.get(event_id) or abort(404)
    form = DecidedByForm()
    if form.validate_on_submit():
        now = current_clock().now()
        db.session.execute(insert(ExceptionDecision).values(
            event_id=event_id, decided_by=form.decided_by.data.strip(), recorded_at=now, recorded_by_id=current_user.id,
        ))  # fmt: skip
        services.audit(db.session, actor=_actor(), action="record:decided_by", entity="event", entity_id=event_id,
                       now=now, la_id=la.id, family_id=missing.family_id, after={"decided_by": "recorded"})
        db.session.commit()
        flash(gettext("Who decided recorded for family %(family)s", family=missing.family_ref), "success")
        return redirect(url_for(".family_network", la_code=la.code))
    back = url_for(".family_network", la_code=la.code)
    return render_template(
        "queues/record.html", form=form, fields=("decided_by",), title=gettext("Record who decided the exception"),
        caption=(gettext("Family %(family)s, child %(child)s", family=missing.family_ref, child=missing.child_ref)
                 if missing.child_ref else gettext("Family %(family)s", family=missing.family_ref)),
        back=back, intro=gettext("The reason recorded on %(day)s: %(reason)s", day=long_date(missing.on),
                                 reason=missing.exception),
    )  # fmt: skip
