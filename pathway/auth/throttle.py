"""Throttling repeated failed sign-ins, in the database so that every worker process agrees.

Attempts are keyed by a keyed hash of the e-mail address as typed (normalised), whether or not
such a user exists: the throttle behaves the same either way and stores no address in clear.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..models import SignInAttempt

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


def email_key(secret: str, email: str) -> str:
    normalised = email.strip().lower().encode("utf-8")
    return hmac.new(secret.encode("utf-8"), normalised, hashlib.sha256).hexdigest()


def recent_failures(session, key: str, now: datetime) -> int:
    """Failures in the last 15 minutes (inclusive) since the last successful sign-in."""
    window_start = now - WINDOW
    conditions = [SignInAttempt.email_key == key, SignInAttempt.at >= window_start]
    last_success = session.execute(
        select(func.max(SignInAttempt.at)).where(*conditions, SignInAttempt.succeeded.is_(True))
    ).scalar()
    failures = select(func.count(SignInAttempt.id)).where(*conditions, SignInAttempt.succeeded.is_(False))
    if last_success is not None:
        failures = failures.where(SignInAttempt.at > last_success)
    return session.execute(failures).scalar()


def is_throttled(session, key: str, now: datetime) -> bool:
    return recent_failures(session, key, now) >= MAX_FAILURES


def note_attempt(session, key: str, now: datetime, succeeded: bool) -> None:
    session.add(SignInAttempt(email_key=key, at=now, succeeded=succeeded))
