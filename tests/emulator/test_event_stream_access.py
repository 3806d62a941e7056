"""PutEventStream refuses a destination Pinpoint could not write to, as AWS does: BadRequestException
"Destination stream validation failed ... make sure the IAM Role is configured correctly" (the message
terraform-provider-aws's aws_pinpoint_event_stream retries on: internal/service/pinpoint/event_stream.go),
including a role created moments ago (IAM propagation). After 2026-10-30 the operation is retired."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from migrate.emulator import Emulator
from migrate.emulator.timing import EmulatedClock, delay
from tests.event_targets import make_role, make_stream, trust

START = datetime(2026, 9, 1, tzinfo=UTC).timestamp()
REFUSED = "Destination stream validation failed"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(clock=EmulatedClock(START)) as emulator:
        emulator.quotas.request_enforced = False
        yield emulator


@pytest.fixture
def pinpoint(emu: Emulator) -> Any:
    return boto3.client("pinpoint", region_name="us-east-1")


@pytest.fixture
def app_id(pinpoint: Any) -> str:
    return str(pinpoint.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"]["Id"])


def _put(pinpoint: Any, app_id: str, stream: str, role: str) -> Any:
    return pinpoint.put_event_stream(
        ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": stream, "RoleArn": role}
    )


def _refused(pinpoint: Any, app_id: str, stream: str, role: str, why: str) -> None:
    with pytest.raises(pinpoint.exceptions.BadRequestException) as caught:
        _put(pinpoint, app_id, stream, role)
    message = caught.value.response["Error"]["Message"]
    assert message.startswith(REFUSED) and "make sure the IAM Role is configured correctly" in message
    assert why in message
    with pytest.raises(pinpoint.exceptions.NotFoundException):  # nothing was stored
        pinpoint.get_event_stream(ApplicationId=app_id)


@pytest.mark.parametrize("kind", ["kinesis", "firehose"])
def test_each_unreachable_destination_is_refused(pinpoint: Any, app_id: str, kind: str) -> None:
    stream = make_stream(kind, "events")
    other = make_stream(kind, "other")
    good = make_role("good", [stream])
    account = stream.split(":")[4]
    _refused(pinpoint, app_id, stream, f"arn:aws:iam::{account}:role/nobody", "does not exist")
    _refused(pinpoint, app_id, stream.replace("/events", "/gone"), good, "does not exist")
    _refused(pinpoint, app_id, stream, make_role("sms-only", [stream], service="sms-voice.amazonaws.com"),
             "does not trust pinpoint.amazonaws.com")  # fmt: skip
    _refused(pinpoint, app_id, stream, make_role("elsewhere", [other]), "is not allowed")
    _refused(pinpoint, app_id, stream, make_role("no-policy", []), "is not allowed")
    # an explicit Deny wins over an Allow (IAM policy evaluation logic)
    iam = boto3.client("iam", region_name="us-east-1")
    denied = make_role("denied", [stream])
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}
    iam.put_role_policy(RoleName="denied", PolicyName="deny", PolicyDocument=json.dumps(deny))
    _refused(pinpoint, app_id, stream, denied, "is not allowed")
    # a stream in another region is not this one
    _refused(pinpoint, app_id, make_stream(kind, "events", region="us-west-2"), good, "is not allowed")
    assert _put(pinpoint, app_id, stream, good)["EventStream"]["RoleArn"] == good


def test_wildcards_and_attached_policies_reach_the_stream(pinpoint: Any, app_id: str) -> None:
    stream = make_stream("kinesis", "events")
    iam = boto3.client("iam", region_name="us-east-1")
    role = iam.create_role(RoleName="managed", AssumeRolePolicyDocument=trust())["Role"]["Arn"]
    document = {"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "kinesis:Put*", "Resource": "arn:aws:kinesis:*"}]}  # fmt: skip
    policy = iam.create_policy(PolicyName="put-any", PolicyDocument=json.dumps(document))["Policy"]["Arn"]
    _refused(pinpoint, app_id, stream, role, "is not allowed")
    iam.attach_role_policy(RoleName="managed", PolicyArn=policy)
    assert _put(pinpoint, app_id, stream, role)["EventStream"]["DestinationStreamArn"] == stream


@pytest.mark.parametrize("profile", ["default", "realistic"])
def test_a_role_just_created_is_refused_until_it_propagated(
    emu: Emulator, pinpoint: Any, app_id: str, profile: str
) -> None:
    emu.set_profile(profile)
    stream = make_stream("firehose", "events")
    role = make_role("fresh", [stream])
    wait = delay(emu.world.meta, "iam_propagation", role)
    assert wait > 0
    _refused(pinpoint, app_id, stream, role, "cannot be assumed yet")
    emu.clock.advance(wait / 2)  # type: ignore[attr-defined]
    _refused(pinpoint, app_id, stream, role, "cannot be assumed yet")
    emu.clock.advance(wait / 2 + 0.001)  # type: ignore[attr-defined]
    assert _put(pinpoint, app_id, stream, role)["EventStream"]["RoleArn"] == role


def test_after_the_deadline_the_operation_is_retired(emu: Emulator, pinpoint: Any, app_id: str) -> None:
    stream = make_stream("kinesis", "events")
    role = make_role("good", [stream])
    emu.clock.advance(90 * 86_400)  # type: ignore[attr-defined]  # 2026-11-30
    with pytest.raises(pinpoint.exceptions.ForbiddenException):
        _put(pinpoint, app_id, stream, role)
