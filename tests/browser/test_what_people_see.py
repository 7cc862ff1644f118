"""Issue 12 in a real browser (Chromium): what people see when they use Pathway.

Refusals that name the mistake; only steps that can be taken offered as links; each child's
journey with overdue items as warnings; a family page in parts; finding a family by part of a
reference; counts and messages in GOV.UK words; nothing wider than a 320 px screen on any page
type; "How the pathway works"; a keyboard-only journey. axe-core finds no violation of any impact.
"""
from __future__ import annotations

import pytest

from browser_helpers import browser, server  # noqa: F401 (fixtures)
from test_journey import check_accessibility, fill_date, success

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, server):  # noqa: F811
    context = browser.new_context(base_url=server["url"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def narrow(browser, server):  # noqa: F811
    context = browser.new_context(base_url=server["url"], viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def board_member(server):  # noqa: F811
    from pathway.extensions import db
    from web_helpers import make_user

    with server["app"].app_context():
        user = make_user(db.session, "fjb_viewer", dfj_area="Northmoor and Eastdale", email="board@example.test")
        return user.email


def child_id(server, ref: str) -> int:  # noqa: F811
    from sqlalchemy import select

    from pathway.extensions import db
    from pathway.models import Child

    with server["app"].app_context():
        return db.session.scalar(select(Child.id).where(Child.reference == ref))


def follow(page, locator) -> None:
    """Click a link or button that loads a page, and wait for that page (not just the click)."""
    with page.expect_navigation():
        locator.click()


def save(page) -> None:
    follow(page, page.get_by_role("button", name="Save"))


def family_url(server, ref: str, part: str = "") -> str:  # noqa: F811
    return f"/families/{server['families'][ref]}" + (f"/{part}" if part else "")


def sign_in(page, server, who="worker") -> None:  # noqa: F811
    sign_in_as(page, server, server[who])


def sign_in_as(page, server, email: str) -> None:  # noqa: F811
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", server["password"])
    follow(page, page.locator("button:has-text('Sign in')"))


# --- 1. refusals that name the mistake -------------------------------------------------------


def test_a_date_before_the_child_case_opened_is_named_in_the_date_field(page, server):  # noqa: F811
    sign_in(page, server)
    page.goto(family_url(server, "ANOTHER", "children"))
    follow(page, page.get_by_role("link", name="End the child protection plan for child C3"))
    fill_date(page, 20, 2, 2026)  # child C3's case opened on 1 March 2026
    save(page)
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    message = "The date 20 February 2026 is before child C3's case was opened on 1 March 2026. Check the date."
    assert summary.get_by_role("link", name=message).get_attribute("href") == "#date-day"
    summary.get_by_role("link", name=message).click()
    assert page.evaluate("document.activeElement.id") == "date-day"
    assert message in page.locator(".govuk-error-message").inner_text()
    check_accessibility(page, "refused step")


# --- 2. only steps that can be taken -----------------------------------------------------------


def test_only_steps_the_gates_would_take_are_links_others_say_why(page, server):  # noqa: F811
    sign_in(page, server)
    page.goto(family_url(server, "SIBLINGS"))
    follow(page, page.get_by_role("link", name="Send the letter before proceedings"))
    fill_date(page, 2, 3, 2026)
    save(page)
    assert "Letter before proceedings recorded for family SIBLINGS" in success(page)
    blocked = page.locator(".pathway-steps-blocked").inner_text()
    assert "Family accepted the FGC: No family group conference has been offered to this family." in blocked

    follow(page, page.get_by_role("link", name="Children", exact=True))
    card = page.locator(".govuk-summary-card", has_text="Child C1")
    # never on a plan: ending one is not a link, and the reason is given
    assert card.get_by_role("link", name="End the child protection plan for child C1").count() == 0
    assert "End the child protection plan: Child C1 is not on a child protection plan, so there is no plan to end." \
        in card.locator(".pathway-steps-blocked").inner_text()
    # section 20 before any FGC: still reachable, saying an exception is needed and why
    link = card.get_by_role("link", name="Accommodate by agreement (section 20) for child C1")
    assert link.count() == 1
    assert "Needs an exception: No family group conference has been offered to this family" in card.inner_text()
    follow(page, link)
    assert "This step needs an exception: No family group conference has been offered" in page.inner_text("main")
    check_accessibility(page, "a step that needs an exception")


# --- 3. the journey, warnings, every flag -------------------------------------------------------


def test_the_child_journey_and_overdue_items_as_warnings(page, server):  # noqa: F811
    sign_in(page, server)
    page.goto(family_url(server, "ANOTHER", "children"))
    journey = page.locator(".pathway-journey li").all_inner_texts()
    flat = [" ".join(item.split()) for item in journey]
    assert flat[0] == "Early help 1 March 2026 to 10 March 2026 Passed"
    assert flat[1] == "Child protection plan Since 10 March 2026 Current stage"
    assert flat[2].startswith("Next: First review of the child protection plan: was due by 10 June 2026")
    assert flat[2].endswith("Overdue")
    assert page.locator(".pathway-journey li[aria-current=step]").count() == 1
    warning = page.locator(".govuk-warning-text", has_text="Overdue: First review of the child protection plan")
    assert warning.is_visible()
    assert "Warning" in warning.locator(".govuk-visually-hidden").inner_text()  # the icon's words for screen readers
    follow(page, page.get_by_role("link", name="Summary", exact=True))
    needs = page.locator("h3#needs-doing ~ .govuk-warning-text").all_inner_texts()
    assert any("No FGC offered yet: offer one before any move into care." in n for n in needs)
    check_accessibility(page, "children page with warnings")


# --- 4. a family page that can be navigated ----------------------------------------------------


def test_the_family_page_in_parts_and_the_audit_trail_in_words(page, server):  # noqa: F811
    sign_in(page, server, "manager")
    page.goto(family_url(server, "SIBLINGS"))
    nav = page.get_by_role("navigation", name="Parts of the family record")
    assert nav.get_by_role("link").all_inner_texts() == ["Summary", "Children", "Timeline", "Family network",
                                                         "Audit trail"]
    assert nav.locator("[aria-current=page]").inner_text() == "Summary"
    follow(page, nav.get_by_role("link", name="Timeline"))
    assert page.title() == "Timeline: family SIBLINGS – Pathway"
    assert page.locator(".pathway-timeline").is_visible()
    follow(page, page.get_by_role("navigation", name="Parts of the family record").get_by_role("link", name="Audit trail"))
    assert page.get_by_role("navigation", name="Parts of the family record").locator(
        "[aria-current=page]").inner_text() == "Audit trail"
    first = page.locator("tbody tr").first
    assert "Recorded: Send the letter before proceedings" in first.inner_text()
    assert "Child C1, stage: Early help -> Pre-proceedings from 2 March 2026" in first.inner_text()
    raw = first.locator("pre").first
    assert not raw.is_visible()
    first.get_by_text("Show the raw record").click()
    assert raw.is_visible() and '"stage": "early_help"' in raw.inner_text()
    check_accessibility(page, "audit trail")


def test_a_worker_has_no_audit_trail(page, server):  # noqa: F811
    sign_in(page, server)
    page.goto(family_url(server, "SIBLINGS"))
    nav = page.get_by_role("navigation", name="Parts of the family record")
    assert "Audit trail" not in nav.inner_text()
    response = page.goto(family_url(server, "SIBLINGS", "audit"))
    assert response.status == 403


# --- 5. finding a family -------------------------------------------------------------------------


def test_find_a_family_by_part_of_a_reference_in_any_case(page, server):  # noqa: F811
    sign_in(page, server)
    page.fill("#reference", "sibl")
    follow(page, page.get_by_role("button", name="Find the family"))
    assert page.locator("h1").inner_text() == "Family SIBLINGS"
    page.goto("/families")
    page.fill("#reference", "c")  # children C1, C2 and C3 of two families; W1 is in Wales
    follow(page, page.get_by_role("button", name="Find the family"))
    assert page.locator("#matches").inner_text() == "2 families in your authority match ‘c’"
    assert page.locator("#matches + ul li").all_inner_texts() == [
        "Family ANOTHER: child C3", "Family SIBLINGS: child C1, child C2"]
    check_accessibility(page, "find results")
    page.fill("#reference", "w1")
    follow(page, page.get_by_role("button", name="Find the family"))
    assert "No family or child in your authority has a reference containing that" in page.locator(
        ".govuk-error-summary").inner_text()


# --- 6. counts, messages, allocation -------------------------------------------------------------


def test_counts_say_what_they_count_and_managers_are_not_social_workers(page, server):  # noqa: F811
    sign_in(page, server, "manager")
    assert "Allocated to your team: 2 families" in page.inner_text("main")
    assert "Signed in as Priya Shah, team manager at Northmoor Borough Council (test)" in page.inner_text("header")
    page.goto("/queues/E99000001")
    nav = page.locator(".pathway-queue-nav").inner_text()
    assert "Unallocated families: 0 children" in nav and "(" not in nav
    page.goto(family_url(server, "ANOTHER", "allocation"))
    options = page.locator("select#worker option").all_inner_texts()
    assert options == ["Choose a social worker", "Sam Okafor, Family safeguarding team"]


# --- 7. narrow screens: every page type at 320 px ---------------------------------------------------


def sign_out_narrow(page) -> None:
    page.get_by_role("button", name="Menu").click()  # GOV.UK service navigation folds into a menu
    follow(page, page.get_by_role("button", name="Sign out"))


def assert_fits(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{what} is {width}px wide at a 320px viewport"
    check_accessibility(page, f"{what} at 320px")


def test_nothing_is_wider_than_a_320px_screen_on_any_page_type(narrow, server, board_member):  # noqa: F811
    page = narrow
    page.goto("/sign-in")
    assert_fits(page, "sign-in")
    sign_in(page, server, "manager")
    assert_fits(page, "home")
    for part in ("", "children", "timeline", "audit"):
        page.goto(family_url(server, "SIBLINGS", part))
        assert_fits(page, f"family page {part or 'summary'}")
    page.goto(family_url(server, "SIBLINGS", "allocation"))
    assert_fits(page, "allocation")
    page.goto(family_url(server, "SIBLINGS") + "/steps/offer-fgc")
    assert_fits(page, "family step form")
    follow(page, page.get_by_role("button", name="Save"))
    assert_fits(page, "step form with errors")
    page.goto("/families/new")
    assert_fits(page, "new family")
    page.goto(family_url(server, "ANOTHER", "children/new"))
    assert_fits(page, "add a child")
    page.goto(family_url(server, "ANOTHER", "children"))
    follow(page, page.get_by_role("link", name="Accommodate by agreement (section 20) for child C3"))
    assert page.locator("h1").inner_text() == "Accommodate by agreement (section 20)"
    assert_fits(page, "child step form")
    page.goto(f"/queues/E99000001/children/{child_id(server, 'C3')}/legal-planning-meeting")
    assert page.locator("h1").inner_text() == "Record a legal planning meeting"
    assert "C3" in page.inner_text("main")
    assert_fits(page, "queue record form")
    page.goto("/admin/users")
    assert_fits(page, "you cannot see this page")
    page.goto("/queues/E99000001")
    assert_fits(page, "queues")
    page.goto("/queues/E99000001?list=unallocated")
    assert_fits(page, "a queue list")
    page.goto("/how-the-pathway-works")
    assert_fits(page, "how the pathway works")
    page.goto(family_url(server, "SIBLINGS", "network"))
    assert_fits(page, "family network")
    page.goto(family_url(server, "SIBLINGS", "genogram"))
    assert_fits(page, "genogram")
    page.goto("/queues/E99000001/family-network")
    assert_fits(page, "managers' family network lists")
    page.goto("/diary")
    assert_fits(page, "diary")
    page.goto("/no-such-page")
    assert_fits(page, "page not found")
    sign_out_narrow(page)
    sign_in_as(page, server, "admin@example.test")
    assert_fits(page, "admin users")
    page.goto("/admin/authorities")
    assert_fits(page, "admin authorities")
    sign_out_narrow(page)
    sign_in_as(page, server, board_member)
    assert_fits(page, "board report")


# --- 8. how the pathway works ----------------------------------------------------------------------


def test_how_the_pathway_works_in_english_and_welsh_terms(page, server):  # noqa: F811
    sign_in(page, server)
    follow(page, page.get_by_role("link", name="How the pathway works"))
    assert page.locator("h1").inner_text() == "How the pathway works"
    diagram = page.get_by_role("img", name="How the pathway works")
    assert diagram.is_visible()
    assert "Section 20 accommodation" in diagram.text_content()
    gates = page.locator("#gates + dl").inner_text()
    assert "G1\tAn FGC offered to the family on or before a child is moved into care" in gates
    check_accessibility(page, "how the pathway works")
    follow(page, page.get_by_role("link", name="Show the terms used in Wales"))
    assert "Section 76 accommodation" in page.get_by_role("img", name="How the pathway works (Welsh terms)").text_content()
    follow(page, page.get_by_role("button", name="Sign out"))
    sign_in_as(page, server, "gweithiwr@example.test")
    page.goto("/how-the-pathway-works")
    assert "Showing the terms used in Wales" in page.inner_text("main")


# --- a keyboard-only journey ---------------------------------------------------------------------------


def tab_to(page, predicate_js: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies the predicate (a JS expression on `e`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!e && ({predicate_js}); }})()"):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + "
                                    "getComputedStyle(document.activeElement).boxShadow")
            assert outline != "none none", "the focused element shows no focus"
            return
    raise AssertionError(f"never reached {predicate_js} with the Tab key")


def press_and_follow(page, key: str) -> None:
    """Press a key that submits a form or follows a link, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_a_keyboard_only_journey(page, server):  # noqa: F811
    page.goto("/sign-in")
    tab_to(page, "e.id === 'email'")
    page.keyboard.type(server["worker"])
    tab_to(page, "e.id === 'password'")
    page.keyboard.type(server["password"])
    press_and_follow(page, "Enter")
    assert page.locator("h1").inner_text() == "My allocated families"
    tab_to(page, "e.id === 'reference'")
    page.keyboard.type("another")
    press_and_follow(page, "Enter")
    assert page.locator("h1").inner_text() == "Family ANOTHER"
    tab_to(page, "e.textContent.trim() === 'Children'")
    press_and_follow(page, "Enter")
    tab_to(page, "e.textContent.includes('Send the letter') || e.textContent.includes('Emergency protection')")
    press_and_follow(page, "Enter")
    assert page.locator("h1").inner_text() == "Emergency protection"
    tab_to(page, "e.id === 'date-day'")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("11")
    page.keyboard.press("Tab")
    page.keyboard.type("2026")
    tab_to(page, "e.type === 'radio'")
    page.keyboard.press("Space")
    tab_to(page, "e.textContent.trim() === 'Save' || e.value === 'Save'")
    press_and_follow(page, "Enter")
    assert "Emergency protection recorded for child C3" in success(page)
    # the banner is focused by GOV.UK Frontend, so a keyboard user lands on it
    assert page.evaluate("document.activeElement.closest('.govuk-notification-banner') !== null")
