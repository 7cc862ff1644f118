""""How the pathway works": the stages, steps and gates, drawn from pathway/workflow.py itself
(pathway/diagram.py), in the terms of England or Wales."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from . import diagram
from . import workflow as wf
from .i18n import render
from .permissions import signed_in

bp = Blueprint("guide", __name__, url_prefix="/how-the-pathway-works")
NATIONS = ("england", "wales")


def _nation() -> str:
    """?terms=wales or england; otherwise the signed-in user's authority's nation."""
    asked = request.args.get("terms")
    if asked in NATIONS:
        return asked
    la = getattr(current_user, "local_authority", None) if current_user.is_authenticated else None
    return la.nation if la is not None and la.nation in NATIONS else "england"


@bp.get("")
@signed_in
def pathway():
    nation = _nation()
    described = diagram.describe(nation, render)
    stages = [{"name": s.name, "label": s.label, "wales": s.label_for("wales")} for s in wf.STAGES]
    return render_template("guide/pathway.html", nation=nation, pathway=described,
                           picture=diagram.svg(nation, described, render), stages=stages)


@bp.get("/diagram.svg")
@signed_in
def picture():
    return Response(diagram.svg(_nation(), t=render), mimetype="image/svg+xml")
