"""Sharded scans merge into the inventory (and the plan bytes) of one scan; --account and --app-id narrow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.aws.sessions import SessionError, in_shard, parse_shard
from migrate.cli import cli
from migrate.emulator import Emulator

ACCOUNTS = ("111111111111", "222222222222", "333333333333", "444444444444")
ROLES = [a for account in ACCOUNTS for a in ("--role-arn", f"arn:aws:iam::{account}:role/Scanner")]
NOW = ("--now", "2026-12-01T00:00:00Z")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("world") / "world.json"
    _build(path)
    return path


def _build(path: Path) -> None:
    with Emulator() as emu:
        emu.quotas.request_enforced = False
        for n, account in enumerate(ACCOUNTS):
            session = emu.session("us-east-1", account_id=account)
            pinpoint = session.client("pinpoint")
            for t in range(1 + n % 2):
                app = pinpoint.create_app(CreateApplicationRequest={"Name": f"tenant {n}-{t}"})
                app_id = app["ApplicationResponse"]["Id"]
                pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
            session.client("pinpoint-sms-voice-v2").create_opt_out_list(OptOutListName=f"list-{n}")
        emu.quotas.request_enforced = True
        emu.quotas.scale_requests(50)
        emu.save(path)


def _scan(world: Path, out: Path, *extra: str) -> None:
    args = [
        "scan",
        "--emulator",
        str(world),
        "--region",
        "us-east-1",
        "--out",
        str(out),
        *ROLES,
        *NOW,
        *extra,
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output


def _plan(inventories: list[Path], out: Path) -> bytes:
    args = ["plan", "--offline", "--out", str(out / "plan.json"), *NOW]
    for path in inventories:
        args += ["--inventory", str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 2), result.output
    return (out / "plan.json").read_bytes()


def test_shards_merge_into_the_bytes_of_one_scan_and_its_plan(tmp_path: Path, world: Path) -> None:
    _scan(world, tmp_path / "whole")
    whole = tmp_path / "whole" / "inventory.json"
    shards = []
    for k in (1, 2, 3):
        _scan(world, tmp_path / f"shard{k}", "--shard", f"{k}/3")
        shards.append(tmp_path / f"shard{k}" / "inventory.json")
    seen = [{a["account_id"] for a in json.loads(p.read_text())["accounts"]} for p in shards]
    assert set().union(*seen) == set(ACCOUNTS) and sum(len(s) for s in seen) == len(ACCOUNTS)
    single = _plan([whole], tmp_path / "plan-whole")
    merged_dir = tmp_path / "plan-merged"
    merged = _plan(shards[::-1], merged_dir)  # any order
    assert (merged_dir / "inventory.json").read_bytes() == whole.read_bytes()
    assert merged == single


def test_a_missing_shard_is_refused(tmp_path: Path, world: Path) -> None:
    for k in (1, 3):
        _scan(world, tmp_path / f"s{k}", "--shard", f"{k}/3")
    args = ["plan", "--offline", "--out", str(tmp_path / "p" / "plan.json"), *NOW]
    args += ["--inventory", str(tmp_path / "s1" / "inventory.json")]
    args += ["--inventory", str(tmp_path / "s3" / "inventory.json")]
    result = CliRunner().invoke(cli, args)
    assert (
        result.exit_code != 0 and "shard(s) 2/3 missing" in result.output and "Traceback" not in result.output
    )


def test_account_and_app_id_narrow_a_scan(tmp_path: Path, world: Path) -> None:
    _scan(world, tmp_path / "whole")
    apps = json.loads((tmp_path / "whole" / "inventory.json").read_text())["records"]["pinpoint_apps"]
    target = next(a for a in apps if a["account"] == ACCOUNTS[1])
    _scan(world, tmp_path / "one", "--account", ACCOUNTS[1], "--app-id", target["app_id"])
    data = json.loads((tmp_path / "one" / "inventory.json").read_text())
    assert [a["account_id"] for a in data["accounts"]] == [ACCOUNTS[1]]
    assert [a["app_id"] for a in data["records"]["pinpoint_apps"]] == [target["app_id"]]
    assert {s["account"] for s in data["sections"]} == {ACCOUNTS[1]}
    assert data["options"]["accounts_requested"] == [ACCOUNTS[1]]


def test_shards_are_stable_and_cover_every_account_once() -> None:
    ids = [f"{n:012d}" for n in range(1000)]
    for n in (1, 2, 7):
        owners = [[k for k in range(1, n + 1) if in_shard(a, k, n)] for a in ids]
        assert all(len(o) == 1 for o in owners)
    assert parse_shard("2/8") == (2, 8)
    for bad in ("0/3", "4/3", "x", "1/0", "1-3"):
        with pytest.raises(SessionError):
            parse_shard(bad)
