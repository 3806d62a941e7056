"""A STOP held only by a tenant list is never lost (issue 12: protection never goes down).

A recipient who replies STOP after the cut-over lands on the tenant list the number answers to, and on no
source the plan knows (the export, SNS, the scan's `Default`). For a tenant that sends from sender IDs the
next plan copies it onto `Default` (journaled as the tool's own addition there). Every later path must keep
it: a refill planned because the list lost entries (counts), a repair from `verify --full`'s file, a fresh
plan, and a rollback, with the number refused on every send path of the tenant after each one.

The refill is where it was lost: a fill leaves out of what it copies from `Default` the numbers the tool put
there (so another sender-ID tenant's list does not end up with this one's), and took the tenant's *own*
copies for another's. Once the STOP was deleted from the tenant list (drift), the refill would not put it
back and the list's check failed on every apply: the tenant's numbers could reach the recipient.
"""

from __future__ import annotations

from apply.test_drift import FAST, apply, delete, entries, replan, verify
from apply.world import OPTED_OUT, Demo
from migrate.apply.commands import RollbackOptions, run_rollback
from migrate.emulator import Emulator

V2 = "pinpoint-sms-voice-v2"
EU = "eu-west-1"
# STOP replies after the cut-over, per tenant list (numbers no source holds): the first is lost to drift and
# refilled by counts, the second by `plan --missing` (v2 deletes a number from a list once in 30 days)
STOPS = {
    "pinpoint-everest-travel": ("+447700900123", "+447700900124"),
    "pinpoint-fjord-energy": ("+919800000123", "+919800000124"),
}
TENANT = {"pinpoint-everest-travel": "everest-travel", "pinpoint-fjord-energy": "fjord-energy"}


def identities(demo: Demo, slug: str) -> list[str]:
    """Every origination identity the plan gives the tenant (pool founders and members), by ARN."""
    found: list[str] = []
    for step in demo.plan().steps:
        identity = step["parameters"].get("OriginationIdentity")
        if identity and f"/pinpoint-{slug}" in step["id"] and identity not in found:
            found.append(str(identity))
    return found


def reached(emu: Emulator, demo: Demo) -> list[str]:
    """The (tenant list, path) pairs from which a STOP of that list can be messaged: every identity of the
    tenant by ARN, and for phone numbers by E.164 too, and the tenant's pools while they exist."""
    sms = emu.session(EU).client(V2)
    numbers = {n["PhoneNumberArn"]: n["PhoneNumber"] for n in sms.describe_phone_numbers()["PhoneNumbers"]}
    pools = sms.describe_pools()["Pools"]
    found = []
    for name, stops in STOPS.items():
        paths = identities(demo, TENANT[name])
        paths += [numbers[p] for p in paths if p in numbers]
        paths += [p["PoolArn"] for p in pools if p["OptOutListName"] == name]
        assert paths
        for path in paths:
            for stop in stops:
                try:
                    sms.send_text_message(
                        DestinationPhoneNumber=stop, OriginationIdentity=path, MessageBody="x", DryRun=True
                    )
                except Exception as exc:
                    if getattr(exc, "response", {}).get("Reason") == OPTED_OUT:
                        continue
                    raise
                found.append(f"{name}: {stop} via {path}")
    return found


def _held(emu: Emulator) -> dict[str, bool]:
    sms = emu.session(EU).client(V2)
    return {name: set(stops) <= set(entries(sms, name)) for name, stops in STOPS.items()}


def test_a_stop_only_on_the_tenant_list_survives_refill_repair_replan_and_rollback(demo: Demo) -> None:
    with demo.emulator() as emu:
        apply(demo, emu)
        sms = emu.session(EU).client(V2)
        for name, stops in STOPS.items():
            for stop in stops:
                sms.put_opted_out_number(OptOutListName=name, OptedOutNumber=stop)
        copy = replan(demo, emu)  # the lists grew since their copy onto Default: copied again
        apply(demo, emu, copy.path)
        assert {s for stops in STOPS.values() for s in stops} <= set(entries(sms, "Default"))
        assert reached(emu, demo) == []

        # drift: the first STOP and two more entries deleted from each list: the plan refills
        for name, stops in STOPS.items():
            others = [n for n in entries(sms, name) if n not in stops][:2]
            delete(emu, EU, name, [stops[0], *others])
        refill = replan(demo, emu)
        # the two verified entries are missed, whatever else came and went since (the verified-through time)
        assert refill.text.count("2 entries lost since verified") == 2, refill.text
        apply(demo, emu, refill.path)
        assert _held(emu) == dict.fromkeys(STOPS, True)
        assert reached(emu, demo) == []

        # repair from verify --full's file: the same, by the exact numbers
        for name, stops in STOPS.items():
            delete(emu, EU, name, [stops[1]])
        failed = verify(demo, emu)
        assert not failed.passed and failed.missing_path is not None
        repair = replan(demo, emu, failed.missing_path)
        apply(demo, emu, repair.path)
        assert _held(emu) == dict.fromkeys(STOPS, True)
        assert verify(demo, emu).passed
        assert replan(demo, emu).plan.steps == []
        assert reached(emu, demo) == []

        rolled = run_rollback(
            RollbackOptions(demo.journal, FAST, yes=True, echo=lambda _l: None), emulator=emu
        )
        assert rolled.ok, rolled.summary()
        assert reached(emu, demo) == []


def test_the_journal_says_which_list_each_copy_onto_default_came_from() -> None:
    """What the tool put on Default is another list's only if no copy from this list put it or found it
    there; records of older versions (no `list`) name it by their step id."""
    from migrate.apply.state import DEFAULT_ADDED, plan_state

    where = {"event": DEFAULT_ADDED, "plan": "p", "account": "1", "region": "r"}
    state = plan_state(
        [
            {**where, "step": "1/r/fill_opt_out_list/a/Default", "numbers": ["+1", "+2"]},  # older record
            {
                **where,
                "step": "1/r/fill_opt_out_list/b/Default",
                "numbers": ["+3"],
                "list": "b",
                "held": ["+2"],
            },
            {**where, "step": "1/r/set_phone_number_opt_out_list/b/x", "numbers": ["+4"], "list": "b"},
        ],
        "p",
    )
    assert state.tool_added("1/r") == {"+1", "+2", "+3", "+4"}
    assert state.others_added("1/r", "a") == {"+3", "+4"}
    assert state.others_added("1/r", "b") == {"+1"}
    assert state.others_added("1/r", "c") == {"+1", "+2", "+3", "+4"}
