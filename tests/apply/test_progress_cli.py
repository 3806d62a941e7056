"""Progress on a terminal (issue 13), through the CLI: plan's live v2 scan, apply's steps, `verify --full`'s
checks and sends. `PINPOINT_MIGRATE_PROGRESS=1` shows the display on the test's stderr as on a terminal;
tests/progress_lines.py asserts its promises on the interleaved output (total fixed, ETA from the rate,
cleared before any other line)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from apply.world import NOW, Demo
from migrate.cli import cli
from tests.progress_lines import check_progress, rendered


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setenv("PINPOINT_MIGRATE_PROGRESS", "1")
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def test_plan_apply_and_verify_full_show_honest_progress(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    world, folder = str(demo.world), demo.root / "migration"
    planned = _run(
        monkeypatch, "plan", "--inventory", str(folder / "inventory.json"), "--out", str(demo.root / "again"),
        "--emulator", world, "--now", NOW,
    )  # fmt: skip
    assert planned.exit_code == 0, planned.output
    labels = {item.label for item in check_progress(planned.output)}
    assert "live v2 state" in labels

    applied = _run(monkeypatch, "apply", str(demo.plan_path), "--yes", "--emulator", world, "--now", NOW)
    assert applied.exit_code in (0, 1), applied.output
    shown = check_progress(applied.output)
    steps = [item for item in shown if item.label == "apply steps"]
    assert steps and {item.total for item in steps} == {len(demo.plan().steps)}
    assert "  ok       " in rendered(applied.output)  # step lines, each on its own cleared line

    verified = _run(monkeypatch, "verify", str(demo.plan_path), "--full", "--emulator", world, "--now", NOW)
    shown = check_progress(verified.output)
    assert {"verify steps", "verify sends"} <= {item.label for item in shown}, verified.output
    assert "check(s):" in rendered(verified.output)


def test_rollback_shows_honest_progress(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    world = str(demo.world)
    applied = _run(monkeypatch, "apply", str(demo.plan_path), "--yes", "--emulator", world, "--now", NOW, "-q")
    assert applied.exit_code in (0, 1), applied.output
    journal = str(demo.plan_path.parent / "journal.jsonl")

    looked = _run(monkeypatch, "rollback", "--journal", journal, "--dry-run", "--emulator", world, "--now", NOW)
    assert looked.exit_code == 0, looked.output
    shown = check_progress(looked.output)
    steps = [item for item in shown if item.label == "dry-run rollback steps"]
    assert steps and len({item.total for item in steps}) == 1 and steps[0].total > 0
    assert "would undo" in rendered(looked.output)

    rolled = _run(monkeypatch, "rollback", "--journal", journal, "--yes", "--emulator", world, "--now", NOW)
    assert rolled.exit_code == 0, rolled.output
    labels = {item.label for item in check_progress(rolled.output)}
    assert {"rollback steps", "rollback lists compared"} <= labels, rolled.output

    quiet = _run(monkeypatch, "rollback", "--journal", journal, "--dry-run", "--emulator", world, "--now", NOW, "-q")
    assert "rollback steps" not in quiet.output
