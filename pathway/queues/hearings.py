"""Recording what happened at a listed hearing (issue 11): held, adjourned or vacated, with the
court's code for the reason and the party responsible. Team managers of the authority only."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext

from forms.queues import HearingOutcomeForm

from .. import workflow as wf
from ..clock import current_clock
from ..extensions import db
from ..i18n import long_date, render
from ..models import Hearing, Proceedings
from ..permissions import requires
from . import bp, records, rules
from .views import RECORDING_ROLES, _actor, _authority, _back_to_queue, _show_problems


@bp.route("/<la_code>/hearings/<int:hearing_id>/outcome", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def record_hearing_outcome(la_code: str, hearing_id: int):
    la = _authority(la_code)
    hearing = db.session.get(Hearing, hearing_id)
    proceedings = db.session.get(Proceedings, hearing.proceedings_id) if hearing else None
    if proceedings is None or proceedings.la_id != la.id:
        abort(404)
    form = HearingOutcomeForm()
    hearing_name = render(rules.HEARING_KINDS[hearing.kind]).lower()
    if form.validate_on_submit():
        try:
            records.record_hearing_outcome(db.session, hearing, outcome=form.outcome.data, reason=form.reason.data,
                                           actor=_actor(), now=current_clock().now())  # fmt: skip
        except wf.Refused as refused:
            db.session.rollback()
            _show_problems(form, refused.problems, ("outcome", "reason"))
        else:
            db.session.commit()
            flash(gettext("Outcome of the %(hearing)s recorded", hearing=hearing_name), "success")
            return redirect(_back_to_queue(la, "proceedings"))
    return render_template(
        "queues/record.html", form=form, fields=("outcome", "reason"),
        title=gettext("Record the outcome of the %(hearing)s", hearing=hearing_name),
        caption=gettext("Proceedings %(ref)s, listed for %(day)s", ref=proceedings.reference,
                        day=long_date(hearing.listed_for)),
        back=_back_to_queue(la, "proceedings"),
    )  # fmt: skip
