from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from migrate.emulator import Emulator
from migrate.emulator.timing import PROFILE_ENV
from tests.clocks import clock_before_end_of_support

# Unit tests see every asynchronous state final at once; the tests of those states, the contract suite and
# the realistic end-to-end runs name their profile (and an emulated clock) themselves.
os.environ.setdefault(PROFILE_ENV, "instant")


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """A fresh emulated account with request quotas off (tests that measure quotas switch them on).

    Its clock is the real one: after 2026-10-30, so Pinpoint's engagement APIs are retired, as on AWS."""
    with Emulator(account_id="123456789012") as emulator:
        emulator.quotas.request_enforced = False
        yield emulator


@pytest.fixture
def emu_before_eos() -> Iterator[Emulator]:
    """The same account with its clock pinned before Pinpoint's end of support (engagement APIs served)."""
    with Emulator(account_id="123456789012", clock=clock_before_end_of_support()) as emulator:
        emulator.quotas.request_enforced = False
        yield emulator


# The modules that take longest (measured: the sum of `pytest --durations=0` per module), longest first.
# The suite runs with `--dist loadscope --no-loadscope-reorder` (pyproject): a module goes whole to one
# worker, and a worker that is free takes the next module in collection order, so starting with the longest
# ones keeps both of CI's two cores busy to the end instead of one finishing a long module alone. Any module
# not named keeps its place after these.
LONGEST_FIRST = (
    "tests/benchmarks/test_bench_smoke.py",
    "tests/apply/test_waves.py",
    "tests/apply/test_drift.py",
    "tests/apply/test_refusals.py",
    "tests/apply/test_kill_resume.py",
    "tests/plan/test_shard_filters.py",
    "tests/plan/test_sharded_plan.py",
    "tests/report/test_browser.py",
    "tests/test_demo.py",
    "tests/apply/test_shards.py",
    "tests/emulator/test_persistence.py",
    "tests/security/test_demo_leaks.py",
    "tests/reliability/test_cli_inputs.py",
    "tests/apply/test_shards_processes.py",
    "tests/apply/test_kill_resume_undo.py",
    "tests/apply/invariant/test_property.py",
    "tests/foreign/test_serve.py",
    "tests/inventory/test_optout_sources.py",
    "tests/apply/test_rollback_protection.py",
    "tests/inventory/test_optouts.py",
    "tests/apply/invariant/test_regressions.py",
    "tests/apply/invariant/test_stale_race.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    root = config.rootpath

    def key(item: pytest.Item) -> int:
        return rank.get(str(item.path.relative_to(root)), len(rank))

    items.sort(key=key)  # stable: the order inside a module, and of the modules not named, is kept


_RAN: set[str] = set()  # the test files that ran (this process's, or every worker's in the controller)
_SERVED: set[tuple[str, str]] = set()  # what xdist workers served in strict mode (controller only)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":  # in the xdist controller too: the workers' reports arrive here
        _RAN.add(report.nodeid.split("::")[0])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: gather what each worker's emulators served (`workeroutput`, set at its end)."""
    _SERVED.update((service, op) for service, op in node.workeroutput.get("served_ok", ()))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Conformance: when the whole emulator suite ran, every implemented operation must have answered at
    least once in strict mode (so its response was checked against botocore's output shape). Under xdist
    each worker serves a share: a worker hands its set to the controller, which checks the union."""
    from migrate.emulator.emulator import SERVED_OK
    from migrate.emulator.registry import served_operations

    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller checks
        workeroutput["served_ok"] = sorted(SERVED_OK)
        return
    served = _SERVED | SERVED_OK
    emulator_tests = {str(p.relative_to(session.config.rootpath)) for p in _emulator_test_files(session)}
    if not emulator_tests or not emulator_tests <= _RAN or session.config.option.keyword:
        return  # a partial run proves nothing either way
    missing = [
        f"{service}.{op}"
        for service, ops in served_operations().items()
        for op in ops
        if (service, op) not in served
    ]
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = "conformance: operations never served in strict mode by the suite: " + ", ".join(missing)
        if reporter is not None:
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _emulator_test_files(session: pytest.Session) -> list:  # type: ignore[type-arg]
    from pathlib import Path

    folder = Path(session.config.rootpath) / "tests" / "emulator"
    return sorted(folder.glob("test_*.py"))
