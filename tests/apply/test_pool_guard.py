"""A pool founded by a sender ID is never left answering to Default (issue 12, case 2).

CreatePool puts a new pool on `Default`; the step then points it at the tenant's verified list. When that
second call fails (a 500 after botocore's retries) the pool is deleted again before apply reports; when
even that fails (as after a kill between the calls), the next apply finishes the step before anything else.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from apply.world import OPTED_OUT, Demo, mutating, tenant_opt_outs

V2 = "pinpoint-sms-voice-v2"
REGION = "eu-west-1"


def _fjord_pools(emu: Any) -> list[dict[str, Any]]:
    sms = emu.session(REGION).client(V2)
    found = []
    for pool in sms.describe_pools()["Pools"]:
        members = sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]
        if any(m["OriginationIdentity"] == "FJORDEN" for m in members):
            found.append(pool)
    return found


def _exposed(emu: Any, demo: Demo) -> list[str]:
    """Fjord's opted-out numbers a DryRun send through any pool holding its sender ID reaches."""
    app = next(t["app_id"] for t in demo.plan().data["tenants"] if t["slug"] == "fjord-energy")
    numbers = tenant_opt_outs(demo, app)[:10]
    sms = emu.session(REGION).client(V2)
    reached = []
    for pool in _fjord_pools(emu):
        for number in numbers:
            try:
                sms.send_text_message(
                    DestinationPhoneNumber=number,
                    OriginationIdentity=pool["PoolId"],
                    MessageBody="x",
                    DryRun=True,
                )
            except ClientError as exc:
                if exc.response.get("Reason") == OPTED_OUT:
                    continue
            reached.append(number)
    return reached


def test_a_500_on_the_second_call_deletes_the_pool_before_apply_reports(demo: Demo) -> None:
    with demo.emulator() as emu:
        emu.faults.fail("UpdatePool", "InternalServerException", times=50)
        lines: list[str] = []
        result = demo.apply(emu, echo=lines.append)
        assert not result.ok
        assert _fjord_pools(emu) == [], "a pool holding the sender ID survived the failed step"
        failed = [o for o in result.execution.outcomes if o.status == "failed" and "fjord" in o.step_id]
        assert failed and "deleted again" in failed[0].error
        emu.faults.clear()
        assert demo.apply(emu).ok
        assert len(_fjord_pools(emu)) == 1 and _exposed(emu, demo) == []


def test_a_pool_left_on_default_is_healed_first_by_the_next_apply(demo: Demo) -> None:
    with demo.emulator() as emu:
        # as after a kill between CreatePool and UpdatePool: the pool exists, on Default, and cannot go
        emu.faults.fail("UpdatePool", "InternalServerException", times=50)
        emu.faults.fail("DeletePool", "InternalServerException", times=50)
        result = demo.apply(emu)
        assert not result.ok and len(_fjord_pools(emu)) == 1
        emu.faults.clear()
        mark = len(emu.calls)
        assert demo.apply(emu).ok
        first = mutating(emu.calls[mark:])[0]
        assert first == f"{V2}.UpdatePool", mutating(emu.calls[mark:])[:3]
        assert len(_fjord_pools(emu)) == 1 and _exposed(emu, demo) == []


def test_the_journal_knows_the_pool_before_the_second_call(demo: Demo) -> None:
    with demo.emulator() as emu:
        emu.faults.fail("UpdatePool", "InternalServerException", times=50)
        emu.faults.fail("DeletePool", "InternalServerException", times=50)
        demo.apply(emu)
        pool_id = _fjord_pools(emu)[0]["PoolId"]
    text = demo.journal.read_text()
    assert f'"PoolId": "{pool_id}"' in text.replace('":"', '": "')
