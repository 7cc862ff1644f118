"""Small-number suppression for board members (issue 5): pure tests, no database.

Counts from 1 to 4 are shown as "fewer than 5"; anything that would let a reader work one out
(a total minus its other parts, a percentage with its total) is withheld too.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pathway import codes
from pathway.reports import (
    BREAKDOWNS,
    FEWER_THAN_5,
    KEYS,
    WITHHELD,
    financial_year,
    protect,
    quarters_in,
    suppress,
)


def report(**given) -> dict:
    """A report with every figure 0 (or None), then the figures given."""
    base = {key: ({code: 0 for code in BREAKDOWNS[key]} if key in BREAKDOWNS else 0) for key in KEYS}
    base["adjusted_within_26_weeks"] = 0
    for key in (*KEYS, "adjusted_within_26_weeks"):
        if key.endswith("_pct") or key in ("mean_weeks", "median_weeks", "section_20_median_days"):
            base[key] = None
    for key, value in given.items():
        if isinstance(value, dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


def test_counts_from_1_to_4_are_fewer_than_5_and_zero_and_5_are_shown():
    shown, _ = suppress(report(section_20_accommodated=4, children_entering_proceedings=5,
                               children_entering_care=0))  # fmt: skip
    assert shown["section_20_accommodated"] == FEWER_THAN_5
    assert shown["children_entering_proceedings"] == 5
    assert shown["children_entering_care"] == 0
    shown, _ = suppress(report(section_20_accommodated=1))
    assert shown["section_20_accommodated"] == FEWER_THAN_5


def test_a_part_is_withheld_when_the_total_minus_it_would_be_small():
    # 10 concluded, 7 within 26 weeks: 3 were not, so 7 (and its percentage) cannot be shown;
    # nor can the same figures for the 10 proceedings without a complexity extension.
    shown, _ = suppress(report(proceedings_concluded=10, within_26_weeks=7, within_26_weeks_pct=70.0,
                               extended=0, adjusted_proceedings=10, adjusted_within_26_weeks=7,
                               adjusted_within_26_weeks_pct=70.0))  # fmt: skip
    assert shown["proceedings_concluded"] == 10 and shown["adjusted_proceedings"] == 10
    assert shown["within_26_weeks"] == WITHHELD
    assert shown["within_26_weeks_pct"] == WITHHELD
    assert shown["adjusted_within_26_weeks_pct"] == WITHHELD
    # 10 of 10 within: nothing small to protect.
    shown, _ = suppress(report(proceedings_concluded=10, within_26_weeks=10, within_26_weeks_pct=100.0,
                               adjusted_proceedings=10, adjusted_within_26_weeks=10,
                               adjusted_within_26_weeks_pct=100.0))  # fmt: skip
    assert shown["within_26_weeks"] == 10 and shown["within_26_weeks_pct"] == 100.0
    assert shown["adjusted_within_26_weeks_pct"] == 100.0


def test_a_percentage_of_a_small_total_and_an_average_of_few_proceedings_are_withheld():
    shown, _ = suppress(report(proceedings_concluded=3, within_26_weeks=0, within_26_weeks_pct=0.0,
                               mean_weeks=30.1, median_weeks=29.0, adjusted_proceedings=3,
                               adjusted_within_26_weeks_pct=0.0))  # fmt: skip
    assert shown["proceedings_concluded"] == FEWER_THAN_5
    assert shown["within_26_weeks"] == 0  # zero reveals no one
    assert shown["within_26_weeks_pct"] == WITHHELD
    assert shown["mean_weeks"] == WITHHELD and shown["median_weeks"] == WITHHELD
    shown, _ = suppress(report(proceedings_concluded=5, within_26_weeks=0, within_26_weeks_pct=0.0,
                               mean_weeks=30.1, median_weeks=29.0, adjusted_proceedings=5))  # fmt: skip
    assert shown["mean_weeks"] == 30.1 and shown["within_26_weeks_pct"] == 0.0
    # No proceedings: nothing to withhold, the average is simply not there.
    shown, _ = suppress(report())
    assert shown["mean_weeks"] is None and shown["within_26_weeks_pct"] is None


def test_one_small_row_of_a_breakdown_takes_the_next_smallest_with_it():
    orders = {"care_order": 10, "sgo": 2, "placement_order": 6}
    ethnicity = {"white": 18}
    bands = {"5_9": 18}
    shown, _ = suppress(report(proceedings_concluded=9, adjusted_proceedings=9, orders_by_type=orders,
                               concluded_children_by_ethnicity_group=ethnicity,
                               concluded_children_by_age_band=bands))  # fmt: skip
    # 18 children in all (the other breakdowns show it): sgo 2 is small; with placements shown
    # it would be 18 - 10 - 6. So placement orders (the next smallest) are withheld as well.
    assert shown["orders_by_type"]["sgo"] == FEWER_THAN_5
    assert shown["orders_by_type"]["placement_order"] == WITHHELD
    assert shown["orders_by_type"]["care_order"] == 10
    assert shown["orders_by_type"]["withdrawn"] == 0


def test_extension_reasons_are_protected_within_their_category():
    # Complexity 7 = kinship 5 + international 2: 2 is small, so kinship is withheld too.
    # The categories: complexity 7, system 6 (court listing 6).
    shown, _ = suppress(report(
        extensions_by_reason={"kinship_assessment": 5, "international": 2, "court_listing": 6},
        extensions_by_category={"complexity": 7, "system": 6},
    ))  # fmt: skip
    assert shown["extensions_by_reason"]["international"] == FEWER_THAN_5
    assert shown["extensions_by_reason"]["kinship_assessment"] == WITHHELD
    assert shown["extensions_by_reason"]["court_listing"] == 6
    assert shown["extensions_by_category"] == {"complexity": 7, "non_compliance": 0, "system": 6, "other": 0}


def test_a_small_quarter_is_not_revealed_by_the_year_minus_the_other_quarters():
    year = financial_year(2025)
    quarters = quarters_in(year)
    concluded = [12, 3, 9, 8]  # the year: 32

    def row(q, n):
        return {"period": q, "proceedings_concluded": n, "mean_weeks": 30.0 if n else None,
                "median_weeks": 30.0 if n else None, "within_26_weeks": 0, "within_26_weeks_pct": 0.0,
                "adjusted_proceedings": n, "adjusted_within_26_weeks": 0, "adjusted_within_26_weeks_pct": 0.0}

    trend = [row(q, n) for q, n in zip(quarters, concluded)]
    shown, rows = suppress(report(proceedings_concluded=32, adjusted_proceedings=32), trend,
                           [q.key for q in quarters])  # fmt: skip
    assert shown["proceedings_concluded"] == 32
    assert [r["proceedings_concluded"] for r in rows] == [12, FEWER_THAN_5, 9, WITHHELD]
    assert rows[1]["mean_weeks"] == WITHHELD and rows[3]["mean_weeks"] == WITHHELD
    assert rows[1]["within_26_weeks_pct"] == WITHHELD and rows[0]["within_26_weeks_pct"] == 0.0


def test_protect_withholds_the_smallest_figure_that_reveals_a_small_one():
    # 4 = 4 + 0: the part and the total are small (primary).
    assert protect({"t": 4, "a": 4, "b": 0}, [("t", ["a", "b"])]) == {"t", "a"}
    # A hidden remainder of 9: nothing to protect.
    assert protect({"t": 9, "a": 0, "h": 9}, [("t", ["a", "h"])], hidden={"h"}) == set()
    # A hidden remainder of 3 = 9 - 6: withhold the 6 (smaller than the total).
    assert protect({"t": 9, "p": 6, "h": 3}, [("t", ["p", "h"])], hidden={"h"}) == {"p"}
    # 3 = 9 - 0: withholding the zero would hide nothing worth hiding; withhold the total.
    assert protect({"t": 9, "z": 0, "h": 3}, [("t", ["z", "h"])], hidden={"h"}) == {"t"}
    # Two steps: a hidden total (12 = 8 + 4) revealed by another sum (12 = 6 + 6).
    values = {"h": 12, "a": 8, "b": 4, "c": 6, "d": 6}
    assert protect(values, [("h", ["a", "b"]), ("h", ["c", "d"])], hidden={"h"}) == {"b", "a"}


# --------------------------------------------------------------------------------------------
# Whatever the figures, a reader doing sums cannot find a count from 1 to 4
# --------------------------------------------------------------------------------------------


def _partition(draw, total: int, codes_: list[str]) -> dict[str, int]:
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=len(codes_) - 1, max_size=len(codes_) - 1)))
    bounds = [0, *cuts, total]
    return {c: bounds[i + 1] - bounds[i] for i, c in enumerate(codes_)}


@st.composite
def reports(draw):
    n = draw(st.integers(0, 40))
    within = draw(st.integers(0, n))
    adjusted = draw(st.integers(0, n))
    complexity = n - adjusted  # proceedings with a complexity extension
    adjusted_within = draw(st.integers(max(0, within - complexity), min(adjusted, within)))
    extended = draw(st.integers(complexity, n))
    parties = draw(st.integers(n, 2 * n))
    extensions = draw(st.integers(extended, 2 * extended))
    reasons = _partition(draw, extensions, list(codes.EXTENSION_REASONS))
    categories = {c: sum(v for r, v in reasons.items() if codes.extension_category(r) == c)
                  for c in codes.EXTENSION_CATEGORIES}  # fmt: skip
    entering = draw(st.integers(0, 30))
    new_proceedings = draw(st.integers(0, 30))
    return report(
        proceedings_concluded=n, within_26_weeks=within, within_26_weeks_pct=100.0 * within / n if n else None,
        extended=extended, adjusted_proceedings=adjusted, adjusted_within_26_weeks=adjusted_within,
        adjusted_within_26_weeks_pct=100.0 * adjusted_within / adjusted if adjusted else None,
        extensions_by_reason=reasons, extensions_by_category=categories,
        orders_by_type=_partition(draw, parties, list(codes.ORDER_TYPES)),
        concluded_children_by_ethnicity_group=_partition(draw, parties, list(codes.ETHNICITY_GROUPS)),
        concluded_children_by_age_band=_partition(draw, parties, list(BREAKDOWNS["concluded_children_by_age_band"])),
        children_entering_care=entering, fgc_offered_before_care=draw(st.integers(0, entering)),
        emergency_entries=draw(st.integers(0, entering)),
        children_entering_proceedings=new_proceedings,
        children_returning_to_proceedings=draw(st.integers(0, new_proceedings)),
    )  # fmt: skip


def reader_knows(shown: dict, true: dict) -> dict:
    """Everything a reader of the page can work out, by the sums a reader would try."""
    known = {}
    for key, value in shown.items():
        if isinstance(value, dict):
            known.update({f"{key}.{c}": v for c, v in value.items() if isinstance(v, int)})
        elif isinstance(value, int) and not isinstance(value, bool) and not key.endswith("_pct"):
            known[key] = value
    # A percentage shown with its total gives its count.
    for pct_key, (part, whole) in {
        "within_26_weeks_pct": ("within_26_weeks", "proceedings_concluded"),
        "adjusted_within_26_weeks_pct": ("adjusted_within_26_weeks", "adjusted_proceedings"),
        "fgc_offered_before_care_pct": ("fgc_offered_before_care", "children_entering_care"),
        "children_returning_to_proceedings_pct": ("children_returning_to_proceedings", "children_entering_proceedings"),
    }.items():
        if isinstance(shown[pct_key], float) and whole in known:
            known[part] = true[part]
    sums = [
        ("proceedings_concluded", ["within_26_weeks", "not_within"]),
        ("proceedings_concluded", ["extended", "not_extended"]),
        ("proceedings_concluded", ["adjusted_proceedings", "with_complexity"]),
        ("adjusted_proceedings", ["adjusted_within_26_weeks", "adjusted_not_within"]),
        ("within_26_weeks", ["adjusted_within_26_weeks", "within_with_complexity"]),
        ("children_entering_care", ["fgc_offered_before_care", "no_fgc_before_care"]),
        ("children_entering_care", ["emergency_entries", "planned_entries"]),
        ("children_entering_proceedings", ["children_returning_to_proceedings", "first_proceedings"]),
        ("extensions", [f"extensions_by_category.{c}" for c in codes.EXTENSION_CATEGORIES]),
        *[(f"extensions_by_category.{c}",
           [f"extensions_by_reason.{r}" for r in codes.EXTENSION_REASONS if codes.extension_category(r) == c])
          for c in codes.EXTENSION_CATEGORIES],
        *[("children", [f"{key}.{c}" for c in BREAKDOWNS[key]])
          for key in ("orders_by_type", "concluded_children_by_ethnicity_group", "concluded_children_by_age_band")],
    ]  # fmt: skip
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            unknown = [x for x in [total, *parts] if x not in known]
            if len(unknown) != 1:
                continue
            (x,) = unknown
            if x == total:
                known[x] = sum(known[p] for p in parts)
            else:
                known[x] = known[total] - sum(known[p] for p in parts if p != x)
            changed = True
    return known


@settings(max_examples=300, deadline=None)
@given(reports())
def test_no_count_from_1_to_4_can_be_worked_out(true):
    shown, _ = suppress(true)
    known = reader_knows(shown, true)
    small = {k: v for k, v in known.items() if 1 <= v <= 4}
    assert not small, (small, shown)


def test_suppress_leaves_no_raw_small_number_on_the_board_row():
    shown, _ = suppress(report(proceedings_concluded=2, adjusted_proceedings=2, within_26_weeks=1))
    for key, value in shown.items():
        values = value.values() if isinstance(value, dict) else [value]
        assert not any(isinstance(v, int) and 1 <= v <= 4 for v in values), key


def test_a_count_only_a_combination_of_sums_reveals_is_protected_by_its_smallest_neighbour():
    """No single sum has one unknown, but t1 + t2 - t3 = 2a gives a = 2: withhold the smallest
    shown figure in a sum with `a` (t1), unless `keep` prefers another; a large `a` needs nothing."""
    equations = [("t1", ["a", "b"]), ("t2", ["a", "c"]), ("t3", ["b", "c"])]
    values = {"a": 2, "b": 7, "c": 8, "t1": 9, "t2": 10, "t3": 15}
    assert protect(values, equations, hidden={"b", "c"}) == {"a", "t1"}
    assert protect(values, equations, hidden={"b", "c"}, keep=lambda cell: (cell != "t2", str(cell))) == {"a", "t2"}
    assert protect({**values, "a": 12, "t1": 19, "t2": 20}, equations, hidden={"b", "c"}) == set()
    # With t1 withheld too the system no longer fixes a: nothing more is needed.
    assert protect(values, equations, hidden={"b", "c", "t1"}) == {"a"}


def test_the_neighbour_search_goes_outwards_when_every_sum_with_the_cell_is_hidden():
    """`a`'s own sums hold only hidden or withheld cells; the figure withheld is in a sum with
    those, one step further out."""
    equations = [("h1", ["a", "b"]), ("h2", ["a", "c"]), ("h3", ["b", "c"]),
                 ("t1", ["h1", "x"]), ("t2", ["h2", "y"]), ("t3", ["h3", "z"])]
    values = {"a": 2, "b": 7, "c": 8, "h1": 9, "h2": 10, "h3": 15, "x": 0, "y": 0, "z": 0,
              "t1": 9, "t2": 10, "t3": 15}
    hidden = {"b", "c", "h1", "h2", "h3"}
    withheld = protect(values, equations, hidden=hidden)
    assert "a" in withheld and withheld & {"t1", "t2"}
    assert not withheld & {"x", "y", "z"}  # a zero is never the figure withheld
