"""apply's scheduler fills every quota bucket: one fill per (account, region) at a time, all buckets at once;
puts in flight follow Little's law."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.apply.executor import Executor, bucket_of
from migrate.apply.fill import MAX_IN_FLIGHT, InFlight
from migrate.apply.kinds import KINDS
from migrate.apply.kinds.base import Kind


class _Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: dict[tuple[str, str, str], int] = {}
        self.most_per_bucket = 0
        self.most_buckets = 0
        self.most_short = 0
        self.short = 0
        self.order: list[str] = []
        self.expected_buckets = 0
        self.all_busy = threading.Event()


class _Fill(Kind):
    name = "test_fill"
    bucket_operation: ClassVar[str] = "PutOptedOutNumber"
    recorder: ClassVar[_Recorder]

    def execute(self, run: Any) -> dict[str, Any]:
        rec, step = self.recorder, run
        key = (step["account"], step["region"], "PutOptedOutNumber")
        with rec.lock:
            rec.running[key] = rec.running.get(key, 0) + 1
            rec.most_per_bucket = max(rec.most_per_bucket, rec.running[key])
            rec.most_buckets = max(rec.most_buckets, sum(1 for v in rec.running.values() if v))
            rec.order.append(step["id"])
            if rec.most_buckets >= rec.expected_buckets:
                rec.all_busy.set()
        # a fill lasts until every bucket has one running (or 2 s): a scheduler that leaves a bucket idle
        # while another runs two fills cannot get there
        rec.all_busy.wait(2.0)
        with rec.lock:
            rec.running[key] -= 1
        return {}


class _Short(Kind):
    name = "test_short"
    recorder: ClassVar[_Recorder]

    def execute(self, run: Any) -> dict[str, Any]:
        rec = self.recorder
        with rec.lock:
            rec.short += 1
            rec.most_short = max(rec.most_short, rec.short)
            rec.order.append(run["id"])
        time.sleep(0.005)
        with rec.lock:
            rec.short -= 1
        return {}


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    rec = _Recorder()
    monkeypatch.setattr(_Fill, "recorder", rec, raising=False)
    monkeypatch.setattr(_Short, "recorder", rec, raising=False)
    monkeypatch.setitem(KINDS, "test_fill", _Fill())
    monkeypatch.setitem(KINDS, "test_short", _Short())
    return rec


def _plan(accounts: int, regions: int, lists: int) -> list[dict[str, Any]]:
    """As the planner orders them: a region's lists together, each fill after its list's creation."""
    steps = []
    for a, r, n in itertools.product(range(accounts), range(regions), range(lists)):
        where = {"account": f"{a:012d}", "region": f"region-{r}"}
        create = f"{a}/{r}/create/{n}"
        steps.append({"id": create, "kind": "test_short", "depends_on": [], "parameters": {}, **where})
        fill = f"{a}/{r}/fill/{n}"
        steps.append({"id": fill, "kind": "test_fill", "depends_on": [create], "parameters": {}, **where})
    return steps


def _execute(steps: list[dict[str, Any]], workers: int = 2, dry_run: bool = False) -> Any:
    executor = Executor(
        lambda step, _params: step, {}, write=None, plan_id="p", max_workers=workers, dry_run=dry_run,
        echo=lambda _text: None,
    )  # fmt: skip
    return executor.run(steps)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    accounts=st.integers(1, 3), regions=st.integers(1, 3), lists=st.integers(1, 3), workers=st.integers(1, 4)
)
def test_one_fill_per_bucket_and_every_bucket_at_once(
    recorder: _Recorder, accounts: int, regions: int, lists: int, workers: int
) -> None:
    recorder.__init__()  # type: ignore[misc]  # hypothesis reuses the fixture
    recorder.expected_buckets = accounts * regions
    steps = _plan(accounts, regions, lists)
    outcome = _execute(steps, workers)
    assert outcome.ok and len(outcome.outcomes) == len(steps)
    assert recorder.most_per_bucket == 1  # two fills of one bucket would only share its quota
    assert recorder.most_buckets == accounts * regions  # while --max-workers bounds only the short steps
    assert recorder.most_short <= workers


def test_buckets_are_the_quota_keys() -> None:
    fill = {"kind": "fill_opt_out_list", "account": "1", "region": "r"}
    assert bucket_of(fill) == ("1", "r", "PutOptedOutNumber")
    assert bucket_of({"kind": "create_opt_out_list", "account": "1", "region": "r"}) is None


def test_a_dry_run_still_runs_one_step_at_a_time_in_plan_order(recorder: _Recorder) -> None:
    steps = _plan(2, 2, 2)
    recorder.expected_buckets = 1
    _execute(steps, workers=4, dry_run=True)
    assert recorder.most_per_bucket == 1 and recorder.most_buckets == 1 and recorder.most_short == 1


def test_puts_in_flight_follow_littles_law() -> None:
    window = InFlight(rate=1000.0)
    for _ in range(60):
        window.observe(0.020)
    # 1,000 puts/s x 20 ms = 20 in flight on average, plus slack: never the 8 that reached 0.30 of it
    assert 20 <= window.size() <= 40
    slow = InFlight(rate=9.8)
    for _ in range(60):
        slow.observe(0.020)
    assert slow.size() <= 3  # a 10 rps bucket needs no crowd of threads
    assert InFlight(rate=10_000.0, fixed=0).size() <= MAX_IN_FLIGHT
    assert InFlight(rate=1000.0, fixed=5).size() == 5
    assert InFlight(rate=None).size() == 8
