"""The tenant list is filled from every list any of the tenant's identities is on now (issue 12, case 1).

Bluebird's number answers to a custom v2 list holding 60 opted-out recipients (not Default). Before apply
all 60 are refused from the number; after apply (the number switched to the tenant list, in the tenant
pool) all 60 must still be refused from the number and from the pool, and the plan must say it copies them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from apply.world import OPTED_OUT, Demo, build
from migrate.emulator import Emulator

V2 = "pinpoint-sms-voice-v2"
NUMBER = "+18335550111"
LEGACY = "legacy-stops"
STOPPED = [f"+1206555{i:04d}" for i in range(7000, 7060)]


def _prepare(emu: Emulator) -> None:
    sms = emu.session("us-east-1").client(V2)
    sms.create_opt_out_list(OptOutListName=LEGACY)
    for number in STOPPED:
        sms.put_opted_out_number(OptOutListName=LEGACY, OptedOutNumber=number)
    found = next(n for n in sms.describe_phone_numbers()["PhoneNumbers"] if n["PhoneNumber"] == NUMBER)
    sms.update_phone_number(PhoneNumberId=found["PhoneNumberId"], OptOutListName=LEGACY)


def _reached(sms: Any, origination: str) -> list[str]:
    reached = []
    for number in STOPPED:
        try:
            sms.send_text_message(
                DestinationPhoneNumber=number, OriginationIdentity=origination, MessageBody="x", DryRun=True
            )
        except ClientError as exc:
            if exc.response.get("Reason") == OPTED_OUT:
                continue
        reached.append(number)
    return reached


def test_a_numbers_own_list_is_copied_into_the_tenant_list(tmp_path: Path) -> None:
    build(tmp_path, _prepare)
    demo = Demo(tmp_path)
    fill = next(
        s
        for s in demo.plan().steps
        if s["kind"] == "fill_opt_out_list" and s["target"].endswith("bluebird-retail")
    )
    assert {"OptOutListName": LEGACY, "count": len(STOPPED)} in fill["parameters"]["copy_from"]
    with demo.emulator() as emu:
        sms = emu.session("us-east-1").client(V2)
        assert _reached(sms, NUMBER) == []
        assert demo.apply(emu).ok
        assert _reached(sms, NUMBER) == [], "the switch exposed the number's own list"
        pools = [
            p for p in sms.describe_pools()["Pools"] if p["OptOutListName"] == "pinpoint-bluebird-retail"
        ]
        assert pools and _reached(sms, pools[0]["PoolId"]) == []
