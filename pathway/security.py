"""Security headers on every response, and the per-request nonce that lets the GOV.UK Frontend
scripts (the template's inline `js-enabled` line and the ES module that calls `initAll`) run under
a Content-Security-Policy that allows no other inline script.

Templates get the nonce as `cspNonce` (the name govuk-frontend-jinja's template.html expects).
URLs carry only database ids, never names, references or dates of birth, so request logs hold no
personal details.
"""
from __future__ import annotations

import secrets

from flask import Flask, abort, has_request_context, request
from werkzeug.routing import IntegerConverter

# The largest id a URL may carry: PostgreSQL's INTEGER (SQLite's is larger; both stop here).
MAX_ID = 2**31 - 1


class BoundedInt(IntegerConverter):
    """`<int:...>` in a route, but only up to MAX_ID: a longer number matches no page (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()" for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "payment", "publickey-credentials-get", "usb",
    )
)  # fmt: skip


def refuse_nul_bytes():
    """No text Pathway stores may hold a NUL character (PostgreSQL cannot store one): a query
    string or form carrying one gets a 400 page saying so, before any view reads it."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400, description="nul")
    return None


def csp_nonce() -> str:
    """This request's nonce (kept on the request itself, so that no two requests share one)."""
    if not has_request_context():
        return ""
    environ = request.environ
    if "pathway.csp_nonce" not in environ:
        environ["pathway.csp_nonce"] = secrets.token_urlsafe(18)
    return environ["pathway.csp_nonce"]


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"cspNonce": csp_nonce()})
    app.before_request(refuse_nul_bytes)

    @app.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if request.endpoint != "static":  # case pages are not kept in shared or browser caches
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
