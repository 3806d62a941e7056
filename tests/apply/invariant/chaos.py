"""Faults at a chosen call of a run: kill -9, a 500 that outlasts botocore's retries, a lost response.

The handlers sit around the emulator's own in botocore's `before-send` chain (as tests/apply/test_faults.py
does), so botocore's retries, the apply's journal and the emulator's world see exactly what a real fault
would leave:

- **kill** (`Killed`, a BaseException nothing in the product catches): at the n-th call of the run, before
  AWS acted on it or after it acted but before the answer arrived. From then on the "process" is dead:
  every further call and every journal write raises `Killed` too, so no record is written after the
  moment of death. The journal fsyncs each record before returning, so what it holds is what a SIGKILL
  leaves (tests/apply/test_kill_resume.py kills real processes for the same claim).
- **500**: the emulator's own fault injection (`emu.faults.fail`) answers the n-th call and the next
  `times - 1` calls of that operation with InternalServerException; botocore retries, and when `times`
  outlasts its attempts the step fails.
- **lost**: the n-th call is served (the world changes) and the answer is lost (`ConnectionClosedError`)
  `times` times in a row, so botocore retries an operation that already took effect.

Apply's steps and a fill's puts run one at a time (an inline executor in place of the thread pools), so "the n-th call" is the
same call every time an example is replayed: hypothesis can shrink a failure to its smallest run.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import botocore.handlers
from botocore.exceptions import ConnectionClosedError
from botocore.retries.standard import ExponentialBackoff

import migrate.apply.clients as clients_module
import migrate.apply.executor as executor_module
import migrate.apply.fill as fill_module
import migrate.apply.journal as journal_module
import migrate.inventory.live_scan as live_module
import migrate.inventory.run as run_module
from migrate.emulator import Emulator, dispatch


class Killed(BaseException):
    """The process died here (kill -9): nothing after this moment runs."""


@dataclass(frozen=True)
class Fault:
    at: int  # the n-th call to SMS/Voice v2 of the run (1-based)
    what: str  # kill-before | kill-after | 500 | lost
    times: int = 1  # 500 / lost: how many calls in a row

    def __str__(self) -> str:
        return f"{self.what}@{self.at}" + (f"x{self.times}" if self.what in ("500", "lost") else "")


class Chaos:
    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.fault: Fault | None = None
        self.calls = 0
        self.dead = False
        self.lose = 0
        self.fired = False
        # Called before each v2 call of the run with its number and operation (not for the calls it makes
        # itself): a test runs another command there, as a second process would at that moment.
        self.pause: Callable[[int, str], None] | None = None
        self._pausing = False

    def arm(self, fault: Fault | None) -> None:
        self.fault, self.calls, self.dead, self.lose, self.fired = fault, 0, False, 0, False

    def disarm(self) -> None:
        self.arm(None)

    def before(self, request: Any, event_name: str = "", **_kwargs: Any) -> None:
        if ".pinpoint-sms-voice-v2." not in f"{event_name}.":
            return
        if self.dead:
            raise Killed(event_name)
        if self._pausing:
            return  # a call of the command run in the pause: not one of the run's
        self.calls += 1
        if self.pause is not None:
            self._pausing = True
            try:
                self.pause(self.calls, event_name.rsplit(".", 1)[-1])
            finally:
                self._pausing = False
        fault = self.fault
        if fault is None or self.calls != fault.at:
            return
        self.fired = True
        operation = event_name.rsplit(".", 1)[-1]
        if fault.what == "kill-before":
            self.dead = True
            raise Killed(event_name)
        if fault.what == "500":
            self.emu.faults.fail(operation, "InternalServerException", times=fault.times)
        if fault.what == "lost":
            self.lose = fault.times

    def after(self, request: Any, event_name: str = "", **_kwargs: Any) -> None:
        if ".pinpoint-sms-voice-v2." not in f"{event_name}." or self._pausing:
            return
        fault = self.fault
        if fault is not None and fault.what == "kill-after" and self.calls == fault.at and not self.dead:
            self.dead = True  # the emulator has served it (the world changed); the process dies
            raise Killed(event_name)
        if self.lose > 0:
            self.lose -= 1  # served; the answer never arrives, botocore retries it
            raise ConnectionClosedError(endpoint_url=request.url)


class _Inline:
    """ThreadPoolExecutor's face, running each step at once in the caller's thread (deterministic order)."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # a Killed step is a future with that exception, as in a thread
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


@contextlib.contextmanager
def rigged(emu: Emulator) -> Iterator[Chaos]:
    """Install the fault handlers, the inline executor, a journal that dies with the process, and
    botocore's own backoff 100 times shorter (so retried 500s cost milliseconds)."""
    chaos = Chaos(emu)
    handlers = botocore.handlers.BUILTIN_HANDLERS
    saved_handlers = list(handlers)
    at = handlers.index(("before-send", dispatch._before_send))
    handlers.insert(at + 1, ("before-send", chaos.after))
    handlers.insert(at, ("before-send", chaos.before))
    saved_pool = executor_module.ThreadPoolExecutor
    executor_module.ThreadPoolExecutor = _Inline  # type: ignore[misc,assignment]
    # The fill's puts (one in flight: FillSettings(workers=1)) in the caller's thread too: the same order, and
    # no hand-off to a worker thread per put.
    saved_fill_pool = fill_module.ThreadPoolExecutor
    fill_module.ThreadPoolExecutor = _Inline  # type: ignore[misc,assignment]
    append = journal_module.Journal.append

    def dying_append(journal: Any, event: str, **fields: Any) -> dict[str, Any]:
        if chaos.dead:
            raise Killed("journal write after death")
        return append(journal, event, **fields)

    journal_module.Journal.append = dying_append  # type: ignore[method-assign]
    # One set of sessions for every run of the test (made after the handlers went in, so they carry them):
    # a new botocore session and its STS call per apply, re-plan and rollback would cost more than the run.
    opened: dict[str, Any] = {}
    open_sessions = run_module.open_sessions

    def reused(options: Any, **kwargs: Any) -> Any:
        key = repr((options, sorted(kwargs.items(), key=lambda kv: kv[0])))
        if key not in opened:
            opened[key] = open_sessions(options, **kwargs)
        return opened[key]

    run_module.open_sessions = clients_module.open_sessions = reused  # type: ignore[assignment]
    live_module.open_sessions = reused  # type: ignore[assignment]
    # The live v2 scan (apply's stale-plan check, a re-plan) reads its sections on 32 threads: in any order,
    # so "the n-th call" would be another call on a replay (hypothesis calls that flaky). One thread here.
    scan_options = clients_module.AwsOptions.scan_options

    def one_thread(options: Any) -> Any:
        return dataclasses.replace(scan_options(options), max_workers=1)

    clients_module.AwsOptions.scan_options = one_thread  # type: ignore[method-assign]
    backoff = ExponentialBackoff._DEFAULT_BACKOFF_CONFIG
    ExponentialBackoff._DEFAULT_BACKOFF_CONFIG = {
        "throttling_base_scale": 0.0001,
        "non_throttling_base_scale": 0.0001,
    }
    try:
        yield chaos
    finally:
        handlers[:] = saved_handlers
        executor_module.ThreadPoolExecutor = saved_pool  # type: ignore[misc]
        fill_module.ThreadPoolExecutor = saved_fill_pool  # type: ignore[misc]
        journal_module.Journal.append = append  # type: ignore[method-assign]
        ExponentialBackoff._DEFAULT_BACKOFF_CONFIG = backoff
        run_module.open_sessions = clients_module.open_sessions = open_sessions  # type: ignore[assignment]
        live_module.open_sessions = open_sessions  # type: ignore[assignment]
        clients_module.AwsOptions.scan_options = scan_options  # type: ignore[method-assign]
