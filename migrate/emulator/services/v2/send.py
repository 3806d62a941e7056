"""v2 sending: SendTextMessage, SendVoiceMessage, SendMediaMessage, PutMessageFeedback.

Every send runs AWS's checks in order: the destination parses; the configuration set (if named) exists and
lends its default sender ID, message type, feedback setting and protect configuration; the origination
identity resolves and fits (`send_rules`); the protect configuration does not block the country; in the SMS
sandbox the destination is a verified number; the destination is not on the opt-out list that applies; the
price is within `MaxPrice`; the month's spend stays within the spend limit. `DryRun` stops there: nothing is
sent, stored or charged. A real send is appended to the `messages` table (MessageId -> what was sent),
which `sent_messages()` reads.
"""

from __future__ import annotations

import copy
import hashlib
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, conflict, not_found, validation
from migrate.emulator.registry import operation
from migrate.emulator.services.v2.account import enforced_spend_limit
from migrate.emulator.services.v2.model import (
    SERVICE,
    account_attributes,
    configuration_set,
    in_sandbox,
    is_verified_destination,
    protect_configuration,
)
from migrate.emulator.services.v2.send_rules import CAPABILITY, Route, destination, route

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator

# Rough list prices in US$ (per message part; voice per minute; MMS per message) for MaxPrice and spend
# limits. AWS's real prices vary by country and carrier; these keep the arithmetic honest, not exact.
TEXT_PRICE = {"US": 0.00883, "CA": 0.00798, "GB": 0.0455, "IN": 0.0025, "AU": 0.0507, "DE": 0.0925}
TEXT_PRICE_ELSEWHERE = 0.06
VOICE_PRICE_PER_MINUTE = {"US": 0.013, "CA": 0.013, "GB": 0.0395}
VOICE_PRICE_ELSEWHERE = 0.1
MEDIA_PRICE = {"US": 0.02, "CA": 0.02}
MEDIA_PRICE_ELSEWHERE = 0.05
SPEND_LIMIT = {
    "TEXT": ("TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT"),
    "VOICE": ("VOICE_MESSAGE_MONTHLY_SPEND_LIMIT", "MONTHLY_SPEND_LIMIT_REACHED_FOR_VOICE"),
    "MEDIA": ("MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT", "MONTHLY_SPEND_LIMIT_REACHED_FOR_MEDIA"),
}
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\f"
)


def sent_messages(emu: Emulator, region: str, account: str | None = None) -> list[dict[str, Any]]:
    """What the account sent in a region, oldest first (dry runs are not there): for tests and demos."""
    table = emu.world.table(f"v2:{account or emu.account_id}:{region}:messages")
    return [copy.deepcopy(m) for m in table.values()]


def message_parts(body: str) -> int:
    """How many SMS parts a body takes: 160 GSM-7 characters (153 per part when split), else 70 (67) UCS-2."""
    if all(c in _GSM7 for c in body):
        single, multi = 160, 153
    else:
        single, multi = 70, 67
    return 1 if len(body) <= single else -(-len(body) // multi)


def _price(channel: str, country: str, params: dict[str, Any]) -> tuple[float, int]:
    if channel == "TEXT":
        parts = message_parts(params.get("MessageBody") or "")
        return TEXT_PRICE.get(country, TEXT_PRICE_ELSEWHERE) * parts, parts
    if channel == "VOICE":
        return VOICE_PRICE_PER_MINUTE.get(country, VOICE_PRICE_ELSEWHERE), 1
    return MEDIA_PRICE.get(country, MEDIA_PRICE_ELSEWHERE), 1


def _spend_key(ctx: Context, channel: str) -> str:
    return f"{channel}|{datetime.fromtimestamp(ctx.now(), UTC):%Y-%m}"


def _check_protect(ctx: Context, protect_id: str | None, channel: str, country: str) -> str | None:
    protect_id = protect_id or str(account_attributes(ctx).get("DEFAULT_PROTECT_CONFIGURATION_ID") or "")
    record = ctx.table("protect_configurations").get(protect_id) if protect_id else None
    if record is None:
        return None
    status = record.get("_RuleSets", {}).get(CAPABILITY[channel], {}).get(country, "ALLOW")
    if status == "BLOCK":
        raise conflict(
            "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
            f"Protect configuration {protect_id} blocks {CAPABILITY[channel]} messages to {country}.",
            "protect-configuration",
            protect_id,
        )
    return str(record["ProtectConfigurationId"])


def _check_opt_out(ctx: Context, found: Route, number: str) -> None:
    if ctx.table(f"opted_out:{found.opt_out_list}").get(number) is not None:
        raise conflict(
            "DESTINATION_PHONE_NUMBER_OPTED_OUT",
            f"{number} opted out of messages from {found.origination} (opt-out list {found.opt_out_list}).",
            "opted-out-number",
            number,
        )


def _message_id(ctx: Context, dry_run: bool, seed: str) -> str:
    # A dry run leaves the world untouched, so its id is derived rather than drawn from the world's counter.
    digest = hashlib.sha256(f"dry:{seed}:{ctx.now()}".encode()).hexdigest() if dry_run else ctx.new_id()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def send(ctx: Context, params: dict[str, Any], channel: str) -> dict[str, Any]:
    number, country = destination(params["DestinationPhoneNumber"])
    config_set = (
        configuration_set(ctx, params["ConfigurationSetName"]) if params.get("ConfigurationSetName") else {}
    )
    if params.get("ProtectConfigurationId"):
        protect_configuration(ctx, params["ProtectConfigurationId"])
    origination = params.get("OriginationIdentity")
    message_type = params.get("MessageType")
    if channel == "TEXT":
        origination = origination or config_set.get("DefaultSenderId")
        message_type = message_type or config_set.get("DefaultMessageType")
    found = route(ctx, origination, channel, country, message_type)
    protect_id = _check_protect(
        ctx,
        params.get("ProtectConfigurationId") or config_set.get("ProtectConfigurationId"),
        channel,
        country,
    )
    if in_sandbox(ctx) and not is_verified_destination(ctx, number):
        raise conflict(
            "DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
            f"The account is in the SMS sandbox in {ctx.region}; {number} is not a verified destination number.",
            "verified-destination-number",
            number,
        )
    _check_opt_out(ctx, found, number)
    price, parts = _price(channel, country, params)
    ceiling = params.get("MaxPricePerMinute" if channel == "VOICE" else "MaxPrice")
    if ceiling is not None and price > float(ceiling):
        raise validation(
            f"The message costs US${price:.5f}, more than the MaxPrice of US${ceiling}.",
            "PRICE_OVER_THRESHOLD",
        )
    limit_name, reason = SPEND_LIMIT[channel]
    spend = ctx.table("message_spend")
    spent = float((spend.get(_spend_key(ctx, channel)) or {}).get("Spent", 0.0))
    if spent + price > enforced_spend_limit(ctx, limit_name):
        raise ApiError(
            "ServiceQuotaExceededException",
            f"Sending would exceed the monthly {channel.lower()} spend limit of "
            f"US${enforced_spend_limit(ctx, limit_name)}.",
            Reason=reason,
        )
    dry_run = bool(params.get("DryRun", False))
    message_id = _message_id(ctx, dry_run, number)
    if dry_run:
        return {"MessageId": message_id}
    spend.put(_spend_key(ctx, channel), {"Spent": round(spent + price, 6)})
    feedback = params.get("MessageFeedbackEnabled")
    record = {
        "MessageId": message_id,
        "Channel": channel,
        "DestinationPhoneNumber": number,
        "IsoCountryCode": country,
        "OriginationIdentity": found.origination,
        "OriginationIdentityArn": found.arn,
        "OriginationIdentityType": found.kind,
        "PoolId": found.pool_id,
        "OptOutListName": found.opt_out_list,
        "ConfigurationSetName": config_set.get("ConfigurationSetName"),
        "MessageType": message_type,
        "ProtectConfigurationId": protect_id,
        "MessageFeedbackEnabled": bool(
            feedback if feedback is not None else config_set.get("DefaultMessageFeedbackEnabled", False)
        ),
        "Parts": parts,
        "Price": round(price, 6),
        "CreatedTimestamp": ctx.now(),
    }
    for name in _KEPT:
        if params.get(name) is not None:
            record[name] = params[name]
    ctx.table("messages").put(message_id, {k: v for k, v in record.items() if v is not None})
    return {"MessageId": message_id}


# What the request carried, kept as given on the stored message.
_KEPT = (
    "MessageBody",
    "MessageBodyTextType",
    "VoiceId",
    "MediaUrls",
    "Keyword",
    "MaxPrice",
    "MaxPricePerMinute",
    "TimeToLive",
    "Context",
    "DestinationCountryParameters",
)


@operation(SERVICE, "SendTextMessage")
def send_text_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return send(ctx, params, "TEXT")


@operation(SERVICE, "SendVoiceMessage")
def send_voice_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("MessageBodyTextType") == "SSML" and params.get("MessageBody"):
        try:
            root = ET.fromstring(params["MessageBody"])
        except ET.ParseError:
            root = None
        if root is None or root.tag.rsplit("}", 1)[-1] != "speak":
            raise validation(
                "An SSML MessageBody must be a well-formed <speak> document.",
                "INVALID_PARAMETER",
                [{"Name": "MessageBody", "Message": "is not valid SSML"}],
            )
    return send(ctx, params, "VOICE")


@operation(SERVICE, "SendMediaMessage")
def send_media_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("MessageBody") and not params.get("MediaUrls"):
        raise validation(
            "A media message needs a MessageBody, MediaUrls, or both.",
            "MISSING_PARAMETER",
            [{"Name": n, "Message": "one of these is required"} for n in ("MessageBody", "MediaUrls")],
        )
    return send(ctx, params, "MEDIA")


@operation(SERVICE, "PutMessageFeedback")
def put_message_feedback(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    table = ctx.table("messages")
    message = table.get(params["MessageId"])
    if message is None:
        raise not_found("message", params["MessageId"])
    table.put(params["MessageId"], {**message, "MessageFeedbackStatus": params["MessageFeedbackStatus"]})
    return {"MessageId": params["MessageId"], "MessageFeedbackStatus": params["MessageFeedbackStatus"]}
