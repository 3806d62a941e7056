"""Worlds saved, loaded, made durable per call, and recovered after a kill."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from migrate.emulator import Emulator, WorldFileError

ROOT = Path(__file__).resolve().parents[2]


def _describe_all(region: str) -> dict[str, object]:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name=region)
    lists = sms.describe_opt_out_lists()["OptOutLists"]
    numbers = {
        x["OptOutListName"]: sms.describe_opted_out_numbers(OptOutListName=x["OptOutListName"])[
            "OptedOutNumbers"
        ]
        for x in lists
    }
    return {"lists": lists, "numbers": numbers}


def test_save_load_round_trip_with_moto_side(tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    with Emulator() as emu:
        emu.quotas.request_enforced = False
        sms = boto3.client("pinpoint-sms-voice-v2", region_name="eu-west-2")
        sms.create_opt_out_list(OptOutListName="tenant-a", Tags=[{"Key": "team", "Value": "a"}])
        sms.put_opted_out_number(OptOutListName="tenant-a", OptedOutNumber="+447700900123")
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="export-bucket")
        s3.put_object(Bucket="export-bucket", Key="p/1.gz", Body=b"\x1f\x8b binary")
        boto3.client("kinesis", region_name="eu-west-2").create_stream(StreamName="events", ShardCount=2)
        before = _describe_all("eu-west-2")
        emu.save(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with Emulator.load(path) as again:
        again.quotas.request_enforced = False
        assert _describe_all("eu-west-2") == before
        body = boto3.client("s3", region_name="us-east-1").get_object(Bucket="export-bucket", Key="p/1.gz")
        assert body["Body"].read() == b"\x1f\x8b binary"
        summary = boto3.client("kinesis", region_name="eu-west-2").describe_stream_summary(
            StreamName="events"
        )
        assert summary["StreamDescriptionSummary"]["OpenShardCount"] == 2
        # the saved world saves to the same bytes again
        second = tmp_path / "again.json"
        again.save(second)
    assert json.loads(second.read_text()) == json.loads(path.read_text())


def test_bad_world_files_are_refused_clearly(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(WorldFileError, match="does not exist"):
        Emulator.load(missing)
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    with pytest.raises(WorldFileError, match="not valid JSON"):
        Emulator.load(garbage)
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"hello": 1}))
    with pytest.raises(WorldFileError, match="not a pinpoint-migrate emulator world"):
        Emulator.load(foreign)
    future = tmp_path / "future.json"
    future.write_text(json.dumps({"format": "pinpoint-migrate-emulator-world", "version": 99}))
    with pytest.raises(WorldFileError, match="version 99"):
        Emulator.load(future)


def test_persisted_world_is_compacted_at_exit(tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    with Emulator() as emu:
        emu.save(path)
    with Emulator.load(path, persist=True) as emu:
        emu.quotas.request_enforced = False
        boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1").create_opt_out_list(OptOutListName="x")
        log = path.with_name(path.name + ".log")
        assert log.exists() and len(log.read_text().splitlines()) == 1
    assert not log.exists()
    with Emulator.load(path) as emu:
        names = [
            x["OptOutListName"]
            for x in boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1").describe_opt_out_lists()[
                "OptOutLists"
            ]
        ]
    assert names == ["Default", "x"]


WRITER = """
import sys, boto3
from migrate.emulator import Emulator
emu = Emulator.load(sys.argv[1], persist=True)
emu.start()
emu.quotas.request_enforced = False
sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
sms.create_opt_out_list(OptOutListName="big")
for i in range(100000):
    sms.put_opted_out_number(OptOutListName="big", OptedOutNumber=f"+1206{i:07d}")
    print(i, flush=True)
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_process_leaves_every_finished_call(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "world.json"
    with Emulator() as emu:
        emu.save(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    target = random.Random(seed).randint(20, 120)
    finished = -1
    for line in proc.stdout:
        finished = int(line.split()[0])
        if finished >= target:
            break
    time.sleep(random.Random(seed).random() * 0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Emulator.load(path) as emu:
        emu.quotas.request_enforced = False
        sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
        pages = sms.get_paginator("describe_opted_out_numbers").paginate(OptOutListName="big")
        numbers = [n["OptedOutNumber"] for p in pages for n in p["OptedOutNumbers"]]
    # every call that returned is there; at most the calls in flight since are there too; no gaps
    assert len(numbers) >= finished + 1
    assert numbers == [f"+1206{i:07d}" for i in range(len(numbers))]


def test_demo_world_round_trips_exactly(tmp_path: Path) -> None:
    from migrate.emulator import demo_spec as spec
    from migrate.inventory.run import ScanOptions, run_scan

    first, second = tmp_path / "first.json", tmp_path / "second.json"
    with Emulator.demo() as emu:
        emu.save(first)
        before = run_scan(
            ScanOptions(out_dir=tmp_path / "a", regions=spec.REGIONS, progress=False, now="2026-11-20"),
            emulator=emu,
        )
    with Emulator.load(first) as emu:
        emu.save(second)
        after = run_scan(
            ScanOptions(out_dir=tmp_path / "b", regions=spec.REGIONS, progress=False, now="2026-11-20"),
            emulator=emu,
        )
    assert first.read_bytes() == second.read_bytes()
    # every Describe/Get/List the scan makes answers the same after the round trip
    assert before.path.read_bytes() == after.path.read_bytes()
