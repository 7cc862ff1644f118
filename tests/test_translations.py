"""The Welsh catalogue is complete (issue 15).

- every message the code and the templates mark (extracted afresh here, as `make
  translations-update` does) has a Welsh translation in pathway/translations/cy, none fuzzy,
  with exactly the same named placeholders;
- no template prints English outside `_()`: the text left in a template once its Jinja is taken
  out is only the few words that are the same in both languages (the service's name, the
  language switch's own names).
A crawl of every page type in Welsh (tests/test_welsh_pages.py) checks the pages themselves.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from pathway.config import ROOT
from pathway.i18n import TRANSLATIONS

PO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "msg": None,
            "N_": None, "lazy_ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


@pytest.fixture(scope="module")
def welsh():
    with PO.open("rb") as f:
        return read_po(f, locale="cy")


def extracted() -> set[str]:
    """Every message marked, by the same mapping `make translations-update` uses (babel.cfg, with
    the gates' words of pathway/translations/extract.py)."""
    with (TRANSLATIONS / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


def test_every_marked_message_has_a_welsh_translation(welsh):
    marked = extracted()
    assert len(marked) > 800  # the extraction really ran over the code and the templates
    missing = sorted(m for m in marked if m not in welsh or not welsh[m].string)
    assert not missing, f"{len(missing)} messages without Welsh (make translations-update, then translate): {missing[:20]}"
    fuzzy = sorted(m.id for m in welsh if m.id and m.fuzzy)
    assert not fuzzy, f"fuzzy (unchecked) Welsh: {fuzzy[:20]}"


def test_no_welsh_entry_is_left_empty_or_stale(welsh):
    marked = extracted()
    empty = [m.id for m in welsh if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert not empty, empty[:20]
    stale = sorted(str(m.id) for m in welsh if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) not in marked)
    assert not stale, f"in the catalogue but no longer in the code (make translations-update): {stale[:20]}"


def test_every_translation_keeps_the_placeholders(welsh):
    wrong = []
    for m in welsh:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for s in strings:
            if set(PLACEHOLDER.findall(s)) != wanted and not (len(ids) == 2 and set(PLACEHOLDER.findall(s)) <= wanted):
                wrong.append((ids[0], s))
    assert not wrong, wrong[:10]


def test_some_messages_are_flagged_for_a_professional_translator(welsh):
    flagged = [m.id for m in welsh if any("translator-check:" in c for c in m.auto_comments)]
    assert len(flagged) >= 50


def test_every_gate_of_the_pathway_is_in_the_catalogue_for_a_translator_to_check(welsh):
    """The gates' words are their docstrings (How the pathway works shows them): each one is
    extracted, translated and flagged."""
    from pathway import workflow as wf

    words = {gate.words for rule in wf.pathway_rules() for gate in rule.gates}
    assert len(words) >= 20
    for text in words:
        entry = welsh.get(text)
        assert entry is not None and entry.string, text
        assert any("translator-check:" in c for c in entry.auto_comments), text


# --- Templates: no literal English outside _() ----------------------------------------------------

WORDS = re.compile(r"[A-Za-z][a-z']+")
# The same in every language: the service's name (the language switch's words are in
# pathway.i18n, each in its own language).
SAME_IN_BOTH = {"Pathway", "– Pathway"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.out += [v for k, v in attrs if k in ("aria-label", "title", "alt", "placeholder") and v]

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def literal_english(source: str) -> list[str]:
    """The text a template prints as it is written (Jinja's own lexer: its "data" tokens, with a
    marker where each tag or expression was), tags and attributes of HTML taken out."""
    from jinja2 import Environment

    written = "".join(value if kind == "data" else "\x00" for _line, kind, value in Environment().lex(source)
                      if kind in ("data", "variable_begin", "block_begin"))
    parser = _Text()
    parser.feed(written)
    pieces = (p.strip() for chunk in parser.out for p in chunk.split("\x00"))
    return [p for p in pieces if p and p not in SAME_IN_BOTH and any(len(w) > 1 for w in WORDS.findall(p))]


def test_the_template_check_finds_literal_english():
    assert literal_english('<p class="x">{{ _("Marked") }} Not marked</p>') == ["Not marked"]
    assert literal_english('<nav aria-label="Back">{{ x }}</nav>') == ["Back"]
    assert literal_english('<p>{{ _("Marked") }}: {{ n }}</p>{# a comment #}<script>var a = 1</script>') == []


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT / "templates").as_posix()
                                            for p in (ROOT / "templates").rglob("*.html")))
def test_no_template_prints_english_outside_gettext(template):
    found = literal_english((ROOT / "templates" / template).read_text())
    assert not found, f"{template}: mark these with _(): {found[:10]}"
