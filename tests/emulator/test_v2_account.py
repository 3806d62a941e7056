"""v2 account: sandbox tier per region, resource limits counting live resources, spend limits."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from migrate.emulator import Emulator
from migrate.emulator.services.v2.account import LIMIT_TABLES, set_account_tier, set_spend_limit_max
from migrate.emulator.services.v2.model import in_sandbox, offline

_MODEL = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")


@pytest.fixture
def sms(emu: Emulator) -> Any:
    return emu.session("us-east-1").client("pinpoint-sms-voice-v2")


def _attributes(client: Any) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in client.describe_account_attributes()["AccountAttributes"]}


def _limits(client: Any) -> dict[str, tuple[int, int]]:
    return {a["Name"]: (a["Used"], a["Max"]) for a in client.describe_account_limits()["AccountLimits"]}


def test_sandbox_tier_is_per_region(emu: Emulator, sms: Any) -> None:
    west = emu.session("us-west-2").client("pinpoint-sms-voice-v2")
    assert _attributes(sms) == {"ACCOUNT_TIER": "PRODUCTION"}
    set_account_tier(emu, "us-east-1", "SANDBOX")
    assert _attributes(sms)["ACCOUNT_TIER"] == "SANDBOX"
    assert _attributes(west)["ACCOUNT_TIER"] == "PRODUCTION"
    with offline(emu, "us-east-1") as ctx:
        assert in_sandbox(ctx)
    set_account_tier(emu, "us-east-1", "PRODUCTION")  # what leaving the sandbox by support case does
    assert _attributes(sms)["ACCOUNT_TIER"] == "PRODUCTION"
    with pytest.raises(ValueError):
        set_account_tier(emu, "us-east-1", "GOLD")
    first = sms.describe_account_attributes(MaxResults=1)
    assert len(first["AccountAttributes"]) == 1


def test_limits_name_every_account_limit_and_count_live_resources(emu: Emulator, sms: Any) -> None:
    assert set(LIMIT_TABLES) == set(_MODEL.shape_for("AccountLimitName").enum)
    limits = _limits(sms)
    assert set(limits) == set(LIMIT_TABLES)
    assert limits["CONFIGURATION_SETS"] == (0, 25) and limits["OPT_OUT_LISTS"] == (0, 25)
    assert limits["VERIFIED_DESTINATION_NUMBERS"] == (0, 10)

    sms.create_configuration_set(ConfigurationSetName="a")
    sms.create_configuration_set(ConfigurationSetName="b")
    sms.create_opt_out_list(OptOutListName="tenant-a")
    sms.create_verified_destination_number(DestinationPhoneNumber="+12065550100")
    limits = _limits(sms)
    assert limits["CONFIGURATION_SETS"][0] == 2
    assert limits["OPT_OUT_LISTS"][0] == 1  # the Default list does not count
    assert limits["VERIFIED_DESTINATION_NUMBERS"][0] == 1
    sms.delete_configuration_set(ConfigurationSetName="a")
    assert _limits(sms)["CONFIGURATION_SETS"][0] == 1
    west = emu.session("us-west-2").client("pinpoint-sms-voice-v2")
    assert _limits(west)["CONFIGURATION_SETS"][0] == 0  # limits are per region

    emu.quotas.resource["CONFIGURATION_SETS"] = 40  # a granted quota increase
    assert _limits(sms)["CONFIGURATION_SETS"] == (1, 40)
    pages = sms.get_paginator("describe_account_limits").paginate(PaginationConfig={"PageSize": 3})
    assert sum(len(p["AccountLimits"]) for p in pages) == len(LIMIT_TABLES)


def _spend(client: Any) -> dict[str, dict[str, Any]]:
    return {s["Name"]: s for s in client.describe_spend_limits()["SpendLimits"]}


def test_spend_limits_and_overrides(emu: Emulator, sms: Any) -> None:
    spend = _spend(sms)
    assert set(spend) == set(_MODEL.shape_for("SpendLimitName").enum)
    assert spend["TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"] == {
        "Name": "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT",
        "EnforcedLimit": 1,
        "MaxLimit": 1,
        "Overridden": False,
    }
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.set_text_message_spend_limit_override(MonthlyLimit=500)
    assert err.value.response["Reason"] == "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT"

    for kind in ("TEXT", "VOICE", "MEDIA", "NOTIFY"):
        set_spend_limit_max(emu, "us-east-1", f"{kind}_MESSAGE_MONTHLY_SPEND_LIMIT", 1000)
    assert sms.set_text_message_spend_limit_override(MonthlyLimit=500)["MonthlyLimit"] == 500
    assert sms.set_voice_message_spend_limit_override(MonthlyLimit=200)["MonthlyLimit"] == 200
    assert sms.set_media_message_spend_limit_override(MonthlyLimit=0)["MonthlyLimit"] == 0
    assert sms.set_notify_message_spend_limit_override(MonthlyLimit=1000)["MonthlyLimit"] == 1000
    spend = _spend(sms)
    assert spend["TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"]["EnforcedLimit"] == 500
    assert spend["TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"]["Overridden"] is True
    assert spend["MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT"]["EnforcedLimit"] == 0
    assert spend["RCS_MESSAGE_MONTHLY_SPEND_LIMIT"]["Overridden"] is False

    assert sms.delete_text_message_spend_limit_override()["MonthlyLimit"] == 1000
    assert sms.delete_voice_message_spend_limit_override()["MonthlyLimit"] == 1000
    assert sms.delete_media_message_spend_limit_override()["MonthlyLimit"] == 1000
    assert sms.delete_notify_message_spend_limit_override()["MonthlyLimit"] == 1000
    assert all(not s["Overridden"] for s in _spend(sms).values())
    west = emu.session("us-west-2").client("pinpoint-sms-voice-v2")
    assert _spend(west)["TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"]["MaxLimit"] == 1
    with pytest.raises(ValueError):
        set_spend_limit_max(emu, "us-east-1", "TEXT", 5)
