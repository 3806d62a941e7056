"""Rollback never lowers protection (issue 12, case 4) and a killed rollback always finishes on re-run.

After a cut-over a recipient texts STOP: AWS puts the number on the tenant's list. Rolling back points the
tenant's phone number (and a sender ID leaving its pool) back at a list that lacks that number; the
rollback must first copy every such number there, say how many in its prompt and its dry run, and the
recipient must stay unreachable from every identity of the tenant.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from apply.world import NOW, OPTED_OUT, Demo, mutating
from migrate.apply.clients import AwsOptions
from migrate.apply.commands import RollbackOptions, run_rollback

V2 = "pinpoint-sms-voice-v2"
STOPPED = ("+12065550199", "+12065550198", "+447700900123")  # new STOPs after the cut-over


def _refused(sms: Any, origination: str, number: str) -> bool:
    try:
        sms.send_text_message(
            DestinationPhoneNumber=number, OriginationIdentity=origination, MessageBody="x", DryRun=True
        )
    except ClientError as exc:
        return exc.response.get("Reason") == OPTED_OUT
    return False


def _stop_after_cutover(emu: Any) -> None:
    us = emu.session("us-east-1").client(V2)
    for number in STOPPED[:2]:
        us.put_opted_out_number(OptOutListName="pinpoint-bluebird-retail", OptedOutNumber=number)
    eu = emu.session("eu-west-1").client(V2)
    eu.put_opted_out_number(OptOutListName="pinpoint-everest-travel", OptedOutNumber=STOPPED[2])


def _still_refused(emu: Any, *, sender: bool = True) -> None:
    us = emu.session("us-east-1").client(V2)
    for number in STOPPED[:2]:
        assert _refused(us, "+18335550111", number), "the bluebird number reaches a recipient who said STOP"
    eu = emu.session("eu-west-1").client(V2)
    assert _refused(eu, "+447911123456", STOPPED[2]), "the everest number reaches a recipient who said STOP"
    if sender:  # a sender ID outside its pool answers to Default
        arn = f"arn:aws:sms-voice:eu-west-1:{emu.account_id}:sender-id/EVEREST/GB"
        assert _refused(eu, arn, STOPPED[2]), "the everest sender ID reaches a recipient who said STOP"


def test_rollback_copies_new_stops_back_before_leaving_the_tenant_list(demo: Demo) -> None:
    aws = AwsOptions(now=NOW)
    with demo.emulator() as emu:
        assert demo.apply(emu).ok
        _stop_after_cutover(emu)
        _still_refused(emu, sender=False)

        mark = len(emu.calls)
        lines: list[str] = []
        dry = run_rollback(RollbackOptions(demo.journal, aws, dry_run=True, echo=lines.append), emulator=emu)
        assert mutating(emu.calls[mark:]) == []
        # the tenant lists hold the endpoint-export opt-outs too, which the lists the identities go back to
        # (Default) lack: all of them are copied, the three new STOPs among them
        header, footer = lines[0], dry.summary()[0]
        assert dry.to_copy >= 3 and f"first {dry.to_copy} opted-out number(s) would be copied" in header
        assert f"Roll back {len(dry.outcomes)} applied step(s)" in header
        assert f"of {len(dry.outcomes)} applied step(s)" in footer and "would undo" in footer
        assert f"would copy {dry.to_copy} opted-out number(s)" in footer, (header, footer)

        rolled = run_rollback(
            RollbackOptions(demo.journal, aws, yes=True, echo=lambda _l: None), emulator=emu
        )
        assert rolled.ok, rolled.summary()
        assert rolled.copied == dry.to_copy
        _still_refused(emu)


def test_a_rollback_killed_before_a_pool_goes_finishes_on_rerun(demo: Demo) -> None:
    aws = AwsOptions(now=NOW)
    with demo.emulator() as emu:
        assert demo.apply(emu).ok
        emu.faults.fail("DeletePool", "InternalServerException", times=20)
        first = run_rollback(RollbackOptions(demo.journal, aws, yes=True, echo=lambda _l: None), emulator=emu)
        assert not first.ok  # the pools stayed
        emu.faults.clear()
        again = run_rollback(RollbackOptions(demo.journal, aws, yes=True, echo=lambda _l: None), emulator=emu)
        assert again.ok, again.summary()
        for region in ("us-east-1", "eu-west-1"):
            sms = emu.session(region).client(V2)
            assert sms.describe_pools()["Pools"] == []
            names = {o["OptOutListName"] for o in sms.describe_opt_out_lists()["OptOutLists"]}
            assert names == {"Default"}


@pytest.mark.parametrize("mode", ["dry-run", "live"])
def test_rollback_header_and_footer_counts_agree(demo: Demo, mode: str) -> None:
    aws = AwsOptions(now=NOW)
    with demo.emulator() as emu:
        assert demo.apply(emu).ok
        lines: list[str] = []
        options = RollbackOptions(demo.journal, aws, yes=True, dry_run=mode == "dry-run", echo=lines.append)
        done = run_rollback(options, emulator=emu)
        assert done.ok and done.copied == done.to_copy
        assert f"first {done.to_copy} opted-out number(s)" in lines[0]
