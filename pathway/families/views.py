"""Views of the families blueprint (see __init__.py)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from forms.families import AllocationForm, FindFamilyForm
from forms.steps import STEP_FORMS, AddChildForm, NewFamilyForm, StepForm
from forms.fields import options

from .. import services
from .. import workflow as wf
from ..clock import current_clock
from ..extensions import db
from ..i18n import long_date, render
from ..models import Child, Family, Proceedings, Team, User
from ..permissions import (
    ALLOCATING_ROLES,
    AUDIT_ROLES,
    CASE_ROLES,
    FGC_COORDINATOR,
    RECORDING_ROLES,
    SOCIAL_WORKER,
    TEAM_MANAGER,
    family_for,
    has_role,
    requires,
)
from . import bp, network_pages, pages

UNALLOCATED_SHOWN = 25
FOUND_SHOWN = 50


def _actor() -> services.Actor:
    return services.Actor(current_user.id, current_user.email)


# --------------------------------------------------------------------------------------------
# Home: my allocated families
# --------------------------------------------------------------------------------------------


@bp.route("", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def home():
    today = current_clock().today()
    find = FindFamilyForm()
    matches, matches_more = [], False
    if find.validate_on_submit():
        matches = pages.find_families(db.session, current_user.la_id, find.reference.data, FOUND_SHOWN + 1)
        matches_more, matches = len(matches) > FOUND_SHOWN, matches[:FOUND_SHOWN]
        if len(matches) == 1:
            return redirect(url_for(".family", family_id=matches[0].family.id))
        if not matches:
            find.reference.errors.append(
                _("No family or child in your authority has a reference containing that. Check it and try again."))
    mine = select(Family).where(Family.la_id == current_user.la_id).order_by(Family.reference)
    if current_user.role == TEAM_MANAGER and current_user.team_id:
        allocated = db.session.scalars(mine.where(Family.team_id == current_user.team_id)).all()
    else:
        allocated = db.session.scalars(mine.where(Family.worker_id == current_user.id)).all()
    unallocated, unallocated_count = [], 0
    if current_user.role == TEAM_MANAGER:
        condition = (Family.la_id == current_user.la_id) & Family.team_id.is_(None)
        unallocated_count = db.session.scalar(select(func.count(Family.id)).where(condition))
        unallocated = db.session.scalars(
            select(Family).where(condition).order_by(Family.opened_on.desc(), Family.id.desc()).limit(UNALLOCATED_SHOWN)
        ).all()  # fmt: skip
    return render_template(
        "families/home.html",
        rows=pages.family_rows(db.session, allocated, today),
        unallocated=pages.family_rows(db.session, unallocated, today),
        unallocated_count=unallocated_count,
        find=find,
        form=find,
        matches=matches,
        matches_more=matches_more,
    )


# --------------------------------------------------------------------------------------------
# Recording steps
# --------------------------------------------------------------------------------------------


def _field_for(form: StepForm, problem_field: str) -> str:
    """The form field a refusal concerns; a refusal about the step as a whole goes to the first field."""
    if problem_field in form.FIELDS:
        return problem_field
    return form.FIELDS[0]


def _show_problems(form: StepForm, problems) -> None:
    for problem in problems:
        form[_field_for(form, problem.field)].errors.append(render(problem.message))


def _record(form: StepForm, family: Family | None, la, steps: list[wf.PathwayEvent], new_family: bool = False) -> bool:
    """Record the steps in one transaction through the pathway service: all or nothing. For a
    `new_family`, version 0: if another writer has just opened a family with the same reference,
    that is a conflict, never a merge into their family."""
    expected = 0 if new_family else None
    if family is not None:
        try:
            expected = int(form.version.data)
        except (TypeError, ValueError):
            _show_problems(form, [wf.Problem("version", services.Conflict(family.reference).message)])
            return False
    now = current_clock().now()
    try:
        for i, step in enumerate(steps):
            outcome = services.record_step(db.session, la, step, actor=_actor(), now=now,
                                           expected_version=expected if i == 0 else None)
            if not outcome.ok:
                db.session.rollback()
                for error in outcome.errors:
                    _show_problems(form, error.problems)
                return False
    except services.Conflict as conflict:
        db.session.rollback()
        message = conflict.message
        if new_family:
            message = _("Someone else opened a family with the reference %(family)s a moment ago. Nothing has been "
                        "saved. If it is the same family, find it from My families and add the child there.",
                        family=conflict.family_ref)
        _show_problems(form, [wf.Problem("version", message)])
        return False
    db.session.commit()
    return True


def _step_page(form: StepForm, family: Family | None, title: str, caption: str, intro: str | None = None):
    return render_template("families/step.html", form=form, family=family, title=title, caption=caption,
                           intro=intro)


@bp.route("/new", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def new_family():
    la = current_user.local_authority
    form = NewFamilyForm()
    form.adapt(la.nation)
    if form.validate_on_submit():
        ref = form.family_ref.data.strip()
        if db.session.scalar(select(Family.id).where(Family.la_id == la.id, Family.reference == ref)):
            form.family_ref.errors.append(_(
                "A family with this reference is already open in your authority. Find it from My families "
                "and add the child there."
            ))
        else:
            step = wf.PathwayEvent(event="open_case", date=form.date.data, family_ref=ref, **form.event_fields())
            if _record(form, None, la, [step], new_family=True):
                family = db.session.scalar(select(Family).where(Family.la_id == la.id, Family.reference == ref))
                if current_user.role != TEAM_MANAGER:
                    _allocate(family, current_user.team_id, current_user.id)
                    db.session.commit()
                flash(_("Family %(family)s opened with child %(child)s", family=ref, child=step.child_ref), "success")
                return redirect(url_for(".family", family_id=family.id))
    return _step_page(form, None, _("Open a new family"), _("New family"),
                      _("Open the first child's case. You can add brothers and sisters from the family's page."))


@bp.route("/<int:family_id>/children/new", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def add_child(family_id: int):
    family = family_for(current_user, family_id)
    form = AddChildForm()
    form.adapt(family.local_authority.nation)
    if request.method == "GET":
        form.version.data = str(family.version)
    if form.validate_on_submit():
        step = wf.PathwayEvent(event="open_case", date=form.date.data, family_ref=family.reference,
                               **form.event_fields())
        if _record(form, family, family.local_authority, [step]):
            flash(_("Child %(child)s added to family %(family)s", child=step.child_ref, family=family.reference),
                  "success")
            return redirect(url_for(".family", family_id=family.id))
    return _step_page(form, family, _("Add a child to the family"), _("Family %(reference)s", reference=family.reference))


def _step_or_404(slug: str, level: str) -> str:
    name = pages.step_from_slug(slug)
    if name is None or name == "open_case" or wf.EVENT[name].level != level or name in wf.NETWORK_EVENTS:
        abort(404)  # family network steps have their own pages (network.py)
    return name


@bp.route("/<int:family_id>/steps/<slug>", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def family_step(family_id: int, slug: str):
    """A family-level step: the FGC offer and its outcome, the letter before proceedings."""
    family = family_for(current_user, family_id)
    name = _step_or_404(slug, "family")
    nation = family.local_authority.nation
    form = STEP_FORMS[name]()
    form.adapt(nation)
    form.prepare(*network_pages.form_context(db.session, family, None, current_clock().today()))
    if name == "allocate_fgc_coordinator":  # FGC service (issue 13): the authority's coordinators
        form.coordinators(db.session.scalars(select(User).where(
            User.la_id == family.la_id, User.role == FGC_COORDINATOR, User.active.is_(True)).order_by(User.name)))
    if request.method == "GET":
        form.version.data = str(family.version)
    if form.validate_on_submit():
        step = wf.PathwayEvent(event=name, date=form.date.data, family_ref=family.reference, **form.event_fields())
        if _record(form, family, family.local_authority, [step]):
            flash(_("%(recorded)s for family %(family)s", recorded=render(pages.recorded(name, nation)),
                    family=family.reference), "success")
            return redirect(url_for(".family", family_id=family.id))
    return _step_page(form, family, render(pages.step_label(name, nation)),
                      _("Family %(reference)s", reference=family.reference))


def _child_of(family: Family, child_id: int) -> Child:
    child = db.session.get(Child, child_id)
    if child is None or child.family_id != family.id:
        abort(404)
    return child


def _open_proceedings_ref(child: Child) -> str | None:
    p = pages.open_proceedings_by_child(db.session, [child.id]).get(child.id)
    return p.reference if p else None


@bp.route("/<int:family_id>/children/<int:child_id>/steps/<slug>", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def child_step(family_id: int, child_id: int, slug: str):
    """A step for one child (and, for a care application, any brothers and sisters with them)."""
    family = family_for(current_user, family_id)
    child = _child_of(family, child_id)
    name = _step_or_404(slug, "child")
    nation = family.local_authority.nation
    form = STEP_FORMS[name]()
    form.adapt(nation)
    form.prepare(*network_pages.form_context(db.session, family, child.reference, current_clock().today()))
    siblings = []
    if name == "issue_proceedings":
        siblings = [c for c in family.children if c.id != child.id and "issue_proceedings" in wf.steps_allowed(c.stage)]
        form.also.choices = options((str(c.id), _("Child %(child)s", child=c.reference)) for c in siblings)
        if not siblings:
            form.FIELDS = tuple(f for f in form.FIELDS if f != "also")
    if request.method == "GET":
        form.version.data = str(family.version)
    if form.validate_on_submit():
        fields = form.event_fields()
        if name in ("final_order", "interim_order"):
            fields["proceedings_ref"] = _open_proceedings_ref(child)
        children = [child]
        if name == "issue_proceedings":
            chosen = set(form.also.data or [])
            children += [c for c in siblings if str(c.id) in chosen]
        steps = [wf.PathwayEvent(event=name, date=form.date.data, family_ref=family.reference,
                                 child_ref=c.reference, **fields) for c in children]
        if _record(form, family, family.local_authority, steps):
            who = _("child %(child)s", child=children[0].reference)
            for c in children[1:]:  # "child A and child B"
                who = _("%(first)s and %(next)s", first=who, next=_("child %(child)s", child=c.reference))
            flash(_("%(recorded)s for %(children)s", recorded=render(pages.recorded(name, nation)), children=who),
                  "success")
            return redirect(url_for(".family", family_id=family.id))
    stage = pages.stage_label(child.stage, nation)
    intro = None
    if request.method == "GET":
        state = services.family_state(db.session, family, current_clock().today())
        offer = wf.step_availability(state, child.reference, name, wf.Context(today=current_clock().today()))
        if not offer.possible:
            intro = _("Not possible yet for child %(child)s: %(reason)s", child=child.reference,
                      reason=render(offer.reason))
        elif offer.needs_exception:
            intro = _("This step needs an exception: %(reason)s", reason=render(offer.reason))
    return _step_page(form, family, render(pages.step_label(name, nation)),
                      _("Family %(family)s: child %(child)s, %(stage)s", family=family.reference,
                        child=child.reference, stage=render(stage)), intro)


@bp.route("/<int:family_id>/proceedings/<int:proceedings_id>/extend", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def extend_timetable(family_id: int, proceedings_id: int):
    family = family_for(current_user, family_id)
    proceedings = db.session.get(Proceedings, proceedings_id)
    if proceedings is None or proceedings.family_id != family.id:
        abort(404)
    nation = family.local_authority.nation
    form = STEP_FORMS["extend_timetable"]()
    form.parties(sorted(pc.child.reference for pc in proceedings.parties if pc.order_type is None))
    if request.method == "GET":
        form.version.data = str(family.version)
    if form.validate_on_submit():
        step = wf.PathwayEvent(event="extend_timetable", date=form.date.data, family_ref=family.reference,
                               child_ref=form.child(), proceedings_ref=proceedings.reference, **form.event_fields())
        if _record(form, family, family.local_authority, [step]):
            flash(ngettext("Extension of %(num)d week recorded for proceedings %(proceedings)s",
                           "Extension of %(num)d weeks recorded for proceedings %(proceedings)s", step.weeks,
                           proceedings=proceedings.reference), "success")
            return redirect(url_for(".family", family_id=family.id))
    return _step_page(form, family, render(pages.step_label("extend_timetable", nation)),
                      _("Family %(family)s: proceedings %(proceedings)s", family=family.reference,
                        proceedings=proceedings.reference),
                      _("The timetable currently ends on %(deadline)s.", deadline=long_date(proceedings.deadline)))


# --------------------------------------------------------------------------------------------
# The family page and allocation
# --------------------------------------------------------------------------------------------


@bp.get("/<int:family_id>", defaults={"section": ""})
@bp.get("/<int:family_id>/<section>")  # fixed paths (/allocation, /steps/...) match before this
@requires(*CASE_ROLES)
def family(family_id: int, section: str):
    """The family page, in parts (pages.SECTIONS): summary, children, timeline, audit trail."""
    family = family_for(current_user, family_id)
    part = pages.SECTION.get(section)
    if part is None or part.template is None:
        abort(404)
    if part.roles is not None and not has_role(*part.roles):
        abort(403)
    today = current_clock().today()
    page = pages.family_page(db.session, family, today, with_audit=part.slug == "audit",
                             may_record=has_role(*RECORDING_ROLES), with_timeline=part.slug == "timeline")
    extra = part.context(db.session, family, today) if part.context else {}
    return render_template(part.template, page=page, section=part, sections=pages.sections_for(current_user.role),
                           may_allocate=has_role(*ALLOCATING_ROLES), show_raw=has_role(*AUDIT_ROLES), **extra)


def _allocate(family: Family, team_id: int | None, worker_id: int | None) -> None:
    services.allocate(db.session, family, team_id, worker_id, actor=_actor(), now=current_clock().now())


@bp.route("/<int:family_id>/allocation", methods=["GET", "POST"])
@requires(*ALLOCATING_ROLES)
def allocation(family_id: int):
    family = family_for(current_user, family_id)
    form = AllocationForm()
    teams = db.session.scalars(select(Team).where(Team.la_id == family.la_id).order_by(Team.name)).all()
    workers = db.session.scalars(
        select(User).where(User.la_id == family.la_id, User.active.is_(True),
                           User.role == SOCIAL_WORKER).order_by(User.name)
    ).all()  # fmt: skip
    form.team.choices = options([("", _("Choose a team"))] + [(str(t.id), t.name) for t in teams])
    form.worker.choices = options([("", _("Choose a social worker"))] + [
        (str(u.id), f"{u.name}, {u.team.name}" if u.team else u.name) for u in workers
    ])
    if request.method == "GET":
        form.team.data = str(family.team_id or "")
        form.worker.data = str(family.worker_id or "")
        form.version.data = str(family.version)
    if form.validate_on_submit():
        try:  # like every other write, only on the version the page was loaded with
            services.move_version_on(db.session, family, int(form.version.data or "-1"))
        except (ValueError, services.Conflict):
            db.session.rollback()
            form.team.errors.append(render(services.Conflict(family.reference).message))
        else:
            _allocate(family, int(form.team.data), int(form.worker.data))
            db.session.commit()
            flash(_("Family %(family)s allocated", family=family.reference), "success")
            return redirect(url_for(".family", family_id=family.id))
    return render_template("families/allocation.html", form=form, family=family)


@bp.route("/<int:family_id>/proceedings/<int:proceedings_id>/fdac", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def heard_in_fdac(family_id: int, proceedings_id: int):
    """Record that proceedings are heard in a Family Drug and Alcohol Court (issue 11)."""
    from forms.steps import HeardInFdacForm

    family = family_for(current_user, family_id)
    proceedings = db.session.get(Proceedings, proceedings_id)
    if proceedings is None or proceedings.family_id != family.id:
        abort(404)
    form = HeardInFdacForm()
    if request.method == "GET":
        form.version.data = str(family.version)
    if form.validate_on_submit():
        step = wf.PathwayEvent(event="heard_in_fdac", date=form.date.data, family_ref=family.reference,
                               proceedings_ref=proceedings.reference)
        if _record(form, family, family.local_authority, [step]):
            flash(_("Proceedings %(proceedings)s recorded as heard in a Family Drug and Alcohol Court",
                    proceedings=proceedings.reference), "success")
            return redirect(url_for(".family", family_id=family.id))
    return _step_page(form, family, render(pages.step_label("heard_in_fdac", family.local_authority.nation)),
                      _("Family %(family)s: proceedings %(proceedings)s", family=family.reference,
                        proceedings=proceedings.reference))
