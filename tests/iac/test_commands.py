"""`export-iac` on the command line: files written, the inventory checked, errors as one line and exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iac import worlds
from migrate.cli import cli
from migrate.iac.commands import IacError, render, run_export_iac
from migrate.plan.commands import run_plan
from migrate.plan.planfile import load_plan


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    """A plan file computed (offline) from an inventory file beside it, as `plan` writes them."""
    _, inventory = worlds.mixed()
    folder = tmp_path / "migration"
    inventory.write(folder / "inventory.json")
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(worlds.OVERRIDES, encoding="utf-8")
    run_plan(folder / "inventory.json", overrides, folder / "plan.json", offline=True)
    return folder / "plan.json"


@pytest.mark.parametrize("fmt", ["cloudformation", "terraform"])
def test_the_command_writes_what_render_gives(planned: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "iac"
    result = CliRunner().invoke(cli, ["export-iac", str(planned), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    from migrate.inventory.snapshot import load_inventory

    expected = render(load_plan(planned), load_inventory(planned.parent / "inventory.json"), fmt)
    written = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()
    }
    assert written == expected
    assert result.output.splitlines() == [f"wrote {out / name}" for name in expected]


def test_a_second_export_to_the_same_folder_is_identical(planned: Path, tmp_path: Path) -> None:
    first = [p.read_bytes() for p in run_export_iac(planned, "terraform", tmp_path / "a")]
    second = [p.read_bytes() for p in run_export_iac(planned, "terraform", tmp_path / "a")]
    assert first == second and not list((tmp_path / "a").rglob(".*.tmp"))


def test_the_inventory_must_be_the_one_the_plan_was_computed_from(planned: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    _, inventory = worlds.applied()
    inventory.write(other)
    args = ["export-iac", str(planned), "--format", "terraform", "--out", str(tmp_path / "x")]
    result = CliRunner().invoke(cli, [*args, "--inventory", str(other)])
    assert result.exit_code == 1
    assert "not the inventory plan" in result.output and "sha256 differs" in result.output
    (planned.parent / "inventory.json").rename(tmp_path / "moved.json")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "no such inventory" in result.output and "--inventory" in result.output
    result = CliRunner().invoke(cli, [*args, "--inventory", str(tmp_path / "moved.json")])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "x" / "README.md").read_text(encoding="utf-8").startswith("Traceback")


def test_a_hand_edited_plan_or_an_unknown_format_is_refused(planned: Path, tmp_path: Path) -> None:
    data = json.loads(planned.read_text(encoding="utf-8"))
    data["changes"][0]["action"] = "no-op"
    planned.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["export-iac", str(planned), "--format", "terraform"])
    assert result.exit_code == 1 and "integrity check failed" in result.output
    result = CliRunner().invoke(cli, ["export-iac", str(planned), "--format", "pulumi"])
    assert result.exit_code == 1  # a usage error is an error: 2 means "changes pending"
    with pytest.raises(IacError, match="unknown format"):
        render(*worlds.mixed(), "pulumi")


def test_the_command_is_listed_in_help() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert "export-iac" in result.output
