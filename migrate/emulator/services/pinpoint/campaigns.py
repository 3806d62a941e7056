"""Pinpoint campaigns, their versions and activities.

A campaign targets one version of a segment of its app (the latest when `SegmentVersion` is left out).
`UpdateCampaign` applies the members the request carries (callers pause a campaign by sending only
`IsPaused`) and makes a new version. The emulator never sends campaign messages: a campaign stays
`SCHEDULED` (or `PAUSED`), except a one-off `IMMEDIATE` campaign, which AWS runs at once and marks
`COMPLETED`. Every read sees that status moved on by the world's clock (`status_at`, `as_of`): a weekly
campaign started months ago is between runs, a one-time campaign whose time passed is done, a campaign
whose segment was deleted is DELETED. The demo's clock is pinned to its date, so its scans (and the
committed report) do not change with the day they run. Activities are only those a world was seeded with
(table `campaign_activities:<app>`, records are ActivityResponse). Campaigns are retired with Pinpoint's end of support (see `retired.py`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.engagement import (
    drop_versions,
    listing,
    merge,
    save_version,
    version_of,
    versions_of,
    with_tags,
)
from migrate.emulator.services.pinpoint.model import (
    SERVICE,
    app,
    app_table,
    drop_tags,
    iso_now,
    pinpoint_not_found,
    set_tags,
)
from migrate.emulator.services.pinpoint.retired import check_retired
from migrate.emulator.services.pinpoint.segments import KIND as SEGMENTS
from migrate.emulator.services.pinpoint.segments import segment
from migrate.emulator.services.pinpoint.templates import template_version

KIND = "campaigns"
_WRITABLE = (
    "CustomDeliveryConfiguration",
    "Description",
    "HoldoutPercent",
    "Hook",
    "IsPaused",
    "Limits",
    "MessageConfiguration",
    "Name",
    "Schedule",
    "SegmentId",
    "SegmentVersion",
    "TemplateConfiguration",
    "TreatmentDescription",
    "TreatmentName",
    "Priority",
)
# TemplateConfiguration member -> template type
_TEMPLATE_SLOTS = {
    "EmailTemplate": "EMAIL",
    "PushTemplate": "PUSH",
    "SMSTemplate": "SMS",
    "VoiceTemplate": "VOICE",
    "InAppTemplate": "INAPP",
}


def campaign_arn(ctx: Context, application_id: str, campaign_id: str) -> str:
    return ctx.arn(f"apps/{application_id}/campaigns/{campaign_id}")


def campaign(ctx: Context, application_id: str, campaign_id: str) -> dict[str, Any]:
    """The current version of a campaign of an existing app, or NotFoundException."""
    app(ctx, application_id)
    found = app_table(ctx, KIND, application_id).get(campaign_id)
    if found is None:
        raise pinpoint_not_found("Campaign")
    return found


def _status(record: dict[str, Any]) -> str:
    if record.get("IsPaused"):
        return "PAUSED"
    schedule = record.get("Schedule") or {}
    if schedule.get("StartTime") == "IMMEDIATE" and schedule.get("Frequency", "ONCE") == "ONCE":
        return "COMPLETED"
    return "SCHEDULED"


def _seconds(value: Any) -> float | None:
    if not value or value == "IMMEDIATE":
        return None
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def status_at(record: dict[str, Any], now: float) -> str:
    """The campaign's status at `now`, as time moves it on.

    Pinpoint API reference, CampaignState.CampaignStatus (botocore's `pinpoint` model, enum CampaignStatus;
    docs.aws.amazon.com/pinpoint/latest/apireference/apps-application-id-campaigns-campaign-id.html):
    SCHEDULED (waiting for its start), EXECUTING, PENDING_NEXT_RUN (a recurring campaign between runs),
    COMPLETED (a one-time campaign that ran, or a recurring one past its EndTime; an A/B campaign only when
    every treatment is, and the emulator's treatments share the campaign's schedule), PAUSED, DELETED
    (set by the caller when the campaign's segment is gone). Schedule.StartTime "IMMEDIATE" starts at the
    campaign's last write. The emulator sends nothing, so a campaign whose run is due is seen between runs
    or done, never EXECUTING.
    """
    stored = _status(record)
    if stored != "SCHEDULED":
        return stored
    schedule = record.get("Schedule") or {}
    start, end = _seconds(schedule.get("StartTime")), _seconds(schedule.get("EndTime"))
    if schedule.get("StartTime") == "IMMEDIATE":
        start = _seconds(record.get("LastModifiedDate") or record.get("CreationDate"))
    if start is None or now < start:
        return "SCHEDULED"
    if schedule.get("Frequency", "ONCE") == "ONCE":
        return "COMPLETED"
    if end is not None and now >= end:
        return "COMPLETED"
    return "PENDING_NEXT_RUN"


def as_of(ctx: Context, record: dict[str, Any], now: float | None = None) -> dict[str, Any]:
    """A campaign as a read sees it now: its stored status moved on by the clock, DELETED when the
    segment it targets was deleted (CampaignState's documentation: "If you delete the segment that's
    associated with a campaign, the campaign fails and has a status of DELETED")."""
    segment_gone = (
        record.get("SegmentId")
        and app_table(ctx, SEGMENTS, record["ApplicationId"]).get(record["SegmentId"]) is None
    )
    status = "DELETED" if segment_gone else status_at(record, ctx.clock() if now is None else now)
    if record.get("State", {}).get("CampaignStatus") == status:
        return record
    seen = {**record, "State": {"CampaignStatus": status}, "DefaultState": {"CampaignStatus": status}}
    if record.get("AdditionalTreatments"):
        seen["AdditionalTreatments"] = [
            {**t, "State": {"CampaignStatus": status}} for t in record["AdditionalTreatments"]
        ]
    return seen


def _seen(ctx: Context, record: dict[str, Any], *, written: bool = False) -> dict[str, Any]:
    """The response form of a campaign's current version, as of the world's clock (a write's answer: as
    of the write, its LastModifiedDate, so a write reads the clock once, as it did before)."""
    now = _seconds(record.get("LastModifiedDate")) if written else None
    return with_tags(ctx, as_of(ctx, record, now))


def _check_templates(ctx: Context, configuration: dict[str, Any] | None) -> None:
    for slot, template_type in _TEMPLATE_SLOTS.items():
        ref = (configuration or {}).get(slot)
        if ref and ref.get("Name"):
            template_version(ctx, ref["Name"], template_type, ref.get("Version"))


def _treatments(ctx: Context, record: dict[str, Any], request: dict[str, Any], status: str) -> None:
    """Give each additional treatment its id and state; the treatments and holdout share 100%."""
    if request.get("AdditionalTreatments") is not None:
        treatments = []
        for index, write in enumerate(request["AdditionalTreatments"], start=1):
            _check_templates(ctx, write.get("TemplateConfiguration"))
            treatments.append({**write, "Id": str(index)})
        record["AdditionalTreatments"] = treatments
    shares = sum(int(t["SizePercent"]) for t in record.get("AdditionalTreatments") or [])
    holdout = int(record.get("HoldoutPercent") or 0)
    if shares + holdout > 100:
        raise bad_request("The treatments' SizePercent and the HoldoutPercent add up to more than 100")
    for treatment in record.get("AdditionalTreatments") or []:
        treatment["State"] = {"CampaignStatus": status}


def _validated(
    ctx: Context, application_id: str, record: dict[str, Any], request: dict[str, Any]
) -> dict[str, Any]:
    """Check a campaign after a write and fill what AWS derives: segment version, states, treatments."""
    if not record.get("SegmentId"):
        raise bad_request("SegmentId is required to create a campaign")
    target = segment(ctx, application_id, record["SegmentId"])
    latest = int(target["Version"])
    # No SegmentVersion asked for: the latest of a newly named segment, else the one already targeted.
    asked = request.get("SegmentVersion")
    if asked is None and (request.get("SegmentId") is not None or "SegmentVersion" not in record):
        record["SegmentVersion"] = latest
    if not 1 <= int(record["SegmentVersion"]) <= latest:
        raise bad_request(f"Segment {target['Id']} has no version {record['SegmentVersion']}")
    _check_templates(ctx, record.get("TemplateConfiguration"))
    status = _status(record)
    record["State"] = {"CampaignStatus": status}
    record["DefaultState"] = {"CampaignStatus": status}
    _treatments(ctx, record, request, status)
    return record


@operation(SERVICE, "CreateCampaign")
def create_campaign(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    request = params["WriteCampaignRequest"]
    campaign_id = ctx.new_id()
    now = iso_now(ctx)
    record: dict[str, Any] = {
        "ApplicationId": application_id,
        "Arn": campaign_arn(ctx, application_id, campaign_id),
        "CreationDate": now,
        "Id": campaign_id,
        "LastModifiedDate": now,
        "Version": 1,
    }
    record = _validated(ctx, application_id, merge(record, request, _WRITABLE), request)
    save_version(ctx, KIND, application_id, record)
    set_tags(ctx, record["Arn"], request.get("tags"))
    return {"CampaignResponse": _seen(ctx, record, written=True)}


@operation(SERVICE, "GetCampaign")
def get_campaign(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    record = campaign(ctx, params["ApplicationId"], params["CampaignId"])
    return {"CampaignResponse": _seen(ctx, record)}


@operation(SERVICE, "GetCampaigns")
def get_campaigns(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    records = app_table(ctx, KIND, application_id).values()
    return {"CampaignsResponse": listing(records, params, lambda r: _seen(ctx, r))}


@operation(SERVICE, "UpdateCampaign")
def update_campaign(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    current = campaign(ctx, application_id, params["CampaignId"])
    request = params["WriteCampaignRequest"]
    # Since May 2023 Pinpoint ignores `tags` in update requests (TagResource manages them).
    record = _validated(ctx, application_id, merge(current, request, _WRITABLE), request)
    record["Version"] = int(current["Version"]) + 1
    record["LastModifiedDate"] = iso_now(ctx)
    save_version(ctx, KIND, application_id, record)
    return {"CampaignResponse": _seen(ctx, record, written=True)}


@operation(SERVICE, "DeleteCampaign")
def delete_campaign(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    record = campaign(ctx, application_id, params["CampaignId"])
    response = _seen(ctx, record)
    app_table(ctx, KIND, application_id).delete(record["Id"])
    drop_versions(ctx, KIND, application_id, record["Id"])
    activities = app_table(ctx, "campaign_activities", application_id)
    for key, activity in activities.items():
        if activity.get("CampaignId") == record["Id"]:
            activities.delete(key)
    drop_tags(ctx, record["Arn"])
    return {"CampaignResponse": response}


@operation(SERVICE, "GetCampaignVersion")
def get_campaign_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    current = campaign(ctx, application_id, params["CampaignId"])
    record = version_of(ctx, KIND, application_id, current["Id"], params["Version"])
    return {"CampaignResponse": with_tags(ctx, record)}


@operation(SERVICE, "GetCampaignVersions")
def get_campaign_versions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    current = campaign(ctx, application_id, params["CampaignId"])
    records = versions_of(ctx, KIND, application_id, current["Id"])
    return {"CampaignsResponse": listing(records, params, lambda r: with_tags(ctx, r))}


@operation(SERVICE, "GetCampaignActivities")
def get_campaign_activities(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    current = campaign(ctx, application_id, params["CampaignId"])
    activities = [
        a
        for a in app_table(ctx, "campaign_activities", application_id).values()
        if a.get("CampaignId") == current["Id"]
    ]
    return {"ActivitiesResponse": listing(activities, params, dict)}
