"""The queue flags kept in the projection (issue 17): each open child's `rules.windows`.

`recompute(session, family_ids)` rewrites the stored windows of those families' children from the
same facts the rules read (`queries.open_children`, with every record so far); it runs in the
transaction of whatever changed them: a step recorded or imported (`services.record_steps`), a
projection rebuilt, a review or hearing recorded (`records`), an allocation. A list for a day is
then a comparison in SQL (`applies_on`): no Python pass over every child. The pure rules stay the
source of truth: tests/test_stored_flags.py checks the stored windows, read for a day, against
`rules.assess` for every child of a generated cohort, on the days the flags change.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from ..models import Child
from . import rules
from .models import ChildFlag

# The facts are read with every record so far: records are never dated after the day they are
# made (the gates refuse a future date), so a window read on any later day is what the rules say.
EVERY_RECORD = date(9999, 12, 31)
CHUNK = 500


def applies_on(today: date):
    """The SQL condition: a stored flag applies on `today` (the Window.applies of rules.py)."""
    return and_(or_(ChildFlag.starts_on.is_(None), ChildFlag.starts_on <= today),
                or_(ChildFlag.ends_on.is_(None), ChildFlag.ends_on >= today))


def recompute(session: Session, family_ids: Iterable[int]) -> int:
    """Rewrite the stored flags of these families' children; returns the rows written."""
    from ..services import insert_many
    from .queries import open_children

    ids = sorted(set(family_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        session.execute(delete(ChildFlag).where(ChildFlag.family_id.in_(chunk)))
        rows = []
        for row in open_children(session, EVERY_RECORD, None, None, Child.family_id.in_(chunk), assess=False):
            for w in rules.windows(row.facts):
                rows.append({"la_id": row.la_id, "family_id": row.family_id, "child_id": row.child_id, "code": w.code,
                             "on": w.on, "starts_on": w.starts_on, "ends_on": w.ends_on})
        insert_many(session, ChildFlag, rows)  # Core or COPY: the ORM's bulk insert went row by row
        written += len(rows)
    return written


def recompute_authority(session: Session, la_id: int) -> int:
    from ..models import Family

    return recompute(session, session.scalars(select(Family.id).where(Family.la_id == la_id)).all())
