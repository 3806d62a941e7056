"""A scan and a live v2 read done by shards of accounts, merged, give the plan bytes of one run.

On the demo world (one account: one shard holds it, the other is empty) with everything the demo scans
(exports read from S3, the CRM suppression file, code, CloudTrail), and on a four-account world where
every shard holds accounts and the records of several accounts share names (the tie-breaks of sorting).
"""

from __future__ import annotations

import dataclasses
import random
import stat
from pathlib import Path

import pytest

from migrate.aws.sessions import SessionOptions
from migrate.demo import SAMPLE_CODE, _load_at, _write_sample_code
from migrate.demo_crm import write_crm_csv
from migrate.emulator import Emulator
from migrate.emulator import demo_spec as spec
from migrate.inventory.live_scan import scan_live_v2
from migrate.inventory.merge import merge_into, merge_loaded
from migrate.inventory.run import ScanOptions, run_scan
from migrate.inventory.snapshot import Inventory, load_inventory
from migrate.plan.commands import run_plan
from tests.inventory.test_scan_shards import ACCOUNTS
from tests.inventory.test_scan_shards import _build as build_accounts

SHARDS = 3


def _demo_options(root: Path, world: Emulator) -> ScanOptions:
    crm = write_crm_csv(world, root / "crm-suppression.csv")
    code = _write_sample_code(root / "sample-app")
    assert SAMPLE_CODE
    return ScanOptions(
        regions=spec.REGIONS, now=spec.DEMO_NOW, progress=False, code=(code,), cloudtrail_days=90,
        optouts=(str(crm),),
        endpoints_exports=(f"s3://{spec.EXPORT_BUCKET}/{spec.PRE_DEADLINE_EXPORT_PREFIX}",),
    )  # fmt: skip


def _sharded(options: ScanOptions, k: int, n: int, out: Path) -> ScanOptions:
    return dataclasses.replace(
        options, out_dir=out, sessions=dataclasses.replace(options.sessions, shard=(k, n))
    )


def _plan_both_ways(tmp_path: Path, world_path: Path, options: ScanOptions, now: str) -> None:
    with _load_at(world_path, now) as emu:
        whole = run_scan(dataclasses.replace(options, out_dir=tmp_path / "whole"), emulator=emu)
        live = scan_live_v2(options, whole.inventory, emulator=emu)
        shard_paths, live_shards = [], []
        for k in range(1, SHARDS + 1):
            found = run_scan(_sharded(options, k, SHARDS, tmp_path / f"shard{k}"), emulator=emu)
            shard_paths.append(found.path)
            live_shards.append(
                (
                    Path(f"live {k}"),
                    scan_live_v2(_sharded(options, k, SHARDS, tmp_path), whole.inventory, emulator=emu),
                )
            )
    single = run_plan(whole.path, None, tmp_path / "single" / "plan.json", False, live_inventory=live)
    merged_dir = tmp_path / "merged"
    merged_dir.mkdir()
    merged_inventory = merged_dir / "inventory.json"
    _merged, gathered = merge_into(shard_paths[::-1], merged_inventory)
    assert merged_inventory.read_bytes() == whole.path.read_bytes()
    # the shards' numbers files are beside the merged inventory, as one scan leaves them beside its own
    assert gathered and all(stat.S_IMODE(p.lstat().st_mode) == 0o600 for p in gathered)
    assert {p.relative_to(merged_dir): p.read_bytes() for p in gathered} == {
        p.relative_to(whole.path.parent): p.read_bytes() for p in (whole.path.parent / "optouts").iterdir()
    }
    merged_live = merge_loaded(live_shards[::-1])
    merged_live.options = {}
    sharded = run_plan(merged_inventory, None, merged_dir / "plan.json", False, live_inventory=merged_live)
    assert sharded.path.read_bytes() == single.path.read_bytes()
    assert single.plan.steps  # a plan with work in it, not two empty ones


def test_the_demo_scanned_and_read_by_shards_plans_the_bytes_of_one_run(tmp_path: Path) -> None:
    world_path = tmp_path / "world.json"
    with Emulator.demo() as emu:
        emu.save(world_path)
    with _load_at(world_path, spec.DEMO_NOW) as emu:
        options = _demo_options(tmp_path, emu)
    assert len(spec.ACCOUNTS if hasattr(spec, "ACCOUNTS") else [spec.ACCOUNT]) == 1  # the demo is one account
    _plan_both_ways(tmp_path, world_path, options, spec.DEMO_NOW)


def test_four_accounts_by_shards_plan_the_bytes_of_one_run(tmp_path: Path) -> None:
    world_path = tmp_path / "world.json"
    build_accounts(world_path)
    roles = tuple(f"arn:aws:iam::{a}:role/Scanner" for a in ACCOUNTS)
    options = ScanOptions(
        regions=("us-east-1",), now="2026-12-01T00:00:00Z", progress=False,
        sessions=SessionOptions(role_arns=roles),
    )  # fmt: skip
    _plan_both_ways(tmp_path, world_path, options, "2026-12-01T00:00:00Z")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_plan_does_not_depend_on_the_order_records_arrive_in(tmp_path: Path, seed: int) -> None:
    """Records of several accounts with the same names (the Default list, equal list names) sort by
    account too, so threads finishing in any order give one plan."""
    world_path = tmp_path / "world.json"
    build_accounts(world_path)
    roles = tuple(f"arn:aws:iam::{a}:role/Scanner" for a in ACCOUNTS)
    options = ScanOptions(
        out_dir=tmp_path / "scan", regions=("us-east-1",), now="2026-12-01T00:00:00Z", progress=False,
        sessions=SessionOptions(role_arns=roles),
    )  # fmt: skip
    with _load_at(world_path, "2026-12-01T00:00:00Z") as emu:
        scanned = run_scan(options, emulator=emu)
        live = scan_live_v2(options, scanned.inventory, emulator=emu)
    first = run_plan(scanned.path, None, tmp_path / "a" / "plan.json", False, live_inventory=live)
    shuffled = Inventory(tool_version=live.tool_version, scanned_at=live.scanned_at)
    shuffled.accounts, shuffled.regions = list(live.accounts), list(live.regions)
    items = [i for kind in sorted(live.records) for i in live.records[kind]]
    random.Random(seed).shuffle(items)
    shuffled.add(*items)
    shuffled.sections = list(live.sections)
    again = run_plan(scanned.path, None, tmp_path / "b" / "plan.json", False, live_inventory=shuffled)
    assert again.path.read_bytes() == first.path.read_bytes()
    assert load_inventory(scanned.path).accounts
