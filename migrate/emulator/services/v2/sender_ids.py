"""v2 sender IDs: RequestSenderId, DescribeSenderIds, UpdateSenderId, ReleaseSenderId.

Stored in `sender_ids` keyed `"<SenderId>/<IsoCountryCode>"` (the tail of the sender ID's ARN).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import conflict, validation
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2.model import (
    SERVICE,
    deletion_protected,
    remember,
    replay,
    sender_id,
    set_tags,
)
from migrate.emulator.services.v2.origination import (
    SENDER_ID_REGISTRATION_COUNTRIES,
    SENDER_ID_UNSUPPORTED_COUNTRIES,
    fit,
    forget_resource,
    invalid_parameter,
)
from migrate.emulator.services.v2.pool_members import pools_holding

# The API reference: 1-11 letters, digits or hyphens, at least one letter, no hyphen at either end.
_SENDER_ID = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
ALL_MESSAGE_TYPES = ["TRANSACTIONAL", "PROMOTIONAL"]

FILTERS = {
    "sender-id": lambda r: r["SenderId"],
    "iso-country-code": lambda r: r["IsoCountryCode"],
    "message-type": lambda r: r["MessageTypes"],
    "deletion-protection-enabled": lambda r: r.get("DeletionProtectionEnabled", False),
    "registered": lambda r: r.get("Registered", False),
}


def new_sender_id_record(
    ctx: Context,
    *,
    sender: str,
    iso_country_code: str,
    message_types: list[str] | None = None,
    deletion_protection: bool = False,
    registered: bool | None = None,
    registration_id: str | None = None,
    monthly_leasing_price: str = "0.00",
) -> dict[str, Any]:
    """Store a sender ID and return it; `registered` defaults to what the country requires."""
    if registered is None:
        registered = iso_country_code not in SENDER_ID_REGISTRATION_COUNTRIES
    record: dict[str, Any] = {
        "SenderIdArn": ctx.arn(f"sender-id/{sender}/{iso_country_code}"),
        "SenderId": sender,
        "IsoCountryCode": iso_country_code,
        "MessageTypes": list(message_types or ALL_MESSAGE_TYPES),
        "MonthlyLeasingPrice": monthly_leasing_price,
        "DeletionProtectionEnabled": deletion_protection,
        "Registered": registered,
    }
    if registration_id:
        record["RegistrationId"] = registration_id
    ctx.table("sender_ids").put(f"{sender}/{iso_country_code}", record)
    return record


@operation(SERVICE, "RequestSenderId")
def request_sender_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    sender, country = params["SenderId"], params["IsoCountryCode"]
    if not _SENDER_ID.fullmatch(sender):
        raise invalid_parameter(
            "A sender ID has 1-11 letters, digits or hyphens, at least one letter, and no hyphen at either end.",
            "SenderId",
        )
    if country in SENDER_ID_UNSUPPORTED_COUNTRIES:
        raise validation(f"Sender IDs are not supported in {country}.", "SENDER_ID_NOT_SUPPORTED")
    table = ctx.table("sender_ids")
    if f"{sender}/{country}" in table:
        raise conflict(
            "RESOURCE_ALREADY_EXISTS", f"Sender ID {sender} already exists in {country}.", "sender-id", sender
        )
    ctx.check_resource_quota("SENDER_IDS", len(table))
    record = new_sender_id_record(
        ctx,
        sender=sender,
        iso_country_code=country,
        message_types=params.get("MessageTypes") or None,
        deletion_protection=bool(params.get("DeletionProtectionEnabled", False)),
    )
    set_tags(ctx, record["SenderIdArn"], params.get("Tags"))
    return remember(ctx, params, fit(record, "RequestSenderIdResult", Tags=params.get("Tags") or []))


@operation(SERVICE, "DescribeSenderIds")
def describe_sender_ids(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    wanted = params.get("SenderIds")
    if wanted:
        records = [sender_id(ctx, w["SenderId"], w["IsoCountryCode"]) for w in wanted]
    else:
        records = ctx.table("sender_ids").values()
    if params.get("Owner") == "SHARED":
        records = []
    records = apply_filters(records, params.get("Filters"), FILTERS)
    chunk, token = page(records, params)
    return {"SenderIds": [fit(r, "SenderIdInformation") for r in chunk], "NextToken": token}


@operation(SERVICE, "UpdateSenderId")
def update_sender_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = copy.deepcopy(sender_id(ctx, params["SenderId"], params["IsoCountryCode"]))
    if params.get("DeletionProtectionEnabled") is not None:
        record["DeletionProtectionEnabled"] = params["DeletionProtectionEnabled"]
    ctx.table("sender_ids").put(f"{record['SenderId']}/{record['IsoCountryCode']}", record)
    return fit(record, "UpdateSenderIdResult")


@operation(SERVICE, "ReleaseSenderId")
def release_sender_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = sender_id(ctx, params["SenderId"], params["IsoCountryCode"])
    deletion_protected(record, "sender-id", record["SenderId"])
    holders = pools_holding(ctx, record["SenderIdArn"])
    if holders:
        raise conflict(
            "SENDER_ID_ASSOCIATED_TO_POOL",
            f"Sender ID {record['SenderId']} is in pool(s) {', '.join(holders)}; disassociate it first.",
            "sender-id",
            record["SenderId"],
        )
    ctx.table("sender_ids").delete(f"{record['SenderId']}/{record['IsoCountryCode']}")
    forget_resource(ctx, record["SenderIdArn"])
    return fit(record, "ReleaseSenderIdResult")
