"""Team managers' pathway queues (issue 4): who is where, what is overdue, what is missing.

rules.py (the flags, pure), queries.py (the queue in a fixed number of SQL statements),
records.py (recording review meetings and hearing dates, audited), models.py (case_reviews),
cli.py (`flask queue`), views.py (the pages).

Team managers see their own authority's queues and record reviews and hearing dates;
administrators may read any authority's queues; social workers and board members may not.
"""
from flask import Blueprint

from ..messages import N_
from ..navigation import link
from ..permissions import ADMIN, TEAM_MANAGER

bp = Blueprint("queues", __name__, url_prefix="/queues")

link(bp, N_("Queues"), "queues.index", (TEAM_MANAGER, ADMIN))


from . import views  # noqa: E402,F401
from . import network  # noqa: E402,F401  (family network lists, issue 9)
from . import hearings  # noqa: E402,F401  (hearing outcomes, issue 11)
from . import census_gaps  # noqa: E402,F401  (Children in Need census module 5, issue 16)
