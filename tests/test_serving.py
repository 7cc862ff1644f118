"""Production serving: the health check, and sessions that work across application workers.

Each gunicorn worker is a separate process with its own app; a session is a cookie signed with
the shared SECRET_KEY, so any worker accepts a session another worker started.
"""
from __future__ import annotations

import pytest

from pathway import create_app
from pathway.extensions import db
from web_helpers import make_user, sign_in, web, web_app  # noqa: F401 (fixtures)


def test_healthy_when_the_database_answers_without_signing_in(app):
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_unhealthy_when_the_database_cannot_be_reached(tmp_path, clock):
    unreachable = f"sqlite:///{tmp_path / 'no-such-directory' / 'pathway.db'}"
    broken = create_app({"SQLALCHEMY_DATABASE_URI": unreachable, "TESTING": True}, clock=clock)
    answer = broken.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json()["status"] == "unavailable"
    with broken.app_context():
        db.engine.dispose()


def test_only_get_is_answered(app):
    assert app.test_client().post("/healthz").status_code == 405


@pytest.fixture
def other_worker(database_url, clock):
    """Another worker process's app: same database, same configuration."""
    apps = []

    def start(**overrides):
        other = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, **overrides}, clock=clock)
        apps.append(other)
        return other.test_client()

    yield start
    for other in apps:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_session_started_by_one_worker_is_accepted_by_another(session, england, web, other_worker):
    user = make_user(session, "social_worker", england)
    assert sign_in(web, user).status_code == 302
    cookie = web.client.get_cookie("session")
    assert cookie is not None

    same_key = other_worker()
    same_key.set_cookie("session", cookie.value)
    assert same_key.get("/families").status_code == 200

    other_key = other_worker(SECRET_KEY="a-different-secret-key-so-the-signature-fails")
    other_key.set_cookie("session", cookie.value)
    refused = other_key.get("/families")
    assert refused.status_code == 302
    assert "/sign-in" in refused.headers["Location"]
