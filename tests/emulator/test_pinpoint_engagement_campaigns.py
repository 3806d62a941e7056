"""Pinpoint campaigns in the emulator: versions, treatments, template references, paging, errors."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from migrate.emulator import Emulator
from migrate.emulator.context import Context

SMS_BODY = "Hi {{User.UserAttributes.FirstName}}, {{Attributes.Code}} is your code."



@pytest.fixture
def emu(emu_before_eos: Emulator) -> Emulator:
    """These APIs are retired after 2026-10-30: the tests run in a world whose clock is before it."""
    return emu_before_eos

@pytest.fixture
def pinpoint(emu: Emulator) -> Any:
    return boto3.client("pinpoint", region_name="us-east-1")


@pytest.fixture
def app_id(pinpoint: Any) -> str:
    created = pinpoint.create_app(CreateApplicationRequest={"Name": "tenant-a"})
    return str(created["ApplicationResponse"]["Id"])


@pytest.fixture
def segment_id(pinpoint: Any, app_id: str) -> str:
    created = pinpoint.create_segment(ApplicationId=app_id, WriteSegmentRequest={"Name": "everyone"})
    return str(created["SegmentResponse"]["Id"])


def _request(segment_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "Name": "weekly-digest",
        "SegmentId": segment_id,
        # starts after the world's clock (2026-09-01): SCHEDULED (test_campaign_status_clock.py moves time)
        "Schedule": {"StartTime": "2027-06-01T09:00:00Z", "Frequency": "WEEKLY", "Timezone": "UTC"},
        "MessageConfiguration": {
            "SMSMessage": {
                "Body": SMS_BODY,
                "MessageType": "PROMOTIONAL",
                "OriginationNumber": "+12065550100",
                "SenderId": "ACME",
                "EntityId": "entity-1",
                "TemplateId": "dlt-1",
            },
            "DefaultMessage": {"Body": "Hello"},
            "EmailMessage": {"FromAddress": "news@example.com", "Title": "News", "Body": "Hello"},
        },
        **extra,
    }


def test_campaign_round_trip_and_versions(pinpoint: Any, app_id: str, segment_id: str) -> None:
    request = _request(
        segment_id,
        Hook={"LambdaFunctionName": "filter", "Mode": "FILTER"},
        Limits={"Daily": 1, "MessagesPerSecond": 50},
        TreatmentName="control",
        tags={"tenant": "a"},
    )
    created = pinpoint.create_campaign(ApplicationId=app_id, WriteCampaignRequest=request)["CampaignResponse"]
    campaign_id = created["Id"]
    assert created["Version"] == 1 and created["SegmentVersion"] == 1
    assert created["State"] == {"CampaignStatus": "SCHEDULED"} == created["DefaultState"]
    assert (
        created["Arn"]
        == f"arn:aws:mobiletargeting:us-east-1:123456789012:apps/{app_id}/campaigns/{campaign_id}"
    )
    assert created["MessageConfiguration"] == request["MessageConfiguration"]
    assert created["MessageConfiguration"]["SMSMessage"]["Body"] == SMS_BODY
    assert created["Hook"]["Mode"] == "FILTER" and created["Limits"]["Daily"] == 1
    assert created["tags"] == {"tenant": "a"}
    assert created["CreationDate"].endswith("Z")

    paused = pinpoint.update_campaign(
        ApplicationId=app_id, CampaignId=campaign_id, WriteCampaignRequest={"IsPaused": True}
    )["CampaignResponse"]
    assert paused["Version"] == 2 and paused["State"]["CampaignStatus"] == "PAUSED"
    assert paused["MessageConfiguration"] == request["MessageConfiguration"]  # kept: not in the request
    assert paused["tags"] == {"tenant": "a"}

    got = pinpoint.get_campaign(ApplicationId=app_id, CampaignId=campaign_id)["CampaignResponse"]
    assert got["Version"] == 2 and got["IsPaused"] is True
    v1 = pinpoint.get_campaign_version(ApplicationId=app_id, CampaignId=campaign_id, Version="1")
    assert v1["CampaignResponse"]["State"]["CampaignStatus"] == "SCHEDULED"
    versions = pinpoint.get_campaign_versions(ApplicationId=app_id, CampaignId=campaign_id)
    assert [v["Version"] for v in versions["CampaignsResponse"]["Item"]] == [1, 2]
    activities = pinpoint.get_campaign_activities(ApplicationId=app_id, CampaignId=campaign_id)
    assert activities["ActivitiesResponse"]["Item"] == []

    deleted = pinpoint.delete_campaign(ApplicationId=app_id, CampaignId=campaign_id)["CampaignResponse"]
    assert deleted["Id"] == campaign_id
    for call in (pinpoint.get_campaign, pinpoint.get_campaign_versions, pinpoint.get_campaign_activities):
        with pytest.raises(pinpoint.exceptions.NotFoundException):
            call(ApplicationId=app_id, CampaignId=campaign_id)
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.get_campaign_version(ApplicationId=app_id, CampaignId=campaign_id, Version="1")


def test_campaign_targets_a_segment_version(pinpoint: Any, app_id: str, segment_id: str) -> None:
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.create_campaign(ApplicationId=app_id, WriteCampaignRequest={"Name": "no-segment"})
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.create_campaign(ApplicationId=app_id, WriteCampaignRequest=_request("a" * 32))
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.create_campaign(
            ApplicationId=app_id, WriteCampaignRequest=_request(segment_id, SegmentVersion=2)
        )
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.create_campaign(ApplicationId="0" * 32, WriteCampaignRequest=_request(segment_id))
    pinpoint.update_segment(ApplicationId=app_id, SegmentId=segment_id, WriteSegmentRequest={"Name": "v2"})
    created = pinpoint.create_campaign(ApplicationId=app_id, WriteCampaignRequest=_request(segment_id))
    assert created["CampaignResponse"]["SegmentVersion"] == 2  # the latest, when not given
    pinned = pinpoint.create_campaign(
        ApplicationId=app_id, WriteCampaignRequest=_request(segment_id, SegmentVersion=1)
    )["CampaignResponse"]
    renamed = pinpoint.update_campaign(
        ApplicationId=app_id, CampaignId=pinned["Id"], WriteCampaignRequest={"Name": "renamed"}
    )["CampaignResponse"]
    assert renamed["SegmentVersion"] == 1  # an update that does not name a segment keeps the version


def test_treatments_holdout_and_immediate_campaigns(pinpoint: Any, app_id: str, segment_id: str) -> None:
    treatment = {
        "SizePercent": 30,
        "TreatmentName": "variant-b",
        "MessageConfiguration": {
            "SMSMessage": {"Body": "B: {{Attributes.Code}}", "MessageType": "TRANSACTIONAL"}
        },
    }
    created = pinpoint.create_campaign(
        ApplicationId=app_id,
        WriteCampaignRequest=_request(segment_id, HoldoutPercent=10, AdditionalTreatments=[treatment]),
    )["CampaignResponse"]
    [variant] = created["AdditionalTreatments"]
    assert variant["Id"] == "1" and variant["SizePercent"] == 30
    assert variant["State"] == {"CampaignStatus": "SCHEDULED"}
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.update_campaign(
            ApplicationId=app_id, CampaignId=created["Id"], WriteCampaignRequest={"HoldoutPercent": 80}
        )
    now = pinpoint.create_campaign(
        ApplicationId=app_id,
        WriteCampaignRequest=_request(segment_id, Schedule={"StartTime": "IMMEDIATE", "Frequency": "ONCE"}),
    )["CampaignResponse"]
    assert now["State"]["CampaignStatus"] == "COMPLETED"


def test_campaign_template_references_must_exist(pinpoint: Any, app_id: str, segment_id: str) -> None:
    config = {"SMSTemplate": {"Name": "otp"}}
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.create_campaign(
            ApplicationId=app_id, WriteCampaignRequest=_request(segment_id, TemplateConfiguration=config)
        )
    pinpoint.create_sms_template(TemplateName="otp", SMSTemplateRequest={"Body": SMS_BODY})
    created = pinpoint.create_campaign(
        ApplicationId=app_id, WriteCampaignRequest=_request(segment_id, TemplateConfiguration=config)
    )["CampaignResponse"]
    assert created["TemplateConfiguration"] == config
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.update_campaign(
            ApplicationId=app_id,
            CampaignId=created["Id"],
            WriteCampaignRequest={"TemplateConfiguration": {"SMSTemplate": {"Name": "otp", "Version": "9"}}},
        )


def test_campaigns_page_and_seeded_activities(
    emu: Emulator, pinpoint: Any, app_id: str, segment_id: str
) -> None:
    ids = [
        pinpoint.create_campaign(
            ApplicationId=app_id, WriteCampaignRequest=_request(segment_id, Name=f"c{n}")
        )["CampaignResponse"]["Id"]
        for n in range(3)
    ]
    first = pinpoint.get_campaigns(ApplicationId=app_id, PageSize="2")["CampaignsResponse"]
    second = pinpoint.get_campaigns(ApplicationId=app_id, PageSize="2", Token=first["NextToken"])
    assert [c["Id"] for c in first["Item"] + second["CampaignsResponse"]["Item"]] == ids
    assert "NextToken" not in second["CampaignsResponse"]

    # Activities exist only where a world was seeded with them (the emulator sends nothing itself).
    ctx = Context(emu.world, "pinpoint", "", emu.account_id, "us-east-1", emu.quotas, emu.clock)
    with emu.world.lock:
        ctx.table(f"campaign_activities:{app_id}").put(
            "run-1",
            {
                "ApplicationId": app_id,
                "CampaignId": ids[0],
                "Id": "run-1",
                "State": "COMPLETED",
                "Result": "SUCCESS",
            },
        )
        emu.world.commit()
    activities = pinpoint.get_campaign_activities(ApplicationId=app_id, CampaignId=ids[0])
    assert [a["Id"] for a in activities["ActivitiesResponse"]["Item"]] == ["run-1"]
    pinpoint.delete_campaign(ApplicationId=app_id, CampaignId=ids[0])
    assert ctx.table(f"campaign_activities:{app_id}").values() == []


def test_campaign_status_moves_on_with_the_clock() -> None:
    # Pinpoint API reference, CampaignState: SCHEDULED before its start, PENDING_NEXT_RUN between runs of
    # a recurring campaign, COMPLETED once a one-off ran or a recurring one passed its EndTime.
    from migrate.emulator.services.pinpoint.campaigns import status_at

    def at(**schedule: str) -> str:
        return status_at({"Schedule": schedule}, now=1_800_000_000.0)  # 2027-01-15

    assert at(StartTime="2026-06-01T00:00:00Z", Frequency="WEEKLY") == "PENDING_NEXT_RUN"
    assert at(StartTime="2026-06-01T00:00:00Z", Frequency="WEEKLY", EndTime="2026-09-01T00:00:00Z") == "COMPLETED"
    assert at(StartTime="2026-06-01T00:00:00Z", Frequency="ONCE") == "COMPLETED"
    assert at(StartTime="2027-06-01T00:00:00Z", Frequency="WEEKLY") == "SCHEDULED"
    assert status_at({"IsPaused": True, "Schedule": {"StartTime": "2026-06-01T00:00:00Z"}}, 1_800_000_000.0) == "PAUSED"
