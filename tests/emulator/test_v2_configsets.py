"""v2 configuration sets: CRUD, filters, paging, event destinations and their limit, defaults, protect."""

from __future__ import annotations

from typing import Any

import pytest
from emulator.reachable import make_reachable

from migrate.emulator import Emulator
from migrate.emulator.services.v2.model import offline

ROLE = "arn:aws:iam::123456789012:role/sms-events"
FIREHOSE = {
    "IamRoleArn": ROLE,
    "DeliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/s",
}
LOGS = {"IamRoleArn": ROLE, "LogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:sms"}
SNS = {"TopicArn": "arn:aws:sns:us-east-1:123456789012:sms-events"}


@pytest.fixture(autouse=True)
def _reachable(emu: Emulator) -> None:
    make_reachable(emu, ROLE, FIREHOSE["DeliveryStreamArn"], SNS["TopicArn"])


@pytest.fixture
def sms(emu: Emulator) -> Any:
    return emu.session("us-east-1").client("pinpoint-sms-voice-v2")


def test_create_describe_delete_with_tags_and_client_token(emu: Emulator, sms: Any) -> None:
    tags = [{"Key": "owner", "Value": "pinpoint-migrate"}]
    made = sms.create_configuration_set(ConfigurationSetName="tenant-a", Tags=tags, ClientToken="tok-1")
    assert (
        made["ConfigurationSetArn"] == "arn:aws:sms-voice:us-east-1:123456789012:configuration-set/tenant-a"
    )
    assert made["Tags"] == tags
    again = sms.create_configuration_set(ConfigurationSetName="tenant-a", Tags=tags, ClientToken="tok-1")
    assert again["CreatedTimestamp"] == made["CreatedTimestamp"]  # the same call replayed, no conflict
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.create_configuration_set(ConfigurationSetName="tenant-a")
    assert err.value.response["Reason"] == "RESOURCE_ALREADY_EXISTS"
    assert err.value.response["ResourceType"] == "configuration-set"
    with offline(emu, "us-east-1") as ctx:
        assert ctx.table("tags").get(made["ConfigurationSetArn"]) == {"Tags": {"owner": "pinpoint-migrate"}}

    found = sms.describe_configuration_sets(ConfigurationSetNames=[made["ConfigurationSetArn"]])
    (one,) = found["ConfigurationSets"]
    assert one["ConfigurationSetName"] == "tenant-a" and one["EventDestinations"] == []
    deleted = sms.delete_configuration_set(ConfigurationSetName="tenant-a")
    assert deleted["ConfigurationSetName"] == "tenant-a"
    with offline(emu, "us-east-1") as ctx:
        assert ctx.table("tags").get(made["ConfigurationSetArn"]) is None
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as missing:
        sms.describe_configuration_sets(ConfigurationSetNames=["tenant-a"])
    assert missing.value.response["ResourceType"] == "configuration-set"
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.delete_configuration_set(ConfigurationSetName="tenant-a")


def test_quota_refuses_the_26th_set(emu: Emulator, sms: Any) -> None:
    emu.quotas.resource["CONFIGURATION_SETS"] = 2
    sms.create_configuration_set(ConfigurationSetName="a")
    sms.create_configuration_set(ConfigurationSetName="b")
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException) as err:
        sms.create_configuration_set(ConfigurationSetName="c")
    assert err.value.response["Reason"] == "CONFIGURATION_SETS_PER_ACCOUNT"
    sms.delete_configuration_set(ConfigurationSetName="a")
    sms.create_configuration_set(ConfigurationSetName="c")  # room again once one is gone


def test_paging_and_arn_of_another_region(emu: Emulator, sms: Any) -> None:
    for i in range(5):
        sms.create_configuration_set(ConfigurationSetName=f"set-{i}")
    first = sms.describe_configuration_sets(MaxResults=2)
    assert [s["ConfigurationSetName"] for s in first["ConfigurationSets"]] == ["set-0", "set-1"]
    assert first["NextToken"]
    pages = sms.get_paginator("describe_configuration_sets").paginate(PaginationConfig={"PageSize": 2})
    names = [s["ConfigurationSetName"] for p in pages for s in p["ConfigurationSets"]]
    assert names == [f"set-{i}" for i in range(5)]
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.describe_configuration_sets(NextToken="not-a-token")
    assert err.value.response["Reason"] == "INVALID_NEXT_TOKEN"
    west = emu.session("us-west-2").client("pinpoint-sms-voice-v2")
    assert west.describe_configuration_sets()["ConfigurationSets"] == []
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.describe_configuration_sets(
            ConfigurationSetNames=["arn:aws:sms-voice:us-east-1:123456789012:configuration-set/set-0"]
        )


def test_filters(sms: Any) -> None:
    for name in ("a", "b", "c"):
        sms.create_configuration_set(ConfigurationSetName=name)
    sms.create_event_destination(
        ConfigurationSetName="a",
        EventDestinationName="to-firehose",
        MatchingEventTypes=["TEXT_ALL"],
        KinesisFirehoseDestination=FIREHOSE,
    )
    sms.create_event_destination(
        ConfigurationSetName="b",
        EventDestinationName="to-sns",
        MatchingEventTypes=["VOICE_COMPLETED", "TEXT_DELIVERED"],
        SnsDestination=SNS,
    )
    sms.set_default_message_type(ConfigurationSetName="a", MessageType="TRANSACTIONAL")
    sms.set_default_sender_id(ConfigurationSetName="b", SenderId="ACME")
    sms.set_default_message_feedback_enabled(ConfigurationSetName="c", MessageFeedbackEnabled=True)
    protect_id = sms.create_protect_configuration()["ProtectConfigurationId"]
    sms.associate_protect_configuration(ConfigurationSetName="c", ProtectConfigurationId=protect_id)

    def names(*filters: tuple[str, list[str]]) -> list[str]:
        found = sms.describe_configuration_sets(Filters=[{"Name": n, "Values": v} for n, v in filters])
        return [s["ConfigurationSetName"] for s in found["ConfigurationSets"]]

    assert names(("event-destination-name", ["to-sns", "nope"])) == ["b"]
    assert names(("matching-event-types", ["TEXT_DELIVERED"])) == ["b"]
    assert names(("matching-event-types", ["TEXT_ALL", "VOICE_COMPLETED"])) == ["a", "b"]
    assert names(("default-message-type", ["TRANSACTIONAL"])) == ["a"]
    assert names(("default-sender-id", ["ACME"])) == ["b"]
    assert names(("default-message-feedback-enabled", ["true"])) == ["c"]
    assert names(("default-message-feedback-enabled", ["false"])) == ["a", "b"]
    assert names(("protect-configuration-id", [protect_id])) == ["c"]
    assert names(("event-destination-name", ["to-sns"]), ("default-sender-id", ["OTHER"])) == []


def test_event_destinations_lifecycle(sms: Any) -> None:
    sms.create_configuration_set(ConfigurationSetName="t")
    made = sms.create_event_destination(
        ConfigurationSetName="t",
        EventDestinationName="fh",
        MatchingEventTypes=["TEXT_ALL", "TEXT_ALL", "VOICE_ALL"],
        KinesisFirehoseDestination=FIREHOSE,
        ClientToken="ed-1",
    )
    dest = made["EventDestination"]
    assert dest == {
        "EventDestinationName": "fh",
        "Enabled": True,
        "MatchingEventTypes": ["TEXT_ALL", "VOICE_ALL"],
        "KinesisFirehoseDestination": FIREHOSE,
    }
    replayed = sms.create_event_destination(
        ConfigurationSetName="t",
        EventDestinationName="fh",
        MatchingEventTypes=["TEXT_ALL"],
        KinesisFirehoseDestination=FIREHOSE,
        ClientToken="ed-1",
    )
    assert replayed["EventDestination"] == dest
    with pytest.raises(sms.exceptions.ConflictException) as dup:
        sms.create_event_destination(
            ConfigurationSetName="t",
            EventDestinationName="fh",
            MatchingEventTypes=["TEXT_ALL"],
            SnsDestination=SNS,
        )
    assert dup.value.response["Reason"] == "RESOURCE_ALREADY_EXISTS"
    assert dup.value.response["ResourceType"] == "event-destination"

    updated = sms.update_event_destination(
        ConfigurationSetName="t",
        EventDestinationName="fh",
        Enabled=False,
        MatchingEventTypes=["TEXT_DELIVERED"],
        CloudWatchLogsDestination=LOGS,
    )["EventDestination"]
    assert updated == {
        "EventDestinationName": "fh",
        "Enabled": False,
        "MatchingEventTypes": ["TEXT_DELIVERED"],
        "CloudWatchLogsDestination": LOGS,
    }
    stored = sms.describe_configuration_sets()["ConfigurationSets"][0]["EventDestinations"]
    assert stored == [updated]
    gone = sms.delete_event_destination(ConfigurationSetName="t", EventDestinationName="fh")
    assert gone["EventDestination"] == updated
    for call in (sms.delete_event_destination, sms.update_event_destination):
        with pytest.raises(sms.exceptions.ResourceNotFoundException) as err:
            call(ConfigurationSetName="t", EventDestinationName="fh")
        assert err.value.response["ResourceType"] == "event-destination"
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as no_set:
        sms.create_event_destination(
            ConfigurationSetName="nope",
            EventDestinationName="x",
            MatchingEventTypes=["ALL"],
            SnsDestination=SNS,
        )
    assert no_set.value.response["ResourceType"] == "configuration-set"


def test_event_destination_needs_exactly_one_target_and_known_event_types(sms: Any) -> None:
    sms.create_configuration_set(ConfigurationSetName="t")
    with pytest.raises(sms.exceptions.ValidationException) as none:
        sms.create_event_destination(
            ConfigurationSetName="t", EventDestinationName="x", MatchingEventTypes=["ALL"]
        )
    assert none.value.response["Reason"] == "MISSING_PARAMETER"
    with pytest.raises(sms.exceptions.ValidationException) as two:
        sms.create_event_destination(
            ConfigurationSetName="t",
            EventDestinationName="x",
            MatchingEventTypes=["ALL"],
            SnsDestination=SNS,
            CloudWatchLogsDestination=LOGS,
        )
    assert two.value.response["Reason"] == "PARAMETERS_CANNOT_BE_USED_TOGETHER"
    # Pinpoint's event names are not v2's: the emulator refuses them as AWS does.
    with pytest.raises(sms.exceptions.ValidationException) as bad:
        sms.create_event_destination(
            ConfigurationSetName="t",
            EventDestinationName="x",
            MatchingEventTypes=["_SMS.SUCCESS"],
            SnsDestination=SNS,
        )
    assert bad.value.response["Reason"] == "FIELD_VALIDATION_FAILED"


def test_at_most_five_event_destinations(emu: Emulator, sms: Any) -> None:
    sms.create_configuration_set(ConfigurationSetName="t")
    for i in range(5):
        sms.create_event_destination(
            ConfigurationSetName="t",
            EventDestinationName=f"d{i}",
            MatchingEventTypes=["ALL"],
            SnsDestination=SNS,
        )
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException) as err:
        sms.create_event_destination(
            ConfigurationSetName="t",
            EventDestinationName="d5",
            MatchingEventTypes=["ALL"],
            SnsDestination=SNS,
        )
    assert err.value.response["Reason"] == "EVENT_DESTINATIONS_PER_CONFIGURATION_SET"
    stored = sms.describe_configuration_sets()["ConfigurationSets"][0]["EventDestinations"]
    assert [d["EventDestinationName"] for d in stored] == [
        f"d{i}" for i in range(5)
    ]  # the refusal changed nothing
    emu.quotas.event_destinations_per_configuration_set = 6  # a granted quota increase
    sms.create_event_destination(
        ConfigurationSetName="t", EventDestinationName="d5", MatchingEventTypes=["ALL"], SnsDestination=SNS
    )


def test_defaults_set_and_delete(sms: Any) -> None:
    sms.create_configuration_set(ConfigurationSetName="t")
    assert sms.set_default_sender_id(ConfigurationSetName="t", SenderId="ACME")["SenderId"] == "ACME"
    assert sms.set_default_message_type(ConfigurationSetName="t", MessageType="PROMOTIONAL")[
        "MessageType"
    ] == ("PROMOTIONAL")
    feedback = sms.set_default_message_feedback_enabled(ConfigurationSetName="t", MessageFeedbackEnabled=True)
    assert feedback["MessageFeedbackEnabled"] is True
    (one,) = sms.describe_configuration_sets()["ConfigurationSets"]
    assert (one["DefaultSenderId"], one["DefaultMessageType"], one["DefaultMessageFeedbackEnabled"]) == (
        "ACME",
        "PROMOTIONAL",
        True,
    )
    assert sms.delete_default_sender_id(ConfigurationSetName="t")["SenderId"] == "ACME"
    assert sms.delete_default_message_type(ConfigurationSetName="t")["MessageType"] == "PROMOTIONAL"
    (after,) = sms.describe_configuration_sets()["ConfigurationSets"]
    assert "DefaultSenderId" not in after and "DefaultMessageType" not in after
    with pytest.raises(sms.exceptions.ValidationException):
        sms.set_default_sender_id(ConfigurationSetName="t", SenderId="TOO-LONG-SENDER")  # max 11 characters
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.set_default_message_type(ConfigurationSetName="nope", MessageType="TRANSACTIONAL")


def test_protect_configuration_association(sms: Any) -> None:
    sms.create_configuration_set(ConfigurationSetName="t")
    first = sms.create_protect_configuration()
    second = sms.create_protect_configuration()
    linked = sms.associate_protect_configuration(
        ConfigurationSetName="t", ProtectConfigurationId=first["ProtectConfigurationArn"]
    )
    assert linked["ProtectConfigurationId"] == first["ProtectConfigurationId"]
    # Associating another replaces the first: a set has one protect configuration at a time.
    sms.associate_protect_configuration(
        ConfigurationSetName="t", ProtectConfigurationId=second["ProtectConfigurationId"]
    )
    (one,) = sms.describe_configuration_sets()["ConfigurationSets"]
    assert one["ProtectConfigurationId"] == second["ProtectConfigurationId"]
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.disassociate_protect_configuration(
            ConfigurationSetName="t", ProtectConfigurationId=first["ProtectConfigurationId"]
        )
    assert err.value.response["Reason"] == "PROTECT_CONFIGURATION_NOT_ASSOCIATED_WITH_CONFIGURATION_SET"
    unlinked = sms.disassociate_protect_configuration(
        ConfigurationSetName="t", ProtectConfigurationId=second["ProtectConfigurationId"]
    )
    assert unlinked["ConfigurationSetName"] == "t"
    assert "ProtectConfigurationId" not in sms.describe_configuration_sets()["ConfigurationSets"][0]
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as missing:
        sms.associate_protect_configuration(ConfigurationSetName="t", ProtectConfigurationId="protect-nope")
    assert missing.value.response["ResourceType"] == "protect-configuration"
