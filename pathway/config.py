"""Configuration from the environment.

DATABASE_URL  SQLAlchemy URL; default a SQLite file under instance/.
SECRET_KEY    required unless PATHWAY_ENV is development or testing.
PATHWAY_ENV   production (default), development or testing.
PATHWAY_TODAY YYYY-MM-DD: fixes the app's clock on that day (development and testing only), so a
              queue can be shown as it stands on a given day.
FGDM_DUTY_FROM  YYYY-MM-DD: the day Children Act 1989 s.31ZA (England) applies from, to
              applications issued on or after it (default 29 April 2026, until the appointed day).
"""
from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class ConfigError(RuntimeError):
    pass


def normalise_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use psycopg 3 for both."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def from_environment(environ=None) -> dict:
    env = os.environ if environ is None else environ
    mode = env.get("PATHWAY_ENV", "production")
    if mode not in {"production", "development", "testing"}:
        raise ConfigError(f"PATHWAY_ENV must be production, development or testing, not {mode!r}")
    secret = env.get("SECRET_KEY")
    if not secret:
        if mode == "production":
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set PATHWAY_ENV=development to try Pathway on this machine."
            )
        secret = "development-only-secret-key-not-for-real-use"
    url = normalise_database_url(env.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'pathway.db'}")
    duty_from = None
    if env.get("FGDM_DUTY_FROM"):
        try:
            duty_from = date.fromisoformat(env["FGDM_DUTY_FROM"])
        except ValueError:
            raise ConfigError(f"FGDM_DUTY_FROM must be a date as YYYY-MM-DD, not {env['FGDM_DUTY_FROM']!r}") from None
    today = None
    if env.get("PATHWAY_TODAY"):
        if mode == "production":
            raise ConfigError("PATHWAY_TODAY fixes the clock for development and testing only; "
                              "unset it, or set PATHWAY_ENV=development")
        try:
            today = date.fromisoformat(env["PATHWAY_TODAY"])
        except ValueError:
            raise ConfigError(f"PATHWAY_TODAY must be a date as YYYY-MM-DD, not {env['PATHWAY_TODAY']!r}") from None
    return {
        "PATHWAY_ENV": mode,
        "PATHWAY_TODAY": today,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": mode == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": mode == "production",
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=int(env.get("SESSION_IDLE_MINUTES", "30"))),
        "WTF_CSRF_TIME_LIMIT": None,  # the session itself expires after inactivity
        "TESTING": mode == "testing",
        "FGDM_DUTY_FROM": duty_from,  # None: workflow.FGDM_DUTY_DEFAULT
    }
