"""The pathway drawn: stages, the steps out of each and the gates on them, as SVG.

Drawn from `workflow.pathway_rules()` (the three machines' own transitions and the gates their
conditions run), `workflow.STAGES` and `workflow.event_label`, so the picture cannot drift from
the rules: a new stage, step or gate appears here without anyone touching this file. Pure Python,
no Flask and no system dependency; `scripts/pathway_diagram.py` writes the README's copy.

Layout: one card per stage (or FGC and proceedings status), placed in columns by how many steps
it is from a case's first stage; each line of a card is a step out of it, where it leads, and
the gates on it by key, with every key spelt out in words in the legend.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable
from dataclasses import dataclass, field
from html import escape

from . import workflow as wf
from .messages import N_, msg

# The words are marked for the catalogue; `describe` and `svg` take `t`, the page's translation
# (pathway.i18n.render), and default to English, so this module stays free of Flask.
ENGLISH: Callable[[str], str] = str

CARD_WIDTH = 300
COLUMN_GAP = 40
CARD_GAP = 24
MARGIN = 20
LINE = 18
TITLE_LINE = 22
CHARS = 36  # characters per line of a card at 14px (Arial averages about 7px a character; capitals more)
LEGEND_CHARS = 150

FGC_TITLES = {
    "none": N_("No family group conference open"),
    "offered": N_("Family group conference offered"),
    "accepted": N_("Family group conference accepted"),
    "declined": N_("Family group conference declined"),
    "held": N_("Family group conference held"),
    "referred": N_("Family group conference referred to the FGC service"),
    "coordinator_allocated": N_("Family group conference coordinator allocated"),
    "plan_decided": N_("Family group conference plan decided"),
    "review_held": N_("Family group conference review held"),
    "closed": N_("Family group conference closed"),
}
PROCEEDINGS_TITLES = {"open": N_("Proceedings open"), "concluded": N_("Proceedings concluded")}


@dataclass
class Exit:
    text: str
    gates: list[str] = field(default_factory=list)  # keys into the legend


@dataclass
class Card:
    key: str
    title: str
    exits: list[Exit]
    column: int = 0


@dataclass
class Pathway:
    """Everything the page and the picture show, in the nation's terms."""

    nation: str
    cards: list[Card]
    legend: list[tuple[str, str]]  # (key, the gate in words)
    rows: list[dict]  # one per rule, for the table that is the picture's text alternative


def _label(machine: str, state: str | None, nation: str, t: Callable = ENGLISH) -> str:
    if state is None:
        return t(N_("stage unchanged") if machine == "child" else N_("status unchanged"))
    if machine == "child":
        return t(wf.STAGE[state].label_for(nation))
    if machine == "fgc":
        return t(FGC_TITLES[state])
    return t(PROCEEDINGS_TITLES[state])


def _step(machine: str, step: str, nation: str, t: Callable = ENGLISH) -> str:
    if step in wf.EVENT:
        return t(wf.event_label(step, nation))
    if machine == "proceedings" and step == "conclude":
        return t(N_("Every child party has a final order"))
    return step.replace("_", " ").capitalize()


def describe(nation: str = "england", t: Callable = ENGLISH) -> Pathway:
    """The cards, the legend and the rows, in the nation's terms and in `t`'s language."""
    rules = wf.pathway_rules()
    legend: dict[wf.GateWords, str] = {}
    checks = 0
    for rule in rules:
        for gate in rule.gates:
            if gate not in legend:
                if gate.code:
                    legend[gate] = gate.code
                else:
                    checks += 1
                    legend[gate] = f"C{checks}"

    # A step that leads from every open stage to the same place is drawn once.
    sources = defaultdict(set)
    for rule in rules:
        if rule.machine == "child":
            sources[(rule.step, rule.dest)].add(rule.source)
    everywhere = {key for key, found in sources.items() if found >= set(wf.OPEN_STAGES)}

    cards: dict[str, Card] = {}
    order = [("child", s.name) for s in wf.STAGES] + [("fgc", s) for s in ("none", *wf.FGC_MACHINE.states)] + [
        ("proceedings", s) for s in wf.PROCEEDINGS_MACHINE.states]
    for machine, state in order:
        cards[f"{machine}:{state}"] = Card(f"{machine}:{state}", _label(machine, state, nation, t), [])
    cards = {**{k: v for k, v in cards.items() if k.startswith("child:")},
             "child:*": Card("child:*", t(N_("From every open stage")), []),
             **{k: v for k, v in cards.items() if not k.startswith("child:")}}
    rows = []
    for rule in rules:
        step, to = _step(rule.machine, rule.step, nation, t), _label(rule.machine, rule.dest, nation, t)
        text = f"{step} → {to}"
        keys = list(dict.fromkeys(legend[g] for g in rule.gates))
        rows.append({"from": _label(rule.machine, rule.source, nation, t), "step": step, "to": to,
                     "gates": [t(g.words) for g in rule.gates], "machine": rule.machine})
        key = f"{rule.machine}:{rule.source}"
        if rule.machine == "child" and (rule.step, rule.dest) in everywhere:
            key = "child:*"
            if any(e.text == text for e in cards[key].exits):
                continue
        cards[key].exits.append(Exit(text, keys))

    _place(cards)
    shown = [c for c in cards.values() if c.exits or c.key.startswith("child:")]
    keys = sorted(legend.items(), key=lambda item: (item[1][0] != "G", int("".join(filter(str.isdigit, item[1]))),
                                                     item[1]))
    return Pathway(nation, shown, [(key, t(gate.words)) for gate, key in keys], rows)


def _place(cards: dict[str, Card]) -> None:
    """Columns by the fewest steps from a case's first stage; final stages, the steps from every
    stage, and the family group conference and proceedings records in the last column."""
    first = wf.STAGES[0].name
    distance = {first: 0}
    frontier = [first]
    edges = defaultdict(set)
    for rule in wf.pathway_rules():
        if rule.machine == "child" and rule.dest and rule.dest != rule.source:
            edges[rule.source].add(rule.dest)
    final = {s.name for s in wf.STAGES if not edges.get(s.name)}
    while frontier:
        nxt = []
        for stage in frontier:
            for dest in sorted(edges[stage]):
                if dest not in distance and dest not in final:
                    distance[dest] = distance[stage] + 1
                    nxt.append(dest)
        frontier = nxt
    last = max(distance.values()) + 1
    for key, card in cards.items():
        machine, _, state = key.partition(":")
        card.column = distance.get(state, last) if machine == "child" and state not in final and state != "*" else last


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


def _card_lines(card: Card, t: Callable = ENGLISH) -> list[tuple[str, bool]]:
    """(text, is_gate_note) lines of a card's body."""
    body = []
    for ex in card.exits:
        body += [(line, False) for line in _wrap(ex.text, CHARS)]
        if ex.gates:
            body.append((t(msg("Gates: %(keys)s", keys=", ".join(ex.gates))), True))
    if not body:
        body.append((t(N_("No step leads on: the case is closed.")), False))
    return body


def svg(nation: str = "england", pathway: Pathway | None = None, t: Callable = ENGLISH) -> str:
    """The diagram as a standalone SVG document (also inlined in the page), in `t`'s language."""
    p = pathway or describe(nation, t)
    columns = defaultdict(list)
    for card in p.cards:
        columns[card.column].append(card)
    parts, height = [], 0
    x_of = {col: MARGIN + i * (CARD_WIDTH + COLUMN_GAP) for i, col in enumerate(sorted(columns))}
    for col, cards in sorted(columns.items()):
        y = MARGIN
        for card in cards:
            title = _wrap(card.title, CHARS - 8)  # 16px bold: wider letters
            body = _card_lines(card, t)
            h = 10 + len(title) * TITLE_LINE + 8 + len(body) * LINE + 10
            x = x_of[col]
            parts.append(f'<g class="card"><rect x="{x}" y="{y}" width="{CARD_WIDTH}" height="{h}" rx="4" '
                         f'fill="#ffffff" stroke="#0b0c0c" stroke-width="2"/>')
            parts.append(f'<rect x="{x + 1}" y="{y + 1}" width="{CARD_WIDTH - 2}" height="{10 + len(title) * TITLE_LINE}" '
                         f'fill="#f3f2f1"/>')
            ty = y + 8 + TITLE_LINE - 6
            for line in title:
                parts.append(f'<text x="{x + 10}" y="{ty}" font-weight="700" font-size="16">{escape(line)}</text>')
                ty += TITLE_LINE
            by = y + 10 + len(title) * TITLE_LINE + 8 + LINE - 5
            for text, gate_note in body:
                attrs = ' fill="#505a5f" font-size="13"' if gate_note else ""
                parts.append(f'<text x="{x + 10}" y="{by}"{attrs}>{escape(text)}</text>')
                by += LINE
            parts.append("</g>")
            y += h + CARD_GAP
        height = max(height, y)
    width = MARGIN * 2 + len(columns) * CARD_WIDTH + (len(columns) - 1) * COLUMN_GAP
    # the legend: every gate in words
    y = height + 10
    heading = t(N_("Gates: what each step needs"))
    parts.append(f'<text x="{MARGIN}" y="{y}" font-weight="700" font-size="16">{escape(heading)}</text>')
    y += TITLE_LINE
    for key, words in p.legend:
        for i, line in enumerate(_wrap(f"{key}: {words}", LEGEND_CHARS)):
            parts.append(f'<text x="{MARGIN + (0 if i == 0 else 30)}" y="{y}">{escape(line)}</text>')
            y += LINE
    height = y + MARGIN
    title = t(N_("How the pathway works (Welsh terms)") if nation == "wales" else N_("How the pathway works"))
    description = t(N_("Each box is a stage of a child's case, or a status of a family group conference or of care "
                       "proceedings. Each line in a box is a step that can be recorded from there, where it leads, "
                       "and the gates it must pass, listed in words at the bottom. The table on the page says the "
                       "same."))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="pathway-diagram-title pathway-diagram-desc" '
        f'font-family="arial, sans-serif" font-size="14" fill="#0b0c0c">'
        f'<title id="pathway-diagram-title">{escape(title)}</title>'
        f'<desc id="pathway-diagram-desc">{escape(description)}</desc>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(parts)}</svg>\n'
    )
