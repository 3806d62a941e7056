"""verify finds gaps (exit 1); rollback undoes only the tool's own work and refuses, by name, the rest."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from apply.world import NOW, Demo, fill_files, fill_step, mutating
from migrate.apply.clients import AwsOptions
from migrate.apply.commands import RollbackOptions, run_rollback
from migrate.apply.kinds import KINDS, Kind
from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.plan.steps import STEP_KINDS

V2 = "pinpoint-sms-voice-v2"


def test_every_step_kind_has_execute_verify_and_undo() -> None:
    assert set(KINDS) == set(STEP_KINDS)
    for name, kind in KINDS.items():
        for method in ("execute", "verify", "undo"):
            assert getattr(type(kind), method) is not getattr(Kind, method), f"{name} lacks {method}"


def _cli(demo: Demo, *args: str) -> Any:
    result = CliRunner().invoke(
        cli, [*args, "--emulator", str(demo.world), "--now", NOW], catch_exceptions=False
    )
    assert "Traceback" not in result.output
    return result


def test_verify_passes_after_apply_and_fails_on_a_missing_opt_out(demo: Demo) -> None:
    assert _cli(demo, "apply", str(demo.plan_path), "--yes", "--quiet").exit_code == 0
    quick = ["--quota", "pinpoint-sms-voice-v2:*=2000"]
    passed = _cli(demo, "verify", str(demo.plan_path), *quick)
    assert passed.exit_code == 0, passed.output
    assert " 0 FAIL" in passed.output and "PASS" in passed.output
    # verify ends with what it did not check, naming the tenants (their pools are blocked in the demo)
    assert (
        "not checked: " in passed.output
        and "Acme Clinics (pool pinpoint-acme-clinics does not exist)" in passed.output
    )
    # without the journal, verify finds the pools again by their Name tag
    alone = _cli(demo, "verify", str(demo.plan_path), "--journal", str(demo.root / "none.jsonl"), *quick)
    assert alone.exit_code == 0, alone.output

    # Numbers taken off: the list's first entry and one of each kind of source the list was filled from
    # (the tenant's export, SNS, Default): `verify --full` reads every source whole, so it names them all.
    by_kind = fill_files(demo, fill_step(demo, "pinpoint-bluebird-retail"))
    with Emulator.load(demo.world, persist=True) as emu:  # someone takes STOPs off a tenant's list
        sms = emu.session("us-east-1").client(V2)
        pages = sms.get_paginator("describe_opted_out_numbers").paginate(
            OptOutListName="pinpoint-bluebird-retail"
        )
        listed = [n["OptedOutNumber"] for page in pages for n in page["OptedOutNumbers"]]
        default = {
            n["OptedOutNumber"]
            for n in sms.describe_opted_out_numbers(OptOutListName="Default")["OptedOutNumbers"]
        }
        gone = [listed[0]]
        for numbers in (by_kind["endpoint export"], by_kind["SNS"], default):
            gone.append(sorted(numbers - set(gone))[0])
        for number in dict.fromkeys(gone):
            sms.delete_opted_out_number(OptOutListName="pinpoint-bluebird-retail", OptedOutNumber=number)
    gone = list(dict.fromkeys(gone))
    failed = _cli(demo, "verify", str(demo.plan_path), "--full", *quick)
    assert failed.exit_code == 1
    assert "REACHABLE: +" in failed.output and not any(n in failed.output for n in gone)
    assert f"{len(gone)} of " in failed.output and "missing from pinpoint-bluebird-retail" in failed.output
    missing = (demo.root / "migration" / "missing-optouts.csv").read_text()
    assert all(n in missing for n in gone)
    saved = json.loads((demo.root / "migration" / "verify.json").read_text())
    assert saved["passed"] is False and any(not s["ok"] for s in saved["steps"])


def test_rollback_undoes_only_its_own_work_and_names_what_it_refuses(demo: Demo) -> None:
    aws = AwsOptions(now=NOW)
    with demo.emulator() as emu:
        assert demo.apply(emu).ok
        sms = emu.session("us-east-1").client(V2)
        pools = {
            {t["Key"]: t["Value"] for t in sms.list_tags_for_resource(ResourceArn=p["PoolArn"])["Tags"]}[
                "Name"
            ]: p
            for p in sms.describe_pools()["Pools"]
        }
        # after apply, people change things: a sender ID joins the bluebird pool, someone protects the cobalt
        # pool, a number moves onto the delta list, a configuration set loses the tool's tags
        sms.request_sender_id(SenderId="BLUEBIRD", IsoCountryCode="GB", MessageTypes=["PROMOTIONAL"])
        bluebird = pools["pinpoint-bluebird-retail"]["PoolId"]
        sms.associate_origination_identity(
            PoolId=bluebird, OriginationIdentity="BLUEBIRD", IsoCountryCode="GB"
        )
        cobalt = pools["pinpoint-cobalt-bank"]["PoolId"]
        sms.update_pool(PoolId=cobalt, DeletionProtectionEnabled=True)
        delta = next(
            n for n in sms.describe_phone_numbers()["PhoneNumbers"] if n["PhoneNumber"] == "+13125550142"
        )
        sms.update_phone_number(
            PhoneNumberId=delta["PhoneNumberId"], OptOutListName="pinpoint-delta-logistics"
        )
        acme_set = sms.describe_configuration_sets(ConfigurationSetNames=["pinpoint-acme-clinics"])
        sms.untag_resource(
            ResourceArn=acme_set["ConfigurationSets"][0]["ConfigurationSetArn"], TagKeys=["managed-by"]
        )

        mark = len(emu.calls)
        lines: list[str] = []
        dry = run_rollback(RollbackOptions(demo.journal, aws, dry_run=True, echo=lines.append), emulator=emu)
        assert mutating(emu.calls[mark:]) == [] and "would call" in "\n".join(lines)
        assert {a.step_id for a, u in dry.outcomes if u.status == "refused"} == _refused_steps()

        rolled = run_rollback(
            RollbackOptions(demo.journal, aws, yes=True, echo=lambda _l: None), emulator=emu
        )
        refused = {a.step_id: u.detail for a, u in rolled.outcomes if u.status == "refused"}
        assert set(refused) == _refused_steps() and not rolled.ok
        text = "\n".join(rolled.summary())
        assert "holds arn:aws:sms-voice:us-east-1:111122223333:sender-id/BLUEBIRD/GB" in text
        assert "deletion protection that pinpoint-migrate did not turn on" in text
        assert f"used by phone number {delta['PhoneNumberId']}" in text
        assert "pinpoint-acme-clinics no longer carries the tool's tags" in text

        names = {o["OptOutListName"] for o in sms.describe_opt_out_lists()["OptOutLists"]}
        assert names == {
            "Default",
            "pinpoint-bluebird-retail",
            "pinpoint-cobalt-bank",
            "pinpoint-delta-logistics",
        }
        assert {p["PoolId"] for p in sms.describe_pools()["Pools"]} == {bluebird, cobalt}
        sets = {c["ConfigurationSetName"] for c in sms.describe_configuration_sets()["ConfigurationSets"]}
        assert sets == {"pinpoint-acme-clinics"}

        mark = len(emu.calls)
        again = run_rollback(RollbackOptions(demo.journal, aws, yes=True, echo=lambda _l: None), emulator=emu)
        assert {a.step_id for a, u in again.outcomes if u.status == "refused"} == _refused_steps()
        # the rest was undone the first time, but for the changes that go with what stays (a kept pool's
        # members, a kept list's fill): they are still in effect, so still the tool's
        assert all(u.follows is not None for a, u in again.outcomes if a.step_id not in _refused_steps())
        assert mutating(emu.calls[mark:]) == []


def _refused_steps() -> set[str]:
    us = "111122223333/us-east-1"
    return {
        f"{us}/create_pool/pinpoint-bluebird-retail",
        f"{us}/create_pool/pinpoint-cobalt-bank",
        f"{us}/create_opt_out_list/pinpoint-delta-logistics",
        f"{us}/create_configuration_set/pinpoint-acme-clinics",
        # the pools that stay keep their numbers, and those numbers and pools keep their lists
        f"{us}/set_phone_number_opt_out_list/pinpoint-bluebird-retail/phone-977108746cb2ac65f7bc428d9bb64dd6",
        f"{us}/set_phone_number_opt_out_list/pinpoint-cobalt-bank/phone-7a87d957695c78c8e743278aa85c8fc7",
        f"{us}/create_opt_out_list/pinpoint-bluebird-retail",
        f"{us}/create_opt_out_list/pinpoint-cobalt-bank",
    }
