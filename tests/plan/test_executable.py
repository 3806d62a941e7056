"""The plan is executable as written: its steps, run one by one on the emulator, build the tenant's v2
setup, and after every step no opted-out recipient can be messaged from the tenant's identities."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError

from migrate.emulator import Emulator
from migrate.emulator.services.v2.provision import provision_phone_number
from migrate.mapping.overrides import parse_overrides
from migrate.plan.commands import compute_plan
from migrate.plan.planfile import Plan
from migrate.plan.steps import api_parameters
from plan.factories import World

REGION = "us-east-1"
US = (["+12065550122", "+12065550133"], ["+12065550144"])  # (tenant's opt-outs, Default list entries)
GB = (["+447400123457", "+447400123458"], ["+447400123459"])  # a GB sender ID reaches GB recipients only
SCENARIOS = {
    "one number": (["+12065550100"], False, US),
    "two numbers and a sender ID": (["+12065550100", "+12065550101"], True, US),
    "a sender ID only": ([], True, GB),
}
TENANT_OPT_OUTS: list[str] = []
DEFAULT_OPT_OUTS: list[str] = []


def _world(
    emu: Emulator, numbers: list[str], sender: bool, recipients: tuple[list[str], list[str]]
) -> tuple[World, str, list[str]]:
    TENANT_OPT_OUTS[:], DEFAULT_OPT_OUTS[:] = recipients
    sms = boto3.client("pinpoint-sms-voice-v2", region_name=REGION)
    world = World(account=emu.account_id)
    world.tenant("Acme Clinics", opt_outs=len(TENANT_OPT_OUTS))
    ids = []
    for value in numbers:
        made = provision_phone_number(
            emu,
            region=REGION,
            phone_number=value,
            number_type="TEN_DLC",
            message_type="TRANSACTIONAL",
            capabilities=["SMS"],
            iso_country_code="US",
        )
        world.number(value)
        world.replace_record(
            "phone_numbers",
            {"phone_number": value},
            phone_number_id=made["PhoneNumberId"],
            arn=made["PhoneNumberArn"],
        )
        ids.append(made["PhoneNumberId"])
    identities = list(numbers)
    if sender:
        made = sms.request_sender_id(SenderId="ACME", IsoCountryCode="GB", MessageTypes=["TRANSACTIONAL"])
        world.sender("ACME", "GB", REGION)
        world.replace_record("sender_ids", {"sender_id": "ACME"}, arn=made["SenderIdArn"])
        identities.append("ACME/GB")
    for item in DEFAULT_OPT_OUTS:
        sms.put_opted_out_number(OptOutListName="Default", OptedOutNumber=item)
    world.replace_record("opt_out_lists", {"name": "Default"}, size=len(DEFAULT_OPT_OUTS))
    overrides = '[tenants."Acme Clinics"]\nidentities = [' + ", ".join(f'"{i}"' for i in identities) + "]\n"
    return world, overrides, ids


def _fill(sms: Any, parameters: dict[str, Any]) -> None:
    for _source in parameters["sources"]:
        for item in TENANT_OPT_OUTS:  # what the scan's optouts/<tenant>.csv holds
            sms.put_opted_out_number(OptOutListName=parameters["OptOutListName"], OptedOutNumber=item)
    for other in parameters["copy_from"]:
        for item in sms.describe_opted_out_numbers(OptOutListName=other["OptOutListName"])["OptedOutNumbers"]:
            sms.put_opted_out_number(
                OptOutListName=parameters["OptOutListName"], OptedOutNumber=item["OptedOutNumber"]
            )


def _nobody_opted_out_is_reachable(sms: Any, number_ids: list[str]) -> None:
    """Default-list entries are safe from each number all along; the tenant's (Pinpoint endpoint) opt-outs
    from every pool, and from a number as soon as it answers to the tenant list (issue 5's hook)."""
    checks: list[tuple[str, list[str]]] = []
    for number in sms.describe_phone_numbers(PhoneNumberIds=number_ids)["PhoneNumbers"] if number_ids else []:
        tenant = TENANT_OPT_OUTS if number["OptOutListName"] != "Default" else []
        checks.append((number["PhoneNumberId"], DEFAULT_OPT_OUTS + tenant))
    for pool in sms.describe_pools()["Pools"]:
        if pool["OptOutListName"] != "Default":
            checks.append((pool["PoolId"], TENANT_OPT_OUTS + DEFAULT_OPT_OUTS))
        else:  # a sender-ID pool before `update_pool`: it answers to Default, and nobody sends through it yet
            checks.append((pool["PoolId"], DEFAULT_OPT_OUTS))
    for identity, recipients in checks:
        for recipient in recipients:
            with pytest.raises(ClientError) as caught:
                sms.send_text_message(
                    DestinationPhoneNumber=recipient,
                    OriginationIdentity=identity,
                    MessageBody="hi",
                    DryRun=True,
                )
            assert caught.value.response.get("Reason") == "DESTINATION_PHONE_NUMBER_OPTED_OUT", identity


def _run(sms: Any, plan: Plan, number_ids: list[str]) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for step in plan.steps:
        parameters = step["parameters"]
        if step["kind"] == "fill_opt_out_list":
            _fill(sms, parameters)
        elif step["kind"] == "verify_opt_out_list":
            found = sms.describe_opted_out_numbers(OptOutListName=parameters["OptOutListName"])[
                "OptedOutNumbers"
            ]
            assert len(found) >= parameters["expected_minimum"]
            arn = sms.describe_opt_out_lists(OptOutListNames=[parameters["OptOutListName"]])["OptOutLists"][0]
            sms.tag_resource(ResourceArn=arn["OptOutListArn"], Tags=parameters["Tags"])
        else:
            results[step["id"]] = getattr(sms, xform_name(step["operation"]))(
                **api_parameters(parameters, results)
            )
        _nobody_opted_out_is_reachable(sms, number_ids)
    return results


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_plan_runs_step_by_step_and_keeps_opted_out_recipients_safe(emu: Emulator, scenario: str) -> None:
    world, overrides, number_ids = _world(emu, *SCENARIOS[scenario])
    inventory = world.build()
    plan = compute_plan(
        inventory, parse_overrides(overrides), inventory, inventory_sha256="0" * 64, offline=True
    )
    assert plan.summary["blocked"] == 0, plan.findings
    sms = boto3.client("pinpoint-sms-voice-v2", region_name=REGION)
    results = _run(sms, plan, number_ids)
    (pool,) = sms.describe_pools()["Pools"]
    assert pool["OptOutListName"] == "pinpoint-acme-clinics"
    members = sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]
    assert len(members) == len(number_ids) + (1 if SCENARIOS[scenario][1] else 0)
    _nobody_opted_out_is_reachable(sms, number_ids)
    tags = sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"]
    assert {"Key": "managed-by", "Value": "pinpoint-migrate"} in tags
    # The same create sent again (a resumed apply) makes nothing new: the ClientToken is the plan's.
    create = next(s for s in plan.steps if s["kind"] == "create_pool")
    assert sms.create_pool(**api_parameters(create["parameters"], results))["PoolId"] == pool["PoolId"]
    assert len(sms.describe_pools()["Pools"]) == 1
