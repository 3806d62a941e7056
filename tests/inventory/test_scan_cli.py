"""`pinpoint-migrate scan` end to end against emulator worlds."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.inventory.snapshot import load_inventory

READ_PREFIXES = ("Describe", "Get", "List", "Lookup")


def _small_world(path: Path) -> None:
    with Emulator() as emu:
        emu.quotas.request_enforced = False
        sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
        sms.create_opt_out_list(OptOutListName="tenant-one")
        sms.put_opted_out_number(OptOutListName="tenant-one", OptedOutNumber="+12065550100")
        pinpoint = boto3.client("pinpoint", region_name="us-east-1")
        pinpoint.create_app(CreateApplicationRequest={"Name": "tenant one"})
        emu.quotas.request_enforced = True
        emu.quotas.scale_requests(50)
        emu.save(path)


def test_scan_writes_a_deterministic_inventory(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    _small_world(world)
    runner = CliRunner()
    args = ["scan", "--emulator", str(world), "--region", "us-east-1", "--now", "2026-11-27T00:00:00Z"]
    first = runner.invoke(cli, [*args, "--out", str(tmp_path / "a")])
    second = runner.invoke(cli, [*args, "--out", str(tmp_path / "b")])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    a = (tmp_path / "a" / "inventory.json").read_bytes()
    assert a == (tmp_path / "b" / "inventory.json").read_bytes()
    inventory = load_inventory(tmp_path / "a" / "inventory.json")
    assert [x.name for x in inventory.of("pinpoint_apps")] == ["tenant one"]
    sizes = {x.name: x.size for x in inventory.of("opt_out_lists")}
    assert sizes == {"Default": 0, "tenant-one": 1}
    assert inventory.scanned_at == "2026-11-27T00:00:00Z"
    assert "wrote" in first.output
    # a scan changes nothing: the world file is not rewritten and no log is left behind
    assert not world.with_name(world.name + ".log").exists()


def test_scan_makes_no_mutating_call(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    _small_world(world)
    emu = Emulator.load(world)
    with emu:
        from migrate.inventory.run import ScanOptions, run_scan

        run_scan(
            ScanOptions(out_dir=tmp_path / "out", regions=("us-east-1", "eu-west-1"), progress=False),
            emulator=emu,
        )
        calls = list(emu.calls)
    assert calls, "the scan made no call at all"
    mutating = sorted(
        {f"{c.service}.{c.operation}" for c in calls if not c.operation.startswith(READ_PREFIXES)}
    )
    assert mutating == []
    assert {c.region for c in calls if c.service == "pinpoint-sms-voice-v2"} == {"us-east-1", "eu-west-1"}


def test_denied_region_is_recorded_and_the_rest_is_complete(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    _small_world(world)
    emu = Emulator.load(world)
    with emu:
        from migrate.inventory.run import ScanOptions, run_scan

        emu.faults.fail("GetApps", "ForbiddenException", times=100, message="User is not authorized")
        outcome = run_scan(
            ScanOptions(out_dir=tmp_path / "out", regions=("us-east-1",), progress=False), emulator=emu
        )
    statuses = {s.name: s.status for s in outcome.inventory.sections}
    assert statuses["pinpoint.apps"] == "denied"
    assert statuses["v2.opt_out_lists"] == "ok"
    assert {x.name for x in outcome.inventory.of("opt_out_lists")} == {"Default", "tenant-one"}


def test_bad_emulator_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "something-else"}))
    result = CliRunner().invoke(cli, ["scan", "--emulator", str(bad), "--region", "us-east-1"])
    assert result.exit_code == 1
    assert "not a pinpoint-migrate emulator world" in result.output
    assert "Traceback" not in result.output


def test_csv_tables_and_region_discovery(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    _small_world(world)
    result = CliRunner().invoke(
        cli, ["scan", "--emulator", str(world), "--format", "json", "--format", "csv", "--out", str(tmp_path / "o"),
              "--max-workers", "64"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    inventory = load_inventory(tmp_path / "o" / "inventory.json")
    # no --region: every region where Pinpoint or SMS/Voice v2 exists and the account has enabled (the
    # emulated account answers ListRegions: opt-in regions are off) is scanned (v2 in each of them)
    assert len(inventory.regions) > 10 and "us-east-1" in inventory.regions
    assert "me-south-1" not in inventory.regions
    v2_regions = {s.region for s in inventory.sections if s.name == "v2.opt_out_lists"}
    assert v2_regions == set(inventory.regions)
    # no emulator artefact on the screen (it used to print "404 on ListRegions: Not yet implemented")
    assert "note:" not in result.output and "Not yet implemented" not in result.output
    tables = {p.name for p in (tmp_path / "o" / "csv").glob("*.csv")}
    assert {"pinpoint_apps.csv", "opt_out_lists.csv"} <= tables
    import pandas as pd

    apps = pd.read_csv(tmp_path / "o" / "csv" / "pinpoint_apps.csv")
    assert list(apps["name"]) == ["tenant one"]


def test_org_role_scans_every_active_account(tmp_path: Path) -> None:
    with Emulator() as emu:
        emu.quotas.scale_requests(50)
        org = boto3.client("organizations", region_name="us-east-1")
        org.create_organization(FeatureSet="ALL")
        member = org.create_account(AccountName="tenant-b", Email="b@example.com")["CreateAccountStatus"][
            "AccountId"
        ]
        trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}'
        boto3.client("iam").create_role(RoleName="Auditor", AssumeRolePolicyDocument=trust)
        other = emu.session("us-east-1", account_id=member).client("pinpoint-sms-voice-v2")
        other.create_opt_out_list(OptOutListName="in-member-account")
        from migrate.aws.sessions import SessionOptions
        from migrate.inventory.run import ScanOptions, run_scan

        outcome = run_scan(
            ScanOptions(out_dir=tmp_path, regions=("us-east-1",), progress=False,
                        sessions=SessionOptions(org_role="Auditor")),
            emulator=emu,
        )  # fmt: skip
    accounts = {a.account_id for a in outcome.inventory.accounts}
    assert accounts == {"123456789012", member}
    lists = {(o.account, o.name) for o in outcome.inventory.of("opt_out_lists")}
    assert (member, "in-member-account") in lists
    assert ("123456789012", "in-member-account") not in lists


def test_no_reachable_account_is_an_error_not_an_empty_inventory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile broken]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    with Emulator():
        result = CliRunner().invoke(
            cli,
            ["scan", "--profile", "missing-profile", "--region", "us-east-1", "--out", str(tmp_path / "o")],
        )
    assert result.exit_code == 1, result.output
    assert "no AWS account could be reached" in result.output and "missing-profile" in result.output
    assert not (tmp_path / "o" / "inventory.json").exists()
