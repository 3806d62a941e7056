"""Helpers of the org-scale benchmarks: an emulated Organization served out of process, and child runs.

The emulator runs in its own process (`pinpoint-migrate emulator serve --world FILE`), so the CPU and memory
a benchmark reports are the client's alone, as they would be against AWS. Client runs are child processes
too: each starts clean, so its peak RSS is its own, and old and new code can be measured side by side.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
THROTTLES = ("ThrottlingException", "TooManyRequestsException")


@contextmanager
def served(world: Path, *, quotas: bool = True) -> Iterator[str]:
    """`emulator serve` of `world` on a free port; yields its URL."""
    args = [sys.executable, "-c", "from migrate.cli import main; main()", "emulator", "serve"]
    args += ["--world", str(world), "--port", "0"]
    if not quotas:
        args.append("--no-request-quotas")
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if "http://" not in line:
            raise RuntimeError(f"emulator serve did not start: {line!r}")
        yield "http://" + line.split("http://", 1)[1].split()[0]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def client_env(url: str) -> dict[str, str]:
    """Environment of a client run against `url`: any keys (the server accepts them), no user config."""
    env = dict(os.environ)
    env.update(
        AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="AKIDBENCHMARK", AWS_SECRET_ACCESS_KEY="x",
        AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        PYTHONPATH=str(ROOT),
    )  # fmt: skip
    return env


def run_children(script: Path, jobs: list[dict[str, Any]], url: str) -> tuple[float, list[dict[str, Any]]]:
    """Run `script --child JOB` for every job at once; (wall seconds, each child's JSON report)."""
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), "--child", json.dumps(job)],
            cwd=ROOT,
            env=client_env(url),
            stdout=subprocess.PIPE,
            text=True,
        )
        for job in jobs
    ]
    reports = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"a child run failed (exit {proc.returncode})")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return time.perf_counter() - started, reports


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def count_throttles() -> list[int]:
    """A counter of throttling answers botocore retried, installed for every session made afterwards."""
    import botocore.handlers

    seen = [0]

    def count(response: Any = None, **_kwargs: Any) -> None:
        if (
            response
            and isinstance(response[1], dict)
            and (response[1].get("Error") or {}).get("Code") in THROTTLES
        ):
            seen[0] += 1

    botocore.handlers.BUILTIN_HANDLERS.append(("needs-retry", count))
    return seen


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
