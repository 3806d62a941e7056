"""apply, verify and rollback by shards of accounts (`--shard K/N`): each shard its share of the one plan and
its own journal; the report reads every shard back into the report one unsharded run gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.apply.clients import AwsOptions
from migrate.apply.commands import (
    ApplyOptions,
    RollbackOptions,
    VerifyOptions,
    run_apply,
    run_rollback,
    run_verify,
)
from migrate.apply.errors import ApplyError
from migrate.apply.shards import shard_files, shard_path, shard_plan
from migrate.aws.sessions import SessionOptions, in_shard
from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.inventory.live_scan import scan_live_v2
from migrate.inventory.run import ScanOptions, run_scan
from migrate.plan.commands import run_plan
from migrate.plan.planfile import load_plan
from migrate.report.commands import run_report
from tests.inventory.test_scan_shards import ACCOUNTS
from tests.inventory.test_scan_shards import _build as build_accounts

NOW = "2026-12-01T00:00:00Z"
ROLES = tuple(f"arn:aws:iam::{a}:role/Migrator" for a in ACCOUNTS)
N = 3


def _sessions(shard: tuple[int, int] | None = None) -> SessionOptions:
    return SessionOptions(role_arns=ROLES, shard=shard)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_planned(tmp_path_factory.mktemp("sharded"))


def build_planned(root: Path) -> Path:
    """A four-account world, scanned and planned against its live v2 state, in `root`."""
    build_accounts(root / "world.json")
    with Emulator.load(root / "world.json", persist=True) as emu:
        options = ScanOptions(out_dir=root / "migration", regions=("us-east-1",), now=NOW, progress=False,
                              sessions=_sessions())  # fmt: skip
        scanned = run_scan(options, emulator=emu)
        live = scan_live_v2(options, scanned.inventory, emulator=emu)
    run_plan(scanned.path, None, root / "migration" / "plan.json", False, live_inventory=live)
    return root


def _copy(planned: Path, to: Path) -> Path:
    shutil.copytree(planned, to)
    return to


def _apply(root: Path, shard: tuple[int, int] | None) -> None:
    with Emulator.load(root / "world.json", persist=True) as emu:
        options = ApplyOptions(root / "migration" / "plan.json", aws=AwsOptions(sessions=_sessions(shard), now=NOW),
                               yes=True, echo=lambda _line: None)  # fmt: skip
        assert run_apply(options, emulator=emu).ok


def _verify(root: Path, shard: tuple[int, int] | None) -> bool:
    with Emulator.load(root / "world.json", persist=True) as emu:
        options = VerifyOptions(root / "migration" / "plan.json", aws=AwsOptions(sessions=_sessions(shard), now=NOW),
                                echo=lambda _line: None)  # fmt: skip
        return run_verify(options, emulator=emu).passed


def _report_steps(root: Path) -> dict[str, str]:
    out = run_report(
        root / "migration" / "inventory.json", root / "migration" / "plan.json", root / "report", now=NOW
    )
    data = json.loads(out.json.read_text())
    return {s["step_id"]: s["status"] for s in data["steps"]}


def test_shards_apply_and_verify_their_share_and_the_report_reads_them_back(
    planned: Path, tmp_path: Path
) -> None:
    whole, sharded = _copy(planned, tmp_path / "whole"), _copy(planned, tmp_path / "sharded")
    plan = load_plan(planned / "migration" / "plan.json")
    shares = [shard_plan(plan, (k, N)) for k in range(1, N + 1)]
    assert sorted(a for s in shares for a in s.data["accounts"]) == sorted(plan.data["accounts"])
    assert sorted(st["id"] for s in shares for st in s.steps) == sorted(st["id"] for st in plan.steps)
    assert all(in_shard(st["account"], k, N) for k, s in enumerate(shares, 1) for st in s.steps)
    assert len(plan.steps) > len(ACCOUNTS)  # work in every account, not an empty plan

    _apply(whole, None)
    assert _verify(whole, None)
    for k in range(1, N + 1):
        _apply(sharded, (k, N))
        assert _verify(sharded, (k, N))
    folder = sharded / "migration"
    journals = shard_files(folder / "journal.jsonl")
    # every shard that ran leaves its journal, one with nothing to do too (it says so: `shard-idle`)
    assert [p.name for p in journals] == [f"journal.{k}-of-{N}.jsonl" for k in range(1, N + 1)]
    assert not (folder / "journal.jsonl").exists()
    assert len(shard_files(folder / "verify.json")) == N

    # each journal holds only its shard's steps; a second apply of a shard has nothing to do
    for k, path in enumerate(journals, start=1):
        records = [json.loads(line) for line in path.read_text().splitlines()]
        steps = {r["step"] for r in records if r.get("step")}
        assert all(in_shard(s.split("/")[0], k, N) for s in steps)  # ids start with the account
        assert steps <= {st["id"] for st in shares[k - 1].steps}
        assert bool(steps) == bool(shares[k - 1].steps)
        assert steps or {r["event"] for r in records} == {"shard-idle"}
    _apply(sharded, (1, N))

    expected = _report_steps(whole)
    assert set(expected.values()) == {"verified"}
    assert _report_steps(sharded) == expected

    # a shard's files left on its machine: the report says which, and does not count its steps as done
    k = next(k for k in range(1, N + 1) if shares[k - 1].steps)
    for name in (f"journal.{k}-of-{N}.jsonl", f"verify.{k}-of-{N}.json"):
        (folder / name).unlink()
    out = run_report(folder / "inventory.json", folder / "plan.json", sharded / "report2", now=NOW)
    assert any(f"no apply journal journal.{k}-of-{N}.jsonl" in n for n in out.notes), out.notes
    assert any(f"no verify results verify.{k}-of-{N}.json" in n for n in out.notes), out.notes
    statuses = {s["step_id"]: s["status"] for s in json.loads(out.json.read_text())["steps"]}
    assert all(statuses[st["id"]] not in ("verified", "applied") for st in shares[k - 1].steps)
    assert all(
        statuses[i] == "verified" for i in expected if i not in {st["id"] for st in shares[k - 1].steps}
    )


def test_rollback_by_shards_undoes_every_shard(planned: Path, tmp_path: Path) -> None:
    root = _copy(planned, tmp_path / "r")
    for k in range(1, N + 1):
        _apply(root, (k, N))
    plan = load_plan(root / "migration" / "plan.json")
    for k in range(1, N + 1):  # every shard left a journal (one with nothing to do too): each rolls back
        journal = shard_path(root / "migration" / "journal.jsonl", (k, N))
        with Emulator.load(root / "world.json", persist=True) as emu:
            options = RollbackOptions(journal, aws=AwsOptions(sessions=_sessions((k, N)), now=NOW), yes=True,
                                      echo=lambda _line: None)  # fmt: skip
            result = run_rollback(options, emulator=emu)
            assert result.ok and bool(result.outcomes) == bool(shard_plan(plan, (k, N)).steps)
    with Emulator.load(root / "world.json") as emu:
        for account in ACCOUNTS:
            v2 = emu.session("us-east-1", account_id=account).client("pinpoint-sms-voice-v2")
            assert not v2.describe_configuration_sets()["ConfigurationSets"]


def test_a_shard_of_a_stale_plan_names_its_changed_accounts(planned: Path, tmp_path: Path) -> None:
    root = _copy(planned, tmp_path / "s")
    plan = load_plan(root / "migration" / "plan.json")
    k = next(k for k in range(1, N + 1) if shard_plan(plan, (k, N)).steps)
    account = shard_plan(plan, (k, N)).data["accounts"][0]
    with Emulator.load(root / "world.json", persist=True) as emu:
        v2 = emu.session("us-east-1", account_id=account).client("pinpoint-sms-voice-v2")
        v2.create_opt_out_list(OptOutListName="made-since")
    with pytest.raises(ApplyError, match=f"account {account}"):
        _apply(root, (k, N))
    other = next((j for j in range(1, N + 1) if j != k and shard_plan(plan, (j, N)).steps), None)
    if other is not None:  # another shard's accounts did not change: it applies
        _apply(root, (other, N))


def test_shard_and_processes_options_are_checked(planned: Path, tmp_path: Path) -> None:
    root = _copy(planned, tmp_path / "o")
    plan = str(root / "migration" / "plan.json")
    bad = CliRunner().invoke(
        cli, ["apply", plan, "--shard", "4/3", "--yes", "--emulator", str(root / "world.json")]
    )
    assert bad.exit_code != 0 and "--shard" in bad.output and "Traceback" not in bad.output
    both = CliRunner().invoke(
        cli, ["verify", plan, "--shard", "1/3", "--processes", "3", "--emulator", str(root / "world.json")]
    )
    assert both.exit_code != 0 and "give one" in both.output
    emulated = CliRunner().invoke(
        cli, ["apply", plan, "--processes", "2", "--yes", "--emulator", str(root / "world.json")]
    )
    assert emulated.exit_code != 0 and "cannot be shared between processes" in emulated.output


def test_plan_by_shards_of_the_live_state_writes_the_bytes_of_one_plan(planned: Path, tmp_path: Path) -> None:
    root = _copy(planned, tmp_path / "l")
    world, inventory = str(root / "world.json"), str(root / "migration" / "inventory.json")
    roles = [a for role in ROLES for a in ("--role-arn", role)]
    common = ["plan", "--inventory", inventory, "--emulator", world, "--now", NOW, *roles]
    whole = CliRunner().invoke(cli, [*common, "--out", str(tmp_path / "whole")])
    assert whole.exit_code == 0, whole.output
    lives = []
    for k in range(1, N + 1):
        shard = CliRunner().invoke(cli, [*common, "--out", str(tmp_path / "shards"), "--shard", f"{k}/{N}"])
        assert shard.exit_code == 0 and f"live.{k}-of-{N}.json" in shard.output, shard.output
        lives += ["--live", str(tmp_path / "shards" / f"live.{k}-of-{N}.json")]
    assert not (tmp_path / "shards" / "plan.json").exists()
    merged = CliRunner().invoke(
        cli, ["plan", "--inventory", inventory, "--out", str(tmp_path / "merged"), *lives]
    )
    assert merged.exit_code == 0, merged.output
    assert (tmp_path / "merged" / "plan.json").read_bytes() == (tmp_path / "whole" / "plan.json").read_bytes()
    missing = CliRunner().invoke(
        cli, ["plan", "--inventory", inventory, "--out", str(tmp_path / "m"), *lives[:2]]
    )
    assert missing.exit_code != 0 and "missing" in missing.output and "Traceback" not in missing.output
