"""The managers' Children in Need census module 5 list (issue 16): every child whose module 5
record for the census year so far would fail a validation rule, with the rule in words, so the
return is clean before the deadline. The records and rules are `pathway.census`'s, the same the
`return cin-module-5` command checks; the year is the one today falls in. England only.

Same permissions as the other queue pages: team managers of the authority (administrators may read).
"""
from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from .. import census
from ..clock import current_clock
from ..extensions import db
from ..i18n import render
from ..models import Family
from ..permissions import requires
from . import bp
from .views import QUEUE_ROLES, _authority


@bp.get("/<la_code>/census-module-5")
@requires(*QUEUE_ROLES)
def census_module_5(la_code: str):
    la = _authority(la_code)
    today = current_clock().today()
    year = census.CensusYear.containing(today)
    failures, records = [], []
    if la.nation == "england":
        records = census.collect(db.session, la, year, today)
        failures = census.check(records, year)
    family_ids = dict(db.session.execute(
        select(Family.reference, Family.id).where(Family.la_id == la.id,
                                                  Family.reference.in_({f.record.family_ref for f in failures}))
    ).all()) if failures else {}  # fmt: skip
    return render_template("queues/census-module-5.html", la=la, year=year, failures=failures, records=records,
                           family_ids=family_ids, no_data=render(census.no_data_query(year)))
