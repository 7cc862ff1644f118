"""The FGC service's pages (issue 13): the coordinator role sees only families referred to the
service in their own authority, through its own pages, and records only the coordinator's steps;
the social worker allocates a coordinator; the lists for coordinators and managers."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from conftest import add_la, opened, record, step
from pathway.models import Child, Event, Family, FamilyGroupConference, Person, Proceedings
from pathway.permissions import COORDINATOR_STEPS
from web_helpers import (  # noqa: F401
    csrf_from, date_fields, error_summary, make_user, sign_in, soup, submit, text_of, web, web_app,
)

COORD = "coord@example.test"
# Views a coordinator may open that hold no family at all.
NOT_CASE_PAGES = {"static", "home", "auth.sign_in", "auth.sign_out", "auth.change_password", "health.healthz",
                  "guide.pathway", "guide.picture", "diary.feed", "fgc.home", "language.choose"}


def referred_steps(ref, start=date(2026, 9, 1)):
    return [
        opened(f"{ref}-C", start, family_ref=ref),
        step("add_person", start, ref, person_ref=f"{ref}-M"),
        step("relate_person", start, ref, f"{ref}-C", person_ref=f"{ref}-M", relationship="mother",
             parental_responsibility="yes"),
        step("offer_fgc", date(2026, 9, 2), ref),
        step("fgc_accepted", date(2026, 9, 3), ref),
        step("refer_fgc", date(2026, 9, 4), ref, reason="Neglect: the home is cold"),
    ]


@pytest.fixture
def service(session, england):
    """Family NOREF (not referred, with proceedings), family REF (referred) in the coordinator's
    authority; family FAR referred in another authority."""
    other = add_la(session, "E09000888")
    coordinator = make_user(session, "fgc_coordinator", england, email=COORD)
    assert record(session, england, [
        opened("N-C", date(2026, 1, 5), family_ref="NOREF"),
        step("add_person", date(2026, 1, 5), "NOREF", person_ref="N-M"),
        step("offer_fgc", date(2026, 1, 6), "NOREF"), step("fgc_accepted", date(2026, 1, 7), "NOREF"),
        step("send_letter_before_proceedings", date(2026, 1, 8), "NOREF"),
        *referred_steps("REF"),
    ]).ok
    assert record(session, england, [step("hold_fgc", date(2026, 1, 20), "NOREF"),
                                     step("issue_proceedings", date(2026, 2, 2), "NOREF", "N-C", proceedings_ref="P1")]).ok
    assert record(session, other, referred_steps("FAR")).ok
    fam = {f.reference: f for f in session.scalars(select(Family))}
    return coordinator, fam


def _url_for(rule, family, session):
    """The rule's URL with every id taken from `family` (its child, proceedings, person...)."""
    child = session.scalar(select(Child).where(Child.family_id == family.id))
    proceedings = session.scalar(select(Proceedings).where(Proceedings.family_id == family.id))
    event = session.scalar(select(Event).where(Event.family_id == family.id))
    values = {"family_id": family.id, "child_id": child.id, "proceedings_id": proceedings.id if proceedings else 1,
              "event_id": event.id, "user_id": 1, "hearing_id": 1, "la_code": family.local_authority.code,
              "slug": "offer-fgc", "section": "children", "kind_slug": "looked-after-review", "token": "x" * 20}
    url = rule.rule
    for name in rule.arguments:
        url = url.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
    return url


def test_the_coordinator_is_refused_on_every_case_page_of_a_family_not_referred(app, session, service, web):
    coordinator, fam = service
    sign_in(web, coordinator)
    token = csrf_from(web.get("/account/password"))
    crawled = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_CASE_PAGES:
            continue
        url = _url_for(rule, fam["NOREF"], session)
        if "GET" in rule.methods:
            assert web.get(url).status_code in (403, 404), url
        if "POST" in rule.methods:
            assert web.post(url, data={"csrf_token": token}).status_code in (403, 404), url
        crawled += 1
    assert crawled > 30
    # ... and the coordinator's own pages refuse it too (and a referred family of another authority)
    for family in (fam["NOREF"], fam["FAR"]):
        assert web.get(f"/fgc/families/{family.id}").status_code == 404
        assert web.get(f"/fgc/families/{family.id}/steps/hold-fgc").status_code == 404
    assert web.get("/fgc/families/999999").status_code == 404


def test_the_coordinator_sees_a_referred_family_only_through_the_service_pages(session, service, web):
    coordinator, fam = service
    sign_in(web, coordinator)
    ref = fam["REF"]
    assert web.get(f"/families/{ref.id}").status_code == 403  # not the social worker's record
    assert web.get(f"/families/{ref.id}/network").status_code == 403
    page = web.get(f"/fgc/families/{ref.id}")
    assert page.status_code == 200
    words = text_of(page)
    assert "Neglect: the home is cold" in words and "REF-M" in words and "Mother of child REF-C" in words
    assert "4 September 2026" in words
    home = text_of(web.get("/fgc"))
    assert "REF" in home and "NOREF" not in home and "FAR" not in home
    assert web.get("/").headers["Location"] == "/fgc"


def test_the_coordinator_records_only_the_coordinators_steps(session, service, web):
    coordinator, fam = service
    sign_in(web, coordinator)
    ref = fam["REF"]
    for slug in ("refer-fgc", "allocate-fgc-coordinator", "decide-fgc-plan", "offer-fgc", "close-case", "nope"):
        assert web.get(f"/fgc/families/{ref.id}/steps/{slug}").status_code == 404, slug
    token = csrf_from(web.get(f"/fgc/families/{ref.id}"))
    assert web.post(f"/families/{ref.id}/steps/hold-fgc", data={"csrf_token": token}).status_code == 403
    assert {"hold_fgc", "review_fgc", "close_fgc", "fgc_declined"} == set(COORDINATOR_STEPS)
    # A bad attendance is refused in words, nothing written; a good one is recorded and audited.
    url = f"/fgc/families/{ref.id}/steps/hold-fgc"
    before = session.query(Event).count()
    bad = submit(web, url, {**date_fields("date", date(2026, 9, 1)), "invited": ["REF-M"],
                            "private_family_time": "yes"})
    assert bad.status_code == 200 and any("run in order" in m or "before it was offered" in m
                                          for _h, m in error_summary(bad))
    assert session.query(Event).count() == before
    good = submit(web, url, {**date_fields("date", date(2026, 10, 1)), "invited": ["REF-M"], "attended": ["REF-M"],
                             "private_family_time": "yes"})
    assert good.status_code == 302
    fgc = session.scalars(select(FamilyGroupConference).where(FamilyGroupConference.family_id == ref.id)).one()
    session.refresh(fgc)
    assert (fgc.status, fgc.held_on, fgc.private_family_time) == ("held", date(2026, 10, 1), True)
    held = session.scalars(select(Event).where(Event.event == "hold_fgc", Event.family_id == ref.id)).one()
    assert held.recorded_by_id == coordinator.id and held.invited == "REF-M" and held.attended == "REF-M"


def test_the_social_worker_allocates_one_of_the_authoritys_coordinators(session, england, service, web):
    _coordinator, fam = service
    make_user(session, "fgc_coordinator", add_la(session, "E09000777"), email="elsewhere@example.test")
    make_user(session, "fgc_coordinator", england, email="gone@example.test", active=False)
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    ref = fam["REF"]
    url = f"/families/{ref.id}/steps/allocate-fgc-coordinator"
    form = soup(web.get(url))
    assert [i["value"] for i in form.select("input[name=coordinator]")] == [COORD]
    forged = submit(web, url, {**date_fields("date", date(2026, 9, 5)), "coordinator": "elsewhere@example.test"})
    assert forged.status_code == 200 and error_summary(forged)
    done = submit(web, url, {**date_fields("date", date(2026, 9, 5)), "coordinator": COORD})
    assert done.status_code == 302
    summary = text_of(web.get(f"/families/{ref.id}"))
    assert "Coordinator allocated" in summary and COORD in summary


def test_the_service_refuses_a_coordinator_who_is_not_one_of_the_authoritys(session, england, service):
    make_user(session, "social_worker", england, email="worker@example.test")
    outcome = record(session, england, [step("allocate_fgc_coordinator", date(2026, 9, 5), "REF",
                                             coordinator="worker@example.test")])
    assert not outcome.ok and "is not an FGC coordinator of" in outcome.errors[0].message


def test_the_managers_list_shows_an_unallocated_referral(session, england, service, web):
    manager = make_user(session, "team_manager", england)
    sign_in(web, manager)
    page = web.get("/fgc")
    assert page.status_code == 200
    box = soup(page).find(id="fgc_referral_unallocated").find_next("ul")
    assert "Family REF" in box.get_text()  # referred 4 September 2026, 5 working days long past


@pytest.mark.parametrize("role", ["social_worker", "fjb_viewer", "admin"])
def test_other_roles_do_not_get_the_coordinators_pages(session, england, service, web_app, role):
    from web_helpers import WebClient

    _c, fam = service
    client = WebClient(web_app)
    user = make_user(session, role, england if role == "social_worker" else None,
                     dfj_area="Testshire" if role == "fjb_viewer" else None)
    sign_in(client, user)
    assert client.get(f"/fgc/families/{fam['REF'].id}").status_code == 403
    assert client.get("/fgc").status_code == 403


def test_the_stored_projection_equals_the_history_for_a_synthetic_authority_with_coordinators(session, england):
    import random

    from conftest import TODAY
    from pathway.demo import synthetic_authority
    from test_concurrency import assert_history_consistent

    coordinator = make_user(session, "fgc_coordinator", england, email="synthetic-coord@example.test")
    events = synthetic_authority(random.Random(2), 1, 150, TODAY, coordinators=(coordinator.email,))
    assert {e.event for e in events} >= {"refer_fgc", "allocate_fgc_coordinator", "decide_fgc_plan", "review_fgc"}
    outcome = record(session, england, events)
    assert outcome.ok, outcome.errors[:3]
    assert_history_consistent(session, england)
    statuses = {f.status for f in session.scalars(select(FamilyGroupConference))}
    assert {"coordinator_allocated", "held", "plan_decided", "review_held", "closed", "declined"} <= statuses
