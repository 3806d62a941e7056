"""Event streams after 2026-10-30: inferred streams wait for confirmation; every stream's tenant is told
its delivery events stopped, counted in days at the scan's date."""

from __future__ import annotations

import dataclasses

import pytest
from plan.factories import ACCOUNT, CLEAN_OVERRIDES, REGION, ROLE, World, app_id, clean_world

from migrate.inventory import records as r
from migrate.mapping.overrides import parse_overrides
from migrate.plan.commands import compute_plan

ACME = app_id("Acme Clinics")


def _plan(world: World, overrides: str = CLEAN_OVERRIDES) -> dict:
    inventory = world.build()
    plan = compute_plan(
        inventory, parse_overrides(overrides), inventory, inventory_sha256="0" * 64, offline=True
    )
    return plan.data


def _inferred(
    world: World,
    kind: str = "firehose",
    trusts: tuple[str, ...] = ("pinpoint.amazonaws.com", "sms-voice.amazonaws.com"),
) -> str:
    resource = "deliverystream/acme-events" if kind == "firehose" else "stream/acme-events"
    arn = world.arn(REGION, resource, kind)
    world.add(
        r.InferredEventStream(
            account=ACCOUNT, region=REGION, app_id=ACME, destination_arn=arn, destination_kind=kind,
            role_arn=ROLE + "events", role_trusts=trusts,
            evidence=("CloudTrail: PutEventStream at 2026-09-01T10:00:00Z by arn:aws:iam::1:user/ops",
                      f"IAM: role events trusts pinpoint.amazonaws.com and allows firehose:PutRecord on {arn}"),
        )
    )  # fmt: skip
    return arn


def _destinations(plan: dict) -> list[dict]:
    return [c for c in plan["changes"] if c["resource_type"] == "event_destination"]


def test_an_inferred_destination_is_blocked_until_confirmed() -> None:
    world = clean_world()
    arn = _inferred(world)
    plan = _plan(world)
    codes = {f["code"]: f for f in plan["findings"]}
    asked = codes["EVENT_DESTINATION_UNCONFIRMED"]
    assert arn in asked["message"] and "CloudTrail: PutEventStream" in asked["message"]
    assert f'event_destination = "{arn}"' in asked["remedy"]
    (change,) = _destinations(plan)
    assert change["action"] == "blocked" and asked["id"] in change["blocked_by"]
    assert not [s for s in plan["steps"] if s["kind"].endswith("event_destination")]
    stopped = codes["EVENTS_NOT_DELIVERED"]
    assert stopped["severity"] == "blocker" and stopped["how"] == "code-change"
    assert "inferred from CloudTrail and IAM" in stopped["message"]


def test_a_confirmed_destination_is_created_with_the_inferred_role() -> None:
    world = clean_world()
    arn = _inferred(world)
    overrides = CLEAN_OVERRIDES + f'event_destination = "{arn}"\n'
    plan = _plan(world, overrides)
    assert "EVENT_DESTINATION_UNCONFIRMED" not in {f["code"] for f in plan["findings"]}
    (change,) = _destinations(plan)
    assert change["action"] == "create"
    (step,) = [s for s in plan["steps"] if s["kind"] == "create_event_destination"]
    text = str(step["parameters"])
    assert arn in text and ROLE + "events" in text


def test_a_confirmed_role_that_does_not_trust_v2_is_still_reported() -> None:
    world = clean_world()
    arn = _inferred(world, trusts=("pinpoint.amazonaws.com",))
    plan = _plan(world, CLEAN_OVERRIDES + f'event_destination = "{arn}"\n')
    assert "EVENT_ROLE_TRUST_MISSING" in {f["code"] for f in plan["findings"]}


@pytest.mark.parametrize(
    "scanned_at, words",
    [
        ("2026-11-20T08:00:00Z", "since 2026-10-30 (21 days at 2026-11-20)"),
        ("2027-01-01T00:00:00Z", "since 2026-10-30 (63 days at 2027-01-01)"),
        ("2026-10-20T00:00:00Z", "stop on 2026-10-30 (in 10 days from 2026-10-20)"),
    ],
)
def test_events_stopped_counts_days_at_the_scan_date(scanned_at: str, words: str) -> None:
    world = clean_world()
    world.stream(ACME, "firehose", "acme", "events", ("pinpoint.amazonaws.com", "sms-voice.amazonaws.com"))
    world.inventory = dataclasses.replace(world.inventory, scanned_at=scanned_at)
    (finding,) = [f for f in _plan(world)["findings"] if f["code"] == "EVENTS_NOT_DELIVERED"]
    assert words in finding["message"]
    assert "SendTextMessage/SendVoiceMessage" in finding["message"]
    assert "pinpoint-acme-clinics" in finding["message"]


def test_no_stream_no_events_finding() -> None:
    codes = {f["code"] for f in _plan(clean_world())["findings"]}
    assert not codes & {"EVENTS_NOT_DELIVERED", "EVENT_DESTINATION_UNCONFIRMED"}
