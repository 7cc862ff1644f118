"""Configuration from the environment.

DATABASE_URL  SQLAlchemy URL; default a SQLite file under instance/.
SECRET_KEY    required unless PATHWAY_ENV is development or testing.
PATHWAY_ENV   production (default), development or testing.
PATHWAY_TODAY YYYY-MM-DD: fixes the app's clock on that day (development and testing only), so a
              queue can be shown as it stands on a given day.
FGDM_DUTY_FROM  YYYY-MM-DD: the day Children Act 1989 s.31ZA (England) applies from, to
              applications issued on or after it (default 29 April 2026, until the appointed day).
SESSION_IDLE_MINUTES      a session unused this long ends (default 30).
SESSION_ABSOLUTE_HOURS    a session ends this long after sign-in, however busy (default 8).
SQLITE_BUSY_SECONDS       how long a SQLite write waits for another writer (default 5).
FGC_CONFERENCE_WEEKS      weeks from a referral to the FGC service by which the conference should be held (default 6).
FGC_REVIEW_MONTHS         months from the decision on the family's plan to its review (default 3).
TRUSTED_PROXY_HOPS        how many reverse proxies (TLS terminators) stand in front of Pathway;
                          their X-Forwarded-For/-Proto/-Host headers are then believed (default 0).
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


def _whole(env, name: str, default: int, low: int = 0) -> int:
    text = env.get(name, str(default))
    if not text.strip().isdigit() or int(text) < low:
        raise ConfigError(f"{name} must be a whole number of at least {low}, not {text!r}")
    return int(text)


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
        # hide_parameters: a database error never carries the submitted values into the log.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "SQLITE_BUSY_SECONDS": _whole(env, "SQLITE_BUSY_SECONDS", 5),
        "TRUSTED_PROXY_HOPS": _whole(env, "TRUSTED_PROXY_HOPS", 0),
        "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=_whole(env, "SESSION_ABSOLUTE_HOURS", 8, 1)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": mode == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": mode == "production",
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=_whole(env, "SESSION_IDLE_MINUTES", 30, 1)),
        "WTF_CSRF_TIME_LIMIT": None,  # the session itself expires after inactivity
        "TESTING": mode == "testing",
        "FGDM_DUTY_FROM": duty_from,  # None: workflow.FGDM_DUTY_DEFAULT
        # FGC service (issue 13): weeks from referral to conference, months from plan to review.
        "FGC_CONFERENCE_WEEKS": _whole(env, "FGC_CONFERENCE_WEEKS", 6, 1),
        "FGC_REVIEW_MONTHS": _whole(env, "FGC_REVIEW_MONTHS", 3, 1),
    }
