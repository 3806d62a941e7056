"""A non-editable install of the wheel finds the data folders that ship with it."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

from click.testing import CliRunner

from migrate import __version__
from migrate.cli import cli
from migrate.resources import data_dir

ROOT = Path(__file__).resolve().parents[1]


def test_cli_version_and_help() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "scan" in result.output.lower()


def test_source_tree_finds_data_folders() -> None:
    assert (data_dir("templates")).is_dir()
    assert (data_dir("runbooks")).is_dir()


def test_wheel_install_finds_templates_and_runbooks(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        cwd=tmp_path,
    )
    wheel = next(wheels.glob("pinpoint_migrate-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    probe = (
        "import pathlib, migrate.resources as r\n"
        "for name in ('templates', 'runbooks'):\n"
        "    d = r.data_dir(name)\n"
        "    assert 'site-packages' in str(d), d\n"
        "    print(name, sorted(p.name for p in d.iterdir()))\n"
    )
    # Run from an empty folder so the source tree is not on the path.
    out = subprocess.run([str(python), "-c", probe], check=True, cwd=tmp_path, capture_output=True, text=True)
    for name in ("templates", "runbooks"):
        shipped = sorted(p.name for p in (ROOT / name).iterdir())
        assert f"{name} {shipped}" in out.stdout
