"""Who may see what: every view has a permission decorator; authorities see only their own
families; a board member sees no case page at all; an admin manages users and authorities."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from conftest import add_la, opened, record, step
from pathway.models import Child, Family, Proceedings
from pathway.permissions import MARK, LaScope, requires, scope_for
from web_helpers import csrf_from, make_user, sign_in, web, web_app  # noqa: F401

# Views anyone may reach: add to this list only what reveals nothing about cases or people.
# The diary feed is opened by a calendar app: its secret address is the key (tests/test_diary.py).
OPEN_WITHOUT_SIGN_IN = {"static", "auth.sign_in", "health.healthz", "home", "diary.feed", "language.choose"}


def test_every_view_has_a_permission_decorator(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not hasattr(view, MARK):
            missing.append(f"{rule.endpoint} ({rule.rule})")
    assert not missing, f"views without a pathway.permissions decorator: {missing}"


def test_only_the_sign_in_page_home_and_health_check_are_public(app):
    public = {r.endpoint for r in app.url_map.iter_rules()
              if r.endpoint != "static" and getattr(app.view_functions[r.endpoint], MARK) == "public"}
    assert public <= OPEN_WITHOUT_SIGN_IN, f"public views not known to be safe: {public - OPEN_WITHOUT_SIGN_IN}"


def test_requires_refuses_an_unknown_role():
    with pytest.raises(ValueError):
        requires("social-worker")
    with pytest.raises(ValueError):
        requires()


def test_la_scope():
    assert LaScope(None).includes(7)
    assert LaScope((1, 2)).includes(2) and not LaScope((1, 2)).includes(3)
    assert not LaScope(()).includes(1)


def test_board_member_scope_is_the_authorities_of_their_dfj_area(session):
    a = add_la(session, "E1", dfj_area="North")
    b = add_la(session, "E2", dfj_area="North")
    add_la(session, "E3", dfj_area="South")
    board = make_user(session, "fjb_viewer", dfj_area="North")
    assert scope_for(board) == LaScope((a.id, b.id))
    assert scope_for(make_user(session, "social_worker", a)) == LaScope((a.id,))
    assert scope_for(make_user(session, "admin")) == LaScope(None)


@pytest.fixture
def case(session, england):
    """A family in England with one child in proceedings: every kind of case URL."""
    outcome = record(session, england, [
        opened("C1", date(2026, 1, 5)),
        step("offer_fgc", date(2026, 1, 6)),
        step("send_letter_before_proceedings", date(2026, 1, 7)),
        step("issue_proceedings", date(2026, 2, 2), child_ref="C1", proceedings_ref="P1"),
    ])  # fmt: skip
    assert outcome.ok, outcome.errors
    family = session.scalar(select(Family))
    child = session.scalar(select(Child))
    proceedings = session.scalar(select(Proceedings))
    return family, child, proceedings


def case_urls(family, child, proceedings):
    f = f"/families/{family.id}"
    return [
        f, f"{f}/children/new", f"{f}/steps/offer-fgc", f"{f}/steps/send-letter-before-proceedings",
        f"{f}/children/{child.id}/steps/final-order", f"{f}/children/{child.id}/steps/close-case",
        f"{f}/proceedings/{proceedings.id}/extend", f"{f}/allocation",
    ]  # fmt: skip


def test_not_signed_in_is_sent_to_sign_in(case, web):
    for url in [*case_urls(*case), "/families", "/families/new", "/admin/users", "/admin/authorities"]:
        response = web.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/sign-in"), url


def test_worker_of_another_authority_gets_404_on_every_case_url(session, case, web):
    other = add_la(session, "E09000888")
    make_user(session, "team_manager", other, email="other@example.test")
    sign_in(web, "other@example.test")
    for url in case_urls(*case):
        assert web.get(url).status_code == 404, url
    # and cannot post to them either (the CSRF token is valid: the refusal is the permission)
    token = csrf_from(web.get("/families/new"))
    family, child, _ = case
    response = web.post(f"/families/{family.id}/children/{child.id}/steps/close-case",
                        data={"csrf_token": token, "version": str(family.version), "date": ["1", "3", "2026"],
                              "reason": "x"})
    assert response.status_code == 404


def test_404_for_a_child_of_another_family_in_the_same_authority(session, case, england, web):
    record(session, england, [opened("C9", date(2026, 1, 5), family_ref="FAM9")])
    family, _, _ = case
    stranger = session.scalar(select(Child).where(Child.reference == "C9"))
    make_user(session, "social_worker", england, email="w@example.test")
    sign_in(web, "w@example.test")
    assert web.get(f"/families/{family.id}/children/{stranger.id}/steps/close-case").status_code == 404


def test_board_member_gets_403_on_every_case_url(session, case, england, web):
    make_user(session, "fjb_viewer", dfj_area=england.dfj_area, email="board@example.test")
    sign_in(web, "board@example.test")
    for url in [*case_urls(*case), "/families", "/families/new"]:
        assert web.get(url).status_code == 403, url
    assert web.get("/families/999999").status_code == 403  # not even whether a family exists


def test_worker_of_the_authority_sees_the_case(session, case, england, web):
    make_user(session, "social_worker", england, email="w@example.test")
    sign_in(web, "w@example.test")
    for url in case_urls(*case):
        expected = 403 if url.endswith("/allocation") else 200
        assert web.get(url).status_code == expected, url


def test_worker_and_manager_cannot_reach_administration(session, england, web):
    make_user(session, "team_manager", england, email="m@example.test")
    sign_in(web, "m@example.test")
    assert web.get("/admin/users").status_code == 403
    assert web.get("/admin/authorities").status_code == 403


def test_admin_reads_any_family_but_records_nothing(session, case, web):
    make_user(session, "admin", email="admin@example.test")
    sign_in(web, "admin@example.test")
    family, child, proceedings = case
    assert web.get(f"/families/{family.id}").status_code == 200
    assert web.get(f"/families/{family.id}/allocation").status_code == 200
    assert web.get(f"/families/{family.id}/steps/offer-fgc").status_code == 403
    assert web.get(f"/families/{family.id}/children/{child.id}/steps/close-case").status_code == 403
    assert web.get("/admin/users").status_code == 200


def test_unknown_step_names_are_404(session, case, england, web):
    family, child, _ = case
    make_user(session, "social_worker", england, email="w@example.test")
    sign_in(web, "w@example.test")
    f = f"/families/{family.id}"
    for url in (f"{f}/steps/no-such-step", f"{f}/steps/open-case", f"{f}/steps/final-order",
                f"{f}/children/{child.id}/steps/offer-fgc", f"{f}/children/{child.id}/steps/open-case"):
        assert web.get(url).status_code == 404, url


def test_the_start_page_sends_each_role_to_its_work(session, england, web_app):
    from web_helpers import WebClient

    expected = {"social_worker": "/families", "team_manager": "/families", "admin": "/admin/users"}
    for role, target in expected.items():
        client = WebClient(web_app)
        make_user(session, role, england if role != "admin" else None, email=f"{role}@example.test")
        sign_in(client, f"{role}@example.test")
        assert client.get("/").headers["Location"] == target, role
    board = WebClient(web_app)
    make_user(session, "fjb_viewer", dfj_area=england.dfj_area, email="board@example.test")
    sign_in(board, "board@example.test")
    response = board.get("/")
    assert response.status_code in (200, 302)
    assert not response.headers.get("Location", "").startswith("/families")
    assert board.get("/", follow_redirects=True).status_code == 200
