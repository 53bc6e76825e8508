"""Geometry for the dashboard's server-rendered SVG charts (no script, no inline styles: the CSP forbids them).

Functions return plain numbers; ``marketplace/templates/programs/_charts.html`` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Series colours (SVG presentation attributes, allowed by the CSP).
COLOURS = {"applications": "#12355b", "recommendations": "#0f7c90", "awards": "#e0a030",
           "committed": "#12355b", "reserved": "#0f7c90", "left": "#dfe8ee"}


@dataclass(frozen=True)
class Segment:
    key: str
    x: float
    width: float
    value: int
    colour: str


def stacked_bar(parts: list[tuple[str, int]], *, width: float = 600) -> list[Segment]:
    """Segments of one bar whose lengths are proportional to the values (budget: committed, reserved, left)."""
    total = sum(max(v, 0) for _k, v in parts)
    segments, x = [], 0.0
    for key, value in parts:
        w = round(width * max(value, 0) / total, 2) if total else 0.0
        segments.append(Segment(key, round(x, 2), w, value, COLOURS.get(key, "#888888")))
        x += w
    return segments


@dataclass(frozen=True)
class Bar:
    key: str
    y: float
    width: float
    value: int
    colour: str


@dataclass(frozen=True)
class Group:
    label: str
    y: float
    bars: list[Bar]
    highlight: bool = False
    short: str = ""


def shorten(label: str, width: float, *, font_px: float = 11) -> str:
    """Fit a label into ``width`` pixels (Hangul glyphs are about one em wide), ending with … when cut."""
    room = max(int(width / font_px), 4)
    units = 0.0
    for i, ch in enumerate(label):
        units += 1.0 if ord(ch) > 0x2E80 else 0.6
        if units > room:
            return label[:max(i - 1, 1)] + "…"
    return label


@dataclass(frozen=True)
class GroupedChart:
    groups: list[Group]
    height: float
    label_width: float
    plot_width: float
    ticks: list[tuple[float, int]]


SERIES = ("applications", "recommendations", "awards")


def grouped_bars(rows: list[dict], *, label_width: float = 150, plot_width: float = 420, bar: float = 7,
                 gap: float = 10, series=SERIES) -> GroupedChart:
    """Horizontal bars, one group per row (a region or an industry), one bar per series."""
    peak = max([row[s] for row in rows for s in series] + [1])
    scale = plot_width / peak
    groups, y = [], 4.0
    for row in rows:
        bars = [Bar(s, round(y + i * (bar + 1), 2), round(row[s] * scale, 2), row[s], COLOURS[s])
                for i, s in enumerate(series)]
        groups.append(Group(row["label"], y, bars, bool(row.get("capital")), shorten(row["label"], label_width - 12)))
        y += len(series) * (bar + 1) + gap
    step = max(1, -(-peak // 4))
    ticks = [(round(v * scale, 2), v) for v in range(0, peak + 1, step)]
    return GroupedChart(groups, y + 14, label_width, plot_width, ticks)
