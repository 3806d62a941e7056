"""The contract suite: AWS behaviours pinpoint-migrate relies on, run against the emulator and, when
PINPOINT_MIGRATE_LIVE_PROFILE names an AWS profile, against that real account. Only the boto3 session
differs between the two; every test, call and assertion is the same code.

Live mode uses SIMULATOR phone numbers and DryRun sends only, tags everything it makes with
`pinpoint-migrate-contract=<run id>` and deletes it at the end of each test (README: "Contract suite").
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from migrate.apply.waiters import Waits, retrying, wait_for
from migrate.emulator import Emulator

LIVE_PROFILE = "PINPOINT_MIGRATE_LIVE_PROFILE"
LIVE_REGION = "PINPOINT_MIGRATE_LIVE_REGION"
TAG = "pinpoint-migrate-contract"
RUN = uuid.uuid4().hex[:12]


@dataclass
class Target:
    """Where the contract runs: a boto3 session factory, and what each test made (deleted afterwards)."""

    name: str
    region: str
    session: Callable[[str], boto3.Session]
    waits: Waits
    made: list[tuple[str, str]] = field(default_factory=list)

    def v2(self, region: str | None = None) -> Any:
        return self.session(region or self.region).client("pinpoint-sms-voice-v2")

    @property
    def tags(self) -> list[dict[str, str]]:
        return [{"Key": TAG, "Value": RUN}]

    # -- what the tests make, tagged, remembered for the cleanup ---------------------------------------
    def opt_out_list(self, name: str) -> str:
        full = f"contract-{RUN}-{name}"
        self.v2().create_opt_out_list(OptOutListName=full, Tags=self.tags)
        self.made.append(("opt-out-list", full))
        return full

    def simulator_number(self, opt_out_list: str | None = None) -> dict[str, Any]:
        extra = {"OptOutListName": opt_out_list} if opt_out_list else {}
        number = self.v2().request_phone_number(
            IsoCountryCode="US", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"],
            NumberType="SIMULATOR", Tags=self.tags, **extra,
        )  # fmt: skip
        self.made.append(("phone-number", number["PhoneNumberId"]))
        self.wait_number(number["PhoneNumberId"])
        return dict(number)

    def pool(self, founder_arn: str) -> dict[str, Any]:
        pool = self.v2().create_pool(
            OriginationIdentity=founder_arn, MessageType="TRANSACTIONAL", Tags=self.tags
        )
        self.made.append(("pool", pool["PoolId"]))
        return dict(pool)

    # -- waits (the product's own waiters) -------------------------------------------------------------
    def pool_status(self, pool_id: str) -> str | None:
        try:
            found = self.v2().describe_pools(PoolIds=[pool_id])["Pools"]
        except self.v2().exceptions.ResourceNotFoundException:
            return None
        return str(found[0]["Status"]) if found else None

    def wait_pool(self, pool_id: str) -> None:
        wait_for(
            self.waits, pool_id, lambda: self.pool_status(pool_id), target={"ACTIVE"}, pending={"CREATING"}
        )

    def wait_pool_gone(self, pool_id: str) -> None:
        wait_for(
            self.waits,
            pool_id,
            lambda: self.pool_status(pool_id),
            target={None},
            pending={"DELETING", "ACTIVE"},
        )

    def wait_number(self, number_id: str) -> None:
        def status() -> str | None:
            return str(
                self.v2().describe_phone_numbers(PhoneNumberIds=[number_id])["PhoneNumbers"][0]["Status"]
            )

        wait_for(self.waits, number_id, status, target={"ACTIVE"}, pending={"PENDING", "ASSOCIATING"})

    def cleanup(self) -> None:
        sms = self.v2()
        for kind, ident in reversed(self.made):
            try:
                if kind == "pool":
                    if self.pool_status(ident) == "CREATING":  # a test that ended before it was ACTIVE
                        self.wait_pool(ident)
                    if self.pool_status(ident) == "ACTIVE":
                        sms.delete_pool(PoolId=ident)
                    self.wait_pool_gone(ident)
                elif kind == "phone-number":
                    retrying(
                        self.waits, "ReleasePhoneNumber", lambda i=ident: sms.release_phone_number(PhoneNumberId=i),
                        conflicts={"PHONE_NUMBER_ASSOCIATED_TO_POOL"},
                    )  # fmt: skip
                elif kind == "opt-out-list":
                    sms.delete_opt_out_list(OptOutListName=ident)
            except sms.exceptions.ResourceNotFoundException:
                pass
        self.made.clear()


def _targets() -> list[Any]:
    live = os.environ.get(LIVE_PROFILE)
    return [
        "emulator",
        pytest.param(
            "aws",
            marks=pytest.mark.skipif(
                not live, reason=f"live contract run: set {LIVE_PROFILE} to an AWS profile"
            ),
        ),
    ]


@pytest.fixture(scope="module", params=_targets())
def target_base(request: pytest.FixtureRequest) -> Iterator[Target]:
    if request.param == "aws":
        profile = os.environ[LIVE_PROFILE]
        region = os.environ.get(LIVE_REGION, "us-east-1")
        sessions: dict[str, boto3.Session] = {}

        def live(region_name: str) -> boto3.Session:
            return sessions.setdefault(
                region_name, boto3.Session(profile_name=profile, region_name=region_name)
            )

        yield Target("aws", region, live, Waits())
        return
    emu = Emulator(account_id="210987654321")
    emu.set_profile("default")  # short, not zero: the contract must wait as it does on AWS
    with emu:
        emu.quotas.request_enforced = False
        yield Target("emulator", "us-east-1", emu.session, Waits(first_poll=0.05, longest_poll=0.5))


@pytest.fixture
def target(target_base: Target) -> Iterator[Target]:
    try:
        yield target_base
    finally:
        target_base.cleanup()


def reason(exc: Any) -> str:
    return str(exc.value.response.get("Reason", ""))
