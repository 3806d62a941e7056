"""Pinpoint direct sends and PhoneNumberValidate in the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from migrate.emulator import Emulator
from tests.clocks import clock_before_end_of_support


@pytest.fixture(scope="module")
def module_emu() -> Iterator[Emulator]:
    """One emulator for the module (each test works in an app of its own): starting one costs ~0.5 s."""
    with Emulator(clock=clock_before_end_of_support()) as emulator:
        emulator.quotas.request_enforced = False
        yield emulator


@pytest.fixture(scope="module")
def pp(module_emu: Emulator) -> Any:
    return module_emu.session("us-east-1").client("pinpoint")


@pytest.fixture
def app_id(pp: Any) -> str:
    app_id = str(pp.create_app(CreateApplicationRequest={"Name": "tenant"})["ApplicationResponse"]["Id"])
    pp.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
    return app_id


SMS = {
    "SMSMessage": {
        "Body": "Your code is 1234",
        "MessageType": "TRANSACTIONAL",
        "OriginationNumber": "+18005550100",
    }
}


def _send(pp: Any, app_id: str, **request: Any) -> dict[str, Any]:
    return dict(
        pp.send_messages(ApplicationId=app_id, MessageRequest={"MessageConfiguration": SMS, **request})[
            "MessageResponse"
        ]
    )


def test_send_to_addresses(module_emu: Emulator, pp: Any, app_id: str) -> None:
    emu = module_emu
    emu.session("us-east-1").client("pinpoint-sms-voice-v2").put_opted_out_number(
        OptOutListName="Default", OptedOutNumber="+12065550102"
    )
    out = _send(
        pp,
        app_id,
        Addresses={
            "+12065550100": {"ChannelType": "SMS"},
            "+1206": {"ChannelType": "SMS"},
            "+12065550102": {"ChannelType": "SMS"},
            "+12065550103": {"ChannelType": "VOICE"},
        },
    )
    assert out["ApplicationId"] == app_id and out["RequestId"]
    ok = out["Result"]["+12065550100"]
    assert ok["DeliveryStatus"] == "SUCCESSFUL" and ok["StatusCode"] == 200 and ok["MessageId"]
    assert out["Result"]["+1206"]["DeliveryStatus"] == "PERMANENT_FAILURE"
    assert out["Result"]["+12065550102"]["DeliveryStatus"] == "OPT_OUT"
    voice = out["Result"]["+12065550103"]
    assert (
        voice["DeliveryStatus"] == "PERMANENT_FAILURE"
        and "VOICE channel is not enabled" in voice["StatusMessage"]
    )
    sent = emu.world.table("pinpoint:123456789012:us-east-1:messages").get(ok["MessageId"])
    assert sent["Address"] == "+12065550100" and sent["Body"] == "Your code is 1234"
    assert sent["OriginationNumber"] == "+18005550100" and sent["MessageType"] == "TRANSACTIONAL"
    assert sent["DeliveryStatus"] == "SUCCESSFUL"


def test_disabled_sms_channel_fails_every_sms(pp: Any, app_id: str) -> None:
    pp.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": False})
    out = _send(pp, app_id, Addresses={"+12065550100": {"ChannelType": "SMS"}})
    assert out["Result"]["+12065550100"]["DeliveryStatus"] == "PERMANENT_FAILURE"


def test_voice_email_and_overrides(pp: Any, app_id: str) -> None:
    pp.update_voice_channel(ApplicationId=app_id, VoiceChannelRequest={"Enabled": True})
    pp.update_email_channel(
        ApplicationId=app_id,
        EmailChannelRequest={
            "Enabled": True,
            "FromAddress": "noreply@example.com",
            "Identity": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
        },
    )
    config = {
        "VoiceMessage": {"Body": "Hello", "LanguageCode": "en-US", "VoiceId": "Joanna"},
        "EmailMessage": {"SimpleEmail": {"Subject": {"Data": "s"}, "TextPart": {"Data": "text"}}},
    }
    out = pp.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "MessageConfiguration": config,
            "Addresses": {
                "+12065550100": {"ChannelType": "VOICE"},
                "a@example.com": {"ChannelType": "EMAIL"},
                "not-an-email": {"ChannelType": "EMAIL"},
                "+12065550101": {"ChannelType": "SMS", "BodyOverride": "override"},
                "+12065550104": {"ChannelType": "SMS"},
            },
        },
    )["MessageResponse"]["Result"]
    assert out["+12065550100"]["DeliveryStatus"] == "SUCCESSFUL"
    assert out["a@example.com"]["DeliveryStatus"] == "SUCCESSFUL"
    assert out["not-an-email"]["DeliveryStatus"] == "PERMANENT_FAILURE"
    assert out["+12065550101"]["DeliveryStatus"] == "SUCCESSFUL"
    assert "no body" in out["+12065550104"]["StatusMessage"]


def test_send_to_endpoints(pp: Any, app_id: str) -> None:
    items = [
        {"Id": "ok", "ChannelType": "SMS", "Address": "+12065550100"},
        {"Id": "out", "ChannelType": "SMS", "Address": "+12065550101", "OptOut": "ALL"},
        {"Id": "idle", "ChannelType": "SMS", "Address": "+12065550102", "EndpointStatus": "INACTIVE"},
        {"Id": "bad", "ChannelType": "SMS", "Address": "12345"},
    ]
    pp.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    out = _send(pp, app_id, Endpoints={"ok": {}, "out": {}, "idle": {}, "bad": {}, "ghost": {}})
    result = out["EndpointResult"]
    assert result["ok"]["DeliveryStatus"] == "SUCCESSFUL" and result["ok"]["Address"] == "+12065550100"
    assert result["out"]["DeliveryStatus"] == "OPT_OUT"
    assert result["idle"]["DeliveryStatus"] == "PERMANENT_FAILURE"
    assert result["bad"]["DeliveryStatus"] == "PERMANENT_FAILURE"
    assert result["ghost"]["DeliveryStatus"] == "PERMANENT_FAILURE" and result["ghost"]["StatusCode"] == 404
    assert "Result" not in out


def test_send_users_messages(pp: Any, app_id: str) -> None:
    items = [
        {"Id": "a1", "ChannelType": "SMS", "Address": "+12065550100", "User": {"UserId": "alice"}},
        {
            "Id": "a2",
            "ChannelType": "SMS",
            "Address": "+12065550101",
            "User": {"UserId": "alice"},
            "OptOut": "ALL",
        },
    ]
    pp.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    out = pp.send_users_messages(
        ApplicationId=app_id,
        SendUsersMessageRequest={"MessageConfiguration": SMS, "Users": {"alice": {}, "nobody": {}}},
    )["SendUsersMessageResponse"]
    assert out["ApplicationId"] == app_id
    assert out["Result"]["alice"]["a1"]["DeliveryStatus"] == "SUCCESSFUL"
    assert out["Result"]["alice"]["a2"]["DeliveryStatus"] == "OPT_OUT"
    assert out["Result"]["nobody"] == {}


def test_send_request_errors(pp: Any, app_id: str) -> None:
    with pytest.raises(pp.exceptions.BadRequestException):
        _send(pp, app_id)
    with pytest.raises(pp.exceptions.BadRequestException):
        _send(pp, app_id, Addresses={"+12065550100": {}})
    with pytest.raises(pp.exceptions.BadRequestException):
        _send(pp, app_id, Addresses={f"+1206555{i:04d}": {"ChannelType": "SMS"} for i in range(101)})
    with pytest.raises(pp.exceptions.NotFoundException):
        _send(pp, "0" * 32, Addresses={"+12065550100": {"ChannelType": "SMS"}})


def test_phone_number_validate(pp: Any) -> None:
    us = pp.phone_number_validate(NumberValidateRequest={"PhoneNumber": "+12065550142"})[
        "NumberValidateResponse"
    ]
    assert (
        us["CleansedPhoneNumberE164"] == "+12065550142" and us["CleansedPhoneNumberNational"] == "2065550142"
    )
    assert (
        us["CountryCodeIso2"] == "US" and us["CountryCodeNumeric"] == "1" and us["Country"] == "United States"
    )
    assert (
        us["PhoneType"] == "MOBILE" and us["PhoneTypeCode"] == 0 and us["Timezone"] == "America/Los_Angeles"
    )
    fr = pp.phone_number_validate(
        NumberValidateRequest={"PhoneNumber": "06 12 34 56 78", "IsoCountryCode": "fr"}
    )["NumberValidateResponse"]
    assert fr["CleansedPhoneNumberE164"] == "+33612345678" and fr["OriginalCountryCodeIso2"] == "FR"
    assert fr["PhoneType"] == "MOBILE" and fr["Carrier"]
    landline = pp.phone_number_validate(NumberValidateRequest={"PhoneNumber": "+33140000000"})[
        "NumberValidateResponse"
    ]
    assert landline["PhoneType"] == "LANDLINE" and landline["PhoneTypeCode"] == 1
    for junk in ("+1206", "hello"):
        bad = pp.phone_number_validate(NumberValidateRequest={"PhoneNumber": junk})["NumberValidateResponse"]
        assert (
            bad["PhoneType"] == "INVALID" and bad["PhoneTypeCode"] == 3 and bad["OriginalPhoneNumber"] == junk
        )
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.phone_number_validate(NumberValidateRequest={})
