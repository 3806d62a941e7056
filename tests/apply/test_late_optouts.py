"""The window between scan and switch (issue 12): numbers that reach a source after the scan, or after the
tenant list was filled and verified, are copied at switch time and refused on every send path after apply.

New STOPs land in SNS between plan and apply (the fill reads the scan's file, so only the switch-time read
can see them), and on `Default` and in SNS again right after each tenant list is verified, before the
steps that point numbers and pools at it start (the executor calls `after_step` before it starts a
step's dependants). Another list of the region being filled at that moment misses them and fails its
check; the next apply fills it again, as it would in life.
"""

from __future__ import annotations

from typing import Any

from apply.world import Demo
from migrate.apply.dryrun import Api
from migrate.apply.executor import StepOutcome
from migrate.apply.journal import read_journal
from migrate.apply.late import LATE
from migrate.apply.paths import check_path, send_paths
from migrate.emulator.sns_optouts import set_sns_opted_out

V2 = "pinpoint-sms-voice-v2"
# per region: numbers of the tenants' countries that opt out late (none is in the demo's sources)
LATE_SNS = {"us-east-1": ["+12065550871", "+12065550872"], "eu-west-1": ["+447700900871", "+919876500871"]}
LATE_DEFAULT = {
    "us-east-1": ["+12065550873", "+13125550874"],
    "eu-west-1": ["+447700900873", "+919876500873"],
}
LATE_AGAIN = {"us-east-1": ["+12065550875"], "eu-west-1": ["+447700900875", "+919876500875"]}


def _sns(emu: Any, region: str) -> list[str]:
    return list(emu.session(region).client("sns").list_phone_numbers_opted_out()["phoneNumbers"])


def test_stops_after_the_scan_and_after_the_fill_are_refused_on_every_path(demo: Demo) -> None:
    plan = demo.plan()
    with demo.emulator() as emu:
        for region, numbers in LATE_SNS.items():  # between plan and apply
            set_sns_opted_out(emu, region, _sns(emu, region) + numbers)
        struck: set[str] = set()

        def stop_now(outcome: StepOutcome) -> None:
            """Right after a tenant list is verified: new STOPs on Default and in SNS of its region."""
            region = outcome.step_id.split("/")[1]
            if "/verify_opt_out_list/" not in outcome.step_id or region in struck:
                return
            struck.add(region)
            sms = emu.session(region).client(V2)
            for number in LATE_DEFAULT[region]:
                sms.put_opted_out_number(OptOutListName="Default", OptedOutNumber=number)
            set_sns_opted_out(emu, region, _sns(emu, region) + LATE_AGAIN[region])

        runs = [demo.apply(emu, after_step=stop_now)]
        while not runs[-1].ok and len(runs) < 3:  # a fill racing the new STOPs fails its check: filled again
            runs.append(demo.apply(emu))
        assert runs[-1].ok, "\n".join(runs[-1].summary())
        assert struck == set(LATE_SNS)
        failures, paths, checked = [], 0, 0
        for tenant in plan.data["tenants"]:
            region = tenant["region"]
            api = Api(
                emu.session(region).client(V2), "live", lambda _line: None, f"{emu.account_id}/{region}"
            )
            late = LATE_SNS[region] + LATE_DEFAULT[region] + LATE_AGAIN[region]
            pools = {
                p["PoolId"]: p
                for p in api.items("DescribePools", "Pools")
                if {
                    t["Key"]: t["Value"]
                    for t in api.call("ListTagsForResource", ResourceArn=p["PoolArn"])["Tags"]
                }.get("Name")
                in tenant["pools"]
            }
            checked += len(pools)  # a tenant whose number another tenant shares gets no pool (a finding)
            for pool in pools.values():
                for path in send_paths(api, pool, tenant["configuration_set"]):
                    paths += 1
                    check = check_path(api, "late", path, pool["PoolId"], tenant["slug"], late)
                    if not check.ok:
                        failures.append(check.detail)
    assert not failures, "\n".join(failures)
    assert (
        checked >= 4 and paths >= 20
    )  # pools by id and ARN, numbers by id, ARN and E.164, sender IDs, default senders
    copied = [r for r in read_journal(demo.journal).records if r["event"] == LATE]
    # every pooled tenant's list got at least the SNS ones (the fill reads the scan's file, never SNS); the
    # Default ones may have been read by a fill that ran after them
    assert sum(r["copied"] for r in copied) >= 3 * checked
    assert all("+" not in str(r) for r in copied)  # counts, not numbers
