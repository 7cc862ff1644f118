"""Suppression at its edges (issue 18: tests that fail when the law is coded wrong).

Small-number suppression (pathway.reports.suppression): the sums a reader can do, the choice of the
figure withheld next to a small one, and the blocks that keep one decision per figure across the
pages of a designated family judge area.
"""
from __future__ import annotations

import random
from datetime import date
from fractions import Fraction

import pytest

from conftest import add_la, opened, record
from pathway import codes
from pathway.reports import FEWER_THAN_5, WITHHELD, Scope, financial_year, quarters_in
from pathway.reports import suppression as sup


def test_a_group_is_the_period_and_the_scope_joined_by_a_bar():
    assert sup.group_key("2026-27", "dfj:Leeds") == "2026-27|dfj:Leeds"


def test_a_withheld_count_says_fewer_than_5_only_when_it_is_from_1_to_4():
    suppressed = {("main", "a"), ("main", "b"), ("main", "c")}
    assert sup._count(("main", "a"), 4, suppressed) == FEWER_THAN_5
    assert sup._count(("main", "b"), 5, suppressed) == WITHHELD
    assert sup._count(("main", "c"), 0, suppressed) == WITHHELD
    assert sup._count(("main", "d"), 3, suppressed) == 3



def test_a_cell_is_named_by_the_second_half_of_its_pair_and_a_headline_count_is_kept_longest():
    assert sup._name(("fy2026|dfj:X", "within_26_weeks")) == "within_26_weeks"
    assert sup._name("proceedings_concluded") == "proceedings_concluded"
    assert sup._name("ab") == "ab"  # a two-letter name is not a pair
    assert sup._name(("a", "b", "c")) == ("a", "b", "c")
    assert sup._headline_last(("main", "proceedings_concluded")) == (True,)
    assert sup._headline_last(("main", "extended")) == (False,)
    assert sup._headline_last("within_26_weeks") == (True,)


def test_the_figure_withheld_is_the_smallest_non_zero_then_the_first_by_name():
    keep = sup._headline_last
    one, zero = ("main", "extended"), ("main", "emergency_entries")
    assert sup._choose([zero, one], {zero: 0, one: 1}, keep) == one  # a zero reveals no one
    assert sup._choose([zero], {zero: 0}, keep) == zero  # nothing else to withhold
    b, a = ("main", "b"), ("main", "a")
    assert sup._choose([b, a], {a: 7, b: 7}, keep) == a
    assert sup._choose([a, b], {a: 7, b: 7}, keep) == a


def test_the_neighbour_withheld_is_in_a_sum_with_the_small_cell_or_further_out():
    small, total, other, hidden_rest, far = ("m", "small"), ("m", "total"), ("m", "other"), ("m", "rest"), ("m", "far")
    by_cell = {small: [(total, small, other)], total: [(total, small, other)], other: [(total, small, other)]}
    values = {small: 2, total: 20, other: 18}
    assert sup._neighbour_to_withhold(small, by_cell, values, set(), {small}, sup._headline_last) == other
    # The sum's other figures hidden or withheld: the next sums out.
    by_cell = {small: [(hidden_rest, small)], hidden_rest: [(hidden_rest, small), (hidden_rest, far, total)]}
    values = {small: 2, hidden_rest: 2, far: 9, total: 11}
    assert sup._neighbour_to_withhold(small, by_cell, values, {hidden_rest}, {small}, sup._headline_last) == far
    # Nothing shown anywhere near: a cell that nothing fixes.
    by_cell = {small: [(hidden_rest, small)], hidden_rest: [(hidden_rest, small)]}
    with pytest.raises(AssertionError, match="is fixed by nothing shown"):
        sup._neighbour_to_withhold(small, by_cell, values, {hidden_rest}, {small}, sup._headline_last)
    with pytest.raises(AssertionError, match="is fixed by nothing shown"):
        sup._neighbour_to_withhold(("m", "in no sum"), by_cell, values, set(), set(), sup._headline_last)


def test_the_figure_withheld_for_a_worked_out_one_is_in_the_sums_that_worked_it_out():
    small, total, rest, d, x, y, u = (("m", n) for n in ("small", "total", "rest", "d", "x", "y", "u"))
    # total = small + d, total is hidden (itself worked out from u), d is withheld but worked out
    # from x and y: the figure to withhold is the smallest of u, x and y.
    derived_by = {small: [total, small, d], total: [total, u], d: [d, x, y]}
    values = {small: 3, total: 50, d: 47, x: 40, y: 7, u: 50}
    assert sup._to_withhold(small, derived_by, values, {total}, {d}, sup._headline_last) == y
    assert sup._worked_out_from(small, derived_by) == {small, total, d, u, x, y}
    assert sup._worked_out_from(x, derived_by) == set()  # shown, not worked out
    with pytest.raises(AssertionError, match="is derivable from nothing shown"):
        sup._to_withhold(x, derived_by, values, set(), set(), sup._headline_last)
    with pytest.raises(AssertionError, match="is derivable from nothing shown"):
        sup._to_withhold(small, {small: [total, small], total: [total, small]}, values, {total}, set(),
                         sup._headline_last)


def test_a_period_in_the_figures_is_no_cell_and_does_not_stop_the_others():
    period = financial_year(2025)
    values, _equations, _hidden = sup.suppression_cells(
        {"period": period, "proceedings_concluded": 3, "within_26_weeks_pct": 2.0, "mean_weeks": 3.0})
    assert values == {("main", "proceedings_concluded"): 3}  # no period, percentage or average
    shown, _ = sup.suppress({"period": period, "proceedings_concluded": 3})
    assert shown == {"period": period, "proceedings_concluded": FEWER_THAN_5}


def test_a_trend_quarter_without_the_extensions_still_protects_its_adjusted_counts():
    q = quarters_in(financial_year(2025))[0]
    row = {"period": q, "proceedings_concluded": 20, "within_26_weeks": 20, "adjusted_proceedings": 10,
           "adjusted_within_26_weeks": 7}
    _shown, [trend] = sup.suppress({"proceedings_concluded": 20, "within_26_weeks": 20}, [row])
    assert trend["adjusted_proceedings"] == 10
    assert trend["adjusted_within_26_weeks"] == WITHHELD  # 10 - 7 would give 3 away


def reasons(**given) -> dict:
    return {**{reason: 0 for reason in codes.EXTENSION_REASONS}, **given}


def test_the_extensions_breakdowns_add_up_to_a_total_the_reader_does_not_see():
    report = {"extensions_by_category": {"complexity": 10, "system": 2},
              "extensions_by_reason": reasons(kinship_assessment=10, court_listing=2),
              "extensions_by_fpl_code": {"TimetableForChild": 10, "TimetableForProceedings": 2}}
    shown, _ = sup.suppress(report)
    # The total (12) is not shown: 10 gives nothing away.
    assert shown["extensions_by_category"] == {"complexity": 10, "system": FEWER_THAN_5}
    assert shown["extensions_by_fpl_code"] == {"TimetableForChild": 10, "TimetableForProceedings": FEWER_THAN_5}
    # A category is the sum of its own reasons: 10 - 7 would give 3 away.
    shown, _ = sup.suppress({"extensions_by_category": {"complexity": 10, "system": 0},
                             "extensions_by_reason": reasons(kinship_assessment=7, parenting_assessment=3)})
    assert shown["extensions_by_reason"] == reasons(kinship_assessment=WITHHELD, parenting_assessment=FEWER_THAN_5)
    # The categories give the total away (12), and the codes then their small one.
    shown, _ = sup.suppress({"extensions_by_category": {"complexity": 12, "system": 0},
                             "extensions_by_fpl_code": {"TimetableForChild": 9, "TimetableForProceedings": 3}})
    assert shown["extensions_by_fpl_code"] == {"TimetableForChild": WITHHELD, "TimetableForProceedings": FEWER_THAN_5}
    assert shown["extensions_by_category"] == {"complexity": 12, "system": 0}
    # Without the categories the codes have no total to be taken from.
    shown, _ = sup.suppress({"extensions_by_fpl_code": {"TimetableForChild": 9, "TimetableForProceedings": 3}})
    assert shown["extensions_by_fpl_code"] == {"TimetableForChild": 9, "TimetableForProceedings": FEWER_THAN_5}


def test_the_childrens_breakdowns_add_up_to_a_total_the_reader_does_not_see():
    report = {"orders_by_type": {"care_order": 10, "sgo": 2},
              "concluded_children_by_ethnicity_group": {"white": 10, "asian": 2},
              "concluded_children_by_age_band": {"under_1": 10, "1_4": 2}}
    shown, _ = sup.suppress(report)
    assert shown["orders_by_type"] == {"care_order": 10, "sgo": FEWER_THAN_5}
    assert shown["concluded_children_by_ethnicity_group"] == {"white": 10, "asian": FEWER_THAN_5}
    assert shown["concluded_children_by_age_band"] == {"under_1": 10, "1_4": FEWER_THAN_5}


def test_the_cafcass_weeks_bands_add_up_to_the_proceedings_concluded():
    bands = {"26_or_less": 9, "27_to_29": 3, "30_or_more": 0}
    shown, _ = sup.suppress({"proceedings_concluded": 12, "cafcass_weeks_bands": bands})
    assert shown["proceedings_concluded"] == 12
    assert shown["cafcass_weeks_bands"] == {"26_or_less": WITHHELD, "27_to_29": FEWER_THAN_5, "30_or_more": 0}
    shown, _ = sup.suppress({"cafcass_weeks_bands": bands})  # no total: nothing to take them from
    assert shown["cafcass_weeks_bands"] == {"26_or_less": 9, "27_to_29": FEWER_THAN_5, "30_or_more": 0}


def test_each_child_entering_proceedings_has_one_answer_about_the_fgc():
    answers = {**{code: 0 for code in codes.FGC_AT_ISSUE}, "held": 9, "declined": 3}
    shown, _ = sup.suppress({"children_entering_proceedings": 12, "fgc_at_issue": answers})
    assert shown["children_entering_proceedings"] == 12
    assert shown["fgc_at_issue"] == {**answers, "held": WITHHELD, "declined": FEWER_THAN_5}  # 12 - 9 = 3
    shown, _ = sup.suppress({"fgc_at_issue": answers})  # no total: nothing to take them from
    assert shown["fgc_at_issue"] == {**answers, "declined": FEWER_THAN_5}

# --------------------------------------------------------------------------------------------
# The blocks of an area (area_block, comparison, suppress_in_area): the figures themselves are
# replaced by a table (`fake_figures`), so that each test says exactly which counts are small and
# runs in a moment; the authorities, the events and the decisions are the real ones.
# --------------------------------------------------------------------------------------------

AREA = "Testshire"
UNITS = {"la:E09000999": "E09000999", "la:E09000888": "E09000888"}


def _scope_key(scope) -> str:
    if scope.la_code:
        return f"la:{scope.la_code}"
    if scope.dfj_area:
        return f"dfj:{scope.dfj_area}"
    if scope.nation:
        return f"nation:{scope.nation}"
    return "all"


class FakeFigures:
    """figures(session, start, end, scope) from a table: (proceedings concluded, within 26
    weeks) per unit and quarter start; units are the area's two authorities, the rest of England
    and Wales. A scope adds up its units, a period its quarters. Records every call."""

    def __init__(self, table, session=None, missing=()):
        self.table, self.calls, self.session, self.missing = table, [], session, set(missing)

    def units(self, key):
        if key.startswith("la:"):
            return [key]
        if key == "dfj:Oneshire":
            return ["la:E09000555"]
        if key.startswith("dfj:"):
            return list(UNITS)
        if key == "nation:england":
            return [*UNITS, "la:E09000555", "rest of England"]
        if key == "nation:wales":
            return ["Wales"]
        return [*UNITS, "la:E09000555", "rest of England", "Wales"]

    def __call__(self, session, start, end, scope=Scope()):
        key = _scope_key(scope)
        assert self.session is None or session is self.session  # the figures of the session asked
        self.calls.append((start, end, key))
        concluded = within = 0
        for unit in self.units(key):
            for quarter_start, (c, w) in self.table.get(unit, {}).items():
                if start <= quarter_start <= end:
                    concluded, within = concluded + c, within + w
        found = {"period": None, "proceedings_concluded": concluded, "within_26_weeks": within,
                 "within_26_weeks_pct": None}
        return {k: v for k, v in found.items() if (start, key, k) not in self.missing}


FY = financial_year(2025)  # April 2025 to March 2026: over by TODAY (20 November 2026)
Q1, Q2, Q3, Q4 = quarters_in(FY)
BIG = {q.start: (40, 30) for q in (Q1, Q2, Q3, Q4)}


@pytest.fixture
def area(session, england):
    """Testshire: E09000999 and E09000888; elsewhere in England E09000777; Wales W06000999."""
    add_la(session, "E09000888", "england", dfj_area=AREA)
    add_la(session, "E09000777", "england", dfj_area="Elsewhere")
    add_la(session, "W06000999", "wales", dfj_area="Cymru")
    return session


def use(monkeypatch, table, session=None) -> FakeFigures:
    fake = FakeFigures(table, session)
    monkeypatch.setattr(sup, "figures", fake)
    return fake


def spy_protect(monkeypatch) -> list:
    seen = []
    real = sup.protect

    def protect(values, equations, hidden=(), keep=None):
        seen.append((dict(values), list(equations), set(hidden), keep))
        return real(values, equations, hidden, keep)

    monkeypatch.setattr(sup, "protect", protect)
    return seen


def g(period, scope):
    return f"{period.key}|{scope}"


def test_an_areas_nation_is_compared_only_when_all_its_authorities_are_in_it(area):
    assert sup.comparison_scopes(area, AREA) == [
        ("nation:england", "England", Scope(nation="england")), ("all", "England and Wales", Scope())]
    assert sup.comparison_scopes(area, "Cymru") == [
        ("nation:wales", "Wales", Scope(nation="wales")), ("all", "England and Wales", Scope())]
    add_la(area, "W06000888", "wales", dfj_area=AREA)  # an area across the border
    assert sup.comparison_scopes(area, AREA) == [("all", "England and Wales", Scope())]


def test_a_block_holds_every_period_of_the_year_for_the_area_its_authorities_and_comparisons(area, monkeypatch):
    fake = use(monkeypatch, {unit: BIG for unit in (*UNITS, "rest of England", "Wales")}, area)
    suppressed, by_group = sup.area_block(area, AREA, 2025)
    assert suppressed == set()  # nothing small anywhere
    scopes = [f"dfj:{AREA}", "la:E09000888", "la:E09000999", "nation:england", "all"]
    periods = [FY, Q1, Q2, Q3, Q4]
    assert list(by_group) == [g(p, s) for p in periods for s in scopes]
    assert fake.calls == [(p.start, p.end, s) for p in periods for s in scopes]
    assert by_group[g(FY, f"dfj:{AREA}")]["proceedings_concluded"] == 320
    assert by_group[g(Q2, "la:E09000888")]["within_26_weeks"] == 30
    assert by_group[g(Q3, "all")]["proceedings_concluded"] == 160


def test_the_sums_of_a_block_are_those_a_reader_of_every_page_knows(area, monkeypatch):
    use(monkeypatch, {unit: BIG for unit in (*UNITS, "rest of England", "Wales")})
    seen = spy_protect(monkeypatch)
    sup.area_block(area, AREA, 2025)
    [(values, equations, hidden, keep)] = seen
    dfj, scopes, compared = f"dfj:{AREA}", ["la:E09000888", "la:E09000999"], ["nation:england", "all"]
    periods = [FY, Q1, Q2, Q3, Q4]
    names = ["proceedings_concluded", "within_26_weeks", "proceedings_concluded - within_26_weeks"]
    expected = []
    for p in periods:  # within each page: a total and its part and remainder
        for s in [dfj, *scopes, *compared]:
            expected.append(((g(p, s), "proceedings_concluded"),
                             [(g(p, s), "within_26_weeks"), (g(p, s), "proceedings_concluded - within_26_weeks")]))
    for name in names:
        for p in periods:  # the area is the sum of its authorities
            expected.append(((g(p, dfj), name), [(g(p, s), name) for s in scopes]))
        for s in [dfj, *scopes, *compared]:  # the year is the sum of its quarters
            expected.append(((g(FY, s), name), [(g(q, s), name) for q in (Q1, Q2, Q3, Q4)]))
        for outer, inner in (("nation:england", dfj), ("all", "nation:england")):  # and the unseen rest
            for p in periods:
                expected.append(((g(p, outer), name), [(g(p, inner), name), (g(p, f"rest:{outer}"), name)]))
    assert equations == expected
    rests = {(g(p, f"rest:{outer}"), name) for outer in compared for p in periods for name in names}
    assert rests <= hidden and rests <= set(values)
    assert values[(g(Q1, "rest:nation:england"), "proceedings_concluded")] == 40  # 120 - 80
    assert values[(g(FY, "rest:all"), "within_26_weeks")] == 120  # Wales: 4 x 30
    assert values[(g(Q4, "la:E09000999"), "proceedings_concluded - within_26_weeks")] == 10
    assert len(values) == 25 * 3 + 10 * 3 and len(hidden) == 25 + 10 * 3


def test_a_small_count_of_an_authority_is_protected_from_the_area_minus_the_other_authority(area, monkeypatch):
    table = {unit: BIG for unit in (*UNITS, "rest of England", "Wales")}
    table["la:E09000999"] = {**BIG, Q2.start: (3, 3)}
    use(monkeypatch, table)
    suppressed, _ = sup.area_block(area, AREA, 2025)
    small = (g(Q2, "la:E09000999"), "proceedings_concluded")
    assert small in suppressed
    # Shown: the area's Q2 (43) and the other authority's Q2 (40) would give 3 away; one goes.
    area_q2, other_q2 = (g(Q2, f"dfj:{AREA}"), "proceedings_concluded"), (g(Q2, "la:E09000888"), "proceedings_concluded")
    assert area_q2 in suppressed or other_q2 in suppressed
    # The year of that authority (123) minus its other quarters (120) too.
    assert {(g(p, "la:E09000999"), "proceedings_concluded") for p in (FY, Q1, Q3, Q4)} & suppressed


def test_a_headline_count_of_a_running_period_is_withheld_before_one_of_a_period_that_is_over():
    keep = sup.running_first({"fy2026", "fy2026-q3"})
    assert keep(("fy2026|dfj:X", "proceedings_concluded")) == (True, False)
    assert keep(("fy2026-q3|la:E09000999", "within_26_weeks")) == (True, False)
    assert keep(("fy2026-q2|la:E09000999", "within_26_weeks")) == (True, True)
    assert keep(("fy2026-q2|la:E09000999", "extended")) == (False, False)  # a detail: first
    assert keep(("fy2026|dfj:X", "extended")) == (False, False)
    assert keep(("fy2026|dfj:A|B", "within_26_weeks")) == (True, False)  # a bar in an area's name
    cells = [("fy2026-q2|dfj:X", "within_26_weeks"), ("fy2026-q3|dfj:X", "within_26_weeks"),
             ("fy2026-q2|dfj:X", "extended")]
    values = {cells[0]: 2, cells[1]: 3, cells[2]: 9}
    assert sup._choose(cells, values, keep) == cells[2]
    assert sup._choose(cells[:2], values, keep) == cells[1]  # the quarter still running, though larger


def test_a_block_knows_which_of_its_periods_are_still_running(area, monkeypatch):
    use(monkeypatch, {unit: {} for unit in UNITS})
    seen = spy_protect(monkeypatch)
    sup.area_block(area, AREA, 2026)  # TODAY is 20 November 2026: the year and its last two quarters run on
    [(_values, _equations, _hidden, keep)] = seen
    year, q1, q2, q3, q4 = financial_year(2026), *quarters_in(financial_year(2026))
    assert [keep((g(p, f"dfj:{AREA}"), "within_26_weeks")) for p in (year, q1, q2, q3, q4)] == [
        (True, False), (True, True), (True, True), (True, False), (True, False)]


def test_the_data_version_of_an_area_follows_the_events_of_its_authorities_only(area):
    from pathway.models import Event, LocalAuthority

    ids = tuple(sorted(la.id for la in area.query(LocalAuthority).filter_by(dfj_area=AREA)))
    assert len(ids) == 2
    assert sup.area_data_version(area, AREA) == (ids, 0, None)
    here = area.query(LocalAuthority).filter_by(code="E09000888").one()
    elsewhere = area.query(LocalAuthority).filter_by(code="E09000777").one()
    record(area, here, [opened("C1", date(2026, 5, 1)), opened("C2", date(2026, 5, 2))])
    last = max(e.id for e in area.query(Event).filter(Event.la_id.in_(ids)))
    assert sup.area_data_version(area, AREA) == (ids, 2, last)
    record(area, elsewhere, [opened("C3", date(2026, 5, 3), family_ref="FAM2")])
    assert sup.area_data_version(area, AREA) == (ids, 2, last)
    assert sup.area_data_version(area, "Elsewhere")[1:] == (1, last + 1)


def small_in_q2():
    table = {unit: BIG for unit in (*UNITS, "rest of England", "Wales")}
    table["la:E09000999"] = {**BIG, Q2.start: (3, 3)}
    return table


def test_the_comparison_shows_each_column_under_the_areas_block(area, monkeypatch):
    area.query(sup.LocalAuthority).filter_by(code="E09000888").one().name = "Second"
    area.commit()
    use(monkeypatch, small_in_q2())
    rows = sup.comparison(area, AREA, Q2)
    assert [(k, label) for k, label, _shown in rows] == [
        (f"dfj:{AREA}", AREA), ("la:E09000888", "Second"), ("la:E09000999", "Test authority E09000999"),
        ("nation:england", "England"), ("all", "England and Wales")]
    shown = {k: s for k, _label, s in rows}
    assert shown["la:E09000999"]["proceedings_concluded"] == FEWER_THAN_5
    assert shown["all"]["proceedings_concluded"] == 123  # 3 + 40, the rest of England 40, Wales 40
    # The same decisions as the authority's own page takes, whatever page the figure is on.
    suppressed, by_group = sup.area_block(area, AREA, 2025)
    for k, _label, s in rows:
        assert s == sup._display(g(Q2, k), by_group[g(Q2, k)], suppressed)
    assert shown["la:E09000888"]["proceedings_concluded"] in (40, WITHHELD)


def test_the_blocks_are_kept_until_something_is_recorded_in_the_area_and_the_oldest_forgotten(area, monkeypatch):
    from pathway.models import LocalAuthority

    fake = use(monkeypatch, small_in_q2())
    blocks = {("old", n, ()): None for n in range(63)}
    sup.comparison(area, AREA, Q4, blocks)  # January to March 2026: the year starting in April 2025
    version = sup.area_data_version(area, AREA)
    assert len(blocks) == 64 and (AREA, 2025, version, sup.today_of_the_application()) in blocks and ("old", 0, ()) in blocks
    calls = len(fake.calls)
    assert calls == 25
    sup.comparison(area, AREA, Q1, blocks)
    sup.suppress_in_area(area, AREA, "la:E09000999", Q2, {"proceedings_concluded": 3}, [], blocks)
    assert len(fake.calls) == calls  # the same block: not worked out again
    record(area, area.query(LocalAuthority).filter_by(code="E09000999").one(), [opened("C1", date(2026, 5, 1))])
    shown, _ = sup.suppress_in_area(area, AREA, "la:E09000999", Q2, {"proceedings_concluded": 3}, [], blocks)
    assert len(fake.calls) == 2 * calls and shown == {"proceedings_concluded": FEWER_THAN_5}
    assert len(blocks) == 64 and ("old", 0, ()) not in blocks and ("old", 1, ()) in blocks
    sup.comparison(area, AREA, Q3, {})  # no blocks kept: worked out afresh
    assert len(fake.calls) == 3 * calls


def test_a_page_takes_the_decisions_of_the_blocks_of_every_year_its_trend_shows(area, monkeypatch):
    table = small_in_q2()
    q2_before = quarters_in(financial_year(2024))[1]
    table["la:E09000888"] = {**BIG, q2_before.start: (2, 1)}
    use(monkeypatch, table)
    blocks = {}
    trend = [{"period": q2_before, "proceedings_concluded": 2}, {"period": Q2, "proceedings_concluded": 43}]
    report = {"period": Q2, "proceedings_concluded": 40, "within_26_weeks": 30, "within_26_weeks_pct": 75.0}
    shown, rows = sup.suppress_in_area(area, AREA, "la:E09000888", Q2, report, trend, blocks)
    assert sorted(year for (_area, year, _v, _day) in blocks) == [2024, 2025]
    assert rows[0] == {"period": q2_before, "proceedings_concluded": FEWER_THAN_5}
    assert shown["period"] == Q2
    both = sup.area_block(area, AREA, 2024)[0] | sup.area_block(area, AREA, 2025)[0]
    assert (g(Q2, "la:E09000888"), "within_26_weeks") in both  # 30 of 40, next to the 3 of 3
    assert shown["within_26_weeks"] == WITHHELD and shown["within_26_weeks_pct"] == WITHHELD
    hidden = (g(Q2, "la:E09000888"), "proceedings_concluded") in both
    assert shown["proceedings_concluded"] == (WITHHELD if hidden else 40)
    # The area's own page, for the same quarter: the decisions of the same blocks.
    trend = [{"period": q2_before, "proceedings_concluded": 42}]
    _shown, rows_area = sup.suppress_in_area(area, AREA, f"dfj:{AREA}", Q2, report, trend, blocks)
    assert len(blocks) == 2
    assert (g(q2_before, f"dfj:{AREA}"), "proceedings_concluded") in both  # 42 - 40 would give 2 away
    assert rows_area[0]["proceedings_concluded"] == WITHHELD


# --------------------------------------------------------------------------------------------
# The reader's algebra, against plain implementations of the same definitions
# --------------------------------------------------------------------------------------------


def _rank(rows: list[dict]) -> int:
    """The rank of the rows ({variable: coefficient}), by plain Gaussian elimination."""
    rows = [{v: Fraction(c) for v, c in row.items() if c} for row in rows]
    rank = 0
    variables = sorted({v for row in rows for v in row}, key=str)
    for v in variables:
        pivot = next((r for r in rows[rank:] if r.get(v)), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        rows.insert(rank, pivot)
        for i, row in enumerate(rows):
            if i != rank and row.get(v):
                factor = row[v] / pivot[v]
                rows[i] = {w: row.get(w, 0) - factor * pivot.get(w, 0) for w in {*row, *pivot}}
                rows[i] = {w: c for w, c in rows[i].items() if c}
        rank += 1
    return rank


def _fixed(equations, unknown: set) -> set:
    """An unknown is fixed when its unit row is in the span of the sums' rows: adding it does not
    raise the rank."""
    rows = []
    for total, parts in equations:
        row: dict = {}
        row[total] = row.get(total, 0) + 1
        for p in parts:
            row[p] = row.get(p, 0) - 1
        rows.append({c: v for c, v in row.items() if c in unknown})
    rank = _rank(rows)
    return {c for c in unknown if _rank([*rows, {c: 1}]) == rank}


def _plain_sweeps(equations, visible) -> dict:
    """The definition in _derivable's docstring: sweep the sums in order, again and again, solving
    each sum left with one unknown, until a sweep solves nothing."""
    known, derived_by = set(visible), {}
    while True:
        solved = False
        for total, parts in equations:
            members = [total, *parts]
            unknown = [m for m in members if m not in known]
            if len(set(unknown)) == 1:
                known.add(unknown[0])
                derived_by[unknown[0]] = members
                solved = True
        if not solved:
            return derived_by


def _random_system(rnd: random.Random, twice=0.15):
    cells = [("g", f"c{i}") for i in range(rnd.randint(3, 9))]
    equations = []
    for _ in range(rnd.randint(1, 7)):
        total, *parts = rnd.sample(cells, rnd.randint(2, min(5, len(cells))))
        if rnd.random() < twice:
            parts.append(rnd.choice(parts))  # a part counted twice
        equations.append((total, parts))
    return cells, equations


def test_a_cell_is_fixed_by_a_combination_of_sums_exactly_when_linear_algebra_says_so():
    rnd = random.Random(18)
    for _ in range(400):
        cells, equations = _random_system(rnd)
        unknown = set(rnd.sample(cells, rnd.randint(1, len(cells))))
        assert sup._fixed_by_any_combination(equations, unknown) == _fixed(equations, unknown), (equations, unknown)


def test_a_table_minus_its_margins_fixes_a_cell_that_no_single_sum_does():
    a, b, c, d, r1, r2, k1, k2 = (("t", n) for n in ("a", "b", "c", "d", "r1", "r2", "k1", "k2"))
    equations = [(r1, [a, b]), (r2, [c, d]), (k1, [a, c]), (k2, [b, d])]
    assert sup._fixed_by_any_combination(equations, {a, b, c}) == {a, b, c}  # d shown: a, b and c follow
    assert sup._fixed_by_any_combination(equations, {a, b, c, d}) == set()
    assert sup._fixed_by_any_combination([(r1, [a, a])], {a}) == {a}  # r1 = 2a
    assert sup._fixed_by_any_combination([(r1, [a, b]), (r1, [a, b]), (k1, [b])], {a, b}) == {a, b}


def test_what_a_reader_can_work_out_is_what_plain_sweeps_of_the_sums_find():
    rnd = random.Random(5)
    for _ in range(400):
        cells, equations = _random_system(rnd, twice=0)  # the page's sums name each figure once
        visible = rnd.sample(cells, rnd.randint(0, len(cells)))
        assert sup._derivable(equations, visible) == _plain_sweeps(equations, visible), (equations, visible)


def test_an_area_of_one_authority_is_that_authority_so_its_small_remainder_stays_hidden(area, monkeypatch):
    # Oneshire has one authority, E09000555: 40 proceedings each quarter. The rest of England has
    # 2 in April to June: England's 42 minus the area's 40 would give them away, and so would
    # England's 42 minus the authority's 40, since the area is the authority.
    add_la(area, "E09000555", "england", dfj_area="Oneshire")
    table = {"la:E09000555": {q.start: (40, 30) for q in (Q1, Q2, Q3, Q4)},
             "rest of England": {Q1.start: (2, 2), **{q.start: (40, 30) for q in (Q2, Q3, Q4)}},
             "Wales": BIG}
    use(monkeypatch, table)
    suppressed, _ = sup.area_block(area, "Oneshire", 2025)
    values = {}
    for p in (FY, Q1, Q2, Q3, Q4):
        for scope in ("dfj:Oneshire", "la:E09000555", "nation:england", "all"):
            figures = sup.figures(None, p.start, p.end, Scope(**_scope_of(scope)))
            for name in ("proceedings_concluded", "within_26_weeks"):
                values[(g(p, scope), name)] = figures[name]
    # What a reader knows adds up, written out here: each page's total, part and remainder; the
    # area and its one authority; the year and its quarters; England, the area and the rest.
    names = ["proceedings_concluded", "within_26_weeks", "proceedings_concluded - within_26_weeks"]
    sums, unknown = [], set()
    for p in (FY, Q1, Q2, Q3, Q4):
        for scope in ("dfj:Oneshire", "la:E09000555", "nation:england", "all"):
            rest = (g(p, scope), names[2])
            unknown.add(rest)
            sums.append(((g(p, scope), names[0]), [(g(p, scope), names[1]), rest]))
        for name in names:
            sums.append(((g(p, "dfj:Oneshire"), name), [(g(p, "la:E09000555"), name)]))
            for outer, inner in (("nation:england", "dfj:Oneshire"), ("all", "nation:england")):
                unknown.add((g(p, f"rest:{outer}"), name))
                sums.append(((g(p, outer), name), [(g(p, inner), name), (g(p, f"rest:{outer}"), name)]))
    for scope in ("dfj:Oneshire", "la:E09000555", "nation:england", "all"):
        for name in names:
            sums.append(((g(FY, scope), name), [(g(q, scope), name) for q in (Q1, Q2, Q3, Q4)]))
    assert (g(Q1, "rest:nation:england"), "proceedings_concluded") in unknown
    worked_out = _fixed(sums, unknown | suppressed)
    small = {c for c in worked_out if _true_value(c, values) in range(1, 5)}
    assert not small


def _scope_of(key: str) -> dict:
    kind, _, name = key.partition(":")
    return {"la": {"la_code": name}, "dfj": {"dfj_area": name}, "nation": {"nation": name}}.get(kind, {})


def _true_value(cell, values):
    (group, name) = cell
    period, _, scope = group.partition("|")
    if scope.startswith("rest:"):
        outer = scope[len("rest:"):]
        inner = {"nation:england": "dfj:Oneshire", "all": "nation:england"}[outer]
        return _true_value((f"{period}|{outer}", name), values) - _true_value((f"{period}|{inner}", name), values)
    if name.endswith(" - within_26_weeks"):
        return values[(group, "proceedings_concluded")] - values[(group, "within_26_weeks")]
    return values[cell]


def test_a_page_without_kept_blocks_works_its_own_out(area, monkeypatch):
    use(monkeypatch, small_in_q2())
    shown, [row] = sup.suppress_in_area(area, AREA, "la:E09000999", Q2, {"proceedings_concluded": 3},
                                        [{"period": Q2, "proceedings_concluded": 3}])
    assert shown == {"proceedings_concluded": FEWER_THAN_5} and row["proceedings_concluded"] == FEWER_THAN_5
    assert sup.comparison(area, AREA, Q2)[2][2]["proceedings_concluded"] == FEWER_THAN_5


def test_the_comparison_forgets_the_oldest_block_when_64_are_kept(area, monkeypatch):
    use(monkeypatch, small_in_q2())
    blocks = {("old", n, ()): None for n in range(64)}
    sup.comparison(area, AREA, Q2, blocks)
    assert len(blocks) == 64 and ("old", 0, ()) not in blocks and ("old", 1, ()) in blocks
    assert (AREA, 2025, sup.area_data_version(area, AREA), sup.today_of_the_application()) in blocks


def test_cells_fixed_by_a_combination_are_protected_in_the_order_of_their_text():
    # A table whose rows and columns add up, one row total not shown. Several small cells are fixed
    # by combinations at once; they are protected one at a time in the order of the cells' text
    # (str), so the same figures always give the same page, whatever the cells are. Ordering
    # the pairs themselves instead ("ga" before "ga b") would give another page.
    rows = {"gc": [3, 3, 0, 8], "ga": [2, 5, 6, 1], "ga b": [8, 0, 6, 3]}
    columns = ["c d", "b c", "c", "a b"]
    values, equations = {}, []
    for group, counts in rows.items():
        values.update({(group, c): n for c, n in zip(columns, counts)})
        values[(group, "total")] = sum(counts)
        equations.append(((group, "total"), [(group, c) for c in columns]))
    for j, c in enumerate(columns):
        values[("gcol", c)] = sum(counts[j] for counts in rows.values())
        equations.append((("gcol", c), [(group, c) for group in rows]))
    assert sorted(sup.protect(values, equations, {("ga b", "total")})) == [
        ("ga", "a b"), ("ga", "b c"), ("ga", "c d"), ("ga b", "a b"), ("ga b", "c"), ("ga b", "c d"),
        ("gc", "b c"), ("gc", "c d")]


def test_a_comparison_without_one_of_the_areas_figures_is_not_compared_for_it(area, monkeypatch):
    # England and Wales without the within-26-weeks count for what starts on 1 April (the year and
    # April to June): no remainder of it there, and everything else as usual.
    monkeypatch.setattr(sup, "figures", FakeFigures({unit: BIG for unit in (*UNITS, "rest of England", "Wales")},
                                                    missing={(Q1.start, "all", "within_26_weeks")}))
    seen = spy_protect(monkeypatch)
    sup.area_block(area, AREA, 2025)
    [(values, _equations, hidden, _keep)] = seen
    within = "within_26_weeks"
    assert (g(Q1, "rest:all"), within) not in values and (g(FY, "rest:all"), within) not in values
    assert (g(Q1, "rest:all"), "proceedings_concluded") in hidden
    assert {(g(p, "rest:all"), within) for p in (Q2, Q3, Q4)} <= hidden
    assert values[(g(Q2, "rest:all"), within)] == 30


def test_an_average_is_withheld_over_fewer_than_5_even_when_its_count_is_not():
    report = {"proceedings_concluded": 1, "mean_weeks": 31.0, "median_weeks": 30.0}
    shown = sup._display("main", report, set())
    assert shown == {"proceedings_concluded": 1, "mean_weeks": WITHHELD, "median_weeks": WITHHELD}
    report = {"proceedings_concluded": 5, "mean_weeks": 31.0}
    assert sup._display("main", report, set())["mean_weeks"] == 31.0


def test_a_page_may_name_its_cells_by_text_or_by_group_and_name():
    # protect takes any cells: here the totals are named, the parts are pairs.
    values = {"total": 12, ("q1", "n"): 9, ("q2", "n"): 3, "other total": 12, ("q1", "m"): 6, ("q2", "m"): 6}
    equations = [("total", [("q1", "n"), ("q2", "n")]), ("other total", [("q1", "m"), ("q2", "m")]),
                 ("total", ["other total"])]
    suppressed = sup.protect(values, equations)
    assert ("q2", "n") in suppressed and ("q1", "n") in suppressed  # 12 - 9 would give 3 away
    assert sup._fixed_by_any_combination(equations, {("q1", "n"), ("q2", "n"), "total"}) == {"total"}


# --------------------------------------------------------------------------------------------
# A later view (issue 17): the blocks hold the figures as well as the decisions
# --------------------------------------------------------------------------------------------


def test_a_later_view_of_an_area_is_read_from_its_blocks_with_no_report_query(area, monkeypatch):
    fake = use(monkeypatch, small_in_q2())
    blocks, compared = {}, {}
    shown, trend = sup.area_page(area, AREA, "la:E09000999", Q2, [], blocks, compared)
    calls = len(fake.calls)
    again = sup.area_page(area, AREA, "la:E09000999", Q2, [], blocks, compared)
    assert len(fake.calls) == calls and again == (shown, trend) == (shown, [])
    # The area itself, another authority of it, another quarter: the same blocks.
    sup.area_page(area, AREA, f"dfj:{AREA}", Q3, [], blocks, compared)
    sup.area_page(area, AREA, "la:E09000888", FY, [], blocks, compared)
    assert len(fake.calls) == calls
    # The same as the page worked out afresh from the figures of the period and scope.
    report = fake(area, Q2.start, Q2.end, Scope(la_code="E09000999"))
    assert shown == sup.suppress_in_area(area, AREA, "la:E09000999", Q2, report, [], {})[0]
    assert shown["proceedings_concluded"] == FEWER_THAN_5


def test_the_comparisons_are_worked_out_once_for_every_area_until_something_is_recorded_anywhere(area,
                                                                                                 monkeypatch):
    from pathway.models import LocalAuthority

    fake = use(monkeypatch, small_in_q2())
    blocks, compared = {}, {}

    def national_calls():
        return sum(1 for _s, _e, key in fake.calls if key in ("all", "nation:england"))

    sup.area_page(area, AREA, f"dfj:{AREA}", Q2, [], blocks, compared)
    assert national_calls() == 10  # the year and its four quarters, for England and for England and Wales
    sup.area_page(area, "Elsewhere", "dfj:Elsewhere", Q2, [], blocks, compared)
    assert national_calls() == 10 and len(blocks) == 2
    # A step recorded in Wales changes no English area's block, but the national figures of the
    # next block worked out are worked out again.
    record(area, area.query(LocalAuthority).filter_by(code="W06000999").one(), [opened("C1", date(2026, 5, 1))])
    sup.area_page(area, AREA, f"dfj:{AREA}", Q2, [], blocks, compared)
    assert national_calls() == 10
    sup.area_page(area, "Cymru", "dfj:Cymru", Q2, [], blocks, compared)
    assert sum(1 for _s, _e, key in fake.calls if key == "all") == 10


def test_the_blocks_are_worked_out_again_on_a_new_day(area, monkeypatch, clock):
    from datetime import timedelta

    fake = use(monkeypatch, small_in_q2())
    blocks, compared = {}, {}
    sup.area_page(area, AREA, f"dfj:{AREA}", Q2, [], blocks, compared)
    calls = len(fake.calls)
    clock.set(clock.now() + timedelta(days=1))  # the six-month outcomes and the running periods move on
    sup.area_page(area, AREA, f"dfj:{AREA}", Q2, [], blocks, compared)
    assert len(fake.calls) == 2 * calls and len(blocks) == 2


class TrendFigures(FakeFigures):
    """FakeFigures with every figure of a trend row (the averages and the adjusted counts)."""

    def __call__(self, session, start, end, scope=Scope()):
        found = super().__call__(session, start, end, scope)
        return {**found, "mean_weeks": 30.0, "median_weeks": 28.0,
                "adjusted_proceedings": found["proceedings_concluded"],
                "adjusted_within_26_weeks": found["within_26_weeks"], "adjusted_within_26_weeks_pct": None}


def test_the_trend_read_from_the_blocks_is_the_trend_worked_out_afresh_across_years(area, monkeypatch):
    table = small_in_q2()
    q2_before = quarters_in(financial_year(2024))[1]
    table["la:E09000999"] = {**table["la:E09000999"], q2_before.start: (2, 1)}
    fake = TrendFigures(table, area)
    monkeypatch.setattr(sup, "figures", fake)
    quarters = [q2_before, Q1, Q2]
    shown, trend = sup.area_page(area, AREA, "la:E09000999", Q2, quarters)  # no blocks kept: its own
    rows = [{"period": q, **{k: v for k, v in fake(area, q.start, q.end, Scope(la_code="E09000999")).items()
                             if k in sup.TREND_KEYS}} for q in quarters]  # fmt: skip
    report = fake(area, Q2.start, Q2.end, Scope(la_code="E09000999"))
    assert (shown, trend) == sup.suppress_in_area(area, AREA, "la:E09000999", Q2, report, rows, {})
    assert [row["period"] for row in trend] == quarters
    # The small counts of both years are withheld: the decisions of both years' blocks.
    assert trend[0]["proceedings_concluded"] == FEWER_THAN_5 and trend[2]["proceedings_concluded"] == FEWER_THAN_5
    assert trend[0]["mean_weeks"] == WITHHELD  # an average over 2 proceedings


def test_a_step_recorded_in_the_area_works_its_blocks_out_again_for_a_later_view(area, monkeypatch):
    from pathway.models import LocalAuthority

    fake = use(monkeypatch, small_in_q2(), session=area)
    blocks, compared = {}, {}
    sup.area_page(area, AREA, f"dfj:{AREA}", Q2, [], blocks, compared)
    calls = len(fake.calls)
    record(area, area.query(LocalAuthority).filter_by(code="E09000888").one(), [opened("C1", date(2026, 5, 1))])
    sup.area_page(area, AREA, f"dfj:{AREA}", Q2, [], blocks, compared)
    assert len(fake.calls) > calls and len(blocks) == 2


def test_the_comparison_and_the_page_share_the_national_figures_they_are_given(area, monkeypatch):
    fake = use(monkeypatch, small_in_q2(), session=area)
    compared = {}

    def national_calls():
        return sum(1 for _s, _e, key in fake.calls if key == "all")

    sup.comparison(area, AREA, Q2, {}, compared)
    assert national_calls() == 5
    sup.comparison(area, "Elsewhere", Q2, {}, compared)
    sup.suppress_in_area(area, "Elsewhere", "dfj:Elsewhere", Q3, {"proceedings_concluded": 40}, [], {}, compared)
    assert national_calls() == 5 and len(compared) == 10  # the year and its quarters, England and everywhere
