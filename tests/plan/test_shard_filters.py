"""Narrowing filters with shards: `--tenant`/`--wave` (apply, verify, rollback) and `--account`/`--app-id`
(scan) with `--shard K/N`. A shard that holds none of what is selected (no account of the plan, or none of
the selected tenants' steps, N larger than the accounts) succeeds with nothing done and says so; the shards
together do exactly what the single run does. Names are checked against the whole plan in every shard,
so a misspelt tenant is refused everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migrate.apply.selection import SelectionError, resolve_selection, select_steps
from migrate.apply.shards import shard_files, shard_scope
from migrate.aws.sessions import in_shard
from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.inventory import resume
from migrate.plan.planfile import Plan, load_plan
from tests.plan.org_world import IDS, NOW, REGION, Org, aws_args, cli_ok

V2 = "pinpoint-sms-voice-v2"
GOLDEN = Path(__file__).parent / "golden" / "plan.json"  # the demo's plan: one account, two regions


def _selections(plan: Plan) -> list[tuple[str, ...]]:
    """Nothing (every tenant), each tenant, each pair of tenants."""
    slugs = sorted(t["slug"] for t in plan.data["tenants"])
    return [(), *((s,) for s in slugs), *combinations(slugs, 2)]


def _ids(steps: list[dict[str, Any]]) -> list[str]:
    return sorted(s["id"] for s in steps)


@pytest.mark.parametrize("which", ["org", "demo"])
def test_every_split_of_every_selection_takes_the_selection_once(
    org: Org, tmp_path: Path, which: str
) -> None:
    plan = load_plan(org.single / "plan.json" if which == "org" else GOLDEN)
    slugs = sorted(t["slug"] for t in plan.data["tenants"])
    waves = tmp_path / "waves.toml"
    waves.write_text(
        f'[waves.first]\ntenants = ["{slugs[0]}"]\n[waves.rest]\ntenants = {json.dumps(slugs[1:])}\n'
    )
    cases: list[tuple[tuple[str, ...], str | None]] = [(s, None) for s in _selections(plan)]
    cases += [((), f"{waves}:first"), ((), f"{waves}:rest")]
    for tenants, wave in cases:
        wanted = _ids(select_steps(plan.steps, resolve_selection(plan.data["tenants"], tenants, wave)).steps)
        for n in range(1, 9):
            taken: list[str] = []
            for k in range(1, n + 1):
                share, selection, idle = shard_scope(plan, (k, n), tenants, wave)
                mine = select_steps(share.steps, selection).steps
                assert all(in_shard(s["account"], k, n) for s in mine)
                assert bool(idle) == (not share.data["accounts"] or (not selection.everything and not mine))
                assert not idle or f"shard {k}/{n}" in idle
                taken += [s["id"] for s in mine]
            assert sorted(taken) == wanted, (tenants, wave, n)
    for k in (1, 2):  # a name no tenant has is refused in every shard, the one that would hold it or not
        with pytest.raises(SelectionError, match="no tenant 'nobody'"):
            shard_scope(plan, (k, 2), ("nobody",))


def _v2(world: Path) -> dict[str, Any]:
    """What v2 holds in every account, by name (pool ids are random): lists and their numbers,
    configuration sets, pools with their list and members, and each phone number's list and pool."""
    state: dict[str, Any] = {}
    with Emulator.load(world) as emu:
        for account in IDS:
            sms = emu.session(REGION, account_id=account).client(V2)
            pools = {p["PoolId"]: p for p in sms.describe_pools()["Pools"]}
            names = {
                pid: next((t["Value"] for t in sms.list_tags_for_resource(ResourceArn=p["PoolArn"])["Tags"]
                           if t["Key"] == "Name"), pid)
                for pid, p in pools.items()
            }  # fmt: skip
            state[account] = {
                "lists": {
                    x["OptOutListName"]: sorted(
                        n["OptedOutNumber"]
                        for n in sms.describe_opted_out_numbers(OptOutListName=x["OptOutListName"])[
                            "OptedOutNumbers"
                        ]
                    )
                    for x in sms.describe_opt_out_lists()["OptOutLists"]
                },
                "sets": sorted(
                    c["ConfigurationSetName"] for c in sms.describe_configuration_sets()["ConfigurationSets"]
                ),
                "pools": {names[pid]: p["OptOutListName"] for pid, p in pools.items()},
                "numbers": {
                    n["PhoneNumber"]: (n["OptOutListName"], names.get(n.get("PoolId", ""), ""))
                    for n in sms.describe_phone_numbers()["PhoneNumbers"]
                },
            }
    return state


def _statuses(root: Path, plan: Path) -> dict[str, str]:
    cli_ok("report", "--inventory", plan.with_name("inventory.json"), "--plan", plan, "--out", root / "report",
           "--now", NOW)  # fmt: skip
    return {
        s["step_id"]: s["status"]
        for s in json.loads((root / "report" / "readiness.json").read_text())["steps"]
    }


def _copy(org: Org, root: Path) -> tuple[Path, Path]:
    shutil.copytree(org.single, root / "migration")
    shutil.copy(org.world, root / "world.json")
    return root / "world.json", root / "migration" / "plan.json"


# (N, tenants chosen by their account's position): N above the account count leaves shards empty; a pair of
# tenants in two accounts spans shards. PINPOINT_MIGRATE_SHARD_FLOWS=all runs every case (~6 s of CPU each).
CASES = [(5, (0,)), (2, (1, 3)), (3, (2,)), (7, (0, 3))]


@pytest.mark.parametrize(
    ("n", "picks"), CASES if os.environ.get("PINPOINT_MIGRATE_SHARD_FLOWS") == "all" else CASES[:1]
)
def test_a_selection_by_shards_ends_as_the_single_run(
    org: Org, tmp_path: Path, n: int, picks: tuple[int, ...]
) -> None:
    tenants = [next(t["slug"] for t in load_plan(org.single / "plan.json").data["tenants"] if t["account"] == IDS[i])
               for i in picks]  # fmt: skip
    select = [a for t in tenants for a in ("--tenant", t)]
    one_world, one_plan = _copy(org, tmp_path / "one")
    cli_ok("apply", one_plan, "--yes", *select, *aws_args(one_world))
    cli_ok("verify", one_plan, *select, *aws_args(one_world))

    world, plan = _copy(org, tmp_path / "sharded")
    holders = {k for k in range(1, n + 1) for i in picks if in_shard(IDS[i], k, n)}
    for k in reversed(range(1, n + 1)):
        said = cli_ok("apply", plan, "--yes", *select, "--shard", f"{k}/{n}", *aws_args(world))
        assert ("nothing to do" in said) == (k not in holders), said
        said = cli_ok("verify", plan, *select, "--shard", f"{k}/{n}", *aws_args(world))
        assert ("nothing to verify" in said) == (k not in holders), said
    assert len(shard_files(plan.with_name("journal.jsonl"))) == n  # every shard that ran left its journal
    assert _v2(world) == _v2(one_world)
    assert _statuses(tmp_path / "sharded", plan) == _statuses(tmp_path / "one", one_plan)

    cli_ok(
        "rollback", "--journal", one_plan.with_name("journal.jsonl"), "--yes", *select, *aws_args(one_world)
    )
    for k in range(1, n + 1):
        cli_ok("rollback", "--journal", plan.with_name("journal.jsonl"), "--yes", *select, "--shard", f"{k}/{n}",
               *aws_args(world))  # fmt: skip
    assert _v2(world) == _v2(one_world)


NARROWED = [(3, "app-id"), (5, "account")]  # the second with PINPOINT_MIGRATE_SHARD_FLOWS=all (~8 s of CPU)


@pytest.mark.parametrize(
    ("n", "narrow"), NARROWED if os.environ.get("PINPOINT_MIGRATE_SHARD_FLOWS") == "all" else NARROWED[:1]
)
def test_a_narrowed_scan_by_shards_merges_into_the_narrowed_single_scan(
    org: Org, tmp_path: Path, n: int, narrow: str
) -> None:
    """With project-scoped sources too (`--endpoints-export APP_ID=URL`, `--optouts APP_ID=FILE`): every
    shard not holding the project says "not found"; merged, only the shard that found it speaks (or one
    "not found", when none did), as in the single scan."""
    apps = json.loads((org.single / "inventory.json").read_text())["records"]["pinpoint_apps"]
    app = next(a for a in apps if a["account"] == IDS[1])
    value = app["app_id"] if narrow == "app-id" else app["account"]
    absent = "0" * 32
    exports = [f"{app['app_id']}=s3://no-such-bucket/exports/", f"{absent}=s3://no-such-bucket/exports/"]
    sources = [*org.optouts, *(a for e in exports for a in ("--endpoints-export", e))]
    base = ["scan", "--region", REGION, f"--{narrow}", value, *sources, *aws_args(org.world)]
    cli_ok(*base, "--out", tmp_path / "one")
    for k in range(1, n + 1):
        said = cli_ok(*base, "--shard", f"{k}/{n}", "--out", tmp_path / f"s{k}")
        if narrow == "account" and not in_shard(IDS[1], k, n):
            assert "holds no account to scan: nothing to do" in said, said
    inventories = [a for k in range(1, n + 1) for a in ("--inventory", tmp_path / f"s{k}" / "inventory.json")]
    cli_ok("plan", *inventories, "--offline", "--out", tmp_path / "merged", "--now", NOW)
    merged = (tmp_path / "merged" / "inventory.json").read_bytes()
    assert merged == (tmp_path / "one" / "inventory.json").read_bytes()
    named = [
        (s["name"], bool(s["account"]))
        for s in json.loads(merged)["sections"]
        if s["name"].startswith("optouts:")
    ]
    assert sorted(named) == [(f"optouts:{absent}", False), (f"optouts:{app['app_id']}", True)]


def test_one_shard_interrupted_and_resumed_merges_into_the_single_scan(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 2
    k = next(k for k in range(1, n + 1) if sum(in_shard(a, k, n) for a in IDS) >= 2)  # a shard of 2+ parts
    base = ["scan", "--region", REGION, *org.optouts, *aws_args(org.world)]
    for j in range(1, n + 1):
        if j != k:
            cli_ok(*base, "--shard", f"{j}/{n}", "--out", tmp_path / f"s{j}")
    original = resume.Journal.add

    def add(self: resume.Journal, *args: Any) -> None:
        original(self, *args)
        raise RuntimeError("the credentials expired")  # after its first part, as a kill would

    with monkeypatch.context() as patch:
        patch.setattr(resume.Journal, "add", add)
        stopped = CliRunner().invoke(
            cli, [str(a) for a in (*base, "--shard", f"{k}/{n}", "--out", tmp_path / f"s{k}")]
        )
    assert stopped.exit_code != 0 and (tmp_path / f"s{k}" / resume.JOURNAL).exists()
    said = cli_ok(*base, "--shard", f"{k}/{n}", "--resume", "--out", tmp_path / f"s{k}")
    assert "resumed" in said
    inventories = [a for j in range(1, n + 1) for a in ("--inventory", tmp_path / f"s{j}" / "inventory.json")]
    cli_ok("plan", *inventories, "--out", tmp_path / "merged", *aws_args(org.world))
    assert (tmp_path / "merged" / "inventory.json").read_bytes() == (
        org.single / "inventory.json"
    ).read_bytes()
    assert (tmp_path / "merged" / "plan.json").read_bytes() == (org.single / "plan.json").read_bytes()
