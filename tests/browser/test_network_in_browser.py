"""In a real browser (issue 9): a social worker adds the people around two children, relates
them, opens the genogram and the court application summary; axe on every new page type, and
nothing wider than a 320 px screen."""
from __future__ import annotations

import pytest

from browser_helpers import browser, server  # noqa: F401 (fixtures)
from test_journey import check_accessibility, fill_date, page, save, sign_in, success  # noqa: F401

pytestmark = pytest.mark.browser


def add_person(page, ref: str, sex: str) -> None:
    page.get_by_role("link", name="Add a person to the family network").click()
    page.fill("#person_ref", ref)
    page.check(f"input[name=sex][value={sex}]")
    fill_date(page, 1, 6, 2026)
    page.get_by_role("button", name="Add the person").click()
    page.wait_for_load_state()


def relate(page, child: str, person: str, relationship: str, pr: str) -> None:
    page.get_by_role("link", name=f"Record how a person relates to a child for child {child}").click()
    page.select_option("#person_ref", person)
    page.select_option("#relationship", relationship)
    page.check(f"input[name=parental_responsibility][value={pr}]")
    fill_date(page, 1, 6, 2026)
    save(page)


def no_wider_than_the_screen(page, what: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{what} is {width} px wide at a 320 px screen"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_worker_builds_the_family_network_and_opens_the_genogram(page, server):  # noqa: F811
    sign_in(page, server)
    page.goto(f"/families/{server['families']['SIBLINGS']}")
    page.get_by_role("navigation", name="Parts of the family record").get_by_role("link", name="Family network").click()
    assert page.locator("h1").inner_text() == "Family network"
    check_accessibility(page, "family network, empty")

    with page.expect_navigation():  # axe must read the form, not the page being left
        page.get_by_role("link", name="Add a person to the family network").click()
    check_accessibility(page, "add a person form")
    page.get_by_role("button", name="Add the person").click()  # nothing entered
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary a").first.get_attribute("href") == "#person_ref"
    page.goto(f"/families/{server['families']['SIBLINGS']}/network")

    add_person(page, "SIB-M", "F")
    assert "Person added to the family network" in success(page)
    add_person(page, "SIB-F1", "M")
    add_person(page, "SIB-F2", "M")
    relate(page, "C1", "SIB-M", "mother", "yes")
    assert "Relationship recorded for child C1" in success(page)
    relate(page, "C2", "SIB-M", "mother", "yes")
    relate(page, "C1", "SIB-F1", "father", "yes")
    relate(page, "C2", "SIB-F2", "father", "no")  # half-siblings: a father each
    main = page.inner_text("main")
    assert "Father of child C2: no parental responsibility" in main
    check_accessibility(page, "family network with people")
    no_wider_than_the_screen(page, "the family network page")

    with page.expect_navigation():
        page.get_by_role("link", name="Genogram (printable)").click()
    assert page.locator("h1").inner_text() == "Genogram"
    svg = page.locator(".pathway-genogram svg")
    assert svg.get_attribute("role") == "img"
    rows = page.locator("#genogram-text tbody tr").all_inner_texts()
    assert any(r.split("\t") == ["SIB-F2", "Father", "C2", "No"] for r in rows), rows
    check_accessibility(page, "genogram")
    no_wider_than_the_screen(page, "the genogram page")
    page.emulate_media(media="print")
    assert page.locator(".govuk-header").is_hidden()
    page.emulate_media(media="screen")


def test_the_court_application_summary_in_the_browser(page, server):  # noqa: F811
    sign_in(page, server)
    family = server["families"]["SIBLINGS"]
    page.goto(f"/families/{family}/network")
    if "SIB-M" not in page.inner_text("main"):
        pytest.skip("needs the network built by the test before it")
    page.goto(f"/families/{family}")
    page.get_by_role("link", name="Offer a family group conference").click()
    fill_date(page, 2, 6, 2026)
    save(page)
    page.get_by_role("link", name="Send the letter before proceedings").click()
    fill_date(page, 3, 6, 2026)
    save(page)
    page.goto(f"/families/{family}/children")  # each child's steps are on the family page's Children part
    page.get_by_role("link", name="Issue care proceedings for child C1").click()
    fill_date(page, 10, 6, 2026)
    page.fill("#proceedings_ref", "ZW26C09001")
    save(page)
    page.goto(f"/families/{family}/network")
    page.get_by_role("link", name="Court application summary for proceedings ZW26C09001").click()
    answer = page.locator("#fgc-answer").inner_text()
    assert answer.startswith("No. A family group conference was offered on 2 June 2026")
    assert "It offered a family group decision-making meeting to SIB-F1, SIB-M" in page.inner_text("main")
    check_accessibility(page, "court application summary")
    no_wider_than_the_screen(page, "the court application summary")
