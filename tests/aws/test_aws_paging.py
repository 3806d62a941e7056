from __future__ import annotations

from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from migrate.aws.paging import PagingError, api_name, enumerate_pages, iter_pages, python_name
from migrate.emulator import Emulator


def test_v2_uses_botocores_paginator(emu: Emulator) -> None:
    emu.quotas.resource_enforced = False
    v2 = emu.session().client("pinpoint-sms-voice-v2")
    for i in range(12):
        v2.create_opt_out_list(OptOutListName=f"tenant-{i:02d}")
    before = len(emu.calls)
    names = [
        o["OptOutListName"] for o in enumerate_pages(v2, "DescribeOptOutLists", "OptOutLists", MaxResults=5)
    ]
    assert sorted(names) == ["Default"] + [f"tenant-{i:02d}" for i in range(12)]
    assert [c.operation for c in emu.calls[before:]] == ["DescribeOptOutLists"] * 3


def test_pinpoint_token_loop_reads_inside_the_payload(emu: Emulator) -> None:
    pinpoint = emu.session().client("pinpoint")
    for i in range(7):
        pinpoint.create_app(CreateApplicationRequest={"Name": f"tenant-{i}"})
    before = len(emu.calls)
    apps = list(enumerate_pages(pinpoint, "GetApps", "Item", PageSize="3"))
    assert sorted(a["Name"] for a in apps) == [f"tenant-{i}" for i in range(7)]
    assert [c.operation for c in emu.calls[before:]] == ["GetApps"] * 3
    # the dotted form and the python method name are accepted too
    assert len(list(enumerate_pages(pinpoint, "get_apps", "ApplicationsResponse.Item", PageSize="3"))) == 7
    pages = list(iter_pages(pinpoint, "GetApps", PageSize="5"))
    assert [len(p["ApplicationsResponse"]["Item"]) for p in pages] == [5, 2]
    assert all("ResponseMetadata" not in p for p in pages)


def test_v1_token_loop_at_the_top_level(emu: Emulator) -> None:
    v1 = emu.session().client("pinpoint-sms-voice")
    for i in range(4):
        v1.create_configuration_set(ConfigurationSetName=f"set-{i}")
    names = list(enumerate_pages(v1, "ListConfigurationSets", "ConfigurationSets", PageSize="3"))
    assert sorted(names) == [f"set-{i}" for i in range(4)]


def test_a_missing_result_key_yields_nothing(emu: Emulator) -> None:
    v2 = emu.session().client("pinpoint-sms-voice-v2")
    assert list(enumerate_pages(v2, "DescribeOptOutLists", "NoSuchKey")) == []


def test_names_resolve_and_unknown_operations_fail(emu: Emulator) -> None:
    v2 = emu.session().client("pinpoint-sms-voice-v2")
    assert api_name(v2, "describe_pools") == "DescribePools"
    assert python_name(v2, "DescribePools") == "describe_pools"
    with pytest.raises(PagingError, match="no operation"):
        list(enumerate_pages(v2, "DescribeNothing", "X"))


def test_a_repeating_token_stops_with_an_error(emu: Emulator) -> None:
    pinpoint = emu.session().client("pinpoint")

    def same_page(**_kwargs: Any) -> Any:
        page = {
            "ApplicationsResponse": {"Item": [{"Id": "a", "Name": "a", "Arn": "arn"}], "NextToken": "again"}
        }
        return AWSResponse("https://pinpoint.us-east-1.amazonaws.com/", 200, {}, None), page

    pinpoint.meta.events.register("before-call.pinpoint.GetApps", same_page)
    with pytest.raises(PagingError, match="same pagination token twice"):
        list(enumerate_pages(pinpoint, "GetApps", "Item"))
