"""A campaign's status moves on with the world's clock, on every read (GetCampaign, GetCampaigns, the
responses of writes), as Pinpoint's CampaignState documents: SCHEDULED before its start, PENDING_NEXT_RUN
between runs of a recurring campaign, COMPLETED once a one-time campaign's time passed or a recurring one
passed its EndTime, PAUSED while paused, DELETED once its segment is gone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from migrate.emulator import Emulator
from migrate.emulator.timing import EmulatedClock

START = datetime(2026, 3, 1, tzinfo=UTC).timestamp()  # before Pinpoint's end of support
DAY = 86_400.0


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(account_id="123456789012", clock=EmulatedClock(START)) as emulator:
        emulator.quotas.request_enforced = False
        yield emulator


@pytest.fixture
def pinpoint(emu: Emulator) -> Any:
    return boto3.client("pinpoint", region_name="us-east-1")


@pytest.fixture
def app_id(pinpoint: Any) -> str:
    return str(pinpoint.create_app(CreateApplicationRequest={"Name": "tenant"})["ApplicationResponse"]["Id"])


def _iso(days: float) -> str:
    return datetime.fromtimestamp(START + days * DAY, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _create(pinpoint: Any, app_id: str, name: str, segment_id: str | None = None, **schedule: Any) -> str:
    if segment_id is None:
        segment_id = pinpoint.create_segment(ApplicationId=app_id, WriteSegmentRequest={"Name": name})[
            "SegmentResponse"
        ]["Id"]
    request = {
        "Name": name,
        "SegmentId": segment_id,
        "Schedule": {"Timezone": "UTC", **schedule},
        "MessageConfiguration": {"SMSMessage": {"Body": "hi", "MessageType": "TRANSACTIONAL"}},
        "AdditionalTreatments": [{"SizePercent": 20, "TreatmentName": "b"}],
    }
    created = pinpoint.create_campaign(ApplicationId=app_id, WriteCampaignRequest=request)
    return str(created["CampaignResponse"]["Id"])


def _states(pinpoint: Any, app_id: str) -> dict[str, str]:
    """Each campaign's status, read both ways; the two reads, and the treatments, must agree."""
    listed = pinpoint.get_campaigns(ApplicationId=app_id, PageSize="2")
    items = list(listed["CampaignsResponse"]["Item"])
    while listed["CampaignsResponse"].get("NextToken"):
        listed = pinpoint.get_campaigns(
            ApplicationId=app_id, PageSize="2", Token=listed["CampaignsResponse"]["NextToken"]
        )
        items += listed["CampaignsResponse"]["Item"]
    out = {}
    for item in items:
        one = pinpoint.get_campaign(ApplicationId=app_id, CampaignId=item["Id"])["CampaignResponse"]
        status = item["State"]["CampaignStatus"]
        assert one["State"] == item["State"] == item["DefaultState"]
        assert [t["State"]["CampaignStatus"] for t in item["AdditionalTreatments"]] == [status]
        out[item["Name"]] = status
    return out


FREQUENCIES = ("HOURLY", "DAILY", "WEEKLY", "MONTHLY", "EVENT")


def test_recurring_campaigns_started_months_ago_are_between_runs(
    emu: Emulator, pinpoint: Any, app_id: str
) -> None:
    for frequency in FREQUENCIES:
        _create(pinpoint, app_id, f"old-{frequency}", StartTime=_iso(-120), Frequency=frequency)
    assert set(_states(pinpoint, app_id).values()) == {"PENDING_NEXT_RUN"}
    # months later still between runs: a recurring campaign without an EndTime never ends by itself
    emu.clock.advance(400 * DAY)  # type: ignore[attr-defined]
    pinpoint_later = boto3.client("pinpoint", region_name="us-east-1")
    emu.end_of_support = False  # keep the engagement APIs served past 2026-10-30 for this read
    assert set(_states(pinpoint_later, app_id).values()) == {"PENDING_NEXT_RUN"}


def test_each_status_moves_with_time(emu: Emulator, pinpoint: Any, app_id: str) -> None:
    _create(pinpoint, app_id, "once-past", StartTime=_iso(-3), Frequency="ONCE")
    _create(pinpoint, app_id, "once-future", StartTime=_iso(2), Frequency="ONCE")
    _create(pinpoint, app_id, "weekly-future", StartTime=_iso(2), Frequency="WEEKLY", EndTime=_iso(30))
    _create(pinpoint, app_id, "weekly-ended", StartTime=_iso(-60), Frequency="WEEKLY", EndTime=_iso(-1))
    _create(pinpoint, app_id, "immediate-daily", StartTime="IMMEDIATE", Frequency="DAILY", EndTime=_iso(10))
    paused = _create(pinpoint, app_id, "paused", StartTime=_iso(-3), Frequency="ONCE")
    pinpoint.update_campaign(ApplicationId=app_id, CampaignId=paused, WriteCampaignRequest={"IsPaused": True})
    assert _states(pinpoint, app_id) == {
        "once-past": "COMPLETED",
        "once-future": "SCHEDULED",
        "weekly-future": "SCHEDULED",
        "weekly-ended": "COMPLETED",
        "immediate-daily": "PENDING_NEXT_RUN",
        "paused": "PAUSED",
    }
    emu.clock.advance(3 * DAY)  # type: ignore[attr-defined]
    assert _states(pinpoint, app_id) == {
        "once-past": "COMPLETED",
        "once-future": "COMPLETED",
        "weekly-future": "PENDING_NEXT_RUN",
        "weekly-ended": "COMPLETED",
        "immediate-daily": "PENDING_NEXT_RUN",
        "paused": "PAUSED",
    }
    emu.clock.advance(30 * DAY)  # type: ignore[attr-defined]
    states = _states(pinpoint, app_id)
    assert states["weekly-future"] == states["immediate-daily"] == "COMPLETED"
    # resumed after its time passed: done, as a one-time campaign whose time passed is
    pinpoint.update_campaign(ApplicationId=app_id, CampaignId=paused, WriteCampaignRequest={"IsPaused": False})
    assert _states(pinpoint, app_id)["paused"] == "COMPLETED"


def test_a_campaign_whose_segment_is_deleted_is_deleted(pinpoint: Any, app_id: str) -> None:
    segment_id = pinpoint.create_segment(ApplicationId=app_id, WriteSegmentRequest={"Name": "s"})[
        "SegmentResponse"
    ]["Id"]
    _create(pinpoint, app_id, "orphan", segment_id, StartTime=_iso(5), Frequency="WEEKLY")
    _create(pinpoint, app_id, "kept", StartTime=_iso(5), Frequency="WEEKLY")
    pinpoint.delete_segment(ApplicationId=app_id, SegmentId=segment_id)
    assert _states(pinpoint, app_id) == {"orphan": "DELETED", "kept": "SCHEDULED"}


def test_the_stored_world_is_not_rewritten_by_reads(emu: Emulator, pinpoint: Any, app_id: str) -> None:
    """The status is computed on read: reading changes nothing a saved world holds."""
    _create(pinpoint, app_id, "weekly", StartTime=_iso(-10), Frequency="WEEKLY")
    commits = emu.world.commits
    assert _states(pinpoint, app_id) == {"weekly": "PENDING_NEXT_RUN"}
    assert emu.world.commits == commits
