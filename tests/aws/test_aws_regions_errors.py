from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)

from migrate.aws.errors import classify
from migrate.aws.regions import enabled_regions, select_regions, service_regions
from migrate.emulator import Emulator


def _client_error(
    code: str, message: str = "", status: int = 400, operation: str = "DescribePools"
) -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, operation)


def test_service_regions_come_from_botocore_data() -> None:
    regions = service_regions()
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= set(regions)
    assert "sa-east-1" in regions  # v2 only: Pinpoint never launched there
    assert "sa-east-1" not in service_regions(["pinpoint"])
    assert list(regions) == sorted(regions)


def test_requested_regions_are_deduplicated_and_checked() -> None:
    picked = select_regions(["us-west-2", "eu-west-1", "us-west-2", " "])
    assert (picked.regions, picked.source, picked.note) == (("eu-west-1", "us-west-2"), "requested", "")
    odd = select_regions(["xx-nowhere-1", "us-east-1"])
    assert odd.regions == ("us-east-1", "xx-nowhere-1") and "xx-nowhere-1" in odd.note


def test_discovery_falls_back_to_botocore_data_when_list_regions_is_refused(emu: Emulator) -> None:
    account = emu.session().client("account")
    emu.faults.fail("ListRegions", "AccessDeniedException", message="not allowed")
    picked = select_regions(None, account_client=account)
    assert picked.source == "botocore-only"
    assert picked.regions == service_regions()
    assert "could not list the account's enabled regions" in picked.note and "ListRegions" in picked.note


def test_the_emulated_account_lists_its_enabled_regions(emu: Emulator) -> None:
    """Regions launched before 2019-03-20 are on by default, opt-in ones only once enabled; no note, no
    "404 ... Not yet implemented" for an emulated scan to print."""
    account = emu.session().client("account")
    picked = select_regions(None, account_client=account)
    assert (picked.source, picked.note) == ("discovered", "")
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= set(picked.regions)
    assert "me-south-1" not in picked.regions and "af-south-1" not in picked.regions
    emu.world.meta["enabled_regions"] = ["me-south-1"]
    assert "me-south-1" in select_regions(None, account_client=account).regions


def test_discovery_intersects_with_enabled_regions(emu: Emulator) -> None:
    account = emu.session().client("account")
    pages = {
        None: {
            "Regions": [
                {"RegionName": "us-east-1", "RegionOptStatus": "ENABLED_BY_DEFAULT"},
                {"RegionName": "me-south-1", "RegionOptStatus": "ENABLED"},
            ],
            "NextToken": "p2",
        },
        "p2": {
            "Regions": [
                {"RegionName": "eu-west-1", "RegionOptStatus": "ENABLED_BY_DEFAULT"},
                {"RegionName": "ap-east-1", "RegionOptStatus": "ENABLED"},
                {"RegionName": "af-south-1", "RegionOptStatus": "DISABLED"},
            ]
        },
    }
    asked: list[dict[str, Any]] = []

    def answer(params: dict[str, Any], **_kwargs: Any) -> Any:  # the Account API as AWS answers it
        body = params["body"]
        if isinstance(body, bytes):
            body = json.loads(body or b"{}")
        asked.append(body)
        return AWSResponse("https://account.us-east-1.amazonaws.com/", 200, {}, None), pages[
            body.get("NextToken")
        ]

    account.meta.events.register("before-call.account.ListRegions", answer)
    assert enabled_regions(account) == ("ap-east-1", "eu-west-1", "me-south-1", "us-east-1")
    picked = select_regions(None, account_client=account)
    # ap-east-1 has neither service; af-south-1 is not enabled
    assert (picked.regions, picked.source) == (("eu-west-1", "me-south-1", "us-east-1"), "discovered")
    assert asked[0]["RegionOptStatusContains"] == ["ENABLED", "ENABLED_BY_DEFAULT"]


@pytest.mark.parametrize(
    ("code", "message", "status", "expected"),
    [
        ("AccessDeniedException", "User is not authorized", 403, "denied"),
        ("AccessDenied", "", 403, "denied"),
        ("UnauthorizedOperation", "", 403, "denied"),
        ("ForbiddenException", "Missing permission mobiletargeting:GetApps", 403, "denied"),
        (
            "ForbiddenException",
            "GetCampaigns is no longer available: Amazon Pinpoint reached end of support",
            403,
            "unavailable",
        ),
        (
            "UnrecognizedClientException",
            "The security token included in the request is invalid",
            400,
            "unavailable",
        ),
        ("NotImplemented", "", 501, "unavailable"),
        ("404", "Not yet implemented", 404, "unavailable"),
        ("ResourceNotFoundException", "", 404, "error"),
        ("InternalServerException", "", 500, "error"),
    ],
)
def test_client_errors(code: str, message: str, status: int, expected: str) -> None:
    verdict = classify(_client_error(code, message, status))
    assert verdict.status == expected
    assert verdict.code == code
    assert verdict.reason.startswith("retired API: ") == ("end of support" in message)
    assert code in verdict.reason and "DescribePools" in verdict.reason and "\n" not in verdict.reason


def test_other_exceptions() -> None:
    assert (
        classify(EndpointConnectionError(endpoint_url="https://x.eu-west-9.amazonaws.com")).status
        == "unavailable"
    )
    assert classify(NoCredentialsError()).status == "error"
    assert classify(ParamValidationError(report="bad")).status == "error"
    assert classify(ReadTimeoutError(endpoint_url="https://x")).reason.startswith("network timeout")
    boom = classify(ValueError("line one\n  line two"))
    assert (boom.status, boom.reason) == ("error", "ValueError: line one line two")


def test_real_errors_from_the_emulator(emu: Emulator) -> None:
    v2 = emu.session().client(
        "pinpoint-sms-voice-v2", config=Config(retries={"mode": "standard", "total_max_attempts": 2})
    )
    emu.faults.fail("DescribeOptOutLists", "AccessDeniedException", message="not allowed here")
    with pytest.raises(ClientError) as denied:
        v2.describe_opt_out_lists()
    assert classify(denied.value).status == "denied"
    emu.faults.fail("DescribeOptOutLists", "ThrottlingException", times=2)
    with pytest.raises(ClientError) as throttled:
        v2.describe_opt_out_lists()
    verdict = classify(throttled.value)
    assert verdict.status == "error" and verdict.reason.startswith("throttled after 2 attempt(s)")


@pytest.mark.parametrize("answer", [403, 404, 400])
def test_a_retired_pinpoint_api_is_judged_by_operation_and_date(answer: int) -> None:
    import datetime as dt

    after = dt.datetime(2026, 10, 30, tzinfo=dt.UTC)
    before = after - dt.timedelta(seconds=1)
    with Emulator(end_of_support=True, retired_answer=answer) as emu:
        pinpoint = emu.session().client("pinpoint")
        app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"]["Id"]
        with pytest.raises(ClientError) as retired:
            pinpoint.get_campaigns(ApplicationId=app_id)
        emu.faults.fail("GetApps", "ForbiddenException", message="User is not authorized")
        with pytest.raises(ClientError) as denied:
            pinpoint.get_apps()
    verdict = classify(retired.value, service="pinpoint", moment=after)
    assert verdict.status == "retired" and "GetCampaigns" in verdict.reason
    # the same refusal before the date means what its code means; GetApps lives on: denied after it too
    assert classify(retired.value, service="pinpoint", moment=before).status != "retired"
    assert classify(denied.value, service="pinpoint", moment=after).status == "denied"
    # an operation of the same name in another service is not Pinpoint's
    assert classify(retired.value, service="events", moment=after).status != "retired"
    # without service and date: the message naming the end of support still says it is gone for everybody
    assert classify(retired.value).status == "unavailable"
