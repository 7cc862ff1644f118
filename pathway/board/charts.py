"""Horizontal bar charts drawn as inline SVG (no JavaScript, no inline styles: the CSP forbids
them). Each chart sits beside a table of the same figures, which is what screen readers use.
The title, series and group labels come translated from the view; a bar's words are shown with `|t`."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..messages import N_

WIDTH = 460  # drawn at about its own size in half the GOV.UK page width
LABEL_WIDTH = 120
PLOT_WIDTH = 240
BAR_HEIGHT = 18
BAR_GAP = 3
GROUP_GAP = 12
COLOURS = ("#1d70b8", "#003078", "#5694ca", "#505a5f")  # GOV.UK blue, dark blue, light blue, grey


@dataclass
class Bar:
    y: int
    width: float
    label: str
    colour: str
    text_x: float = 0


@dataclass
class Group:
    label: str
    label_y: int
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    id: str
    title: str
    series: list[tuple[str, str]]  # (name, colour) for the legend
    groups: list[Group]
    height: int
    axis_label: str
    width: int = WIDTH
    plot_x: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def value_text(value, unit: str = "") -> str:
    """A bar's words: English, or an N_-marked word, translated on display (`|t`)."""
    if value is None:
        return N_("none")
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:.1f}{unit}"
    return f"{value:,}{unit}"


def bar_chart(chart_id: str, title: str, series: list[str], groups: list[tuple[str, list]],
              unit: str = "", maximum: float | None = None, axis_label: str = "") -> Chart:
    """`groups` are (label, [value for each series]); a value that is not a number (suppressed,
    or None) gets no bar, only its words."""
    numbers = [v for _label, values in groups for v in values if isinstance(v, (int, float))]
    top = maximum if maximum is not None else max(numbers, default=0) or 1
    y = 0
    drawn = []
    for label, values in groups:
        group = Group(label, y + BAR_HEIGHT - 4)
        for i, value in enumerate(values):
            width = PLOT_WIDTH * min(value, top) / top if isinstance(value, (int, float)) else 0
            bar = Bar(y, round(width, 1), value_text(value, unit), COLOURS[i % len(COLOURS)])
            bar.text_x = LABEL_WIDTH + bar.width + 6
            group.bars.append(bar)
            y += BAR_HEIGHT + BAR_GAP
        drawn.append(group)
        y += GROUP_GAP
    return Chart(chart_id, title, [(name, COLOURS[i % len(COLOURS)]) for i, name in enumerate(series)],
                 drawn, max(y, 1), axis_label)  # fmt: skip
