"""The resume journal's promise at its source: the scanner hands a part (account, region) to `on_target` once,
when every section of it has ended, and never a part one of whose tasks broke off. A section that ended
before the next of its part was queued used to end the part early (journaled with half its records, then
again), and a Ctrl-C inside a part journaled it as whole: `scan --resume` then skipped what was never read."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import boto3
import pytest

from migrate.aws.sessions import AccountSession
from migrate.inventory.scanner import Scanner
from migrate.inventory.sections import SectionSpec

TARGETS = [(AccountSession(f"{n:012d}", "test", boto3.Session()), r) for n in range(1, 31) for r in ("a", "b")]


def _spec(name: str, fn: Any) -> SectionSpec:
    return SectionSpec(name, "region", (), fn)


def _run(sections: dict[str, SectionSpec], workers: int) -> tuple[Counter[tuple[str, str]], BaseException | None]:
    ended: Counter[tuple[str, str]] = Counter()
    lock = threading.Lock()

    def on_target(target: tuple[str, str], records: list[Any], sections_: list[Any]) -> None:
        with lock:
            ended[target] += 1
        assert len(sections_) == len(sections), (target, sections_)  # handed over whole, never half

    scanner = Scanner(None, max_workers=workers, sections=sections, on_target=on_target)  # type: ignore[arg-type]
    try:
        scanner.run(TARGETS)
    except BaseException as exc:  # the test looks at what ended the run
        return ended, exc
    return ended, None


@pytest.mark.parametrize("workers", [1, 2, 8])
def test_every_part_is_handed_over_once_and_whole(workers: int) -> None:
    sections = {f"s{i}": _spec(f"s{i}", lambda scan: []) for i in range(6)}  # instant: ends before the next
    for _ in range(5):
        ended, failed = _run(sections, workers)
        assert failed is None
        assert set(ended) == {(a.account_id, r) for a, r in TARGETS} and set(ended.values()) == {1}


def test_a_part_whose_task_broke_off_is_not_handed_over() -> None:
    doomed = (TARGETS[7][0].account_id, TARGETS[7][1])

    def breaks(scan: Any) -> list[Any]:
        if (scan.account_id, scan.region) == doomed:
            raise KeyboardInterrupt  # not an Exception: the section cannot catch it, the part is cut
        return []

    def slow(scan: Any) -> list[Any]:
        if (scan.account_id, scan.region) == doomed:
            time.sleep(0.1)  # ends after the cut section of its part: the last task of the part
        return []

    ended, failed = _run({"cut": _spec("cut", breaks), "slow": _spec("slow", slow)}, 4)
    assert isinstance(failed, KeyboardInterrupt)
    assert doomed not in ended and set(ended.values()) <= {1}
