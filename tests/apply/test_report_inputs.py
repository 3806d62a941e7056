"""`report` refuses an inventory and a plan of different scans (sha256, as export-iac does), and a bare
`report` after apply and verify shows what was done: it reads journal.jsonl and verify.json beside the plan."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from apply.world import NOW, Demo
from migrate.cli import cli


def _cli(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def test_an_inventory_of_another_scan_is_refused(demo: Demo, tmp_path: Any) -> None:
    inventory = demo.root / "migration" / "inventory.json"
    other = tmp_path / "other.json"
    data = json.loads(inventory.read_text())
    data["scanned_at"] = "2026-11-28T00:00:00Z"  # another scan of the same account
    other.write_text(json.dumps(data))
    result = _cli(
        "report", "--inventory", str(other), "--plan", str(demo.plan_path), "--out", str(tmp_path / "r")
    )
    assert result.exit_code == 1, result.output
    assert str(other) in result.output and "sha256" in result.output and demo.plan().plan_id in result.output
    assert not (tmp_path / "r" / "readiness.html").exists()


def test_a_bare_report_after_apply_and_verify_reads_the_journal_and_verify_results(
    demo: Demo, tmp_path: Any
) -> None:
    world = ["--emulator", str(demo.world), "--now", NOW]
    assert _cli("apply", str(demo.plan_path), "--yes", "-q", *world).exit_code == 0
    _cli("verify", str(demo.plan_path), "--quota", "pinpoint-sms-voice-v2:*=2000", *world)
    assert demo.plan_path.with_name("verify.json").exists()
    inventory = demo.root / "migration" / "inventory.json"
    out = tmp_path / "r"
    result = _cli(
        "report",
        "--inventory",
        str(inventory),
        "--plan",
        str(demo.plan_path),
        "--out",
        str(out),
        "--now",
        NOW,
    )
    assert result.exit_code == 0, result.output
    assert "journal.jsonl" in result.output and "verify.json" in result.output
    data = json.loads((out / "readiness.json").read_text())
    statuses = {s["status"] for s in data["steps"]}
    assert "planned" not in statuses and statuses & {"applied", "verified"}
