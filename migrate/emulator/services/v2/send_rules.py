"""How a v2 send finds the identity it goes out from, and the rules that identity must meet.

`OriginationIdentity` may name a phone number (id, ARN, or the E.164 number), a sender ID (name or ARN) or
a pool (id or ARN); a pool sends from one of its members that fits the destination; no identity at all
(text only) means the configuration set's default sender ID, else any fitting identity of the account. The
identity must be active, have the channel's capability, the requested message type, and be allowed to reach
the destination's country. The opt-out list that guards the send is the pool's when the send goes through
a pool (or from a pooled number), else the number's, else (sender IDs) the account's `Default` list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, conflict, validation
from migrate.emulator.services.v2.model import DEFAULT_LIST, arn_tail, phone_number, pool, sender_id
from migrate.emulator.services.v2.origination import (
    SENDER_ID_REGISTRATION_COUNTRIES,
    SENDER_ID_UNSUPPORTED_COUNTRIES,
)
from migrate.emulator.services.v2.pool_members import members

# The number capability each send operation needs.
CAPABILITY = {"TEXT": "SMS", "VOICE": "VOICE", "MEDIA": "MMS"}


@dataclass
class Route:
    """Where a message goes out from."""

    origination: str  # PhoneNumberId, SenderId, or (shared routes) the PoolId
    arn: str | None
    kind: str  # phone-number | sender-id | pool
    opt_out_list: str
    pool_id: str | None = None


def destination(number: str) -> tuple[str, str]:
    """The E.164 destination and its ISO country; a number no numbering plan knows cannot be sent to."""
    e164 = number if number.startswith("+") else "+" + number
    country = _country(e164)
    if country is None:
        raise validation(
            f"{number} is not a valid E.164 phone number.",
            "CANNOT_PARSE",
            [{"Name": "DestinationPhoneNumber", "Message": "is not a valid E.164 phone number"}],
        )
    return e164, country


@lru_cache(maxsize=8192)
def _country(e164: str) -> str | None:
    """The ISO country of a possible number, None for an impossible one. Parsing is most of a send's cost
    (the verify and property tests send thousands of DryRuns to a few hundred numbers): parsed once each."""
    try:
        parsed = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    country = phonenumbers.region_code_for_number(parsed)
    if not country:  # a number outside any region's plan still belongs to its calling code's main region
        country = phonenumbers.region_code_for_country_code(parsed.country_code or 0)
    return str(country)


# -- what the request names ------------------------------------------------------------------------------
def route(
    ctx: Context, origination: str | None, channel: str, country: str, message_type: str | None
) -> Route:
    if origination is None:
        return _any_identity(ctx, channel, country, message_type)
    tail = origination.split(":", 5)[-1] if origination.startswith("arn:") else ""
    if tail.startswith("pool/") or origination.startswith("pool-"):
        return _from_pool(ctx, pool(ctx, origination), channel, country, message_type)
    if tail.startswith("phone-number/") or origination.startswith(("phone-", "+")) or origination.isdigit():
        number = _number(ctx, origination)
        check_phone(ctx, number, channel, country, message_type)
        return _phone_route(ctx, number)
    if tail.startswith("sender-id/"):
        sender = sender_id(ctx, origination)
        if sender["IsoCountryCode"] != country:
            raise validation(
                f"Sender ID {sender['SenderId']} is registered for {sender['IsoCountryCode']}, not {country}.",
                "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
            )
        return _sender_route(ctx, sender["SenderId"], channel, country, message_type)
    if origination.startswith("arn:"):
        raise validation(f"{origination} is not an origination identity ARN.", "INVALID_ARN")
    return _sender_route(ctx, origination, channel, country, message_type)


def _number(ctx: Context, origination: str) -> dict[str, Any]:
    """A phone number by id, ARN, or the number itself (E.164, or a short code's digits)."""
    if origination.startswith("+") or origination.isdigit():
        digits = origination.lstrip("+")
        for number in ctx.table("phone_numbers").values():
            if number["PhoneNumber"].lstrip("+") == digits:
                return dict(number)
    return phone_number(ctx, origination)


def _phone_route(ctx: Context, number: dict[str, Any]) -> Route:
    pool_record = ctx.table("pools").get(number.get("PoolId") or "")
    list_name = (pool_record or number).get("OptOutListName") or DEFAULT_LIST
    return Route(
        number["PhoneNumberId"],
        number["PhoneNumberArn"],
        "phone-number",
        list_name,
        pool_record["PoolId"] if pool_record else None,
    )


def _sender_route(ctx: Context, name: str, channel: str, country: str, message_type: str | None) -> Route:
    sender = ctx.table("sender_ids").get(f"{name}/{country}")
    check_sender(name, sender, channel, country, message_type)
    # A sender ID outside any pool is guarded by the account's Default list.
    return Route(name, sender["SenderIdArn"] if sender else None, "sender-id", DEFAULT_LIST)


def _from_pool(
    ctx: Context, pool_record: dict[str, Any], channel: str, country: str, message_type: str | None
) -> Route:
    pool_id = pool_record["PoolId"]
    if pool_record.get("Status", "ACTIVE") != "ACTIVE":
        raise conflict("RESOURCE_NOT_ACTIVE", f"Pool {pool_id} is {pool_record['Status']}.", "pool", pool_id)
    _check_message_type(message_type, [pool_record.get("MessageType")], "pool", pool_id)
    list_name = pool_record.get("OptOutListName") or DEFAULT_LIST
    candidates: list[tuple[int, Route]] = []
    for row in members(ctx, pool_id):
        arn = row["OriginationIdentityArn"]
        try:
            if ":phone-number/" in arn:
                number = ctx.table("phone_numbers").get(arn_tail(arn))
                if number is None:
                    continue
                check_phone(ctx, number, channel, country, None)
                rank = 0 if number["IsoCountryCode"] == country else 2
                candidates.append(
                    (rank, Route(number["PhoneNumberId"], arn, "phone-number", list_name, pool_id))
                )
            else:
                name = row["OriginationIdentity"]
                if row["IsoCountryCode"] != country:
                    continue
                check_sender(name, ctx.table("sender_ids").get(f"{name}/{country}"), channel, country, None)
                candidates.append((1, Route(name, arn, "sender-id", list_name, pool_id)))
        except ApiError:
            continue  # that member cannot carry this message; AWS tries the next
    if candidates:
        return min(candidates, key=lambda c: c[0])[1]
    if pool_record.get("SharedRoutesEnabled") and channel == "TEXT":
        return Route(pool_id, pool_record["PoolArn"], "pool", list_name, pool_id)
    raise conflict(
        "NO_ORIGINATION_IDENTITIES_FOUND",
        f"Pool {pool_id} has no origination identity that can send {channel.lower()} messages to {country}.",
        "pool",
        pool_id,
    )


def _any_identity(ctx: Context, channel: str, country: str, message_type: str | None) -> Route:
    """No OriginationIdentity: AWS picks an identity of the account that fits the destination."""
    for number in ctx.table("phone_numbers").values():
        if number["IsoCountryCode"] != country:
            continue
        try:
            check_phone(ctx, number, channel, country, message_type)
        except ApiError:
            continue
        return _phone_route(ctx, number)
    for sender in ctx.table("sender_ids").values():
        if sender["IsoCountryCode"] != country:
            continue
        try:
            return _sender_route(ctx, sender["SenderId"], channel, country, message_type)
        except ApiError:
            continue
    raise conflict(
        "NO_ORIGINATION_IDENTITIES_FOUND",
        f"The account has no origination identity that can send {channel.lower()} messages to {country}.",
    )


# -- the rules an identity must meet ---------------------------------------------------------------------
def _check_message_type(wanted: str | None, offered: list[str | None], kind: str, ident: str) -> None:
    if wanted and wanted not in offered:
        raise conflict(
            "MESSAGE_TYPE_MISMATCH",
            f"The {kind} {ident} sends {'/'.join(str(o) for o in offered)} messages, not {wanted}.",
            kind,
            ident,
        )


def check_phone(
    ctx: Context, number: dict[str, Any], channel: str, country: str, message_type: str | None
) -> None:
    ident = number["PhoneNumberId"]
    if number.get("Status") != "ACTIVE":
        raise conflict(
            "RESOURCE_NOT_ACTIVE", f"Phone number {ident} is {number.get('Status')}.", "phone-number", ident
        )
    capability = CAPABILITY[channel]
    if capability not in number.get("NumberCapabilities", []):
        if channel == "VOICE":
            raise validation(
                f"Phone number {ident} has no VOICE capability.", "VOICE_CAPABILITY_NOT_AVAILABLE"
            )
        raise conflict(
            "NUMBER_CAPABILITIES_MISMATCH",
            f"Phone number {ident} has no {capability} capability.",
            "phone-number",
            ident,
        )
    if number["IsoCountryCode"] != country:
        if number.get("NumberType") == "LONG_CODE":
            if not number.get("InternationalSendingEnabled"):
                raise validation(
                    f"Phone number {ident} is in {number['IsoCountryCode']}; enable international sending "
                    f"(UpdatePhoneNumber) to reach {country}.",
                    "INTERNATIONAL_SENDING_NOT_SUPPORTED",
                )
        else:
            # 10DLC, toll-free, short codes and simulator numbers reach only their own country.
            raise validation(
                f"A {number.get('NumberType')} number of {number['IsoCountryCode']} cannot send to {country}.",
                "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
            )
    _check_message_type(message_type, [number.get("MessageType")], "phone-number", ident)


def check_sender(
    name: str, sender: dict[str, Any] | None, channel: str, country: str, message_type: str | None
) -> None:
    """A sender ID (owned: `sender`; else None) sending to `country`."""
    if channel == "VOICE":
        raise validation(f"Sender ID {name} cannot place voice calls.", "VOICE_CAPABILITY_NOT_AVAILABLE")
    if channel == "MEDIA":
        raise conflict(
            "NUMBER_CAPABILITIES_MISMATCH", f"Sender ID {name} cannot send MMS.", "sender-id", name
        )
    if country in SENDER_ID_UNSUPPORTED_COUNTRIES:
        raise validation(f"Carriers in {country} do not deliver sender IDs.", "SENDER_ID_NOT_SUPPORTED")
    if country in SENDER_ID_REGISTRATION_COUNTRIES:
        if sender is None:
            raise validation(
                f"Sender IDs must be registered to send to {country}; {name} is not.",
                "SENDER_ID_REQUIRES_REGISTRATION",
            )
        if not sender.get("Registered"):
            raise validation(
                f"Sender ID {name} waits for its {country} registration to complete.",
                "SENDER_ID_NOT_REGISTERED",
            )
    if sender is not None:
        _check_message_type(message_type, list(sender.get("MessageTypes", [])), "sender-id", name)
