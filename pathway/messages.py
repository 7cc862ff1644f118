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

from datetime import date
from typing import Any, Callable, Iterable


def N_(text: str) -> str:
    """Mark `text` for extraction into the catalogue; returns it unchanged (translated on display)."""
    return text


def english_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class Message(str):
    """A sentence to translate on display. It *is* its English text (a `str`), so everything that
    treated the pathway's refusals as text (joins, `in`, `startswith`, JSON, CSV, logs) keeps
    working in English; `render` gives it in another language. Operations that build a new string
    from it (`+`, `join`, f-strings) give plain English: render before combining, or combine
    Messages with `sentences` and `listing`."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any] | None = None):
        params = dict(params or {})
        self = super().__new__(cls, _render(msgid, params, lambda s: s, english_date))
        self.msgid, self.params = msgid, params
        return self

    def __getnewargs__(self):  # copy, deepcopy and pickle rebuild it from its id and parameters
        return (self.msgid, self.params)

    def render(self, gettext: Callable[[str], str] = lambda s: s,
               format_date: Callable[[date], str] = english_date) -> str:
        return _render(self.msgid, self.params, gettext, format_date)

    def __str__(self) -> str:  # English: logs, the CLI, the import's error report
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {self.params!r})"


def _render(msgid, params, gettext, format_date) -> str:
    text = gettext(msgid) if msgid else msgid
    if not params:
        return text
    return text % {name: _value(v, gettext, format_date) for name, v in params.items()}


def _value(value, gettext, format_date):
    if isinstance(value, Message):
        return value.render(gettext, format_date)
    if isinstance(value, date):
        return format_date(value)
    return value


def msg(msgid: str, **params) -> Message:
    """A message to translate on display (extracted by pybabel with the keyword `msg`)."""
    return Message(msgid, params)


def label(text: str) -> Message:
    """An N_-marked label (an event's or stage's name, a code's label) used as a parameter of a
    message: rendered in the message's language. Plain `str` parameters are not translated."""
    return Message(text)


def sentences(parts: Iterable[str], sep: str = " ") -> Message:
    """Several messages shown as one (a step's refusals, a hint and its reason), each rendered in
    the same language. Plain strings among them are shown as they are."""
    parts = list(parts)
    names = [f"part{i}" for i in range(len(parts))]
    return Message(sep.join(f"%({n})s" for n in names), dict(zip(names, parts)))


def listing(items: Iterable[str], sep: str = ", ") -> Message:
    """Labels or messages listed one after another ("Early help, Care proceedings"), each in the
    message's language."""
    return sentences([label(i) if isinstance(i, str) and not isinstance(i, Message) else i for i in items], sep)
