"""Event types and record shapes: Pinpoint event streams and v1 destinations → v2 event destinations.

The v2 `EventType` enum is read from botocore's `pinpoint-sms-voice-v2` model (static data shipped with
botocore, the same on every run), and every translation here is checked against it.
"""

from __future__ import annotations

from functools import cache

V2_SERVICE = "pinpoint-sms-voice-v2"

# A Pinpoint event stream carries every SMS event of the project: v2's TEXT_ALL is the same set.
PINPOINT_STREAM_EVENT_TYPES = ("TEXT_ALL",)

# v1 (pinpoint-sms-voice) voice events → v2 names.
V1_TO_V2 = {
    "INITIATED_CALL": "VOICE_INITIATED",
    "RINGING": "VOICE_RINGING",
    "ANSWERED": "VOICE_ANSWERED",
    "COMPLETED_CALL": "VOICE_COMPLETED",
    "BUSY": "VOICE_BUSY",
    "FAILED": "VOICE_FAILED",
    "NO_ANSWER": "VOICE_NO_ANSWER",
}

# What a consumer of Pinpoint SMS event records must change: Pinpoint's `event_type` (plus
# `attributes.record_status` for the final outcome) → v2's `eventType`.
PINPOINT_SMS_EVENTS = {
    "_SMS.BUFFERED": "TEXT_QUEUED",
    "_SMS.SUCCESS": "TEXT_SUCCESSFUL",
    "_SMS.FAILURE": "TEXT_<record_status>",
    "_SMS.OPTOUT": "(opt-outs are kept on the opt-out list; no event)",
    "_SMS.RECEIVED": "(two-way messages go to the number's two-way channel)",
}
PINPOINT_RECORD_STATUS = {
    "SUCCESSFUL": "TEXT_SUCCESSFUL",
    "DELIVERED": "TEXT_DELIVERED",
    "PENDING": "TEXT_PENDING",
    "INVALID": "TEXT_INVALID",
    "UNREACHABLE": "TEXT_UNREACHABLE",
    "UNKNOWN": "TEXT_UNKNOWN",
    "BLOCKED": "TEXT_BLOCKED",
    "CARRIER_UNREACHABLE": "TEXT_CARRIER_UNREACHABLE",
    "SPAM": "TEXT_SPAM",
    "INVALID_MESSAGE": "TEXT_INVALID_MESSAGE",
    "CARRIER_BLOCKED": "TEXT_CARRIER_BLOCKED",
    "TTL_EXPIRED": "TEXT_TTL_EXPIRED",
}
# Record fields: Pinpoint (snake_case, nested under `attributes`) → v2 (camelCase, top level).
PINPOINT_FIELDS = {
    "event_type": "eventType",
    "event_timestamp": "eventTimestamp",
    "attributes.message_id": "messageId",
    "attributes.destination_phone_number": "destinationPhoneNumber",
    "attributes.origination_phone_number": "originationPhoneNumber",
    "attributes.iso_country_code": "isoCountryCode",
    "attributes.message_type": "messageType",
    "attributes.record_status": "messageStatus",
    "attributes.number_of_message_parts": "totalMessageParts",
    "metrics.price_in_millicents_usd": "totalMessagePrice",
    "application.app_id": "(none: use the configuration set name, `configurationSetName`)",
}


class UnknownEventType(ValueError):
    """An event type with no v2 equivalent."""


@cache
def v2_event_types() -> frozenset[str]:
    """The `EventType` enum of the installed botocore's v2 model."""
    import botocore.session

    model = botocore.session.get_session().get_service_model(V2_SERVICE)
    return frozenset(model.shape_for("EventType").enum)


def to_v2(event_type: str) -> str:
    """A v1 event type (or a v2 one, kept as is) → the v2 name."""
    name = V1_TO_V2.get(event_type, event_type)
    if name not in v2_event_types():
        raise UnknownEventType(f"event type {event_type!r} has no v2 equivalent")
    return name


def translate(event_types: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """v1 event types → v2, de-duplicated and in a stable order; `ALL`-style types absorb their family."""
    names = {to_v2(t) for t in event_types}
    if "ALL" in names:
        return ("ALL",)
    for family in ("TEXT", "VOICE", "MEDIA"):
        if f"{family}_ALL" in names:
            names = {n for n in names if not n.startswith(family + "_")} | {f"{family}_ALL"}
    return tuple(sorted(names))


def stream_event_types() -> tuple[str, ...]:
    """What a tenant's Pinpoint event stream becomes (Pinpoint streams no voice events: v1 sets carry those)."""
    return tuple(to_v2(t) for t in PINPOINT_STREAM_EVENT_TYPES)
