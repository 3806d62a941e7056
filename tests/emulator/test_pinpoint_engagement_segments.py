"""Pinpoint segments in the emulator: versions, paging, segment groups, imported segments, errors."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from migrate.emulator import Emulator
from migrate.emulator.context import Context
from migrate.emulator.services.pinpoint.segments import put_imported_segment

SMS_USERS = {"Demographic": {"Channel": {"DimensionType": "INCLUSIVE", "Values": ["SMS"]}}}



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


def test_segment_versions_round_trip(pinpoint: Any, app_id: str) -> None:
    created = pinpoint.create_segment(
        ApplicationId=app_id,
        WriteSegmentRequest={"Name": "sms-users", "Dimensions": SMS_USERS, "tags": {"team": "growth"}},
    )["SegmentResponse"]
    seg_id = created["Id"]
    assert created["SegmentType"] == "DIMENSIONAL" and created["Version"] == 1
    assert created["Arn"].endswith(f":apps/{app_id}/segments/{seg_id}")
    assert created["Arn"].startswith("arn:aws:mobiletargeting:us-east-1:123456789012:")
    assert created["tags"] == {"team": "growth"}

    updated = pinpoint.update_segment(
        ApplicationId=app_id,
        SegmentId=seg_id,
        WriteSegmentRequest={"Name": "sms-users-us", "tags": {"ignored": "on update"}},
    )["SegmentResponse"]
    assert updated["Version"] == 2 and updated["Name"] == "sms-users-us"
    assert updated["Dimensions"] == SMS_USERS  # members the request leaves out are kept
    assert updated["tags"] == {"team": "growth"}  # tags in update requests are ignored, as on AWS

    got = pinpoint.get_segment(ApplicationId=app_id, SegmentId=seg_id)["SegmentResponse"]
    assert got["Version"] == 2
    first = pinpoint.get_segment_version(ApplicationId=app_id, SegmentId=seg_id, Version="1")
    assert first["SegmentResponse"]["Name"] == "sms-users"
    versions = pinpoint.get_segment_versions(ApplicationId=app_id, SegmentId=seg_id, PageSize="1")
    page = versions["SegmentsResponse"]
    assert [v["Version"] for v in page["Item"]] == [1]
    rest = pinpoint.get_segment_versions(ApplicationId=app_id, SegmentId=seg_id, Token=page["NextToken"])
    assert [v["Version"] for v in rest["SegmentsResponse"]["Item"]] == [2]
    assert "NextToken" not in rest["SegmentsResponse"]

    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.get_segment_version(ApplicationId=app_id, SegmentId=seg_id, Version="3")
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.get_segment_version(ApplicationId=app_id, SegmentId=seg_id, Version="latest")

    deleted = pinpoint.delete_segment(ApplicationId=app_id, SegmentId=seg_id)["SegmentResponse"]
    assert deleted["Id"] == seg_id
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.get_segment(ApplicationId=app_id, SegmentId=seg_id)
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.get_segment_versions(ApplicationId=app_id, SegmentId=seg_id)
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.delete_segment(ApplicationId=app_id, SegmentId=seg_id)


def test_segments_page_and_stay_in_their_app(pinpoint: Any, app_id: str) -> None:
    for n in range(5):
        pinpoint.create_segment(ApplicationId=app_id, WriteSegmentRequest={"Name": f"s{n}"})
    other = pinpoint.create_app(CreateApplicationRequest={"Name": "tenant-b"})["ApplicationResponse"]["Id"]
    pinpoint.create_segment(ApplicationId=other, WriteSegmentRequest={"Name": "elsewhere"})
    names: list[str] = []
    token = None
    while True:
        kwargs: dict[str, str] = {"Token": token} if token else {}
        page = pinpoint.get_segments(ApplicationId=app_id, PageSize="2", **kwargs)["SegmentsResponse"]
        assert len(page["Item"]) <= 2
        names += [s["Name"] for s in page["Item"]]
        token = page.get("NextToken")
        if not token:
            break
    assert names == ["s0", "s1", "s2", "s3", "s4"]
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.get_segments(ApplicationId=app_id, PageSize="0")
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.get_segments(ApplicationId=app_id, Token="not-a-token")
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.get_segments(ApplicationId="0" * 32)


def test_segment_groups_must_name_segments_of_the_app(pinpoint: Any, app_id: str) -> None:
    base = pinpoint.create_segment(ApplicationId=app_id, WriteSegmentRequest={"Name": "base"})
    base_id = base["SegmentResponse"]["Id"]
    groups: dict[str, Any] = {
        "Include": "ALL",
        "Groups": [
            {
                "SourceSegments": [{"Id": base_id, "Version": 1}],
                "SourceType": "ANY",
                "Type": "ALL",
                "Dimensions": [SMS_USERS],
            }
        ],
    }
    grouped = pinpoint.create_segment(
        ApplicationId=app_id, WriteSegmentRequest={"Name": "grouped", "SegmentGroups": groups}
    )["SegmentResponse"]
    assert grouped["SegmentGroups"] == groups
    groups["Groups"][0]["SourceSegments"] = [{"Id": "f" * 32}]
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.create_segment(
            ApplicationId=app_id, WriteSegmentRequest={"Name": "bad", "SegmentGroups": groups}
        )
    groups["Groups"][0]["SourceSegments"] = [{"Id": base_id, "Version": 7}]
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.create_segment(
            ApplicationId=app_id, WriteSegmentRequest={"Name": "bad", "SegmentGroups": groups}
        )


def test_imported_segment_keeps_its_import_definition(emu: Emulator, pinpoint: Any, app_id: str) -> None:
    definition = {
        "ExternalId": "ext-1",
        "Format": "CSV",
        "RoleArn": "arn:aws:iam::123456789012:role/import",
        "S3Url": "s3://bucket/endpoints.csv",
        "Size": 3,
        "ChannelCounts": {"SMS": 3},
    }
    ctx = Context(
        emu.world, "pinpoint", "CreateImportJob", emu.account_id, "us-east-1", emu.quotas, emu.clock
    )
    with emu.world.lock:
        record = put_imported_segment(ctx, app_id, "imported", definition, {"source": "csv"})
        emu.world.commit()
    got = pinpoint.get_segment(ApplicationId=app_id, SegmentId=record["Id"])["SegmentResponse"]
    assert got["SegmentType"] == "IMPORT" and got["ImportDefinition"] == definition
    assert got["tags"] == {"source": "csv"}
