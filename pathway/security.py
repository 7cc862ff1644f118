"""Security headers on every response, and the per-request nonce that lets the GOV.UK Frontend
scripts (the template's inline `js-enabled` line and the ES module that calls `initAll`) run under
a Content-Security-Policy that allows no other inline script.

Templates get the nonce as `cspNonce` (the name govuk-frontend-jinja's template.html expects).
URLs carry only database ids, never names, references or dates of birth, so request logs hold no
personal details.
"""
from __future__ import annotations

import secrets

from flask import Flask, has_request_context, request


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

    @app.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if request.endpoint != "static":  # case pages are not kept in shared or browser caches
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
