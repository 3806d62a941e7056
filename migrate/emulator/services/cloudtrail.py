"""CloudTrail `LookupEvents` for the emulated services (moto serves CloudTrail but not LookupEvents).

Every successful write the emulator serves (Pinpoint, v1, v2) is kept as a management event, newest last,
at most `MAX_EVENTS` per account and region (CloudTrail keeps 90 days; the emulator keeps a window).
The scanner's `--cloudtrail-days` reads them to find who still calls the old send APIs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError
from migrate.emulator.registry import operation
from migrate.emulator.services.common import page

MAX_EVENTS = 5000
EVENT_SOURCES = {
    "pinpoint": "pinpoint.amazonaws.com",
    "pinpoint-sms-voice": "sms-voice.amazonaws.com",
    "pinpoint-sms-voice-v2": "sms-voice.amazonaws.com",
}
_LOOKUP_FIELDS = {
    "EventId": "EventId",
    "EventName": "EventName",
    "ReadOnly": "ReadOnly",
    "Username": "Username",
    "EventSource": "EventSource",
    "AccessKeyId": "AccessKeyId",
}


def _table(ctx: Context) -> Any:
    return ctx.table("events", service="cloudtrail")


# Request parameters kept for these operations only (the product reads PutEventStream's to infer a project's
# former event stream; no operation here carries a recipient's number). CloudTrail spells them in
# lowerCamelCase; AWS does not publish Pinpoint's exact shape, and the scanner does not rely on the case.
KEPT_PARAMETERS = frozenset({"PutEventStream", "DeleteEventStream"})


def _kept_body(operation_name: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """The body members of the operations in KEPT_PARAMETERS (the path's application-id is added apart)."""
    if params is None or operation_name not in KEPT_PARAMETERS:
        return {}
    return {k: v for k, v in _lower_camel(params).items() if k != "applicationId"}


def _lower_camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _lower_camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_camel(v) for v in value]
    return value


def record_event(
    ctx: Context,
    operation_name: str,
    request: Any,
    access_key: str,
    principal: str,
    params: dict[str, Any] | None = None,
) -> None:
    """Keep one management event for a write the emulator served (inside the call's transaction)."""
    table = _table(ctx)
    agent = request.headers.get("User-Agent", b"")
    if isinstance(agent, bytes):
        agent = agent.decode("utf-8", "replace")
    agent = product_agent(str(agent))
    number = ctx.world.next_counter()
    event_id = f"{number:08d}-0000-4000-8000-{ctx.account}"
    when = ctx.now()
    user = principal or f"arn:aws:iam::{ctx.account}:user/emulated-{access_key[-6:] or 'caller'}"
    table.put(
        f"{number:012d}",
        {
            "EventId": event_id,
            "EventName": operation_name,
            "EventSource": EVENT_SOURCES.get(ctx.service, "amazonaws.com"),
            "EventTime": when,
            "Username": user.rsplit("/", 1)[-1],
            "Arn": user,
            "AccessKeyId": access_key,
            "UserAgent": str(agent)[:512],
            "ReadOnly": "false",
            "RequestParameters": {
                **_request_parameters(ctx.service, request),
                **_kept_body(operation_name, params),
            },
        },
    )
    keys = table.keys()
    for stale in keys[: max(0, len(keys) - MAX_EVENTS)]:
        table.delete(stale)


_APP_PATH = re.compile(r"^/v1/apps/([^/]+)")


def _request_parameters(service: str, request: Any) -> dict[str, str]:
    """The part of `requestParameters` the product reads: a Pinpoint call's `application-id`, named as
    CloudTrail names the REST path parameter (the GetCampaigns example of
    https://docs.aws.amazon.com/pinpoint/latest/developerguide/understanding-pinpoint-entries.html)."""
    if service != "pinpoint":
        return {}
    found = _APP_PATH.match(urlsplit(str(getattr(request, "url", ""))).path)
    return {"application-id": unquote(found.group(1))} if found else {}


# botocore appends metadata (its version, the OS, feature flags in set order) to every user agent; the
# events keep the caller's own product tokens, so the same program gives the same event on any machine.
_BOTOCORE_TOKENS = ("md/", "m/", "os/", "lang/", "cfg/", "ua/", "Botocore/", "exec-env/", "api/")


def product_agent(agent: str) -> str:
    return " ".join(t for t in agent.split() if not t.startswith(_BOTOCORE_TOKENS))


def _iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@operation("cloudtrail", "LookupEvents")
def lookup_events(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    events = list(reversed(_table(ctx).values()))  # newest first, as CloudTrail answers
    attributes = params.get("LookupAttributes") or []
    if len(attributes) > 1:
        raise ApiError("InvalidLookupAttributesException", "Only one lookup attribute is allowed.")
    for attribute in attributes:
        key = _LOOKUP_FIELDS.get(attribute["AttributeKey"])
        if key is None:  # ResourceType / ResourceName: the emulator records no resources
            events = []
            continue
        events = [e for e in events if str(e.get(key, "")) == attribute["AttributeValue"]]
    start, end = params.get("StartTime"), params.get("EndTime")
    if start is not None and end is not None and start > end:
        raise ApiError("InvalidTimeRangeException", "StartTime is after EndTime.")
    if start is not None:
        events = [e for e in events if e["EventTime"] >= start]
    if end is not None:
        events = [e for e in events if e["EventTime"] <= end]
    chunk, token = page(events, params, default_size=50, v2=False)
    out = []
    for e in chunk:
        detail = {
            "eventVersion": "1.09",
            "userIdentity": {"type": "IAMUser", "arn": e["Arn"], "accessKeyId": e["AccessKeyId"]},
            "eventTime": _iso(e["EventTime"]),
            "eventSource": e["EventSource"],
            "eventName": e["EventName"],
            "awsRegion": ctx.region,
            "userAgent": e["UserAgent"],
            "eventID": e["EventId"],
            "readOnly": False,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": ctx.account,
            "requestParameters": e.get("RequestParameters") or None,
        }
        out.append(
            {
                "EventId": e["EventId"],
                "EventName": e["EventName"],
                "ReadOnly": e["ReadOnly"],
                "AccessKeyId": e["AccessKeyId"],
                "EventTime": e["EventTime"],
                "EventSource": e["EventSource"],
                "Username": e["Username"],
                "Resources": [],
                "CloudTrailEvent": json.dumps(detail, sort_keys=True),
            }
        )
    return {"Events": out, "NextToken": token}
