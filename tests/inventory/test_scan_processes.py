"""`scan --processes N` against `emulator serve`: N shard processes, merged into the one-process bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from tests.foreign.conftest import start_server, stop_server
from tests.inventory.test_scan_shards import NOW, ROLES, _build


def test_processes_merge_into_the_bytes_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = tmp_path / "world.json"
    _build(world)
    proc, url = start_server("--world", str(world))
    try:
        for key, value in {
            "AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "AKIDPROCESSES", "AWS_SECRET_ACCESS_KEY": "x",
            "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }.items():  # fmt: skip
            monkeypatch.setenv(key, value)
        base = ["scan", "--region", "us-east-1", *ROLES, *NOW]
        one = CliRunner().invoke(cli, [*base, "--out", str(tmp_path / "one")])
        assert one.exit_code == 0, one.output
        two = CliRunner().invoke(cli, [*base, "--out", str(tmp_path / "two"), "--processes", "2"])
        assert two.exit_code == 0, two.output
    finally:
        stop_server(proc)
    assert (tmp_path / "two" / "inventory.json").read_bytes() == (
        tmp_path / "one" / "inventory.json"
    ).read_bytes()
    assert sorted(p.name for p in (tmp_path / "two" / "shards").iterdir()) == ["1", "2"]
    # the shards' numbers files are beside the merged inventory, as one process leaves them (0600)
    one, two = (sorted((tmp_path / d / "optouts").iterdir()) for d in ("one", "two"))
    assert one and [(p.name, p.read_bytes()) for p in two] == [(p.name, p.read_bytes()) for p in one]
    assert {p.stat().st_mode & 0o777 for p in two} == {0o600}


def test_processes_refuse_an_in_process_emulator(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["scan", "--emulator", "demo", "--processes", "2", "--out", str(tmp_path)]
    )
    assert result.exit_code != 0 and "cannot be shared between processes" in result.output
    assert "Traceback" not in result.output
