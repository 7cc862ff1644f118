"""Error pages and error logging.

Every request has a reference (`request_id`, also sent as the X-Request-Id header). An
unexpected error is logged under that reference with the exception's type and where it
happened, never its message or the SQL parameters (which may hold what someone typed: an email
address, a reason for closing a case), and the person sees the reference so that support can
find the log entry. A SQLite database busy with another writer gives a 503 "try again" page
with Retry-After, not a 500.
"""
from __future__ import annotations

import logging
import secrets
import traceback

from flask import Flask, has_request_context, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger("pathway.errors")
RETRY_AFTER_SECONDS = 5


def request_id() -> str:
    """This request's reference, made on first use: short enough to read out on the phone."""
    if not has_request_context():
        return ""
    environ = request.environ
    if "pathway.request_id" not in environ:
        environ["pathway.request_id"] = secrets.token_hex(5).upper()
    return environ["pathway.request_id"]


def _where(error: BaseException) -> str:
    """File, line and function of Pathway's own frames and of the innermost one: no message,
    no values."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/pathway/" in f.filename or "/forms/" in f.filename]
    shown = ours[-8:] + ([frames[-1]] if frames and (not ours or frames[-1] is not ours[-1]) else [])
    return " -> ".join(f"{'/'.join(f.filename.rsplit('/', 2)[-2:])}:{f.lineno} {f.name}" for f in shown)


def _database_busy(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    text = str(getattr(error, "orig", "") or "").lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the page must still be shown)
        log.warning("request %s: rollback after an error failed too", request_id())


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return error
    _rollback()
    if _database_busy(error):
        log.warning("request %s: the database was busy with another writer (%s)", request_id(), type(error).__name__)
        response = render_template("errors/503.html", retry_after=RETRY_AFTER_SECONDS), 503
        return response[0], 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    log.error("request %s: unexpected %s.%s at %s", request_id(), type(error).__module__, type(error).__name__,
              _where(error))
    return render_template("errors/500.html"), 500


def bad_request(error):
    nul = getattr(error, "description", None) == "nul"
    return render_template("errors/400.html", nul=nul, csrf=not nul and "CSRF" in type(error).__name__), 400


def init_app(app: Flask) -> None:
    app.add_template_global(request_id, "request_id")
    app.register_error_handler(Exception, handle_unexpected)
    app.register_error_handler(400, bad_request)

    @app.after_request
    def send_request_id(response):
        response.headers["X-Request-Id"] = request_id()
        return response
