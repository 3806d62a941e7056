"""migrate/progress.py: a total fixed before the first unit, an ETA from the rate, cleared lines."""

from __future__ import annotations

import io

import pytest

from migrate.progress import Progress, TotalChangedError


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_total_cannot_change_once_set_or_once_a_unit_is_done() -> None:
    late = Progress("x", enabled=False)
    late.advance()
    with pytest.raises(TotalChangedError):
        late.add_total(5)
    fixed = Progress("y", 3, enabled=False)
    with pytest.raises(TotalChangedError):
        fixed.add_total(1)
    once = Progress("z", enabled=False)
    once.add_total(4)
    with pytest.raises(TotalChangedError):
        once.add_total(4)


def test_the_eta_is_the_units_left_over_the_rate_and_unknown_before_a_unit() -> None:
    clock = _Clock()
    stream = io.StringIO()
    shown = Progress("fill", 100, stream=stream, enabled=True, clock=clock, min_interval=0)
    assert shown.eta() == float("inf") and "ETA --:--" in shown.line()
    clock.now += 10
    shown.advance(25)
    assert shown.rate() == 2.5 and shown.eta() == 30.0 and "25/100 · 2.5/s · ETA 00:30" in stream.getvalue()
    shown.close()
    assert stream.getvalue().endswith("\r\x1b[2K")


def test_the_environment_switch_shows_it_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setenv("PINPOINT_MIGRATE_PROGRESS", "1")
    Progress("a", 1, stream=stream).advance()
    monkeypatch.setenv("PINPOINT_MIGRATE_PROGRESS", "0")
    Progress("b", 1, stream=stream).advance()
    assert "a: 1/1" in stream.getvalue() and "b:" not in stream.getvalue()
