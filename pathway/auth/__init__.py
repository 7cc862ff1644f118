"""Signing in and out, sessions that expire after inactivity, and loading the signed-in user.

- Passwords: Argon2id (passwords.py), at least 12 characters.
- Throttling (throttle.py): after 5 failed sign-ins for an e-mail address within 15 minutes the
  sign-in page answers HTTP 429, whether or not the address belongs to a user.
- Idle expiry: a session unused for PERMANENT_SESSION_LIFETIME (30 minutes unless
  SESSION_IDLE_MINUTES says otherwise) is ended; the time comes from the app's clock.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..clock import current_clock
from ..extensions import db, login_manager
from ..models import User
from ..permissions import public, signed_in
from . import throttle
from .passwords import hash_password, needs_rehash, verify_password

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)
SEEN = "pathway_seen"


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(expire_idle_session)


def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.active else None


def _now() -> datetime:
    now = current_clock().now()
    return now if now.tzinfo else now.replace(tzinfo=timezone.utc)


def expire_idle_session():
    """End a session left idle for longer than the configured lifetime."""
    if request.endpoint == "static" or "_user_id" not in session:
        return None
    now = _now()
    seen = session.get(SEEN)
    limit = current_app.config["PERMANENT_SESSION_LIFETIME"]
    if seen is not None and now - datetime.fromisoformat(seen) > limit:
        logout_user()
        session.clear()
        minutes = int(limit.total_seconds() // 60)
        flash(f"You were signed out because you had not used Pathway for {minutes} minutes. "
              "Sign in again to continue.", "info")
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


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    from forms.auth import SignInForm

    if current_user.is_authenticated:
        return redirect(url_for("home"))
    form = SignInForm()
    if request.method == "POST" and form.validate():
        now = _now()
        key = throttle.email_key(current_app.config["SECRET_KEY"], form.email.data)
        if throttle.is_throttled(db.session, key, now):
            log.warning("sign-in throttled for key %s", key[:12])
            return render_template("errors/429.html", sign_in=True), 429
        user = db.session.query(User).filter(User.email == form.email.data.strip().lower()).one_or_none()
        ok = verify_password(user.password_hash if user else None, form.password.data)
        ok = ok and user is not None and user.active
        throttle.note_attempt(db.session, key, now, succeeded=ok)
        if not ok:
            db.session.commit()
            log.info("failed sign-in for key %s", key[:12])
            form.email.errors.append("Enter a correct email address and password")
            return render_template("auth/sign-in.html", form=form), 200
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(form.password.data)
        db.session.commit()
        target = _safe_next(request.args.get("next"))
        session.clear()  # a fresh session on sign-in (no fixation)
        login_user(user)
        session[SEEN] = now.isoformat()
        session.permanent = True
        log.info("user %s signed in", user.id)
        return redirect(target)
    return render_template("auth/sign-in.html", form=form)


@bp.post("/sign-out")
@signed_in
def sign_out():
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.sign_in"))
