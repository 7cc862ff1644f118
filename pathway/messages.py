"""Translatable messages for code that must stay free of Flask (the pathway, its rules, reports).

The domain never translates: it returns a `Message` (a gettext message id with named parameters),
and whoever shows it to a person renders it in that person's language
(`pathway.i18n.render`, or `str(message)` for English, as logs, the CLI and the event file's
error report use). `N_` marks a constant string (a label in a table of codes) for extraction
without translating it; the display layer calls gettext on it.

    Problem("date", msg("Proceedings %(ref)s were issued on %(issued)s.", ref=p.ref, issued=day))

Parameters that are dates are formatted by the renderer ("3 December 2026", "3 Rhagfyr 2026");
parameters that are themselves Messages or marked labels are rendered in the same language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable


def N_(text: str) -> str:
    """Mark `text` for extraction into the catalogue; returns it unchanged (translated on display)."""
    return text


def english_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Message:
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, gettext: Callable[[str], str] = lambda s: s,
               format_date: Callable[[date], str] = english_date) -> str:
        text = gettext(self.msgid)
        if not self.params:
            return text
        values = {name: _value(v, gettext, format_date) for name, v in self.params.items()}
        return text % values

    def __str__(self) -> str:  # English: logs, the CLI, the import's error report
        return self.render()

    def __add__(self, other):  # "message" + " more" keeps working where English is built up
        return str(self) + str(other)

    def __radd__(self, other):
        return str(other) + str(self)

    def __contains__(self, part: str) -> bool:
        return part in str(self)


def _value(value, gettext, format_date):
    if isinstance(value, Message):
        return value.render(gettext, format_date)
    if isinstance(value, date):
        return format_date(value)
    return value


def msg(msgid: str, **params) -> Message:
    """A message to translate on display (extracted by pybabel with the keyword `msg`)."""
    return Message(msgid, params)
