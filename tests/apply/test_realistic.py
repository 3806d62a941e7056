"""apply → verify → rollback on the `realistic` timing profile (emulated clock): pools are CREATING for
emulated seconds after CreatePool and DELETING after DeletePool, and the run waits for both instead of
failing on RESOURCE_NOT_ACTIVE or PHONE_NUMBER_ASSOCIATED_TO_POOL."""

from __future__ import annotations

from apply.world import NOW, Demo, make_realistic
from migrate.apply.clients import AwsOptions
from migrate.apply.commands import RollbackOptions, VerifyOptions, run_rollback, run_verify


def test_apply_verify_rollback_wait_for_aws(demo: Demo) -> None:
    make_realistic(demo)
    plan = demo.plan()
    lines: list[str] = []
    with demo.emulator() as emu:
        start = emu.clock()
        result = demo.apply(emu, echo=lines.append)
        assert result.ok, result.summary()
        assert emu.clock() - start >= 3.0  # it waited on the emulated clock, not in real time
        waits = [line for line in lines if line.strip().startswith("waiting  pool")]
        assert len(waits) == sum(1 for s in plan.steps if s["kind"] == "create_pool")
        fast = AwsOptions(now=NOW, quotas=("pinpoint-sms-voice-v2:*=1000",))
        checked = run_verify(VerifyOptions(demo.plan_path, fast, echo=lambda _l: None), emulator=emu)
        assert checked.passed, [c for c in checked.checks if not c.ok]

        undone = run_rollback(RollbackOptions(demo.journal, fast, yes=True, echo=lines.append), emulator=emu)
        assert undone.ok, [(s.step_id, u) for s, u in undone.outcomes if not u.ok]
        for region in plan.data["regions"]:
            sms = emu.session(region).client("pinpoint-sms-voice-v2")
            assert sms.describe_pools()["Pools"] == []  # gone, not DELETING: rollback waited
        assert any("waiting  pool" in line and "DELETING" in line for line in lines)
        calls = [c for c in emu.calls if c.operation == "DeleteOptedOutNumber"]
        assert calls == []  # rollback never deletes opted-out numbers (AWS allows it once per 30 days)
