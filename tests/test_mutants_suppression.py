"""Suppression at its edges (issue 18: tests that fail when the law is coded wrong).

Small-number suppression (pathway.reports.suppression): the sums a reader can do, the choice of the
figure withheld next to a small one, and the blocks that keep one decision per figure across the
pages of a designated family judge area.
"""
from __future__ import annotations

from pathway.reports import FEWER_THAN_5, WITHHELD
from pathway.reports import suppression as sup


def test_a_group_is_the_period_and_the_scope_joined_by_a_bar():
    assert sup.group_key("2026-27", "dfj:Leeds") == "2026-27|dfj:Leeds"


def test_a_withheld_count_says_fewer_than_5_only_when_it_is_from_1_to_4():
    suppressed = {("main", "a"), ("main", "b"), ("main", "c")}
    assert sup._count(("main", "a"), 4, suppressed) == FEWER_THAN_5
    assert sup._count(("main", "b"), 5, suppressed) == WITHHELD
    assert sup._count(("main", "c"), 0, suppressed) == WITHHELD
    assert sup._count(("main", "d"), 3, suppressed) == 3
