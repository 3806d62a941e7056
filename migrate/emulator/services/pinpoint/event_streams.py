"""Pinpoint event streams: one Kinesis data stream or Firehose delivery stream per app."""

from __future__ import annotations

import re
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.model import SERVICE, app, iso_now, pinpoint_not_found, public
from migrate.emulator.services.pinpoint.retired import check_retired

_STREAM_ARN = re.compile(
    r"^arn:aws[a-z-]*:(kinesis:[a-z0-9-]+:\d{12}:stream/[A-Za-z0-9_.-]{1,128}"
    r"|firehose:[a-z0-9-]+:\d{12}:deliverystream/[A-Za-z0-9_.-]{1,64})$"
)
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")


def event_stream(ctx: Context, application_id: str) -> dict[str, Any] | None:
    """The app's event stream as stored, or None."""
    found = ctx.table("event_streams").get(application_id)
    return dict(found) if found is not None else None


@operation(SERVICE, "PutEventStream")
def put_event_stream(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    request = params["WriteEventStream"]
    destination = str(request.get("DestinationStreamArn") or "")
    role = str(request.get("RoleArn") or "")
    if not _STREAM_ARN.match(destination):
        raise bad_request(
            "DestinationStreamArn must be the ARN of an Amazon Kinesis data stream or an Amazon Data "
            f"Firehose delivery stream, got {destination!r}."
        )
    if not _ROLE_ARN.match(role):
        raise bad_request(f"RoleArn must be the ARN of an IAM role, got {role!r}.")
    record = {
        "ApplicationId": application_id,
        "DestinationStreamArn": destination,
        "RoleArn": role,
        "LastModifiedDate": iso_now(ctx),
        "LastUpdatedBy": f"arn:{ctx.partition}:iam::{ctx.account}:root",
    }
    ctx.table("event_streams").put(application_id, record)
    return {"EventStream": public(record)}


@operation(SERVICE, "GetEventStream")
def get_event_stream(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    found = event_stream(ctx, params["ApplicationId"])
    if found is None:
        raise pinpoint_not_found()
    return {"EventStream": public(found)}


@operation(SERVICE, "DeleteEventStream")
def delete_event_stream(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    found = event_stream(ctx, params["ApplicationId"])
    if found is None:
        raise pinpoint_not_found()
    ctx.table("event_streams").delete(params["ApplicationId"])
    return {"EventStream": public(found)}
