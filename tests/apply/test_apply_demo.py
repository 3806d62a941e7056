"""Applying the demo plan: safety invariant 1 after every step; apply → verify → re-plan → re-apply →
rollback, ending where it started."""

from __future__ import annotations

import json
from pathlib import Path

from apply.world import NOW, Demo, InvariantHook, mutating, v2_records
from migrate.apply.clients import AwsOptions
from migrate.apply.commands import RollbackOptions, VerifyOptions, run_rollback, run_verify
from migrate.apply.stale import scan_live
from migrate.inventory.run import ScanOptions
from migrate.plan.commands import run_plan

SCAN = ScanOptions(progress=False, now=NOW)


def test_invariant_1_holds_after_every_step(demo: Demo) -> None:
    plan = demo.plan()
    with demo.emulator() as emu:
        hook = InvariantHook(emu, demo)
        result = demo.apply(emu, after_step=hook, max_workers=4)
    assert result.ok, result.summary()
    assert hook.checked_steps == len(plan.steps) > 40
    created = {s["target"].rsplit("/", 1)[-1] for s in plan.steps if s["kind"] == "create_pool"}
    assert hook.pools_seen == created and len(created) == 4
    assert hook.sends > 1000


def test_apply_verify_replan_reapply_and_rollback(demo: Demo, tmp_path: Path) -> None:
    plan = demo.plan()
    with demo.emulator() as emu:
        before = scan_live(plan, SCAN, emu)

        result = demo.apply(emu)
        assert result.ok and result.execution.count("ok") == len(plan.steps)
        kinds = [o.kind for o in result.execution.outcomes]
        assert kinds.count("create_pool") == 4 and kinds.count("create_opt_out_list") == 6

        fast = AwsOptions(now=NOW, quotas=("SendTextMessage=1000", "DescribeOptedOutNumbers=1000"))
        checked = run_verify(VerifyOptions(demo.plan_path, fast, full=True, echo=print), emulator=emu)
        assert checked.passed, [c for c in checked.checks if not c.ok]
        saved = json.loads(checked.path.read_text())
        assert saved["passed"] and len(saved["steps"]) == len(checked.checks)
        sends = [c for c in checked.checks if c.what == "opt-outs"]
        # every send path of the 4 pools: pool (ARN, id), each number (ARN, id, E.164), each sender ID
        # (ARN, name), the configuration set with a default sender
        assert sum(1 for c in sends if "(ARN) of pool" in c.detail and c.detail.startswith("pool ")) == 4
        assert len(sends) > 4 and all(
            "refused (DESTINATION_PHONE_NUMBER_OPTED_OUT)" in c.detail for c in sends
        )
        assert any(c.detail.startswith("sender ID ") for c in sends)
        assert any(c.detail.startswith("configuration set ") for c in sends)

        live = scan_live(plan, SCAN, emu)
        again = run_plan(demo.root / "migration/inventory.json", None, tmp_path / "plan2.json", False, live)
        assert again.plan.steps == [] and again.plan.summary["create"] == again.plan.summary["update"] == 0
        # a verified list's check reads its sources: the scan's folder holds them (the plan is elsewhere)
        scanned = demo.root / "migration"
        unchanged = run_verify(
            VerifyOptions(tmp_path / "plan2.json", fast, data_dir=scanned, echo=print), emulator=emu
        )
        assert unchanged.passed and len(unchanged.checks) > 20  # every no-op resource is still there

        mark = len(emu.calls)
        rerun = demo.apply(emu)
        assert rerun.execution.outcomes == [] and rerun.already_done == len(plan.steps)
        # the journal says everything is done: no call but the credentials' identity check
        assert [c.operation for c in emu.calls[mark:]] == ["GetCallerIdentity"]
        fresh = demo.apply(emu, plan_path=tmp_path / "plan2.json")
        assert fresh.execution.outcomes == [] and fresh.already_done == 0
        assert mutating(emu.calls[mark:]) == []

        rolled = run_rollback(
            RollbackOptions(demo.journal, AwsOptions(now=NOW), yes=True, echo=print), emulator=emu
        )
        assert rolled.ok, rolled.summary()
        after = scan_live(plan, SCAN, emu)
    # everything is as before, but the Default lists the numbers went back to: they gained the tenant lists'
    # opt-outs they lacked (rollback never lowers protection), exactly as many as it says it copied
    grown = {o.name: o.size for o in after.records["opt_out_lists"]}
    was = {o.name: o.size for o in before.records["opt_out_lists"]}
    assert set(grown) == set(was) and all(grown[n] >= was[n] for n in was)
    assert sum(grown.values()) > sum(was.values())  # the apply (sender IDs) and the rollback copied there
    after.records["opt_out_lists"] = before.records["opt_out_lists"]
    assert v2_records(after) == v2_records(before)
