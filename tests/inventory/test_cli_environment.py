"""The environment a CLI runs in (issue 13): an AWS_PROFILE naming a profile this machine lacks does not
break --emulator; fake credentials and no network give a message about the network, not the region."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.emulator import Emulator


def test_a_missing_aws_profile_does_not_break_the_emulator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = tmp_path / "world.json"
    with Emulator() as emu:
        emu.save(world)
    config = tmp_path / "config"
    config.write_text("[profile other]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "no-such-profile")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["scan", "--emulator", str(world), "--region", "us-east-1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "inventory.json").exists()
    import os

    assert os.environ["AWS_PROFILE"] == "no-such-profile"  # given back after the command


def test_no_network_is_named_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there: no network
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["scan", "--region", "us-east-1", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "could not connect" in result.output and "network" in result.output
    assert "no endpoint for this service" not in result.output and "Traceback" not in result.output
