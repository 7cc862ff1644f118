"""Who may see and do what: the role vocabulary and the decorators every view wears.

Every view function carries exactly one of these decorators (tests/test_permissions.py walks
`app.url_map` and fails for a view without one):

    from pathway.permissions import requires, public, CASE_ROLES, current_la_scope, family_for

    @bp.get("/queues")
    @requires("social_worker", "team_manager")      # signed in, with one of these roles, else 403
    def queues():
        scope = current_la_scope()                  # the authorities this user may see
        rows = db.session.scalars(select(Child).where(scope.where(Child.la_id)))
        ...

    @bp.get("/families/<int:family_id>")
    @requires(*CASE_ROLES)
    def family(family_id):
        family = family_for(current_user, family_id)  # 404 for another authority, 403 for a board member

    @bp.get("/health")
    @public                                          # anyone, signed in or not
    def health(): ...

Rules (issue 3):
- social_worker, team_manager: their own authority's families only (another's gives 404, so a
  URL does not even confirm that a family exists elsewhere);
- fjb_viewer (a family justice board member): aggregates for the authorities of their designated
  family judge area, never a family, child or person: 403 on every case URL;
- admin: manages users and authorities, and may read any authority's families;
- fgc_coordinator (issue 13): in their own authority, only the families referred to the FGC
  service, and only through the coordinator's pages (/fgc): the family network, the concerns in
  the referral, the conference's dates; records only COORDINATOR_STEPS. Every other case page is
  refused (403, as for a board member).
Someone not signed in is sent to the sign-in page (HTTP 302); a signed-in user without the role
gets 403.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Callable

from flask import abort
from flask_login import current_user
from sqlalchemy import false, select, true

from .extensions import db, login_manager
from .messages import N_
from .models import ROLES, Family, LocalAuthority

SOCIAL_WORKER = "social_worker"
TEAM_MANAGER = "team_manager"
FJB_VIEWER = "fjb_viewer"
ADMIN = "admin"
FGC_COORDINATOR = "fgc_coordinator"

ROLE_LABELS = {
    SOCIAL_WORKER: N_("Social worker"),
    TEAM_MANAGER: N_("Team manager"),
    FJB_VIEWER: N_("Family justice board member"),
    ADMIN: N_("Administrator"),
    FGC_COORDINATOR: N_("FGC coordinator"),
}
assert set(ROLE_LABELS) == set(ROLES)

# Who may open a family's pages, who may record steps, who may allocate, who may see the audit trail.
CASE_ROLES = (SOCIAL_WORKER, TEAM_MANAGER, ADMIN)
RECORDING_ROLES = (SOCIAL_WORKER, TEAM_MANAGER)
ALLOCATING_ROLES = (TEAM_MANAGER, ADMIN)
AUDIT_ROLES = (TEAM_MANAGER, ADMIN)
# FGC service (issue 13): the steps a coordinator records, and who sees the FGC service's lists.
COORDINATOR_STEPS = ("hold_fgc", "review_fgc", "close_fgc", "fgc_declined")
FGC_SERVICE_ROLES = (FGC_COORDINATOR, TEAM_MANAGER)

# The attribute the decorators set on a view; the route-walking test looks for it.
MARK = "pathway_permission"


def _mark(view: Callable, value) -> Callable:
    setattr(view, MARK, value)
    return view


def requires(*roles: str) -> Callable[[Callable], Callable]:
    """The view needs a signed-in, active user with one of `roles` (at least one role)."""
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"requires() needs roles from {ROLES}, not {sorted(unknown) or 'none'}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapped, tuple(roles))

    return decorator


def public(view: Callable) -> Callable:
    """The view is open to everyone, signed in or not (sign-in page, health check)."""
    return _mark(view, "public")


def signed_in(view: Callable) -> Callable:
    """Any signed-in user, whatever their role (sign-out, the home page that redirects by role)."""
    return requires(*ROLES)(view)


def has_role(*roles: str) -> bool:
    """For templates and views: is the current user signed in with one of these roles?"""
    return bool(current_user.is_authenticated and current_user.role in roles)


@dataclass(frozen=True)
class LaScope:
    """The local authorities whose records a user may see: `la_ids` None means every authority."""

    la_ids: tuple[int, ...] | None

    def includes(self, la_id: int | None) -> bool:
        return self.la_ids is None or la_id in self.la_ids

    def where(self, column):
        """A SQL condition limiting `column` (an la_id column) to this scope."""
        if self.la_ids is None:
            return true()
        if not self.la_ids:
            return false()
        return column.in_(self.la_ids)


def scope_for(user) -> LaScope:
    if user.role == ADMIN:
        return LaScope(None)
    if user.role == FJB_VIEWER:
        if not user.dfj_area:
            return LaScope(())
        ids = db.session.scalars(
            select(LocalAuthority.id).where(LocalAuthority.dfj_area == user.dfj_area).order_by(LocalAuthority.id)
        ).all()
        return LaScope(tuple(ids))
    return LaScope((user.la_id,) if user.la_id is not None else ())


def current_la_scope() -> LaScope:
    """The current user's scope: their own authority (worker, manager), the authorities of their
    DFJ area (board member, for aggregates only), or all (admin). Call inside a decorated view."""
    if not current_user.is_authenticated:
        abort(401)
    return scope_for(current_user)


def family_for(user, family_id: int) -> Family:
    """The family a case page is about, if this user may see it: 403 for a board member (no case
    pages at all), 404 when it does not exist or belongs to another authority."""
    if user.role not in CASE_ROLES:
        abort(403)
    family = db.session.get(Family, family_id)
    if family is None or not scope_for(user).includes(family.la_id):
        abort(404)
    return family
