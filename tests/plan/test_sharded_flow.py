"""A sharded run from a clean directory, as a CI matrix runs it, ends as the single run does.

N scan jobs (each in its own folder, as on its own machine, in any order), one job merging their
inventories into a plan, N apply jobs, N verify jobs and a report: the plan is the single run's byte for
byte, every opt-outs file the plan names is beside it (sha-checked, 0600) so apply and verify of the merged
plan find them, and the report gives every step the status the single run's report gives.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.plan.org_world import NOW, REGION, Org, aws_args, cli_ok


def _numbers_files(plan: Path) -> dict[str, str]:
    """Every numbers file the plan names (relative to its folder) with the sha256 it records."""

    def walk(value: Any) -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            if isinstance(value.get("file"), str) and isinstance(value.get("sha256"), str):
                yield value["file"], value["sha256"]
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    return dict(walk(json.loads(plan.read_text())))


def _statuses(report: Path) -> dict[str, str]:
    return {s["step_id"]: s["status"] for s in json.loads((report / "readiness.json").read_text())["steps"]}


# (N, the order the jobs of each stage run in); PINPOINT_MIGRATE_SHARD_FLOWS=all runs every case (CI runs one:
# each case is a whole run, ~5 s of CPU)
CASES = [(3, (2, 3, 1)), (2, (2, 1)), (3, (3, 1, 2)), (5, (5, 3, 1, 4, 2))]


@pytest.mark.parametrize(
    ("n", "order"), CASES if os.environ.get("PINPOINT_MIGRATE_SHARD_FLOWS") == "all" else CASES[:1]
)
def test_a_sharded_run_from_a_clean_directory_ends_as_the_single_run(
    org: Org, tmp_path: Path, n: int, order: tuple[int, ...]
) -> None:
    optouts, single = org.optouts, org.single
    world = tmp_path / "world.json"
    shutil.copy(org.world, world)
    for k in order:  # each scan job on its own machine: its own folder
        cli_ok("scan", "--region", REGION, "--shard", f"{k}/{n}", "--out", tmp_path / f"scan-{k}", *optouts,
             *aws_args(world))  # fmt: skip
    merged = tmp_path / "merged"
    inventories = [
        a for k in reversed(order) for a in ("--inventory", tmp_path / f"scan-{k}" / "inventory.json")
    ]
    cli_ok("plan", *inventories, "--out", merged, *aws_args(world))
    plan = merged / "plan.json"
    assert plan.read_bytes() == (single / "plan.json").read_bytes()
    assert (merged / "inventory.json").read_bytes() == (single / "inventory.json").read_bytes()

    named = _numbers_files(plan)
    assert any(f.startswith("optouts/sns-") for f in named) and any("file-" in f for f in named)
    for name, sha in named.items():
        found = merged / name
        assert hashlib.sha256(found.read_bytes()).hexdigest() == sha, name
        assert stat.S_IMODE(found.lstat().st_mode) == 0o600, name
    gathered = {p.relative_to(merged): p.read_bytes() for p in (merged / "optouts").iterdir()}
    assert gathered == {p.relative_to(single): p.read_bytes() for p in (single / "optouts").iterdir()}

    for k in order:  # apply and verify jobs, one per shard, on the merged plan's folder
        cli_ok("apply", plan, "--yes", "--shard", f"{k}/{n}", *aws_args(world))
    for k in order:
        cli_ok("verify", plan, "--shard", f"{k}/{n}", *aws_args(world))
    cli_ok("report", "--inventory", merged / "inventory.json", "--plan", plan, "--out", tmp_path / "report",
         "--now", NOW)  # fmt: skip
    # every step applied by its shard and verified, as one apply and verify of this world gives (30 of 30)
    steps = json.loads(plan.read_text())["steps"]
    assert _statuses(tmp_path / "report") == {s["id"]: "verified" for s in steps}
    assert any(s["kind"] == "fill_opt_out_list" for s in steps)


@pytest.mark.skipif(
    os.environ.get("PINPOINT_MIGRATE_SHARD_FLOWS") != "all",
    reason="~25 s of CPU: PINPOINT_MIGRATE_SHARD_FLOWS=all",
)
def test_the_demo_scanned_by_shards_applies_and_verifies_from_the_merged_folder(tmp_path: Path) -> None:
    """The demo (one account: one shard holds it all, the other none) with every numbers source it scans:
    endpoint exports read from S3, the CRM suppression file, SNS and Default."""
    from migrate.demo import _load_at
    from migrate.demo_crm import write_crm_csv
    from migrate.emulator import Emulator
    from migrate.emulator import demo_spec as spec

    world = tmp_path / "world.json"
    with Emulator.demo() as emu:
        emu.save(world)
    with _load_at(world, spec.DEMO_NOW) as emu:
        crm = write_crm_csv(emu, tmp_path / "crm.csv")
    aws = ["--emulator", world, "--now", spec.DEMO_NOW]
    scan = ["scan", *aws, "--region", "us-east-1", "--region", "eu-west-1", "--optouts", crm,
            "--endpoints-export", f"s3://{spec.EXPORT_BUCKET}/{spec.PRE_DEADLINE_EXPORT_PREFIX}"]  # fmt: skip
    cli_ok(*scan, "--out", tmp_path / "single")
    cli_ok("plan", "--inventory", tmp_path / "single" / "inventory.json", "--out", tmp_path / "single", *aws)
    for k in (2, 1):
        cli_ok(*scan, "--shard", f"{k}/2", "--out", tmp_path / f"machine-{k}")
    merged = tmp_path / "merged"
    cli_ok("plan", "--inventory", tmp_path / "machine-1" / "inventory.json",
           "--inventory", tmp_path / "machine-2" / "inventory.json", "--out", merged, *aws)  # fmt: skip
    assert (merged / "plan.json").read_bytes() == (tmp_path / "single" / "plan.json").read_bytes()
    named = _numbers_files(merged / "plan.json")
    assert any(f.startswith("optouts/file-") for f in named) and any("sns-" in f for f in named)
    for name, sha in named.items():
        assert hashlib.sha256((merged / name).read_bytes()).hexdigest() == sha, name
        assert stat.S_IMODE((merged / name).lstat().st_mode) == 0o600, name
    said = cli_ok("apply", merged / "plan.json", "--yes", *aws)
    assert " 0 failed" in said, said
    said = cli_ok("verify", merged / "plan.json", *aws)
    assert " 0 FAIL" in said, said
