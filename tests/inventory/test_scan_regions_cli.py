"""`scan --region` names checked against botocore's partition data; a scan that read nothing exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.inventory.snapshot import load_inventory


@pytest.fixture
def world(tmp_path: Path) -> Path:
    path = tmp_path / "world.json"
    with Emulator() as emu:
        emu.save(path)
    return path


@pytest.mark.parametrize(
    ("value", "close"),
    [("useast1", "us-east-1"), ("us-east-9", "us-east-1"), ("US-EAST-1", "us-east-1"), ("eu-westt-1", "eu-west-1"),
     ("ap-southeast-22", "ap-southeast-2"), ("us-east-1, euwest1", "eu-west-1")],
)  # fmt: skip
def test_a_region_no_partition_knows_is_refused_naming_close_ones(
    world: Path, tmp_path: Path, value: str, close: str
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["scan", "--emulator", str(world), "--region", value, "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "not an AWS region" in result.output and close in result.output
    assert "Traceback" not in result.output and not (out / "inventory.json").exists()


def test_a_comma_list_is_split_into_its_regions(world: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["scan", "--emulator", str(world), "--region", "us-east-1,eu-west-1", "--region", "ap-south-1"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    inventory = load_inventory(out / "inventory.json")
    assert sorted(set(inventory.regions)) == ["ap-south-1", "eu-west-1", "us-east-1"]
    # read, or retired by Pinpoint's end of support (the world follows its clock past 2026-10-30)
    assert all(s.status in ("ok", "retired") for s in inventory.sections if s.region == "eu-west-1")


def test_a_scan_that_could_read_no_section_exits_1_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Emulator() as emu:
        emu.quotas.request_enforced = False
        emu.faults.chaos("*", 1.0, codes=("AccessDeniedException",))
        emu.faults.fail("sns.ListPhoneNumbersOptedOut", "AuthorizationError", times=100)  # moto-served
        result = CliRunner().invoke(cli, ["scan", "--region", "us-east-1", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "no section could be read" in result.output
    lines = result.output.splitlines()
    assert "found " not in lines and all(line.strip() != "found" for line in lines)
