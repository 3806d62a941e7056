"""Asynchronous v2 states follow the world's timing profile and the emulator's clock (timing.py, lifecycle.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from migrate.emulator import Emulator
from migrate.emulator.services.v2.provision import provision_phone_number
from migrate.emulator.timing import EmulatedClock, delay


@pytest.fixture
def world() -> Iterator[tuple[Emulator, EmulatedClock, Any]]:
    clock = EmulatedClock(1_800_000_000.0)
    with Emulator(clock=clock) as emu:
        emu.quotas.request_enforced = False
        emu.set_profile("realistic")
        yield emu, clock, emu.session().client("pinpoint-sms-voice-v2")


def _number(emu: Emulator, phone: str = "+12065550100") -> dict[str, Any]:
    return provision_phone_number(
        emu,
        region="us-east-1",
        phone_number=phone,
        number_type="TOLL_FREE",
        message_type="TRANSACTIONAL",
        capabilities=["SMS"],
        iso_country_code="US",
    )


def _pool_status(sms: Any, pool_id: str) -> str:
    return str(sms.describe_pools(PoolIds=[pool_id])["Pools"][0]["Status"])


def test_pool_is_creating_then_active(world: tuple[Emulator, EmulatedClock, Any]) -> None:
    emu, clock, sms = world
    number = _number(emu)
    created = sms.create_pool(OriginationIdentity=number["PhoneNumberArn"], MessageType="TRANSACTIONAL")
    assert created["Status"] == "CREATING"
    pool_id = created["PoolId"]
    # Nothing can be done with a pool that is not ACTIVE yet.
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.update_pool(PoolId=pool_id, DeletionProtectionEnabled=True)
    assert err.value.response["Reason"] == "RESOURCE_NOT_ACTIVE"
    clock.advance(delay(emu.world.meta, "pool_active", pool_id) - 0.5)
    assert _pool_status(sms, pool_id) == "CREATING"
    clock.advance(1.0)
    assert _pool_status(sms, pool_id) == "ACTIVE"


def test_pool_delete_frees_members_only_when_gone(world: tuple[Emulator, EmulatedClock, Any]) -> None:
    emu, clock, sms = world
    number = _number(emu)
    pool_id = sms.create_pool(OriginationIdentity=number["PhoneNumberArn"], MessageType="TRANSACTIONAL")[
        "PoolId"
    ]
    clock.advance(60)
    assert sms.delete_pool(PoolId=pool_id)["Status"] == "DELETING"
    assert _pool_status(sms, pool_id) == "DELETING"
    # terraform retries ReleasePhoneNumber on this reason while the pool is being deleted (phone_number.go).
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.release_phone_number(PhoneNumberId=number["PhoneNumberId"])
    assert err.value.response["Reason"] == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    with pytest.raises(sms.exceptions.ConflictException):
        sms.delete_pool(PoolId=pool_id)
    clock.advance(delay(emu.world.meta, "pool_deleted", pool_id) + 0.01)
    assert sms.describe_pools()["Pools"] == []
    assert (
        "PoolId"
        not in sms.describe_phone_numbers(PhoneNumberIds=[number["PhoneNumberId"]])["PhoneNumbers"][0]
    )
    assert sms.release_phone_number(PhoneNumberId=number["PhoneNumberId"])["Status"] == "DELETED"


def test_requested_number_pending_associating_active(world: tuple[Emulator, EmulatedClock, Any]) -> None:
    emu, clock, sms = world
    founder = _number(emu)
    pool_id = sms.create_pool(OriginationIdentity=founder["PhoneNumberArn"], MessageType="TRANSACTIONAL")[
        "PoolId"
    ]
    clock.advance(60)
    alone = sms.request_phone_number(
        IsoCountryCode="GB", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"], NumberType="LONG_CODE"
    )
    pooled = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="SIMULATOR",
        PoolId=pool_id,
    )
    assert alone["Status"] == pooled["Status"] == "PENDING"
    seen: dict[str, list[str]] = {alone["PhoneNumberId"]: [], pooled["PhoneNumberId"]: []}
    for _ in range(400):
        for row in sms.describe_phone_numbers(PhoneNumberIds=list(seen))["PhoneNumbers"]:
            trail = seen[row["PhoneNumberId"]]
            if not trail or trail[-1] != row["Status"]:
                trail.append(row["Status"])
        clock.advance(1)
    assert seen[alone["PhoneNumberId"]] == ["PENDING", "ACTIVE"]
    assert seen[pooled["PhoneNumberId"]] == ["PENDING", "ASSOCIATING", "ACTIVE"]


def test_keyword_delete_shows_after_a_delay(world: tuple[Emulator, EmulatedClock, Any]) -> None:
    emu, clock, sms = world
    number = _number(emu)
    sms.put_keyword(OriginationIdentity=number["PhoneNumberId"], Keyword="JOIN", KeywordMessage="Welcome")
    sms.delete_keyword(OriginationIdentity=number["PhoneNumberId"], Keyword="JOIN")

    def words() -> set[str]:
        found = sms.describe_keywords(OriginationIdentity=number["PhoneNumberId"])["Keywords"]
        return {k["Keyword"] for k in found}

    assert "JOIN" in words()
    clock.advance(30)
    assert "JOIN" not in words()


def test_delays_are_seeded_and_instant_is_zero() -> None:
    meta = {"profile": "realistic", "seed": "a"}
    assert delay(meta, "pool_active", "pool-1") == delay(dict(meta), "pool_active", "pool-1")
    assert 3.0 <= delay(meta, "pool_active", "pool-1") <= 15.0
    assert delay({"profile": "instant"}, "pool_active", "pool-1") == 0
    assert 0 < delay({"profile": "default"}, "pool_active", "pool-1") < 1


def test_instant_profile_is_final_at_once(emu: Emulator) -> None:
    emu.set_profile("instant")
    sms = emu.session().client("pinpoint-sms-voice-v2")
    number = _number(emu)
    created = sms.create_pool(OriginationIdentity=number["PhoneNumberArn"], MessageType="TRANSACTIONAL")
    assert created["Status"] == "ACTIVE"
    sms.delete_pool(PoolId=created["PoolId"])
    assert sms.describe_pools()["Pools"] == []


def test_roles_streams_and_topics_must_exist_and_roles_propagate(world: tuple[Emulator, EmulatedClock, Any]) -> None:
    emu, clock, sms = world
    from emulator.reachable import make_reachable

    role = "arn:aws:iam::123456789012:role/events"
    stream = "arn:aws:firehose:us-east-1:123456789012:deliverystream/events"
    sms.create_configuration_set(ConfigurationSetName="cs")

    def destination() -> Any:
        return sms.create_event_destination(
            ConfigurationSetName="cs", EventDestinationName="d", MatchingEventTypes=["ALL"],
            KinesisFirehoseDestination={"IamRoleArn": role, "DeliveryStreamArn": stream},
        )  # fmt: skip

    with pytest.raises(sms.exceptions.ValidationException) as err:
        destination()  # no such role
    assert err.value.response["Reason"] == "RESOURCE_NOT_ACCESSIBLE"
    make_reachable(emu, role)
    with pytest.raises(sms.exceptions.ValidationException) as err:
        destination()  # the role exists but has not propagated (realistic: seconds)
    assert "Could not assume IAM role" in str(err.value)
    clock.advance(delay(emu.world.meta, "iam_propagation", role) + 0.01)
    with pytest.raises(sms.exceptions.ValidationException):
        destination()  # no such stream
    make_reachable(emu, stream)
    destination()

    number = _number(emu)
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.update_phone_number(
            PhoneNumberId=number["PhoneNumberId"], TwoWayEnabled=True,
            TwoWayChannelArn="arn:aws:sns:us-east-1:123456789012:missing",
        )  # fmt: skip
    assert err.value.response["Reason"] == "TWO_WAY_TOPIC_NOT_PRESENT"


def test_what_time_made_survives_a_refused_call(world: tuple[Emulator, EmulatedClock, Any]) -> None:
    """A waiter that sees a deleted pool as ResourceNotFoundException saw it gone for good: the settle that
    removed it is committed even though the call that ran it failed (it was rolled back with it before)."""
    emu, clock, sms = world
    number = _number(emu)
    pool_id = sms.create_pool(OriginationIdentity=number["PhoneNumberArn"], MessageType="TRANSACTIONAL")["PoolId"]
    clock.advance(delay(emu.world.meta, "pool_active", pool_id) + 1)
    sms.delete_pool(PoolId=pool_id)
    clock.advance(delay(emu.world.meta, "pool_deleted", pool_id) + 1)
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_pools(PoolIds=[pool_id])
    pools = emu.world.table(f"v2:{emu.account_id}:us-east-1:pools")
    numbers = emu.world.table(f"v2:{emu.account_id}:us-east-1:phone_numbers")
    assert pools.get(pool_id) is None
    assert not numbers.get(number["PhoneNumberId"]).get("PoolId")


def test_an_emulated_clock_resumes_where_a_killed_process_left_it(tmp_path: Any) -> None:
    """A process whose waits moved the emulated clock and that was killed (no save, only its log) is
    resumed at that time, not at the last save: scheduled states are never due again in the past."""
    path = tmp_path / "world.json"
    with Emulator(clock=EmulatedClock(1_800_000_000.0)) as first:
        first.use_emulated_clock(1_800_000_000.0)
        first.save(path)
    running = Emulator.load(path, persist=True)
    running.start()  # never stopped: as if killed (its log holds every committed call)
    try:
        running.quotas.request_enforced = False
        running.clock.sleep(500.0)  # type: ignore[attr-defined]
        running.session().client("pinpoint-sms-voice-v2").create_opt_out_list(OptOutListName="later")
        resumed = Emulator.load(path)
        assert resumed.clock() == 1_800_000_500.0
    finally:
        running.stop()
