"""The event CSV: the public format through which authorities bring their history in and out.

Columns (header row required, any order; an unknown column is an error, a missing one blank):
la_code, family_ref, child_ref, event, date, dob, sex, ethnicity, proceedings_ref, weeks, reason,
order_type, consent_by, emergency_type, exception, and for the family network (issue 9) person_ref,
relationship, parental_responsibility, characteristics, outcome, decided_by, offered_to, then
end_date (issue 11) and invited, attended, private_family_time, coordinator (the FGC service,
issue 13). Files written before those columns existed import unchanged.

Import checks the whole file first and writes nothing unless every row passes; every row goes
through `services.record_steps`, so the pathway's gates apply exactly as they do in a form.
The file is read line by line (UTF-8, with or without a byte order mark): a line that is not
UTF-8 or holds a NUL character is a `line N` error; a seekable file is first checked without
keeping its rows, so a file with errors is refused in flat memory; checking stops after
MAX_ERRORS errors and says so. References starting like a formula are refused; the apostrophe
the export puts before free text starting like one is removed (csv_safety), so export, import,
export gives the same rows.
"""
from __future__ import annotations

import codecs
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
from .csv_safety import SafeDictWriter, reference_problem, restore
from .models import LocalAuthority
from .services import Actor, history_rows, record_steps

COLUMNS = (
    "la_code", "family_ref", "child_ref", "event", "date", "dob", "sex", "ethnicity",
    "proceedings_ref", "weeks", "reason", "order_type", "consent_by", "emergency_type", "exception",
    "person_ref", "relationship", "parental_responsibility", "characteristics", "outcome", "decided_by",
    "offered_to", "end_date",
    # FGC service (issue 13).
    "invited", "attended", "private_family_time", "coordinator",
)  # fmt: skip
REQUIRED_COLUMNS = ("la_code", "family_ref", "event", "date")
REFERENCE_COLUMNS = ("family_ref", "child_ref", "proceedings_ref", "person_ref")
MAX_REF = 64
MAX_ERRORS = 100
# A file with errors of form and at most this many rows is also checked against the pathway's
# rules, so that every problem is named at once; a bigger one is refused straight away.
CHECK_RULES_DESPITE_ERRORS = 5000
_FIELD_ORDER = {column: n for n, column in enumerate(wf.FIELDS)}
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
    for column in REFERENCE_COLUMNS:
        problem = reference_problem(values.get(column), f"{column} '{values.get(column)}'")
        if problem:
            problems.append(problem)
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
        # Only the filled cells, in the columns' order (so the problems are named in that order).
        for column in sorted(values.keys() & _FIELD_ORDER.keys(), key=_FIELD_ORDER.__getitem__):
            text = values[column]
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
                elif column in ("offered_to", "invited", "attended") and any(len(item) > MAX_REF for item in items):
                    problems.append(f"{column} names a reference longer than {MAX_REF} characters")
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


def _text_lines(stream, bad: dict[int, str]):
    """The file's lines as text. A line that is not UTF-8, or holds a NUL, is noted in `bad`
    (by line number) and passed on cleaned, so that the CSV reader keeps its place."""
    for number, line in enumerate(stream, start=1):
        if isinstance(line, bytes):
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as e:
                bad[number] = (f"is not UTF-8 text (byte {e.start + 1} of the line cannot be read); "
                               "save the file as 'CSV UTF-8' and import it again")
                line = line.decode("utf-8", errors="replace")
        if "\x00" in line:
            bad.setdefault(number, "contains a NUL character, which cannot be stored; remove it and import again")
            line = line.replace("\x00", "")
        yield line


def _stopped(line: int) -> LineError:
    return LineError(line, f"checking stopped here after {MAX_ERRORS} errors; the rest of the file was not "
                           "checked. Correct these and import the file again")


def read_rows(stream, keep: bool = True, stats: dict | None = None
              ) -> tuple[list[tuple[int, str, wf.PathwayEvent]], list[LineError]]:
    """Parse the file (text or bytes, read line by line): (line, la_code, event) for good rows
    (none kept if not `keep`), and an error for every bad one, up to MAX_ERRORS. `stats`, if
    given, receives the number of rows read ("rows") and the last line ("last_line")."""
    stats = {} if stats is None else stats
    stats.update(rows=0, last_line=0)
    bad: dict[int, str] = {}
    reader = csv.reader(_text_lines(stream, bad))
    errors: list[LineError] = []
    try:
        header = next(reader)
    except StopIteration:
        return [], [LineError(1, "the file is empty; the first line must be the header row")]
    except csv.Error as e:
        return [], [LineError(1, f"the header row cannot be read as CSV ({e})")]
    if bad:
        return [], [LineError(n, message) for n, message in sorted(bad.items())]
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
    last_line = reader.line_num
    while True:
        if len(errors) >= MAX_ERRORS:
            errors = errors[:MAX_ERRORS] + [_stopped(reader.line_num + 1)]
            break
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            errors.append(LineError(reader.line_num, f"cannot be read as CSV ({e})"))
            last_line = reader.line_num
            continue
        line = reader.line_num
        stats.update(rows=stats["rows"] + 1, last_line=line)
        unreadable = [(n, bad.pop(n)) for n in range(last_line + 1, line + 1) if n in bad]
        last_line = line
        if unreadable:
            errors.extend(LineError(n, message) for n, message in unreadable)
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            errors.append(LineError(line, f"has {len(cells)} values but the header has {len(header)} columns"))
            continue
        # The filled cells only (a blank one reads as ""); `restore` only where it can apply.
        values = {h: restore(text) if text[:1] == "'" else text
                  for h, c in zip(header, cells) if c and (text := c.strip())}  # fmt: skip
        try:
            event = parse_row(values)
        except ValueError as e:
            errors.append(LineError(line, str(e)))
        else:
            if keep:
                rows.append((line, values["la_code"], event))
    return rows, errors


def _seekable(stream) -> bool:
    try:
        return stream.seekable()
    except (AttributeError, ValueError):
        return False


def import_events(session: Session, stream: IO[str], *, actor: Actor, now: datetime) -> ImportResult:
    """Check the whole file, then record it. On any error nothing is written (the caller rolls
    back); on success the caller commits the one transaction. `stream`: text or bytes."""
    if _seekable(stream):
        # First a check that keeps nothing: a file with errors is refused in flat memory.
        start = stream.tell()
        stats: dict = {}
        _rows, errors = read_rows(stream, keep=False, stats=stats)
        if errors and (stats["rows"] > CHECK_RULES_DESPITE_ERRORS or len(errors) > MAX_ERRORS):
            if len(errors) <= MAX_ERRORS:
                errors.append(LineError(stats["last_line"], f"the file's {stats['rows']} rows were not checked "
                                        "against the pathway's rules because of the errors above; correct them "
                                        "and import the file again"))  # fmt: skip
            return ImportResult(errors=errors)
        stream.seek(start)
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
    if len(result.errors) > MAX_ERRORS:
        result.errors = result.errors[:MAX_ERRORS] + [_stopped(result.errors[MAX_ERRORS].line)]
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
    writer = SafeDictWriter(out, COLUMNS)  # free text starting like a formula gains an apostrophe
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
