"""Bar charts drawn by the server as SVG geometry (no script, nothing from the internet).

`bar_chart` turns (label, value) rows into bars with coordinates; the template
`lectures/_bar_chart.html` writes them out as an inline <svg>.
"""
from __future__ import annotations

from dataclasses import dataclass

BAR_WIDTH = 36
GAP = 14
PLOT_HEIGHT = 160
LABEL_SPACE = 46
TOP_SPACE = 22


@dataclass
class Bar:
    """One bar: its value, label and where to draw it."""

    label: str
    value: int
    x: int
    y: int
    height: int

    @property
    def center(self) -> int:
        return self.x + BAR_WIDTH // 2


@dataclass
class BarChart:
    """A vertical bar chart ready to draw."""

    title: str
    bars: list[Bar]
    width: int
    height: int
    baseline: int
    bar_width: int = BAR_WIDTH


def bar_chart(title: str, rows: list[tuple[str, int]]) -> BarChart:
    """Lay out bars for (label, value) rows, scaled to the largest value."""
    largest = max((value for _label, value in rows), default=0) or 1
    bars = []
    for number, (label, value) in enumerate(rows):
        height = round(PLOT_HEIGHT * value / largest)
        x = GAP + number * (BAR_WIDTH + GAP)
        bars.append(Bar(label, value, x, TOP_SPACE + PLOT_HEIGHT - height, height))
    width = max(GAP + len(rows) * (BAR_WIDTH + GAP), 200)
    return BarChart(title, bars, width, TOP_SPACE + PLOT_HEIGHT + LABEL_SPACE, TOP_SPACE + PLOT_HEIGHT)
