"""Issue 17: the family page without a full replay per view.

Each process keeps a family's replay keyed by its whole history (pathway/families/pages.py,
`replayed`). After every step recorded, the page built from the cache must equal the page built
from a fresh replay, and a second view of an unchanged family must not replay again.
"""
from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select

from conftest import TODAY, record
from pathway import demo
from pathway import workflow as wf
from pathway.families import pages
from pathway.models import Family


def _page(session, family):
    return pages.family_page(session, family, TODAY, with_audit=False, may_record=True)


@pytest.mark.parametrize("scenario", ["court", "section_20", "child_protection"])
def test_the_cached_page_equals_a_fresh_replay_after_every_step(session, england, monkeypatch, scenario):
    rng = random.Random(17)
    history = demo.family_history(rng, "FAM1", ["C1", "C2"], TODAY, "PR1", scenario=scenario, max_age_days=400)
    assert len(history) > 5
    replays = []
    real = wf.replay_with_journeys
    monkeypatch.setattr(wf, "replay_with_journeys", lambda *a, **k: replays.append(1) or real(*a, **k))
    pages.forget_replays()
    for n, ev in enumerate(history):
        outcome = record(session, england, [ev])
        assert outcome.ok, (n, ev, outcome.errors)
        session.expire_all()
        family = session.scalar(select(Family).where(Family.reference == "FAM1"))
        before = len(replays)
        first = _page(session, family)
        assert len(replays) == before + 1, "a recorded step changes the history: the page replays it"
        again = _page(session, family)
        assert len(replays) == before + 1, "an unchanged family is not replayed again"
        pages.forget_replays()
        fresh = _page(session, family)
        assert first == again == fresh, (n, ev.event)


def test_another_day_replays_afresh_and_the_cache_stays_bounded(session, england, monkeypatch):
    """What the gates allow depends on the day, so a new day is a new key; the cache forgets the
    oldest replays beyond REPLAY_CACHE_SIZE."""
    pages.forget_replays()
    monkeypatch.setattr(pages, "REPLAY_CACHE_SIZE", 2)
    steps = [wf.PathwayEvent(event="open_case", date=date(2026, 1, 5), family_ref=f"FAM{n}", child_ref=f"C{n}",
                             dob=date(2015, 5, 1), sex="F", ethnicity="WBRI") for n in range(3)]
    assert record(session, england, steps).ok
    families = session.scalars(select(Family).order_by(Family.reference)).all()
    one = pages.replayed(session, families[0], TODAY)
    assert pages.replayed(session, families[0], TODAY) is one
    assert pages.replayed(session, families[0], date(2026, 11, 21)) is not one
    for family in families:
        pages.replayed(session, family, TODAY)
    assert len(pages._replays) == 2
    assert pages.replayed(session, families[0], TODAY) is not one  # forgotten: replayed again
