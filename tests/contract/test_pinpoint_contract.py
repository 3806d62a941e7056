"""What pinpoint-migrate relies on Pinpoint to do with event streams, against the emulator and (with
PINPOINT_MIGRATE_LIVE_PROFILE) a real account, as test_v2_contract.py does for v2.

PutEventStream checks its destination when the setting is made: a stream or role that does not exist, or a
role Pinpoint cannot use, is BadRequestException "Destination stream validation failed" (terraform-provider-aws
issue #27096), whose text asks to "make sure the IAM Role is configured correctly", the message
terraform-provider-aws's aws_pinpoint_event_stream retries on for IAM propagation
(internal/service/pinpoint/event_stream.go, resourceEventStreamUpsert). Since 2026-10-30 event streams
are discontinued (terraform's deprecation message on the same resource): the call is refused whatever it
names. The emulator's half runs on a clock before that date, so both answers are checked.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from contract.conftest import LIVE_PROFILE, LIVE_REGION, RUN, TAG
from migrate.aws.retirement import END_OF_SUPPORT
from migrate.emulator import Emulator
from migrate.emulator.timing import EmulatedClock

REFUSED = "Destination stream validation failed"
BEFORE = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)


def _targets() -> list[Any]:
    live = os.environ.get(LIVE_PROFILE)
    return [
        "emulator",
        pytest.param("aws", marks=pytest.mark.skipif(not live, reason=f"live contract run: set {LIVE_PROFILE}")),
    ]


@pytest.fixture(scope="module", params=_targets())
def pinpoint_side(request: pytest.FixtureRequest) -> Iterator[tuple[boto3.Session, dt.datetime, Emulator | None]]:
    """(session, the target's date, the emulator or None)."""
    if request.param == "aws":
        session = boto3.Session(
            profile_name=os.environ[LIVE_PROFILE], region_name=os.environ.get(LIVE_REGION, "us-east-1")
        )
        yield session, dt.datetime.now(dt.UTC), None
        return
    emu = Emulator(account_id="210987654321", clock=EmulatedClock(BEFORE.timestamp()))
    emu.set_profile("default")  # IAM propagation takes time, as on AWS
    with emu:
        emu.quotas.request_enforced = False
        yield emu.session("us-east-1"), BEFORE, emu


@pytest.fixture
def app(pinpoint_side: tuple[boto3.Session, dt.datetime, Emulator | None]) -> Iterator[tuple[Any, str]]:
    session = pinpoint_side[0]
    pinpoint = session.client("pinpoint")
    created = pinpoint.create_app(CreateApplicationRequest={"Name": f"contract-{RUN}", "tags": {TAG: RUN}})
    app_id = created["ApplicationResponse"]["Id"]
    try:
        yield pinpoint, app_id
    finally:
        pinpoint.delete_app(ApplicationId=app_id)


def test_event_stream_destination_must_be_reachable(
    pinpoint_side: tuple[boto3.Session, dt.datetime, Emulator | None], app: tuple[Any, str]
) -> None:
    session, now, emu = pinpoint_side
    pinpoint, app_id = app
    account = session.client("sts").get_caller_identity()["Account"]
    region = session.region_name
    missing = {
        "DestinationStreamArn": f"arn:aws:kinesis:{region}:{account}:stream/contract-{RUN}-missing",
        "RoleArn": f"arn:aws:iam::{account}:role/contract-{RUN}-missing",
    }
    with pytest.raises(ClientError) as caught:
        pinpoint.put_event_stream(ApplicationId=app_id, WriteEventStream=missing)
    status = caught.value.response["ResponseMetadata"]["HTTPStatusCode"]
    assert 400 <= status < 500 and status != 429
    if now >= END_OF_SUPPORT:
        return  # retired: refused whatever it names (migrate/aws/retirement.py judges it by date)
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert caught.value.response["Error"]["Message"].startswith(REFUSED)
    if emu is None:
        return  # a live account before the deadline: streams cost money, the refusal above is the contract
    # A reachable destination is accepted once the role has propagated (the emulated clock moves on).
    from tests.event_targets import make_role, make_stream

    stream = make_stream("kinesis", f"contract-{RUN}", session=session)
    role = make_role(f"contract-{RUN}", [stream], session=session)
    good = {"DestinationStreamArn": stream, "RoleArn": role}
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.put_event_stream(ApplicationId=app_id, WriteEventStream=good)  # not propagated yet
    emu.clock.advance(120)  # type: ignore[attr-defined]  # terraform's propagation timeout
    assert pinpoint.put_event_stream(ApplicationId=app_id, WriteEventStream=good)["EventStream"]["RoleArn"] == role
