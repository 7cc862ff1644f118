"""The header's service navigation: each feature adds its own link, from its own package.

    from ..navigation import link
    bp = Blueprint("board", __name__, url_prefix="/board")
    link(bp, N_("Board reports"), "board.timeliness", (FJB_VIEWER, ADMIN))

The link joins the app's navigation when the blueprint is registered; base.html shows the links
for the signed-in user's role (`items`), each label in the reader's language. This module imports
no blueprint, and no blueprint imports pathway.web, so there is no import circle between them.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, request, url_for
from flask_login import current_user

from .i18n import render

KEY = "pathway_navigation"


def add(app: Flask, text: str, endpoint: str, roles) -> None:
    """A link in the header for users with one of `roles` (`text` marked with N_)."""
    app.extensions.setdefault(KEY, []).append((text, endpoint, tuple(roles)))


def link(bp: Blueprint, text: str, endpoint: str, roles) -> None:
    """Add the link when `bp` is registered on an app."""
    bp.record_once(lambda state: add(state.app, text, endpoint, roles))


def entries(app: Flask) -> list[tuple[str, str, tuple[str, ...]]]:
    return app.extensions.get(KEY, [])


def items() -> list[dict]:
    """The links the signed-in user's role may follow, for govukServiceNavigation."""
    if not current_user.is_authenticated:
        return []
    return [{"href": url_for(endpoint), "text": render(text), "active": request.endpoint == endpoint}
            for text, endpoint, roles in entries(current_app) if current_user.role in roles]


def first_for(role: str) -> str | None:
    """The endpoint of the first link for `role` (where the home page sends them), if any."""
    return next((endpoint for _text, endpoint, roles in entries(current_app) if role in roles), None)
