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


def test_discovery_falls_back_to_botocore_data_when_list_regions_is_not_served(emu: Emulator) -> None:
    account = emu.session().client("account")
    picked = select_regions(None, account_client=account)
    assert picked.source == "botocore-only"
    assert picked.regions == service_regions()
    assert "could not list the account's enabled regions" in picked.note and "ListRegions" in picked.note


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


def test_retired_pinpoint_api_is_unavailable() -> None:
    with Emulator(end_of_support=True) as emu:
        pinpoint = emu.session().client("pinpoint")
        app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"]["Id"]
        with pytest.raises(ClientError) as retired:
            pinpoint.get_campaigns(ApplicationId=app_id)
    verdict = classify(retired.value)
    assert (verdict.status, verdict.code) == ("unavailable", "ForbiddenException")
