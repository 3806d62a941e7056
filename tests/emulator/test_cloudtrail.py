"""CloudTrail LookupEvents over the emulated services' writes (moto serves the rest of CloudTrail)."""

from __future__ import annotations

import datetime as dt
import json

import boto3
import pytest
from botocore.config import Config

from migrate.emulator import Emulator


def _send(emu: Emulator, key: str, principal: str, agent: str) -> None:
    emu.register_access_key(key, emu.account_id, principal)
    session = boto3.Session(aws_access_key_id=key, aws_secret_access_key="x", region_name="us-east-1")
    pinpoint = session.client("pinpoint", config=Config(user_agent=agent))
    app = pinpoint.create_app(CreateApplicationRequest={"Name": "x"})["ApplicationResponse"]["Id"]
    pinpoint.update_sms_channel(ApplicationId=app, SMSChannelRequest={"Enabled": True})
    pinpoint.send_messages(
        ApplicationId=app,
        MessageRequest={
            "Addresses": {"+12065550100": {"ChannelType": "SMS"}},
            "MessageConfiguration": {"SMSMessage": {"Body": "hi", "MessageType": "TRANSACTIONAL"}},
        },
    )


def test_writes_become_events_and_lookup_filters(emu: Emulator) -> None:
    _send(emu, "AKIANOTIFY0000000001", "arn:aws:iam::123456789012:user/notify", "aws-sdk-java/1.12")
    trail = boto3.client("cloudtrail", region_name="us-east-1")
    sends = trail.lookup_events(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "SendMessages"}]
    )
    assert [e["EventName"] for e in sends["Events"]] == ["SendMessages"]
    detail = json.loads(sends["Events"][0]["CloudTrailEvent"])
    assert detail["userIdentity"]["arn"] == "arn:aws:iam::123456789012:user/notify"
    assert detail["userAgent"].startswith("aws-sdk-java/1.12")
    assert detail["eventSource"] == "pinpoint.amazonaws.com"
    everything = trail.lookup_events()["Events"]
    assert [e["EventName"] for e in everything] == [
        "SendMessages",
        "UpdateSmsChannel",
        "CreateApp",
    ]  # newest first
    by_user = trail.lookup_events(LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "notify"}])
    assert len(by_user["Events"]) == 3
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    assert trail.lookup_events(StartTime=later)["Events"] == []
    # reads are not recorded, and moto still serves the rest of CloudTrail
    assert trail.describe_trails()["trailList"] == []


def test_lookup_errors_and_paging(emu: Emulator) -> None:
    _send(emu, "AKIANOTIFY0000000002", "arn:aws:iam::123456789012:user/other", "Boto3/1.34")
    trail = boto3.client("cloudtrail", region_name="us-east-1")
    first = trail.lookup_events(MaxResults=2)
    assert len(first["Events"]) == 2 and first["NextToken"]
    rest = trail.lookup_events(MaxResults=2, NextToken=first["NextToken"])
    assert len(rest["Events"]) == 1 and "NextToken" not in rest
    two = [
        {"AttributeKey": "EventName", "AttributeValue": "a"},
        {"AttributeKey": "Username", "AttributeValue": "b"},
    ]
    with pytest.raises(trail.exceptions.InvalidLookupAttributesException):
        trail.lookup_events(LookupAttributes=two)
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(trail.exceptions.InvalidTimeRangeException):
        trail.lookup_events(StartTime=now, EndTime=now - dt.timedelta(days=1))
