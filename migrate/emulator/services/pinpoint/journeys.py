"""Pinpoint journeys: activities, schedule, limits and the journey's state.

A journey is written whole (`WriteJourneyRequest` requires `Name`); create and update accept only the
states `DRAFT` and `ACTIVE` (publishing), and `UpdateJourneyState` pauses (only journeys with a segment
refresh interval), resumes or cancels one. A published journey's activities are frozen; a cancelled,
completed or closed journey cannot change at all. Journeys carry no tags in their write request
(`TagResource` tags them). Journeys are retired with Pinpoint's end of support (see `retired.py`).
"""

from __future__ import annotations

from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.engagement import listing, with_tags
from migrate.emulator.services.pinpoint.model import (
    SERVICE,
    app,
    app_table,
    drop_tags,
    iso_now,
    pinpoint_not_found,
)
from migrate.emulator.services.pinpoint.retired import check_retired
from migrate.emulator.services.pinpoint.segments import segment

KIND = "journeys"
_WRITABLE = (
    "Activities",
    "Limits",
    "LocalTime",
    "Name",
    "QuietTime",
    "RefreshFrequency",
    "Schedule",
    "StartActivity",
    "StartCondition",
    "WaitForQuietTime",
    "RefreshOnSegmentUpdate",
    "JourneyChannelSettings",
    "SendingSchedule",
    "OpenHours",
    "ClosedDays",
    "TimezoneEstimationMethods",
)
_WRITE_STATES = ("DRAFT", "ACTIVE")
_FINAL_STATES = ("CANCELLED", "COMPLETED", "CLOSED")
# Members of each activity type that name the next activity (MultiCondition's branches: below).
_NEXT_KEYS = ("NextActivity", "TrueActivity", "FalseActivity", "DefaultActivity")


def journey_arn(ctx: Context, application_id: str, journey_id: str) -> str:
    return ctx.arn(f"apps/{application_id}/journeys/{journey_id}")


def journey(ctx: Context, application_id: str, journey_id: str) -> dict[str, Any]:
    """A journey of an existing app, or NotFoundException."""
    app(ctx, application_id)
    found = app_table(ctx, KIND, application_id).get(journey_id)
    if found is None:
        raise pinpoint_not_found("Journey")
    return found


def _response(ctx: Context, record: dict[str, Any]) -> dict[str, Any]:
    # JourneyResponse has no Arn member: the ARN is kept internal, for tags.
    return with_tags(ctx, record, record["_Arn"])


def _targets(activity: dict[str, Any]) -> list[str]:
    """The activity ids one activity can lead to."""
    found: list[str] = []
    for body in activity.values():
        if not isinstance(body, dict):
            continue
        found += [body[k] for k in _NEXT_KEYS if body.get(k)]
        for branch in body.get("Branches") or []:
            if branch.get("NextActivity"):
                found.append(branch["NextActivity"])
    return found


def _check_definition(ctx: Context, application_id: str, record: dict[str, Any]) -> None:
    activities = record.get("Activities") or {}
    start = record.get("StartActivity")
    if start and start not in activities:
        raise bad_request(f"StartActivity {start} is not one of the journey's activities")
    for activity_id, activity in activities.items():
        for target in _targets(activity):
            if target not in activities:
                raise bad_request(f"Activity {activity_id} leads to {target}, which is not an activity")
    condition = record.get("StartCondition") or {}
    for segment_id in (
        (condition.get("SegmentStartCondition") or {}).get("SegmentId"),
        (condition.get("EventStartCondition") or {}).get("SegmentId"),
    ):
        if segment_id:
            segment(ctx, application_id, segment_id)
    schedule = record.get("Schedule") or {}
    if schedule.get("StartTime") and schedule.get("EndTime") and schedule["EndTime"] <= schedule["StartTime"]:
        raise bad_request("The journey's Schedule EndTime must be after its StartTime")


def _write_state(request: dict[str, Any]) -> str | None:
    state = request.get("State")
    if state is not None and state not in _WRITE_STATES:
        raise bad_request(
            f"State {state} is not supported when writing a journey: use DRAFT or ACTIVE, and "
            "UpdateJourneyState to pause, resume or cancel"
        )
    return state


@operation(SERVICE, "CreateJourney")
def create_journey(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    request = params["WriteJourneyRequest"]
    state = _write_state(request) or "DRAFT"
    journey_id = ctx.new_id()
    now = iso_now(ctx)
    record: dict[str, Any] = {
        "ApplicationId": application_id,
        "CreationDate": now,
        "Id": journey_id,
        "LastModifiedDate": now,
        "State": state,
        "_Arn": journey_arn(ctx, application_id, journey_id),
    }
    record.update({m: request[m] for m in _WRITABLE if request.get(m) is not None})
    _check_definition(ctx, application_id, record)
    app_table(ctx, KIND, application_id).put(journey_id, record)
    return {"JourneyResponse": _response(ctx, record)}


@operation(SERVICE, "GetJourney")
def get_journey(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    record = journey(ctx, params["ApplicationId"], params["JourneyId"])
    return {"JourneyResponse": _response(ctx, record)}


@operation(SERVICE, "ListJourneys")
def list_journeys(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    records = app_table(ctx, KIND, application_id).values()
    return {"JourneysResponse": listing(records, params, lambda r: _response(ctx, r))}


@operation(SERVICE, "UpdateJourney")
def update_journey(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    current = journey(ctx, application_id, params["JourneyId"])
    request = params["WriteJourneyRequest"]
    state = _write_state(request)
    if current["State"] in _FINAL_STATES:
        raise bad_request(f"Journey {current['Id']} is {current['State']} and can no longer be changed")
    # The request is the whole definition: members it leaves out are cleared, as a PUT does.
    record = {k: v for k, v in current.items() if k not in _WRITABLE}
    record.update({m: request[m] for m in _WRITABLE if request.get(m) is not None})
    if current["State"] != "DRAFT" and (
        record.get("Activities") != current.get("Activities")
        or record.get("StartActivity") != current.get("StartActivity")
    ):
        raise bad_request(
            f"Journey {current['Id']} is {current['State']}: its activities can't be added, changed or removed"
        )
    if state == "DRAFT" and current["State"] != "DRAFT":
        raise bad_request(f"Journey {current['Id']} is {current['State']} and can't go back to DRAFT")
    if state == "ACTIVE" and current["State"] == "DRAFT":
        record["State"] = "ACTIVE"  # publishing; a paused journey resumes only by UpdateJourneyState
    _check_definition(ctx, application_id, record)
    record["LastModifiedDate"] = iso_now(ctx)
    app_table(ctx, KIND, application_id).put(record["Id"], record)
    return {"JourneyResponse": _response(ctx, record)}


@operation(SERVICE, "UpdateJourneyState")
def update_journey_state(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    record = dict(journey(ctx, application_id, params["JourneyId"]))
    wanted = (params.get("JourneyStateRequest") or {}).get("State")
    current = record["State"]
    allowed = {
        "ACTIVE": ("PAUSED",),  # resume
        "PAUSED": ("ACTIVE",),
        "CANCELLED": ("DRAFT", "ACTIVE", "PAUSED"),
    }
    if wanted not in allowed:
        raise bad_request(
            f"State {wanted} can't be set here: the supported values are ACTIVE, PAUSED, CANCELLED"
        )
    if current not in allowed[wanted]:
        raise bad_request(f"Journey {record['Id']} is {current} and can't change to {wanted}")
    if wanted == "PAUSED" and not record.get("RefreshFrequency"):
        raise bad_request("Only journeys with a segment refresh interval (RefreshFrequency) can be paused")
    record["State"] = wanted
    record["LastModifiedDate"] = iso_now(ctx)
    app_table(ctx, KIND, application_id).put(record["Id"], record)
    return {"JourneyResponse": _response(ctx, record)}


@operation(SERVICE, "DeleteJourney")
def delete_journey(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    record = journey(ctx, application_id, params["JourneyId"])
    response = _response(ctx, record)
    app_table(ctx, KIND, application_id).delete(record["Id"])
    drop_tags(ctx, record["_Arn"])
    return {"JourneyResponse": response}
