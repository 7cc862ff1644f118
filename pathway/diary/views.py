"""The diary pages and the feed (see __init__.py)."""
from __future__ import annotations

import hashlib
import secrets

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import delete, insert, select

from ..clock import current_clock
from ..extensions import db
from ..models import DiaryFeed, User
from ..permissions import SOCIAL_WORKER, TEAM_MANAGER, public, requires
from ..queues.queries import Filters, attach_hearings, open_children
from ..services import Actor, audit
from . import bp
from .items import diary_items, to_ical

ROLES = (SOCIAL_WORKER, TEAM_MANAGER)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _items_for(user: User, today):
    """A social worker's own families; a team manager's team's."""
    if user.la_id is None:
        return []
    if user.role == TEAM_MANAGER and user.team_id:
        filters = Filters(team_id=user.team_id)
    else:
        filters = Filters(worker_id=user.id)
    rows = open_children(db.session, today, [user.la_id], filters)
    attach_hearings(db.session, rows)
    return diary_items(rows, today)


@bp.get("")
@requires(*ROLES)
def diary():
    today = current_clock().today()
    has_feed = db.session.scalar(select(DiaryFeed.user_id).where(DiaryFeed.user_id == current_user.id)) is not None
    return render_template("diary/diary.html", items=_items_for(current_user, today), today=today,
                           has_feed=has_feed, form=FlaskForm(), feed_url=None)


@bp.post("/feed")
@requires(*ROLES)
def new_feed():
    """A new secret address for the calendar feed; the old one stops working."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    token = secrets.token_urlsafe(32)
    now = current_clock().now()
    db.session.execute(delete(DiaryFeed).where(DiaryFeed.user_id == current_user.id))
    db.session.execute(insert(DiaryFeed).values(user_id=current_user.id, token_hash=_token_hash(token), created_at=now))
    audit(db.session, actor=Actor(current_user.id, current_user.email), action="diary:new_feed", entity="user",
          entity_id=current_user.id, now=now, la_id=current_user.la_id)
    db.session.commit()
    today = current_clock().today()
    return render_template("diary/diary.html", items=_items_for(current_user, today), today=today, has_feed=True,
                           form=form, feed_url=url_for(".feed", token=token, _external=True))


@bp.post("/feed/revoke")
@requires(*ROLES)
def revoke_feed():
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    now = current_clock().now()
    db.session.execute(delete(DiaryFeed).where(DiaryFeed.user_id == current_user.id))
    audit(db.session, actor=Actor(current_user.id, current_user.email), action="diary:revoke_feed", entity="user",
          entity_id=current_user.id, now=now, la_id=current_user.la_id)
    db.session.commit()
    flash(gettext("Calendar feed address turned off"), "success")
    return redirect(url_for(".diary"))


@bp.get("/feed/<token>.ics")
@public
def feed(token: str):
    """The feed for calendar apps: the secret address is the key. No names, only references."""
    if len(token) > 100:
        abort(404)
    user_id = db.session.scalar(select(DiaryFeed.user_id).where(DiaryFeed.token_hash == _token_hash(token)))
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.is_active or user.role not in ROLES:
        abort(404)
    clock = current_clock()
    body = to_ical(_items_for(user, clock.today()), clock.now(), clock.today())
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-store"})
