"""Benchmark: the readiness report for 1,000 tenants versus 10 tenants scaled up a hundredfold.

Builds an inventory of `--tenants` tenants (default 1,000; per tenant an SMS channel, a number and an
opt-out export; see `tests/report/world.py`), plans it with the real planner (offline, not timed), then
times, in this process:

- model: `build_report` (masking included);
- html: `render_html` (the page's size is printed too);
- json + csv: `readiness.json` and the four CSV tables.

The baseline extrapolates the 10-tenant run linearly: the cost of an empty report (stylesheet, script,
charts) plus a hundred times what the 10 tenants added to it. A ratio near 1.0 means the report grows
linearly with the tenants; above 1 it grows faster (a quadratic look-up would show here). With `--browser` it also opens the large
page in headless Chromium (`/usr/bin/chromium`) and times the load and a sort of the steps table.

    python benchmarks/bench_report.py --tenants 1000 --browser
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migrate.inventory.snapshot import Inventory
from migrate.report.csvout import csv_tables
from migrate.report.html import render_html
from migrate.report.jsonout import dumps
from migrate.report.model import build_report
from tests.report import world


def inputs(tenants: int) -> tuple[Inventory, dict[str, Any]]:
    """The report tests' world with `tenants` tenants, planned by the real planner (offline)."""
    inventory = world.inventory([f"Tenant {n:05d} <{n % 7}>" for n in range(tenants)])
    return inventory, world.planned(inventory).data


@dataclass
class Timing:
    model: float = 0.0
    html: float = 0.0
    data: float = 0.0
    html_bytes: int = 0
    json_bytes: int = 0

    @property
    def total(self) -> float:
        return self.model + self.html + self.data


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def measure(tenants: int, repeat: int) -> tuple[Timing, str]:
    inventory, plan = inputs(tenants)
    best = Timing(model=float("inf"), html=float("inf"), data=float("inf"))
    page = ""
    for _ in range(repeat):
        report, model = _timed(lambda: build_report(inventory, plan, now="2026-11-27T00:00:00Z"))
        page, html = _timed(lambda: render_html(report))  # noqa: B023
        (text, _tables), data = _timed(lambda: (dumps(report), csv_tables(report)))  # noqa: B023
        best.model, best.html, best.data = min(best.model, model), min(best.html, html), min(best.data, data)
        best.html_bytes, best.json_bytes = len(page.encode()), len(text.encode())
    return best, page


def browser(page: str) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
    ]
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        path = Path(folder) / "readiness.html"
        path.write_text(page, encoding="utf-8")
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        tab = chromium.new_page(viewport={"width": 1366, "height": 768})
        _, load = _timed(lambda: tab.goto(path.as_uri(), wait_until="load"))
        button = tab.locator("#steps-table thead th", has_text="Target").locator("button")
        _, sort = _timed(button.click)
        chromium.close()
    return load, sort


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=10, help="tenants of the baseline run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest counts")
    parser.add_argument("--browser", action="store_true", help="also open the page in headless Chromium")
    options = parser.parse_args()

    empty, _ = measure(0, options.repeat * 3)
    small, _ = measure(options.baseline, options.repeat * 3)
    large, page = measure(options.tenants, options.repeat)
    scale = options.tenants / options.baseline
    baseline = Timing(
        *(
            getattr(empty, f) + (getattr(small, f) - getattr(empty, f)) * scale
            for f in ("model", "html", "data")
        ),
        round(empty.html_bytes + (small.html_bytes - empty.html_bytes) * scale),
        round(empty.json_bytes + (small.json_bytes - empty.json_bytes) * scale),
    )
    print(f"{'run':32} {'model s':>8} {'html s':>8} {'json+csv s':>10} {'total s':>8} {'HTML bytes':>12}")
    for label, timing in (
        ("0 tenants", empty),
        (f"{options.baseline} tenants", small),
        (f"baseline for {options.tenants} (linear)", baseline),
        (f"{options.tenants} tenants", large),
    ):
        print(
            f"{label:32} {timing.model:>8.3f} {timing.html:>8.3f} {timing.data:>10.3f} {timing.total:>8.3f} "
            f"{timing.html_bytes:>12,}"
        )
    print(f"render time ratio ({options.tenants} / linear baseline): {large.total / baseline.total:.2f}x")
    print(
        f"HTML size ratio   ({options.tenants} / linear baseline): {large.html_bytes / baseline.html_bytes:.2f}x"
    )
    print(f"HTML: {large.html_bytes / 1e6:.1f} MB, readiness.json: {large.json_bytes / 1e6:.1f} MB")
    if options.browser:
        load, sort = browser(page)
        print(f"Chromium: page loaded in {load:.2f} s, steps table sorted in {sort:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
