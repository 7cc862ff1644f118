"""Helpers for the page tests: a browser-like client, users of each role, signing in, forms.

The client talks to a second app instance on the same database and clock as the `app` fixture,
so every request runs in its own application context (as in production) while the test itself
reads and writes through the `session` fixture.

    from web_helpers import web, make_user, sign_in, submit  # noqa: F401 (fixtures)
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
from bs4 import BeautifulSoup

from argon2 import PasswordHasher

from pathway import create_app
from pathway.auth import passwords
from pathway.auth.passwords import hash_password
from pathway.extensions import db
from pathway.models import Team, User

# Argon2id with the lowest cost for tests: the production parameters take about half a second a
# hash on the shared test machine, and every sign-in verifies one. The algorithm and the code
# paths are the same; test_auth.py checks the production hasher's output format.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
passwords._DUMMY = passwords._hasher.hash("pathway-no-such-user-dummy-password")

PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)  # hashed once


class WebClient:
    """A test client that ends the test's own open transaction before each request (SQLite
    would otherwise hold a read lock across the request's write)."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def _settle(self):
        db.session.commit()

    def get(self, url, **kw):
        self._settle()
        return self.client.get(url, **kw)

    def post(self, url, **kw):
        self._settle()
        return self.client.post(url, **kw)


@pytest.fixture
def web_app(app, database_url, clock):
    other = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True}, clock=clock)
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def web(web_app):
    return WebClient(web_app)


_counter = iter(range(1, 10**6))


def make_user(session, role="social_worker", la=None, *, email=None, name=None, team=None, dfj_area=None,
              password=None, active=True, language="en") -> User:
    """A user who has already chosen `language` (None: not yet, so the first sign-in chooses)."""
    n = next(_counter)
    user = User(
        email=email or f"{role.replace('_', '-')}{n}@example.test", name=name or f"Test {role} {n}", role=role,
        la_id=la.id if la is not None else None, dfj_area=dfj_area, team_id=team.id if team else None,
        password_hash=hash_password(password) if password else _HASH, active=active,
        created_at=datetime(2026, 1, 1, tzinfo=timezone.utc), language=language,
    )  # fmt: skip
    session.add(user)
    session.commit()
    return user


def make_team(session, la, name="Assessment team") -> Team:
    team = Team(la_id=la.id, name=name)
    session.add(team)
    session.commit()
    return team


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_from(response) -> str:
    field = soup(response).find("input", attrs={"name": "csrf_token"})
    assert field is not None, "no CSRF token on the page"
    return field["value"]


def form_values(response, form_index: int = -1) -> dict:
    """The hidden inputs of a page's form (csrf_token, version)."""
    forms = soup(response).find_all("form")
    form = forms[form_index]
    return {i["name"]: i.get("value", "") for i in form.find_all("input", attrs={"type": "hidden"})}


def submit(web, url, data: dict, form_index: int = -1, follow=False):
    """GET the page, then POST its form with its hidden fields (CSRF token, version) plus `data`."""
    page = web.get(url)
    assert page.status_code == 200, (url, page.status_code)
    values = form_values(page, form_index)
    values.update(data)
    return web.post(url, data=values, follow_redirects=follow)


def sign_in(web, user_or_email, password=PASSWORD):
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    response = submit(web, "/sign-in", {"email": email, "password": password})
    return response


def reading_in(web, language: str) -> None:
    """Choose `language` ("cy" or "en") with the header's switch (for the signed-in user, if any:
    call after signing in), and ask for it by Accept-Language in every later request."""
    web.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    assert web.get(f"/language/{language}").status_code == 302


def date_fields(name: str, day: date) -> dict:
    """A date as the three boxes of the GOV.UK date input (all named `name`)."""
    return {name: [str(day.day), str(day.month), str(day.year)]}


def error_summary(response) -> list[tuple[str, str]]:
    """(link target, text) for each item of the GOV.UK error summary."""
    box = soup(response).select_one(".govuk-error-summary")
    if box is None:
        return []
    return [(a["href"], " ".join(a.get_text().split())) for a in box.select(".govuk-error-summary__list a")]


def field_error(response, field_id: str) -> str | None:
    """The inline error message shown with a field."""
    page = soup(response)
    el = page.find(id=f"{field_id}-error")
    return " ".join(el.get_text().split()) if el else None


def text_of(response) -> str:
    return re.sub(r"\s+", " ", soup(response).get_text(" "))
