"""`pinpoint-migrate apply` killed with SIGKILL at seeded random moments (six by default, three on the
realistic profile; `PINPOINT_MIGRATE_KILLS=N` for more), then run again to the end: exactly the planned
resources (none twice), every opt-out on its list, and verify passes. Each kill is a new process (about a
second of start-up): the suite's time keeps the default small, and the invariant property test
(tests/apply/invariant/) kills apply before and after every call in process."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from apply.world import NOW, Demo, file_numbers, make_realistic
from migrate.apply.clients import AwsOptions
from migrate.apply.commands import VerifyOptions, run_verify
from migrate.emulator import Emulator

SEED = 20261127
KILLS = int(os.environ.get("PINPOINT_MIGRATE_KILLS", "6"))


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _start(demo: Demo) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-c", "from migrate.cli import main; main()", "apply", str(demo.plan_path),
        "--emulator", str(demo.world), "--yes", "--quiet", "--checkpoint-every", "20", "--now", NOW,
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.parametrize("profile", ["instant", "realistic"])
def test_killed_many_times_then_resumed_ends_with_exactly_the_plan(demo: Demo, profile: str) -> None:
    # realistic: pools stay CREATING for emulated seconds, so kills land in apply's waits too
    if profile == "realistic":
        make_realistic(demo)
    # Default as the scan saw it: its entries go into every tenant list. (apply may add a sender-ID tenant's
    # verified list onto Default later, and those are not copied back into other tenants' lists.)
    with Emulator.load(demo.world) as emu:
        scanned_default = {
            region: {
                n["OptedOutNumber"]
                for page in emu.session(region)
                .client("pinpoint-sms-voice-v2")
                .get_paginator("describe_opted_out_numbers")
                .paginate(OptOutListName="Default")
                for n in page["OptedOutNumbers"]
            }
            for region in demo.plan().data["regions"]
        }
    rng = random.Random(SEED)
    kills = KILLS if profile == "instant" else KILLS // 2  # the suite's time: half as many on the second run
    # a whole apply of the demo journals about 5 lines a step: the kills are spread over all of it (a gap of
    # 4 to twice the mean), so fewer kills still land among the fills, the Default copies and the pools
    gap = max(8, 2 * 5 * len(demo.plan().steps) // (kills + 1))
    killed_mid_run = 0
    for _ in range(kills):
        process = _start(demo)
        target = _lines(demo.journal) + rng.randint(4, gap)
        deadline = time.monotonic() + 60
        while process.poll() is None and _lines(demo.journal) < target and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.015))  # anywhere in the work after that record, mid-call included
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed_mid_run += process.returncode == -signal.SIGKILL
    assert killed_mid_run >= kills - 1

    final = _start(demo)
    _out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err.decode()

    plan = demo.plan()
    steps = plan.steps
    with Emulator.load(demo.world) as emu:
        emu.quotas.request_enforced = False
        for region in plan.data["regions"]:
            sms = emu.session(region).client("pinpoint-sms-voice-v2")
            here = [s for s in steps if s["region"] == region]
            pools = sms.describe_pools()["Pools"]
            names = Counter(
                {
                    t["Key"]: t["Value"] for t in sms.list_tags_for_resource(ResourceArn=p["PoolArn"])["Tags"]
                }.get("Name")
                for p in pools
            )
            assert names == Counter(
                s["target"].rsplit("/", 1)[-1] for s in here if s["kind"] == "create_pool"
            )
            lists = Counter(o["OptOutListName"] for o in sms.describe_opt_out_lists()["OptOutLists"])
            planned = Counter(
                s["parameters"]["OptOutListName"] for s in here if s["kind"] == "create_opt_out_list"
            )
            assert lists == planned + Counter({"Default": 1})
            sets = Counter(
                c["ConfigurationSetName"] for c in sms.describe_configuration_sets()["ConfigurationSets"]
            )
            assert sets == Counter(
                s["parameters"]["ConfigurationSetName"]
                for s in here
                if s["kind"] == "create_configuration_set"
            )
            default = scanned_default[region]
            for step in (s for s in here if s["kind"] == "fill_opt_out_list"):
                name = step["parameters"]["OptOutListName"]
                pages = sms.get_paginator("describe_opted_out_numbers").paginate(OptOutListName=name)
                held = {n["OptedOutNumber"] for page in pages for n in page["OptedOutNumbers"]}
                for source in step["parameters"]["sources"]:
                    wanted = set(file_numbers(demo.root / "migration" / source["file"]))
                    assert wanted <= held, f"{len(wanted - held)} opt-outs missing from {name}"
                assert default <= held
        fast = AwsOptions(now=NOW, quotas=("pinpoint-sms-voice-v2:*=1000",))
        checked = run_verify(VerifyOptions(demo.plan_path, fast, echo=lambda _l: None), emulator=emu)
        assert checked.passed, [c for c in checked.checks if not c.ok]
