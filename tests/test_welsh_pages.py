"""Every page type in Welsh shows no English sentence from the catalogue (issue 15).

A Welsh authority with families at every stage (the demo's scenarios, an FGC referral), and a
user of each role reading in Welsh, who follows every link on every page they can reach (each page
type at most twice: `/families/12` and `/families/31` are one type). Each page's text must hold
none of the catalogue's English sentences whose Welsh differs: a string printed outside `_()`, or
a message rendered without `|t`, shows up here. Form pages are also submitted empty, so their
error summaries are read too.
"""
from __future__ import annotations

import random
import re
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from sqlalchemy import select

from conftest import TODAY, add_la, allocate_family, record
from pathway import demo
from pathway.i18n import TRANSLATIONS
from pathway.models import Family
from test_fgc_pages import referred_steps
from web_helpers import csrf_from, make_team, make_user, reading_in, sign_in, web, web_app  # noqa: F401

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sd]")
NOT_PAGES = re.compile(r"^/(language|assets|sign-out)|\.(csv|pdf|ics|svg)$")
SCENARIOS = ("court", "section_20", "child_protection", "emergency", "pre_proceedings", "early_help")


def english_sentences() -> set[str]:
    """The catalogue's English of three words or more whose Welsh is different (split at
    placeholders: each literal part of three words or more)."""
    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f, locale="cy")
    found = set()
    for m in catalogue:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for english in ids:
            if english in strings:
                continue
            for part in PLACEHOLDER.split(english):
                part = " ".join(part.split()).strip(" ,.:;()")
                if len(part.split()) >= 3:
                    found.add(part)
    return found


ENGLISH = english_sentences()


def page_type(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(sorted(k.split("=")[0] for k in parts.query.split("&"))) if parts.query else "")


def english_on(html: str) -> list[str]:
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    return sorted(s for s in ENGLISH if s in text)


@pytest.fixture
def welsh_authority(session):
    la = add_la(session, "W06000990", "wales", name="Cyngor Prawf", dfj_area="Ardal Gymreig")
    rng = random.Random(15)
    for n, scenario in enumerate(SCENARIOS):
        history = demo.family_history(rng, f"CY{n}", [f"CY{n}A", f"CY{n}B"], TODAY, f"CY{n}P",
                                      scenario=scenario, max_age_days=500)
        assert record(session, la, history).ok, scenario
    assert record(session, la, referred_steps("CYF")).ok  # a family referred to the FGC service
    return la


def crawl(web, start: str, limit_per_type: int = 2, max_pages: int = 250) -> dict[str, list[str]]:
    """{url: English sentences found} for every page reached from `start` by links."""
    seen_types: dict[str, int] = {}
    queue, visited, found = [start], set(), {}
    while queue and len(visited) < max_pages:
        url = queue.pop(0)
        if url in visited:
            continue
        kind = page_type(url)
        if seen_types.get(kind, 0) >= limit_per_type:
            continue
        seen_types[kind] = seen_types.get(kind, 0) + 1
        visited.add(url)
        response = web.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        if response.status_code == 302:
            queue.append(urlsplit(response.headers["Location"])._replace(scheme="", netloc="").geturl())
            continue
        if "text/html" not in response.content_type:
            continue
        html = response.get_data(as_text=True)
        found[url] = english_on(html)
        page = BeautifulSoup(html, "html.parser")
        assert page.find("html")["lang"] == "cy", url
        form = page.select_one("main form[method=post]")
        if form is not None and form.select_one("input[name=csrf_token]") and "sign-out" not in (form.get("action") or ""):
            target = (form.get("action") or url).split("#")[0] or url
            empty = web.post(target, data={"csrf_token": form.select_one("input[name=csrf_token]")["value"]})
            assert empty.status_code in (200, 302, 400, 403, 404), (target, empty.status_code)
            if empty.status_code in (200, 400) and "text/html" in empty.content_type:
                found[f"{target} (submitted empty)"] = english_on(empty.get_data(as_text=True))
        for link in page.select("a[href]"):
            href = link["href"]
            if href.startswith("/") and not href.startswith("//") and not NOT_PAGES.search(urlsplit(href).path):
                queue.append(href.split("#")[0])
    return found


def assert_welsh(found: dict[str, list[str]], at_least: int):
    assert len(found) >= at_least, sorted(found)
    english = {url: hits for url, hits in found.items() if hits}
    assert not english, "\n".join(f"{url}: {hits[:5]}" for url, hits in sorted(english.items()))


def test_the_catalogue_gives_the_crawl_sentences_to_look_for():
    assert len(ENGLISH) > 400
    assert english_on("<p>Mae problem wedi codi.</p><p>There is a problem.</p>") == ["There is a problem"]


def allocate_all(session, la, user) -> None:
    for family in session.scalars(select(Family).where(Family.la_id == la.id)):
        family.worker_id, family.team_id = user.id, user.team_id
    session.commit()


def test_a_social_worker_reads_every_page_in_welsh(session, welsh_authority, web):
    worker = make_user(session, "social_worker", welsh_authority, language="cy", team=make_team(session, welsh_authority))
    allocate_all(session, welsh_authority, worker)
    sign_in(web, worker)
    reading_in(web, "cy")
    assert_welsh(crawl(web, "/families"), at_least=25)


def test_a_team_manager_reads_the_families_and_the_queues_in_welsh(session, welsh_authority, web):
    manager = make_user(session, "team_manager", welsh_authority, language="cy", team=make_team(session, welsh_authority))
    allocate_all(session, welsh_authority, manager)
    sign_in(web, manager)
    reading_in(web, "cy")
    assert_welsh(crawl(web, "/queues", limit_per_type=1) | crawl(web, "/families"), at_least=40)


def test_an_fgc_coordinator_reads_the_service_in_welsh(session, welsh_authority, web):
    sign_in(web, make_user(session, "fgc_coordinator", welsh_authority, language="cy"))
    reading_in(web, "cy")
    assert_welsh(crawl(web, "/fgc"), at_least=2)


def test_a_board_member_reads_the_reports_in_welsh(session, welsh_authority, web):
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Ardal Gymreig", language="cy"))
    reading_in(web, "cy")
    assert_welsh(crawl(web, "/board"), at_least=3)


def test_an_administrator_reads_the_admin_pages_in_welsh(session, welsh_authority, web):
    sign_in(web, make_user(session, "admin", language="cy"))
    reading_in(web, "cy")
    assert_welsh(crawl(web, "/admin/users", limit_per_type=1, max_pages=40), at_least=4)


def test_the_sign_in_and_error_pages_read_in_welsh(session, welsh_authority, web):
    reading_in(web, "cy")
    found = {"/sign-in": english_on(web.get("/sign-in").get_data(as_text=True))}
    wrong = web.post("/sign-in", data={"csrf_token": csrf_from(web.get("/sign-in")), "email": "nobody@example.test",
                                        "password": "not the password"})
    found["/sign-in (wrong password)"] = english_on(wrong.get_data(as_text=True))
    sign_in(web, make_user(session, "fjb_viewer", dfj_area="Ardal Gymreig", language="cy"))
    missing = web.get("/no-such-page")
    assert missing.status_code == 404
    found["404"] = english_on(missing.get_data(as_text=True))
    family_page = web.get("/families/1")
    assert family_page.status_code == 403
    found["403"] = english_on(family_page.get_data(as_text=True))
    assert_welsh(found, at_least=4)
