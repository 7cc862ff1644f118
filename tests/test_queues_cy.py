"""Cymraeg on the queues chooser, the FGC service home and the diary (issue 15)."""
from __future__ import annotations

import pytest

from web_helpers import make_team, make_user, sign_in, soup, web, web_app  # noqa: F401


@pytest.fixture
def welsh_manager(session, wales, web):
    user = make_user(session, "team_manager", wales, team=make_team(session, wales), name="Rhian Rheolwr")
    sign_in(web, user)
    web.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "cy"
    return user


def page_text(web, url) -> str:
    response = web.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # The main content only: the header's navigation (base.html) is marked separately.
    return soup(response).find("main").get_text(" ", strip=True)


def test_the_queues_chooser_reads_in_welsh(session, wales, web):
    sign_in(web, make_user(session, "admin"))
    web.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "cy"
    text = page_text(web, "/queues")
    assert "Ciwiau" in text
    assert "Choose a local authority to see its children" not in text


def test_the_fgc_home_reads_in_welsh(welsh_manager, web):
    text = page_text(web, "/fgc")
    assert "Gwasanaeth FGC" in text and "Angen sylw" in text
    assert "Needs attention" not in text and "Referred to the FGC service" not in text


def test_the_diary_reads_in_welsh(welsh_manager, web):
    text = page_text(web, "/diary")
    assert "Fy nyddiadur" in text and "Yn eich calendr eich hun" in text
    assert "My diary" not in text and "In your own calendar" not in text
