"""Signing in and out, sessions that end, and loading the signed-in user.

- Passwords: Argon2id, and the NCSC-style rule of passwords.py (also for changing your own).
- Throttling (throttle.py): per account and per address, with exponential backoff, never more
  than a short wait for a correct password from the account's usual place; refusals are HTTP
  429 with Retry-After, and are audited.
- Sessions end: at sign-out on the server too (the user's session generation moves on, so a
  copied cookie stops working, on every device); after PERMANENT_SESSION_LIFETIME unused (30
  minutes unless SESSION_IDLE_MINUTES says otherwise); and SESSION_ABSOLUTE_LIFETIME after
  signing in however busy (8 hours unless SESSION_ABSOLUTE_HOURS says otherwise). An
  administrator can end all of a user's sessions. Signing in starts a new session (a new
  session id, nothing carried over). Times come from the app's clock.
"""
from __future__ import annotations

import logging
import secrets
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from .. import services
from ..clock import current_clock
from ..extensions import db, login_manager
from ..i18n import current_language
from ..messages import N_
from ..models import User
from ..permissions import public, signed_in
from . import throttle
from .passwords import hash_password, needs_rehash, verify_password

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)
SEEN = "pathway_seen"
SIGNED_IN_AT = "pathway_signed_in_at"
GENERATION = "pathway_generation"
SESSION_ID = "pathway_sid"


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = N_("Sign in to continue.")
    login_manager.localize_callback = gettext  # the flash in the reader's language
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(check_session)


def load_user(user_id: str) -> User | None:
    """The session's user, if still active and the session was made under their current
    generation (signing out, or an administrator, moves it on)."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError, OverflowError):
        return None
    if user is None or not user.active:
        return None
    if session.get(GENERATION) != user.session_generation:
        return None
    return user


def _now() -> datetime:
    now = current_clock().now()
    return now if now.tzinfo else now.replace(tzinfo=timezone.utc)


def _clear_keeping_language() -> None:
    """Empty the session, but go on showing the pages in the language the person was reading."""
    language = current_language()
    session.clear()
    if language != "en":
        session["language"] = language


def _end(message: str) -> None:
    logout_user()
    _clear_keeping_language()
    flash(message, "info")


def check_session():
    """End a session that was ended elsewhere, left idle too long, or is older than the
    absolute lifetime."""
    if request.endpoint == "static" or "_user_id" not in session:
        return None
    now = _now()
    if not current_user.is_authenticated:  # ended at sign-out, by an administrator, or deactivated
        _end(gettext("Your session has ended. Sign in again to continue."))
        return None
    try:
        seen = datetime.fromisoformat(session[SEEN])
        started = datetime.fromisoformat(session[SIGNED_IN_AT])
    except (KeyError, TypeError, ValueError):
        _end(gettext("Your session has ended. Sign in again to continue."))
        return None
    idle = current_app.config["PERMANENT_SESSION_LIFETIME"]
    absolute = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    if now - started > absolute:
        hours = int(absolute.total_seconds() // 3600)
        _end(gettext("You were signed out because you signed in more than %(hours)s hours ago. "
                     "Sign in again to continue.", hours=hours))
        return None
    if now - seen > idle:
        minutes = int(idle.total_seconds() // 60)
        _end(gettext("You were signed out because you had not used Pathway for %(minutes)s minutes. "
                     "Sign in again to continue.", minutes=minutes))
        return None
    session[SEEN] = now.isoformat()
    session.permanent = True
    return None


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("home")


def _throttled(attempt: throttle.Attempt, decision: throttle.Decision, now: datetime):
    services.audit(db.session, actor=services.Actor(None, "sign-in"), action="sign_in_throttled",
                   entity="sign_in", entity_id=None, now=now,
                   after={"scope": decision.scope, "key": decision.key.split(":")[1][:12],
                          "retry_after_seconds": decision.retry_after,
                          "failures": attempt.rows[decision.key].failures})  # fmt: skip
    db.session.commit()
    log.warning("sign-in throttled (%s %s, retry after %s s)", decision.scope, decision.key.split(":")[1][:12],
                decision.retry_after)
    response = render_template("errors/429.html", sign_in=True, retry_after=decision.retry_after), 429
    return response[0], 429, {"Retry-After": str(decision.retry_after)}


def start_session(user: User, now: datetime) -> None:
    """A new session for `user`: nothing carried over from before (no fixation) but the language
    chosen on the sign-in page, a new id."""
    from .. import i18n

    chosen = session.get("language")
    session.clear()
    login_user(user)
    i18n.on_sign_in(user, chosen)
    session[GENERATION] = user.session_generation
    session[SESSION_ID] = secrets.token_urlsafe(16)
    session[SIGNED_IN_AT] = session[SEEN] = now.isoformat()
    session.permanent = True


def end_sessions(user: User) -> None:
    """Every session `user` has, on any device, ends at its next request."""
    user.session_generation = (user.session_generation or 0) + 1


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    from forms.auth import SignInForm

    if current_user.is_authenticated:
        return redirect(url_for("home"))
    form = SignInForm()
    if request.method == "POST" and form.validate():
        now = _now()
        email = form.email.data.strip().lower()
        attempt = throttle.Attempt(db.session, current_app.config["SECRET_KEY"], email, request.remote_addr, now)
        decision = attempt.check()  # the rows stay locked until the commit below
        if not decision.allowed:
            return _throttled(attempt, decision, now)
        user = db.session.query(User).filter(User.email == email).one_or_none()
        ok = verify_password(user.password_hash if user else None, form.password.data)
        ok = ok and user is not None and user.active
        if not ok:
            attempt.failed()
            db.session.commit()
            log.info("failed sign-in for key %s", attempt.account.split(":")[1][:12])
            form.email.errors.append(gettext("Enter a correct email address and password"))
            return render_template("auth/sign-in.html", form=form), 200
        attempt.succeeded()
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(form.password.data)
        target = _safe_next(request.args.get("next"))
        start_session(user, now)
        db.session.commit()  # the throttle's rows, a rehashed password, a first language
        log.info("user %s signed in", user.id)
        return redirect(target)
    return render_template("auth/sign-in.html", form=form)


@bp.post("/sign-out")
@signed_in
def sign_out():
    user = db.session.get(User, current_user.id)
    end_sessions(user)  # a copy of this session's cookie no longer works either
    db.session.commit()
    message = gettext("You have signed out.")  # in their language, before they are signed out
    logout_user()
    _clear_keeping_language()
    flash(message, "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    """Change your own password: the current one first, then the new one by the same rule as
    everywhere. Your other sessions end; this one carries on."""
    from forms.auth import ChangePasswordForm

    form = ChangePasswordForm(email=current_user.email)
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        if not verify_password(user.password_hash, form.current.data):
            form.current.errors.append(gettext("Your current password is not correct"))
        else:
            now = _now()
            user.password_hash = hash_password(form.new.data)
            end_sessions(user)
            services.audit(db.session, actor=services.Actor(user.id, user.email), action="change_password",
                           entity="user", entity_id=user.id, now=now, la_id=user.la_id,
                           after={"sessions_ended": True})  # fmt: skip
            db.session.commit()
            start_session(user, now)
            flash(gettext("Your password has been changed. You have been signed out everywhere else."), "success")
            return redirect(url_for("home"))
    return render_template("auth/password.html", form=form)
