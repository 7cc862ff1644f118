"""Pathway: the case pathway and family group conference workflow."""
from __future__ import annotations

from flask import Flask

from .clock import SystemClock
from .config import ROOT, from_environment


def create_app(config: dict | None = None, clock=None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        static_url_path="/assets",
        instance_path=str(ROOT / "instance"),
    )
    configure(app, config)
    hops = int(app.config.get("TRUSTED_PROXY_HOPS") or 0)
    if hops:
        # Behind a TLS proxy: the client's address, https and host come from its X-Forwarded-*
        # headers (so secure cookies, Flask-WTF's Referer check and per-address throttling work).
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from .security import BoundedInt

    app.url_map.converters["int"] = BoundedInt  # ids beyond a database integer: 404, not 500
    if clock is None and app.config.get("PATHWAY_TODAY"):
        from .clock import fixed

        clock = fixed(app.config["PATHWAY_TODAY"])  # development and testing only (config refuses it otherwise)
    app.extensions["pathway_clock"] = clock or SystemClock()
    init_extensions(app)
    init_jinja(app)
    register_blueprints(app)
    register_commands(app)
    return app


def configure(app: Flask, overrides: dict | None) -> None:
    app.config.update(from_environment())
    if overrides:
        app.config.update(overrides)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        (ROOT / "instance").mkdir(exist_ok=True)
    if url.startswith("sqlite"):
        # A second writer waits this long for the first (then the page says "try again", 503).
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options["connect_args"] = {"timeout": app.config.get("SQLITE_BUSY_SECONDS", 5),
                                   **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if url.startswith("postgresql"):
        # PostgreSQL's JIT compiler adds ~0.5 s to the large aggregate statements of queues and
        # reports while saving nothing at this data size (measured); turn it off per connection.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options["connect_args"] = {"options": "-c jit=off", **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (tables known to Alembic)
    from .extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    from . import i18n

    i18n.init_app(app)


def init_jinja(app: Flask) -> None:
    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    from govuk_frontend_wtf.main import WTFormsHelpers

    WTFormsHelpers(app)


def register_blueprints(app: Flask) -> None:
    from .web import register

    register(app)


def register_commands(app: Flask) -> None:
    from .commands import register

    register(app)
