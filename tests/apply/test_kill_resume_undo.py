"""verify and rollback killed with SIGKILL mid-run on the `realistic` timing profile (emulated clock: pools
DELETING for emulated seconds, which rollback waits out), then run again: verify still passes and rollback
finishes with nothing of the tool's left and no pool still DELETING (issue 14, "Done when")."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from apply.world import NOW, Demo, make_realistic

SEED = 7  # four rollback kills with this seed found the emulator losing a pool's deletion (serving.py)


def _start(demo: Demo, *args: str, quiet: bool = True) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-c", "from migrate.cli import main; main()", *args,
        "--emulator", str(demo.world), "--now", NOW, *(["--quiet"] if quiet else []),
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _kill_after(process: subprocess.Popen[bytes], ready: Callable[[], bool], rng: random.Random) -> bool:
    deadline = time.monotonic() + 60
    while process.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.02))
    process.send_signal(signal.SIGKILL)
    process.wait()
    return process.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_verify_and_rollback_killed_then_rerun_finish_on_the_realistic_profile(demo: Demo) -> None:
    make_realistic(demo)
    with demo.emulator(persist=True) as emu:
        assert demo.apply(emu).ok
    rng = random.Random(SEED)
    results = demo.root / "verify-results.json"

    # verify is read-only: a kill anywhere leaves nothing to repair, and the next run passes
    for _ in range(1):
        process = _start(demo, "verify", str(demo.plan_path), "--results", str(results))
        time.sleep(rng.uniform(1.0, 2.5))  # past start-up, inside its checks
        process.send_signal(signal.SIGKILL)
        process.wait()
    final = _start(demo, "verify", str(demo.plan_path), "--results", str(results), quiet=False)
    out, _err = final.communicate(timeout=180)
    assert final.returncode == 0, out.decode()[-3000:]

    applied = _lines(demo.journal)
    killed = 0
    for _ in range(4):
        process = _start(demo, "rollback", "--journal", str(demo.journal), "--yes")
        target = _lines(demo.journal) + rng.randint(1, 8)
        killed += _kill_after(process, lambda t=target: _lines(demo.journal) >= t, rng)
    assert killed >= 1 and _lines(demo.journal) > applied  # killed inside its work, some of it journaled
    final = _start(demo, "rollback", "--journal", str(demo.journal), "--yes", quiet=False)
    out, _err = final.communicate(timeout=180)
    assert final.returncode == 0, out.decode()[-3000:]

    with demo.emulator() as emu:
        for region in demo.plan().data["regions"]:
            sms = emu.session(region).client("pinpoint-sms-voice-v2")
            assert sms.describe_pools()["Pools"] == []  # gone, none left DELETING
            assert [o["OptOutListName"] for o in sms.describe_opt_out_lists()["OptOutLists"]] == ["Default"]
            assert sms.describe_configuration_sets()["ConfigurationSets"] == []
