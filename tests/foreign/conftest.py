"""A `pinpoint-migrate emulator serve` process on a free loopback port, for clients outside this process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "from migrate.cli import main; main()"]


def start_server(*args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [*CLI, "emulator", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line or proc.poll() is not None:
            break
    match = re.search(r"http://127\.0\.0\.1:\d+", line)
    if not match:
        proc.kill()
        err = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"emulator serve did not start: {line!r} {err[-2000:]}")
    return proc, match.group(0)


def stop_server(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        _out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
    return err


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh served emulator (an empty account, instant profile)."""
    proc, url = start_server("--profile", "instant", "--no-request-quotas")
    try:
        yield url
    finally:
        stop_server(proc)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
