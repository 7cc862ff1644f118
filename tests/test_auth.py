"""Signing in and out, throttling, idle expiry, password hashing, create-user and demo users."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pathway.auth.passwords import MIN_LENGTH, PasswordTooShort, hash_password, verify_password
from pathway.auth.throttle import ACCOUNT_FREE as MAX_FAILURES
from pathway.models import SignInThrottle, User
from web_helpers import PASSWORD, make_user, sign_in, soup, text_of, web, web_app  # noqa: F401


def signed_in(web) -> bool:
    response = web.get("/families")
    return response.status_code == 200


def test_sign_in_with_the_right_password_reaches_my_families(session, england, web):
    worker = make_user(session, "social_worker", england)
    response = sign_in(web, worker)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert web.get("/").headers["Location"] == "/families"
    assert signed_in(web)


def test_sign_in_ignores_case_and_spaces_in_the_email(session, england, web):
    worker = make_user(session, "social_worker", england, email="sam@example.test")
    assert sign_in(web, "  Sam@Example.TEST ").status_code == 302
    assert signed_in(web)


def test_wrong_password_is_refused_in_the_error_summary(session, england, web):
    worker = make_user(session, "social_worker", england)
    response = sign_in(web, worker, "not the password at all")
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    links = page.select(".govuk-error-summary__list a")
    assert [(a["href"], a.get_text(strip=True)) for a in links] == [
        ("#email", "Enter a correct email address and password")
    ]
    assert not signed_in(web)


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(session, england, web):
    worker = make_user(session, "social_worker", england)
    wrong_password = sign_in(web, worker, "not the password at all")
    unknown = sign_in(web, "nobody@example.test", "not the password at all")
    assert wrong_password.status_code == unknown.status_code == 200

    def body(r):
        page = soup(r)
        for token in page.find_all("input", attrs={"name": "csrf_token"}):
            token.decompose()
        for field in page.find_all("input", attrs={"name": "email"}):
            field["value"] = ""
        for script in page.find_all("script"):
            script.decompose()
        return str(page)

    assert body(wrong_password) == body(unknown)


def test_inactive_user_cannot_sign_in(session, england, web):
    worker = make_user(session, "social_worker", england, active=False)
    assert sign_in(web, worker).status_code == 200
    assert not signed_in(web)


def test_sign_out_ends_the_session(session, england, web):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    page = web.get("/families")
    token = soup(page).select_one("form[action='/sign-out'] input[name=csrf_token]")["value"]
    response = web.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    after = web.get("/families")
    assert after.status_code == 302 and after.headers["Location"].startswith("/sign-in")


def test_sign_out_needs_a_post(session, england, web):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    assert web.get("/sign-out").status_code == 405
    assert signed_in(web)


def test_next_page_after_sign_in_stays_on_this_site(session, england, web):
    worker = make_user(session, "social_worker", england)
    page = web.get("/sign-in?next=https://evil.example/steal")
    token = soup(page).find("input", attrs={"name": "csrf_token"})["value"]
    response = web.post("/sign-in?next=https://evil.example/steal",
                        data={"csrf_token": token, "email": worker.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    web2_page = web.get("/families")
    assert web2_page.status_code == 200


# --- throttling ------------------------------------------------------------------------------


def fail(web, email, times):
    for _ in range(times):
        assert sign_in(web, email, "wrong password, wrong").status_code == 200


@pytest.mark.parametrize("exists", [True, False], ids=["existing user", "no such user"])
def test_slowed_down_after_repeated_failures_whether_or_not_the_email_exists(session, england, web, exists):
    email = "someone@example.test"
    if exists:
        make_user(session, "social_worker", england, email=email)
    fail(web, email, MAX_FAILURES)
    response = sign_in(web, email, PASSWORD)  # even the right password must wait (from a new place)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert "Too many attempts to sign in" in text_of(response)
    assert not signed_in(web)


def test_one_failure_fewer_than_the_limit_still_lets_the_right_password_in(session, england, web):
    worker = make_user(session, "social_worker", england)
    fail(web, worker.email, MAX_FAILURES - 1)
    assert sign_in(web, worker).status_code == 302
    assert signed_in(web)


def test_throttle_is_per_email_address(session, england, web):
    worker = make_user(session, "social_worker", england)
    fail(web, "someone-else@example.test", MAX_FAILURES)
    assert sign_in(web, worker).status_code == 302


def test_the_wait_doubles_with_each_failure_and_then_the_right_password_gets_in(session, england, web, clock):
    worker = make_user(session, "social_worker", england)
    fail(web, worker.email, MAX_FAILURES)
    for wait in (1, 2, 4):
        assert sign_in(web, worker, "wrong password, wrong").headers["Retry-After"] == str(wait)
        clock.set(clock.now() + timedelta(seconds=wait))
        assert sign_in(web, worker, "wrong password, wrong").status_code == 200  # counted: the wait doubles
    assert sign_in(web, worker).headers["Retry-After"] == "8"
    clock.set(clock.now() + timedelta(seconds=8))
    assert sign_in(web, worker).status_code == 302


def test_attempts_are_stored_without_the_email_address(session, england, web):
    fail(web, "private.person@example.test", 2)
    rows = session.scalars(select(SignInThrottle)).all()
    assert sorted(r.key.split(":")[0] for r in rows) == ["account", "address"]
    assert all("private" not in r.key and "127.0.0.1" not in r.key and r.failures == 2 for r in rows)


# --- idle sessions ---------------------------------------------------------------------------


def test_session_expires_after_30_idle_minutes(session, england, web, clock):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    clock.set(clock.now() + timedelta(minutes=30))
    assert signed_in(web)  # exactly 30 minutes idle: still signed in, and the clock restarts
    clock.set(clock.now() + timedelta(minutes=30, seconds=1))
    response = web.get("/families")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    page = web.get(response.headers["Location"])
    assert "had not used Pathway for 30 minutes" in text_of(page)


def test_session_cookie_is_http_only_and_same_site_lax(session, england, web):
    worker = make_user(session, "social_worker", england)
    response = sign_in(web, worker)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- passwords -------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2id():
    hashed = hash_password("twelve chars")
    assert hashed.startswith("$argon2id$") and "twelve" not in hashed
    assert verify_password(hashed, "twelve chars")
    assert not verify_password(hashed, "twelve chars!")
    assert not verify_password(None, "twelve chars")


def test_passwords_shorter_than_12_characters_are_refused():
    assert MIN_LENGTH == 12
    with pytest.raises(PasswordTooShort):
        hash_password("x" * 11)
    hash_password("x" * 12)


# --- create-user -----------------------------------------------------------------------------


def test_create_user_reads_the_password_from_stdin(session, cli, england):
    result = cli.invoke(args=["create-user", "--email", "New.Worker@Example.test", "--name", "New Worker",
                              "--role", "social_worker", "--la", england.code], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.email == "new.worker@example.test"))
    assert user.role == "social_worker" and user.la_id == england.id
    assert verify_password(user.password_hash, "a long enough password")
    assert "a long enough password" not in result.output


@pytest.mark.parametrize("args, stdin, message", [
    (["--role", "social_worker", "--la", "E09000999"], "eleven char\n", "at least 12 characters"),
    (["--role", "social_worker", "--la", "E09000999"], "password2026!\n", "one of the most common passwords"),
    (["--role", "social_worker", "--la", "E09000999"], "aaaaaaaaaaaa\n", "too easy to guess"),
    (["--role", "social_worker", "--la", "E09000999"], "            \n", "only spaces"),
    (["--role", "social_worker", "--la", "E09000999"], "x@example.test\n", "your email address"),
    (["--role", "social_worker"], "a long enough password\n", "needs --la"),
    (["--role", "team_manager", "--la", "X000"], "a long enough password\n", "No local authority has the code"),
    (["--role", "fjb_viewer"], "a long enough password\n", "needs --dfj-area"),
    (["--role", "admin", "--la", "E09000999"], "a long enough password\n", "belongs to no authority"),
])  # fmt: skip
def test_create_user_refuses_what_it_cannot_do(session, cli, england, args, stdin, message):
    result = cli.invoke(args=["create-user", "--email", "x@example.test", "--name", "X", *args], input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert session.scalar(select(func.count(User.id))) == 0


def test_create_user_refuses_a_second_user_with_the_same_email(session, cli, england):
    make_user(session, "admin", email="taken@example.test")
    result = cli.invoke(args=["create-user", "--email", "Taken@example.test", "--name", "X", "--role", "admin"],
                        input="a long enough password\n")
    assert result.exit_code != 0 and "already exists" in result.output


def test_board_member_is_created_with_a_dfj_area(session, cli):
    result = cli.invoke(args=["create-user", "--email", "b@example.test", "--name", "B", "--role", "fjb_viewer",
                              "--dfj-area", "Testshire"], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User))
    assert user.dfj_area == "Testshire" and user.la_id is None


# --- demo users ------------------------------------------------------------------------------


def test_seed_demo_adds_one_user_per_role_who_can_sign_in(session, cli, web):
    from pathway.demo_users import DEMO_PASSWORD
    from pathway.models import ROLES, Family

    result = cli.invoke(args=["seed-demo", "--families", "12"])
    assert result.exit_code == 0, result.output
    users = session.scalars(select(User)).all()
    assert {u.role for u in users} == set(ROLES)
    worker = next(u for u in users if u.email == "worker@northmoor.example")
    assert session.scalar(select(func.count(Family.id)).where(Family.worker_id == worker.id)) == 8
    assert sign_in(web, worker.email, DEMO_PASSWORD).status_code == 302
    again = cli.invoke(args=["seed-demo", "--families", "12", "--if-empty"])
    assert again.exit_code == 0
    assert session.scalar(select(func.count(User.id))) == len(users)


def test_no_password_is_hashed_until_someone_signs_in():
    """Issue 17: a command never pays for an Argon2 hash; the first sign-in makes the dummy that
    an unknown e-mail is checked against (so it costs as much as a wrong password)."""
    import subprocess
    import sys

    code = ("from pathway.auth import passwords as p; assert p._DUMMY is None; "
            "assert not p.verify_password(None, 'x' * 12); assert p._DUMMY.startswith('$argon2id$')")
    subprocess.run([sys.executable, "-c", code], check=True)
