"""Throttling storms, 500s and dropped connections (before AWS sees a call, and after it acted but before the
answer arrived) are survived by botocore's standard retries: the end state equals a clean apply's."""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import botocore.handlers
import pytest
from botocore.exceptions import ConnectionClosedError
from botocore.retries.standard import ExponentialBackoff

from apply.world import NOW, Demo, copy_demo
from migrate.apply.clients import AwsOptions
from migrate.apply.stale import scan_live
from migrate.aws.sessions import SessionOptions
from migrate.emulator import dispatch
from migrate.inventory.run import ScanOptions
from migrate.mapping.desired import DEFAULT_COPY_THROUGH_KEY, VERIFIED_THROUGH_KEY

TIMES = (VERIFIED_THROUGH_KEY, DEFAULT_COPY_THROUGH_KEY)  # tags holding an entry's time: differ per run


def end_state(demo: Demo, emu: Any) -> dict[str, Any]:
    """The v2 state with the emulator's generated ids replaced by the names the tool gives (pools by tag)."""
    live = scan_live(demo.plan(), ScanOptions(progress=False, now=NOW), emu)
    pools = {p.pool_id: p.tags.get("Name", p.pool_id) for p in live.of("pools")}
    state: dict[str, Any] = {
        "pools": sorted(
            (
                pools[p.pool_id],
                p.message_type,
                p.opt_out_list,
                p.deletion_protection,
                p.identities,
                sorted(p.tags.items()),
            )
            for p in live.of("pools")
        ),
        # the time of the newest entry a verify saw differs from run to run, as entries' times do
        "lists": sorted(
            (o.name, o.size, sorted((k, v) for k, v in o.tags.items() if k not in TIMES))
            for o in live.of("opt_out_lists")
        ),
        "sets": sorted(repr(c) for c in live.of("configuration_sets")),
        "numbers": sorted(
            (n.phone_number, n.opt_out_list, pools.get(n.pool_id, n.pool_id))
            for n in live.of("phone_numbers")
        ),
    }
    return state


class Resets:
    """Drop the connection of a share of calls: before the emulator answers, or after it acted."""

    def __init__(self, probability: float, seed: int) -> None:
        self.rng = random.Random(seed)
        self.probability = probability
        self.lock = threading.Lock()
        self.before = self.after = 0

    def _roll(self) -> bool:
        with self.lock:
            return self.rng.random() < self.probability

    def drop_before(self, request: Any, event_name: str = "", **_kwargs: Any) -> None:
        if "sms-voice" in event_name and self._roll():
            self.before += 1
            raise ConnectionClosedError(endpoint_url=request.url)

    def drop_after(self, request: Any, event_name: str = "", **_kwargs: Any) -> None:
        if "sms-voice" in event_name and self._roll():
            self.after += 1  # the emulator has served it (and changed the world); the answer is lost
            raise ConnectionClosedError(endpoint_url=request.url)


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's own backoff, 100 times shorter, so a storm takes seconds in a test."""
    monkeypatch.setattr(
        ExponentialBackoff,
        "_DEFAULT_BACKOFF_CONFIG",
        {"throttling_base_scale": 0.01, "non_throttling_base_scale": 0.0005},
    )


@pytest.fixture(scope="module")
def clean_state(demo_base: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    clean = copy_demo(demo_base, tmp_path_factory.mktemp("clean"))
    with clean.emulator() as emu:
        assert clean.apply(emu).ok
        return end_state(clean, emu)


def _rough(demo: Demo, monkeypatch: pytest.MonkeyPatch, resets: Resets) -> None:
    handlers = list(botocore.handlers.BUILTIN_HANDLERS)
    at = handlers.index(("before-send", dispatch._before_send))
    handlers.insert(at + 1, ("before-send", resets.drop_after))
    handlers.insert(at, ("before-send", resets.drop_before))
    monkeypatch.setattr(botocore.handlers, "BUILTIN_HANDLERS", handlers)


def test_throttles_500s_and_dropped_connections_are_retried_by_botocore(
    demo: Demo, clean_state: dict[str, Any], monkeypatch: pytest.MonkeyPatch, fast_backoff: None
) -> None:
    resets = Resets(0.03, seed=11)
    _rough(demo, monkeypatch, resets)
    with demo.emulator() as emu:
        emu.faults.chaos("*", 0.12, seed=7, codes=("ThrottlingException", "InternalServerException"))
        aws = AwsOptions(sessions=SessionOptions(max_attempts=10), now=NOW)
        result = demo.apply(emu, aws=aws, max_workers=6)
        errors = [c.error for c in emu.calls if c.error]
        emu.faults.clear()
        monkeypatch.undo()
        assert result.ok, "\n".join(result.summary())  # one run: the standard retries were enough
        assert errors.count("ThrottlingException") > 20 and errors.count("InternalServerException") > 20
        assert resets.before > 5 and resets.after > 5
        assert end_state(demo, emu) == clean_state


def test_a_storm_that_outlasts_the_retries_is_finished_by_running_apply_again(
    demo: Demo, clean_state: dict[str, Any], monkeypatch: pytest.MonkeyPatch, fast_backoff: None
) -> None:
    resets = Resets(0.08, seed=5)
    _rough(demo, monkeypatch, resets)
    with demo.emulator() as emu:
        emu.faults.chaos("*", 0.3, seed=3, codes=("ThrottlingException", "InternalServerException"))
        aws = AwsOptions(sessions=SessionOptions(max_attempts=8), now=NOW)
        runs = [demo.apply(emu, aws=aws, max_workers=6) for _ in range(1)]
        while not runs[-1].ok and len(runs) < 6:  # botocore's retry quota ran dry: steps failed, resume
            runs.append(demo.apply(emu, aws=aws, max_workers=6))
        emu.faults.clear()
        monkeypatch.undo()
        print(f"storm: {len(runs)} run(s), resets {resets.before}+{resets.after}")
        assert runs[-1].ok, "\n".join(runs[-1].summary())
        assert resets.before > 20 and resets.after > 20
        assert end_state(demo, emu) == clean_state
