"""Languages: Flask-Babel, the choice of English or Cymraeg, and rendering the domain's messages.

Catalogues live in pathway/translations (`make translations-update` extracts and merges,
`make install` compiles). The domain returns `pathway.messages.Message`s and `N_`-marked labels;
`render` turns either into the current user's language.
"""
from __future__ import annotations

from datetime import date

from flask import Flask, request, session
from flask_babel import Babel, format_date, get_locale, gettext

from .config import ROOT
from .messages import Message

LANGUAGES = ("en", "cy")
TRANSLATIONS = ROOT / "pathway" / "translations"
babel = Babel()


def select_locale() -> str:
    """The signed-in user's choice, else this browser's session choice, else English."""
    from flask_login import current_user

    chosen = getattr(current_user, "language", None) if current_user and current_user.is_authenticated else None
    chosen = chosen or session.get("language")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default="en") if request else "en"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


def long_date(day: date) -> str:
    """'3 December 2026' / '3 Rhagfyr 2026' (GOV.UK style: no leading zero, full month)."""
    return format_date(day, "d MMMM y")


def fmt(day: date | None) -> str:
    """A page's date in the reader's language; nothing for no date (the templates' `fmt`)."""
    return long_date(day) if day else ""


def render(message) -> str:
    """A Message, an N_-marked label or plain text, in the current language."""
    if isinstance(message, Message):
        return message.render(gettext, long_date)
    if isinstance(message, str):
        return gettext(message) if message else message
    return str(message)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["t"] = render
    app.add_template_global(fmt, "fmt")
    app.jinja_env.globals["current_language"] = current_language
