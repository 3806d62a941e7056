"""v2 keywords on numbers and pools, tags on every resource type by ARN, and resource policies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from migrate.emulator import Emulator
from migrate.emulator.services.v2.model import offline

REGION = "us-east-1"
ACCOUNT = "123456789012"
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
                "Action": "sms-voice:SendTextMessage",
                "Resource": "*",
            }
        ],
    }
)


@pytest.fixture
def sms(emu: Emulator) -> Any:
    emu.quotas.resource["PHONE_NUMBERS"] = 50
    return emu.session(REGION).client("pinpoint-sms-voice-v2")


def number(sms: Any, country: str = "GB", number_type: str = "LONG_CODE") -> dict[str, Any]:
    return dict(
        sms.request_phone_number(
            IsoCountryCode=country,
            MessageType="TRANSACTIONAL",
            NumberCapabilities=["SMS"],
            NumberType=number_type,
        )
    )


def reason(err: pytest.ExceptionInfo[Any]) -> str:
    return str(err.value.response["Reason"])


def words(sms: Any, identity: str, **kwargs: Any) -> dict[str, tuple[str, str]]:
    found = sms.describe_keywords(OriginationIdentity=identity, **kwargs)["Keywords"]
    return {k["Keyword"]: (k["KeywordMessage"], k["KeywordAction"]) for k in found}


# -- keywords -----------------------------------------------------------------------------------------
def test_put_describe_delete_keywords_on_a_number(sms: Any) -> None:
    made = number(sms)
    out = sms.put_keyword(
        OriginationIdentity=made["PhoneNumberId"], Keyword="info", KeywordMessage="Acme alerts."
    )
    assert out["Keyword"] == "INFO" and out["KeywordAction"] == "AUTOMATIC_RESPONSE"
    assert (
        out["OriginationIdentity"] == made["PhoneNumberId"]
        and out["OriginationIdentityArn"] == made["PhoneNumberArn"]
    )
    sms.put_keyword(
        OriginationIdentity=made["PhoneNumberArn"],
        Keyword="JOIN",
        KeywordMessage="Welcome back.",
        KeywordAction="OPT_IN",
    )
    sms.put_keyword(
        OriginationIdentity=made["PhoneNumberId"], Keyword="INFO", KeywordMessage="Acme: reworded."
    )
    assert words(sms, made["PhoneNumberArn"])["INFO"] == ("Acme: reworded.", "AUTOMATIC_RESPONSE")
    assert set(words(sms, made["PhoneNumberId"], Keywords=["join", "STOP"])) == {"JOIN", "STOP"}
    opt_in = words(sms, made["PhoneNumberId"], Filters=[{"Name": "keyword-action", "Values": ["OPT_IN"]}])
    assert list(opt_in) == ["JOIN"]
    first = sms.describe_keywords(OriginationIdentity=made["PhoneNumberId"], MaxResults=3)
    rest = sms.describe_keywords(
        OriginationIdentity=made["PhoneNumberId"], MaxResults=3, NextToken=first["NextToken"]
    )
    assert len(first["Keywords"]) == 3 and len(rest["Keywords"]) == 1
    deleted = sms.delete_keyword(OriginationIdentity=made["PhoneNumberId"], Keyword="join")
    assert deleted["Keyword"] == "JOIN" and deleted["KeywordAction"] == "OPT_IN"
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as err:
        sms.delete_keyword(OriginationIdentity=made["PhoneNumberId"], Keyword="JOIN")
    assert err.value.response["ResourceType"] == "keyword"
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_keywords(OriginationIdentity=made["PhoneNumberId"], Keywords=["JOIN"])
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_keywords(OriginationIdentity="phone-404")


def test_help_and_stop_stay(sms: Any) -> None:
    made = number(sms)["PhoneNumberId"]
    for word in ("HELP", "stop"):
        with pytest.raises(sms.exceptions.ConflictException) as err:
            sms.delete_keyword(OriginationIdentity=made, Keyword=word)
        assert reason(err) == "RESOURCE_DELETION_NOT_ALLOWED"
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.put_keyword(
            OriginationIdentity=made, Keyword="STOP", KeywordMessage="Bye.", KeywordAction="OPT_IN"
        )
    assert reason(err) == "RESOURCE_MODIFICATION_NOT_ALLOWED"
    sms.put_keyword(OriginationIdentity=made, Keyword="HELP", KeywordMessage="Acme: call 0800 000 000.")
    assert words(sms, made)["HELP"] == ("Acme: call 0800 000 000.", "AUTOMATIC_RESPONSE")
    with pytest.raises(sms.exceptions.ValidationException) as bad:
        sms.put_keyword(OriginationIdentity=made, Keyword=" INFO", KeywordMessage="x")
    assert reason(bad) == "INVALID_PARAMETER"


def test_us_toll_free_opt_outs_belong_to_the_carrier(sms: Any) -> None:
    toll_free = number(sms, "US", "TOLL_FREE")["PhoneNumberId"]
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.put_keyword(OriginationIdentity=toll_free, Keyword="STOP", KeywordMessage="Unsubscribed.")
    assert reason(err) == "RESOURCE_MODIFICATION_NOT_ALLOWED"
    with pytest.raises(sms.exceptions.ConflictException):
        sms.put_keyword(
            OriginationIdentity=toll_free, Keyword="QUIT", KeywordMessage="x", KeywordAction="OPT_OUT"
        )
    sms.put_keyword(
        OriginationIdentity=toll_free, Keyword="START", KeywordMessage="Back on.", KeywordAction="OPT_IN"
    )


def test_keywords_of_a_pool_and_its_numbers(sms: Any) -> None:
    made = number(sms)
    pool = sms.create_pool(OriginationIdentity=made["PhoneNumberId"], MessageType="TRANSACTIONAL")
    out = sms.put_keyword(OriginationIdentity=pool["PoolArn"], Keyword="INFO", KeywordMessage="Pool info.")
    assert out["OriginationIdentity"] == pool["PoolId"] and out["OriginationIdentityArn"] == pool["PoolArn"]
    assert "INFO" in words(sms, pool["PoolId"])
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.put_keyword(OriginationIdentity=made["PhoneNumberId"], Keyword="INFO", KeywordMessage="x")
    assert reason(err) == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    with pytest.raises(sms.exceptions.ConflictException):
        sms.delete_keyword(OriginationIdentity=made["PhoneNumberId"], Keyword="HELP")
    sms.delete_keyword(OriginationIdentity=pool["PoolId"], Keyword="INFO")
    assert set(words(sms, pool["PoolId"])) == {"HELP", "STOP"}


# -- tags ---------------------------------------------------------------------------------------------
def every_resource_arn(emu: Emulator, sms: Any) -> list[str]:
    phone = number(sms)
    sender = sms.request_sender_id(SenderId="ACME", IsoCountryCode="GB")
    pool = sms.create_pool(OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL")
    opt_out = sms.create_opt_out_list(OptOutListName="tenant-a")
    config = sms.create_configuration_set(ConfigurationSetName="tenant-a")
    protect = sms.create_protect_configuration()
    verified = sms.create_verified_destination_number(DestinationPhoneNumber="+447700900001")
    registration_arn = f"arn:aws:sms-voice:{REGION}:{ACCOUNT}:registration/registration-1"
    with offline(emu, REGION) as ctx:
        ctx.table("registrations").put(
            "registration-1", {"RegistrationId": "registration-1", "RegistrationArn": registration_arn}
        )
    return [
        phone["PhoneNumberArn"],
        sender["SenderIdArn"],
        pool["PoolArn"],
        opt_out["OptOutListArn"],
        f"arn:aws:sms-voice:{REGION}:{ACCOUNT}:opt-out-list/Default",
        config["ConfigurationSetArn"],
        protect["ProtectConfigurationArn"],
        verified["VerifiedDestinationNumberArn"],
        registration_arn,
    ]


def test_tags_on_every_resource_type(emu: Emulator, sms: Any) -> None:
    for arn in every_resource_arn(emu, sms):
        sms.tag_resource(
            ResourceArn=arn, Tags=[{"Key": "tenant", "Value": "a"}, {"Key": "tool", "Value": "pm"}]
        )
        sms.tag_resource(ResourceArn=arn, Tags=[{"Key": "tenant", "Value": "b"}])
        listed = sms.list_tags_for_resource(ResourceArn=arn)
        assert listed["ResourceArn"] == arn
        assert listed["Tags"] == [{"Key": "tenant", "Value": "b"}, {"Key": "tool", "Value": "pm"}], arn
        sms.untag_resource(ResourceArn=arn, TagKeys=["tenant", "absent"])
        assert sms.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "tool", "Value": "pm"}]
        sms.untag_resource(ResourceArn=arn, TagKeys=["tool"])
        assert sms.list_tags_for_resource(ResourceArn=arn)["Tags"] == []


def test_tags_on_arns_that_name_nothing(sms: Any) -> None:
    missing = f"arn:aws:sms-voice:{REGION}:{ACCOUNT}:pool/pool-404"
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as err:
        sms.tag_resource(ResourceArn=missing, Tags=[{"Key": "k", "Value": "v"}])
    assert err.value.response["ResourceType"] == "pool" and err.value.response["ResourceId"] == missing
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.list_tags_for_resource(ResourceArn=f"arn:aws:sms-voice:eu-west-1:{ACCOUNT}:opt-out-list/Default")
    for bad in (f"arn:aws:sns:{REGION}:{ACCOUNT}:topic", f"arn:aws:sms-voice:{REGION}:{ACCOUNT}:widget/w-1"):
        with pytest.raises(sms.exceptions.ValidationException) as invalid:
            sms.untag_resource(ResourceArn=bad, TagKeys=["k"])
        assert reason(invalid) == "INVALID_ARN"


def test_tag_limit(sms: Any) -> None:
    arn = number(sms)["PhoneNumberArn"]
    sms.tag_resource(ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(200)])
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException) as err:
        sms.tag_resource(ResourceArn=arn, Tags=[{"Key": "one-more", "Value": "v"}])
    assert reason(err) == "TAGS_PER_RESOURCE"


# -- resource policies --------------------------------------------------------------------------------
def test_resource_policies_on_shareable_resources(emu: Emulator, sms: Any) -> None:
    arns = every_resource_arn(emu, sms)
    shareable = arns[:4]
    for arn in shareable:
        assert sms.get_resource_policy(ResourceArn=arn)["ResourceArn"] == arn
        assert "Policy" not in sms.get_resource_policy(ResourceArn=arn)
        put = sms.put_resource_policy(ResourceArn=arn, Policy=POLICY)
        assert put["Policy"] == POLICY and put["ResourceArn"] == arn
        got = sms.get_resource_policy(ResourceArn=arn)
        assert got["Policy"] == POLICY and got["CreatedTimestamp"] == put["CreatedTimestamp"]
    deleted = sms.delete_resource_policy(ResourceArn=shareable[3])
    assert deleted["Policy"] == POLICY
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as err:
        sms.delete_resource_policy(ResourceArn=shareable[3])
    assert err.value.response["ResourceType"] == "policy"
    with pytest.raises(sms.exceptions.ValidationException) as invalid:
        sms.put_resource_policy(ResourceArn=arns[5], Policy=POLICY)  # a configuration set cannot be shared
    assert reason(invalid) == "INVALID_ARN"
    with pytest.raises(sms.exceptions.ValidationException) as unparsable:
        sms.put_resource_policy(ResourceArn=shareable[0], Policy="{not json")
    assert reason(unparsable) == "CANNOT_PARSE"
    sms.delete_pool(PoolId=shareable[2])
    with offline(emu, REGION) as ctx:
        assert ctx.table("resource_policies").get(shareable[2]) is None  # a deleted pool's policy goes too
