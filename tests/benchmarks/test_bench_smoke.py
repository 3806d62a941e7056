"""Every benchmark runs as the README says (`python benchmarks/<name>.py`) in a small size and prints its
ratio lines. No timing is asserted here: the figures depend on the machine and live in the README."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NUMBER = r"[0-9]+(?:\.[0-9]+)?"

CASES = {
    "bench_scan.py": (
        ["--quick"],
        [
            rf"ratio wall / quota-bound minimum: {NUMBER} \(goal <= 1\.2\)",
            rf"ratio sequential / parallel wall time: {NUMBER}x",
            r"parallel scan: .* 0 sections not ok, 0 throttling retries",
        ],
    ),
    "bench_scan_v2_quota.py": (
        ["--quick"],
        [
            rf"ratio wall / quota-bound minimum: {NUMBER} \(goal <= 1\.2\)",
            r"ThrottlingException retries: \d+ \(goal 0\)",
        ],
    ),
    "bench_optout_fill.py": (
        ["--quick"],
        [
            rf"ratio achieved rate / quota: {NUMBER} / 200 = {NUMBER} \(goal >= 0\.95\)",
            rf"ratio plain loop / apply's fill wall time: {NUMBER}x",
            r"errors surfaced to the caller: 0",
        ],
    ),
    "bench_org_scan.py": (
        # one process and one server (the sharded path is the same code with K/N); the quota-bound case runs
        # the same functions with more numbers per account, so it is left out here (0)
        [
            "--accounts",
            "2",
            "--regions",
            "1",
            "--tenants",
            "1",
            "--numbers",
            "1",
            "--quota-numbers",
            "0",
            "--runs",
            "1",
            "--processes",
            "1",
        ],
        [
            rf"small accounts: .*\n  ratio wall / quota-bound minimum: {NUMBER} \(goal <= 1\.3",
            rf"ratio wall / max\(minimum, CPU floor\): {NUMBER}",
            r"throttling retries: \d+ \(goal 0\)",
            rf"ratio old / new per-account CPU: {NUMBER}x \(goal >= 5\)",
        ],
    ),
    "bench_org_apply.py": (
        [
            "--accounts",
            "2",
            "--regions",
            "1",
            "--lists",
            "1",
            "--numbers",
            "5",
            "--runs",
            "1",
            "--processes",
            "1",
        ],
        [
            rf"ratio achieved rate / summed bucket quotas: {NUMBER} / {NUMBER} = {NUMBER} \(goal >= 0\.9\)",
            r"throttling retries: \d+ \(goal 0\)",
            rf"per account: CPU {NUMBER} ms",
            rf"what \d+ cores can drive with the emulator on them: {NUMBER} puts/s",
        ],
    ),
    "bench_account_cost.py": (
        ["--accounts", "2", "--regions", "1", "--runs", "1"],
        [
            rf"ratio old / new per-account CPU: {NUMBER}x \(goal >= 5\)",
            rf"ratio old / new per-account RSS: {NUMBER}x",
        ],
    ),
    # The benchmarks below take sizes rather than --quick.
    "bench_endpoint_export.py": (
        ["--count", "3000", "--runs", "1"],
        [rf"throughput ratio \(optouts / baseline\): {NUMBER}x", rf"peak RSS ratio .*:\s+{NUMBER}x"],
    ),
    "bench_report.py": (
        ["--tenants", "30", "--repeat", "1"],
        [rf"render time ratio \(30 / linear baseline\): {NUMBER}x", rf"HTML size ratio .*:\s+{NUMBER}x"],
    ),
}


@pytest.mark.parametrize("script", sorted(CASES))
def test_benchmark_runs_and_prints_its_ratios(script: str) -> None:
    args, expected = CASES[script]
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("machine: ") or script in ("bench_endpoint_export.py", "bench_report.py")
    for pattern in expected:
        assert re.search(pattern, done.stdout), f"{script}: no line matching {pattern!r} in\n{done.stdout}"
