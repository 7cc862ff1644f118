"""The queues pages: counts by stage and the needs-attention lists for one authority, with
filters, paging and a CSV download; forms to record a review meeting or a hearing date.

Team managers see their own authority (another authority's URL gives 404, like a family's);
administrators choose any authority and may read but not record. Social workers and board
members get 403.
"""
from __future__ import annotations

import io
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from forms.fields import options
from forms.queues import HearingForm, QueueFiltersForm, ReviewForm

from .. import workflow as wf
from ..clock import current_clock
from ..csv_safety import SafeWriter
from ..extensions import db
from ..i18n import fmt, render
from ..messages import N_
from ..models import Child, LocalAuthority, Proceedings
from ..permissions import ADMIN, TEAM_MANAGER, current_la_scope, has_role, requires
from ..services import Actor
from . import bp, records, rules
from .queries import Filters, QueuePage, QueueRow, build_queue, filter_options

QUEUE_ROLES = (TEAM_MANAGER, ADMIN)
RECORDING_ROLES = (TEAM_MANAGER,)
REVIEW_SLUGS = {kind.replace("_", "-"): kind for kind in rules.REVIEW_KINDS}


def _authority(la_code: str) -> LocalAuthority:
    la = db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == la_code))
    if la is None or not current_la_scope().includes(la.id):
        abort(404)
    return la


def _actor() -> Actor:
    return Actor(current_user.id, current_user.email)


@bp.get("")
@requires(*QUEUE_ROLES)
def index():
    """A manager goes straight to their authority's queues; an administrator chooses one."""
    if current_user.role == TEAM_MANAGER:
        if current_user.local_authority is None:
            abort(403)
        return redirect(url_for(".queue", la_code=current_user.local_authority.code))
    authorities = db.session.scalars(select(LocalAuthority).order_by(LocalAuthority.name)).all()
    return render_template("queues/choose.html", authorities=authorities)


# --------------------------------------------------------------------------------------------
# The queue
# --------------------------------------------------------------------------------------------


def _chosen(la: LocalAuthority) -> tuple[QueueFiltersForm, Filters, str, int]:
    """The filters, list and page from the query string (unknown values are ignored)."""
    teams, workers = filter_options(db.session, la)
    form = QueueFiltersForm(request.args)
    form.team.choices = options([("", N_("All teams"))] + [(str(i), name) for i, name in teams])
    form.worker.choices = options([("", N_("All social workers"))] + [(str(i), name) for i, name in workers])
    form.stage.choices = options([("", N_("All stages"))] + [(s, wf.STAGE[s].label_for(la.nation)) for s in wf.OPEN_STAGES])

    def chosen(field) -> str | None:
        valid = {choice.value for choice in field.choices if choice.value}
        if field.data in valid:
            return field.data
        field.data = ""
        return None

    team, worker, stage = chosen(form.team), chosen(form.worker), chosen(form.stage)
    filters = Filters(int(team) if team else None, int(worker) if worker else None, stage)
    queue = request.args.get("list", "proceedings")
    if queue not in rules.QUEUE:
        queue = "proceedings"
    page = request.args.get("page", default=1, type=int) or 1
    return form, filters, queue, page


def _query_args(filters: Filters, **more) -> dict:
    args = {"team": filters.team_id, "worker": filters.worker_id, "stage": filters.stage, **more}
    return {k: v for k, v in args.items() if v not in (None, "")}


def _due_text(row: QueueRow, queue: rules.Queue, today: date) -> str:
    findings = row.assessment.in_queue(queue.code)
    if queue.lists_whole_stage or not findings:
        return fmt(row.deadline)
    return fmt(rules.urgency(findings))


@bp.get("/<la_code>")
@requires(*QUEUE_ROLES)
def queue(la_code: str):
    la = _authority(la_code)
    form, filters, queue_code, page_number = _chosen(la)
    today = current_clock().today()
    page = build_queue(db.session, la, today, filters, queue_code, page_number)
    return render_template(
        "queues/queue.html", la=la, page=page, form=form, today=today, flags=rules.FLAG, queues=rules.QUEUES,
        stages=wf.STAGE, hearing_kinds=rules.HEARING_KINDS, may_record=has_role(*RECORDING_ROLES),
        args=_query_args(filters), pagination=_pagination(la, page), due_heading=DUE_HEADINGS[queue_code],
        due_text=lambda row: _due_text(row, page.queue, today),
    )  # fmt: skip


DUE_HEADINGS = {
    "proceedings": N_("Deadline"),
    "care_without_fgc": N_("Entered care"),
    "section_20": N_("Due by"),
    "court_timetable": N_("Due by"),
    "emergency_protection": N_("Ends"),
    "looked_after": N_("Review due"),
    "child_protection": N_("Conference due"),
    "pre_proceedings": N_("16 weeks ended"),
    "reunification": N_("Review due"),
    "unallocated": N_("Family opened"),
}


def _pagination(la: LocalAuthority, page: QueuePage) -> dict | None:
    """Parameters for the GOV.UK pagination component (None for a single page)."""
    if page.pages <= 1:
        return None

    def href(n: int) -> str:
        return url_for(".queue", la_code=la.code, **_query_args(page.filters, list=page.queue.code, page=n))

    shown = sorted({1, page.pages, *range(max(1, page.page - 2), min(page.pages, page.page + 2) + 1)})
    items, previous = [], 0
    for n in shown:
        if n - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": n, "href": href(n), "current": n == page.page,
                      "visuallyHiddenText": gettext("Page %(number)s", number=n)})
        previous = n
    # The component's own words are English: each given here in the reader's language.
    params = {"items": items, "landmarkLabel": gettext("Pages of this list")}
    if page.page > 1:
        params["previous"] = {"href": href(page.page - 1), "html": gettext(
            'Previous<span class="govuk-visually-hidden"> page</span>')}
    if page.page < page.pages:
        params["next"] = {"href": href(page.page + 1), "html": gettext(
            'Next<span class="govuk-visually-hidden"> page</span>')}
    return params


CSV_COLUMNS = (
    "child_ref", "family_ref", "stage", "stage_since", "team", "social_worker", "due", "flags",
    "proceedings_ref", "week_of_timetable", "timetable_deadline", "issues_resolution_hearing", "final_hearing",
)  # fmt: skip


@bp.get("/<la_code>/download.csv")
@requires(*QUEUE_ROLES)
def download(la_code: str):
    """The list on show, with the same filters, every page of it."""
    la = _authority(la_code)
    _form, filters, queue_code, _page = _chosen(la)
    today = current_clock().today()
    page = build_queue(db.session, la, today, filters, queue_code, page=None)
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(CSV_COLUMNS)
    for row in page.rows:
        findings = row.assessment.in_queue(queue_code)
        due = row.deadline if page.queue.lists_whole_stage else (rules.urgency(findings) if findings else None)
        writer.writerow([
            row.child_ref, row.family_ref, row.stage, row.stage_since.isoformat(), row.team_name or "",
            row.worker_name or "", due.isoformat() if due else "", ";".join(row.flags), row.proceedings_ref or "",
            row.week_of_timetable or "", row.deadline.isoformat() if row.deadline else "",
            _iso(row.hearings.get("issues_resolution")), _iso(row.hearings.get("final")),
        ])  # fmt: skip
    filename = f"queue-{la.code}-{queue_code.replace('_', '-')}-{today.isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


# --------------------------------------------------------------------------------------------
# Recording a review meeting or a hearing date
# --------------------------------------------------------------------------------------------


def _back_to_queue(la: LocalAuthority, queue_code: str) -> str:
    return url_for(".queue", la_code=la.code, list=queue_code)


def _show_problems(form, problems, fields: tuple[str, ...]) -> None:
    for problem in problems:
        name = problem.field if problem.field in fields else fields[0]
        form[name].errors.append(render(problem.message))


@bp.route("/<la_code>/children/<int:child_id>/<kind_slug>", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def record_review(la_code: str, child_id: int, kind_slug: str):
    la = _authority(la_code)
    kind = REVIEW_SLUGS.get(kind_slug) or abort(404)
    child = db.session.get(Child, child_id)
    if child is None or child.la_id != la.id:
        abort(404)
    back = {"pre_proceedings_review": "pre_proceedings", "looked_after_review": "looked_after"}.get(kind, "section_20")
    form = ReviewForm(kind)
    if form.validate_on_submit():
        try:
            records.record_review(db.session, child, kind=kind, held_on=form.held_on.data, decision=form.decision.data,
                                  actor=_actor(), now=current_clock().now())  # fmt: skip
        except wf.Refused as refused:
            db.session.rollback()
            _show_problems(form, refused.problems, ("held_on", "decision"))
        else:
            db.session.commit()
            flash(gettext("%(review)s recorded for child %(child)s", review=render(rules.REVIEW_KINDS[kind]), child=child.reference),
                  "success")
            return redirect(_back_to_queue(la, back))
    return render_template(
        "queues/record.html", form=form, fields=("held_on", "decision"),
        title=gettext("Record a %(review)s", review=render(rules.REVIEW_KINDS[kind]).lower()),
        caption=gettext("Child %(child)s, family %(family)s", child=child.reference, family=child.family.reference),
        back=_back_to_queue(la, back),
    )  # fmt: skip


@bp.route("/<la_code>/proceedings/<int:proceedings_id>/hearings/new", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def record_hearing(la_code: str, proceedings_id: int):
    la = _authority(la_code)
    proceedings = db.session.get(Proceedings, proceedings_id)
    if proceedings is None or proceedings.la_id != la.id:
        abort(404)
    form = HearingForm()
    if form.validate_on_submit():
        try:
            records.record_hearing(db.session, proceedings, kind=form.kind.data, listed_for=form.listed_for.data,
                                   actor=_actor(), now=current_clock().now())  # fmt: skip
        except wf.Refused as refused:
            db.session.rollback()
            _show_problems(form, refused.problems, ("kind", "listed_for"))
        else:
            db.session.commit()
            flash(gettext("Hearing date recorded for proceedings %(ref)s", ref=proceedings.reference), "success")
            return redirect(_back_to_queue(la, "proceedings"))
    return render_template(
        "queues/record.html", form=form, fields=("kind", "listed_for"), title=gettext("Record a hearing date"),
        caption=gettext("Proceedings %(ref)s", ref=proceedings.reference), back=_back_to_queue(la, "proceedings"),
    )  # fmt: skip
