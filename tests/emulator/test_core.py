"""The emulator's core: the botocore hook, protocols, validation, quotas, faults, errors."""

from __future__ import annotations

import contextlib
import time

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from migrate.emulator import Emulator

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


def test_every_kind_of_client_is_served(emu: Emulator) -> None:
    # the default session, a new boto3 session, a bare botocore session, another region, the v1 alias
    boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1").create_opt_out_list(OptOutListName="a")
    boto3.Session(region_name="eu-west-1").client("pinpoint-sms-voice-v2").create_opt_out_list(
        OptOutListName="b"
    )
    raw = botocore.session.get_session().create_client("pinpoint-sms-voice-v2", region_name="us-east-1")
    names = [x["OptOutListName"] for x in raw.describe_opt_out_lists()["OptOutLists"]]
    assert names == ["Default", "a"]
    served = [(c.service, c.operation, c.region, c.account) for c in emu.calls]
    assert ("pinpoint-sms-voice-v2", "CreateOptOutList", "eu-west-1", "123456789012") in served
    assert all(c.served_by == "emulator" for c in emu.calls)


def test_moto_serves_the_rest_and_calls_are_recorded(emu: Emulator) -> None:
    s3 = emu.session("us-east-1").client("s3")
    s3.create_bucket(Bucket="exports-bucket")
    assert emu.calls[-1].service == "s3"
    assert emu.calls[-1].operation == "CreateBucket"
    assert emu.calls[-1].served_by == "moto"
    identity = emu.session().client("sts").get_caller_identity()
    assert identity["Account"] == "123456789012"


def test_regions_and_accounts_are_isolated(emu: Emulator) -> None:
    east = emu.session("us-east-1").client("pinpoint-sms-voice-v2")
    west = emu.session("us-west-2").client("pinpoint-sms-voice-v2")
    other = emu.session("us-east-1", account_id="210987654321").client("pinpoint-sms-voice-v2")
    east.create_opt_out_list(OptOutListName="only-east")
    assert [x["OptOutListName"] for x in west.describe_opt_out_lists()["OptOutLists"]] == ["Default"]
    assert [x["OptOutListName"] for x in other.describe_opt_out_lists()["OptOutLists"]] == ["Default"]
    arn = other.create_opt_out_list(OptOutListName="x")["OptOutListArn"]
    assert arn == "arn:aws:sms-voice:us-east-1:210987654321:opt-out-list/x"


def test_validation_beyond_botocore(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    with pytest.raises(ClientError) as err:
        sms.create_opt_out_list(OptOutListName="x" * 65)  # max length 64: botocore does not check it
    response = err.value.response
    assert response["Error"]["Code"] == "ValidationException"
    assert response["Reason"] == "FIELD_VALIDATION_FAILED"
    assert response["Fields"][0]["Name"] == "OptOutListName"
    with pytest.raises(sms.exceptions.ValidationException):
        sms.describe_opted_out_numbers(OptOutListName="Default", Filters=[{"Name": "nope", "Values": ["x"]}])


def test_modelled_conflict_carries_reason_and_resource(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    sms.create_opt_out_list(OptOutListName="dup")
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.create_opt_out_list(OptOutListName="dup")
    assert err.value.response["Reason"] == "RESOURCE_ALREADY_EXISTS"
    assert err.value.response["ResourceId"] == "dup"
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as missing:
        sms.describe_opted_out_numbers(OptOutListName="nope")
    assert missing.value.response["ResourceType"] == "opt-out-list"


def test_injected_throttling_is_retried_by_botocore(emu: Emulator) -> None:
    sms = boto3.client(
        "pinpoint-sms-voice-v2", region_name="us-east-1", config=Config(retries={"mode": "standard"})
    )
    emu.faults.fail("DescribeOptOutLists", "ThrottlingException", times=2)
    assert sms.describe_opt_out_lists()["OptOutLists"]
    attempts = [c.error for c in emu.calls if c.operation == "DescribeOptOutLists"]
    assert attempts == ["ThrottlingException", "ThrottlingException", None]


def test_injected_error_with_fields_and_500(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1", config=NO_RETRY)
    emu.faults.fail("CreateOptOutList", "AccessDeniedException", Reason="ACCOUNT_DISABLED")
    with pytest.raises(sms.exceptions.AccessDeniedException) as err:
        sms.create_opt_out_list(OptOutListName="x")
    assert err.value.response["Reason"] == "ACCOUNT_DISABLED"
    emu.faults.fail("CreateOptOutList", "InternalServerException")
    with pytest.raises(sms.exceptions.InternalServerException) as boom:
        sms.create_opt_out_list(OptOutListName="x")
    assert boom.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    # the failed calls left nothing behind; the next one succeeds
    sms.create_opt_out_list(OptOutListName="x")


def test_pinpoint_fault_is_spelled_the_pinpoint_way(emu: Emulator) -> None:
    pinpoint = boto3.client("pinpoint", region_name="us-east-1", config=NO_RETRY)
    emu.faults.fail("GetApps", "ThrottlingException")
    with pytest.raises(ClientError) as err:
        pinpoint.get_apps()
    assert err.value.response["Error"]["Code"] == "TooManyRequestsException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429


def test_seeded_chaos_is_repeatable(emu: Emulator) -> None:
    def run(seed: int) -> list[str | None]:
        emu.calls.clear()
        emu.faults.clear()
        emu.faults.chaos("DescribeOptOutLists", 0.5, seed=seed)
        sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1", config=NO_RETRY)
        for _ in range(20):
            with contextlib.suppress(ClientError):
                sms.describe_opt_out_lists()
        return [c.error for c in emu.calls]

    first, second = run(7), run(7)
    assert first == second
    assert {None, "ThrottlingException", "InternalServerException"} >= set(first)
    assert 3 <= sum(e is not None for e in first) <= 17


def test_latency_is_added(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    emu.faults.latency("DescribeOptOutLists", 0.2)
    start = time.monotonic()
    sms.describe_opt_out_lists()
    assert time.monotonic() - start >= 0.2


def test_request_quota_throttles_in_real_time() -> None:
    with Emulator() as emu:
        sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1", config=NO_RETRY)
        sms.describe_opt_out_lists()  # the 1 rps bucket's only token
        with pytest.raises(sms.exceptions.ThrottlingException):
            sms.describe_opt_out_lists()
        # PutOptedOutNumber has its own 10 rps bucket: a burst of ten passes, a longer burst is throttled
        sms_retrying = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
        emu.quotas.set_rps("CreateOptOutList", 100)
        sms_retrying.create_opt_out_list(OptOutListName="l")
        outcomes = []
        for i in range(40):
            try:
                sms.put_opted_out_number(OptOutListName="l", OptedOutNumber=f"+1206555{i:04d}")
                outcomes.append("ok")
            except sms.exceptions.ThrottlingException:
                outcomes.append("throttled")
        assert outcomes.count("ok") >= 10
        assert "throttled" in outcomes
        emu.quotas.request_enforced = False
        for _ in range(5):
            sms.describe_opt_out_lists()


def test_resource_quota_and_switch(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    emu.quotas.resource["OPT_OUT_LISTS"] = 2
    sms.create_opt_out_list(OptOutListName="one")
    sms.create_opt_out_list(OptOutListName="two")
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException) as err:
        sms.create_opt_out_list(OptOutListName="three")
    assert err.value.response["Reason"] == "OPT_OUT_LISTS_PER_ACCOUNT"
    emu.quotas.resource_enforced = False
    sms.create_opt_out_list(OptOutListName="three")


def test_client_token_makes_create_idempotent(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    first = sms.create_opt_out_list(OptOutListName="t", ClientToken="token-1")
    again = sms.create_opt_out_list(OptOutListName="t", ClientToken="token-1")
    assert first["OptOutListArn"] == again["OptOutListArn"]
    assert first["CreatedTimestamp"] == again["CreatedTimestamp"]


def test_unimplemented_operation_says_so(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """An operation of botocore's model the emulator has no handler for (every v2 operation has one today:
    one a newer botocore adds) is refused saying so, never answered with an empty success."""
    from migrate.emulator import registry

    name = "SendRcsMessage"
    registry.load_services()
    served = dict(registry._HANDLERS["pinpoint-sms-voice-v2"])
    served.pop(name)
    monkeypatch.setitem(registry._HANDLERS, "pinpoint-sms-voice-v2", served)
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1", config=NO_RETRY)
    with pytest.raises(ClientError) as err:
        sms.send_rcs_message(DestinationPhoneNumber="+12065550100", OriginationIdentity="rcs-x")
    assert "does not implement" in str(err.value), err.value.response


def test_paging_tokens_are_checked(emu: Emulator) -> None:
    sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.describe_opt_out_lists(NextToken="garbage")
    assert err.value.response["Reason"] == "INVALID_NEXT_TOKEN"
