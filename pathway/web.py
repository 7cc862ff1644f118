"""Blueprints of the web interface, registered by create_app.

Other features add their blueprint with one line in `register`, and, if they want a link in the
service navigation, call `pathway.navigation.link(bp, N_("Text"), "endpoint", roles)` beside their
blueprint.
Every view wears a decorator from pathway.permissions (tests/test_permissions.py checks).
"""
from __future__ import annotations

from flask import Flask, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from . import navigation
from .i18n import render
from .permissions import ROLE_LABELS, public


@public
def home():
    """The start page: sign in, or go to where this user's work is."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    if current_user.role in ("social_worker", "team_manager"):
        return redirect(url_for("families.home"))
    if current_user.role == "admin":
        return redirect(url_for("admin.users"))
    endpoint = navigation.first_for(current_user.role)
    return redirect(url_for(endpoint)) if endpoint else render_template("home.html")


def wtforms_errors(form, params=None):
    """govuk-frontend-wtf's error list, with date fields linked to their day box (GOV.UK pattern)."""
    from govuk_frontend_wtf.main import wtforms_errors as base
    from govuk_frontend_wtf.wtforms_widgets import GovDateInput

    result = base(form, params or {})
    result["titleText"] = gettext("There is a problem")
    dates = {f"#{field.id}" for field in form if isinstance(field.widget, GovDateInput)}
    for item in result["errorList"]:
        if item.get("href") in dates:
            item["href"] += "-day"
    return result


def _error(code: int, template: str):
    def handler(error):
        return render_template(template), code

    return handler


def register(app: Flask) -> None:
    from . import codes, security
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .board import bp as board_bp
    from .auth import init_app as init_auth
    from .families import bp as families_bp
    from .guide import bp as guide_bp
    from .health import bp as health_bp
    from .queues import bp as queues_bp

    security.init_app(app)
    init_auth(app)
    app.add_url_rule("/", "home", home)
    app.add_template_global(navigation.items, "extra_navigation")
    app.add_template_global(lambda role: render(ROLE_LABELS.get(role, role)), "role_label")
    app.add_template_global(wtforms_errors, "wtforms_errors")
    app.add_template_global(codes.SEXES, "sexes")
    app.add_template_global(codes.ETHNICITIES, "ethnicities")
    # FGC service (issue 13).
    app.add_template_global(codes.FGC_STATUSES, "fgc_statuses")
    app.add_template_global(codes.FGC_PLAN_OUTCOMES, "fgc_plan_outcomes")
    app.add_template_global(codes.FGC_CLOSE_REASONS, "fgc_close_reasons")
    app.add_template_global(codes.FGC_OUTCOMES_AT_6_MONTHS, "fgc_outcome_words")
    for code in (403, 404, 429):
        app.register_error_handler(code, _error(code, f"errors/{code}.html"))
    from flask_wtf.csrf import CSRFError

    from . import errors

    errors.init_app(app)
    app.register_error_handler(CSRFError, errors.bad_request)
    app.register_blueprint(auth_bp)
    app.register_blueprint(families_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(board_bp)
    app.register_blueprint(queues_bp)
    app.register_blueprint(guide_bp)
    from .diary import bp as diary_bp

    app.register_blueprint(diary_bp)
    from .fgc import bp as fgc_bp  # FGC service (issue 13)

    app.register_blueprint(fgc_bp)
