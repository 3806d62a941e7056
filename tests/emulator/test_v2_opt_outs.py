"""v2 opt-out lists and opted-out numbers."""

from __future__ import annotations

import boto3
import pytest

from migrate.emulator import Emulator


def test_default_list_exists_and_cannot_be_deleted(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    lists = sms.describe_opt_out_lists()["OptOutLists"]
    assert [x["OptOutListName"] for x in lists] == ["Default"]
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.delete_opt_out_list(OptOutListName="Default")
    assert err.value.response["Reason"] == "RESOURCE_DELETION_NOT_ALLOWED"


def test_numbers_round_trip_filter_and_delete(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    arn = sms.create_opt_out_list(OptOutListName="tenant-a")["OptOutListArn"]
    put = sms.put_opted_out_number(OptOutListName=arn, OptedOutNumber="+12065550100")
    assert put["OptOutListName"] == "tenant-a" and put["EndUserOptedOut"] is False
    again = sms.put_opted_out_number(OptOutListName="tenant-a", OptedOutNumber="+12065550100")
    assert again["OptedOutTimestamp"] == put["OptedOutTimestamp"]  # already there: unchanged
    sms.put_opted_out_number(OptOutListName="tenant-a", OptedOutNumber="+12065550101")
    found = sms.describe_opted_out_numbers(OptOutListName="tenant-a", OptedOutNumbers=["+12065550101"])
    assert [n["OptedOutNumber"] for n in found["OptedOutNumbers"]] == ["+12065550101"]
    filtered = sms.describe_opted_out_numbers(
        OptOutListName="tenant-a", Filters=[{"Name": "end-user-opted-out", "Values": ["false"]}]
    )
    assert len(filtered["OptedOutNumbers"]) == 2
    deleted = sms.delete_opted_out_number(OptOutListName="tenant-a", OptedOutNumber="+12065550100")
    assert deleted["OptedOutNumber"] == "+12065550100"
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.delete_opted_out_number(OptOutListName="tenant-a", OptedOutNumber="+12065550100")
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_opted_out_numbers(OptOutListName="tenant-a", OptedOutNumbers=["+12065550199"])


def test_delete_list_removes_its_numbers(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    sms.create_opt_out_list(OptOutListName="gone")
    sms.put_opted_out_number(OptOutListName="gone", OptedOutNumber="+12065550100")
    assert sms.delete_opt_out_list(OptOutListName="gone")["OptOutListName"] == "gone"
    sms.create_opt_out_list(OptOutListName="gone")
    assert sms.describe_opted_out_numbers(OptOutListName="gone")["OptedOutNumbers"] == []
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.delete_opt_out_list(OptOutListName="never-was")


def test_arn_of_another_region_is_not_found(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    sms.create_opt_out_list(OptOutListName="x")
    west = boto3.client("pinpoint-sms-voice-v2", region_name="us-west-2")
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.describe_opted_out_numbers(
            OptOutListName="arn:aws:sms-voice:us-east-1:123456789012:opt-out-list/x"
        )
    with pytest.raises(west.exceptions.ValidationException) as err:
        west.describe_opted_out_numbers(OptOutListName="arn:aws:sms-voice:us-west-2:123456789012:pool/x")
    assert err.value.response["Reason"] == "INVALID_ARN"
