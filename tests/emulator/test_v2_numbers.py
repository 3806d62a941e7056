"""v2 phone numbers: request, describe (ids, ARNs, filters, paging), update, release; and the provisioning
helpers world builders use for what only AWS staff can create (sender IDs: test_v2_sender_ids.py)."""

from __future__ import annotations

from typing import Any

import phonenumbers
import pytest
from emulator.reachable import make_reachable

from migrate.emulator import Emulator
from migrate.emulator.services.v2 import e164
from migrate.emulator.services.v2.model import offline
from migrate.emulator.services.v2.provision import (
    provision_phone_number,
    set_phone_number_status,
)

REGION = "us-east-1"
TOPIC = "arn:aws:sns:us-east-1:123456789012:inbound-sms"
ROLE = "arn:aws:iam::123456789012:role/two-way"


@pytest.fixture(autouse=True)
def _reachable(emu: Emulator) -> None:
    make_reachable(emu, ROLE, TOPIC)


@pytest.fixture
def sms(emu: Emulator) -> Any:
    emu.quotas.resource["PHONE_NUMBERS"] = 50
    return emu.session(REGION).client("pinpoint-sms-voice-v2")


def request(sms: Any, country: str = "GB", number_type: str = "LONG_CODE", **extra: Any) -> dict[str, Any]:
    extra.setdefault("MessageType", "TRANSACTIONAL")
    extra.setdefault("NumberCapabilities", ["SMS"])
    return dict(sms.request_phone_number(IsoCountryCode=country, NumberType=number_type, **extra))


def reason(err: pytest.ExceptionInfo[Any]) -> str:
    return str(err.value.response["Reason"])


# -- phone numbers ------------------------------------------------------------------------------------
def test_request_then_describe_round_trip(emu: Emulator, sms: Any) -> None:
    sms.create_opt_out_list(OptOutListName="tenant-a")
    tags = [{"Key": "tenant", "Value": "a"}]
    made = request(
        sms,
        "GB",
        "LONG_CODE",
        MessageType="PROMOTIONAL",
        NumberCapabilities=["SMS", "VOICE"],
        OptOutListName="tenant-a",
        DeletionProtectionEnabled=True,
        InternationalSendingEnabled=True,
        Tags=tags,
    )
    parsed = phonenumbers.parse(made["PhoneNumber"])
    assert phonenumbers.is_valid_number(parsed) and phonenumbers.region_code_for_number(parsed) == "GB"
    assert (
        made["PhoneNumberArn"]
        == f"arn:aws:sms-voice:{REGION}:123456789012:phone-number/{made['PhoneNumberId']}"
    )
    assert made["Tags"] == tags and made["Status"] == "ACTIVE"
    by_id = sms.describe_phone_numbers(PhoneNumberIds=[made["PhoneNumberId"]])["PhoneNumbers"]
    by_arn = sms.describe_phone_numbers(PhoneNumberIds=[made["PhoneNumberArn"]])["PhoneNumbers"]
    assert by_id == by_arn
    (one,) = by_id
    assert one == {
        "PhoneNumberArn": made["PhoneNumberArn"],
        "PhoneNumberId": made["PhoneNumberId"],
        "PhoneNumber": made["PhoneNumber"],
        "Status": "ACTIVE",
        "IsoCountryCode": "GB",
        "MessageType": "PROMOTIONAL",
        "NumberCapabilities": ["SMS", "VOICE"],
        "NumberType": "LONG_CODE",
        "MonthlyLeasingPrice": "1.00",
        "TwoWayEnabled": False,
        "SelfManagedOptOutsEnabled": False,
        "OptOutListName": "tenant-a",
        "InternationalSendingEnabled": True,
        "DeletionProtectionEnabled": True,
        "CreatedTimestamp": made["CreatedTimestamp"],
    }
    assert sms.list_tags_for_resource(ResourceArn=made["PhoneNumberArn"])["Tags"] == tags


def test_new_number_gets_default_list_and_mandatory_keywords(sms: Any) -> None:
    made = request(sms)
    assert made["OptOutListName"] == "Default"
    keywords = sms.describe_keywords(OriginationIdentity=made["PhoneNumberId"])["Keywords"]
    assert {k["Keyword"]: k["KeywordAction"] for k in keywords} == {
        "HELP": "AUTOMATIC_RESPONSE",
        "STOP": "OPT_OUT",
    }


def test_client_token_gives_one_number(sms: Any) -> None:
    first = request(sms, ClientToken="same")
    again = request(sms, ClientToken="same")
    assert first["PhoneNumberId"] == again["PhoneNumberId"] and first["PhoneNumber"] == again["PhoneNumber"]
    assert len(sms.describe_phone_numbers()["PhoneNumbers"]) == 1


def test_numbers_are_realistic_per_country_and_deterministic() -> None:
    for country, kind in [("US", "TEN_DLC"), ("US", "TOLL_FREE"), ("CA", "LONG_CODE"), ("DE", "LONG_CODE")]:
        number = e164.new_number(country, kind, seed=7, taken=set())
        assert number == e164.new_number(country, kind, seed=7, taken=set())
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_valid_number(parsed)
        assert phonenumbers.region_code_for_number(parsed) == country
    toll_free = phonenumbers.parse(e164.new_number("US", "TOLL_FREE", seed=1, taken=set()))
    assert phonenumbers.number_type(toll_free) == phonenumbers.PhoneNumberType.TOLL_FREE
    assert e164.new_number("US", "SIMULATOR", seed=3, taken=set()).startswith("+120155501")
    assert e164.new_number("GB", "LONG_CODE", 5, set()) != e164.new_number("GB", "LONG_CODE", 6, set())


def test_us_registered_types_wait_for_their_registration(emu: Emulator, sms: Any) -> None:
    assert request(sms, "US", "TOLL_FREE")["Status"] == "PENDING"
    assert request(sms, "US", "TEN_DLC")["Status"] == "PENDING"
    assert request(sms, "CA", "TOLL_FREE")["Status"] == "ACTIVE"
    with offline(emu, REGION) as ctx:
        ctx.table("registrations").put(
            "registration-1", {"RegistrationId": "registration-1", "RegistrationStatus": "COMPLETE"}
        )
    done = request(sms, "US", "TEN_DLC", RegistrationId="registration-1")
    assert done["Status"] == "ACTIVE" and done["RegistrationId"] == "registration-1"
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as err:
        request(sms, "US", "TEN_DLC", RegistrationId="registration-404")
    assert err.value.response["ResourceType"] == "registration"


@pytest.mark.parametrize(
    ("country", "kind", "message_type"),
    [
        ("US", "LONG_CODE", "TRANSACTIONAL"),
        ("GB", "TEN_DLC", "TRANSACTIONAL"),
    ],
)
def test_number_types_a_country_does_not_sell(sms: Any, country: str, kind: str, message_type: str) -> None:
    with pytest.raises(sms.exceptions.ValidationException) as err:
        request(sms, country, kind, MessageType=message_type)
    assert reason(err) == "INVALID_PARAMETER"


def test_no_promotional_simulator_numbers(sms: Any) -> None:
    # terraform-provider-aws's acceptance runs met ResourceNotFoundException here, not a ValidationException.
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as err:
        request(sms, "US", "SIMULATOR", MessageType="PROMOTIONAL")
    assert err.value.response["ResourceType"] == "phone-number"


def test_phone_number_quota(emu: Emulator, sms: Any) -> None:
    emu.quotas.resource["PHONE_NUMBERS"] = 2
    request(sms)
    request(sms)
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException) as err:
        request(sms)
    assert reason(err) == "PHONE_NUMBERS_PER_ACCOUNT"


def test_describe_pages_over_three_pages_and_filters(sms: Any) -> None:
    made = [request(sms, "GB") for _ in range(3)] + [request(sms, "US", "SIMULATOR") for _ in range(2)]
    first = sms.describe_phone_numbers(MaxResults=2)
    second = sms.describe_phone_numbers(MaxResults=2, NextToken=first["NextToken"])
    third = sms.describe_phone_numbers(MaxResults=2, NextToken=second["NextToken"])
    assert "NextToken" not in third
    ids = [n["PhoneNumberId"] for p in (first, second, third) for n in p["PhoneNumbers"]]
    assert ids == [m["PhoneNumberId"] for m in made]
    pages = sms.get_paginator("describe_phone_numbers").paginate(PaginationConfig={"PageSize": 2})
    assert sum(len(p["PhoneNumbers"]) for p in pages) == 5

    def matching(*filters: dict[str, Any]) -> int:
        return len(sms.describe_phone_numbers(Filters=list(filters))["PhoneNumbers"])

    assert matching({"Name": "number-type", "Values": ["SIMULATOR"]}) == 2
    assert matching({"Name": "iso-country-code", "Values": ["GB", "US"]}) == 5
    assert matching({"Name": "number-capability", "Values": ["VOICE"]}) == 0
    sms.update_phone_number(PhoneNumberId=made[0]["PhoneNumberId"], DeletionProtectionEnabled=True)
    assert matching({"Name": "deletion-protection-enabled", "Values": ["true"]}) == 1
    assert (
        matching(
            {"Name": "status", "Values": ["ACTIVE"]}, {"Name": "opt-out-list-name", "Values": ["Default"]}
        )
        == 5
    )
    assert matching({"Name": "two-way-enabled", "Values": ["true"]}) == 0
    assert sms.describe_phone_numbers(Owner="SHARED")["PhoneNumbers"] == []
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_phone_numbers(PhoneNumberIds=["phone-nope"])


def test_update_phone_number_and_its_two_way_rules(sms: Any) -> None:
    number = request(sms)["PhoneNumberId"]
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.update_phone_number(PhoneNumberId=number, TwoWayEnabled=True)
    assert reason(err) == "TWO_WAY_CHANNEL_NOT_PRESENT"
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.update_phone_number(PhoneNumberId=number, SelfManagedOptOutsEnabled=True)
    assert reason(err) == "TWO_WAY_NOT_ENABLED"
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as missing:
        sms.update_phone_number(PhoneNumberId=number, OptOutListName="nope")
    assert missing.value.response["ResourceType"] == "opt-out-list"
    sms.create_opt_out_list(OptOutListName="tenant-b")
    out = sms.update_phone_number(
        PhoneNumberId=number,
        TwoWayEnabled=True,
        TwoWayChannelArn=TOPIC,
        TwoWayChannelRole=ROLE,
        SelfManagedOptOutsEnabled=True,
        OptOutListName="tenant-b",
        InternationalSendingEnabled=True,
    )
    assert (out["TwoWayEnabled"], out["TwoWayChannelArn"], out["TwoWayChannelRole"]) == (True, TOPIC, ROLE)
    assert out["SelfManagedOptOutsEnabled"] and out["OptOutListName"] == "tenant-b"
    (stored,) = sms.describe_phone_numbers(PhoneNumberIds=[number])["PhoneNumbers"]
    assert stored["TwoWayChannelArn"] == TOPIC and stored["InternationalSendingEnabled"] is True


def test_release_honours_deletion_protection_and_cleans_up(emu: Emulator, sms: Any) -> None:
    made = request(sms, DeletionProtectionEnabled=True, Tags=[{"Key": "k", "Value": "v"}])
    number = made["PhoneNumberId"]
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.release_phone_number(PhoneNumberId=number)
    assert reason(err) == "DELETION_PROTECTION_ENABLED"
    assert err.value.response["ResourceType"] == "phone-number"
    sms.update_phone_number(PhoneNumberId=number, DeletionProtectionEnabled=False)
    released = sms.release_phone_number(PhoneNumberId=made["PhoneNumberArn"])
    assert released["Status"] == "DELETED" and released["PhoneNumber"] == made["PhoneNumber"]
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_phone_numbers(PhoneNumberIds=[number])
    with offline(emu, REGION) as ctx:
        assert ctx.table("tags").get(made["PhoneNumberArn"]) is None
        assert not [k for k, _ in ctx.table("keywords").items() if k.startswith(made["PhoneNumberArn"])]


def test_a_pooled_number_cannot_be_updated_or_released(sms: Any) -> None:
    number = request(sms)["PhoneNumberId"]
    sms.create_pool(OriginationIdentity=number, MessageType="TRANSACTIONAL")
    for call in (
        lambda: sms.update_phone_number(PhoneNumberId=number, DeletionProtectionEnabled=True),
        lambda: sms.release_phone_number(PhoneNumberId=number),
    ):
        with pytest.raises(sms.exceptions.ConflictException) as err:
            call()
        assert reason(err) == "PHONE_NUMBER_ASSOCIATED_TO_POOL"


# -- provisioning (what AWS staff hand over) -----------------------------------------------------------
def test_provision_short_code_with_keywords_and_status(emu: Emulator, sms: Any) -> None:
    record = provision_phone_number(
        emu,
        region=REGION,
        phone_number="+1555123",
        number_type="SHORT_CODE",
        message_type="PROMOTIONAL",
        capabilities=["SMS"],
        iso_country_code="US",
        Keywords={
            "JOIN": ("Welcome to Acme alerts.", "OPT_IN"),
            "HELP": ("Acme: help at acme.example", None),
        },
        Tags=[{"Key": "tenant", "Value": "acme"}],
        TwoWayEnabled=True,
        TwoWayChannelArn=TOPIC,
    )
    (seen,) = sms.describe_phone_numbers(Filters=[{"Name": "number-type", "Values": ["SHORT_CODE"]}])[
        "PhoneNumbers"
    ]
    assert seen["PhoneNumber"] == "+1555123" and seen["MonthlyLeasingPrice"] == "995.00"
    assert seen["TwoWayEnabled"] is True and seen["PhoneNumberId"] == record["PhoneNumberId"]
    words = {
        k["Keyword"]: (k["KeywordMessage"], k["KeywordAction"])
        for k in sms.describe_keywords(OriginationIdentity=record["PhoneNumberArn"])["Keywords"]
    }
    assert words["JOIN"] == ("Welcome to Acme alerts.", "OPT_IN")
    assert words["HELP"] == ("Acme: help at acme.example", "AUTOMATIC_RESPONSE")
    assert words["STOP"][1] == "OPT_OUT"
    pending = provision_phone_number(
        emu,
        region="eu-west-1",
        phone_number="+447700900123",
        number_type="LONG_CODE",
        message_type="TRANSACTIONAL",
        capabilities=["SMS", "VOICE"],
        iso_country_code="GB",
        status="PENDING",
    )
    eu = emu.session("eu-west-1").client("pinpoint-sms-voice-v2")
    assert eu.describe_phone_numbers()["PhoneNumbers"][0]["Status"] == "PENDING"
    set_phone_number_status(
        emu, region="eu-west-1", phone_number_id=pending["PhoneNumberId"], status="ACTIVE"
    )
    assert eu.describe_phone_numbers()["PhoneNumbers"][0]["Status"] == "ACTIVE"


def test_provision_is_all_or_nothing(emu: Emulator, sms: Any) -> None:
    kwargs: dict[str, Any] = {
        "region": REGION,
        "phone_number": "+18885550100",
        "number_type": "TOLL_FREE",
        "message_type": "TRANSACTIONAL",
        "capabilities": ["SMS"],
        "iso_country_code": "US",
    }
    provision_phone_number(emu, **kwargs)
    with pytest.raises(ValueError):
        provision_phone_number(emu, **kwargs)
    with pytest.raises(Exception, match="opt-out-list"):
        provision_phone_number(emu, **{**kwargs, "phone_number": "+18885550101", "OptOutListName": "missing"})
    assert len(sms.describe_phone_numbers()["PhoneNumbers"]) == 1
