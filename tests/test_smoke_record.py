from datetime import date

from conftest import opened, record, step


def test_open_and_offer(session, england):
    outcome = record(session, england, [opened("C1", date(2026, 1, 5)), step("offer_fgc", date(2026, 1, 6))])
    assert outcome.ok, outcome.errors
    assert outcome.events_written == 2
