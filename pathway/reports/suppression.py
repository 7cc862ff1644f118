"""Suppression: what a board member may see, and suppression that holds across pages."""
from __future__ import annotations

import heapq
from collections import defaultdict
from fractions import Fraction
from typing import Callable, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..messages import N_
from ..models import Event, LocalAuthority
from .definitions import SMALL
from .periods import financial_year, financial_year_of, Period, quarters_in, today_of_the_application
from .sql import Scope
from .figures import figures, TREND_KEYS


FEWER_THAN_5 = N_("fewer than 5")  # in the figures as shown; translated on display
WITHHELD = N_("withheld")

SUPPRESSION_RULE = N_(
    "Counts from 1 to 4 are shown as \u201cfewer than 5\u201d, so that no child or family can be "
    "recognised. Where a small count could still be worked out by subtraction (a total minus the "
    "other parts of it, such as proceedings concluded minus those finished within 26 weeks, or a "
    "breakdown with one hidden row), we also withhold the next smallest count in that sum, shown as "
    "\u201cwithheld\u201d. A percentage is withheld when its count or its total is hidden, and an "
    "average (mean or median) is withheld when it is over fewer than 5 proceedings or children, "
    "or their number is hidden. Zero is shown as 0."
)

Cell = tuple  # (group, name): group "main" for the period, a quarter's key for the trend


def protect(values: dict, equations: list[tuple[object, list]], hidden: Iterable = (),
            keep: Callable[[object], tuple] | None = None) -> set:
    """The shown cells to suppress. `values` maps every cell to its count; each equation
    (total, parts) says total = sum(parts). `hidden` cells are not on the page (remainders such
    as "concluded but not within 26 weeks", totals such as all extensions) but a reader can work
    them out, so they are protected like any other.

    Primary: every shown cell from 1 to 4. Secondary: work out everything a reader could, by
    solving any sum with exactly one unknown; while that reveals a count from 1 to 4, withhold
    the smallest non-zero shown figure the revealing sum used (or one it used in turn), a
    detail before a headline count. Then
    the same for any combination of sums (exact linear algebra: a table minus its margins can
    fix a cell that no single sum does), withholding the smallest shown figure next to it.
    `keep(cell)` orders each choice first (default: a detail before a headline count)."""
    hidden = set(hidden)
    keep = keep or _headline_last
    shown = [cell for cell in values if cell not in hidden]
    suppressed = {cell for cell in shown if values[cell] in SMALL}
    by_cell: dict | None = None
    while True:
        derived_by = _derivable(equations, [cell for cell in shown if cell not in suppressed])
        leaks = [cell for cell in derived_by if values[cell] in SMALL]
        if leaks:
            # One withholding per revealing sum in a round (a sum already broken this round
            # waits for the next), then work out again: the same protection in a few rounds.
            withheld_now: set = set()
            for leak in leaks:
                if withheld_now and withheld_now.intersection(_worked_out_from(leak, derived_by)):
                    continue
                cell = _to_withhold(leak, derived_by, values, hidden, suppressed, keep)
                suppressed.add(cell)
                withheld_now.add(cell)
            continue
        # Sums with one unknown are not all a reader can do: subtracting one sum from another
        # (a table and its margins) can fix a cell no single sum does. Solve exactly.
        fixed = _fixed_by_any_combination(equations, suppressed | hidden)
        leak = min((cell for cell in fixed if values[cell] in SMALL), key=str, default=None)
        if leak is None:
            return suppressed
        if by_cell is None:
            by_cell = defaultdict(list)
            for total, parts in equations:
                for member in (total, *parts):
                    by_cell[member].append((total, *parts))
        suppressed.add(_neighbour_to_withhold(leak, by_cell, values, hidden, suppressed, keep))


def _fixed_by_any_combination(equations, unknown: set) -> set:
    """The unknown cells that the sums fix, whatever the other unknowns: reduced row echelon
    form over the rationals of the sums restricted to the unknowns; a cell is fixed when its
    pivot row holds nothing else."""
    pivots: dict = {}
    holders: dict = defaultdict(set)  # cell -> pivots whose rows mention it
    for total, parts in equations:
        row: dict = {}
        for cell, sign in ((total, 1), *((p, -1) for p in parts)):
            if cell in unknown:
                row[cell] = row.get(cell, 0) + sign
        row = {c: Fraction(v) for c, v in row.items() if v}
        for cell in [c for c in row if c in pivots]:
            factor = row.get(cell)
            if factor:
                for other, coefficient in pivots[cell].items():
                    row[other] = row.get(other, 0) - factor * coefficient
                row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        lead_cell = min(row, key=str)
        lead = row[lead_cell]
        row = {c: v / lead for c, v in row.items()}
        for pivot in list(holders.get(lead_cell, ())):
            other = pivots[pivot]
            factor = other.get(lead_cell)
            if not factor:
                continue
            for cell, coefficient in row.items():
                other[cell] = other.get(cell, 0) - factor * coefficient
                holders[cell].add(pivot)
            pivots[pivot] = {c: v for c, v in other.items() if v}
        for cell in row:
            holders[cell].add(lead_cell)
        pivots[lead_cell] = row
    return {cell for cell, row in pivots.items() if len(row) == 1}


# Secondary suppression withholds a detail (a breakdown's cell, a remainder) before a headline
# count whenever either would do: the headline is what a board reads first. Any choice protects
# equally (the search goes on until nothing small can be worked out); this one keeps the headline.
PREFER_TO_SHOW = frozenset({
    "proceedings_concluded", "within_26_weeks", "adjusted_proceedings", "adjusted_within_26_weeks",
    "children_entering_care", "fgc_offered_before_care", "children_entering_proceedings",
    "moj_children_disposed", "moj_within_26_weeks",
})


def _name(cell):
    return cell[1] if isinstance(cell, tuple) and len(cell) == 2 else cell


def _headline_last(cell) -> tuple:
    return (_name(cell) in PREFER_TO_SHOW,)


def running_first(running: set) -> Callable[[object], tuple]:
    """`keep` for a block of groups "period key|scope": a detail first, then a headline count of
    a period in `running` (not over yet), then one of a period that is over."""

    def keep(cell) -> tuple:
        headline = _name(cell) in PREFER_TO_SHOW
        return (headline, headline and cell[0].split("|", 1)[0] not in running)

    return keep


def _choose(candidates: list, values: dict, keep):
    """The figure to withhold: the first by `keep`, then the smallest non-zero (a zero reveals no one)."""
    pool = [m for m in candidates if values[m] > 0] or candidates
    return min(pool, key=lambda m: (keep(m), values[m], str(m)))


def _neighbour_to_withhold(cell, by_cell: dict, values: dict, hidden: set, suppressed: set, keep):
    """The smallest non-zero shown figure in a sum with `cell` (or, if none, in a sum with those
    sums' unknowns, and so on outwards); a detail before a headline count (PREFER_TO_SHOW)."""
    frontier, seen = [cell], {cell}
    while frontier:
        candidates, further = [], []
        for current in frontier:
            for equation in by_cell.get(current, ()):
                for member in equation:
                    if member in seen:
                        continue
                    seen.add(member)
                    if member in hidden or member in suppressed:
                        further.append(member)
                    else:
                        candidates.append(member)
        if candidates:
            return _choose(candidates, values, keep)
        frontier = further
    raise AssertionError(f"{cell} is fixed by nothing shown")  # cannot happen


def _derivable(equations, visible: list) -> dict:
    """Cells a reader can work out from the visible ones, each with the sum that gives it.

    Sweeps the sums in order, again and again, solving each sum left with one unknown, until a
    sweep solves nothing; done with a count of unknowns per sum, so that each solved cell only
    revisits the sums it is in (the same cells, found by the same sums, as the plain sweeps)."""
    known = set(visible)
    members_of = [(total, *parts) for total, parts in equations]
    unknowns = [0] * len(members_of)
    sums_with: dict = defaultdict(list)
    for index, members in enumerate(members_of):
        for member in members:
            if member not in known:
                unknowns[index] += 1
                sums_with[member].append(index)
    this_sweep = [index for index, count in enumerate(unknowns) if count == 1]
    next_sweep: list = []
    derived_by: dict = {}
    position = -1
    while this_sweep or next_sweep:
        if not this_sweep:
            this_sweep, next_sweep, position = sorted(set(next_sweep)), [], -1
            heapq.heapify(this_sweep)
        index = heapq.heappop(this_sweep)
        if unknowns[index] != 1:
            continue
        position = index
        members = members_of[index]
        cell = next(m for m in members if m not in known)
        known.add(cell)
        derived_by[cell] = list(members)
        for other in sums_with[cell]:
            unknowns[other] -= 1
            if unknowns[other] == 1:
                if other > position:
                    heapq.heappush(this_sweep, other)
                else:
                    next_sweep.append(other)
    return derived_by


def _worked_out_from(cell, derived_by: dict) -> set:
    """Every figure the working out of `cell` uses, through the sums that gave its unknowns."""
    used, frontier = set(), [cell]
    while frontier:
        current = frontier.pop()
        for member in derived_by.get(current, ()):
            if member not in used:
                used.add(member)
                if member in derived_by and member != current:
                    frontier.append(member)
    return used


def _to_withhold(cell, derived_by: dict, values: dict, hidden: set, suppressed: set, keep):
    """A shown figure whose withholding stops `cell` being worked out (nearest sums first)."""
    frontier, seen = [cell], {cell}
    while frontier:
        candidates, further = [], []
        for current in frontier:
            for member in derived_by.get(current, ()):
                if member in seen:
                    continue
                seen.add(member)
                if member in hidden or member in derived_by:
                    further.append(member)
                if member not in hidden and member not in suppressed:
                    candidates.append(member)
        if candidates:
            return _choose(candidates, values, keep)
        frontier = further
    raise AssertionError(f"{cell} is derivable from nothing shown")  # cannot happen


_PERCENTAGES = {
    "within_26_weeks_pct": ("within_26_weeks", "proceedings_concluded"),
    "adjusted_within_26_weeks_pct": ("adjusted_within_26_weeks", "adjusted_proceedings"),
    "fgc_offered_before_care_pct": ("fgc_offered_before_care", "children_entering_care"),
    "children_returning_to_proceedings_pct": ("children_returning_to_proceedings", "children_entering_proceedings"),
    "cmh_by_day_18_pct": ("cmh_by_day_18", "proceedings_concluded"),
    "moj_within_26_weeks_pct": ("moj_within_26_weeks", "moj_children_disposed"),
    # FGC service (issue 13).
    "fgc_private_family_time_pct": ("fgc_private_family_time", "fgc_conferences_held"),
    "fgc_held_before_care_pct": ("fgc_held_before_care", "children_entering_care"),
}
_AVERAGES = {"mean_weeks": "proceedings_concluded", "median_weeks": "proceedings_concluded",
             "section_20_median_days": "section_20_accommodated",
             "hearings_per_concluded_proceedings": "proceedings_concluded",
             "fdac_mean_weeks": "fdac_proceedings_concluded",
             "emergency_protection_median_days": "emergency_protection_episodes",
             "moj_mean_weeks": "moj_children_disposed", "moj_median_weeks": "moj_children_disposed",
             "cafcass_mean_weeks": "proceedings_concluded",
             # FGC service (issue 13).
             "fgc_referral_to_conference_median_working_days": "fgc_held_after_referral"}  # fmt: skip
# FGC service (issue 13): its (total, part) pairs, appended to _PARTS.
FGC_PARTS = (
    ("fgc_offered", "fgc_accepted"), ("fgc_offered", "fgc_referred"), ("fgc_offered", "fgc_held"),
    ("fgc_offered", "fgc_plan_accepted"), ("fgc_offered", "fgc_reviewed"), ("fgc_accepted", "fgc_referred"),
    ("fgc_held", "fgc_plan_accepted"), ("fgc_held", "fgc_reviewed"),
    ("fgc_conferences_held", "fgc_held_after_referral"), ("fgc_conferences_held", "fgc_private_family_time"),
    ("children_entering_care", "fgc_held_before_care"), ("fgc_offered_before_care", "fgc_held_before_care"),
)
# (total, part) pairs: the part, and the remainder (total - part), are both protected.
_PARTS = (
    ("proceedings_concluded", "within_26_weeks"),
    ("proceedings_concluded", "extended"),
    ("proceedings_concluded", "adjusted_proceedings"),
    ("adjusted_proceedings", "adjusted_within_26_weeks"),
    ("within_26_weeks", "adjusted_within_26_weeks"),
    ("children_entering_care", "fgc_offered_before_care"),
    ("children_entering_care", "emergency_entries"),
    ("children_entering_proceedings", "children_returning_to_proceedings"),
    ("children_entering_proceedings", "entering_proceedings_father_recorded"),
    ("children_entering_proceedings", "entering_proceedings_father_pr"),
    ("entering_proceedings_father_recorded", "entering_proceedings_father_pr"),
    ("children_entering_proceedings", "entering_proceedings_relative_assessed"),
    ("children_entering_proceedings", "entering_proceedings_recurrent_parent"),
    ("parents_entering_proceedings", "parents_learning_disability"),
    ("parents_entering_proceedings", "parents_care_experienced"),
    ("proceedings_concluded", "cmh_by_day_18"),
    ("proceedings_concluded", "fdac_proceedings_concluded"),
    ("fdac_proceedings_concluded", "fdac_within_26_weeks"),
    ("within_26_weeks", "fdac_within_26_weeks"),
    ("moj_children_disposed", "moj_within_26_weeks"),
    ("children_returning_to_proceedings", "fdac_children_returning_to_proceedings"),
    # FGC service (issue 13).
    *FGC_PARTS,
)
_TREND_COUNTS = ("proceedings_concluded", "within_26_weeks", "adjusted_proceedings", "adjusted_within_26_weeks")


def _add_parts(group, figures: dict, values: dict, equations: list, hidden: set, pairs) -> None:
    for total, part in pairs:
        if total not in figures or part not in figures:
            continue
        rest = (group, f"{total} - {part}")
        values[rest] = figures[total] - figures[part]
        hidden.add(rest)
        equations.append(((group, total), [(group, part), rest]))


def _report_cells(group: str, report: dict, values: dict, equations: list, hidden: set) -> None:
    """The cells and sums of one period's figures for one scope (`report`, from `figures`)."""
    for key, value in report.items():
        if key == "period":
            continue
        if isinstance(value, dict):
            for code, n in value.items():
                values[(group, f"{key}.{code}")] = n
        elif key not in _PERCENTAGES and key not in _AVERAGES:
            values[(group, key)] = value
    _add_parts(group, report, values, equations, hidden, _PARTS)
    # Breakdowns: each list adds up to a total that other figures reveal.
    if "extensions_by_category" in report:
        values[(group, "extensions:total")] = sum(report["extensions_by_category"].values())
        hidden.add((group, "extensions:total"))
        equations.append(((group, "extensions:total"),
                          [(group, f"extensions_by_category.{c}") for c in report["extensions_by_category"]]))
        for category in report["extensions_by_category"]:
            reasons = [r for r, (_label, cat) in codes.EXTENSION_REASONS.items() if cat == category]
            equations.append(((group, f"extensions_by_category.{category}"),
                              [(group, f"extensions_by_reason.{r}") for r in reasons]))  # fmt: skip
    if "orders_by_type" in report:
        values[(group, "parties:total")] = sum(report["orders_by_type"].values())
        hidden.add((group, "parties:total"))
        for key in ("orders_by_type", "concluded_children_by_ethnicity_group", "concluded_children_by_age_band"):
            equations.append(((group, "parties:total"), [(group, f"{key}.{c}") for c in report[key]]))
    if "extensions_by_fpl_code" in report and "extensions_by_category" in report:
        equations.append(((group, "extensions:total"),
                          [(group, f"extensions_by_fpl_code.{c}") for c in report["extensions_by_fpl_code"]]))
    if "cafcass_weeks_bands" in report and "proceedings_concluded" in report:
        equations.append(((group, "proceedings_concluded"),
                          [(group, f"cafcass_weeks_bands.{b}") for b in report["cafcass_weeks_bands"]]))
    if "fgc_at_issue" in report and "children_entering_proceedings" in report:
        # Each child entering proceedings has one answer (a child entering twice in the period may
        # have two, when the sum exceeds the total and gives nothing away).
        equations.append(((group, "children_entering_proceedings"),
                          [(group, f"fgc_at_issue.{c}") for c in report["fgc_at_issue"]]))


def suppression_cells(report: dict, trend: list[dict] = (), in_period: Iterable[str] = ()) -> tuple:
    """The cells, equations and hidden cells of a board page: the period's figures (`report`,
    from `figures`), the quarterly trend rows, and which trend quarters (keys) make up the period."""
    values, equations, hidden = {}, [], set()
    _report_cells("main", report, values, equations, hidden)
    in_period = list(in_period)
    for row in trend:
        group = row["period"].key
        for key in _TREND_COUNTS:
            values[(group, key)] = row[key]
        _add_parts(group, row, values, equations, hidden, _PARTS[:5])
    if in_period:
        for key in _TREND_COUNTS:
            equations.append((("main", key), [(q, key) for q in in_period]))
    return values, equations, hidden


def _display(group: str, figures: dict, suppressed: set) -> dict:
    shown = {}
    for key, value in figures.items():
        if key == "period":
            shown[key] = value
        elif isinstance(value, dict):
            shown[key] = {code: _count((group, f"{key}.{code}"), n, suppressed) for code, n in value.items()}
        elif key in _PERCENTAGES:
            numerator, denominator = _PERCENTAGES[key]
            hide = (group, numerator) in suppressed or (group, denominator) in suppressed
            shown[key] = WITHHELD if hide and value is not None else value
        elif key in _AVERAGES:
            count = figures[_AVERAGES[key]]
            hide = (group, _AVERAGES[key]) in suppressed or 0 < count < 5
            shown[key] = WITHHELD if hide and value is not None else value
        else:
            shown[key] = _count((group, key), value, suppressed)
    return shown


def _count(cell, value: int, suppressed: set):
    if cell not in suppressed:
        return value
    return FEWER_THAN_5 if value in SMALL else WITHHELD


def suppress(report: dict, trend: list[dict] = (), in_period: Iterable[str] = ()) -> tuple[dict, list[dict]]:
    """What a board member sees: the period's figures and the trend rows with small counts, and
    anything that would reveal them, replaced by FEWER_THAN_5 or WITHHELD (see SUPPRESSION_RULE)."""
    values, equations, hidden = suppression_cells(report, trend, in_period)
    suppressed = protect(values, equations, hidden)
    return (_display("main", report, suppressed),
            [_display(row["period"].key, row, suppressed) for row in trend])  # fmt: skip


# --------------------------------------------------------------------------------------------
# Suppression that holds across pages: one decision per figure, whichever page shows it
# --------------------------------------------------------------------------------------------
#
# A board member can open the page (and CSV) for their designated family judge area and for each
# authority in it, for a financial year and for each of its quarters, and each page shows a
# trend of quarters. Suppressing each page on its own leaves sums across pages: the area minus
# the other authorities, the year minus its other quarters. So the figures of one area and one
# financial year form a block: every period (the year and its four quarters) for every scope
# (the area and each authority), with the sums inside each page plus area = sum of authorities
# and year = sum of quarters for every count, suppressed together by `protect`. Every page takes
# its decisions from the blocks of the years it shows, so a figure is shown, or not, the same
# way wherever it appears.


def group_key(period_key: str, scope_key: str) -> str:
    return f"{period_key}|{scope_key}"


def area_block(session: Session, dfj_area: str, year: int, shared: dict | None = None) -> tuple[set, dict]:
    """(suppressed cells, reports by group) for designated family judge area `dfj_area` and the
    financial year starting in April `year`. Groups are "period key|scope key", scope keys
    "dfj:<area>" or "la:<code>". The comparisons (a nation, England and Wales) are the same
    national figures for every area: `shared` keeps them (`_compared_figures`)."""
    fy = financial_year(year)
    periods = [fy, *quarters_in(fy)]
    la_codes = session.scalars(
        select(LocalAuthority.code).where(LocalAuthority.dfj_area == dfj_area).order_by(LocalAuthority.code)
    ).all()  # fmt: skip
    scopes = [(f"dfj:{dfj_area}", Scope(dfj_area=dfj_area))] + [(f"la:{c}", Scope(la_code=c)) for c in la_codes]
    # The comparisons on the same page (issue 14): the area's nation, and England and Wales.
    compared = [(key, scope) for key, _label, scope in comparison_scopes(session, dfj_area)]
    values, equations, hidden, by_group = {}, [], set(), {}
    national = _national_version(session) if compared else None
    for period in periods:
        for scope_key, scope in scopes:
            by_group[group_key(period.key, scope_key)] = figures(session, period.start, period.end, scope)
        for scope_key, scope in compared:
            by_group[group_key(period.key, scope_key)] = _compared_figures(session, scope_key, scope, period,
                                                                           national, shared)
        for scope_key, _scope in [*scopes, *compared]:
            group = group_key(period.key, scope_key)
            _report_cells(group, by_group[group], values, equations, hidden)
    area_key = scopes[0][0]
    names = [name for (group, name) in values if group == group_key(fy.key, area_key)]
    for name in names:
        if len(scopes) > 1:  # the area is the sum of its authorities, in every period
            for period in periods:
                equations.append(((group_key(period.key, area_key), name),
                                  [(group_key(period.key, k), name) for k, _s in scopes[1:]]))  # fmt: skip
        for scope_key, _scope in [*scopes, *compared]:  # the year is the sum of its quarters, in every scope
            equations.append(((group_key(fy.key, scope_key), name),
                              [(group_key(q.key, scope_key), name) for q in periods[1:]]))  # fmt: skip
        # A comparison is the area plus everyone else, whom the reader does not see: the rest
        # of the nation, and the other nation of England and Wales, are protected unknowns.
        inner = area_key
        for outer, _scope in compared:
            for period in periods:
                total, part = group_key(period.key, outer), group_key(period.key, inner)
                if (total, name) not in values or (part, name) not in values:
                    continue
                rest = (group_key(period.key, f"rest:{outer}"), name)
                values[rest] = values[(total, name)] - values[(part, name)]
                hidden.add(rest)
                equations.append(((total, name), [(part, name), rest]))
            inner = outer
    # A headline count of a period still running (the year to date, the current quarter) is
    # withheld before one of a period that is over: the board's quarters stay whole.
    today = today_of_the_application()
    running = {p.key for p in periods if p.is_partial(today)}
    return protect(values, equations, hidden, running_first(running)), by_group


def _national_version(session: Session) -> tuple:
    """Changes whenever a national figure can: the number and the last id of every event."""
    return tuple(session.execute(select(func.count(Event.id), func.max(Event.id))).one())


def _compared_figures(session: Session, scope_key: str, scope: Scope, period: Period, version: tuple,
                      shared: dict | None) -> dict:
    """The figures of a comparison (a nation, or England and Wales) for the period: national
    reports, the same for every area's block, so kept in `shared` by the national data version
    and the day (a figure such as the outcomes six months on counts the days that have come)."""
    if shared is None:
        return figures(session, period.start, period.end, scope)
    key = ("compared", scope_key, period.key, period.start, period.end, version, today_of_the_application())
    if key not in shared:
        _make_room(shared)
        shared[key] = figures(session, period.start, period.end, scope)
    return shared[key]


def _make_room(kept: dict) -> None:
    """A few areas, years and comparisons per worker: forget the oldest."""
    while len(kept) >= 64:
        kept.pop(next(iter(kept)))


def _block(session: Session, dfj_area: str, year: int, version: tuple, blocks: dict,
           compared: dict | None) -> tuple[set, dict]:
    """The area's block for the year, from `blocks` while the area's data (`version`) and the day
    are the same: the running periods and the outcomes six months on depend on the day too."""
    key = (dfj_area, year, version, today_of_the_application())
    if key not in blocks:
        block = area_block(session, dfj_area, year, compared)
        _make_room(blocks)
        blocks[key] = block
    return blocks[key]


def comparison_scopes(session: Session, dfj_area: str) -> list[tuple[str, str, "Scope"]]:
    """(scope key, label, scope) of what an area is compared with: its nation (when its
    authorities are all in one), then England and Wales together."""
    nations = sorted(set(session.scalars(select(LocalAuthority.nation).where(LocalAuthority.dfj_area == dfj_area))))
    found = [(f"nation:{n}", codes.NATIONS[n], Scope(nation=n)) for n in nations if len(nations) == 1]
    return found + [("all", N_("England and Wales"), Scope())]


def comparison(session: Session, dfj_area: str, period: Period, blocks: dict | None = None,
               compared: dict | None = None) -> list[tuple]:
    """(scope key, label, figures as shown) for the area, each of its authorities, its nation
    and England and Wales, for a year or a quarter, under the area's block's suppression."""
    blocks = {} if blocks is None else blocks
    suppressed, by_group = _block(session, dfj_area, financial_year_of(period.start),
                                  area_data_version(session, dfj_area), blocks, compared)
    la = session.execute(
        select(LocalAuthority.code, LocalAuthority.name).where(LocalAuthority.dfj_area == dfj_area)
        .order_by(LocalAuthority.code)
    ).all()  # fmt: skip
    columns = [(f"dfj:{dfj_area}", dfj_area)] + [(f"la:{code}", name) for code, name in la]
    columns += [(k, label) for k, label, _scope in comparison_scopes(session, dfj_area)]
    return [(k, label, _display(group_key(period.key, k), by_group[group_key(period.key, k)], suppressed))
            for k, label in columns]


def area_data_version(session: Session, dfj_area: str) -> tuple:
    """Changes whenever the area's figures can: its authorities, and the number and the last id
    of their events (the history is append-only and every figure is worked out from it)."""
    la_ids = tuple(session.scalars(
        select(LocalAuthority.id).where(LocalAuthority.dfj_area == dfj_area).order_by(LocalAuthority.id)
    ))  # fmt: skip
    count, last = session.execute(
        select(func.count(Event.id), func.max(Event.id)).where(Event.la_id.in_(la_ids))
    ).one()  # fmt: skip
    return la_ids, count, last


def _blocks_shown(session: Session, dfj_area: str, periods: list[Period], blocks: dict | None,
                  compared: dict | None) -> tuple[set, dict]:
    """The decisions and the figures of the area's blocks for every financial year in which one of
    `periods` starts (worked out, or taken from `blocks` while the area's data and the day are
    the same)."""
    blocks = {} if blocks is None else blocks
    version = area_data_version(session, dfj_area)
    suppressed: set = set()
    by_group: dict = {}
    for year in sorted({financial_year_of(p.start) for p in periods}):
        decided, groups = _block(session, dfj_area, year, version, blocks, compared)
        suppressed |= decided
        by_group.update(groups)
    return suppressed, by_group


def suppress_in_area(session: Session, dfj_area: str, scope_key: str, period: Period, report: dict,
                     trend: list[dict], blocks: dict | None = None,
                     compared: dict | None = None) -> tuple[dict, list[dict]]:
    """What a board member sees on the page for `period` and scope `scope_key` ("dfj:<area>" or
    "la:<code>", an authority in `dfj_area`), with the decisions of the area's blocks for every
    year the page shows. `blocks` keeps blocks by (area, year, data version, day): the same
    decisions until something is recorded for the area or the day changes (the board view keeps
    one per worker); `compared` keeps the comparisons' national figures."""
    suppressed, _by_group = _blocks_shown(session, dfj_area, [period, *(row["period"] for row in trend)], blocks,
                                          compared)
    return (_display(group_key(period.key, scope_key), report, suppressed),
            [_display(group_key(row["period"].key, scope_key), row, suppressed) for row in trend])  # fmt: skip


def area_page(session: Session, dfj_area: str, scope_key: str, period: Period, quarters: list[Period],
              blocks: dict | None = None, compared: dict | None = None) -> tuple[dict, list[dict]]:
    """`suppress_in_area` of the figures and the trend of `quarters` for `period` and scope
    `scope_key` (the area or one of its authorities), read from the area's blocks, which hold the
    figures of every period and scope they decide: a later view while nothing has been recorded
    for the area runs no report query at all."""
    suppressed, by_group = _blocks_shown(session, dfj_area, [period, *quarters], blocks, compared)
    group = group_key(period.key, scope_key)
    trend = []
    for q in quarters:
        row = by_group[group_key(q.key, scope_key)]
        trend.append(_display(group_key(q.key, scope_key), {"period": q, **{k: row[k] for k in TREND_KEYS}},
                              suppressed))
    return _display(group, by_group[group], suppressed), trend
