"""Family Justice Board pages (issue 5): timeliness figures for a period and an area, with
small numbers suppressed, and the `report` command (cli.py) that prints them unsuppressed.

Board members (fjb_viewer) see the authorities of their designated family judge area;
administrators see every authority. Nobody sees a child, family or worker here.
"""
from flask import Blueprint

from ..messages import N_
from ..navigation import link
from ..permissions import ADMIN, FJB_VIEWER

bp = Blueprint("board", __name__, url_prefix="/board")

link(bp, N_("Board reports"), "board.timeliness", (FJB_VIEWER, ADMIN))


from . import views  # noqa: E402,F401
