"""Issue 15 in a real browser: the social worker's journey, the manager's queues and the board's
report in Welsh; the header's Cymraeg / English switch and that the choice lasts beyond signing
out; axe-core finds no violation of any impact on any page, `html-lang-valid` and `valid-lang`
among the rules it ran. At 320 px nothing is wider than the screen.
"""
from __future__ import annotations

import os

import pytest

from browser_helpers import browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
LANGUAGE_RULES = {"html-has-lang", "html-lang-valid", "valid-lang"}


@pytest.fixture(scope="module")
def welsh_people(server):  # noqa: F811
    """A Welsh authority's manager and an all-Welsh area's board member, neither with a language
    yet (their first sign-in chooses), and a Welsh social worker allocated the family TEULU."""
    from conftest import allocate_family
    from pathway.extensions import db
    from pathway.models import Family, LocalAuthority
    from web_helpers import make_team, make_user

    with server["app"].app_context():
        wales = db.session.query(LocalAuthority).filter_by(code="W99000001").one()
        team = make_team(db.session, wales, "Tîm diogelu teuluoedd")
        worker = make_user(db.session, "social_worker", wales, team=team, name="Gwen Prydderch",
                           email="cymraeg@example.test", language=None)
        make_user(db.session, "team_manager", wales, team=team, name="Rhys Bowen", email="rheolwr@example.test",
                  language=None)
        make_user(db.session, "fjb_viewer", dfj_area="Glanmor", name="Eluned Parry", email="bwrdd@example.test",
                  language=None)
        family = db.session.query(Family).filter_by(reference="TEULU").one()
        allocate_family(db.session, family, team.id, worker.id)
        db.session.commit()
    return server


@pytest.fixture
def page(browser, welsh_people):  # noqa: F811
    context = browser.new_context(base_url=welsh_people["url"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def follow(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def check(page, what: str, lang: str = "cy") -> None:
    from axe_playwright_python.sync_playwright import Axe

    assert page.get_attribute("html", "lang") == lang, what
    results = Axe().run(page).response
    bad = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
           for v in results["violations"]]
    assert not bad, f"{what}: {bad}"
    ran = {rule["id"] for rule in results["passes"]} | {rule["id"] for rule in results["inapplicable"]}
    assert {"html-has-lang", "html-lang-valid"} <= ran, what
    if page.locator("[lang]:not(html)").count():
        assert "valid-lang" in {rule["id"] for rule in results["passes"]}, what


def sign_in(page, email: str, password: str, button: str) -> None:
    page.fill("#email", email)
    page.fill("#password", password)
    follow(page, page.get_by_role("button", name=button))


def switch_language(page, to: str) -> None:
    link = page.locator(f"nav.pathway-language-switch a[lang={to}]")
    assert link.get_attribute("hreflang") == to
    follow(page, link)


def no_wider_than_the_screen(page, what: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 320, f"{what} is {width}px wide at 320px"


def test_a_welsh_social_worker_records_a_step_in_welsh_and_the_choice_lasts(page, welsh_people):
    server = welsh_people
    page.goto("/sign-in")
    check(page, "sign-in page in English", lang="en")
    switch_language(page, "cy")
    assert page.url.endswith("/sign-in")
    check(page, "sign-in page in Welsh")
    no_wider_than_the_screen(page, "sign-in page in Welsh")
    sign_in(page, "cymraeg@example.test", server["password"], "Mewngofnodi")
    header = page.inner_text("header")
    assert "Wedi mewngofnodi fel Gwen Prydderch, gweithiwr cymdeithasol" in header
    assert "Allgofnodi" in header and "Fy nheuluoedd" in header
    check(page, "families in Welsh")
    no_wider_than_the_screen(page, "families in Welsh")

    follow(page, page.get_by_role("link", name="TEULU"))
    check(page, "family page in Welsh")
    no_wider_than_the_screen(page, "family page in Welsh")
    follow(page, page.get_by_role("link", name="Cynnig cynhadledd grŵp teulu"))
    check(page, "step form in Welsh")
    for label in ("Diwrnod", "Mis", "Blwyddyn"):
        assert page.get_by_label(label).count() >= 1
    follow(page, page.get_by_role("button", name="Cadw"))  # nothing entered
    assert page.title().startswith("Gwall: ")
    assert page.locator(".govuk-error-summary__title").inner_text() == "Mae problem wedi codi"
    assert page.locator(".govuk-error-summary a").first.get_attribute("href") == "#date-day"
    check(page, "step form's errors in Welsh")
    no_wider_than_the_screen(page, "step form's errors in Welsh")
    if os.environ.get("PATHWAY_SCREENSHOT_DIR"):
        page.set_viewport_size({"width": 320, "height": 800})
        page.screenshot(path=os.path.join(os.environ["PATHWAY_SCREENSHOT_DIR"], "welsh-step-320.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#date-day", "16")
    page.fill("#date-month", "11")
    page.fill("#date-year", "2026")
    follow(page, page.get_by_role("button", name="Cadw"))
    assert page.locator(".govuk-notification-banner--success").count() == 1
    banner = page.locator(".govuk-notification-banner--success").inner_text()
    assert "Llwyddiant" in banner and "Success" not in banner
    check(page, "family page after a step, in Welsh")

    # English, for this page and the next sign-in.
    here = page.url
    switch_language(page, "en")
    assert page.url == here
    check(page, "family page in English", lang="en")
    follow(page, page.get_by_role("button", name="Sign out"))
    sign_in(page, "cymraeg@example.test", server["password"], "Sign in")
    assert page.get_attribute("html", "lang") == "en"
    assert "Signed in as Gwen Prydderch, social worker" in page.inner_text("header")
    switch_language(page, "cy")
    follow(page, page.get_by_role("button", name="Allgofnodi"))
    assert page.get_attribute("html", "lang") == "cy"  # the sign-in page after signing out, still Welsh


def test_a_welsh_manager_works_the_queues_in_welsh(page, welsh_people):
    page.goto("/sign-in")
    sign_in(page, "rheolwr@example.test", welsh_people["password"], "Sign in")  # first sign-in: Welsh
    assert page.get_attribute("html", "lang") == "cy"
    follow(page, page.get_by_role("link", name="Ciwiau"))
    check(page, "queues in Welsh")
    no_wider_than_the_screen(page, "queues in Welsh")
    assert "rheolwr tîm" in page.inner_text("header")


def test_a_board_member_of_a_welsh_area_reads_the_report_in_welsh(page, welsh_people):
    page.goto("/sign-in")
    sign_in(page, "bwrdd@example.test", welsh_people["password"], "Sign in")
    assert page.get_attribute("html", "lang") == "cy"
    assert "/board" in page.url
    check(page, "board report in Welsh")
    no_wider_than_the_screen(page, "board report in Welsh")
    assert "Aelod o'r bwrdd cyfiawnder teuluol" not in page.inner_text("header")  # lower case in the sentence
    assert "aelod o'r bwrdd cyfiawnder teuluol" in page.inner_text("header")
