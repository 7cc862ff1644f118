"""In a real browser (issue 13): one family from the offer of a family group conference to its
review, as a social worker and an FGC coordinator; axe on every new page type (no serious or
critical violation) and nothing wider than a 320 px screen."""
from __future__ import annotations

from datetime import date

import pytest

from browser_helpers import browser, server  # noqa: F401 (fixtures)
from test_journey import check_accessibility, fill_date, save, success  # noqa: F401
from test_network_in_browser import no_wider_than_the_screen

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator@example.test"


@pytest.fixture(scope="module")
def conference_family(server):  # noqa: F811
    """A family of the English authority with a mother in its network, and the authority's coordinator."""
    from conftest import opened, step
    from pathway.extensions import db
    from pathway.models import Family, LocalAuthority
    from pathway.services import Actor, record_steps
    from web_helpers import make_user

    with server["app"].app_context():
        session = db.session
        england = session.query(LocalAuthority).filter_by(code="E99000001").one()
        make_user(session, "fgc_coordinator", england, name="Chris Adeyemi", email=COORDINATOR)
        steps = [opened("FGC-C1", date(2026, 10, 1), family_ref="CONFERENCE"),
                 step("add_person", date(2026, 10, 1), "CONFERENCE", person_ref="CONF-M"),
                 step("add_person", date(2026, 10, 1), "CONFERENCE", person_ref="CONF-G"),
                 step("relate_person", date(2026, 10, 1), "CONFERENCE", "FGC-C1", person_ref="CONF-M",
                      relationship="mother", parental_responsibility="yes")]
        assert record_steps(session, england, list(enumerate(steps)), actor=Actor(None, "test"), source="import",
                            now=server["app"].extensions["pathway_clock"].now()).ok
        session.commit()
        return session.query(Family).filter_by(reference="CONFERENCE").one().id


def _as(browser, server, email):  # noqa: F811
    context = browser.new_context(base_url=server["url"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", server["password"])
    page.click("button:has-text('Sign in'), input[value='Sign in']")
    page.wait_for_load_state()
    return context, page


def _step(page, label: str, day: int) -> None:
    page.get_by_role("link", name=label, exact=True).click()
    fill_date(page, day, 11, 2026)


def test_one_family_from_offer_to_review(browser, server, conference_family):  # noqa: F811
    worker_context, worker = _as(browser, server, server["worker"])
    coordinator_context, coordinator = _as(browser, server, COORDINATOR)
    family_page = f"/families/{conference_family}"
    try:
        worker.goto(family_page)
        _step(worker, "Offer a family group conference", 2)
        save(worker)
        _step(worker, "Family accepted the FGC", 3)
        save(worker)

        # The coordinator cannot see the family before the referral.
        assert coordinator.goto(f"/fgc/families/{conference_family}").status == 404
        assert coordinator.goto(family_page).status == 403

        worker.get_by_role("link", name="Refer the family to the FGC service", exact=True).click()
        check_accessibility(worker, "referral form")
        save(worker)  # nothing entered: the error summary links to the fields
        assert worker.title().startswith("Error: ")
        fill_date(worker, 4, 11, 2026)
        worker.fill("#reason", "Neglect: the home is cold and the children miss school")
        save(worker)
        assert "Referral to the FGC service recorded" in success(worker)

        worker.get_by_role("link", name="Allocate an FGC coordinator", exact=True).click()
        check_accessibility(worker, "allocation of a coordinator")
        worker.check(f"input[name=coordinator][value='{COORDINATOR}']")
        fill_date(worker, 5, 11, 2026)
        save(worker)
        assert "FGC coordinator allocated" in success(worker)
        assert COORDINATOR in worker.inner_text("main")

        # The coordinator: the list, the family, the conference held with who came.
        coordinator.goto("/fgc")
        assert coordinator.locator("h1").inner_text() == "FGC service"
        check_accessibility(coordinator, "the FGC service lists")
        no_wider_than_the_screen(coordinator, "the FGC service lists")
        coordinator.get_by_role("link", name="CONFERENCE", exact=True).click()
        main = coordinator.inner_text("main")
        assert "Neglect: the home is cold" in main and "Mother of child FGC-C1" in main
        check_accessibility(coordinator, "the coordinator's family page")
        no_wider_than_the_screen(coordinator, "the coordinator's family page")

        coordinator.get_by_role("link", name="Family group conference held", exact=True).click()
        check_accessibility(coordinator, "the conference held form")
        no_wider_than_the_screen(coordinator, "the conference held form")
        coordinator.check("input[name=invited][value='CONF-M']")
        coordinator.check("input[name=attended][value='CONF-G']")  # came without an invitation
        coordinator.check("input[name=private_family_time][value=yes]")
        fill_date(coordinator, 16, 11, 2026)
        save(coordinator)
        summary = coordinator.locator(".govuk-error-summary")
        assert "CONF-G came to the conference but is not among the people invited" in summary.inner_text()
        check_accessibility(coordinator, "the conference held form with an error")
        coordinator.check("input[name=invited][value='CONF-G']")
        save(coordinator)
        assert "Family group conference recorded as held" in success(coordinator)

        # The social worker records the authority's decision on the family's plan.
        worker.goto(family_page)
        worker.get_by_role("link", name="Decide on the family's plan", exact=True).click()
        check_accessibility(worker, "the plan decision form")
        worker.check("input[name=outcome][value=accepted]")
        fill_date(worker, 18, 11, 2026)
        save(worker)
        assert "Decision on the family's plan recorded" in success(worker)

        # The coordinator records the review.
        coordinator.goto(f"/fgc/families/{conference_family}")
        _step(coordinator, "Family group conference review held", 20)
        save(coordinator)
        assert "Family group conference review recorded" in success(coordinator)
        main = coordinator.inner_text("main")
        assert "review held" in main.lower() and "20 November 2026" in main

        worker.goto(family_page)
        main = worker.inner_text("main")
        assert "Review held" in main and "Private family time" in main
        check_accessibility(worker, "the family page with the FGC service")
        no_wider_than_the_screen(worker, "the family page with the FGC service")
        # Records nothing a coordinator may not: the social worker's steps are not theirs.
        assert coordinator.goto(f"/fgc/families/{conference_family}/steps/decide-fgc-plan").status == 404
    finally:
        worker_context.close()
        coordinator_context.close()
