"""Pinpoint apps, application settings and tags in the emulator."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from migrate.emulator import Emulator


@pytest.fixture
def emu(emu_before_eos: Emulator) -> Emulator:
    """These APIs are retired after 2026-10-30: the tests run in a world whose clock is before it."""
    return emu_before_eos

@pytest.fixture
def pp(emu: Emulator) -> Any:
    return emu.session("us-east-1").client("pinpoint")


def _app(pp: Any, name: str = "tenant-a", **tags: str) -> dict[str, Any]:
    request: dict[str, Any] = {"Name": name}
    if tags:
        request["tags"] = tags
    return pp.create_app(CreateApplicationRequest=request)["ApplicationResponse"]


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return str(err.value.response["Error"]["Code"])


def test_create_get_delete_app(pp: Any) -> None:
    created = _app(pp, "tenant-a", team="blue")
    assert re.fullmatch(r"[0-9a-f]{32}", created["Id"])
    assert created["Arn"] == f"arn:aws:mobiletargeting:us-east-1:123456789012:apps/{created['Id']}"
    assert created["Name"] == "tenant-a"
    assert created["tags"] == {"team": "blue"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", created["CreationDate"])
    assert pp.get_app(ApplicationId=created["Id"])["ApplicationResponse"] == created
    deleted = pp.delete_app(ApplicationId=created["Id"])["ApplicationResponse"]
    assert deleted == created
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.get_app(ApplicationId=created["Id"])
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.delete_app(ApplicationId=created["Id"])


def test_create_app_status_is_201_and_names_may_repeat(pp: Any) -> None:
    out = pp.create_app(CreateApplicationRequest={"Name": "same"})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 201
    again = _app(pp, "same")
    assert again["Id"] != out["ApplicationResponse"]["Id"]


def test_apps_quota(emu: Emulator, pp: Any) -> None:
    emu.quotas.resource["PINPOINT_APPS"] = 2
    _app(pp, "a")
    _app(pp, "b")
    with pytest.raises(pp.exceptions.BadRequestException) as err:
        _app(pp, "c")
    assert "Maximum number of applications" in str(err.value)


def test_get_apps_pages_over_three_pages(pp: Any) -> None:
    ids = [_app(pp, f"tenant-{i}")["Id"] for i in range(5)]
    seen: list[str] = []
    pages = 0
    token = None
    while True:
        kwargs: dict[str, Any] = {"PageSize": "2"}
        if token:
            kwargs["Token"] = token
        out = pp.get_apps(**kwargs)["ApplicationsResponse"]
        pages += 1
        assert len(out["Item"]) <= 2
        seen += [a["Id"] for a in out["Item"]]
        token = out.get("NextToken")
        if not token:
            break
    assert pages == 3
    assert seen == ids
    everything = pp.get_apps()["ApplicationsResponse"]
    assert [a["Id"] for a in everything["Item"]] == ids
    assert "NextToken" not in everything


@pytest.mark.parametrize(
    "kwargs", [{"PageSize": "0"}, {"PageSize": "ten"}, {"PageSize": "1001"}, {"Token": "junk"}]
)
def test_get_apps_rejects_bad_paging(pp: Any, kwargs: dict[str, str]) -> None:
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.get_apps(**kwargs)


def test_new_app_settings_are_empty(pp: Any) -> None:
    app_id = _app(pp)["Id"]
    settings = pp.get_application_settings(ApplicationId=app_id)["ApplicationSettingsResource"]
    assert settings["ApplicationId"] == app_id
    assert settings["CampaignHook"] == {} and settings["Limits"] == {} and settings["QuietTime"] == {}
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.get_application_settings(ApplicationId="0" * 32)


def test_update_application_settings_merges(pp: Any) -> None:
    app_id = _app(pp)["Id"]
    first = {
        "QuietTime": {"Start": "22:00", "End": "07:00"},
        "CampaignHook": {
            "LambdaFunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f",
            "Mode": "FILTER",
        },
        "JourneyLimits": {"DailyCap": 3, "TotalCap": 10},
        "Limits": {"Daily": 2, "Total": 5},
        "CloudWatchMetricsEnabled": True,
    }
    pp.update_application_settings(ApplicationId=app_id, WriteApplicationSettingsRequest=first)
    out = pp.update_application_settings(
        ApplicationId=app_id,
        WriteApplicationSettingsRequest={"Limits": {"Daily": 9, "MessagesPerSecond": 50}},
    )["ApplicationSettingsResource"]
    assert out["Limits"] == {"Daily": 9, "MessagesPerSecond": 50}
    assert out["QuietTime"] == first["QuietTime"]
    assert out["CampaignHook"] == first["CampaignHook"]
    assert out["JourneyLimits"] == first["JourneyLimits"]
    assert pp.get_application_settings(ApplicationId=app_id)["ApplicationSettingsResource"] == out


@pytest.mark.parametrize(
    "request_",
    [
        {"QuietTime": {"Start": "25:00", "End": "07:00"}},
        {"QuietTime": {"Start": "22:00"}},
        {"CampaignHook": {"Mode": "DELIVERY"}},
        {"Limits": {"Daily": -1}},
    ],
)
def test_update_application_settings_validates(pp: Any, request_: dict[str, Any]) -> None:
    app_id = _app(pp)["Id"]
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.update_application_settings(ApplicationId=app_id, WriteApplicationSettingsRequest=request_)
    settings = pp.get_application_settings(ApplicationId=app_id)["ApplicationSettingsResource"]
    assert settings["QuietTime"] == {} and settings["Limits"] == {}


def test_tags_round_trip(pp: Any) -> None:
    app = _app(pp, "t", owner="ops")
    arn = app["Arn"]
    assert (
        pp.tag_resource(ResourceArn=arn, TagsModel={"tags": {"env": "prod", "owner": "dev"}})[
            "ResponseMetadata"
        ]["HTTPStatusCode"]
        == 204
    )
    assert pp.list_tags_for_resource(ResourceArn=arn)["TagsModel"]["tags"] == {"owner": "dev", "env": "prod"}
    pp.untag_resource(ResourceArn=arn, TagKeys=["owner", "absent"])
    assert pp.list_tags_for_resource(ResourceArn=arn)["TagsModel"]["tags"] == {"env": "prod"}
    assert pp.get_app(ApplicationId=app["Id"])["ApplicationResponse"]["tags"] == {"env": "prod"}
    pp.untag_resource(ResourceArn=arn, TagKeys=["env"])
    assert pp.list_tags_for_resource(ResourceArn=arn)["TagsModel"]["tags"] == {}


def test_tag_errors(pp: Any) -> None:
    arn = _app(pp)["Arn"]
    missing = arn[:-32] + "f" * 32
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.tag_resource(ResourceArn=missing, TagsModel={"tags": {"a": "b"}})
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.list_tags_for_resource(ResourceArn=arn.replace("us-east-1", "eu-west-1"))
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.list_tags_for_resource(ResourceArn="arn:aws:sms-voice:us-east-1:123456789012:pool/pool-1")
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.tag_resource(ResourceArn=arn, TagsModel={"tags": {"aws:reserved": "x"}})
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.tag_resource(ResourceArn=arn, TagsModel={"tags": {f"k{i}": "v" for i in range(51)}})
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.list_tags_for_resource(ResourceArn=arn + "/segments/" + "0" * 32)


def test_delete_app_drops_everything_under_it(emu: Emulator, pp: Any) -> None:
    app = _app(pp, "doomed", a="b")
    keep = _app(pp, "kept", c="d")
    app_id = app["Id"]
    pp.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
    pp.update_endpoint(
        ApplicationId=app_id,
        EndpointId="e1",
        EndpointRequest={"ChannelType": "SMS", "Address": "+12065550100"},
    )
    pp.update_application_settings(
        ApplicationId=app_id, WriteApplicationSettingsRequest={"Limits": {"Daily": 1}}
    )
    pp.delete_app(ApplicationId=app_id)
    leftovers = [n for n in emu.world.table_names() if app_id in n and emu.world.table(n).rows]
    assert leftovers == []
    assert pp.list_tags_for_resource(ResourceArn=keep["Arn"])["TagsModel"]["tags"] == {"c": "d"}
    again = _app(pp, "doomed")
    assert pp.get_apps()["ApplicationsResponse"]["Item"][-1]["Id"] == again["Id"]
