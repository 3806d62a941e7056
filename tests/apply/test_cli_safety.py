"""CLI safety conventions around apply (issue 13): the demo world refused where it would mislead, a plan an
apply journal refers to never overwritten, apply's summary as JSON, blockers as their own exit code."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from apply.world import NOW, Demo
from migrate.cli import cli
from migrate.emulator import Emulator


def _run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))  # .output has stdout and stderr, .stdout only stdout
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(
    "args",
    [["apply", "migration/plan.json", "--yes"], ["verify", "migration/plan.json"], ["rollback", "--yes"]],
)
def test_the_throwaway_demo_world_is_refused_on_commands_that_change_or_check_state(args: list[str]) -> None:
    result = _run(*args, "--emulator", "demo")
    assert result.exit_code == 1, result.output
    text = result.output
    assert "throwaway" in text and "emulator save-demo" in text and "--emulator world.json" in text


def test_the_emulator_group_has_the_world_file_commands() -> None:
    result = _run("emulator", "--help")
    assert result.exit_code == 0 and "save-demo" in result.output and "info" in result.output


def test_plan_does_not_overwrite_a_plan_an_apply_journal_refers_to(demo: Demo) -> None:
    before = demo.plan_path.read_bytes()
    plan_id = demo.plan().plan_id
    demo.journal.write_text(json.dumps({"event": "apply-start", "plan": plan_id}) + "\n")
    with Emulator.load(demo.world, persist=True) as emu:  # the live state moves: the next plan differs
        emu.session("us-east-1").client("pinpoint-sms-voice-v2").create_opt_out_list(
            OptOutListName="someone-else"
        )
    inventory = demo.root / "migration" / "inventory.json"
    result = _run("plan", "--inventory", str(inventory), "--out", str(demo.root / "migration"),
                  "--emulator", str(demo.world), "--now", NOW)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert demo.plan_path.read_bytes() == before
    others = sorted(p for p in demo.plan_path.parent.glob("plan.*.json"))
    assert len(others) == 1
    text = result.output
    assert f"wrote {others[0]}" in text and "journal.jsonl" in text and "instead" in text
    # planning again the same inputs writes the same new file, still leaving plan.json alone
    again = _run("plan", "--inventory", str(inventory), "--out", str(demo.root / "migration"),
                 "--emulator", str(demo.world), "--now", NOW)  # fmt: skip
    assert again.exit_code == 0 and demo.plan_path.read_bytes() == before


def test_apply_dry_run_json_and_fail_on_blocker(demo: Demo) -> None:
    args = ["apply", str(demo.plan_path), "--dry-run", "--emulator", str(demo.world), "--now", NOW]
    result = _run(*args, "--output", "json", "--fail-on", "blocker")
    data = json.loads(result.stdout)
    assert data["command"] == "apply" and data["dry_run"] is True and data["counts"]["ok"] > 0
    blockers = data["blockers"]
    assert result.exit_code == (3 if blockers else 0) == data["exit_code"]
