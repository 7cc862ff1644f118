"""The header's service navigation (issue 17, item 5): each feature adds its link beside its own
blueprint through pathway.navigation, which imports no blueprint; the blueprints never import
pathway.web, so there is no import circle; each role sees its own links, in its language."""
from __future__ import annotations

import subprocess
import sys

import pytest

from web_helpers import make_team, make_user, reading_in, sign_in, soup, web, web_app  # noqa: F401


def test_the_blueprints_import_without_the_web_module():
    code = ("import sys, pathway.board, pathway.queues, pathway.fgc, pathway.diary; "
            "assert 'pathway.web' not in sys.modules, 'a blueprint imports pathway.web'")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("role, links", [
    ("social_worker", ["My families", "My diary"]),
    ("team_manager", ["My families", "Queues", "My diary", "FGC service"]),
    ("fjb_viewer", ["Board reports"]),
    ("admin", ["Board reports", "Queues", "Users and authorities"]),
    ("fgc_coordinator", ["FGC service"]),
])
def test_each_role_sees_its_links(session, england, web, role, links):
    la = None if role in ("fjb_viewer", "admin") else england
    user = make_user(session, role, la, team=make_team(session, england) if la else None,
                     dfj_area="Testshire" if role == "fjb_viewer" else None)
    sign_in(web, user)
    page = soup(web.get("/how-the-pathway-works"))
    shown = [a.get_text(strip=True) for a in page.select(".govuk-service-navigation__list a")]
    assert shown == links


def test_the_links_follow_the_language(session, england, web):
    sign_in(web, make_user(session, "team_manager", england, team=make_team(session, england)))
    reading_in(web, "cy")
    page = soup(web.get("/how-the-pathway-works"))
    shown = [a.get_text(strip=True) for a in page.select(".govuk-service-navigation__list a")]
    assert shown == ["Fy nheuluoedd", "Ciwiau", "Fy nyddiadur", "Gwasanaeth FGC"]
