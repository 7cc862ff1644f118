"""Sessions that end (server-side at sign-out, absolute lifetime, new id at sign-in, ended by an
administrator), the administrator's deactivate and password reset, changing your own password,
and throttling that cannot be turned into a lockout (issue 10)."""
from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

import pathway.auth as auth
from pathway.auth import throttle
from pathway.auth.passwords import verify_password
from pathway.models import AuditEntry, User
from web_helpers import (  # noqa: F401 (fixtures)
    PASSWORD,
    WebClient,
    csrf_from,
    error_summary,
    make_user,
    sign_in,
    soup,
    submit,
    text_of,
    web,
    web_app,
)


def signed_in(client) -> bool:
    return client.get("/families").status_code == 200


def copy_cookie(source: WebClient, target: WebClient) -> None:
    cookie = source.client.get_cookie("session")
    target.client.set_cookie("session", cookie.value)


def press(client: WebClient, url: str, form_index: int, data: dict | None = None, follow=False):
    """GET the page and POST its form number `form_index` to that form's action."""
    page = client.get(url)
    form = soup(page).find_all("form")[form_index]
    values = {i["name"]: i.get("value", "") for i in form.find_all("input", attrs={"type": "hidden"})}
    return client.post(form.get("action") or url, data={**values, **(data or {})}, follow_redirects=follow)


def sign_out(client: WebClient):
    page = client.get("/families")
    token = soup(page).select_one("form[action='/sign-out'] input[name=csrf_token]")["value"]
    return client.post("/sign-out", data={"csrf_token": token})


# --- sessions --------------------------------------------------------------------------------


def test_a_copied_cookie_stops_working_at_sign_out(session, england, web, web_app):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    thief = WebClient(web_app)
    copy_cookie(web, thief)
    assert signed_in(thief)  # the copy works while the session lasts
    page = thief.get("/families")
    token = csrf_from(page)
    sign_out(web)
    assert not signed_in(thief)
    after = thief.get("/families")
    assert after.status_code == 302 and after.headers["Location"].startswith("/sign-in")
    assert thief.post("/families/new", data={"csrf_token": token, "family_ref": "F1"}).status_code in (302, 400)
    assert session.scalar(select(User.session_generation).where(User.id == worker.id)) == 2


def test_a_busy_session_still_ends_after_the_absolute_lifetime(session, england, web, clock):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    start = clock.now()
    while clock.now() - start < timedelta(hours=8) - timedelta(minutes=20):
        clock.set(clock.now() + timedelta(minutes=20))  # never idle for 30 minutes
        assert signed_in(web)
    clock.set(start + timedelta(hours=8))
    assert signed_in(web)  # exactly 8 hours: still in
    clock.set(start + timedelta(hours=8, seconds=1))
    response = web.get("/families")
    assert response.status_code == 302
    assert "signed in more than 8 hours ago" in text_of(web.get(response.headers["Location"]))


def test_signing_in_starts_a_new_session(session, england, web, web_app):
    worker = make_user(session, "social_worker", england)
    web.get("/sign-in")
    before = web.client.get_cookie("session").value
    other = WebClient(web_app)
    other.client.set_cookie("session", before)  # someone who planted or saw the cookie before sign-in
    sign_in(web, worker)
    after = web.client.get_cookie("session").value
    assert after != before
    assert not signed_in(other)
    first_id = web.client.session_transaction().__enter__().get(auth.SESSION_ID)
    sign_out(web)
    sign_in(web, worker)
    assert web.client.session_transaction().__enter__().get(auth.SESSION_ID) not in (None, first_id)


def test_an_administrator_ends_all_of_a_users_sessions(session, england, web, web_app):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    laptop = WebClient(web_app)
    sign_in(laptop, worker)
    admin = WebClient(web_app)
    sign_in(admin, make_user(session, "admin"))
    response = press(admin, f"/admin/users/{worker.id}", 1, {})
    assert response.status_code == 302
    assert "signed out everywhere" in text_of(admin.get(response.headers["Location"]))
    assert not signed_in(web) and not signed_in(laptop)
    assert sign_in(web, worker).status_code == 302  # they can sign in again
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "end_sessions")).one()
    assert entry.entity_id == worker.id


def test_an_administrator_deactivates_and_reactivates_a_user(session, england, web, web_app):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    admin = WebClient(web_app)
    sign_in(admin, make_user(session, "admin"))
    assert press(admin, f"/admin/users/{worker.id}", 2, {}).status_code == 302
    assert not signed_in(web)
    assert sign_in(web, worker).status_code == 200 and not signed_in(web)
    session.expire_all()
    assert session.get(User, worker.id).active is False
    assert press(admin, f"/admin/users/{worker.id}", 2, {}).status_code == 302  # now "sign in again"
    assert sign_in(web, worker).status_code == 302
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["deactivate_user", "reactivate_user"]


def test_an_administrator_cannot_deactivate_themselves(session, web):
    admin = make_user(session, "admin")
    sign_in(web, admin)
    response = press(web, f"/admin/users/{admin.id}", 2, {}, follow=True)
    assert "You cannot deactivate yourself" in text_of(response) and signed_in_admin(web)


def signed_in_admin(client) -> bool:
    return client.get("/admin/users").status_code == 200


def test_an_administrator_resets_a_password_by_the_same_rule(session, england, web, web_app):
    worker = make_user(session, "social_worker", england, email="sam.jones@example.test")
    sign_in(web, worker)
    admin = WebClient(web_app)
    sign_in(admin, make_user(session, "admin"))
    url = f"/admin/users/{worker.id}"
    for weak, message in (("aaaaaaaaaaaa", "too easy to guess"), ("sam.jones-2026", "your email address"),
                          ("password1234", "most common passwords"), ("short", "at least 12")):
        response = press(admin, url, 3, {"reset-password": weak})
        assert response.status_code == 200
        assert any(href == "#reset-password" and message in text for href, text in error_summary(response)), weak
    assert signed_in(web)  # nothing happened
    response = press(admin, url, 3, {"reset-password": "violet kettle harbour"})
    assert response.status_code == 302
    assert not signed_in(web)
    assert sign_in(web, worker).status_code == 200  # the old password no longer works
    assert sign_in(web, worker, "violet kettle harbour").status_code == 302
    session.expire_all()
    assert verify_password(session.get(User, worker.id).password_hash, "violet kettle harbour")


def test_changing_your_own_password_follows_the_rule_and_ends_your_other_sessions(session, england, web, web_app):
    worker = make_user(session, "social_worker", england, email="pat.lee@example.test")
    sign_in(web, worker)
    phone = WebClient(web_app)
    sign_in(phone, worker)
    weak = submit(web, "/account/password", {"current": PASSWORD, "new": "pat.lee.password", "confirm": "pat.lee.password"})
    assert ("#new", "The password must not be or contain your email address") in error_summary(weak)
    wrong = submit(web, "/account/password", {"current": "not it at all", "new": "amber pylon meadow",
                                              "confirm": "amber pylon meadow"})
    assert ("#current", "Your current password is not correct") in error_summary(wrong)
    done = submit(web, "/account/password", {"current": PASSWORD, "new": "amber pylon meadow",
                                             "confirm": "amber pylon meadow"})
    assert done.status_code == 302
    assert signed_in(web) and not signed_in(phone)
    assert sign_in(phone, worker, "amber pylon meadow").status_code == 302


# --- throttling without lockout --------------------------------------------------------------


def attempt(client: WebClient, email: str, password: str, address: str):
    page = client.client.get("/sign-in", environ_base={"REMOTE_ADDR": address})
    return client.client.post("/sign-in", data={"csrf_token": csrf_from(page), "email": email, "password": password},
                              environ_base={"REMOTE_ADDR": address})


def test_guessing_from_elsewhere_never_locks_the_user_out_of_their_usual_place(session, england, web_app, clock):
    worker = make_user(session, "social_worker", england)
    office, attacker = WebClient(web_app), WebClient(web_app)
    assert attempt(office, worker.email, PASSWORD, "10.0.0.5").status_code == 302  # the usual place
    sign_out(office)
    refused = 0
    for _ in range(40):
        clock.set(clock.now() + timedelta(seconds=3))
        response = attempt(attacker, worker.email, "guess guess guess", "203.0.113.9")
        refused += response.status_code == 429
    assert refused > 20  # the guesser is slowed down more and more: minutes between guesses now
    assert int(attempt(attacker, worker.email, PASSWORD, "203.0.113.9").headers["Retry-After"]) > 30
    response = attempt(office, worker.email, PASSWORD, "10.0.0.5")
    if response.status_code == 429:
        assert int(response.headers["Retry-After"]) <= throttle.SHORT.total_seconds()
        clock.set(clock.now() + throttle.SHORT)
        response = attempt(office, worker.email, PASSWORD, "10.0.0.5")
    assert response.status_code == 302  # a short delay at most, never a lockout


def test_one_address_trying_many_accounts_is_slowed_down(session, england, web_app):
    people = [make_user(session, "social_worker", england) for _ in range(12)]
    client = WebClient(web_app)
    statuses = [attempt(client, people[n % 12].email, "guess guess guess", "198.51.100.7").status_code
                for n in range(60)]  # fmt: skip
    assert statuses[: throttle.ADDRESS_FREE] == [200] * throttle.ADDRESS_FREE
    assert statuses[throttle.ADDRESS_FREE :].count(429) == 60 - throttle.ADDRESS_FREE
    # another address is not affected
    assert attempt(client, people[0].email, PASSWORD, "198.51.100.8").status_code == 302


def test_parallel_guesses_cannot_get_more_password_checks_than_the_limit(session, england, web_app, monkeypatch):
    worker = make_user(session, "social_worker", england)
    checks = []
    real_verify = auth.verify_password

    def counting(password_hash, password):
        checks.append(password)
        time.sleep(0.02)  # widen the window in which a racing attempt could slip through
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    clients = [WebClient(web_app) for _ in range(12)]
    tokens = [csrf_from(c.get("/sign-in")) for c in clients]
    email = worker.email
    session.commit()
    start = threading.Barrier(len(clients))
    statuses = []

    def guess(client, token):
        start.wait()
        response = client.client.post("/sign-in", data={"csrf_token": token, "email": email,
                                                        "password": "guess guess guess"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(c, t)) for c, t in zip(clients, tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checks) == throttle.ACCOUNT_FREE, statuses
    assert sorted(statuses) == [200] * throttle.ACCOUNT_FREE + [429] * (12 - throttle.ACCOUNT_FREE)


def test_every_refusal_is_in_the_audit_trail_without_the_address(session, england, web_app):
    client = WebClient(web_app)
    for _ in range(throttle.ACCOUNT_FREE + 2):
        attempt(client, "private.person@example.test", "guess guess guess", "192.0.2.44")
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_in_throttled")).all()
    assert len(entries) == 2
    after = json.loads(entries[0].after)
    assert after["scope"] == "account" and after["retry_after_seconds"] == 1 and after["failures"] == 5
    stored = " ".join(e.after + e.actor for e in entries)
    assert "private" not in stored and "192.0.2.44" not in stored


@pytest.mark.parametrize("failures, expected", [(4, 0), (5, 1), (6, 2), (9, 16), (15, 900), (40, 900)])
def test_backoff_doubles_up_to_the_longest_wait(failures, expected):
    assert throttle.backoff(failures, throttle.ACCOUNT_FREE, throttle.LONGEST).total_seconds() == expected
