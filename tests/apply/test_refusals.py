"""What apply refuses, and how: a message a person can act on, exit 1, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result

from apply.world import NOW, Demo, mutating
from migrate.apply.journal import Journal
from migrate.cli import cli
from migrate.emulator import Emulator


def _cli(demo: Demo, *args: str) -> Result:
    result = CliRunner().invoke(
        cli, [*args, "--emulator", str(demo.world), "--now", NOW], catch_exceptions=False
    )
    assert "Traceback" not in result.output
    return result


def _apply(demo: Demo, *args: str) -> Result:
    return _cli(demo, "apply", str(demo.plan_path), "--quiet", *args)


def test_a_tampered_plan_is_refused(demo: Demo) -> None:
    data = json.loads(demo.plan_path.read_text())
    data["steps"][0]["parameters"]["OptOutListName"] = "someone-elses-list"
    demo.plan_path.write_text(json.dumps(data))
    result = _apply(demo, "--yes")
    assert result.exit_code == 1
    assert "integrity check failed" in result.output and "plan again" in result.output
    assert not demo.journal.exists()


def test_a_stale_plan_is_refused_with_what_changed_and_refresh_replans(demo: Demo) -> None:
    emu = Emulator.load(demo.world, persist=True)
    with emu:  # someone creates the list the plan would create, outside the tool
        emu.session("us-east-1").client("pinpoint-sms-voice-v2").create_opt_out_list(
            OptOutListName="pinpoint-acme-clinics"
        )
    before = demo.plan_path.read_bytes()
    result = _apply(demo, "--yes")
    assert result.exit_code == 1
    assert "the live v2 state changed since this plan was made" in result.output
    assert (
        "opt out list pinpoint-acme-clinics (111122223333/us-east-1): planned create, now update"
        in result.output
    )
    assert "--refresh" in result.output and "nothing was changed" in result.output
    assert demo.plan_path.read_bytes() == before and not demo.journal.exists()

    # --refresh --yes re-plans beside the reviewed plan and stops: an unreviewed plan is never applied
    refreshed = _apply(demo, "--yes", "--refresh")
    assert refreshed.exit_code == 1, refreshed.output
    assert "re-planned into" in refreshed.output and "nothing was applied" in refreshed.output
    assert demo.plan_path.read_bytes() == before and not demo.journal.exists()
    fresh = sorted(demo.plan_path.parent.glob("plan.*.json"))
    assert len(fresh) == 1 and str(fresh[0]) in refreshed.output
    applied = _cli(demo, "apply", str(fresh[0]), "--quiet", "--yes")
    assert applied.exit_code == 0, applied.output
    with Emulator.load(demo.world) as check:  # the list that existed was filled and verified, not made again
        sms = check.session("us-east-1").client("pinpoint-sms-voice-v2")
        names = [o["OptOutListName"] for o in sms.describe_opt_out_lists()["OptOutLists"]]
        assert names.count("pinpoint-acme-clinics") == 1
        assert (
            len(sms.describe_opted_out_numbers(OptOutListName="pinpoint-acme-clinics")["OptedOutNumbers"])
            > 60
        )


def test_a_plan_for_another_account_is_refused(demo: Demo, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    with Emulator(account_id="999999999999") as emu:
        boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1").create_opt_out_list(OptOutListName="x")
        emu.save(other)
    result = CliRunner().invoke(cli, ["apply", str(demo.plan_path), "--yes", "--emulator", str(other)])
    assert result.exit_code == 1
    assert (
        "this plan is for account(s) 111122223333, but these credentials reach 999999999999" in result.output
    )


def test_a_second_concurrent_apply_is_refused(demo: Demo) -> None:
    with Journal.open(demo.journal):
        result = _apply(demo, "--yes")
    assert result.exit_code == 1
    assert "is in use by another run (apply pid" in result.output and "wait for it to finish" in result.output


def test_resume_needs_an_apply_to_resume(demo: Demo) -> None:
    result = _apply(demo, "--yes", "--resume")
    assert result.exit_code == 1 and "holds no apply of plan" in result.output


def test_without_a_terminal_apply_needs_yes(demo: Demo) -> None:
    result = _apply(demo)
    assert result.exit_code == 1
    assert "stdin is not a terminal: pass --yes" in result.output
    assert "step(s) to run" in result.output  # what it would have done was shown first


def test_a_torn_journal_is_recovered(demo: Demo) -> None:
    first = _apply(demo, "--yes")
    assert first.exit_code == 0, first.output
    lines = demo.journal.read_text().splitlines()
    # as if killed while writing the end of the last step: its end record is half there
    demo.journal.write_text("\n".join(lines[:-2]) + "\n" + lines[-2][: len(lines[-2]) // 2])
    again = _apply(demo, "--yes")
    assert again.exit_code == 0, again.output
    assert "last record was cut off" in again.output and "resuming plan" in again.output
    assert "1 step(s) applied" in again.output or "nothing to do" in again.output
    for line in demo.journal.read_text().splitlines():
        json.loads(line)


def test_a_damaged_journal_is_refused(demo: Demo) -> None:
    demo.journal.write_text('{"event": "start"}\ngarbage\n{"event": "end"}\n')
    result = _apply(demo, "--yes")
    assert result.exit_code == 1 and "journal.jsonl:2: not a journal record" in result.output


def test_dry_run_prints_each_call_and_makes_none(demo: Demo) -> None:
    with demo.emulator() as emu:
        lines: list[str] = []
        result = demo.apply(emu, dry_run=True, echo=lines.append)
        assert mutating(emu.calls) == []
    assert result.ok and not demo.journal.exists()
    text = "\n".join(lines)
    creates = [s for s in demo.plan().steps if s["kind"] == "create_pool"]
    assert text.count("would call 111122223333/us-east-1 CreatePool") == 2
    assert text.count(" CreatePool ") == len(creates)
    assert (
        '"PoolId": "(dry-run: PoolId of 111122223333/eu-west-1/create_pool/pinpoint-everest-travel)"' in text
    )
    assert "PutOptedOutNumber x" in text and "numbers, not shown" in text
    assert "+1206" not in text and "+44" not in text.replace("+447911123456", "")  # no recipient numbers


def test_a_permanent_error_fails_its_step_skips_dependants_and_lets_the_rest_finish(demo: Demo) -> None:
    plan = demo.plan()
    with demo.emulator() as emu:
        emu.faults.fail("CreatePool", "ServiceQuotaExceededException", times=1000, Reason="POOLS_PER_ACCOUNT")
        result = demo.apply(emu)
        emu.faults.clear()
        assert not result.ok
        failed = {o.step_id for o in result.execution.outcomes if o.status == "failed"}
        skipped = {o.step_id for o in result.execution.outcomes if o.status == "not-run"}
        assert failed == {s["id"] for s in plan.steps if s["kind"] == "create_pool"}
        depend = {s["id"] for s in plan.steps if set(s["depends_on"]) & failed}
        assert skipped == depend and skipped
        assert result.execution.count("ok") == len(plan.steps) - len(failed) - len(skipped)
        summary = "\n".join(result.summary())
        assert "ServiceQuotaExceededException (POOLS_PER_ACCOUNT)" in summary and "run apply again" in summary

        again = demo.apply(emu)  # the quota was raised: the rest finishes, nothing is made twice
        assert again.ok and again.already_done == len(plan.steps) - len(failed) - len(skipped)
        sms = emu.session("us-east-1").client("pinpoint-sms-voice-v2")
        assert len(sms.describe_pools()["Pools"]) == 2


def test_ctrl_c_stops_the_run_keeps_the_journal_and_the_next_apply_finishes(demo: Demo) -> None:
    def interrupt(outcome: Any) -> None:
        if outcome.kind == "fill_opt_out_list":
            raise KeyboardInterrupt

    with demo.emulator() as emu:
        with pytest.raises(KeyboardInterrupt):
            demo.apply(emu, after_step=interrupt)
        assert not demo.journal.with_name("journal.jsonl.lock").exists()
        again = demo.apply(emu)
        assert again.ok and again.already_done >= 2
        sms = emu.session("us-east-1").client("pinpoint-sms-voice-v2")
        assert len(sms.describe_pools()["Pools"]) == 2
