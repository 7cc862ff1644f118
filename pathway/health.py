"""The health check: `GET /healthz` for load balancers and process supervisors.

It asks the database for `SELECT 1`, so a worker that cannot reach its database is reported
unhealthy. No sign-in is needed and nothing about cases is revealed.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from .extensions import db
from .permissions import public

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except Exception:  # noqa: BLE001  (any failure to reach the database means unhealthy)
        current_app.logger.exception("health check: the database did not answer")
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok"), 200
