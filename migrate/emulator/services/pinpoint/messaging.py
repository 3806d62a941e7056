"""Pinpoint direct sends (SendMessages, SendUsersMessages) and PhoneNumberValidate.

A send never leaves the emulator: each recipient gets the per-address result AWS reports (the call
itself succeeds) and the attempt is kept in the `messages` table, for tests and the demo to inspect.
- SMS and voice need the app's channel of that type enabled, and a valid E.164 number;
- an endpoint with `OptOut` `ALL` gets `OPT_OUT`; so does an SMS or voice number in the account's
  `Default` opt-out list, which Pinpoint and End User Messaging SMS share (the v2 `opted_out:Default`
  table);
- an unknown endpoint, an inactive endpoint, a disabled channel or an invalid number is a
  `PERMANENT_FAILURE`.
"""

from __future__ import annotations

from typing import Any

import phonenumbers

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.channels import channel_enabled
from migrate.emulator.services.pinpoint.endpoints import endpoints_table, user_endpoint_ids
from migrate.emulator.services.pinpoint.model import SERVICE, app, request_id
from migrate.emulator.services.pinpoint.phone import validate_number
from migrate.emulator.services.pinpoint.retired import check_retired, check_retired_feature

_PHONE_CHANNELS = ("SMS", "VOICE")
# The DirectMessageConfiguration member that carries each channel's message.
_MESSAGE_MEMBER = {
    "SMS": "SMSMessage",
    "VOICE": "VoiceMessage",
    "EMAIL": "EmailMessage",
    "APNS": "APNSMessage",
    "APNS_SANDBOX": "APNSMessage",
    "APNS_VOIP": "APNSMessage",
    "APNS_VOIP_SANDBOX": "APNSMessage",
    "GCM": "GCMMessage",
    "BAIDU": "BaiduMessage",
    "ADM": "ADMMessage",
}
_PUSH = frozenset(_MESSAGE_MEMBER) - {"SMS", "VOICE", "EMAIL"}


def _result(status: str, code: int, message: str, message_id: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"DeliveryStatus": status, "StatusCode": code, "StatusMessage": message}
    if message_id:
        out["MessageId"] = message_id
    return out


def _opted_out_in_default_list(ctx: Context, number: str) -> bool:
    return number in ctx.table("opted_out:Default", service="pinpoint-sms-voice-v2")


def _body(config: dict[str, Any], channel: str, override: dict[str, Any]) -> str | None:
    if override.get("BodyOverride") or override.get("RawContent"):
        return str(override.get("BodyOverride") or override.get("RawContent"))
    message = config.get(_MESSAGE_MEMBER.get(channel, "")) or {}
    if channel == "EMAIL":
        simple = message.get("SimpleEmail") or {}
        text = (simple.get("TextPart") or {}).get("Data") or (simple.get("HtmlPart") or {}).get("Data")
        return text or (message.get("RawEmail") and "(raw email)") or None
    body = message.get("Body") or (config.get("DefaultMessage") or {}).get("Body")
    if body is None and channel in _PUSH:
        body = (config.get("DefaultPushNotificationMessage") or {}).get("Body")
    return body


def _template_named(params: dict[str, Any], channel: str) -> bool:
    member = {"SMS": "SMSTemplate", "VOICE": "VoiceTemplate", "EMAIL": "EmailTemplate"}.get(
        channel, "PushTemplate"
    )
    return bool(((params.get("TemplateConfiguration") or {}).get(member) or {}).get("Name"))


def send_one(
    ctx: Context,
    application_id: str,
    request: dict[str, Any],
    channel: str,
    address: str,
    override: dict[str, Any],
    endpoint_id: str | None = None,
) -> dict[str, Any]:
    """Deliver one message (in the emulator: decide its outcome and record it); returns its result."""
    config = request.get("MessageConfiguration") or {}
    body = _body(config, channel, override)
    message_id = ctx.new_id(length=40)
    if channel not in _MESSAGE_MEMBER:
        outcome = _result("PERMANENT_FAILURE", 400, f"Channel type {channel} cannot be used to send messages")
    elif not channel_enabled(ctx, application_id, channel):
        outcome = _result(
            "PERMANENT_FAILURE", 400, f"The {channel} channel is not enabled for this application"
        )
    elif body is None and not _template_named(request, channel):
        outcome = _result("PERMANENT_FAILURE", 400, f"The message for the {channel} channel has no body")
    elif channel in _PHONE_CHANNELS and not _valid_e164(address):
        outcome = _result("PERMANENT_FAILURE", 400, f"Invalid phone number: {address}")
    elif channel in _PHONE_CHANNELS and _opted_out_in_default_list(ctx, address):
        outcome = _result("OPT_OUT", 400, "The destination phone number is opted out")
    elif channel == "EMAIL" and "@" not in address:
        outcome = _result("PERMANENT_FAILURE", 400, f"Invalid email address: {address}")
    else:
        outcome = _result("SUCCESSFUL", 200, f"MessageId: {message_id}", message_id)
    message = config.get(_MESSAGE_MEMBER.get(channel, "")) or {}
    record = {
        "MessageId": message_id,
        "ApplicationId": application_id,
        "Operation": ctx.operation,
        "ChannelType": channel,
        "Address": address,
        "EndpointId": endpoint_id,
        "Body": body,
        "OriginationNumber": message.get("OriginationNumber"),
        "SenderId": message.get("SenderId"),
        "MessageType": message.get("MessageType"),
        "Keyword": message.get("Keyword"),
        "DeliveryStatus": outcome["DeliveryStatus"],
        "StatusMessage": outcome["StatusMessage"],
        "Timestamp": ctx.now(),
    }
    ctx.table("messages").put(message_id, {k: v for k, v in record.items() if v is not None})
    return outcome


def _valid_e164(address: str) -> bool:
    if not address.startswith("+"):
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(address, None))
    except phonenumbers.NumberParseException:
        return False


def _send_to_endpoint(
    ctx: Context, application_id: str, request: dict[str, Any], endpoint_id: str, override: dict[str, Any]
) -> dict[str, Any]:
    found = endpoints_table(ctx, application_id).get(endpoint_id)
    if found is None:
        return _result("PERMANENT_FAILURE", 404, f"Endpoint {endpoint_id} not found")
    address = str(found.get("Address") or "")
    if found.get("OptOut") == "ALL":
        outcome = _result("OPT_OUT", 400, "The endpoint is opted out of all messages")
    elif found.get("EndpointStatus") == "INACTIVE":
        outcome = _result("PERMANENT_FAILURE", 400, "The endpoint is inactive")
    elif not address:
        outcome = _result("PERMANENT_FAILURE", 400, "The endpoint has no address")
    else:
        outcome = send_one(
            ctx, application_id, request, str(found.get("ChannelType")), address, override, endpoint_id
        )
    return {"Address": address, **outcome} if address else outcome


@operation(SERVICE, "SendMessages")
def send_messages(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    request = params["MessageRequest"]
    addresses = request.get("Addresses") or {}
    endpoints = request.get("Endpoints") or {}
    if endpoints:
        check_retired_feature(ctx, "endpoints")
    if not addresses and not endpoints:
        raise bad_request("The request must name at least one address or endpoint.")
    if len(addresses) + len(endpoints) > 100:
        raise bad_request("A request can send to at most 100 addresses and endpoints.")
    response: dict[str, Any] = {"ApplicationId": application_id, "RequestId": request_id(ctx)}
    results = {}
    for address, config in addresses.items():
        channel = config.get("ChannelType")
        if not channel:
            raise bad_request(f"ChannelType is required for address {address}.")
        results[address] = send_one(ctx, application_id, request, channel, address, config)
    if results:
        response["Result"] = results
    if endpoints:
        response["EndpointResult"] = {
            endpoint_id: _send_to_endpoint(ctx, application_id, request, endpoint_id, config)
            for endpoint_id, config in endpoints.items()
        }
    return {"MessageResponse": response}


@operation(SERVICE, "SendUsersMessages")
def send_users_messages(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    request = params["SendUsersMessageRequest"]
    users = request.get("Users") or {}
    if not users:
        raise bad_request("The request must name at least one user.")
    result: dict[str, dict[str, Any]] = {}
    for user_id, config in users.items():
        result[user_id] = {
            endpoint_id: _send_to_endpoint(ctx, application_id, request, endpoint_id, config)
            for endpoint_id in user_endpoint_ids(ctx, application_id, user_id)
        }
    return {
        "SendUsersMessageResponse": {
            "ApplicationId": application_id,
            "RequestId": request_id(ctx),
            "Result": result,
        }
    }


@operation(SERVICE, "PhoneNumberValidate")
def phone_number_validate(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    request = params["NumberValidateRequest"]
    number = str(request.get("PhoneNumber") or "")
    if not number:
        raise bad_request("PhoneNumber is required.")
    return {"NumberValidateResponse": validate_number(number, request.get("IsoCountryCode"))}
