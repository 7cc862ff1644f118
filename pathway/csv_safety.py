"""CSV cells a spreadsheet cannot execute: the one writer for every CSV Pathway produces (the
queue download and command, the board's figures, the event export), and the check that keeps
references codes rather than formulas.

- References (family, child, proceedings, person) are codes: one starting with `=`, `+`, `-`,
  `@`, a tab or a carriage return is refused where it is entered (`reference_problem`).
- Free text (reasons, names typed by an administrator) may start with anything; the writer puts
  a leading apostrophe before a cell starting with one of those characters (OWASP's advice for
  CSV injection), and before a cell that already starts with an apostrophe, so that
  `restore` (used by the event import) removes exactly that one apostrophe and export, import,
  export gives the same rows.
"""
from __future__ import annotations

import csv
from typing import IO, Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "'"
_GUARDED = FORMULA_STARTS + (APOSTROPHE,)
STARTS_IN_WORDS = "=, +, -, @, a tab or a carriage return"


def reference_problem(value: str | None, what: str = "A reference") -> str | None:
    """Why `value` cannot be a reference, or None if it can."""
    if value and value.startswith(FORMULA_STARTS):
        return f"{what} cannot start with {STARTS_IN_WORDS}: use the code from your case management system"
    return None


def neutralise(value):
    """A cell as written: text starting with a formula character (or an apostrophe) gains a
    leading apostrophe; numbers and other text are written as they are."""
    if isinstance(value, str) and value.startswith(_GUARDED):
        return APOSTROPHE + value
    return value


def restore(cell: str) -> str:
    """A cell as read back: the apostrophe `neutralise` added, and only that one, removed."""
    if len(cell) >= 2 and cell[0] == APOSTROPHE and cell[1] in _GUARDED:
        return cell[1:]
    return cell


class SafeWriter:
    """csv.writer that neutralises every cell."""

    def __init__(self, out: IO[str]):
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, cells: Iterable) -> None:
        self._writer.writerow([neutralise("" if c is None else c) for c in cells])


class SafeDictWriter:
    """csv.DictWriter that neutralises every cell (a missing key is an empty cell)."""

    def __init__(self, out: IO[str], fieldnames: Iterable[str]):
        self.fieldnames = tuple(fieldnames)
        self._writer = SafeWriter(out)

    def writeheader(self) -> None:
        self._writer.writerow(self.fieldnames)

    def writerow(self, row: dict) -> None:
        self._writer.writerow(row.get(name, "") for name in self.fieldnames)
