"""v2 verified destination numbers: the numbers an account in the SMS sandbox may send to.

A number is created PENDING; SendDestinationNumberVerificationCode texts (or calls) it a code and
VerifyDestinationNumber with that code makes it VERIFIED. Nobody reads an emulated phone, so the code is
derived from the number's id and how many codes were sent, and `verification_code()` tells it to tests.
"""

from __future__ import annotations

import copy
import hashlib
from typing import TYPE_CHECKING, Any

import phonenumbers

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, conflict, validation
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2.model import (
    SERVICE,
    configuration_set,
    drop_tags,
    offline,
    origination_identity,
    pool,
    public,
    remember,
    replay,
    set_tags,
    verified_destination_number,
)

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator

# AWS allows a few codes a day per number; a code stays good until a newer one is sent or it expires.
SENDS_PER_DAY = 5
CODE_LIFETIME = 24 * 3600.0
_DAY = 24 * 3600.0
_SHOWN = (
    "VerifiedDestinationNumberArn",
    "VerifiedDestinationNumberId",
    "DestinationPhoneNumber",
    "Status",
    "CreatedTimestamp",
)


def _code(account: str, region: str, number_id: str, sent: int) -> str:
    digest = hashlib.sha256(f"{account}:{region}:{number_id}:{sent}".encode()).hexdigest()
    return f"{int(digest, 16) % 1_000_000:06d}"


def verification_code(emu: Emulator, region: str, verified_destination_number_id: str) -> str | None:
    """The code last sent to a verified destination number (None before the first send)."""
    with offline(emu, region) as ctx:
        record = verified_destination_number(ctx, verified_destination_number_id)
        sent = int(record.get("_CodesSent", 0))
        return _code(ctx.account, ctx.region, record["VerifiedDestinationNumberId"], sent) if sent else None


def _e164(number: str) -> str:
    e164 = number if number.startswith("+") else "+" + number
    try:
        parsed = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        raise validation(
            f"{number} is not a valid phone number in E.164 format.",
            "INVALID_PARAMETER",
            [{"Name": "DestinationPhoneNumber", "Message": "is not a valid E.164 phone number"}],
        )
    return e164


def _shown(record: dict[str, Any]) -> dict[str, Any]:
    shown = {k: record[k] for k in _SHOWN}
    if record.get("RcsAgentId"):
        shown["RcsAgentId"] = record["RcsAgentId"]
    return shown


def _not_yet_verified(record: dict[str, Any]) -> None:
    if record["Status"] == "VERIFIED":
        raise conflict(
            "VERIFICATION_ALREADY_COMPLETE",
            f"{record['DestinationPhoneNumber']} is already verified.",
            "verified-destination-number",
            record["VerifiedDestinationNumberId"],
        )


@operation(SERVICE, "CreateVerifiedDestinationNumber")
def create_verified_destination_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    number = _e164(params["DestinationPhoneNumber"])
    table = ctx.table("verified_numbers")
    existing = next((r for r in table.values() if r["DestinationPhoneNumber"] == number), None)
    if existing is not None:
        raise conflict(
            "RESOURCE_ALREADY_EXISTS",
            f"{number} is already a verified destination number.",
            "verified-destination-number",
            existing["VerifiedDestinationNumberId"],
        )
    ctx.check_resource_quota("VERIFIED_DESTINATION_NUMBERS", len(table))
    number_id = ctx.new_id("verifieddestinationnumber-")
    record: dict[str, Any] = {
        "VerifiedDestinationNumberArn": ctx.arn(f"verified-destination-number/{number_id}"),
        "VerifiedDestinationNumberId": number_id,
        "DestinationPhoneNumber": number,
        "Status": "PENDING",
        "CreatedTimestamp": ctx.now(),
        "_CodesSent": 0,
        "_SendTimes": [],
    }
    if params.get("RcsAgentId"):
        record["RcsAgentId"] = params["RcsAgentId"]
    table.put(number_id, record)
    set_tags(ctx, record["VerifiedDestinationNumberArn"], params.get("Tags"))
    return remember(ctx, params, {**_shown(record), "Tags": params.get("Tags") or []})


@operation(SERVICE, "DescribeVerifiedDestinationNumbers")
def describe_verified_destination_numbers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    ids = params.get("VerifiedDestinationNumberIds")
    if ids:
        records = [verified_destination_number(ctx, i) for i in ids]
    else:
        records = ctx.table("verified_numbers").values()
    numbers = params.get("DestinationPhoneNumbers")
    if numbers:
        wanted = {n if n.startswith("+") else "+" + n for n in numbers}
        records = [r for r in records if r["DestinationPhoneNumber"] in wanted]
    records = apply_filters(
        records,
        params.get("Filters"),
        {"status": lambda r: r["Status"], "rcs-agent-id": lambda r: r.get("RcsAgentId", "")},
    )
    chunk, token = page([_shown(r) for r in records], params)
    return {"VerifiedDestinationNumbers": chunk, "NextToken": token}


@operation(SERVICE, "SendDestinationNumberVerificationCode")
def send_destination_number_verification_code(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = copy.deepcopy(verified_destination_number(ctx, params["VerifiedDestinationNumberId"]))
    _not_yet_verified(record)
    if params.get("ConfigurationSetName"):
        configuration_set(ctx, params["ConfigurationSetName"])
    origin = params.get("OriginationIdentity")
    if origin:
        if origin.startswith("pool-") or ":pool/" in origin:
            pool(ctx, origin)
        else:
            origination_identity(ctx, origin)
    now = ctx.now()
    recent = [t for t in record.get("_SendTimes", []) if now - t < _DAY]
    if len(recent) >= SENDS_PER_DAY:
        raise ApiError(
            "ServiceQuotaExceededException",
            f"At most {SENDS_PER_DAY} verification codes can be sent to a number in 24 hours.",
            Reason="VERIFICATION_ATTEMPTS_PER_DAY",
        )
    record["_SendTimes"] = [*recent, now]
    record["_CodesSent"] = int(record.get("_CodesSent", 0)) + 1
    record["_CodeSentAt"] = now
    ctx.table("verified_numbers").put(record["VerifiedDestinationNumberId"], record)
    return {"MessageId": ctx.new_id("", 36)}


@operation(SERVICE, "VerifyDestinationNumber")
def verify_destination_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = copy.deepcopy(verified_destination_number(ctx, params["VerifiedDestinationNumberId"]))
    _not_yet_verified(record)
    sent = int(record.get("_CodesSent", 0))
    if sent and ctx.now() - float(record.get("_CodeSentAt", 0.0)) > CODE_LIFETIME:
        raise conflict(
            "VERIFICATION_CODE_EXPIRED",
            "The verification code has expired; send a new one.",
            "verified-destination-number",
            record["VerifiedDestinationNumberId"],
        )
    if not sent or params["VerificationCode"] != _code(
        ctx.account, ctx.region, record["VerifiedDestinationNumberId"], sent
    ):
        raise validation(
            "The verification code does not match.",
            "VERIFICATION_CODE_MISMATCH",
            [{"Name": "VerificationCode", "Message": "does not match the code sent"}],
        )
    record["Status"] = "VERIFIED"
    ctx.table("verified_numbers").put(record["VerifiedDestinationNumberId"], record)
    return {k: record[k] for k in _SHOWN}


@operation(SERVICE, "DeleteVerifiedDestinationNumber")
def delete_verified_destination_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = verified_destination_number(ctx, params["VerifiedDestinationNumberId"])
    ctx.table("verified_numbers").delete(record["VerifiedDestinationNumberId"])
    drop_tags(ctx, record["VerifiedDestinationNumberArn"])
    shown = public(record)
    return {k: shown[k] for k in _SHOWN if k != "Status"}
