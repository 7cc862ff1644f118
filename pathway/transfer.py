"""The event CSV: the public format through which authorities bring their history in and out.

Columns (header row required, any order; an unknown column is an error, a missing one blank):
la_code, family_ref, child_ref, event, date, dob, sex, ethnicity, proceedings_ref, weeks, reason,
order_type, consent_by, emergency_type, exception, and for the family network (issue 9) person_ref,
relationship, parental_responsibility, characteristics, outcome, decided_by, offered_to. Files
written before those columns existed import unchanged.

Import checks the whole file first and writes nothing unless every row passes; every row goes
through `services.record_steps`, so the pathway's gates apply exactly as they do in a form.
"""
from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import workflow as wf
from .models import LocalAuthority
from .services import Actor, history_rows, record_steps

COLUMNS = (
    "la_code", "family_ref", "child_ref", "event", "date", "dob", "sex", "ethnicity",
    "proceedings_ref", "weeks", "reason", "order_type", "consent_by", "emergency_type", "exception",
    "person_ref", "relationship", "parental_responsibility", "characteristics", "outcome", "decided_by",
    "offered_to", "end_date",
)  # fmt: skip
REQUIRED_COLUMNS = ("la_code", "family_ref", "event", "date")
MAX_REF = 64
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHOLE = re.compile(r"^\d+$")


@dataclass
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    errors: list[LineError] = field(default_factory=list)
    events: int = 0
    families: int = 0
    authorities: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_date(text: str, column: str) -> date:
    if not _ISO_DATE.match(text):
        raise ValueError(f"{column} '{text}' is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column} '{text}' is not a real date") from None


def parse_row(values: dict[str, str]) -> wf.PathwayEvent:
    """One CSV row to a PathwayEvent; ValueError with every problem of form (not of law)."""
    problems = []
    event = values.get("event", "")
    spec = wf.EVENT.get(event)
    if not event:
        problems.append("event is blank")
    elif spec is None:
        problems.append(f"event '{event}' is not one of: {', '.join(wf.EVENT_NAMES)}")
    for column in ("la_code", "family_ref"):
        if not values.get(column):
            problems.append(f"{column} is blank")
    for column in ("la_code", "family_ref", "child_ref", "proceedings_ref", "person_ref"):
        if len(values.get(column, "")) > MAX_REF:
            problems.append(f"{column} is longer than {MAX_REF} characters")
    day = None
    if not values.get("date"):
        problems.append("date is blank")
    else:
        try:
            day = parse_date(values["date"], "date")
        except ValueError as e:
            problems.append(str(e))
    parsed: dict[str, object] = {}
    if spec is not None:
        if spec.level == "child" and not values.get("child_ref"):
            problems.append(f"child_ref is blank; {event} is recorded for a child")
        if spec.level != "child" and values.get("child_ref") and "child_ref" not in spec.fields:
            problems.append(f"child_ref must be blank for {event}, which is recorded for the "
                            f"{'family' if spec.level == 'family' else 'proceedings'}")
        for column in wf.FIELDS:
            text = values.get(column, "")
            if not text:
                continue
            if column not in spec.fields:
                problems.append(f"{column} is not used with {event}; leave it blank")
            elif column in wf.DATE_FIELDS:
                try:
                    parsed[column] = parse_date(text, column)
                except ValueError as e:
                    problems.append(str(e))
            elif column == "weeks":
                if _WHOLE.match(text):
                    parsed["weeks"] = int(text)
                else:
                    problems.append(f"weeks '{text}' is not a whole number of weeks from 1 to 8")
            elif column in wf.LIST_FIELDS:
                items = [item.strip() for item in text.split(";")]
                if not all(items):
                    problems.append(f"{column} '{text}' has an empty item; separate the items with ';'")
                elif column == "offered_to" and any(len(item) > MAX_REF for item in items):
                    problems.append(f"offered_to names a reference longer than {MAX_REF} characters")
                else:
                    parsed[column] = tuple(items)
            else:
                parsed[column] = text
    if problems:
        raise ValueError("; ".join(problems))
    return wf.PathwayEvent(
        event=event, date=day, family_ref=values["family_ref"], child_ref=values.get("child_ref") or None,
        **parsed,
    )


def read_rows(stream: IO[str]) -> tuple[list[tuple[int, str, wf.PathwayEvent]], list[LineError]]:
    """Parse the file: (line, la_code, event) for good rows, and an error for every bad one."""
    reader = csv.reader(stream)
    errors: list[LineError] = []
    try:
        header = next(reader)
    except StopIteration:
        return [], [LineError(1, "the file is empty; the first line must be the header row")]
    except csv.Error as e:
        return [], [LineError(1, f"the header row cannot be read as CSV ({e})")]
    header = [h.strip().lstrip("\ufeff") for h in header]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        errors.append(LineError(1, f"unknown column{'s' if len(unknown) > 1 else ''} "
                                   f"{', '.join(repr(h) for h in unknown)}; the columns are {', '.join(COLUMNS)}"))
    duplicated = sorted({h for h in header if header.count(h) > 1 and h})
    if duplicated:
        errors.append(LineError(1, f"column {', '.join(duplicated)} appears more than once"))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        errors.append(LineError(1, f"the header has no {', '.join(missing)} column; every row needs one"))
    if errors:
        return [], errors
    rows = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            errors.append(LineError(reader.line_num, f"cannot be read as CSV ({e})"))
            continue
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            errors.append(LineError(line, f"has {len(cells)} values but the header has {len(header)} columns"))
            continue
        values = {h: c.strip() for h, c in zip(header, cells)}
        try:
            rows.append((line, values["la_code"], parse_row(values)))
        except ValueError as e:
            errors.append(LineError(line, str(e)))
    return rows, errors


def import_events(session: Session, stream: IO[str], *, actor: Actor, now: datetime) -> ImportResult:
    """Check the whole file, then record it. On any error nothing is written (the caller rolls
    back); on success the caller commits the one transaction."""
    rows, errors = read_rows(stream)
    by_la: dict[str, list[tuple[int, wf.PathwayEvent]]] = defaultdict(list)
    for line, la_code, ev in rows:
        by_la[la_code].append((line, ev))
    authorities = {
        la.code: la
        for la in session.scalars(select(LocalAuthority).where(LocalAuthority.code.in_(list(by_la))))
    }
    result = ImportResult()
    for la_code, steps in by_la.items():
        la = authorities.get(la_code)
        if la is None:
            errors.extend(
                LineError(line, f"local authority '{la_code}' has not been added; add it first with "
                                f"'flask --app wsgi add-la --code {la_code} ...'")
                for line, _ in steps
            )  # fmt: skip
            continue
        outcome = record_steps(session, la, steps, actor=actor, source="import", now=now)
        errors.extend(LineError(e.key, e.message) for e in outcome.errors)
        result.events += outcome.events_written
        result.families += len(outcome.families)
        result.authorities += 1
    result.errors = sorted(errors, key=lambda e: e.line)
    if result.errors:
        result.events = result.families = result.authorities = 0
    return result


def event_to_row(la_code: str, ev: wf.PathwayEvent) -> dict[str, str]:
    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, tuple):
            return ";".join(value)
        return value.isoformat() if isinstance(value, date) else str(value)

    row = {"la_code": la_code, "family_ref": ev.family_ref, "child_ref": text(ev.child_ref),
           "event": ev.event, "date": ev.date.isoformat()}
    row.update({column: text(getattr(ev, column)) for column in wf.FIELDS})
    return row


def export_rows(session: Session, la_code: str | None = None) -> Iterable[dict[str, str]]:
    la_id = None
    if la_code is not None:
        la_id = session.execute(select(LocalAuthority.id).where(LocalAuthority.code == la_code)).scalar()
        if la_id is None:
            raise LookupError(f"local authority '{la_code}' has not been added")
    from .services import to_event

    for row in history_rows(session, None, la_id=la_id):
        yield event_to_row(row.la_code, to_event(row))


def write_csv(rows: Iterable[dict[str, str]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def export_text(session: Session, la_code: str | None = None) -> str:
    out = io.StringIO()
    write_csv(export_rows(session, la_code), out)
    return out.getvalue()
