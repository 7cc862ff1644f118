"""Choosing the language (issue 15): the header's Cymraeg / English link on every page, remembered
per user and per session; Welsh authorities' users start in Welsh, others in English; `lang`."""
from __future__ import annotations

import pytest

from conftest import add_la
from pathway.extensions import db
from pathway.models import User
from web_helpers import make_team, make_user, reading_in, sign_in, soup, web, web_app  # noqa: F401


def language_of(session, user) -> str | None:
    session.expire_all()
    return session.get(User, user.id).language


def html_lang(response) -> str:
    return soup(response).find("html")["lang"]


def switch(response):
    return soup(response).select_one("nav.pathway-language-switch a")


def test_the_sign_in_page_has_the_switch_and_says_its_language(web):
    page = web.get("/sign-in")
    assert html_lang(page) == "en"
    link = switch(page)
    assert link["lang"] == link["hreflang"] == "cy"
    assert link.get_text(" ", strip=True).endswith("Cymraeg")
    assert link["href"] == "/language/cy?next=/sign-in"


def test_choosing_welsh_before_signing_in_lasts_for_the_session_and_becomes_the_users(session, england, web):
    user = make_user(session, "social_worker", england, language=None)
    response = web.get("/language/cy?next=/sign-in")
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    page = web.get("/sign-in")
    assert html_lang(page) == "cy"
    assert switch(page)["lang"] == "en"
    sign_in(web, user)
    assert language_of(session, user) == "cy"  # chosen before signing in, kept after (an English authority)
    assert html_lang(web.get("/families")) == "cy"


@pytest.mark.parametrize("nation, expected", [("wales", "cy"), ("england", "en")])
def test_the_first_sign_in_chooses_by_the_authoritys_nation(session, nation, expected, web):
    la = add_la(session, "W06000998" if nation == "wales" else "E09000998", nation)
    user = make_user(session, "social_worker", la, team=make_team(session, la), language=None)
    sign_in(web, user)
    assert language_of(session, user) == expected
    page = web.get("/families")
    assert page.status_code == 200 and html_lang(page) == expected


def test_the_first_sign_in_does_not_override_a_choice_made_before(session, wales, web):
    user = make_user(session, "social_worker", wales, language="en")
    sign_in(web, user)
    assert language_of(session, user) == "en"
    assert html_lang(web.get("/families")) == "en"


@pytest.mark.parametrize("nations, expected", [({"wales"}, "cy"), ({"wales", "england"}, "en")])
def test_a_board_member_starts_in_welsh_only_when_every_authority_of_the_area_is_welsh(session, nations, expected, web):
    add_la(session, "W06000997", "wales", dfj_area="Ardal Prawf")
    if "england" in nations:
        add_la(session, "E09000997", "england", dfj_area="Ardal Prawf")
    user = make_user(session, "fjb_viewer", dfj_area="Ardal Prawf", language=None)
    sign_in(web, user)
    assert language_of(session, user) == expected


def test_an_administrator_starts_in_english(session, web):
    user = make_user(session, "admin", language=None)
    sign_in(web, user)
    assert language_of(session, user) == "en"


def test_the_switch_is_remembered_on_the_account_across_sessions(session, wales, web, web_app):
    user = make_user(session, "social_worker", wales, language=None)
    sign_in(web, user)
    page = web.get("/families")
    assert html_lang(page) == "cy"
    link = switch(page)
    assert link["lang"] == "en" and link["href"] == "/language/en?next=/families"
    back = web.get(link["href"])
    assert back.status_code == 302 and back.headers["Location"].endswith("/families")
    assert language_of(session, user) == "en"
    assert html_lang(web.get("/families")) == "en"
    # A new browser, Accept-Language Welsh: the account's choice wins.
    other = type(web)(web_app)
    other.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "cy"
    sign_in(other, user)
    assert html_lang(other.get("/families")) == "en"


def test_the_switch_keeps_the_query_string_of_the_page(session, wales, web):
    sign_in(web, make_user(session, "social_worker", wales))
    page = web.get("/families?page=2")
    assert switch(page)["href"] == "/language/cy?next=/families?page%3D2"
    assert web.get(switch(page)["href"]).headers["Location"].endswith("/families?page=2")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "evil", "javascript:alert(1)"])
def test_the_switch_never_sends_anyone_to_another_site(web, target):
    response = web.get("/language/cy", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_an_unknown_language_is_not_found_and_changes_nothing(session, wales, web):
    user = make_user(session, "social_worker", wales, language="cy")
    sign_in(web, user)
    assert web.get("/language/fr?next=/families").status_code == 404
    assert language_of(session, user) == "cy"


def test_reading_in_welsh_marks_the_header_and_the_title(session, wales, web):
    sign_in(web, make_user(session, "team_manager", wales, team=make_team(session, wales)))
    reading_in(web, "cy")
    page = soup(web.get("/families"))
    header = page.find("header").get_text(" ", strip=True)
    assert "Wedi mewngofnodi fel" in header and "Signed in as" not in header
    assert "Allgofnodi" in header and "Sign out" not in header
    assert page.select_one(".govuk-skip-link").get_text(strip=True) == "Neidio i'r prif gynnwys"
    footer = page.find("footer").get_text(" ", strip=True)
    assert "How the pathway works" not in footer


def test_the_nav_labels_and_role_follow_the_language(session, wales, web):
    sign_in(web, make_user(session, "team_manager", wales, team=make_team(session, wales), name="Rhian Rheolwr"))
    english = soup(web.get("/families")).find("header").get_text(" ", strip=True)
    assert "My families" in english and "Queues" in english and "team manager at" in english
    reading_in(web, "cy")
    welsh = soup(web.get("/families")).find("header").get_text(" ", strip=True)
    assert "My families" not in welsh and "Queues" not in welsh and "team manager" not in welsh
    assert "rheolwr tîm" in welsh
