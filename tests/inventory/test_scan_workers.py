"""A scan reads the long sections of every account and region at once: most of its threads sleep until
their turn in a per-(account, region) 1 rps bucket, so a fixed pool of 32 ran an Organization's such sections
in waves (issue 17). `scan_workers` sizes the pool from the parts scanned unless --max-workers is given."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest

from migrate.aws.sessions import AccountSession
from migrate.inventory.scan_options import MAX_WORKERS, scan_workers
from migrate.inventory.scanner import Scanner
from migrate.inventory.sections import SectionSpec


@pytest.mark.parametrize("parts", [1, 10, 40, 56])
def test_every_parts_long_section_runs_at_once(parts: int) -> None:
    """Each part has a few quick sections and one that blocks until every part's has started (as 1 rps
    sleeps overlap in time): with the pool `scan_workers` gives, none waits for another's to end."""
    targets = [(AccountSession(f"{n:012d}", "t", boto3.Session()), r) for n in range(parts) for r in ("a",)]
    together = threading.Barrier(parts)

    def long(scan: Any) -> list[Any]:
        together.wait(timeout=20)  # broken (and the part not ok) if the pool ran them in waves
        return []

    sections = {f"quick{i}": SectionSpec(f"quick{i}", "region", (), lambda scan: []) for i in range(3)}
    sections["long"] = SectionSpec("long", "region", (), long)
    result = Scanner(None, max_workers=scan_workers(0, parts), sections=sections).run(targets)  # type: ignore[arg-type]
    assert [s for s in result.sections if s.status != "ok"] == []
    assert len(result.sections) == 4 * parts


def test_workers_asked_for_win_and_the_pool_is_bounded() -> None:
    assert scan_workers(8, 500) == 8
    assert scan_workers(0, 1) == 36
    assert scan_workers(0, 10_000) == MAX_WORKERS
    assert [scan_workers(0, n) for n in (1, 2, 10)] == sorted({scan_workers(0, n) for n in (1, 2, 10)})


def test_early_sections_of_every_part_start_first() -> None:
    """A part's chain of 1 rps calls (its early section) starts before any part's other sections, so the
    last part's chain does not start behind every other part's (one thread makes the order visible)."""
    order: list[str] = []
    lock = threading.Lock()

    def note(name: str) -> Any:
        def fn(scan: Any) -> list[Any]:
            with lock:
                order.append(name)
            return []

        return fn

    targets = [(AccountSession(f"{n:012d}", "t", boto3.Session()), "r") for n in range(5)]
    sections = {f"quick{i}": SectionSpec(f"quick{i}", "region", (), note("quick")) for i in range(3)}
    sections["long"] = SectionSpec("long", "region", (), note("long"), early=True)
    result = Scanner(None, max_workers=1, sections=sections).run(targets)  # type: ignore[arg-type]
    assert order == ["long"] * 5 + ["quick"] * 15
    assert {s.status for s in result.sections} == {"ok"} and len(result.sections) == 20
