"""Slowing down password guessing without letting anyone lock a real user out.

Failures are counted per account (a keyed hash of the e-mail address as typed, whether or not
such a user exists) and per address (a keyed hash of the client's IP address), in one row
each of `sign_in_throttle`, so that every worker process agrees. Nothing is stored in clear.

- An account may fail ACCOUNT_FREE times, an address ADDRESS_FREE times (over any accounts),
  without waiting; after that each further attempt must wait 1, 2, 4, 8... seconds after the
  last failure, up to LONGEST. Failures are forgotten after FORGET_AFTER without one, and an
  account's after a correct password.
- From the account's usual place (an address it has signed in from within USUAL_FOR) the wait
  is never longer than SHORT: someone guessing from elsewhere can slow the real user down by
  seconds, never lock them out.
- Atomic: `check` locks the account's and the address's rows (SELECT ... FOR UPDATE on
  PostgreSQL; on SQLite the first write takes the database's write lock) until the caller's
  commit, so parallel guesses are counted one after another and cannot exceed the limit.
- Every refusal is written to the audit trail (`sign_in_throttled`, with the hashed key's
  first characters, never the address or e-mail).
"""
from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import SignInThrottle

ACCOUNT_FREE = 5
ADDRESS_FREE = 20
LONGEST = timedelta(minutes=15)
SHORT = timedelta(seconds=30)
FORGET_AFTER = timedelta(hours=1)
USUAL_FOR = timedelta(days=90)


def _key(secret: str, kind: str, text: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{kind}:{text}".encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{kind}:{digest}"


def account_key(secret: str, email: str) -> str:
    return _key(secret, "account", email.strip().lower())


def address_key(secret: str, address: str | None) -> str:
    return _key(secret, "address", address or "unknown")


def usual_key(secret: str, email: str, address: str | None) -> str:
    return _key(secret, "usual", f"{email.strip().lower()}|{address or 'unknown'}")


def backoff(failures: int, free: int, cap: timedelta) -> timedelta:
    """How long after the last failure the next attempt must wait."""
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - free, 20)), cap)


@dataclass
class Decision:
    allowed: bool
    retry_after: int = 0  # whole seconds
    scope: str | None = None  # "account" or "address" when refused
    key: str | None = None


def _insert_missing(session: Session, keys: list[str]) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    for key in keys:
        session.execute(insert(SignInThrottle).values(key=key, failures=0).on_conflict_do_nothing())


def _rows(session: Session, keys: list[str]) -> dict[str, SignInThrottle]:
    """The rows for `keys`, created if missing and locked until the transaction ends (in key
    order, so that two attempts cannot deadlock)."""
    keys = sorted(set(keys))
    _insert_missing(session, keys)
    query = (select(SignInThrottle).where(SignInThrottle.key.in_(keys)).order_by(SignInThrottle.key)
             .with_for_update().execution_options(populate_existing=True))  # fmt: skip
    return {row.key: row for row in session.scalars(query)}


def _wait(row: SignInThrottle, free: int, cap: timedelta, now: datetime) -> timedelta:
    if row.last_failure_at is None:
        return timedelta(0)
    last = _aware(row.last_failure_at, now)
    if now - last > FORGET_AFTER:
        return timedelta(0)
    return last + backoff(row.failures, free, cap) - now


def _aware(moment: datetime, like: datetime) -> datetime:
    if moment.tzinfo is None and like.tzinfo is not None:
        return moment.replace(tzinfo=like.tzinfo)
    return moment


class Attempt:
    """One sign-in attempt: `check` before verifying the password, then `failed` or `succeeded`;
    the caller commits."""

    def __init__(self, session: Session, secret: str, email: str, address: str | None, now: datetime):
        self.session, self.now = session, now
        self.account = account_key(secret, email)
        self.address = address_key(secret, address)
        self.usual = usual_key(secret, email, address)
        self.rows = _rows(session, [self.account, self.address])
        usual = session.get(SignInThrottle, self.usual)
        self.from_usual_place = bool(
            usual is not None and usual.last_success_at is not None
            and now - _aware(usual.last_success_at, now) <= USUAL_FOR
        )  # fmt: skip

    def check(self) -> Decision:
        cap = SHORT if self.from_usual_place else LONGEST
        for scope, key, free in (("account", self.account, ACCOUNT_FREE), ("address", self.address, ADDRESS_FREE)):
            wait = _wait(self.rows[key], free, cap, self.now)
            if wait > timedelta(0):
                return Decision(False, max(1, math.ceil(wait.total_seconds())), scope, key)
        return Decision(True)

    def failed(self) -> None:
        for key in (self.account, self.address):
            row = self.rows[key]
            if row.last_failure_at is not None and self.now - _aware(row.last_failure_at, self.now) > FORGET_AFTER:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = self.now

    def succeeded(self) -> None:
        row = self.rows[self.account]
        row.failures, row.last_failure_at = 0, None
        _insert_missing(self.session, [self.usual])
        self.session.execute(update(SignInThrottle).where(SignInThrottle.key == self.usual)
                             .values(last_success_at=self.now))  # fmt: skip
