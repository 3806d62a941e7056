"""Pinpoint journeys and recommender configurations in the emulator; tags and end of support of the
engagement resources."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from migrate.emulator import Emulator

ROLE = "arn:aws:iam::123456789012:role/personalize"
MODEL = "arn:aws:personalize:us-east-1:123456789012:campaign/picks"



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


def _journey(segment_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "Name": "onboarding",
        "StartActivity": "send-sms",
        "StartCondition": {"SegmentStartCondition": {"SegmentId": segment_id}},
        "Activities": {
            "send-sms": {
                "SMS": {
                    "MessageConfig": {
                        "MessageType": "TRANSACTIONAL",
                        "OriginationNumber": "+12065550100",
                        "SenderId": "ACME",
                    },
                    "TemplateName": "welcome",
                    "NextActivity": "wait",
                }
            },
            "wait": {"Wait": {"WaitTime": {"WaitFor": "P1D"}, "NextActivity": "split"}},
            "split": {
                "MultiCondition": {
                    "Branches": [{"NextActivity": "done"}],
                    "DefaultActivity": "done",
                }
            },
            "done": {"Holdout": {"Percentage": 0}},
        },
        "Limits": {"DailyCap": 1, "EndpointReentryCap": 2},
        "Schedule": {"StartTime": 1780000000.0, "EndTime": 1790000000.0, "Timezone": "UTC"},
        **extra,
    }


def test_journey_lifecycle(pinpoint: Any, app_id: str, segment_id: str) -> None:
    created = pinpoint.create_journey(ApplicationId=app_id, WriteJourneyRequest=_journey(segment_id))
    journey = created["JourneyResponse"]
    journey_id = journey["Id"]
    assert journey["State"] == "DRAFT" and journey["ApplicationId"] == app_id
    sms = journey["Activities"]["send-sms"]["SMS"]
    assert sms["MessageConfig"]["OriginationNumber"] == "+12065550100" and sms["TemplateName"] == "welcome"
    assert journey["Schedule"]["StartTime"].timestamp() == 1780000000.0
    assert journey["tags"] == {}

    renamed = pinpoint.update_journey(
        ApplicationId=app_id, JourneyId=journey_id, WriteJourneyRequest=_journey(segment_id, Name="welcome")
    )["JourneyResponse"]
    assert renamed["Name"] == "welcome" and renamed["State"] == "DRAFT"
    published = pinpoint.update_journey(
        ApplicationId=app_id,
        JourneyId=journey_id,
        WriteJourneyRequest=_journey(segment_id, State="ACTIVE", RefreshFrequency="PT1H"),
    )["JourneyResponse"]
    assert published["State"] == "ACTIVE"
    changed = _journey(segment_id, RefreshFrequency="PT1H")
    changed["Activities"]["wait"]["Wait"]["WaitTime"] = {"WaitFor": "P2D"}
    with pytest.raises(pinpoint.exceptions.BadRequestException):  # a published journey's activities are fixed
        pinpoint.update_journey(ApplicationId=app_id, JourneyId=journey_id, WriteJourneyRequest=changed)
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.update_journey(
            ApplicationId=app_id,
            JourneyId=journey_id,
            WriteJourneyRequest=_journey(segment_id, State="DRAFT"),
        )

    def set_state(state: str) -> str:
        answer = pinpoint.update_journey_state(
            ApplicationId=app_id, JourneyId=journey_id, JourneyStateRequest={"State": state}
        )
        return str(answer["JourneyResponse"]["State"])

    assert set_state("PAUSED") == "PAUSED"
    assert set_state("ACTIVE") == "ACTIVE"
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        set_state("COMPLETED")
    assert set_state("CANCELLED") == "CANCELLED"
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        set_state("ACTIVE")
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.update_journey(
            ApplicationId=app_id, JourneyId=journey_id, WriteJourneyRequest=_journey(segment_id)
        )

    got = pinpoint.get_journey(ApplicationId=app_id, JourneyId=journey_id)["JourneyResponse"]
    assert got["State"] == "CANCELLED" and got["RefreshFrequency"] == "PT1H"
    deleted = pinpoint.delete_journey(ApplicationId=app_id, JourneyId=journey_id)["JourneyResponse"]
    assert deleted["Id"] == journey_id
    for call in (pinpoint.get_journey, pinpoint.delete_journey):
        with pytest.raises(pinpoint.exceptions.NotFoundException):
            call(ApplicationId=app_id, JourneyId=journey_id)


def test_journey_definition_errors(pinpoint: Any, app_id: str, segment_id: str) -> None:
    bad_start = _journey(segment_id, StartActivity="nowhere")
    dangling = _journey(segment_id)
    dangling["Activities"]["wait"]["Wait"]["NextActivity"] = "missing"
    backwards = _journey(segment_id, Schedule={"StartTime": 1790000000.0, "EndTime": 1780000000.0})
    for request in (bad_start, dangling, backwards, _journey(segment_id, State="PAUSED")):
        with pytest.raises(pinpoint.exceptions.BadRequestException):
            pinpoint.create_journey(ApplicationId=app_id, WriteJourneyRequest=request)
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.create_journey(ApplicationId=app_id, WriteJourneyRequest=_journey("b" * 32))
    draft = pinpoint.create_journey(ApplicationId=app_id, WriteJourneyRequest=_journey(segment_id))
    with pytest.raises(pinpoint.exceptions.BadRequestException):  # only with a segment refresh interval
        pinpoint.update_journey_state(
            ApplicationId=app_id,
            JourneyId=draft["JourneyResponse"]["Id"],
            JourneyStateRequest={"State": "PAUSED"},
        )


def test_journeys_page(pinpoint: Any, app_id: str, segment_id: str) -> None:
    for n in range(3):
        pinpoint.create_journey(ApplicationId=app_id, WriteJourneyRequest=_journey(segment_id, Name=f"j{n}"))
    first = pinpoint.list_journeys(ApplicationId=app_id, PageSize="2")["JourneysResponse"]
    rest = pinpoint.list_journeys(ApplicationId=app_id, PageSize="2", Token=first["NextToken"])
    names = [j["Name"] for j in first["Item"] + rest["JourneysResponse"]["Item"]]
    assert names == ["j0", "j1", "j2"] and "NextToken" not in rest["JourneysResponse"]
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.list_journeys(ApplicationId="0" * 32)


def test_recommender_configurations(pinpoint: Any) -> None:
    created = pinpoint.create_recommender_configuration(
        CreateRecommenderConfiguration={
            "Name": "picks",
            "RecommendationProviderRoleArn": ROLE,
            "RecommendationProviderUri": MODEL,
            "RecommendationsDisplayName": "Top picks",
        }
    )["RecommenderConfigurationResponse"]
    rec_id = created["Id"]
    assert created["RecommendationsPerMessage"] == 5
    assert created["RecommendationProviderIdType"] == "PINPOINT_ENDPOINT_ID"
    got = pinpoint.get_recommender_configuration(RecommenderId=rec_id)["RecommenderConfigurationResponse"]
    assert got == created
    updated = pinpoint.update_recommender_configuration(
        RecommenderId=rec_id,
        UpdateRecommenderConfiguration={
            "RecommendationProviderRoleArn": ROLE,
            "RecommendationProviderUri": MODEL,
            "RecommendationTransformerUri": "picks-transformer",
            "Attributes": {"Title": "Title", "Price": "Price"},
            "RecommendationsPerMessage": 3,
            "RecommendationProviderIdType": "PINPOINT_USER_ID",
        },
    )["RecommenderConfigurationResponse"]
    assert updated["CreationDate"] == created["CreationDate"] and "Name" not in updated
    assert updated["Attributes"] == {"Title": "Title", "Price": "Price"}
    pinpoint.create_recommender_configuration(
        CreateRecommenderConfiguration={
            "RecommendationProviderRoleArn": ROLE,
            "RecommendationProviderUri": MODEL,
            "RecommendationsDisplayName": "More",
        }
    )
    first = pinpoint.get_recommender_configurations(PageSize="1")["ListRecommenderConfigurationsResponse"]
    rest = pinpoint.get_recommender_configurations(Token=first["NextToken"])
    assert [r["Id"] for r in first["Item"]] == [rec_id]
    assert len(rest["ListRecommenderConfigurationsResponse"]["Item"]) == 1

    for bad in (
        {"RecommendationsPerMessage": 6, "RecommendationsDisplayName": "x"},
        {"Attributes": {"Title": "Title"}, "RecommendationsDisplayName": "x"},  # needs a transformer
        {},  # neither a transformer nor a display name
        {"RecommendationProviderIdType": "EMAIL", "RecommendationsDisplayName": "x"},
    ):
        with pytest.raises(pinpoint.exceptions.BadRequestException):
            pinpoint.create_recommender_configuration(
                CreateRecommenderConfiguration={
                    "RecommendationProviderRoleArn": ROLE,
                    "RecommendationProviderUri": MODEL,
                    **bad,
                }
            )
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.create_recommender_configuration(
            CreateRecommenderConfiguration={
                "RecommendationProviderRoleArn": ROLE,
                "RecommendationProviderUri": "not-an-arn",
                "RecommendationsDisplayName": "x",
            }
        )
    deleted = pinpoint.delete_recommender_configuration(RecommenderId=rec_id)
    assert deleted["RecommenderConfigurationResponse"]["Id"] == rec_id
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.get_recommender_configuration(RecommenderId=rec_id)


def test_tag_operations_see_engagement_resources(pinpoint: Any, app_id: str, segment_id: str) -> None:
    journey = pinpoint.create_journey(ApplicationId=app_id, WriteJourneyRequest=_journey(segment_id))
    journey_arn = f"arn:aws:mobiletargeting:us-east-1:123456789012:apps/{app_id}/journeys/{journey['JourneyResponse']['Id']}"
    pinpoint.tag_resource(ResourceArn=journey_arn, TagsModel={"tags": {"team": "crm"}})
    assert pinpoint.get_journey(ApplicationId=app_id, JourneyId=journey["JourneyResponse"]["Id"])[
        "JourneyResponse"
    ]["tags"] == {"team": "crm"}
    template_arn = pinpoint.create_sms_template(
        TemplateName="welcome", SMSTemplateRequest={"Body": "Hi", "tags": {"tenant": "a"}}
    )["CreateTemplateMessageBody"]["Arn"]
    pinpoint.tag_resource(ResourceArn=template_arn, TagsModel={"tags": {"team": "crm"}})
    assert pinpoint.list_tags_for_resource(ResourceArn=template_arn)["TagsModel"]["tags"] == {
        "tenant": "a",
        "team": "crm",
    }
    segment_arn = pinpoint.get_segment(ApplicationId=app_id, SegmentId=segment_id)["SegmentResponse"]["Arn"]
    pinpoint.tag_resource(ResourceArn=segment_arn, TagsModel={"tags": {"k": "v"}})
    pinpoint.untag_resource(ResourceArn=segment_arn, TagKeys=["k"])
    assert pinpoint.get_segment(ApplicationId=app_id, SegmentId=segment_id)["SegmentResponse"]["tags"] == {}
    # A deleted template's tags go with it: a new template of that name starts untagged.
    pinpoint.delete_sms_template(TemplateName="welcome")
    pinpoint.create_sms_template(TemplateName="welcome", SMSTemplateRequest={"Body": "Hi"})
    assert pinpoint.get_sms_template(TemplateName="welcome")["SMSTemplateResponse"]["tags"] == {}


def test_end_of_support_retires_engagement_but_not_templates(
    emu: Emulator, pinpoint: Any, app_id: str, segment_id: str
) -> None:
    campaign = pinpoint.create_campaign(
        ApplicationId=app_id, WriteCampaignRequest={"Name": "c", "SegmentId": segment_id}
    )["CampaignResponse"]
    pinpoint.create_sms_template(TemplateName="otp", SMSTemplateRequest={"Body": "{{Attributes.Code}}"})
    emu.end_of_support = True
    retired = [
        lambda: pinpoint.get_segments(ApplicationId=app_id),
        lambda: pinpoint.create_segment(ApplicationId=app_id, WriteSegmentRequest={"Name": "x"}),
        lambda: pinpoint.get_campaign(ApplicationId=app_id, CampaignId=campaign["Id"]),
        lambda: pinpoint.get_campaigns(ApplicationId=app_id),
        lambda: pinpoint.list_journeys(ApplicationId=app_id),
        lambda: pinpoint.create_journey(ApplicationId=app_id, WriteJourneyRequest=_journey(segment_id)),
        lambda: pinpoint.get_recommender_configurations(),
    ]
    for call in retired:
        with pytest.raises(pinpoint.exceptions.ForbiddenException) as err:
            call()
        assert "end of support" in err.value.response["Error"]["Message"]
    # Templates serve SMS, voice and push, which live on in AWS End User Messaging.
    assert (
        pinpoint.get_sms_template(TemplateName="otp")["SMSTemplateResponse"]["Body"] == "{{Attributes.Code}}"
    )
    assert len(pinpoint.list_templates()["TemplatesResponse"]["Item"]) == 1
