"""Odd input is a 400 or a form error, never a 500; errors are logged without what was typed;
a busy SQLite database says "try again" (503); the extra security headers; ProxyFix (issue 10)."""
from __future__ import annotations

import logging
import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, select, text

from conftest import BACKEND, opened, record
from pathway import create_app, services
from pathway.models import Event, Family
from web_helpers import (  # noqa: F401 (fixtures)
    csrf_from,
    date_fields,
    error_summary,
    make_user,
    sign_in,
    soup,
    submit,
    text_of,
    web,
    web_app,
)


def _family(session, england):
    record(session, england, [opened("C1", date(2026, 1, 5))])
    return session.scalar(select(Family))


def test_extra_security_headers_on_every_page(web):
    response = web.get("/sign-in")
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert web.get("/no-such-page").headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("day, month", [("1" * 19, "1"), ("1", "9" * 19), ("001", "1"), ("1", "²")])
def test_a_huge_or_strange_day_or_month_is_a_form_error(session, england, web, day, month):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    family = _family(session, england)
    response = submit(web, f"/families/{family.id}/steps/offer-fgc", {"date": [day, month, "2026"]})
    assert response.status_code == 200
    assert any("must be a real date" in message for _href, message in error_summary(response))
    assert session.scalar(select(func.count(Event.id))) == 1


def test_an_id_beyond_the_database_integer_is_not_found(session, england, web):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    family = _family(session, england)
    for url in (f"/families/{2**31}", f"/families/{10**30}", f"/families/{family.id}/children/{2**63}/steps/close-case",
                f"/families/{family.id}/proceedings/{2**31}/extend"):
        assert web.get(url).status_code == 404, url
    assert web.get(f"/families/{2**31 - 1}").status_code == 404  # in range: simply no such family


def test_unknown_query_parameters_on_the_board_csv_are_ignored(session, england, web):
    member = make_user(session, "fjb_viewer", dfj_area=england.dfj_area)
    sign_in(web, member)
    for query in ("endpoint=x", "_method=POST", "endpoint=x&_external=1&area=nonsense", "period=fy1&endpoint=x"):
        response = web.get(f"/board/timeliness.csv?{query}")
        assert response.status_code == 302, query
        assert "endpoint" not in response.headers["Location"]


@pytest.mark.parametrize("where", ["email", "password", "query"])
def test_a_nul_byte_is_refused_with_a_message_and_nothing_logged(session, england, web, caplog, where):
    logging.getLogger("pathway").disabled = False
    caplog.set_level(logging.INFO)
    page = web.get("/sign-in")
    data = {"csrf_token": csrf_from(page), "email": "someone.private@example.test", "password": "a long password here"}
    url = "/sign-in"
    if where == "query":
        url += "?next=/families%00someone.private"
    else:
        data[where] = data[where] + "\x00"
    response = web.post(url, data=data)
    assert response.status_code == 400
    assert "a character Pathway cannot store" in text_of(response)
    assert "someone.private" not in caplog.text


def test_an_unexpected_error_is_logged_without_what_was_typed_and_shows_a_reference(
        session, england, web, caplog, monkeypatch):  # fmt: skip
    """A database error carries the SQL and its parameters; neither what was typed nor the
    exception's text reaches the log, and the person is given the reference to quote."""
    logging.getLogger("pathway").disabled = False
    caplog.set_level(logging.DEBUG)
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    family = _family(session, england)

    def failing(session_, la, step, **kwargs):
        session_.execute(text("INSERT INTO no_such_table (reason) VALUES (:reason)"), {"reason": step.reason})

    monkeypatch.setattr(services, "record_step", failing)
    secret = "Moved to live with aunt Philippa Quigley-Secret"
    response = submit(web, f"/families/{family.id}/children/{family.children[0].id}/steps/close-case",
                      {**date_fields("date", date(2026, 2, 1)), "reason": secret})
    assert response.status_code == 500
    reference = response.headers["X-Request-Id"]
    assert reference and reference in text_of(response)
    assert reference in caplog.text
    assert "Quigley" not in caplog.text and "no_such_table" not in caplog.text
    assert "OperationalError" in caplog.text or "ProgrammingError" in caplog.text


def test_database_errors_never_carry_parameters(app):
    from pathway.extensions import db

    try:
        db.session.execute(text("INSERT INTO no_such_table (x) VALUES (:x)"), {"x": "typed-secret-value"})
    except Exception as error:  # noqa: BLE001
        assert "typed-secret-value" not in str(error)
    else:
        pytest.fail("expected a database error")
    finally:
        db.session.rollback()


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite has one writer at a time; PostgreSQL locks rows")
def test_a_second_writer_on_sqlite_gets_try_again_not_a_500(session, england, database_url, clock):
    other = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "SQLITE_BUSY_SECONDS": 0.2},
                       clock=clock)
    from web_helpers import WebClient

    web = WebClient(other)
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    family = _family(session, england)
    session.commit()
    url = f"/families/{family.id}/steps/offer-fgc"
    page = web.get(url)
    values = {i["name"]: i.get("value", "") for i in soup(page).find_all("input", attrs={"type": "hidden"})}
    blocker = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:
        response = web.post(url, data={**values, **date_fields("date", date(2026, 1, 6))})
    finally:
        blocker.rollback()
        blocker.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "try again" in text_of(response)
    assert session.scalar(select(func.count(Event.id))) == 1
    # once the other writer has finished, the same step goes through
    assert submit(web, url, date_fields("date", date(2026, 1, 6))).status_code == 302


def test_proxy_fix_makes_the_referer_check_run_behind_a_tls_proxy(session, england, database_url, clock):
    from web_helpers import WebClient

    proxied = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "TRUSTED_PROXY_HOPS": 1},
                         clock=clock)
    web = WebClient(proxied)
    worker = make_user(session, "social_worker", england)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "pathway.example.test"}
    page = web.client.get("/sign-in", headers=headers, base_url="http://internal:8000")
    data = {"csrf_token": csrf_from(page), "email": worker.email, "password": "correct horse battery staple"}
    no_referer = web.post("/sign-in", data=data, headers=headers, base_url="http://internal:8000")
    assert no_referer.status_code == 400  # HTTPS as the proxy says: Flask-WTF insists on a same-site Referer
    ok = web.post("/sign-in", data=data, base_url="http://internal:8000",
                  headers={**headers, "Referer": "https://pathway.example.test/sign-in"})
    assert ok.status_code == 302
    # without ProxyFix configured the forwarded headers are not believed
    plain = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True}, clock=clock)
    assert type(plain.wsgi_app).__name__ != "ProxyFix" and type(proxied.wsgi_app).__name__ == "ProxyFix"


@pytest.mark.parametrize("version", [str(2**31), str(2**70), "-5", "x", ""])
def test_a_version_beyond_the_database_integer_is_a_conflict_not_a_500(session, england, web, version):
    from web_helpers import form_values, make_team

    manager = make_user(session, "team_manager", england)
    team = make_team(session, england)
    worker = make_user(session, "social_worker", england, team=team)
    family = _family(session, england)
    sign_in(web, manager)
    url = f"/families/{family.id}/allocation"
    values = {**form_values(web.get(url)), "version": version, "team": str(team.id), "worker": str(worker.id)}
    response = web.post(url, data=values)
    assert response.status_code == 200
    assert any("changed by someone else" in text for _href, text in error_summary(response))
    session.expire_all()
    assert session.get(Family, family.id).worker_id is None


def test_no_known_error_puts_what_was_typed_into_the_log(session, england, web, caplog, monkeypatch):
    """Each error the issue found, provoked with a value easy to spot, then the whole log read."""
    from pathway.auth import throttle

    logging.getLogger("pathway").disabled = False
    caplog.set_level(logging.DEBUG)
    worker = make_user(session, "social_worker", england, email="known.person@example.test")
    family = _family(session, england)
    child = family.children[0]
    page = web.get("/sign-in")
    token = csrf_from(page)
    # a NUL byte at sign-in, a wrong password, then enough to be throttled
    web.post("/sign-in", data={"csrf_token": token, "email": "nul.person\x00@example.test", "password": "x" * 12})
    for _ in range(throttle.ACCOUNT_FREE + 1):
        web.post("/sign-in", data={"csrf_token": token, "email": "guessed.person@example.test",
                                   "password": "guessed-password-secret"})
    sign_in(web, worker)
    # a form without its CSRF token, carrying a reason
    url = f"/families/{family.id}/children/{child.id}/steps/close-case"
    web.post(url, data={"reason": "csrf-missing-reason-Quigley", **date_fields("date", date(2026, 2, 1))})
    # a reason with a NUL byte, and an unexpected database error carrying exception text
    submit(web, url, {"reason": "nul-reason-Quigley\x00", **date_fields("date", date(2026, 2, 1))})

    def failing(session_, la, step_, **kwargs):
        session_.execute(text("INSERT INTO no_such_table (x) VALUES (:x)"), {"x": step_.exception or step_.reason})

    monkeypatch.setattr(services, "record_step", failing)
    submit(web, f"/families/{family.id}/children/{child.id}/steps/accommodate-s20",
           {"consent_by": "mother", "exception": "exception-text-Quigley", **date_fields("date", date(2026, 2, 1))})
    assert caplog.records
    for secret in ("nul.person", "guessed.person", "guessed-password", "known.person", "Quigley", "no_such_table"):
        assert secret not in caplog.text, secret
