"""In a real browser: a social worker takes a family with two children through care proceedings,
and every page type passes axe-core with no violation of any impact.

Set PATHWAY_SCREENSHOT_DIR to also save a full-page screenshot of the family page there.
"""
from __future__ import annotations

import os
import re

import pytest

from browser_helpers import browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
IMPACTS = ("minor", "moderate", "serious", "critical", None)  # every violation counts


@pytest.fixture
def page(browser, server):  # noqa: F811
    context = browser.new_context(base_url=server["url"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.console_problems = problems
    yield page
    context.close()


def check_accessibility(page, what: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
           for v in results.response["violations"] if v["impact"] in IMPACTS]
    assert not bad, f"{what}: {bad}"


def sign_in(page, server, who="worker"):  # noqa: F811
    page.goto("/sign-in")
    page.fill("#email", server[who])
    page.fill("#password", server["password"])
    page.click("button:has-text('Sign in'), input[value='Sign in']")
    page.wait_for_load_state()


def fill_date(page, day: int, month: int, year: int, name: str = "date") -> None:
    page.fill(f"#{name}-day", str(day))
    page.fill(f"#{name}-month", str(month))
    page.fill(f"#{name}-year", str(year))


def save(page) -> None:
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()


def success(page) -> str:
    return page.locator(".govuk-notification-banner--success").inner_text()


def test_two_children_through_care_proceedings(page, server):  # noqa: F811
    sign_in(page, server)
    assert page.locator("h1").inner_text() == "My allocated families"
    check_accessibility(page, "home")
    # the GOV.UK Frontend module ran under the Content-Security-Policy
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")

    page.get_by_role("link", name="SIBLINGS").click()
    assert page.locator("h1").inner_text() == "Family SIBLINGS"
    assert "No FGC offered yet: offer one before any move into care." in page.inner_text("main")
    check_accessibility(page, "family page")

    page.get_by_role("link", name="Offer a family group conference").click()
    check_accessibility(page, "step form")
    save(page)  # nothing entered: the error summary
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary a").first.get_attribute("href") == "#date-day"
    check_accessibility(page, "step form with errors")
    fill_date(page, 10, 2, 2026)
    save(page)
    assert "Family group conference offer recorded for family SIBLINGS" in success(page)

    page.get_by_role("link", name="Send the letter before proceedings").click()
    fill_date(page, 12, 2, 2026)
    save(page)
    assert "Letter before proceedings recorded for family SIBLINGS" in success(page)

    page.get_by_role("link", name="Children", exact=True).click()
    page.get_by_role("link", name="Issue care proceedings for child C1").click()
    fill_date(page, 2, 3, 2026)
    page.fill("#proceedings_ref", "NM26C00042")
    page.get_by_label("Child C2").check()
    check_accessibility(page, "issue proceedings form")
    save(page)
    assert "Care application recorded for child C1 and child C2" in success(page)
    panel = page.locator(".govuk-summary-card", has_text="Proceedings NM26C00042").inner_text()
    assert "Week 38 of 26" in panel and "Overdue by" in panel

    page.get_by_role("link", name="Record an extension for proceedings NM26C00042").click()
    fill_date(page, 20, 8, 2026)
    page.fill("#weeks", "8")
    page.select_option("#reason", "kinship_assessment")
    check_accessibility(page, "extension form")
    save(page)
    assert "Extension of 8 weeks recorded" in success(page)
    panel = page.locator(".govuk-summary-card", has_text="Proceedings NM26C00042").inner_text()
    assert re.search(r"Deadline with extensions\s+25 October 2026", panel)

    for child, order in (("C1", "Care order"), ("C2", "Special guardianship order")):
        page.get_by_role("link", name="Children", exact=True).click()
        page.get_by_role("link", name=f"Record the final order for child {child}").click()
        fill_date(page, 1, 10, 2026)
        page.get_by_label(order, exact=True).check()
        save(page)
        assert f"Final order recorded for child {child}" in success(page)

    assert "Concluded" in page.locator(".govuk-summary-card", has_text="Proceedings NM26C00042").inner_text()
    with page.expect_navigation():  # all_inner_texts does not wait: read the timeline once it has loaded
        page.get_by_role("link", name="Timeline", exact=True).click()
    timeline = page.locator(".pathway-timeline h3").all_inner_texts()
    assert timeline[:3] == ["Record the final order: child C2", "Record the final order: child C1",
                            "Extend the 26-week timetable"]
    for expected in ("Issue care proceedings: child C1", "Issue care proceedings: child C2",
                     "Send the letter before proceedings", "Offer a family group conference"):
        assert expected in timeline
    assert "Recorded by Sam Okafor" in page.locator(".pathway-timeline").inner_text()
    check_accessibility(page, "family page after final orders")
    shots = os.environ.get("PATHWAY_SCREENSHOT_DIR")
    if shots:
        page.screenshot(path=os.path.join(shots, "pathway-family-page.png"), full_page=True)
    assert not [p for p in page.console_problems if "Content Security Policy" in p or "Refused" in p]


def test_every_other_page_type_is_accessible(page, server):  # noqa: F811
    page.goto("/sign-in")
    check_accessibility(page, "sign-in")
    page.click("button:has-text('Sign in'), input[value='Sign in']")
    check_accessibility(page, "sign-in with errors")

    sign_in(page, server, "manager")
    assert "Not yet allocated" in page.inner_text("main") or "Every family" in page.inner_text("main")
    check_accessibility(page, "manager's home")
    family_id = server["families"]["ANOTHER"]
    page.goto(f"/families/{family_id}")
    check_accessibility(page, "family page for a manager")
    page.goto(f"/families/{family_id}/allocation")
    check_accessibility(page, "allocation")
    page.goto("/families/new")
    check_accessibility(page, "new family")
    page.goto(f"/families/{family_id}/children/new")
    check_accessibility(page, "add a child")
    page.goto(f"/families/{server['families']['TEULU']}")
    assert page.locator("h1").inner_text() == "Page not found"
    check_accessibility(page, "404")
    page.goto("/admin/users")
    check_accessibility(page, "403")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    page.goto("/sign-in")
    page.fill("#email", "admin@example.test")
    page.fill("#password", server["password"])
    page.click("button:has-text('Sign in'), input[value='Sign in']")
    page.wait_for_load_state()
    check_accessibility(page, "admin users")
    page.goto("/admin/authorities")
    check_accessibility(page, "admin authorities")
    page.get_by_role("button", name="Sign out").click()

    page.goto("/sign-in")
    page.fill("#email", "gweithiwr@example.test")
    page.fill("#password", server["password"])
    page.click("button:has-text('Sign in'), input[value='Sign in']")
    page.wait_for_load_state()
    page.goto(f"/families/{server['families']['TEULU']}/children")
    assert "Care and support protection plan" in page.inner_text("main")
    check_accessibility(page, "Welsh family page")
