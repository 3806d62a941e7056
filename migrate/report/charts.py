"""Charts as data: horizontal bar charts laid out here (coordinates, labels), drawn as SVG by a template.

Nothing here is markup. A `Chart` carries its bars with their geometry already computed, so the template
only places `<rect>` and `<text>` elements; colours come from CSS classes (`bar-blocker`, ...), which keeps
contrast and print styles in one stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 520
LABEL_WIDTH = 190
VALUE_WIDTH = 60
ROW = 26
BAR = 18
TOP = 8
MAX_BARS = 20  # a per-tenant chart of a thousand tenants shows the largest twenty and says so


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    css: str  # a class of the stylesheet: bar-blocker, bar-warning, bar-info, bar-ready, ...
    x: int
    y: int
    width: int
    label_y: int


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    description: str  # read by screen readers (the SVG's <desc>) and shown under the chart
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]
    total: int
    note: str = ""  # e.g. "largest 20 of 1,000 tenants"


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, int, str]],
    *,
    unit: str,
    limit: int = MAX_BARS,
    keep_order: bool = True,
) -> Chart:
    """`rows` are (label, value, css class). With `keep_order=False` the largest values come first."""
    items = list(rows)
    if not keep_order:
        items.sort(key=lambda row: (-row[1], row[0]))
    note = ""
    if len(items) > limit:
        note = f"largest {limit} of {len(items):,}"
        items = sorted(items, key=lambda row: (-row[1], row[0]))[:limit]
    peak = max([value for _, value, _ in items] + [1])
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value, css) in enumerate(items):
        y = TOP + index * ROW
        width = round(span * value / peak) if value > 0 else 0
        bars.append(
            Bar(_short(label), value, css, LABEL_WIDTH, y, max(width, 1 if value else 0), y + BAR - 4)
        )
    total = sum(value for _, value, _ in rows)
    parts = ", ".join(f"{label}: {value:,}" for label, value, _ in items) or "none"
    description = f"{title}. {parts}. Total {total:,} {unit}." + (f" Showing the {note}." if note else "")
    height = TOP * 2 + max(len(bars), 1) * ROW
    return Chart(chart_id, title, description, WIDTH, height, LABEL_WIDTH, tuple(bars), total, note)


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
