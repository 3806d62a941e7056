"""`scan --resume`: an interrupted scan goes on where it stopped and ends with the uninterrupted bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.inventory import resume
from tests.inventory.test_scan_shards import NOW, ROLES, _build


class Interrupted(RuntimeError):
    """What a kill, Ctrl-C or credentials expiring mid-scan do: the scan stops between two writes."""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("world") / "world.json"
    _build(path)
    return path


def _scan(world: Path, out: Path, *extra: str) -> Any:
    args = ["scan", "--emulator", str(world), "--region", "us-east-1", "--region", "eu-west-1"]
    # one section at a time: the parts after the interruption are deterministically left unread (with the pool
    # sized from the parts, or a wide one on a loaded machine, every part could end before it lands)
    args += ["--max-workers", "1"]
    return CliRunner().invoke(cli, [*args, "--out", str(out), *ROLES, *NOW, *extra])


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, parts: int) -> None:
    original = resume.Journal.add
    written = [0]

    def add(self: resume.Journal, *args: Any) -> None:
        original(self, *args)
        written[0] += 1
        if written[0] >= parts:
            raise Interrupted("the credentials expired")

    monkeypatch.setattr(resume.Journal, "add", add)


def test_a_resumed_scan_ends_with_the_bytes_of_an_uninterrupted_one(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts, cut = 2, True
    assert _scan(world, tmp_path / "whole").exit_code == 0
    whole = (tmp_path / "whole" / "inventory.json").read_bytes()
    assert not (tmp_path / "whole" / resume.JOURNAL).exists()

    out = tmp_path / "stopped"
    with monkeypatch.context() as patch:
        _interrupt_after(patch, parts)
        stopped = _scan(world, out)
    assert stopped.exit_code != 0 and not (out / "inventory.json").exists()
    journal = out / resume.JOURNAL
    lines = journal.read_bytes().splitlines(keepends=True)
    finished = len(lines) - 1  # parts already running when the scan stopped may finish too
    assert parts <= finished < 8 and (journal.stat().st_mode & 0o777) == 0o600
    if cut:  # killed in the middle of writing a part: that part is scanned again
        journal.write_bytes(b"".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])

    seen: list[tuple[str, str]] = []
    original = resume.Journal.add
    monkeypatch.setattr(
        resume.Journal, "add", lambda self, target, *a: (seen.append(target), original(self, target, *a))
    )
    resumed = _scan(world, out, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert (out / "inventory.json").read_bytes() == whole
    assert not journal.exists()
    assert len(seen) == 8 - finished + (1 if cut else 0)  # 4 accounts x 2 regions: finished parts not read again


def test_resume_refuses_the_journal_of_another_scan(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "stopped"
    with monkeypatch.context() as patch:
        _interrupt_after(patch, 1)
        assert _scan(world, out).exit_code != 0
    other = CliRunner().invoke(
        cli,
        [
            "scan",
            "--emulator",
            str(world),
            "--region",
            "us-east-1",
            "--out",
            str(out),
            *ROLES,
            *NOW,
            "--resume",
        ],
    )
    assert other.exit_code != 0 and "journal of a scan with other options" in other.output
    assert "Traceback" not in other.output
