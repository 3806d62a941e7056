"""A small progress display: done/total, rate and ETA on one terminal line; silent when not a TTY.

Long work (a scan, filling an opt-out list) reports through this, so people see it move and CI logs stay
clean. It never prints phone numbers: callers pass counts and labels only.

Honest by construction: the total is fixed before the first unit is shown (`add_total` after that is a bug
and raises), the ETA is the units left divided by the rate so far (none until a unit is done), and the
line is cleared before any other line prints (`clear_active()`, which every echo of the CLI and its log
handler call). `PINPOINT_MIGRATE_PROGRESS=1` shows it on a stderr that is not a terminal too (logs of a
`script` session, the tests), `=0` never.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO


def format_eta(seconds: float) -> str:
    if seconds != seconds or seconds == float("inf"):  # NaN or unknown
        return "--:--"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


_DEFAULT_ENABLED: bool | None = None  # None: on a terminal only; False: -q/--quiet was given


def set_default_enabled(value: bool | None) -> None:
    """What `enabled=None` means for the rest of this command (`-q` turns every display off)."""
    global _DEFAULT_ENABLED
    _DEFAULT_ENABLED = value


_ACTIVE: set[Progress] = set()


def clear_active() -> None:
    """Clear every progress line on screen before a line is printed (call from any echo)."""
    for item in list(_ACTIVE):
        item.clear()


def _env_enabled() -> bool | None:
    value = os.environ.get("PINPOINT_MIGRATE_PROGRESS", "").strip().lower()
    return {"1": True, "always": True, "0": False, "never": False}.get(value)


class TotalChangedError(RuntimeError):
    """A progress total changed after units were shown: its ETA would have meant nothing."""


class Progress:
    """Thread-safe progress of `total` units of work, the total fixed before the first unit."""

    def __init__(
        self,
        label: str,
        total: int = 0,
        *,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        min_interval: float = 0.2,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.detail = ""
        self._stream = stream or sys.stderr
        if enabled is None:
            enabled = _DEFAULT_ENABLED
        if enabled is None:
            enabled = _env_enabled()
        self._enabled = self._stream.isatty() if enabled is None else enabled
        self._clock = clock
        self._start = clock()
        self._last_draw = 0.0
        self._min_interval = min_interval
        self._lock = threading.Lock()
        self._fixed = total > 0  # once set, or once a unit is done, the total never changes
        if self._enabled:
            _ACTIVE.add(self)

    def add_total(self, count: int) -> None:
        """Set the total once, before any unit is done (a total that grows as it goes makes the ETA lie)."""
        with self._lock:
            if self._fixed:
                raise TotalChangedError(f"progress {self.label!r}: its total {self.total} is already fixed")
            self.total += count
            self._fixed = True
        self._draw()

    def advance(self, count: int = 1, detail: str = "") -> None:
        with self._lock:
            self.done += count
            self._fixed = True
            if detail:
                self.detail = detail
        self._draw()

    def rate(self) -> float:
        elapsed = max(self._clock() - self._start, 1e-9)
        return self.done / elapsed

    def eta(self) -> float:
        rate = self.rate()
        if rate <= 0 or not self.total:
            return float("inf")
        return max(self.total - self.done, 0) / rate

    def line(self) -> str:
        total = f"/{self.total}" if self.total else ""
        text = f"{self.label}: {self.done}{total} · {self.rate():.1f}/s · ETA {format_eta(self.eta())}"
        return f"{text} · {self.detail}" if self.detail else text

    def _draw(self, force: bool = False) -> None:
        if not self._enabled:
            return
        now = self._clock()
        with self._lock:
            if not force and now - self._last_draw < self._min_interval:
                return
            self._last_draw = now
            self._stream.write("\r\x1b[2K" + self.line()[:160])
            self._stream.flush()

    def clear(self) -> None:
        """Take the line off the terminal (the next draw puts it back): other lines never run into it."""
        if self._enabled:
            with self._lock:
                self._stream.write("\r\x1b[2K")
                self._stream.flush()
                self._last_draw = 0.0

    def close(self) -> None:
        """Done: the line is cleared, so what prints next starts on a clean line."""
        _ACTIVE.discard(self)
        self.clear()
