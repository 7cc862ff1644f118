"""Administration: users, local authorities and teams (administrators only)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from forms.admin import AuthorityForm, ResetPasswordForm, TeamForm, UserActionForm, UserForm
from forms.fields import options

from .. import services
from ..auth import end_sessions
from ..auth.passwords import hash_password, password_problem
from ..clock import current_clock
from ..extensions import db
from ..i18n import render
from ..messages import msg
from ..models import LocalAuthority, Team, User
from ..permissions import ADMIN, FJB_VIEWER, requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _actor() -> services.Actor:
    return services.Actor(current_user.id, current_user.email)


def _audit(action: str, entity: str, entity_id: int, after: dict, la_id: int | None = None) -> None:
    services.audit(db.session, actor=_actor(), action=action, entity=entity, entity_id=entity_id,
                   now=current_clock().now(), la_id=la_id, after=after)


def create_user(session, *, email: str, name: str, role: str, password: str, la: LocalAuthority | None = None,
                dfj_area: str | None = None, team: Team | None = None, now) -> User:
    """Add a user (the CLI and the admin page both use this). Raises ValueError with a message."""
    email = email.strip().lower()
    problem = password_problem(password, email)
    if problem:
        raise ValueError(problem)
    if session.scalar(select(User.id).where(User.email == email)):
        raise ValueError(msg("A user with this email address already exists"))
    if role in ("social_worker", "team_manager", "fgc_coordinator") and la is None:
        raise ValueError(msg("A social worker, team manager or FGC coordinator belongs to a local authority"))
    if role == FJB_VIEWER and not dfj_area:
        raise ValueError(msg("A family justice board member belongs to a designated family judge area"))
    user = User(email=email, name=name.strip(), role=role, la_id=la.id if la else None,
                dfj_area=dfj_area if role == FJB_VIEWER else None, team_id=team.id if team else None,
                password_hash=hash_password(password), active=True, created_at=now)
    session.add(user)
    session.flush()
    return user


@bp.route("/users", methods=["GET", "POST"])
@requires(ADMIN)
def users():
    authorities = db.session.scalars(select(LocalAuthority).order_by(LocalAuthority.name)).all()
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    form = UserForm()
    form.la.choices = options([("", gettext("None"))] + [(str(a.id), a.name) for a in authorities])
    form.team.choices = options([("", gettext("None"))] + [
        (str(t.id), f"{t.name}, {db.session.get(LocalAuthority, t.la_id).name}" if t.la_id else t.name) for t in teams])
    form.dfj_area.choices = options([("", gettext("None"))]
                                    + [(a, a) for a in sorted({a.dfj_area for a in authorities})])
    if form.validate_on_submit():
        la = db.session.get(LocalAuthority, int(form.la.data)) if form.la.data else None
        team = db.session.get(Team, int(form.team.data)) if form.team.data else None
        if team is not None and (la is None or team.la_id != la.id):
            form.team.errors.append(gettext("Select a team in the person's local authority"))
        else:
            try:
                user = create_user(db.session, email=form.email.data, name=form.name.data, role=form.role.data,
                                   password=form.password.data, la=la, dfj_area=form.dfj_area.data or None,
                                   team=team, now=current_clock().now())
            except ValueError as problem:
                field = (form.password if "password" in str(problem).lower() else form.email if "email" in str(problem)
                         else form.dfj_area if "judge" in str(problem) else form.la)  # fmt: skip
                field.errors.append(render(problem.args[0]))
            else:
                _audit("create_user", "user", user.id, {"email": user.email, "role": user.role,
                                                        "la_id": user.la_id, "dfj_area": user.dfj_area}, user.la_id)
                db.session.commit()
                flash(gettext("%(name)s can now sign in.", name=user.name), "success")
                return redirect(url_for(".users"))
    people = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("admin/users.html", form=form, people=people)


def _person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users/<int:user_id>")
@requires(ADMIN)
def user(user_id: int):
    """One person: end their sessions, deactivate or reactivate them, reset their password."""
    person = _person(user_id)
    return render_template("admin/user.html", person=person, action=UserActionForm(),
                           reset=ResetPasswordForm(prefix="reset", email=person.email))


def _account_change(person: User, action: str, after: dict, message: str):
    end_sessions(person)
    _audit(action, "user", person.id, {**after, "sessions_ended": True}, person.la_id)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".user", user_id=person.id))


@bp.post("/users/<int:user_id>/end-sessions")
@requires(ADMIN)
def end_user_sessions(user_id: int):
    person = _person(user_id)
    if not UserActionForm().validate_on_submit():
        abort(400)
    return _account_change(person, "end_sessions", {},
                           gettext("%(name)s has been signed out everywhere.", name=person.name))


@bp.post("/users/<int:user_id>/deactivate")
@requires(ADMIN)
def deactivate_user(user_id: int):
    person = _person(user_id)
    if not UserActionForm().validate_on_submit():
        abort(400)
    if person.id == current_user.id:
        flash(gettext("You cannot deactivate yourself: ask another administrator."), "info")
        return redirect(url_for(".user", user_id=person.id))
    person.active = False
    return _account_change(person, "deactivate_user", {"active": False},
                           gettext("%(name)s can no longer sign in, and has been signed out everywhere.",
                                   name=person.name))


@bp.post("/users/<int:user_id>/reactivate")
@requires(ADMIN)
def reactivate_user(user_id: int):
    person = _person(user_id)
    if not UserActionForm().validate_on_submit():
        abort(400)
    person.active = True
    return _account_change(person, "reactivate_user", {"active": True},
                           gettext("%(name)s can sign in again.", name=person.name))


@bp.post("/users/<int:user_id>/password")
@requires(ADMIN)
def reset_password(user_id: int):
    person = _person(user_id)
    reset = ResetPasswordForm(prefix="reset", email=person.email)
    if reset.validate_on_submit():
        person.password_hash = hash_password(reset.password.data)
        return _account_change(person, "reset_password", {},
                               gettext("%(name)s's password has been reset.", name=person.name))
    return render_template("admin/user.html", person=person, action=UserActionForm(), reset=reset, form=reset)


@bp.route("/authorities", methods=["GET", "POST"])
@requires(ADMIN)
def authorities():
    form = AuthorityForm()
    team_form = TeamForm(prefix="team")
    rows = db.session.scalars(select(LocalAuthority).order_by(LocalAuthority.name)).all()
    team_form.la.choices = options([("", gettext("Choose an authority"))] + [(str(a.id), a.name) for a in rows])
    if form.submit.data and form.validate_on_submit():
        code = form.code.data.strip()
        if db.session.scalar(select(LocalAuthority.id).where(LocalAuthority.code == code)):
            form.code.errors.append(gettext("An authority with this code has already been added"))
        else:
            la = LocalAuthority(code=code, name=form.name.data.strip(), nation=form.nation.data,
                                dfj_area=form.dfj_area.data.strip())
            db.session.add(la)
            db.session.flush()
            _audit("create_authority", "local_authority", la.id, {"code": la.code, "name": la.name,
                                                                  "nation": la.nation, "dfj_area": la.dfj_area}, la.id)
            db.session.commit()
            flash(gettext("%(name)s added.", name=la.name), "success")
            return redirect(url_for(".authorities"))
    elif team_form.submit.data and team_form.validate_on_submit():
        la_id = int(team_form.la.data)
        name = team_form.name.data.strip()
        if db.session.scalar(select(Team.id).where(Team.la_id == la_id, Team.name == name)):
            team_form.name.errors.append(gettext("This authority already has a team with this name"))
        else:
            team = Team(la_id=la_id, name=name)
            db.session.add(team)
            db.session.flush()
            _audit("create_team", "team", team.id, {"name": name, "la_id": la_id}, la_id)
            db.session.commit()
            flash(gettext("Team %(name)s added.", name=name), "success")
            return redirect(url_for(".authorities"))
    teams = db.session.scalars(select(Team).order_by(Team.la_id, Team.name)).all()
    shown = team_form if team_form.errors else form
    return render_template("admin/authorities.html", form=shown, authority_form=form, team_form=team_form,
                           authorities=rows, teams=teams)
