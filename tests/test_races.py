"""Races (issue 10): opening a new family with a reference another writer has just taken is a
conflict, never a merge into their family; allocation carries the family's version."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from conftest import opened, record, step
from pathway import services
from pathway.models import Child, Family, LocalAuthority
from web_helpers import date_fields, error_summary, form_values, make_team, make_user, sign_in, submit, web, web_app  # noqa: F401


def test_a_new_family_whose_reference_was_just_taken_is_a_conflict_not_a_merge(
        session, england, web, database_url, monkeypatch):  # fmt: skip
    worker = make_user(session, "social_worker", england)
    sign_in(web, worker)
    la_id = england.id
    engine = create_engine(database_url)
    real_record_step = services.record_step

    def another_writer_first(session_, la, step_, **kwargs):
        # Between the page's "is this reference free?" and the write, a colleague opens it.
        with Session(engine) as other:
            outcome = services.record_steps(
                other, other.get(LocalAuthority, la_id),
                [(None, opened("THEIR-CHILD", date(2026, 1, 4), family_ref=step_.family_ref))],
                actor=services.Actor(None, "colleague"), source="form",
                now=datetime(2026, 11, 20, 12, tzinfo=timezone.utc),
            )  # fmt: skip
            assert outcome.ok
            other.commit()
        return real_record_step(session_, la, step_, **kwargs)

    monkeypatch.setattr(services, "record_step", another_writer_first)
    response = submit(web, "/families/new", {
        "family_ref": "FAM-RACE", "child_ref": "MY-CHILD", "sex": "F", "ethnicity": "WBRI",
        **date_fields("dob", date(2015, 5, 1)), **date_fields("date", date(2026, 1, 5)),
    })  # fmt: skip
    engine.dispose()
    assert response.status_code == 200
    assert any("Someone else opened a family with the reference FAM-RACE a moment ago" in text
               for _href, text in error_summary(response))  # fmt: skip
    family = session.scalars(select(Family)).one()
    assert [c.reference for c in family.children] == ["THEIR-CHILD"]  # nothing merged into their family
    assert family.worker_id is None  # and their family's allocation did not move
    assert session.scalar(select(func.count(Child.id))) == 1


def test_allocation_carries_the_family_version(session, england, web):
    manager = make_user(session, "team_manager", england)
    team = make_team(session, england)
    worker = make_user(session, "social_worker", england, team=team)
    other = make_user(session, "social_worker", england, team=team)
    record(session, england, [opened("C1", date(2026, 1, 5))])
    family = session.scalar(select(Family))
    sign_in(web, manager)
    url = f"/families/{family.id}/allocation"
    stale = form_values(web.get(url))
    # someone records a step after the page was loaded
    record(session, england, [step("offer_fgc", date(2026, 1, 6))], source="form")
    response = web.post(url, data={**stale, "team": str(team.id), "worker": str(worker.id)})
    assert response.status_code == 200
    assert any("changed by someone else" in text for _href, text in error_summary(response))
    session.expire_all()
    assert session.get(Family, family.id).worker_id is None
    # from a fresh page it goes through, and moves the version on
    version = session.get(Family, family.id).version
    fresh = form_values(web.get(url))
    assert web.post(url, data={**fresh, "team": str(team.id), "worker": str(worker.id)}).status_code == 302
    # the same (now stale) page sent twice: the second is refused, the first allocation stands
    again = web.post(url, data={**fresh, "team": str(team.id), "worker": str(other.id)})
    assert again.status_code == 200
    session.expire_all()
    family = session.get(Family, family.id)
    assert family.worker_id == worker.id and family.version == version + 1
