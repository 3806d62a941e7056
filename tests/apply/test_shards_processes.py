"""`apply`, `verify`, `rollback --processes N` and `plan --processes N` against `emulator serve`: the shards
run in spawned processes, each with its journal; the report reads them back as one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.aws.sessions import in_shard
from migrate.cli import cli
from tests.apply.test_shards import NOW, ROLES, build_planned
from tests.foreign.conftest import start_server, stop_server

ROLE_ARGS = [a for role in ROLES for a in ("--role-arn", role)]


def test_plan_apply_verify_rollback_in_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "p"
    root.mkdir()
    build_planned(root)
    migration = root / "migration"
    proc, url = start_server("--world", str(root / "world.json"))
    try:
        for key, value in {
            "AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "AKIDPROCESSES", "AWS_SECRET_ACCESS_KEY": "x",
            "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }.items():  # fmt: skip
            monkeypatch.setenv(key, value)
        runner = CliRunner()
        inventory = str(migration / "inventory.json")
        two = runner.invoke(cli, ["plan", "--inventory", inventory, "--out", str(tmp_path / "two"), "--processes", "2",
                                  "--now", NOW, *ROLE_ARGS])  # fmt: skip
        assert two.exit_code == 0, two.output
        # the live state read by 2 processes plans the bytes one process planned (build_planned, in-process)
        assert (tmp_path / "two" / "plan.json").read_bytes() == (migration / "plan.json").read_bytes()

        plan = str(migration / "plan.json")
        applied = runner.invoke(cli, ["apply", plan, "--yes", "--processes", "2", *ROLE_ARGS])
        assert applied.exit_code == 0, applied.output
        assert sorted(p.name for p in migration.glob("journal.*-of-2.jsonl"))
        # --tenant with --processes: the shard without that tenant's account has nothing to do, and says so
        # on its own output (a child process's, not captured here): the run succeeds, that shard empty
        tenant = next(t["slug"] for t in json.loads((migration / "plan.json").read_text())["tenants"]
                      if t["account"] == "111111111111")  # fmt: skip
        idle = next(k for k in (1, 2) if not in_shard("111111111111", k, 2))
        for command in (["verify", plan], ["apply", plan, "--yes"]):
            narrowed = runner.invoke(cli, [*command, "--tenant", tenant, "--processes", "2", *ROLE_ARGS])
            assert narrowed.exit_code == 0, narrowed.output
        assert json.loads((migration / f"verify.{idle}-of-2.json").read_text())["steps"] == []
        verified = runner.invoke(cli, ["verify", plan, "--processes", "2", *ROLE_ARGS])
        assert verified.exit_code == 0, verified.output
        assert sorted(p.name for p in migration.glob("verify.*-of-2.json")) == [
            "verify.1-of-2.json",
            "verify.2-of-2.json",
        ]
        reported = runner.invoke(cli, ["report", "--inventory", inventory, "--plan", plan, "--out", str(root / "r"),
                                       "--now", NOW])  # fmt: skip
        assert reported.exit_code == 0, reported.output
        steps = json.loads((root / "r" / "readiness.json").read_text())["steps"]
        assert steps and {s["status"] for s in steps} == {"verified"}
        rolled = runner.invoke(
            cli,
            [
                "rollback",
                "--journal",
                str(migration / "journal.jsonl"),
                "--yes",
                "--processes",
                "2",
                *ROLE_ARGS,
            ],
        )
        assert rolled.exit_code == 0, rolled.output
    finally:
        stop_server(proc)
