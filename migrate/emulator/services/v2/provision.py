"""What only AWS staff can create, for world builders (the demo world, tests): short codes, numbers with a
chosen E.164 value and status, registered sender IDs. Plain functions, not API operations.

Each call is one transaction of the emulator's world, as an API call is: all of it or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from migrate.emulator.context import Context
from migrate.emulator.services.v2.model import DEFAULT_LIST, offline, opt_out_list, pool, public, set_tags
from migrate.emulator.services.v2.numbers import new_phone_number_record
from migrate.emulator.services.v2.origination import (
    MANDATORY_KEYWORDS,
    apply_two_way_settings,
    put_keyword_record,
)
from migrate.emulator.services.v2.pool_members import attach, check_can_join
from migrate.emulator.services.v2.sender_ids import new_sender_id_record

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator

_TWO_WAY = ("TwoWayEnabled", "TwoWayChannelArn", "TwoWayChannelRole", "SelfManagedOptOutsEnabled")


def _run(emu: Emulator, region: str, account: str | None, fn: Callable[[Context], Any]) -> Any:
    with offline(emu, region, account) as ctx:
        return fn(ctx)


def provision_phone_number(
    emu: Emulator,
    *,
    region: str,
    account: str | None = None,
    phone_number: str,
    number_type: str,
    message_type: str,
    capabilities: list[str],
    iso_country_code: str,
    status: str = "ACTIVE",
    **extra: Any,
) -> dict[str, Any]:
    """A phone number as AWS would hand it over (any NumberType, incl. SHORT_CODE), with the given number.

    `extra` takes PhoneNumberInformation members (OptOutListName, TwoWayEnabled, TwoWayChannelArn,
    SelfManagedOptOutsEnabled, DeletionProtectionEnabled, RegistrationId, MonthlyLeasingPrice, ...) plus
    `Tags` (a tag list), `Keywords` ({"JOIN": ("message", "OPT_IN"), "HELP": ("message", None)}; HELP and
    STOP keep their actions) and `PoolId` (the pool to join, which must fit the number as on AWS).
    """
    tags = extra.pop("Tags", None)
    keywords = extra.pop("Keywords", None) or {}
    pool_id = extra.pop("PoolId", None)
    two_way = {k: extra.pop(k) for k in _TWO_WAY if k in extra}

    def build(ctx: Context) -> dict[str, Any]:
        list_name = opt_out_list(ctx, extra.pop("OptOutListName", DEFAULT_LIST))["OptOutListName"]
        if any(r["PhoneNumber"] == phone_number for r in ctx.table("phone_numbers").values()):
            raise ValueError(f"{phone_number} is already in the account")
        record = new_phone_number_record(
            ctx,
            phone_number=phone_number,
            number_type=number_type,
            message_type=message_type,
            capabilities=capabilities,
            iso_country_code=iso_country_code,
            status=status,
            opt_out_list_name=list_name,
            deletion_protection=bool(extra.pop("DeletionProtectionEnabled", False)),
            registration_id=extra.pop("RegistrationId", None),
            **extra,
        )
        apply_two_way_settings(record, two_way)
        for word, (message, action) in keywords.items():
            upper = word.upper()
            put_keyword_record(
                ctx,
                record["PhoneNumberArn"],
                upper,
                message,
                MANDATORY_KEYWORDS.get(upper) or action or "AUTOMATIC_RESPONSE",
            )
        ctx.table("phone_numbers").put(record["PhoneNumberId"], record)
        if pool_id:
            target = pool(ctx, pool_id)
            check_can_join(ctx, target, record)
            attach(ctx, target, record)
        set_tags(ctx, record["PhoneNumberArn"], tags)
        return public(record)

    return dict(_run(emu, region, account, build))


def provision_sender_id(
    emu: Emulator,
    *,
    region: str,
    account: str | None = None,
    sender_id: str,
    iso_country_code: str,
    message_types: list[str] | None = None,
    registered: bool = True,
    registration_id: str | None = None,
    deletion_protection: bool = False,
    tags: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A sender ID, registered by default (as one is once its country's registration completes)."""

    def build(ctx: Context) -> dict[str, Any]:
        if f"{sender_id}/{iso_country_code}" in ctx.table("sender_ids"):
            raise ValueError(f"sender ID {sender_id} already exists in {iso_country_code}")
        record = new_sender_id_record(
            ctx,
            sender=sender_id,
            iso_country_code=iso_country_code,
            message_types=message_types,
            deletion_protection=deletion_protection,
            registered=registered,
            registration_id=registration_id,
        )
        set_tags(ctx, record["SenderIdArn"], tags)
        return public(record)

    return dict(_run(emu, region, account, build))


def complete_sender_id_registration(
    emu: Emulator,
    *,
    region: str,
    account: str | None = None,
    sender_id: str,
    iso_country_code: str,
    registration_id: str | None = None,
) -> dict[str, Any]:
    """Mark a requested sender ID registered, as AWS does when its country registration is approved."""

    def build(ctx: Context) -> dict[str, Any]:
        table = ctx.table("sender_ids")
        key = f"{sender_id}/{iso_country_code}"
        record = table.get(key)
        if record is None:
            raise KeyError(f"no sender ID {sender_id} in {iso_country_code}")
        record = {**record, "Registered": True}
        if registration_id:
            record["RegistrationId"] = registration_id
        table.put(key, record)
        return public(record)

    return dict(_run(emu, region, account, build))


def set_phone_number_status(
    emu: Emulator, *, region: str, account: str | None = None, phone_number_id: str, status: str
) -> dict[str, Any]:
    """Move a number to another status (a PENDING toll-free number becoming ACTIVE once verified)."""

    def build(ctx: Context) -> dict[str, Any]:
        table = ctx.table("phone_numbers")
        record = table.get(phone_number_id)
        if record is None:
            raise KeyError(f"no phone number {phone_number_id}")
        table.put(phone_number_id, {**record, "Status": status})
        return public(table.get(phone_number_id))

    return dict(_run(emu, region, account, build))


__all__ = [
    "complete_sender_id_registration",
    "provision_phone_number",
    "provision_sender_id",
    "set_phone_number_status",
]
