"""CSRF, security headers, cookies, and no personal details in URLs or logs."""
from __future__ import annotations

import logging
import re
from datetime import date

from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from conftest import opened, record
from pathway.config import from_environment
from pathway.models import Event, Family
from pathway.security import content_security_policy
from web_helpers import date_fields, make_user, sign_in, soup, submit, web, web_app  # noqa: F401


def test_post_without_csrf_token_is_refused(session, england, web):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family = session.scalar(select(Family))
    before = session.scalar(select(func.count(Event.id)))
    response = web.post(f"/families/{family.id}/steps/offer-fgc",
                        data={"version": str(family.version), **date_fields("date", date(2026, 1, 6))})
    assert response.status_code == 400
    assert "Nothing has been saved" in response.get_data(as_text=True)
    assert session.scalar(select(func.count(Event.id))) == before
    # and the same post with the page's token goes through
    assert submit(web, f"/families/{family.id}/steps/offer-fgc", date_fields("date", date(2026, 1, 6))).status_code == 302


def test_sign_in_without_csrf_token_is_refused(session, england, web):
    worker = make_user(session, "social_worker", england)
    response = web.post("/sign-in", data={"email": worker.email, "password": "correct horse battery staple"})
    assert response.status_code == 400


def test_every_form_on_a_page_carries_a_csrf_token(session, england, web):
    worker = make_user(session, "team_manager", england)
    sign_in(web, worker)
    page = soup(web.get("/families"))
    forms = page.find_all("form")
    assert forms and all(f.find("input", attrs={"name": "csrf_token"}) for f in forms)


def test_security_headers_and_a_fresh_nonce_for_each_page(session, web):
    first, second = web.get("/sign-in"), web.get("/sign-in")
    for response in (first, second):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cache-Control"] == "no-store"
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "default-src 'self'" in csp
        nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
        scripts = soup(response).find_all("script")
        assert scripts and all(s.get("nonce") == nonce for s in scripts)
        assert "'unsafe-inline'" not in csp
    nonce_of = lambda r: re.search(r"'nonce-([^']+)'", r.headers["Content-Security-Policy"]).group(1)  # noqa: E731
    assert nonce_of(first) != nonce_of(second)


def test_the_gov_uk_module_script_is_loaded_with_the_nonce(web):
    page = soup(web.get("/sign-in"))
    module = page.find("script", attrs={"type": "module"})
    assert "initAll()" in module.string and "/assets/govuk/govuk-frontend.min.js" in module.string


def test_gov_uk_fonts_are_served_where_the_css_looks_for_them(web):
    css = web.get("/assets/govuk/govuk-frontend.min.css").get_data(as_text=True)
    font = re.search(r"/assets/fonts/([\w.-]+\.woff2)", css).group(1)
    assert web.get(f"/assets/fonts/{font}").status_code == 200
    assert web.get("/assets/images/favicon.ico").status_code == 200
    assert web.get("/assets/fonts/../../pathway/config.py").status_code == 404


def test_csp_allows_only_this_site(app):
    csp = content_security_policy("abc")
    assert "script-src 'self' 'nonce-abc'" in csp and "http" not in csp


def test_error_pages_carry_the_headers_too(session, england, web):
    make_user(session, "fjb_viewer", dfj_area="Testshire", email="b@example.test")
    sign_in(web, "b@example.test")
    response = web.get("/families")
    assert response.status_code == 403 and "frame-ancestors" in response.headers["Content-Security-Policy"]
    assert "You cannot see this page" in response.get_data(as_text=True)


def test_session_cookie_is_secure_outside_development():
    production = from_environment({"PATHWAY_ENV": "production", "SECRET_KEY": "x" * 32})
    development = from_environment({"PATHWAY_ENV": "development"})
    assert production["SESSION_COOKIE_SECURE"] and production["SESSION_COOKIE_HTTPONLY"]
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not development["SESSION_COOKIE_SECURE"]


PERSONAL = ("ref", "name", "email", "dob", "birth", "child", "family", "person", "worker", "user")


def test_urls_carry_only_numeric_ids_for_people_and_cases(app):
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            kind = type(converter).__name__
            if kind == "PathConverter":
                assert rule.endpoint == "static", rule.rule
            elif not isinstance(converter, IntegerConverter):
                assert not any(word in name for word in PERSONAL), (
                    f"{rule.rule}: <{name}> is free text that could carry a reference or a name; use an id"
                )


def test_family_and_child_references_do_not_appear_in_links(session, england, web):
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    record(session, england, [opened("SECRET-CHILD", date(2026, 1, 5), family_ref="SECRET-FAMILY")])
    family = session.scalar(select(Family))
    page = soup(web.get(f"/families/{family.id}"))
    hrefs = [a["href"] for a in page.find_all("a", href=True)] + [f.get("action", "") for f in page.find_all("form")]
    assert hrefs and not any("SECRET" in h for h in hrefs)


def test_failed_sign_in_logs_no_email_address(session, england, web, caplog):
    # Alembic's logging set-up (run by the test database fixture) disables loggers that existed then.
    logging.getLogger("pathway.auth").disabled = False
    caplog.set_level(logging.INFO)
    sign_in(web, "private.person@example.test", "wrong password, wrong")
    worker = make_user(session, "social_worker", england, email="known.person@example.test")
    sign_in(web, worker)
    assert caplog.records, "expected sign-in to be logged"
    assert "private.person" not in caplog.text and "known.person" not in caplog.text
