"""Languages: Flask-Babel, the choice of English or Cymraeg, and rendering the domain's messages.

Catalogues live in pathway/translations (`make translations-update` extracts and merges,
`make install` compiles). The domain returns `pathway.messages.Message`s and `N_`-marked labels;
`render` turns either into the current user's language.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Flask, abort, redirect, request, session, url_for
from flask_babel import Babel, format_date, get_locale, gettext

from .config import ROOT
from .permissions import public
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


def first_language(user, chosen_before: str | None) -> str:
    """The language a user starts with at their first sign-in: what they chose on the sign-in
    page if they did, else Welsh for a Welsh authority's users (and for a board member whose
    area's authorities are all Welsh), else English."""
    if chosen_before in LANGUAGES:
        return chosen_before
    from sqlalchemy import select

    from .extensions import db
    from .models import LocalAuthority

    if user.local_authority is not None:
        return "cy" if user.local_authority.nation == "wales" else "en"
    if user.dfj_area:
        nations = set(db.session.scalars(select(LocalAuthority.nation)
                                         .where(LocalAuthority.dfj_area == user.dfj_area)))
        return "cy" if nations == {"wales"} else "en"
    return "en"


def on_sign_in(user, chosen_before: str | None) -> None:
    """Called as a session starts: a user without a language yet gets their first one, and the
    session carries it (the caller commits)."""
    if user.language not in LANGUAGES:
        user.language = first_language(user, chosen_before)
    session["language"] = user.language


bp = Blueprint("language", __name__)


@bp.get("/language/<code>")
@public
def choose(code: str):
    """The header's Cymraeg / English link: remembered in this session and, for a signed-in
    user, on their account; then back to the page they were on (a path on this site only)."""
    from flask_login import current_user

    from .auth import _safe_next
    from .extensions import db
    from .models import User

    if code not in LANGUAGES:
        abort(404)
    session["language"] = code
    if current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
        user.language = code
        db.session.commit()
    return redirect(_safe_next(request.args.get("next")))


# Each language's name, and the switch's hidden "change the language to", in that language itself
# (GOV.UK pattern: the link is read in the language it leads to, whatever the page's), so these
# are the same on every page and not in the catalogue.
NAMES = {"en": "English", "cy": "Cymraeg"}
CHANGE_TO = {"en": "Change the language to ", "cy": "Newid yr iaith i'r "}


def switch_link() -> dict:
    """The header's switch: the current language's name, and the other's link (its lang)."""
    here, other = current_language(), "en" if current_language() == "cy" else "cy"
    back = request.full_path if request.query_string else request.path
    return {"href": url_for("language.choose", code=other, next=back), "lang": other, "text": NAMES[other],
            "hidden": CHANGE_TO[other], "current": NAMES[here]}


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
    app.add_template_global(switch_link, "language_switch")
    app.register_blueprint(bp)
