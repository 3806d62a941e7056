"""v2 SendTextMessage / SendVoiceMessage / SendMediaMessage / PutMessageFeedback through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from migrate.emulator import Emulator
from migrate.emulator.services.v2.account import set_account_tier, set_spend_limit_max
from migrate.emulator.services.v2.provision import provision_phone_number
from migrate.emulator.services.v2.send import sent_messages
from migrate.emulator.services.v2.verified import verification_code

REGION = "us-east-1"
US_NUMBER = "+12065550100"
GB_NUMBER = "+447700900100"
TO_US = "+12065550199"
TO_GB = "+447700900199"


def client(emu: Emulator, region: str = REGION) -> Any:
    return emu.session(region).client("pinpoint-sms-voice-v2")


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str | None]:
    return exc.value.response["Error"]["Code"], exc.value.response.get("Reason")


def number(
    emu: Emulator,
    phone: str = US_NUMBER,
    number_type: str = "TEN_DLC",
    country: str = "US",
    capabilities: tuple[str, ...] = ("SMS", "VOICE"),
    region: str = REGION,
    **extra: Any,
) -> dict[str, Any]:
    return provision_phone_number(
        emu,
        region=region,
        phone_number=phone,
        number_type=number_type,
        message_type=extra.pop("message_type", "TRANSACTIONAL"),
        capabilities=list(capabilities),
        iso_country_code=country,
        **extra,
    )


def messages(emu: Emulator, region: str = REGION) -> list[dict[str, Any]]:
    return sent_messages(emu, region)


def refused(call: Any, code: str, reason: str | None, **params: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as exc:
        call(**params)
    assert error(exc) == (code, reason), params
    return dict(exc.value.response)


# -- sending and what is stored -------------------------------------------------------------------------
def test_send_text_by_id_arn_and_number_is_stored(emu: Emulator) -> None:
    sms = client(emu)
    phone = number(emu)
    protect = sms.create_protect_configuration()["ProtectConfigurationId"]
    for origination in (phone["PhoneNumberId"], phone["PhoneNumberArn"], phone["PhoneNumber"]):
        sent = sms.send_text_message(
            DestinationPhoneNumber=TO_US,
            OriginationIdentity=origination,
            MessageBody="Your code is 123456",
            MessageType="TRANSACTIONAL",
            MaxPrice="0.50",
            TimeToLive=300,
            Context={"tenant": "acme"},
            DestinationCountryParameters={"IN_ENTITY_ID": "1201159100000000001"},
            ProtectConfigurationId=protect,
            Keyword="ACME",
        )
        assert len(sent["MessageId"]) == 36
    stored = messages(emu)
    assert len(stored) == 3 and len({m["MessageId"] for m in stored}) == 3
    first = stored[0]
    assert first["OriginationIdentity"] == phone["PhoneNumberId"] and first["Channel"] == "TEXT"
    assert first["DestinationPhoneNumber"] == TO_US and first["IsoCountryCode"] == "US"
    assert first["Context"] == {"tenant": "acme"} and first["TimeToLive"] == 300
    assert first["OptOutListName"] == "Default" and first["Parts"] == 1
    assert first["ProtectConfigurationId"] == protect

    long_unicode = sms.send_text_message(
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=phone["PhoneNumberId"],
        MessageBody="ü" * 69 + "€✓" * 20,
    )
    assert messages(emu)[-1]["MessageId"] == long_unicode["MessageId"] and messages(emu)[-1]["Parts"] == 2


def test_dry_run_runs_every_check_and_sends_nothing(emu: Emulator) -> None:
    sms = client(emu)
    phone = number(emu)
    dry = sms.send_text_message(
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=phone["PhoneNumberId"],
        MessageBody="hi",
        DryRun=True,
    )
    assert dry["MessageId"] and messages(emu) == []
    sms.put_opted_out_number(OptOutListName="Default", OptedOutNumber=TO_US)
    refused(
        sms.send_text_message,
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=phone["PhoneNumberId"],
        MessageBody="hi",
        DryRun=True,
    )
    refused(
        sms.send_voice_message,
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=phone["PhoneNumberId"],
        MessageBody="hi",
        DryRun=True,
    )
    assert messages(emu) == []


# -- opt-outs -------------------------------------------------------------------------------------------
def test_opt_out_list_of_the_number_applies(emu: Emulator) -> None:
    sms = client(emu)
    sms.create_opt_out_list(OptOutListName="tenant-a")
    phone = number(emu, OptOutListName="tenant-a")
    sms.put_opted_out_number(OptOutListName="tenant-a", OptedOutNumber=TO_US)
    answer = refused(
        sms.send_text_message,
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=phone["PhoneNumberId"],
        MessageBody="hi",
    )
    assert answer["ResourceType"] == "opted-out-number" and answer["ResourceId"] == TO_US
    # The Default list does not guard a number that answers to another list.
    sms.put_opted_out_number(OptOutListName="Default", OptedOutNumber="+12065550198")
    sms.send_text_message(
        DestinationPhoneNumber="+12065550198", OriginationIdentity=phone["PhoneNumberId"], MessageBody="hi"
    )
    assert len(messages(emu)) == 1


def test_opt_out_list_of_the_pool_applies_via_pool_and_via_its_numbers(emu: Emulator) -> None:
    sms = client(emu)
    phone = number(emu)
    pool = sms.create_pool(
        OriginationIdentity=phone["PhoneNumberId"], IsoCountryCode="US", MessageType="TRANSACTIONAL"
    )
    sms.create_opt_out_list(OptOutListName="tenant-b")
    sms.update_pool(PoolId=pool["PoolId"], OptOutListName="tenant-b")
    sms.put_opted_out_number(OptOutListName="tenant-b", OptedOutNumber=TO_US)
    for origination in (pool["PoolId"], pool["PoolArn"], phone["PhoneNumberId"]):
        refused(
            sms.send_text_message,
            "ConflictException",
            "DESTINATION_PHONE_NUMBER_OPTED_OUT",
            DestinationPhoneNumber=TO_US,
            OriginationIdentity=origination,
            MessageBody="hi",
        )
    sent = sms.send_text_message(
        DestinationPhoneNumber="+12065550198", OriginationIdentity=pool["PoolId"], MessageBody="hi"
    )
    stored = messages(emu)[-1]
    assert stored["MessageId"] == sent["MessageId"]
    assert stored["OriginationIdentity"] == phone["PhoneNumberId"] and stored["PoolId"] == pool["PoolId"]
    assert stored["OptOutListName"] == "tenant-b"


# -- pools pick a member --------------------------------------------------------------------------------
def test_pool_picks_a_member_for_the_destination_country(emu: Emulator) -> None:
    sms = client(emu)
    us = number(emu)
    gb = number(emu, GB_NUMBER, "LONG_CODE", "GB")
    pool = sms.create_pool(
        OriginationIdentity=us["PhoneNumberId"], IsoCountryCode="US", MessageType="TRANSACTIONAL"
    )
    sms.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity=gb["PhoneNumberId"], IsoCountryCode="GB"
    )
    sms.send_text_message(DestinationPhoneNumber=TO_GB, OriginationIdentity=pool["PoolId"], MessageBody="hi")
    assert messages(emu)[-1]["OriginationIdentity"] == gb["PhoneNumberId"]
    sms.send_text_message(DestinationPhoneNumber=TO_US, OriginationIdentity=pool["PoolId"], MessageBody="hi")
    assert messages(emu)[-1]["OriginationIdentity"] == us["PhoneNumberId"]
    answer = refused(
        sms.send_text_message,
        "ConflictException",
        "NO_ORIGINATION_IDENTITIES_FOUND",
        DestinationPhoneNumber="+61455944038",
        OriginationIdentity=pool["PoolId"],
        MessageBody="hi",
    )
    assert answer["ResourceType"] == "pool" and answer["ResourceId"] == pool["PoolId"]
    sms.update_pool(PoolId=pool["PoolId"], SharedRoutesEnabled=True)
    sms.send_text_message(
        DestinationPhoneNumber="+61455944038", OriginationIdentity=pool["PoolId"], MessageBody="hi"
    )
    assert messages(emu)[-1]["OriginationIdentity"] == pool["PoolId"]
    refused(
        sms.send_text_message,
        "ConflictException",
        "MESSAGE_TYPE_MISMATCH",
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=pool["PoolId"],
        MessageBody="hi",
        MessageType="PROMOTIONAL",
    )
    refused(
        sms.send_text_message,
        "ResourceNotFoundException",
        None,
        DestinationPhoneNumber=TO_US,
        OriginationIdentity="pool-00000000000000000000000000000000",
        MessageBody="hi",
    )


# -- sandbox, configuration sets, protect configurations ------------------------------------------------
def test_sandbox_sends_only_to_verified_numbers(emu: Emulator) -> None:
    sms = client(emu)
    phone = number(emu)
    set_account_tier(emu, REGION, "SANDBOX")
    answer = refused(
        sms.send_text_message,
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=phone["PhoneNumberId"],
        MessageBody="hi",
    )
    assert answer["ResourceType"] == "verified-destination-number"
    made = sms.create_verified_destination_number(DestinationPhoneNumber=TO_US)["VerifiedDestinationNumberId"]
    sms.send_destination_number_verification_code(
        VerifiedDestinationNumberId=made, VerificationChannel="TEXT"
    )
    code = verification_code(emu, REGION, made)
    assert code is not None
    sms.verify_destination_number(VerifiedDestinationNumberId=made, VerificationCode=code)
    sms.send_text_message(
        DestinationPhoneNumber=TO_US, OriginationIdentity=phone["PhoneNumberId"], MessageBody="hi"
    )
    assert len(messages(emu)) == 1
    set_account_tier(emu, REGION, "PRODUCTION")
    sms.send_text_message(
        DestinationPhoneNumber="+12065550198", OriginationIdentity=phone["PhoneNumberId"], MessageBody="hi"
    )


def test_configuration_set_default_sender_id_message_type_and_feedback(emu: Emulator) -> None:
    sms = client(emu)
    refused(
        sms.send_text_message,
        "ResourceNotFoundException",
        None,
        DestinationPhoneNumber=TO_GB,
        ConfigurationSetName="nope",
        MessageBody="hi",
    )
    sms.create_configuration_set(ConfigurationSetName="tenant-a")
    sms.set_default_sender_id(ConfigurationSetName="tenant-a", SenderId="ACME")
    sms.set_default_message_feedback_enabled(ConfigurationSetName="tenant-a", MessageFeedbackEnabled=True)
    sent = sms.send_text_message(
        DestinationPhoneNumber=TO_GB, ConfigurationSetName="tenant-a", MessageBody="hi"
    )
    stored = messages(emu)[-1]
    assert stored["OriginationIdentity"] == "ACME" and stored["OriginationIdentityType"] == "sender-id"
    assert stored["ConfigurationSetName"] == "tenant-a" and stored["MessageFeedbackEnabled"] is True
    feedback = sms.put_message_feedback(MessageId=sent["MessageId"], MessageFeedbackStatus="RECEIVED")
    assert feedback["MessageFeedbackStatus"] == "RECEIVED"
    assert messages(emu)[-1]["MessageFeedbackStatus"] == "RECEIVED"
    refused(
        sms.put_message_feedback,
        "ResourceNotFoundException",
        None,
        MessageId="00000000-0000-0000-0000-000000000000",
        MessageFeedbackStatus="FAILED",
    )

    phone = number(emu)  # TRANSACTIONAL
    sms.set_default_message_type(ConfigurationSetName="tenant-a", MessageType="PROMOTIONAL")
    answer = refused(
        sms.send_text_message,
        "ConflictException",
        "MESSAGE_TYPE_MISMATCH",
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=phone["PhoneNumberId"],
        ConfigurationSetName="tenant-a",
        MessageBody="hi",
    )
    assert answer["ResourceType"] == "phone-number" and answer["ResourceId"] == phone["PhoneNumberId"]


def test_protect_configuration_blocks_a_country(emu: Emulator) -> None:
    sms = client(emu)
    phone = number(emu)
    protect = sms.create_protect_configuration()["ProtectConfigurationId"]
    sms.update_protect_configuration_country_rule_set(
        ProtectConfigurationId=protect,
        NumberCapability="SMS",
        CountryRuleSetUpdates={"US": {"ProtectStatus": "BLOCK"}},
    )
    base = {
        "DestinationPhoneNumber": TO_US,
        "OriginationIdentity": phone["PhoneNumberId"],
        "MessageBody": "hi",
    }
    answer = refused(
        sms.send_text_message,
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
        ProtectConfigurationId=protect,
        **base,
    )
    assert answer["ResourceType"] == "protect-configuration"
    sms.send_voice_message(ProtectConfigurationId=protect, **base)  # the VOICE rule set still allows US
    sms.set_account_default_protect_configuration(ProtectConfigurationId=protect)
    refused(
        sms.send_text_message,
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
        **base,
    )
    refused(
        sms.send_text_message,
        "ResourceNotFoundException",
        None,
        ProtectConfigurationId="protect-00000000000000000000000000000000",
        **base,
    )


# -- what an identity may do ----------------------------------------------------------------------------
def test_identity_rules(emu: Emulator) -> None:
    sms = client(emu)
    ten_dlc = number(emu)
    gb = number(emu, GB_NUMBER, "LONG_CODE", "GB")
    pending = number(emu, "+18885550111", "TOLL_FREE", status="PENDING")
    voice_only = number(emu, "+12065550101", capabilities=("VOICE",))
    cases: list[tuple[str, str | None, str, str, str]] = [
        (
            ten_dlc["PhoneNumberId"],
            TO_GB,
            "ValidationException",
            "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
            "",
        ),
        (gb["PhoneNumberId"], TO_US, "ValidationException", "INTERNATIONAL_SENDING_NOT_SUPPORTED", ""),
        (pending["PhoneNumberId"], TO_US, "ConflictException", "RESOURCE_NOT_ACTIVE", "phone-number"),
        (
            voice_only["PhoneNumberId"],
            TO_US,
            "ConflictException",
            "NUMBER_CAPABILITIES_MISMATCH",
            "phone-number",
        ),
        ("ACME", TO_US, "ValidationException", "SENDER_ID_NOT_SUPPORTED", ""),
        ("phone-00000000000000000000000000000000", TO_US, "ResourceNotFoundException", None, "phone-number"),
        ("+12065550177", TO_US, "ResourceNotFoundException", None, "phone-number"),
    ]
    for origination, to, code, reason, resource_type in cases:
        answer = refused(
            sms.send_text_message,
            code,
            reason,
            DestinationPhoneNumber=to,
            OriginationIdentity=origination,
            MessageBody="hi",
        )
        if resource_type:
            assert answer["ResourceType"] == resource_type, origination
    short_code = number(emu, "22233", "SHORT_CODE")
    sms.send_text_message(DestinationPhoneNumber=TO_US, OriginationIdentity="22233", MessageBody="hi")
    assert messages(emu)[-1]["OriginationIdentity"] == short_code["PhoneNumberId"]
    sms.update_phone_number(PhoneNumberId=gb["PhoneNumberId"], InternationalSendingEnabled=True)
    sms.send_text_message(
        DestinationPhoneNumber=TO_US, OriginationIdentity=gb["PhoneNumberId"], MessageBody="hi"
    )
    refused(
        sms.send_text_message,
        "ValidationException",
        "CANNOT_PARSE",
        DestinationPhoneNumber="+1999",
        OriginationIdentity=ten_dlc["PhoneNumberId"],
        MessageBody="hi",
    )
    # No OriginationIdentity: the account's identity for the country, or none at all.
    sms.send_text_message(DestinationPhoneNumber=TO_US, MessageBody="hi")
    assert messages(emu)[-1]["OriginationIdentity"] == ten_dlc["PhoneNumberId"]
    refused(
        sms.send_text_message,
        "ConflictException",
        "NO_ORIGINATION_IDENTITIES_FOUND",
        DestinationPhoneNumber="+61455944038",
        MessageBody="hi",
    )


def test_sender_ids_and_registration_countries(emu: Emulator) -> None:
    sms = client(emu, "ap-south-1")
    base = {"DestinationPhoneNumber": "+919876543210", "MessageBody": "Your OTP is 123456"}
    refused(
        sms.send_text_message,
        "ValidationException",
        "SENDER_ID_REQUIRES_REGISTRATION",
        OriginationIdentity="ACMEIN",
        **base,
    )
    requested = sms.request_sender_id(SenderId="ACMEIN", IsoCountryCode="IN", MessageTypes=["TRANSACTIONAL"])
    refused(
        sms.send_text_message,
        "ValidationException",
        "SENDER_ID_NOT_REGISTERED",
        OriginationIdentity="ACMEIN",
        **base,
    )
    gb_sender = sms.request_sender_id(SenderId="ACME", IsoCountryCode="GB", MessageTypes=["TRANSACTIONAL"])
    refused(
        sms.send_text_message,
        "ValidationException",
        "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
        OriginationIdentity=gb_sender["SenderIdArn"],
        **base,
    )
    sms.send_text_message(
        OriginationIdentity=gb_sender["SenderIdArn"], DestinationPhoneNumber=TO_GB, MessageBody="hi"
    )
    refused(
        sms.send_text_message,
        "ConflictException",
        "MESSAGE_TYPE_MISMATCH",
        OriginationIdentity="ACME",
        DestinationPhoneNumber=TO_GB,
        MessageBody="hi",
        MessageType="PROMOTIONAL",
    )
    # Countries without sender ID registration take a sender ID the account does not own.
    sms.send_text_message(OriginationIdentity="OTHERBRAND", DestinationPhoneNumber=TO_GB, MessageBody="hi")
    assert messages(emu, "ap-south-1")[-1]["OriginationIdentity"] == "OTHERBRAND"
    assert requested["Registered"] is False
    refused(
        sms.send_voice_message,
        "ValidationException",
        "VOICE_CAPABILITY_NOT_AVAILABLE",
        OriginationIdentity="ACME",
        DestinationPhoneNumber=TO_GB,
        MessageBody="hi",
    )
    refused(
        sms.send_media_message,
        "ConflictException",
        "NUMBER_CAPABILITIES_MISMATCH",
        OriginationIdentity="ACME",
        DestinationPhoneNumber=TO_GB,
        MessageBody="hi",
    )


# -- price and spend ------------------------------------------------------------------------------------
def test_max_price_and_monthly_spend_limit(emu: Emulator) -> None:
    sms = client(emu)
    phone = number(emu)
    base = {
        "DestinationPhoneNumber": TO_US,
        "OriginationIdentity": phone["PhoneNumberId"],
        "MessageBody": "hi",
    }
    refused(sms.send_text_message, "ValidationException", "PRICE_OVER_THRESHOLD", MaxPrice="0.001", **base)
    refused(
        sms.send_voice_message,
        "ValidationException",
        "PRICE_OVER_THRESHOLD",
        MaxPricePerMinute="0.001",
        **base,
    )
    sms.send_text_message(**base)
    set_spend_limit_max(emu, REGION, "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", 0)
    refused(
        sms.send_text_message, "ServiceQuotaExceededException", "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT", **base
    )
    sms.send_voice_message(**base)  # voice has its own limit


# -- voice and media ------------------------------------------------------------------------------------
def test_voice_messages(emu: Emulator) -> None:
    sms = client(emu)
    phone = number(emu)
    sms_only = number(emu, "+12065550102", capabilities=("SMS",))
    sent = sms.send_voice_message(
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=phone["PhoneNumberId"],
        MessageBody="<speak>Your code is <say-as interpret-as='digits'>1234</say-as></speak>",
        MessageBodyTextType="SSML",
        VoiceId="JOANNA",
        TimeToLive=60,
    )
    stored = messages(emu)[-1]
    assert stored["MessageId"] == sent["MessageId"] and stored["Channel"] == "VOICE"
    assert stored["VoiceId"] == "JOANNA"
    refused(
        sms.send_voice_message,
        "ValidationException",
        "INVALID_PARAMETER",
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=phone["PhoneNumberId"],
        MessageBody="<speak>unclosed",
        MessageBodyTextType="SSML",
    )
    refused(
        sms.send_voice_message,
        "ValidationException",
        "VOICE_CAPABILITY_NOT_AVAILABLE",
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=sms_only["PhoneNumberId"],
        MessageBody="hello",
    )


def test_media_messages(emu: Emulator) -> None:
    sms = client(emu)
    mms = number(emu, capabilities=("SMS", "MMS"))
    text_only = number(emu, "+12065550103", capabilities=("SMS",))
    sent = sms.send_media_message(
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=mms["PhoneNumberId"],
        MessageBody="Your boarding pass",
        MediaUrls=["s3://acme-media/pass.png"],
    )
    stored = messages(emu)[-1]
    assert stored["MessageId"] == sent["MessageId"] and stored["MediaUrls"] == ["s3://acme-media/pass.png"]
    refused(
        sms.send_media_message,
        "ConflictException",
        "NUMBER_CAPABILITIES_MISMATCH",
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=text_only["PhoneNumberId"],
        MediaUrls=["s3://acme-media/pass.png"],
    )
    refused(
        sms.send_media_message,
        "ValidationException",
        "MISSING_PARAMETER",
        DestinationPhoneNumber=TO_US,
        OriginationIdentity=mms["PhoneNumberId"],
    )
