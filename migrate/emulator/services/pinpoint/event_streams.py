"""Pinpoint event streams: one Kinesis data stream or Firehose delivery stream per app.

PutEventStream checks that Pinpoint can write to the stream when the setting is made: the role must
exist, have propagated, trust pinpoint.amazonaws.com and allow the put action on an existing stream
(Pinpoint developer guide, permissions-streams.html: trust policy for pinpoint.amazonaws.com, and
kinesis:PutRecords / firehose:PutRecordBatch on the stream). Otherwise AWS answers BadRequestException
"Destination stream validation failed" (terraform-provider-aws issue #27096) whose text asks to "make sure
the IAM Role is configured correctly": the message terraform-provider-aws's `aws_pinpoint_event_stream`
retries on for IAM eventual consistency (`internal/service/pinpoint/event_stream.go`,
resourceEventStreamUpsert, `RetryWhenIsAErrorMessageContains[..., *awstypes.BadRequestException]` for
`propagationTimeout`). A role created moments ago is refused the same way until it propagated
(`moto_view.propagated`). After Pinpoint's end of support the operation is retired (`retired.py`).
"""

from __future__ import annotations

import re
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services import moto_view
from migrate.emulator.services.pinpoint.model import SERVICE, app, iso_now, pinpoint_not_found, public
from migrate.emulator.services.pinpoint.retired import check_retired

_STREAM_ARN = re.compile(
    r"^arn:aws[a-z-]*:(kinesis:[a-z0-9-]+:\d{12}:stream/[A-Za-z0-9_.-]{1,128}"
    r"|firehose:[a-z0-9-]+:\d{12}:deliverystream/[A-Za-z0-9_.-]{1,64})$"
)
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_PUT_ACTION = {"kinesis": "kinesis:PutRecords", "firehose": "firehose:PutRecordBatch"}
_PINPOINT_PRINCIPAL = "pinpoint.amazonaws.com"


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
    _check_reachable(ctx, destination, role)
    record = {
        "ApplicationId": application_id,
        "DestinationStreamArn": destination,
        "RoleArn": role,
        "LastModifiedDate": iso_now(ctx),
        "LastUpdatedBy": f"arn:{ctx.partition}:iam::{ctx.account}:root",
    }
    ctx.table("event_streams").put(application_id, record)
    return {"EventStream": public(record)}


def _check_reachable(ctx: Context, destination: str, role_arn: str) -> None:
    """Refuse a stream Pinpoint could not write to, naming why (AWS's answer is the same for every why)."""
    found = moto_view.role(role_arn)
    if found is None:
        why = f"role {role_arn} does not exist"
    elif not moto_view.propagated(ctx, role_arn):
        why = f"role {role_arn} cannot be assumed yet"
    elif not moto_view.trusts(found, _PINPOINT_PRINCIPAL):
        why = f"role {role_arn} does not trust {_PINPOINT_PRINCIPAL}"
    elif not moto_view.stream_exists(destination):
        why = f"stream {destination} does not exist"
    elif not moto_view.allows(found, _PUT_ACTION[destination.split(":")[2]], destination):
        why = f"role {role_arn} is not allowed {_PUT_ACTION[destination.split(':')[2]]} on {destination}"
    else:
        return
    raise bad_request(
        f"Destination stream validation failed. Please make sure the IAM Role is configured correctly ({why})."
    )


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
