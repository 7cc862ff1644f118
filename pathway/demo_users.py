"""Synthetic demo users, one per role (plus a Welsh social worker), added by `seed-demo`.

Demo only: the password is published in the README. Never run seed-demo against real data.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from .auth.passwords import hash_password
from .models import Family, LocalAuthority, Proceedings, Team, User
from .services import Actor, allocate

DEMO_PASSWORD = "pathway-demo-2026"
DEMO_TEAM = "Family safeguarding team (demo)"
ALLOCATED = 8  # families allocated to the demo social worker in each authority

# email, name, role, authority code (or None), DFJ area (board member only)
DEMO_USERS = (
    ("worker@northmoor.example", "Sam Okafor (demo)", "social_worker", "E99000001", None),
    ("manager@northmoor.example", "Priya Shah (demo)", "team_manager", "E99000001", None),
    ("board@family-justice.example", "Jo Reynolds (demo)", "fjb_viewer", None, "Northmoor and Eastdale"),
    ("admin@pathway.example", "Alex Morgan (demo)", "admin", None, None),
    ("gweithiwr@glanmor.example", "Rhian Evans (demo)", "social_worker", "W99000001", None),
    # FGC service (issue 13): a coordinator in each authority, added before the demo families so
    # that their referrals can be allocated.
    ("coordinator@northmoor.example", "Chris Adeyemi (demo)", "fgc_coordinator", "E99000001", None),
    ("coordinator@eastdale.example", "Morgan Lee (demo)", "fgc_coordinator", "E99000002", None),
    ("cydlynydd@glanmor.example", "Siân Pritchard (demo)", "fgc_coordinator", "W99000001", None),
    ("coordinator@westmarch.example", "Jamie Hughes (demo)", "fgc_coordinator", "E99000003", None),
)


def _team(session, la: LocalAuthority) -> Team:
    team = session.scalar(select(Team).where(Team.la_id == la.id, Team.name == DEMO_TEAM))
    if team is None:
        team = Team(la_id=la.id, name=DEMO_TEAM)
        session.add(team)
        session.flush()
    return team


def seed_users(session, now: datetime) -> list[User]:
    """Add the demo users that are missing, and allocate a few families to each demo social worker.
    Returns the users added."""
    password_hash = hash_password(DEMO_PASSWORD)
    added = []
    for email, name, role, la_code, area in DEMO_USERS:
        if session.scalar(select(User.id).where(User.email == email)):
            continue
        la = session.scalar(select(LocalAuthority).where(LocalAuthority.code == la_code)) if la_code else None
        if la_code and la is None:
            continue
        team = _team(session, la) if la is not None else None
        user = User(email=email, name=name, role=role, la_id=la.id if la else None, dfj_area=area,
                    team_id=team.id if team else None, password_hash=password_hash, active=True, created_at=now)
        session.add(user)
        session.flush()
        added.append(user)
        if role == "social_worker":
            _allocate_some(session, user, team, now)
    return added


def seed_coordinators(session, la: LocalAuthority, now: datetime) -> tuple[str, ...]:
    """FGC service (issue 13): the demo coordinators of `la` (added if missing), by email address."""
    password_hash = None
    emails = []
    for email, name, role, la_code, _area in DEMO_USERS:
        if role != "fgc_coordinator" or la_code != la.code:
            continue
        if not session.scalar(select(User.id).where(User.email == email)):
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            session.add(User(email=email, name=name, role=role, la_id=la.id, password_hash=password_hash,
                             active=True, created_at=now))
            session.flush()
        emails.append(email)
    return tuple(emails)


def _allocate_some(session, worker: User, team: Team, now: datetime) -> None:
    """Allocate a few families to a demo worker: some in care proceedings, the rest by reference."""
    unallocated = select(Family).where(Family.la_id == worker.la_id, Family.worker_id.is_(None))
    in_court = session.scalars(
        unallocated.where(Family.id.in_(select(Proceedings.family_id).where(Proceedings.concluded_on.is_(None))))
        .order_by(Family.reference).limit(ALLOCATED // 2)
    ).all()  # fmt: skip
    others = session.scalars(
        unallocated.where(Family.id.not_in([f.id for f in in_court]))
        .order_by(Family.reference).limit(ALLOCATED - len(in_court))
    ).all()  # fmt: skip
    families = [*in_court, *others]
    for family in families:
        allocate(session, family, team.id, worker.id, actor=Actor(None, "seed-demo"), now=now)
