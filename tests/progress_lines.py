"""Read what a command showed on a terminal: its progress lines (`\\r\\x1b[2K` + line) and the rest.

`check_progress` asserts the display's promises (issue 13) on a command's whole output, stdout and stderr
as they interleaved: every progress line is cleared before any other line prints, a phase's total never
changes once shown, the count never goes back, and the ETA is the units left divided by the rate shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLEAR = "\r\x1b[2K"
LINE = re.compile(
    r"^(?P<label>[^:\n]+): (?P<done>\d+)(?:/(?P<total>\d+))? · (?P<rate>[\d.]+)/s · ETA (?P<eta>--:--|[\d:]+)"
    r"(?: · (?P<detail>.*))?$"
)


@dataclass(frozen=True)
class Shown:
    label: str
    done: int
    total: int | None
    rate: float
    eta: float | None  # seconds; None for --:--


def _seconds(text: str) -> float | None:
    if text == "--:--":
        return None
    parts = [int(p) for p in text.split(":")]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return float(seconds)


def rendered(output: str) -> str:
    """What stays on the screen: each line as the terminal shows it once its progress lines are cleared."""
    return "\n".join(line.rpartition(CLEAR)[2] for line in output.split("\n"))


def check_progress(output: str) -> list[Shown]:
    """Every progress line the output drew, in order, after asserting the display's promises."""
    shown: list[Shown] = []
    for segment in output.split(CLEAR)[1:]:
        head, newline, _rest = segment.partition("\n")
        match = LINE.match(head)
        if match is None:
            continue  # a cleared line, then ordinary output
        # nothing printed after a progress line without clearing it first
        assert not newline, f"a line ran into the progress line {head!r}: {segment!r}"
        total = int(match["total"]) if match["total"] else None
        item = Shown(match["label"], int(match["done"]), total, float(match["rate"]), _seconds(match["eta"]))
        shown.append(item)
        _check_eta(item)
    _check_phases(shown)
    return shown


def _check_eta(item: Shown) -> None:
    if item.total is None or item.done == 0:
        assert item.eta is None, item  # no rate yet: no ETA, rather than a made-up one
        return
    if item.rate == 0:  # below 0.05/s the rate shows as 0.0: nothing to compare the ETA with
        return
    left = max(item.total - item.done, 0)
    expected = left / item.rate
    # the rate is shown to 0.1/s and the ETA to the second: allow exactly that rounding
    slack = 1.0 + left * 0.05 / (item.rate * max(item.rate - 0.05, 0.05))
    assert item.eta is not None and abs(item.eta - expected) <= slack, (item, expected)


def _check_phases(shown: list[Shown]) -> None:
    last: dict[str, Shown] = {}
    for item in shown:
        before = last.get(item.label)
        # the same phase going on (a phase's first line shows at most 1 done: a later phase of the same
        # label starts at or below where the last one ended)
        if before is not None and item.done > before.done:
            assert item.total == before.total, f"{item.label}: total changed {before.total} -> {item.total}"
        if item.total is not None:
            assert item.done <= item.total, item
        last[item.label] = item
