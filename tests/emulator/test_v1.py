"""Pinpoint SMS and Voice v1: configuration sets, event destinations (10 per set), SendVoiceMessage."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config

from migrate.emulator import Emulator
from migrate.emulator.services.v2.model import offline

ROLE = "arn:aws:iam::123456789012:role/voice-events"
SNS = {"TopicArn": "arn:aws:sns:us-east-1:123456789012:voice"}
FIREHOSE = {
    "DeliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/v",
    "IamRoleArn": ROLE,
}
LOGS = {"IamRoleArn": ROLE, "LogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:voice"}


@pytest.fixture
def v1(emu: Emulator) -> Any:
    # botocore retries LimitExceededException as throttling, with backoff; the tests want the error at once.
    once = Config(retries={"mode": "standard", "total_max_attempts": 1})
    return emu.session("us-east-1").client("pinpoint-sms-voice", config=once)


def _dest(**extra: Any) -> dict[str, Any]:
    return {"Enabled": True, "MatchingEventTypes": ["INITIATED_CALL", "COMPLETED_CALL"], **extra}


def test_sms_voice_alias_is_served(emu: Emulator) -> None:
    alias = boto3.client("sms-voice", region_name="us-east-1")
    alias.create_configuration_set(ConfigurationSetName="via-alias")
    assert alias.list_configuration_sets()["ConfigurationSets"] == ["via-alias"]
    assert emu.calls[-1].service == "pinpoint-sms-voice" and emu.calls[-1].served_by == "emulator"


def test_configuration_sets_create_list_page_delete(emu: Emulator, v1: Any) -> None:
    for i in range(5):
        v1.create_configuration_set(ConfigurationSetName=f"set-{i}")
    with pytest.raises(v1.exceptions.AlreadyExistsException):
        v1.create_configuration_set(ConfigurationSetName="set-0")
    with pytest.raises(v1.exceptions.BadRequestException):
        v1.create_configuration_set()
    with pytest.raises(v1.exceptions.BadRequestException):
        v1.create_configuration_set(ConfigurationSetName="has spaces")

    first = v1.list_configuration_sets(PageSize="2")
    assert first["ConfigurationSets"] == ["set-0", "set-1"] and first["NextToken"]
    names = list(first["ConfigurationSets"])
    token = first["NextToken"]
    while token:
        page = v1.list_configuration_sets(PageSize="2", NextToken=token)
        names += page["ConfigurationSets"]
        token = page.get("NextToken")
    assert names == [f"set-{i}" for i in range(5)]
    with pytest.raises(v1.exceptions.BadRequestException):
        v1.list_configuration_sets(NextToken="garbage")

    v1.delete_configuration_set(ConfigurationSetName="set-0")
    assert "set-0" not in v1.list_configuration_sets()["ConfigurationSets"]
    with pytest.raises(v1.exceptions.NotFoundException):
        v1.delete_configuration_set(ConfigurationSetName="set-0")
    west = emu.session("us-west-2").client("pinpoint-sms-voice")
    assert west.list_configuration_sets()["ConfigurationSets"] == []  # per region


def test_v1_and_v2_configuration_sets_are_apart(emu: Emulator, v1: Any) -> None:
    v1.create_configuration_set(ConfigurationSetName="shared-name")
    v2 = emu.session("us-east-1").client("pinpoint-sms-voice-v2")
    assert v2.describe_configuration_sets()["ConfigurationSets"] == []
    v2.create_configuration_set(ConfigurationSetName="shared-name")


def test_configuration_set_quota(emu: Emulator, v1: Any) -> None:
    emu.quotas.resource["V1_CONFIGURATION_SETS"] = 1
    v1.create_configuration_set(ConfigurationSetName="only")
    with pytest.raises(v1.exceptions.LimitExceededException):
        v1.create_configuration_set(ConfigurationSetName="second")


def test_event_destinations_lifecycle(v1: Any) -> None:
    v1.create_configuration_set(ConfigurationSetName="voice")
    v1.create_configuration_set_event_destination(
        ConfigurationSetName="voice",
        EventDestinationName="to-sns",
        EventDestination=_dest(SnsDestination=SNS),
    )
    v1.create_configuration_set_event_destination(
        ConfigurationSetName="voice",
        EventDestinationName="to-firehose",
        EventDestination={"MatchingEventTypes": ["ANSWERED"], "KinesisFirehoseDestination": FIREHOSE},
    )
    got = v1.get_configuration_set_event_destinations(ConfigurationSetName="voice")["EventDestinations"]
    assert got == [
        {
            "Name": "to-sns",
            "Enabled": True,
            "MatchingEventTypes": ["INITIATED_CALL", "COMPLETED_CALL"],
            "SnsDestination": SNS,
        },
        {
            "Name": "to-firehose",
            "Enabled": False,
            "MatchingEventTypes": ["ANSWERED"],
            "KinesisFirehoseDestination": FIREHOSE,
        },
    ]
    with pytest.raises(v1.exceptions.AlreadyExistsException):
        v1.create_configuration_set_event_destination(
            ConfigurationSetName="voice",
            EventDestinationName="to-sns",
            EventDestination=_dest(SnsDestination=SNS),
        )

    v1.update_configuration_set_event_destination(
        ConfigurationSetName="voice",
        EventDestinationName="to-sns",
        EventDestination={
            "Enabled": False,
            "MatchingEventTypes": ["BUSY", "FAILED", "NO_ANSWER"],
            "CloudWatchLogsDestination": LOGS,
        },
    )
    got = v1.get_configuration_set_event_destinations(ConfigurationSetName="voice")["EventDestinations"]
    assert got[0] == {
        "Name": "to-sns",
        "Enabled": False,
        "MatchingEventTypes": ["BUSY", "FAILED", "NO_ANSWER"],
        "CloudWatchLogsDestination": LOGS,
    }
    v1.delete_configuration_set_event_destination(ConfigurationSetName="voice", EventDestinationName="to-sns")
    got = v1.get_configuration_set_event_destinations(ConfigurationSetName="voice")["EventDestinations"]
    assert [d["Name"] for d in got] == ["to-firehose"]

    for call in (
        v1.update_configuration_set_event_destination,
        v1.delete_configuration_set_event_destination,
    ):
        with pytest.raises(v1.exceptions.NotFoundException):
            call(ConfigurationSetName="voice", EventDestinationName="to-sns")
    with pytest.raises(v1.exceptions.NotFoundException):
        v1.get_configuration_set_event_destinations(ConfigurationSetName="nope")
    with pytest.raises(v1.exceptions.NotFoundException):
        v1.create_configuration_set_event_destination(
            ConfigurationSetName="nope", EventDestinationName="x", EventDestination=_dest(SnsDestination=SNS)
        )


def test_event_destination_definitions_are_checked(v1: Any) -> None:
    v1.create_configuration_set(ConfigurationSetName="voice")
    bad = [
        _dest(),  # no destination
        _dest(SnsDestination=SNS, CloudWatchLogsDestination=LOGS),  # two
        _dest(KinesisFirehoseDestination={"IamRoleArn": ROLE}),  # incomplete
        {"SnsDestination": SNS},  # no event types
    ]
    for definition in bad:
        with pytest.raises(v1.exceptions.BadRequestException):
            v1.create_configuration_set_event_destination(
                ConfigurationSetName="voice", EventDestinationName="x", EventDestination=definition
            )
    with pytest.raises(v1.exceptions.BadRequestException):
        v1.create_configuration_set_event_destination(
            ConfigurationSetName="voice", EventDestination=_dest(SnsDestination=SNS)
        )
    with pytest.raises(v1.exceptions.BadRequestException):  # a v2 event name is not a v1 one
        v1.create_configuration_set_event_destination(
            ConfigurationSetName="voice",
            EventDestinationName="x",
            EventDestination={"MatchingEventTypes": ["VOICE_COMPLETED"], "SnsDestination": SNS},
        )
    assert (
        v1.get_configuration_set_event_destinations(ConfigurationSetName="voice")["EventDestinations"] == []
    )


def test_ten_event_destinations_per_set(v1: Any) -> None:
    v1.create_configuration_set(ConfigurationSetName="voice")
    for i in range(10):
        v1.create_configuration_set_event_destination(
            ConfigurationSetName="voice",
            EventDestinationName=f"d{i}",
            EventDestination=_dest(SnsDestination=SNS),
        )
    with pytest.raises(v1.exceptions.LimitExceededException):
        v1.create_configuration_set_event_destination(
            ConfigurationSetName="voice",
            EventDestinationName="d10",
            EventDestination=_dest(SnsDestination=SNS),
        )
    assert (
        len(v1.get_configuration_set_event_destinations(ConfigurationSetName="voice")["EventDestinations"])
        == 10
    )


def _own_number(emu: Emulator, number: str, capabilities: list[str]) -> None:
    """A phone number of the account, as the v2 API keeps it (v1 and v2 share an account's numbers)."""
    with offline(emu, "us-east-1") as ctx:
        ctx.table("phone_numbers").put(
            "phone-1" + number[-4:],
            {
                "PhoneNumberId": "phone-1" + number[-4:],
                "PhoneNumber": number,
                "Status": "ACTIVE",
                "NumberCapabilities": capabilities,
            },
        )


def test_send_voice_message(emu: Emulator, v1: Any) -> None:
    _own_number(emu, "+12065550100", ["SMS", "VOICE"])
    _own_number(emu, "+12065550111", ["SMS"])
    v1.create_configuration_set(ConfigurationSetName="voice")
    sent = v1.send_voice_message(
        CallerId="+12065550100",
        ConfigurationSetName="voice",
        Content={
            "SSMLMessage": {"LanguageCode": "en-US", "Text": "<speak>Hello</speak>", "VoiceId": "Joanna"}
        },
        DestinationPhoneNumber="+14255550199",
        OriginationPhoneNumber="+12065550100",
    )
    assert sent["MessageId"]
    with offline(emu, "us-east-1") as ctx:
        stored = ctx.table("voice_messages", service="pinpoint-sms-voice").get(sent["MessageId"])
    assert stored["DestinationPhoneNumber"] == "+14255550199" and stored["ContentType"] == "SSMLMessage"
    plain = {"PlainTextMessage": {"Text": "Hi", "LanguageCode": "en-US", "VoiceId": "Matthew"}}
    assert v1.send_voice_message(
        Content=plain, DestinationPhoneNumber="+14255550199", OriginationPhoneNumber="+12065550100"
    )["MessageId"]

    refused = [
        {"Content": plain, "OriginationPhoneNumber": "+12065550100"},  # no destination
        {"Content": plain, "DestinationPhoneNumber": "+1", "OriginationPhoneNumber": "+12065550100"},
        {"Content": {}, "DestinationPhoneNumber": "+14255550199", "OriginationPhoneNumber": "+12065550100"},
        {
            "Content": {**plain, "CallInstructionsMessage": {"Text": "x"}},
            "DestinationPhoneNumber": "+14255550199",
            "OriginationPhoneNumber": "+12065550100",
        },
        {
            "Content": plain,
            "DestinationPhoneNumber": "+14255550199",
            "OriginationPhoneNumber": "+12065550122",
        },
        {
            "Content": plain,
            "DestinationPhoneNumber": "+14255550199",
            "OriginationPhoneNumber": "+12065550111",
        },
        {
            "Content": plain,
            "DestinationPhoneNumber": "+14255550199",
            "OriginationPhoneNumber": "+12065550100",
            "ConfigurationSetName": "nope",
        },
    ]
    for params in refused:
        with pytest.raises(v1.exceptions.BadRequestException):
            v1.send_voice_message(**params)
