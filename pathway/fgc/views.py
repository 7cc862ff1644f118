"""Views of the FGC service (see __init__.py)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import exists, select

from forms.steps import STEP_FORMS

from .. import codes, fgc_outcomes, services
from .. import workflow as wf
from ..clock import current_clock
from ..extensions import db
from ..families import network_pages, pages
from ..i18n import render
from ..models import ChildRelation, Family, FamilyGroupConference, FamilyPerson, Person
from ..permissions import COORDINATOR_STEPS, FGC_COORDINATOR, FGC_SERVICE_ROLES, requires
from . import bp, lists


def referred_family_for(user, family_id: int) -> Family:
    """A family a coordinator may see: in their own authority and referred to the FGC service
    (any of its conferences); 404 otherwise, so a URL does not confirm that a family exists."""
    family = db.session.get(Family, family_id)
    if family is None or user.la_id is None or family.la_id != user.la_id:
        abort(404)
    referred = db.session.scalar(select(exists().where(
        FamilyGroupConference.family_id == family.id, FamilyGroupConference.referred_on.is_not(None))))
    if not referred:
        abort(404)
    return family


@bp.get("")
@requires(*FGC_SERVICE_ROLES)
def home():
    """The coordinator's (and the manager's) FGC lists for their own authority."""
    today = current_clock().today()
    la = current_user.local_authority
    if la is None:
        abort(403)
    coordinator = current_user.role == FGC_COORDINATOR
    rows = lists.conferences(db.session, la, today, lists.settings_from(current_app.config), referred_only=coordinator)
    referred = [r for r in rows if r.fgc.referred_on is not None]
    return render_template("fgc/home.html", lists=lists.by_flag(rows), referred=referred, coordinator=coordinator,
                           statuses=codes.FGC_STATUSES, today=today)


def _relation(relationship: str, child_ref: str, parental_responsibility: bool) -> str:
    # Translators: translator-check: "Mam plentyn C1": the relationship (a capitalised label) before the child
    if parental_responsibility:
        return gettext("%(relationship)s of child %(child)s (parental responsibility)", relationship=relationship,
                       child=child_ref)
    return gettext("%(relationship)s of child %(child)s", relationship=relationship, child=child_ref)


def _network(family: Family, state: wf.FamilyCase | None) -> list[dict]:
    names = network_pages.person_names(db.session, family.la_id, state.people if state else ())
    rows = []
    for ref in sorted(state.people if state else ()):
        relations = [
            _relation(render(codes.RELATIONSHIPS.get(r.relationship, r.relationship)), child.ref,
                      r.parental_responsibility)
            for child in state.children.values() for pref, r in child.relations.items() if pref == ref
        ]
        rows.append({"ref": ref, "name": names.get(ref), "relations": relations})
    return rows


@bp.get("/families/<int:family_id>")
@requires(FGC_COORDINATOR)
def family(family_id: int):
    """What a coordinator needs of a referred family: the conferences with the concerns and
    dates, the family network, the outcomes, and the coordinator's steps."""
    family = referred_family_for(current_user, family_id)
    today = current_clock().today()
    state, journeys = pages.family_state_and_journeys(db.session, family, today)
    nation = family.local_authority.nation
    ctx = wf.Context(today=today)
    steps = [pages._offer(wf.step_availability(state, None, name, ctx), nation) for name in COORDINATOR_STEPS]
    return render_template(
        "fgc/family.html", family=family, conferences=[f for f in state.fgcs if f.referred_on] if state else [],
        network=_network(family, state), steps=[s for s in steps if s.possible],
        outcomes=fgc_outcomes.outcomes(state, journeys, today) if state else [],
        statuses=codes.FGC_STATUSES, plan_outcomes=codes.FGC_PLAN_OUTCOMES, close_reasons=codes.FGC_CLOSE_REASONS,
        outcome_words=codes.FGC_OUTCOMES_AT_6_MONTHS, children=sorted(state.children) if state else [],
    )


@bp.route("/families/<int:family_id>/steps/<slug>", methods=["GET", "POST"])
@requires(FGC_COORDINATOR)
def step(family_id: int, slug: str):
    """One of the coordinator's steps, recorded through the one service like every step."""
    from ..families.views import _record

    family = referred_family_for(current_user, family_id)
    name = pages.step_from_slug(slug)
    if name not in COORDINATOR_STEPS:
        abort(404)
    nation = family.local_authority.nation
    form = STEP_FORMS[name]()
    form.adapt(nation)
    form.prepare(*network_pages.form_context(db.session, family, None, current_clock().today()))
    if request.method == "GET":
        form.version.data = str(family.version)
    if form.validate_on_submit():
        event = wf.PathwayEvent(event=name, date=form.date.data, family_ref=family.reference, **form.event_fields())
        if _record(form, family, family.local_authority, [event]):
            flash(gettext("%(what)s for family %(reference)s", what=render(pages.recorded(name, nation)),
                          reference=family.reference), "success")
            return redirect(url_for(".family", family_id=family.id))
    return render_template("families/step.html", form=form, family=family, title=render(pages.step_label(name, nation)),
                           caption=gettext("Family %(reference)s", reference=family.reference), intro=None,
                           back_href=url_for(".family", family_id=family.id))
