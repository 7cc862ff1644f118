"""Family Justice Board timescale reports (issue 5): definitions, periods, SQL and suppression.

Every figure is a SQL aggregate (COUNT, SUM, GROUP BY, window functions) over the projection
(`proceedings`, `proceedings_children`, `extensions`, `children`, `family_group_conferences`,
`hearings`, the family network) and the report facts stored with it by each step (`facts`, issue
17: durations, the 26-week and extension facts, ethnicity group and age band at issue, the FGC
answer on entering care, `care_episodes` and `fgc_outcomes`), never over the events. Nothing
loads one row per case into Python: the queries return one row per figure or per code, or a
histogram. Medians never fetch the durations themselves: for proceedings, a GROUP BY gives how
many took each number of days (a few hundred rows at most, however many proceedings) and the
median is read off that; for section 20/76 accommodations, ROW_NUMBER() and COUNT() window
functions pick the middle one or two values in SQL (SQLite 3.25+ and PostgreSQL).

The package, along those lines: `definitions` (what each figure means, the keys and code lists,
the arithmetic), `facts` (the stored facts, from a family's replayed state), `periods` (financial years and quarters), `sql` (portable SQL for dates, the
scope), `figures` (the queries and the report) and `suppression` (what a board member may see).
Every name is importable from `pathway.reports` as before.
"""
from __future__ import annotations

from .definitions import (  # noqa: F401
    SMALL,
    AGE_BANDS,
    _AGE_BAND_LIMITS,
    S20_ENDS,
    EMERGENCY_ENDS,
    RETURNS_HOME,
    CARE_ENTRIES,
    RETURN_WINDOW,
    FGC_KEYS,
    KEYS,
    CAFCASS_BANDS,
    BREAKDOWNS,
    _TENTH,
    one_decimal,
    pct,
    weeks,
    date_number,
    age_band,
)
from .periods import (  # noqa: F401
    Period,
    _QUARTER_MONTHS,
    financial_year_of,
    financial_year,
    quarter,
    quarter_of,
    quarters_in,
    quarters_between,
    trend_quarters,
    period_from_key,
    period_choices,
    latest_complete_period,
)
from .sql import (  # noqa: F401
    days_between,
    _days_between,
    _days_between_sqlite,
    date_num,
    _date_num,
    _date_num_sqlite,
    age_years,
    _age_years,
    _age_years_sqlite,
    earlier_of,
    _earlier_of,
    _earlier_of_sqlite,
    _sum,
    Scope,
    Authorities,
    scope_la_ids,
)
from .figures import (  # noqa: F401
    _DURATION,
    _concluded,
    _bucket,
    _proceedings_stats,
    _summarise,
    _median_weeks,
    _zeros,
    _proceedings_breakdowns,
    _entering_care,
    _section_20,
    _court,
    _emergency_protection,
    _median_days,
    _half_up,
    _national_definitions,
    _episodes,
    _after_care,
    _family_network,
    _fgc_service,
    _fgc_outcomes,
    _without_jit,
    figures,
    timeliness,
    TREND_KEYS,
    quarterly_trend,
    flat_rows,
)
from .suppression import (  # noqa: F401
    FEWER_THAN_5,
    WITHHELD,
    SUPPRESSION_RULE,
    Cell,
    protect,
    _fixed_by_any_combination,
    _neighbour_to_withhold,
    _derivable,
    _to_withhold,
    _PERCENTAGES,
    _AVERAGES,
    FGC_PARTS,
    _PARTS,
    _TREND_COUNTS,
    _add_parts,
    _report_cells,
    suppression_cells,
    _display,
    _count,
    suppress,
    group_key,
    area_block,
    comparison_scopes,
    comparison,
    area_data_version,
    suppress_in_area,
    area_page,
)
