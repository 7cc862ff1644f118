"""My diary (issue 11): everything due in the next 4 weeks across a social worker's families (a
manager: the team's), soonest first, and the same as an iCalendar (RFC 5545) feed at a secret,
revocable address that holds no names: references and step names only.

rules.py-style pure parts are in `items.py`; the views are thin.
"""
from flask import Blueprint

from ..messages import N_
from ..navigation import link
from ..permissions import SOCIAL_WORKER, TEAM_MANAGER

bp = Blueprint("diary", __name__, url_prefix="/diary")

link(bp, N_("My diary"), "diary.diary", (SOCIAL_WORKER, TEAM_MANAGER))


from . import views  # noqa: E402,F401
