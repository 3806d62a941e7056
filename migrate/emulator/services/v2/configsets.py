"""v2 configuration sets: event destinations, defaults (sender ID, message type, feedback) and the
protect configuration a set is associated with.

A set is stored in the `configuration_sets` table in its ConfigurationSetInformation shape, event
destinations inside. Records are copied before they change: the store snapshots a row when it is `put`,
so changing the stored dict in place first would leave nothing to roll back to.
"""

from __future__ import annotations

import copy
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, conflict, not_found, validation
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2.access import check_destination
from migrate.emulator.services.v2.model import (
    SERVICE,
    configuration_set,
    drop_tags,
    protect_configuration,
    public,
    remember,
    replay,
    set_tags,
)

DESTINATION_KINDS = ("CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination")
# DeleteConfigurationSet answers with the set, but its result shape has no ProtectConfigurationId.
_DELETE_RESULT = (
    "ConfigurationSetArn",
    "ConfigurationSetName",
    "EventDestinations",
    "DefaultMessageType",
    "DefaultSenderId",
    "DefaultMessageFeedbackEnabled",
    "CreatedTimestamp",
)

_FILTERS: dict[str, Any] = {
    "event-destination-name": lambda r: [d["EventDestinationName"] for d in r["EventDestinations"]],
    "matching-event-types": lambda r: [t for d in r["EventDestinations"] for t in d["MatchingEventTypes"]],
    "default-message-type": lambda r: r.get("DefaultMessageType", ""),
    "default-sender-id": lambda r: r.get("DefaultSenderId", ""),
    "default-message-feedback-enabled": lambda r: r.get("DefaultMessageFeedbackEnabled", False),
    "protect-configuration-id": lambda r: r.get("ProtectConfigurationId", ""),
}


def _editable(ctx: Context, name_or_arn: str) -> dict[str, Any]:
    return copy.deepcopy(configuration_set(ctx, name_or_arn))


def _save(ctx: Context, record: dict[str, Any]) -> None:
    ctx.table("configuration_sets").put(record["ConfigurationSetName"], record)


def _head(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "ConfigurationSetArn": record["ConfigurationSetArn"],
        "ConfigurationSetName": record["ConfigurationSetName"],
    }


def _destination_kind(params: dict[str, Any], *, required: bool) -> str | None:
    """The one destination an event destination sends to; AWS refuses none (on create) or several."""
    given = [k for k in DESTINATION_KINDS if params.get(k)]
    if len(given) > 1:
        raise validation(
            "An event destination sends to exactly one of CloudWatch Logs, Kinesis Data Firehose or SNS.",
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            [{"Name": k, "Message": "only one destination may be given"} for k in given],
        )
    if required and not given:
        raise validation(
            "An event destination needs one of CloudWatchLogsDestination, KinesisFirehoseDestination or "
            "SnsDestination.",
            "MISSING_PARAMETER",
            [{"Name": k, "Message": "one of these is required"} for k in DESTINATION_KINDS],
        )
    return given[0] if given else None


def _event_types(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))  # AWS keeps one of each, in the order given


def _find_destination(record: dict[str, Any], name: str) -> dict[str, Any]:
    for dest in record["EventDestinations"]:
        if dest["EventDestinationName"] == name:
            return dict(dest)
    raise not_found("event-destination", name)


# -- configuration sets ---------------------------------------------------------------------------------
@operation(SERVICE, "CreateConfigurationSet")
def create_configuration_set(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    name = params["ConfigurationSetName"]
    table = ctx.table("configuration_sets")
    if name in table:
        raise conflict(
            "RESOURCE_ALREADY_EXISTS", f"Configuration set {name} already exists.", "configuration-set", name
        )
    ctx.check_resource_quota("CONFIGURATION_SETS", len(table))
    record = {
        "ConfigurationSetArn": ctx.arn(f"configuration-set/{name}"),
        "ConfigurationSetName": name,
        "EventDestinations": [],
        "CreatedTimestamp": ctx.now(),
    }
    table.put(name, record)
    set_tags(ctx, record["ConfigurationSetArn"], params.get("Tags"))
    result = {
        **_head(record),
        "Tags": params.get("Tags") or [],
        "CreatedTimestamp": record["CreatedTimestamp"],
    }
    return remember(ctx, params, result)


@operation(SERVICE, "DescribeConfigurationSets")
def describe_configuration_sets(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    names = params.get("ConfigurationSetNames")
    if names:
        records = [configuration_set(ctx, n) for n in names]
    else:
        records = ctx.table("configuration_sets").values()
    records = apply_filters(records, params.get("Filters"), _FILTERS)
    chunk, token = page([public(r) for r in records], params)
    return {"ConfigurationSets": chunk, "NextToken": token}


@operation(SERVICE, "DeleteConfigurationSet")
def delete_configuration_set(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = configuration_set(ctx, params["ConfigurationSetName"])
    ctx.table("configuration_sets").delete(record["ConfigurationSetName"])
    drop_tags(ctx, record["ConfigurationSetArn"])
    shown = public(record)
    return {k: shown[k] for k in _DELETE_RESULT if k in shown}


# -- event destinations ---------------------------------------------------------------------------------
@operation(SERVICE, "CreateEventDestination")
def create_event_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    record = _editable(ctx, params["ConfigurationSetName"])
    name = params["EventDestinationName"]
    kind = _destination_kind(params, required=True)
    check_destination(ctx, params)  # the role can be assumed, the stream and topic exist (access.py)
    if any(d["EventDestinationName"] == name for d in record["EventDestinations"]):
        raise conflict(
            "RESOURCE_ALREADY_EXISTS",
            f"Event destination {name} already exists in {record['ConfigurationSetName']}.",
            "event-destination",
            name,
        )
    limit = ctx.quotas.event_destinations_per_configuration_set
    if ctx.quotas.resource_enforced and len(record["EventDestinations"]) >= limit:
        raise ApiError(
            "ServiceQuotaExceededException",
            f"A configuration set can have at most {limit} event destinations.",
            Reason="EVENT_DESTINATIONS_PER_CONFIGURATION_SET",
        )
    assert kind is not None
    dest = {
        "EventDestinationName": name,
        "Enabled": True,
        "MatchingEventTypes": _event_types(params["MatchingEventTypes"]),
        kind: dict(params[kind]),
    }
    record["EventDestinations"].append(dest)
    _save(ctx, record)
    return remember(ctx, params, {**_head(record), "EventDestination": copy.deepcopy(dest)})


@operation(SERVICE, "UpdateEventDestination")
def update_event_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _editable(ctx, params["ConfigurationSetName"])
    dest = _find_destination(record, params["EventDestinationName"])
    kind = _destination_kind(params, required=False)
    check_destination(ctx, params)
    if params.get("Enabled") is not None:
        dest["Enabled"] = bool(params["Enabled"])
    if params.get("MatchingEventTypes"):
        dest["MatchingEventTypes"] = _event_types(params["MatchingEventTypes"])
    if kind is not None:
        for other in DESTINATION_KINDS:
            dest.pop(other, None)
        dest[kind] = dict(params[kind])
    record["EventDestinations"] = [
        dest if d["EventDestinationName"] == dest["EventDestinationName"] else d
        for d in record["EventDestinations"]
    ]
    _save(ctx, record)
    return {**_head(record), "EventDestination": copy.deepcopy(dest)}


@operation(SERVICE, "DeleteEventDestination")
def delete_event_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _editable(ctx, params["ConfigurationSetName"])
    dest = _find_destination(record, params["EventDestinationName"])
    record["EventDestinations"] = [
        d for d in record["EventDestinations"] if d["EventDestinationName"] != dest["EventDestinationName"]
    ]
    _save(ctx, record)
    return {**_head(record), "EventDestination": dest}


# -- defaults -------------------------------------------------------------------------------------------
@operation(SERVICE, "SetDefaultSenderId")
def set_default_sender_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    # AWS does not require the sender ID to be one the account owns: countries without registration
    # take any alphanumeric sender ID.
    record = _editable(ctx, params["ConfigurationSetName"])
    record["DefaultSenderId"] = params["SenderId"]
    _save(ctx, record)
    return {**_head(record), "SenderId": record["DefaultSenderId"]}


@operation(SERVICE, "DeleteDefaultSenderId")
def delete_default_sender_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _editable(ctx, params["ConfigurationSetName"])
    previous = record.pop("DefaultSenderId", None)
    _save(ctx, record)
    return {**_head(record), "SenderId": previous}


@operation(SERVICE, "SetDefaultMessageType")
def set_default_message_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _editable(ctx, params["ConfigurationSetName"])
    record["DefaultMessageType"] = params["MessageType"]
    _save(ctx, record)
    return {**_head(record), "MessageType": record["DefaultMessageType"]}


@operation(SERVICE, "DeleteDefaultMessageType")
def delete_default_message_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _editable(ctx, params["ConfigurationSetName"])
    previous = record.pop("DefaultMessageType", None)
    _save(ctx, record)
    return {**_head(record), "MessageType": previous}


@operation(SERVICE, "SetDefaultMessageFeedbackEnabled")
def set_default_message_feedback_enabled(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _editable(ctx, params["ConfigurationSetName"])
    record["DefaultMessageFeedbackEnabled"] = bool(params["MessageFeedbackEnabled"])
    _save(ctx, record)
    return {**_head(record), "MessageFeedbackEnabled": record["DefaultMessageFeedbackEnabled"]}


# -- protect configuration association ------------------------------------------------------------------
@operation(SERVICE, "AssociateProtectConfiguration")
def associate_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    protect = protect_configuration(ctx, params["ProtectConfigurationId"])
    record = _editable(ctx, params["ConfigurationSetName"])
    # A set has one protect configuration at a time: associating another replaces it, as AWS does.
    record["ProtectConfigurationId"] = protect["ProtectConfigurationId"]
    _save(ctx, record)
    return {
        **_head(record),
        "ProtectConfigurationArn": protect["ProtectConfigurationArn"],
        "ProtectConfigurationId": protect["ProtectConfigurationId"],
    }


@operation(SERVICE, "DisassociateProtectConfiguration")
def disassociate_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    protect = protect_configuration(ctx, params["ProtectConfigurationId"])
    record = _editable(ctx, params["ConfigurationSetName"])
    if record.get("ProtectConfigurationId") != protect["ProtectConfigurationId"]:
        raise conflict(
            "PROTECT_CONFIGURATION_NOT_ASSOCIATED_WITH_CONFIGURATION_SET",
            f"Protect configuration {protect['ProtectConfigurationId']} is not associated with "
            f"{record['ConfigurationSetName']}.",
            "protect-configuration",
            protect["ProtectConfigurationId"],
        )
    del record["ProtectConfigurationId"]
    _save(ctx, record)
    return {
        **_head(record),
        "ProtectConfigurationArn": protect["ProtectConfigurationArn"],
        "ProtectConfigurationId": protect["ProtectConfigurationId"],
    }
