"""`flask --app wsgi queue --format json|csv [--la CODE]`: every open child and its flags."""
from __future__ import annotations

import json
import sys
from datetime import date

import click
from sqlalchemy import select

from ..clock import current_clock
from ..csv_safety import SafeWriter
from ..extensions import db
from ..models import LocalAuthority
from .queries import QueueRow, listed_children

COLUMNS = (
    "child_ref", "family_ref", "la_code", "stage", "stage_since", "proceedings_ref",
    "timetable_deadline", "timetable_overdue", "week_of_timetable", "flags", "flag_dates",
)  # fmt: skip


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def as_record(row: QueueRow) -> dict:
    """One child as the CLI reports it; the proceedings fields are null outside proceedings."""
    return {
        "child_ref": row.child_ref,
        "family_ref": row.family_ref,
        "la_code": row.la_code,
        "stage": row.stage,
        "stage_since": _iso(row.stage_since),
        "proceedings_ref": row.proceedings_ref,
        "timetable_deadline": _iso(row.deadline),
        "timetable_overdue": row.timetable_overdue,
        "week_of_timetable": row.week_of_timetable,
        "flags": row.flags,
        "flag_dates": {f.code: f.on.isoformat() for f in row.assessment.findings},
    }


def write_json(rows: list[QueueRow], out) -> None:
    """A JSON array, one child to a line (json's C encoder; an indented dump takes its slow path)."""
    out.write("[\n" if rows else "[")
    out.write(",\n".join(json.dumps(as_record(r)) for r in rows))
    out.write("\n]\n" if rows else "]\n")


def write_csv(rows: list[QueueRow], out) -> None:
    """Flags joined with ';'; true/false for timetable_overdue; empty cells outside proceedings."""
    writer = SafeWriter(out)
    writer.writerow(COLUMNS)
    for row in rows:
        record = as_record(row)
        record["flags"] = ";".join(record["flags"])
        record["flag_dates"] = ";".join(f"{code}={day}" for code, day in record["flag_dates"].items())
        if record["timetable_overdue"] is not None:
            record["timetable_overdue"] = "true" if record["timetable_overdue"] else "false"
        writer.writerow("" if record[c] is None else record[c] for c in COLUMNS)


@click.command("queue")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--la", "la_code", default=None, help="Only this authority (default: every authority).")
def queue_command(fmt: str, la_code: str | None) -> None:
    """Every open child (closed children left out) with stage, timetable and needs-attention flags."""
    la_ids = None
    if la_code is not None:
        la = db.session.execute(select(LocalAuthority).where(LocalAuthority.code == la_code.strip())).scalar()
        if la is None:
            raise click.ClickException(f"There is no local authority with the code {la_code}.")
        la_ids = [la.id]
    rows = listed_children(db.session, current_clock().today(), la_ids)
    (write_json if fmt == "json" else write_csv)(rows, sys.stdout)
