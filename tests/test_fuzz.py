"""Fuzzing (issue 10): random values posted to every form, and random query strings sent to
every page, by every role: never a server error. Bounded: each role's run stops drawing new
examples after its share of FUZZ_SECONDS (45 s in all), whatever hypothesis would still try.

The forms are found by crawling each role's pages from its start page (links and forms as a
person would meet them), so a new form is fuzzed without this file changing."""
from __future__ import annotations

import os
import time
from datetime import date
from urllib.parse import urlencode, urljoin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import allocate_family, opened, record, step
from web_helpers import WebClient, make_team, make_user, sign_in, soup, web_app  # noqa: F401 (fixture)

FUZZ_SECONDS = float(os.environ.get("FUZZ_SECONDS", "45"))
ALLOWED = {200, 302, 400, 403, 404, 405, 429}
ODD = ["", " ", "\x00", "a\x00b", "9" * 19, "-1", "0", str(2**31), str(2**63), "1e9", "=HYPERLINK(\"x\")", "@SUM(1)",
       "+1", "\t", "\r\n", "' OR 1=1 --", "<script>alert(1)</script>", "é" * 300, "x" * 5000, "31", "2", "2026",
       "fy2025", "fy2025-q9", "dfj:Testshire", "la:E09000999", "proceedings", "../..", "%00", "null", "[]"]  # fmt: skip
VALUES = st.one_of(st.sampled_from(ODD), st.sampled_from(ODD), st.text(max_size=40),
                   st.integers(-(2**70), 2**70).map(str))
# First, every field of every form gets each of these in turn, the rest as the page filled them.
NASTY = ["9" * 19, str(2**63), "-1", "x" * 300, "=1+1"]
# Seconds of each role's share of FUZZ_SECONDS (more forms, more time).
SHARE = {"anonymous": 1, "social_worker": 3, "team_manager": 4, "fjb_viewer": 1, "admin": 3}
SKIP = ["/sign-out", "/assets/", "end-sessions", "deactivate", "reactivate"]


def crawl(client: WebClient, start: list[str], limit: int = 60, skip=()):
    """GET pages reachable from `start` (same site only); the forms met on them."""
    seen, queue, forms, prefilled = set(), list(start), {}, {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or any(s in url for s in [*SKIP, *skip]):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in ALLOWED, (url, response.status_code)
        if response.mimetype != "text/html":
            continue
        page = soup(response)
        for a in page.find_all("a", href=True):
            target = urljoin(url, a["href"])
            if target.startswith("/") and target not in seen and not target.startswith("//"):
                queue.append(target.split("#")[0])
        for form in page.find_all("form"):  # noqa: B007
            action = urljoin(url, form.get("action") or url)
            method = (form.get("method") or "get").lower()
            if any(s in action for s in [*SKIP, *skip]):
                continue
            names, filled = [], {}
            for field in form.find_all(["input", "select", "textarea"]):
                name = field.get("name")
                if not name or field.get("type") in ("submit", "button"):
                    continue
                names.append(name)
                if field.name == "select":
                    options = [o.get("value", "") for o in field.find_all("option")]
                    chosen = [o.get("value", "") for o in field.find_all("option", selected=True)]
                    filled[name] = next((v for v in chosen + options if v), "")
                elif field.get("type") in ("hidden", "radio", "checkbox") or field.get("value"):
                    filled[name] = field.get("value", "")
                else:
                    filled[name] = "FUZZ1"
            for name in set(names):
                if names.count(name) == 3:  # a GOV.UK date: day, month, year
                    filled[name] = ["2", "3", "2026"]
            forms[(method, action, url)] = names
            prefilled[(method, action, url)] = filled
    return seen, forms, prefilled


def sweep(client: WebClient, forms, prefilled, deadline) -> int:
    """Each field of each form, one at a time, set to each NASTY value; the others as the page
    had them (so that the value reaches as far into the code as it can). Returns the requests made."""
    sent = 0
    for value in NASTY:  # a pass over every form for each value, so that every form is reached early
        for (method, action, page), names in sorted(forms.items()):
            for name in sorted(set(names) - {"csrf_token"}):
                if time.monotonic() > deadline:
                    return sent
                count = names.count(name)
                # A GOV.UK date: the value in the day box, then in the month box, the others real.
                variants = ([[value, "3", "2026"], ["2", value, "2026"]] if count == 3 else
                            [[value] * count] if count > 1 else [value])  # fmt: skip
                for variant in variants:
                    values = dict(prefilled[(method, action, page)])  # the session's CSRF token stays valid
                    values[name] = variant
                    if method == "post":
                        response = client.post(action, data=values)
                    else:
                        response = client.get(action + "?" + urlencode(values, doseq=True))
                    sent += 1
                    assert response.status_code in ALLOWED, (method, action, name, variant, response.status_code)
    return sent


@pytest.fixture
def world(session, england, web_app):
    """Every role signed in, with a family, a child in proceedings and a board area to look at."""
    team = make_team(session, england)
    users = {role: make_user(session, role, england if role in ("social_worker", "team_manager") else None,
                             team=team if role in ("social_worker", "team_manager") else None,
                             dfj_area=england.dfj_area if role == "fjb_viewer" else None)
             for role in ("social_worker", "team_manager", "fjb_viewer", "admin")}  # fmt: skip
    record(session, england, [opened("C1", date(2026, 1, 5)), opened("C2", date(2026, 1, 5)),
                              step("offer_fgc", date(2026, 1, 6)), step("send_letter_before_proceedings", date(2026, 1, 7)),
                              step("issue_proceedings", date(2026, 2, 2), "FAM1", "C1", proceedings_ref="P1")])  # fmt: skip
    from pathway.models import Family

    family = session.query(Family).one()
    allocate_family(session, family, team.id, users["social_worker"].id)  # the worker's own family
    session.commit()
    clients = {}
    for role, user in users.items():
        client = WebClient(web_app)
        assert sign_in(client, user).status_code == 302
        clients[role] = (client, [f"/users/{user.id}/"])  # not their own account: it would sign them out
    clients["anonymous"] = (WebClient(web_app), [])
    return clients


STARTS = {
    "anonymous": ["/sign-in", "/"],
    "social_worker": ["/families"],
    "team_manager": ["/families", "/queues"],
    "fjb_viewer": ["/board"],
    "admin": ["/admin/users", "/admin/authorities", "/queues", "/board"],
}


def _fuzz(client: WebClient, pages, forms, prefilled, data, deadline):
    """Everything is drawn first (the same draws whatever the server answers), then sent, unless
    the time budget is spent: then the remaining examples pass without a request."""
    targets = sorted(forms)
    if not targets or data.draw(st.booleans(), label="page instead of form"):
        url = data.draw(st.sampled_from(sorted(pages)), label="page")
        keys = data.draw(st.lists(st.sampled_from(["period", "area", "team", "worker", "stage", "list", "page",
                                                   "next", "endpoint", "_method", "version", "x"]), max_size=4))
        query = {k: data.draw(VALUES, label=k) for k in keys}
        if time.monotonic() > deadline:
            return
        separator = "&" if "?" in url else "?"
        response = client.get(url + separator + urlencode(query) if query else url)
        assert response.status_code in ALLOWED, (url, query, response.status_code)
        return
    method, action, page = data.draw(st.sampled_from(targets), label="form")
    values, keep_token = {}, True
    for name in sorted(set(forms[(method, action, page)])):
        if name == "csrf_token":
            keep_token = data.draw(st.integers(0, 9), label="keep token") > 0
        count = forms[(method, action, page)].count(name)
        values[name] = [data.draw(VALUES, label=name) for _ in range(count)] if count > 1 else data.draw(VALUES, label=name)
    if time.monotonic() > deadline:
        return
    if "csrf_token" in values and keep_token:
        values["csrf_token"] = prefilled[(method, action, page)].get("csrf_token", "")
    if method == "post":
        response = client.post(action, data=values)
    else:
        response = client.get(action + "?" + urlencode(values, doseq=True))
    assert response.status_code in ALLOWED, (method, action, values, response.status_code)


@pytest.mark.parametrize("role", list(STARTS))
def test_random_values_in_every_form_and_query_string_never_give_a_server_error(world, role):
    client, own = world[role]
    pages, forms, prefilled = crawl(client, STARTS[role], skip=own)
    assert pages
    if role != "fjb_viewer":
        assert forms, f"no forms found for {role}"
    budget = FUZZ_SECONDS * SHARE[role] / sum(SHARE.values())
    started = time.monotonic()
    assert sweep(client, forms, prefilled, started + budget / 2) > 0 or not forms
    deadline = started + budget

    @settings(max_examples=120, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])  # fmt: skip
    @given(st.data())
    def fuzz(data):
        _fuzz(client, pages, forms, prefilled, data, deadline)

    fuzz()
