"""Charts as data: horizontal bar charts laid out here (coordinates, labels), drawn as SVG by a template.

Nothing here is markup. A `Chart` carries its bars with their geometry already computed, so the template
only places `<rect>` and `<text>` elements; colours come from CSS classes (`bar-blocker`, ...), which keeps
contrast and print styles in one stylesheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

# Drawn in viewBox units that a 390 px phone shows at about 1:1, so 12-unit text stays at least 11 px.
WIDTH = 360
LABEL_WIDTH = 132
VALUE_WIDTH = 48
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


def _short(label: str, limit: int = 20) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


# -- the cut-over timeline -------------------------------------------------------------------------------
TIMELINE_LABEL = 112
TIMELINE_TOP = 22  # room for the date ticks
TIMELINE_ROW = 24


@dataclass(frozen=True)
class TimelineRow:
    label: str
    anchor: str
    y: int
    x: int  # the report's date
    early: int  # width to the earliest cut-over
    late: int  # width from the earliest to the latest
    css: str
    text: str  # "2026-12-18 to 2027-01-29"
    label_y: int


@dataclass(frozen=True)
class Timeline:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    label_width: int
    rows: tuple[TimelineRow, ...]
    ticks: tuple[tuple[int, str], ...]  # (x, "Jan 1")
    note: str = ""


def timeline(
    rows: Sequence[tuple[str, str, str, str, str]], today: dt.date, *, limit: int = MAX_BARS
) -> Timeline:
    """`rows`: (tenant name, anchor, readiness, earliest ISO date, latest ISO date). The latest last when
    there are more than `limit` tenants."""
    items = sorted(rows, key=lambda r: (r[4], r[3], r[0].lower()), reverse=False)
    note = ""
    if len(items) > limit:
        note = f"latest {limit} of {len(items):,} tenants"
        items = items[-limit:]
    end = max([dt.date.fromisoformat(r[4]) for r in items] + [today + dt.timedelta(days=7)])
    span_days = max((end - today).days, 7)
    span = WIDTH - TIMELINE_LABEL - 8

    def x_of(day: dt.date) -> int:
        return TIMELINE_LABEL + round(span * (day - today).days / span_days)

    out = []
    for index, (name, anchor, readiness, early, late) in enumerate(items):
        y = TIMELINE_TOP + index * TIMELINE_ROW
        e, lt = dt.date.fromisoformat(early), dt.date.fromisoformat(late)
        x0, xe, xl = x_of(today), x_of(e), x_of(lt)
        text = early if early == late else f"{early} to {late}"
        out.append(TimelineRow(_short(name, 16), anchor, y, x0, max(xe - x0, 2), max(xl - xe, 0),
                               f"bar-{readiness}", text, y + BAR - 4))  # fmt: skip
    ticks = []
    step = 7 if span_days <= 35 else 14 if span_days <= 70 else 28
    for n in range(0, span_days + 1, step):
        day = today + dt.timedelta(days=n)
        ticks.append((x_of(day), f"{day.strftime('%b')} {day.day}"))
    parts = "; ".join(f"{r[0]}: {r[3]} to {r[4]}" for r in items) or "no tenant"
    description = f"Earliest and latest cut-over per tenant from {today.isoformat()}. {parts}." + (
        f" Showing the {note}." if note else ""
    )
    height = TIMELINE_TOP + max(len(out), 1) * TIMELINE_ROW + 8
    return Timeline(
        "timeline", "Cut-over window per tenant", description, WIDTH, height, TIMELINE_LABEL,
        tuple(out), tuple(ticks), note,
    )  # fmt: skip
