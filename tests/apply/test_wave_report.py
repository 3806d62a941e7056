"""The report shows status per wave and per tenant: after the canary wave is applied and verified, the
canary reads done/passed and every tenant of a later wave not started (or blocked), from journal and
verify.json alone."""

from __future__ import annotations

import json

from apply.world import NOW, Demo
from migrate.apply.clients import AwsOptions
from migrate.apply.commands import VerifyOptions, run_verify
from migrate.plan.waves_command import write_waves
from migrate.report.commands import run_report

QUICK = AwsOptions(now=NOW, quotas=("pinpoint-sms-voice-v2:*=2000",))


def test_report_shows_each_wave_and_tenant_after_the_canary(demo: Demo) -> None:
    inventory = demo.plan_path.with_name("inventory.json")
    waves = write_waves(demo.plan_path, inventory, now=NOW)
    canary = waves.proposal.waves[0]
    assert canary[0] == "canary"
    wave = f"{waves.path}:canary"
    results = demo.root / "verify.json"
    with demo.emulator(persist=True) as emu:
        applied = demo.apply(emu, wave=wave)
        assert applied.ok and applied.execution.outcomes
        checked = run_verify(
            VerifyOptions(
                plan_path=demo.plan_path, aws=QUICK, echo=lambda _l: None, wave=wave, out_path=results
            ),
            emulator=emu,
        )
        assert checked.passed
    report = run_report(
        inventory, demo.plan_path, demo.root / "report", journal_path=demo.journal, verify_path=results,
        now=NOW, waves_path=waves.path,
    )  # fmt: skip
    rows = {w.name: w for w in report.report.waves}
    assert list(rows) == [name for name, _n, _m in waves.proposal.waves]
    first = rows["canary"]
    assert first.status == "done" and all(t.status == "done" and t.verify == "passed" for t in first.tenants)
    assert all(t.done == t.steps > 0 for t in first.tenants)
    for name, row in rows.items():
        if name != "canary":
            assert row.status in ("not started", "blocked")
            assert all(
                t.status in ("not started", "blocked") and t.verify == "not checked" for t in row.tenants
            )
    html = report.html.read_text()
    assert 'data-wave="canary" data-status="done"' in html
    data = json.loads(report.json.read_text())
    assert [w["name"] for w in data["waves"]] == list(rows)
