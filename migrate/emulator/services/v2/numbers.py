"""v2 origination phone numbers: RequestPhoneNumber, DescribePhoneNumbers, UpdatePhoneNumber, ReleasePhoneNumber."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, conflict
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2 import e164, lifecycle
from migrate.emulator.services.v2.access import check_two_way
from migrate.emulator.services.v2.model import (
    DEFAULT_LIST,
    SERVICE,
    deletion_protected,
    opt_out_list,
    phone_number,
    pool,
    registration,
    remember,
    replay,
    set_tags,
)
from migrate.emulator.services.v2.origination import (
    apply_two_way_settings,
    fit,
    forget_resource,
    give_default_keywords,
    invalid_parameter,
    registration_complete,
)
from migrate.emulator.services.v2.pool_members import join_pool_as_new_number

# What AWS charges per month, in USD, as DescribePhoneNumbers reports it (US prices; close enough elsewhere).
LEASING_PRICE = {
    "SHORT_CODE": "995.00",
    "LONG_CODE": "1.00",
    "TEN_DLC": "2.00",
    "TOLL_FREE": "2.00",
    "SIMULATOR": "0.00",
}
# Number types that cannot send in the US until their registration (10DLC campaign, toll-free verification)
# completes: AWS leaves them PENDING until then.
_REGISTERED_IN_US = frozenset({"TEN_DLC", "TOLL_FREE"})

FILTERS = {
    "status": lambda r: r["Status"],
    "iso-country-code": lambda r: r["IsoCountryCode"],
    "message-type": lambda r: r["MessageType"],
    "number-capability": lambda r: r["NumberCapabilities"],
    "number-type": lambda r: r["NumberType"],
    "two-way-enabled": lambda r: r.get("TwoWayEnabled", False),
    "self-managed-opt-outs-enabled": lambda r: r.get("SelfManagedOptOutsEnabled", False),
    "opt-out-list-name": lambda r: r.get("OptOutListName"),
    "deletion-protection-enabled": lambda r: r.get("DeletionProtectionEnabled", False),
    "two-way-channel-arn": lambda r: r.get("TwoWayChannelArn"),
}


def new_phone_number_record(
    ctx: Context,
    *,
    phone_number: str,
    number_type: str,
    message_type: str,
    capabilities: list[str],
    iso_country_code: str,
    status: str = "ACTIVE",
    opt_out_list_name: str = DEFAULT_LIST,
    deletion_protection: bool = False,
    registration_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Store a phone number with AWS's defaults (Default opt-out list, HELP/STOP keywords) and return it."""
    number_id = ctx.new_id("phone-")
    record: dict[str, Any] = {
        "PhoneNumberArn": ctx.arn(f"phone-number/{number_id}"),
        "PhoneNumberId": number_id,
        "PhoneNumber": phone_number,
        "Status": status,
        "IsoCountryCode": iso_country_code,
        "MessageType": message_type,
        "NumberCapabilities": list(capabilities),
        "NumberType": number_type,
        "MonthlyLeasingPrice": LEASING_PRICE.get(number_type, "1.00"),
        "TwoWayEnabled": False,
        "SelfManagedOptOutsEnabled": False,
        "OptOutListName": opt_out_list_name,
        "InternationalSendingEnabled": False,
        "DeletionProtectionEnabled": deletion_protection,
        "CreatedTimestamp": ctx.now(),
    }
    if registration_id:
        record["RegistrationId"] = registration_id
    record.update(extra)
    ctx.table("phone_numbers").put(number_id, record)
    give_default_keywords(ctx, record["PhoneNumberArn"])
    return record


def _check_request(params: dict[str, Any]) -> None:
    country, number_type = params["IsoCountryCode"], params["NumberType"]
    if number_type == "TEN_DLC" and country != "US":
        raise invalid_parameter("10DLC phone numbers exist only in the United States.", "NumberType")
    if number_type == "LONG_CODE" and country == "US":
        # US carriers stopped accepting A2P traffic from P2P long codes in 2021; AWS sells 10DLC instead.
        raise invalid_parameter(
            "LONG_CODE numbers are not available in US; request TEN_DLC or TOLL_FREE.", "NumberType"
        )
    if number_type == "SIMULATOR" and params["MessageType"] != "TRANSACTIONAL":
        # There are no PROMOTIONAL simulator numbers to hand out: AWS answers ResourceNotFoundException
        # (what terraform-provider-aws's acceptance runs met; its phone_number_test.go and the SMS user
        # guide's simulator numbers are all TRANSACTIONAL).
        raise ApiError(
            "ResourceNotFoundException",
            f"No SIMULATOR phone number is available in {country} for MessageType {params['MessageType']}.",
            ResourceType="phone-number",
            ResourceId=f"SIMULATOR/{country}/{params['MessageType']}",
        )


@operation(SERVICE, "RequestPhoneNumber")
def request_phone_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    _check_request(params)
    country, number_type = params["IsoCountryCode"], params["NumberType"]
    list_name = (
        opt_out_list(ctx, params["OptOutListName"])["OptOutListName"]
        if params.get("OptOutListName")
        else None
    )
    target_pool = pool(ctx, params["PoolId"]) if params.get("PoolId") else None
    registration_id = None
    if params.get("RegistrationId"):
        registration_id = registration(ctx, params["RegistrationId"])["RegistrationId"]
    table = ctx.table("phone_numbers")
    ctx.check_resource_quota("PHONE_NUMBERS", len(table))
    # Every requested number starts PENDING (ACTIVE later: lifecycle.py); one that needs a registration
    # that is not complete stays PENDING until it is.
    held = (
        country == "US"
        and number_type in _REGISTERED_IN_US
        and not registration_complete(ctx, registration_id)
    )
    seed = int(hashlib.sha256(ctx.new_id().encode()).hexdigest()[:12], 16)
    taken = {r["PhoneNumber"] for r in table.values()}
    record = new_phone_number_record(
        ctx,
        phone_number=e164.new_number(country, number_type, seed, taken),
        number_type=number_type,
        message_type=params["MessageType"],
        capabilities=params["NumberCapabilities"],
        iso_country_code=country,
        status="PENDING",
        opt_out_list_name=list_name or DEFAULT_LIST,
        deletion_protection=bool(params.get("DeletionProtectionEnabled", False)),
        registration_id=registration_id,
        InternationalSendingEnabled=bool(params.get("InternationalSendingEnabled", False)),
    )
    if held:
        record["_HeldForRegistration"] = True
    if target_pool is not None:
        join_pool_as_new_number(ctx, target_pool, record, list_named=list_name is not None)
    set_tags(ctx, record["PhoneNumberArn"], params.get("Tags"))
    table.put(record["PhoneNumberId"], record)
    if not held:
        lifecycle.schedule(ctx, "number_active", record["PhoneNumberId"])
    record = table.get(record["PhoneNumberId"])
    return remember(ctx, params, fit(record, "RequestPhoneNumberResult", Tags=params.get("Tags") or []))


@operation(SERVICE, "DescribePhoneNumbers")
def describe_phone_numbers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    ids = params.get("PhoneNumberIds")
    records = [phone_number(ctx, i) for i in ids] if ids else ctx.table("phone_numbers").values()
    if params.get("Owner") == "SHARED":
        records = []  # nothing is shared with this account in the emulator
    records = apply_filters(records, params.get("Filters"), FILTERS)
    chunk, token = page(records, params)
    return {"PhoneNumbers": [fit(r, "PhoneNumberInformation") for r in chunk], "NextToken": token}


def _refuse_if_pooled(record: dict[str, Any], action: str) -> None:
    if record.get("PoolId"):
        raise conflict(
            "PHONE_NUMBER_ASSOCIATED_TO_POOL",
            f"The phone number {record['PhoneNumberId']} is associated with pool {record['PoolId']} and cannot "
            f"be {action}; disassociate it first.",
            "phone-number",
            record["PhoneNumberId"],
        )


@operation(SERVICE, "UpdatePhoneNumber")
def update_phone_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    # A copy: the stored row must stay as it was if a check below refuses the call (rollback).
    record = copy.deepcopy(phone_number(ctx, params["PhoneNumberId"]))
    _refuse_if_pooled(record, "updated")
    check_two_way(ctx, params)  # its role can be assumed, its SNS topic exists (access.py)
    if params.get("OptOutListName"):
        record["OptOutListName"] = opt_out_list(ctx, params["OptOutListName"])["OptOutListName"]
    for name in ("DeletionProtectionEnabled", "InternationalSendingEnabled"):
        if params.get(name) is not None:
            record[name] = params[name]
    apply_two_way_settings(record, params)
    ctx.table("phone_numbers").put(record["PhoneNumberId"], record)
    return fit(record, "UpdatePhoneNumberResult")


@operation(SERVICE, "ReleasePhoneNumber")
def release_phone_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = phone_number(ctx, params["PhoneNumberId"])
    deletion_protected(record, "phone-number", record["PhoneNumberId"])
    _refuse_if_pooled(record, "released")
    ctx.table("phone_numbers").delete(record["PhoneNumberId"])
    forget_resource(ctx, record["PhoneNumberArn"])
    return fit(record, "ReleasePhoneNumberResult", Status="DELETED")
