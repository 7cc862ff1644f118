"""The FGC service (issue 13): the coordinator's pages and the FGC lists for coordinators and
managers. A coordinator sees, in their own authority, only the families referred to the FGC
service, and for them only what a coordinator needs (the family network, the concerns in the
referral, the conference's dates); they record only the coordinator's steps
(`permissions.COORDINATOR_STEPS`), through the one service like every step. The rules are pure
(`queues/fgc.py`, `fgc_outcomes.py`); the views are thin.
"""
from flask import Blueprint

from ..messages import N_
from ..navigation import link
from ..permissions import FGC_SERVICE_ROLES

bp = Blueprint("fgc", __name__, url_prefix="/fgc")

link(bp, N_("FGC service"), "fgc.home", FGC_SERVICE_ROLES)


from . import views  # noqa: E402,F401
