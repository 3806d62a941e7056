"""Amazon Pinpoint SMS and Voice v1 (`pinpoint-sms-voice`, also reachable as boto3's `sms-voice`).

All eight operations: configuration sets, their event destinations, and SendVoiceMessage. v1 is a
rest-json API with its own errors (BadRequestException, NotFoundException, AlreadyExistsException,
LimitExceededException) and no ARNs. A set is stored in the `configuration_sets` table (namespaced
"v1:") as {"Name", "EventDestinations": [EventDestination], "CreatedTimestamp"}; sent voice messages
are kept in `voice_messages` so tests and the demo can see what was sent.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import phonenumbers

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.common import page

SERVICE = "pinpoint-sms-voice"
V2 = "pinpoint-sms-voice-v2"

# "Each configuration set can contain between 0 and 10 event destinations" (v1 API reference).
EVENT_DESTINATIONS_PER_SET = 10
DESTINATION_KINDS = {
    "CloudWatchLogsDestination": ("IamRoleArn", "LogGroupArn"),
    "KinesisFirehoseDestination": ("DeliveryStreamArn", "IamRoleArn"),
    "SnsDestination": ("TopicArn",),
}
VOICE_CONTENT = ("CallInstructionsMessage", "PlainTextMessage", "SSMLMessage")
_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
# v1 does not publish a configuration-set quota; set `emu.quotas.resource[QUOTA]` to exercise the
# LimitExceededException path.
QUOTA = "V1_CONFIGURATION_SETS"


def _sets(ctx: Context) -> Any:
    return ctx.table("configuration_sets")


def _not_found(what: str) -> ApiError:
    return ApiError("NotFoundException", f"{what} does not exist.")


def _configuration_set(ctx: Context, name: str) -> dict[str, Any]:
    found = _sets(ctx).get(name)
    if found is None:
        raise _not_found(f"Configuration set {name}")
    return copy.deepcopy(found)  # a copy: the store snapshots a row only when it is put


def _destination(record: dict[str, Any], name: str) -> dict[str, Any]:
    for dest in record["EventDestinations"]:
        if dest["Name"] == name:
            return dest
    raise _not_found(f"Event destination {name} in configuration set {record['Name']}")


def _check_definition(definition: dict[str, Any], *, creating: bool) -> str | None:
    """The destination kind of an EventDestinationDefinition: one, complete, with event types to match."""
    kinds = [k for k in DESTINATION_KINDS if definition.get(k)]
    if len(kinds) > 1:
        raise bad_request("An event destination can refer to one destination only.")
    if creating and not kinds:
        raise bad_request(
            "An event destination needs a CloudWatchLogsDestination, KinesisFirehoseDestination or "
            "SnsDestination."
        )
    for kind in kinds:
        missing = [f for f in DESTINATION_KINDS[kind] if not definition[kind].get(f)]
        if missing:
            raise bad_request(f"{kind} is missing {', '.join(missing)}.")
    if creating and not definition.get("MatchingEventTypes"):
        raise bad_request("MatchingEventTypes must name at least one event type.")
    return kinds[0] if kinds else None


# -- configuration sets ---------------------------------------------------------------------------------
@operation(SERVICE, "CreateConfigurationSet")
def create_configuration_set(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name = params.get("ConfigurationSetName")
    if not name:
        raise bad_request("ConfigurationSetName is required.")
    if not _NAME.fullmatch(name):
        raise bad_request(
            "ConfigurationSetName may contain up to 64 letters, numbers, hyphens and underscores."
        )
    table = _sets(ctx)
    if name in table:
        raise ApiError("AlreadyExistsException", f"Configuration set {name} already exists.")
    if ctx.quotas.resource_enforced and len(table) >= ctx.quotas.limit(QUOTA):
        raise ApiError("LimitExceededException", "You have reached the maximum number of configuration sets.")
    table.put(name, {"Name": name, "EventDestinations": [], "CreatedTimestamp": ctx.now()})
    return {}


@operation(SERVICE, "DeleteConfigurationSet")
def delete_configuration_set(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _configuration_set(ctx, params["ConfigurationSetName"])
    _sets(ctx).delete(record["Name"])
    return {}


@operation(SERVICE, "ListConfigurationSets")
def list_configuration_sets(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    names = [r["Name"] for r in _sets(ctx).values()]
    chunk, token = page(names, params, size_key="PageSize", v2=False)
    return {"ConfigurationSets": chunk, "NextToken": token}


# -- event destinations ---------------------------------------------------------------------------------
@operation(SERVICE, "CreateConfigurationSetEventDestination")
def create_configuration_set_event_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _configuration_set(ctx, params["ConfigurationSetName"])
    name = params.get("EventDestinationName")
    if not name:
        raise bad_request("EventDestinationName is required.")
    definition = params.get("EventDestination") or {}
    kind = _check_definition(definition, creating=True)
    if any(d["Name"] == name for d in record["EventDestinations"]):
        raise ApiError("AlreadyExistsException", f"Event destination {name} already exists.")
    if len(record["EventDestinations"]) >= EVENT_DESTINATIONS_PER_SET:
        raise ApiError(
            "LimitExceededException",
            f"A configuration set can contain at most {EVENT_DESTINATIONS_PER_SET} event destinations.",
        )
    assert kind is not None
    record["EventDestinations"].append(
        {
            "Name": name,
            "Enabled": bool(definition.get("Enabled", False)),
            "MatchingEventTypes": list(dict.fromkeys(definition["MatchingEventTypes"])),
            kind: dict(definition[kind]),
        }
    )
    _sets(ctx).put(record["Name"], record)
    return {}


@operation(SERVICE, "UpdateConfigurationSetEventDestination")
def update_configuration_set_event_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _configuration_set(ctx, params["ConfigurationSetName"])
    dest = _destination(record, params["EventDestinationName"])
    definition = params.get("EventDestination") or {}
    kind = _check_definition(definition, creating=False)
    if definition.get("Enabled") is not None:
        dest["Enabled"] = bool(definition["Enabled"])
    if definition.get("MatchingEventTypes"):
        dest["MatchingEventTypes"] = list(dict.fromkeys(definition["MatchingEventTypes"]))
    if kind is not None:
        for other in DESTINATION_KINDS:
            dest.pop(other, None)
        dest[kind] = dict(definition[kind])
    _sets(ctx).put(record["Name"], record)
    return {}


@operation(SERVICE, "DeleteConfigurationSetEventDestination")
def delete_configuration_set_event_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _configuration_set(ctx, params["ConfigurationSetName"])
    dest = _destination(record, params["EventDestinationName"])
    record["EventDestinations"] = [d for d in record["EventDestinations"] if d is not dest]
    _sets(ctx).put(record["Name"], record)
    return {}


@operation(SERVICE, "GetConfigurationSetEventDestinations")
def get_configuration_set_event_destinations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = _configuration_set(ctx, params["ConfigurationSetName"])
    return {"EventDestinations": record["EventDestinations"]}


# -- sending --------------------------------------------------------------------------------------------
def _e164(value: str | None, member: str) -> str:
    if not value:
        raise bad_request(f"{member} is required.")
    try:
        parsed = phonenumbers.parse(value if value.startswith("+") else "+" + value)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        raise bad_request(f"{member} {value} is not a valid phone number in E.164 format.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _voice_number(ctx: Context, e164: str) -> dict[str, Any] | None:
    """The account's phone number (the v1 and v2 APIs share an account's numbers) that can place calls."""
    for number in ctx.table("phone_numbers", service=V2).values():
        if number.get("PhoneNumber") == e164 and number.get("Status", "ACTIVE") == "ACTIVE":
            return dict(number)
    return None


@operation(SERVICE, "SendVoiceMessage")
def send_voice_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    destination = _e164(params.get("DestinationPhoneNumber"), "DestinationPhoneNumber")
    origin = _e164(params.get("OriginationPhoneNumber"), "OriginationPhoneNumber")
    content = params.get("Content") or {}
    given = [k for k in VOICE_CONTENT if content.get(k)]
    if len(given) != 1:
        raise bad_request(
            "Content must hold exactly one of CallInstructionsMessage, PlainTextMessage or SSMLMessage."
        )
    if not content[given[0]].get("Text"):
        raise bad_request(f"Content.{given[0]}.Text is required.")
    number = _voice_number(ctx, origin)
    if number is None:
        raise bad_request(
            f"The origination number {origin} is not a phone number in this account and region."
        )
    if "VOICE" not in number.get("NumberCapabilities", ["VOICE"]):
        raise bad_request(f"The origination number {origin} is not voice capable.")
    set_name = params.get("ConfigurationSetName")
    # SendVoiceMessage models no NotFoundException: an unknown configuration set is a bad request.
    if set_name and set_name not in _sets(ctx):
        raise bad_request(f"Configuration set {set_name} does not exist.")
    message_id = ctx.new_id("", 36)
    ctx.table("voice_messages").put(
        message_id,
        {
            "MessageId": message_id,
            "DestinationPhoneNumber": destination,
            "OriginationPhoneNumber": origin,
            "CallerId": params.get("CallerId"),
            "ConfigurationSetName": set_name,
            "ContentType": given[0],
            "Content": copy.deepcopy(content[given[0]]),
            "SentTimestamp": ctx.now(),
        },
    )
    return {"MessageId": message_id}
