"""The family network pages (issue 9): the network, its steps, the genogram and the court
application summary. Thin views on the families blueprint: who may see the family is checked by
pathway.permissions, steps go through the one service, pages are built by network_pages."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forms.network import NETWORK_FORMS

from .. import services
from .. import workflow as wf
from ..clock import current_clock
from ..extensions import db
from ..i18n import render
from ..messages import N_
from ..models import Family, Person, Proceedings
from ..permissions import CASE_ROLES, RECORDING_ROLES, family_for, has_role, requires
from . import bp, network_pages, pages
from .views import _actor, _child_of, _record, _step_page

FAMILY_LEVEL = ("add_person", "carer_assessment", "post_removal_support")
CHILD_LEVEL = ("relate_person", "object_to_accommodation", "withdraw_objection")
RECORDED = {
    "add_person": N_("Person added to the family network"),
    "relate_person": N_("Relationship recorded"),
    "object_to_accommodation": N_("Objection recorded"),
    "withdraw_objection": N_("Withdrawal of the objection recorded"),
    "carer_assessment": N_("Carer assessment recorded"),
    "post_removal_support": N_("Post-removal support recorded"),
}


def _network_step(slug: str, allowed: tuple[str, ...]) -> str:
    name = pages.step_from_slug(slug)
    if name not in allowed:
        abort(404)
    return name


@bp.get("/<int:family_id>/network")
@requires(*CASE_ROLES)
def network(family_id: int):
    family = family_for(current_user, family_id)
    page = network_pages.network_page(db.session, family, current_clock().today(),
                                      may_record=has_role(*RECORDING_ROLES))
    return render_template("families/network.html", page=page, step_label=pages.step_label,
                           step_slug=pages.step_slug, service=wf.codes.POST_REMOVAL_SERVICE[page.nation])


def _save_name(family: Family, ref: str, name: str | None) -> None:
    """A name typed on the add-person form: kept on the person (never in the event file), audited
    without the name itself."""
    if not name:
        return
    person = db.session.scalar(select(Person).where(Person.la_id == family.la_id, Person.reference == ref))
    if person is None or person.name == name:
        return
    had = person.name is not None
    person.name = name
    services.audit(db.session, actor=_actor(), action="person:name", entity="person", entity_id=person.id,
                   now=current_clock().now(), la_id=family.la_id, family_id=family.id,
                   before={"name": "recorded" if had else None}, after={"name": "recorded"})


def _network_form(name: str, family: Family, child_ref: str | None):
    form = NETWORK_FORMS[name]()
    form.adapt(family.local_authority.nation)
    form.prepare(*network_pages.form_context(db.session, family, child_ref, current_clock().today()))
    if request.method == "GET":
        form.version.data = str(family.version)
    return form


@bp.route("/<int:family_id>/network/<slug>", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def network_step(family_id: int, slug: str):
    """A family-level network step: a person added, a carer assessment, post-removal support."""
    family = family_for(current_user, family_id)
    name = _network_step(slug, FAMILY_LEVEL)
    form = _network_form(name, family, None)
    if form.validate_on_submit():
        step = wf.PathwayEvent(event=name, date=form.date.data, family_ref=family.reference, **form.event_fields())
        if _record(form, family, family.local_authority, [step]):
            if name == "add_person":
                _save_name(family, step.person_ref, (form.name.data or "").strip() or None)
                db.session.commit()
            flash(render(RECORDED[name]), "success")
            return redirect(url_for(".network", family_id=family.id))
    return _step_page(form, family, render(pages.step_label(name, family.local_authority.nation)),
                      _("Family %(family)s: family network", family=family.reference))


@bp.route("/<int:family_id>/children/<int:child_id>/network/<slug>", methods=["GET", "POST"])
@requires(*RECORDING_ROLES)
def child_network_step(family_id: int, child_id: int, slug: str):
    """A network step for one child: a relationship, an objection, its withdrawal."""
    family = family_for(current_user, family_id)
    child = _child_of(family, child_id)
    name = _network_step(slug, CHILD_LEVEL)
    form = _network_form(name, family, child.reference)
    if form.validate_on_submit():
        step = wf.PathwayEvent(event=name, date=form.date.data, family_ref=family.reference,
                               child_ref=child.reference, **form.event_fields())
        if _record(form, family, family.local_authority, [step]):
            flash(_("%(recorded)s for child %(child)s", recorded=render(RECORDED[name]), child=child.reference),
                  "success")
            return redirect(url_for(".network", family_id=family.id))
    return _step_page(form, family, render(pages.step_label(name, family.local_authority.nation)),
                      _("Family %(family)s: child %(child)s", family=family.reference, child=child.reference))


@bp.get("/<int:family_id>/genogram")
@requires(*CASE_ROLES)
def genogram(family_id: int):
    family = family_for(current_user, family_id)
    drawing = network_pages.genogram_page(db.session, family, current_clock().today())
    return render_template("families/genogram.html", family=family, genogram=drawing)


@bp.get("/<int:family_id>/proceedings/<int:proceedings_id>/court-summary")
@requires(*CASE_ROLES)
def court_summary(family_id: int, proceedings_id: int):
    family = family_for(current_user, family_id)
    proceedings = db.session.get(Proceedings, proceedings_id)
    if proceedings is None or proceedings.family_id != family.id:
        abort(404)
    summary = network_pages.court_summary(db.session, family, proceedings, current_clock().today())
    return render_template("families/court-summary.html", summary=summary)
