"""Issue 13's cases around verify and rollback, through the CLI: a check that proves nothing is INCONCLUSIVE,
never PASS; rollback --dry-run's header and footer give the same counts and say "would", never "undone"."""

from __future__ import annotations

import re

from click.testing import CliRunner, Result

from apply.world import NOW, Demo
from migrate.cli import cli
from migrate.emulator.services.v2.account import set_account_tier


def _cli(demo: Demo, *args: str) -> Result:
    result = CliRunner().invoke(cli, [*args, "--emulator", str(demo.world), "--now", NOW])
    assert "Traceback" not in result.output
    return result


def test_a_send_check_refused_first_in_the_sandbox_is_inconclusive_not_pass(demo: Demo) -> None:
    with demo.emulator(persist=True) as emu:
        assert demo.apply(emu).ok
        # eu-west-1 goes back into the SMS sandbox: every DryRun send to an unverified number is refused
        # first for that, so the opt-out list is never what refuses it
        set_account_tier(emu, "eu-west-1", "SANDBOX")
    result = _cli(demo, "verify", str(demo.plan_path))
    lines = result.output.splitlines()
    sends = [line for line in lines if "opted-out numbers refused" in line and "eu-west-1" in line]
    sends = sends or [line for line in lines if re.search(r"\b0 of \d+ opted-out numbers refused", line)]
    assert sends, result.output
    for line in sends:
        if re.search(r"\b0 of [1-9]\d* opted-out numbers refused", line):
            assert line.strip().startswith(("INCONCLUSIVE", "FAIL")), line  # never PASS for 0 of 30
    summary = next(line for line in lines if "check(s):" in line)
    assert int(re.search(r"(\d+) INCONCLUSIVE", summary)[1]) >= 1, summary  # type: ignore[index]


def test_rollback_dry_run_header_and_footer_agree_and_say_would(demo: Demo) -> None:
    with demo.emulator(persist=True) as emu:
        assert demo.apply(emu).ok
    result = _cli(demo, "rollback", "--journal", str(demo.journal), "--dry-run", "--yes")
    assert result.exit_code == 0, result.output
    text = result.output
    header = re.search(r"Roll back (\d+) applied step\(s\)", text)
    footer = re.search(r"of (\d+) applied step\(s\), (\d+) would undo", text)
    assert header and footer, text
    assert header[1] == footer[1]
    assert re.search(r"^\s+undone\s", text, re.M) is None and " undone" not in footer[0]
    assert "(dry run: nothing changed)" in text
