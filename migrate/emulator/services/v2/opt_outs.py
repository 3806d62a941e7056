"""v2 opt-out lists and opted-out numbers."""

from __future__ import annotations

from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, conflict, not_found
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2.model import (
    DEFAULT_LIST,
    SERVICE,
    all_opt_out_lists,
    drop_tags,
    opt_out_list,
    public,
    remember,
    replay,
    set_tags,
)


def _numbers(ctx: Context, list_name: str) -> Any:
    return ctx.table(f"opted_out:{list_name}")


def lists_in_use(ctx: Context, list_name: str) -> list[str]:
    """Ids of the pools and phone numbers that use the opt-out list."""
    users = [p["PoolId"] for p in ctx.table("pools").values() if p.get("OptOutListName") == list_name]
    users += [
        n["PhoneNumberId"]
        for n in ctx.table("phone_numbers").values()
        if n.get("OptOutListName") == list_name
    ]
    return users


@operation(SERVICE, "CreateOptOutList")
def create_opt_out_list(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    name = params["OptOutListName"]
    table = ctx.table("opt_out_lists")
    if name in table or name == DEFAULT_LIST:
        raise conflict(
            "RESOURCE_ALREADY_EXISTS", f"Opt-out list {name} already exists.", "opt-out-list", name
        )
    ctx.check_resource_quota("OPT_OUT_LISTS", len(table))
    record = {
        "OptOutListArn": ctx.arn(f"opt-out-list/{name}"),
        "OptOutListName": name,
        "CreatedTimestamp": ctx.now(),
    }
    table.put(name, record)
    set_tags(ctx, record["OptOutListArn"], params.get("Tags"))
    return remember(ctx, params, {**public(record), "Tags": params.get("Tags") or []})


@operation(SERVICE, "DescribeOptOutLists")
def describe_opt_out_lists(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    names = params.get("OptOutListNames")
    if names:
        records = [public(opt_out_list(ctx, n)) for n in names]
    else:
        records = [public(r) for r in all_opt_out_lists(ctx)]
    owner = params.get("Owner")
    if owner == "SHARED":
        records = []
    chunk, token = page(records, params)
    return {"OptOutLists": chunk, "NextToken": token}


@operation(SERVICE, "DeleteOptOutList")
def delete_opt_out_list(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = opt_out_list(ctx, params["OptOutListName"])
    name = record["OptOutListName"]
    if name == DEFAULT_LIST:
        raise conflict(
            "RESOURCE_DELETION_NOT_ALLOWED",
            "The Default opt-out list cannot be deleted.",
            "opt-out-list",
            name,
        )
    users = lists_in_use(ctx, name)
    if users:
        raise conflict(
            "RESOURCE_NOT_EMPTY",
            f"Opt-out list {name} is in use by {', '.join(sorted(users))}.",
            "opt-out-list",
            name,
        )
    numbers = _numbers(ctx, name)
    for key in numbers.keys():  # noqa: SIM118 (a copy: we delete while walking)
        numbers.delete(key)
    ctx.table("opt_out_lists").delete(name)
    drop_tags(ctx, record["OptOutListArn"])
    return public(record)


DELETE_AGAIN_AFTER = 30 * 86400.0


@operation(SERVICE, "PutOptedOutNumber")
def put_opted_out_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = opt_out_list(ctx, params["OptOutListName"])
    number = params["OptedOutNumber"]
    if not number.startswith("+"):
        number = "+" + number
    numbers = _numbers(ctx, record["OptOutListName"])
    entry = numbers.get(number)
    if entry is None:
        entry = {"OptedOutNumber": number, "OptedOutTimestamp": ctx.now(), "EndUserOptedOut": False}
        numbers.put(number, entry)
    return {"OptOutListArn": record["OptOutListArn"], "OptOutListName": record["OptOutListName"], **entry}


@operation(SERVICE, "DeleteOptedOutNumber")
def delete_opted_out_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = opt_out_list(ctx, params["OptOutListName"])
    number = params["OptedOutNumber"]
    numbers = _numbers(ctx, record["OptOutListName"])
    entry = numbers.get(number)
    if entry is None:
        raise not_found("opted-out-number", number)
    if entry.get("EndUserOptedOut"):
        # AWS keeps a STOP the recipient sent for 30 days before it can be removed.
        raise ApiError(
            "ValidationException",
            "A number the end user opted out cannot be opted in yet.",
            Reason="PHONE_NUMBER_CANNOT_BE_OPTED_IN",
        )
    # "Each destination phone number can only be deleted once every 30 days." (DeleteOptedOutNumber, SMS
    # and Voice v2 API reference.) The modelled refusal for a number that cannot be opted back in yet is
    # ValidationException PHONE_NUMBER_CANNOT_BE_OPTED_IN.
    deletions = ctx.table("opt_out_deletions")
    key = f"{record['OptOutListName']}|{number}"
    last = (deletions.get(key) or {}).get("At")
    if last is not None and ctx.now() - last < DELETE_AGAIN_AFTER:
        raise ApiError(
            "ValidationException",
            f"{number} was deleted from {record['OptOutListName']} less than 30 days ago; "
            "each number can be deleted once every 30 days.",
            Reason="PHONE_NUMBER_CANNOT_BE_OPTED_IN",
        )
    numbers.delete(number)
    deletions.put(key, {"At": ctx.now()})
    return {"OptOutListArn": record["OptOutListArn"], "OptOutListName": record["OptOutListName"], **entry}


@operation(SERVICE, "DescribeOptedOutNumbers")
def describe_opted_out_numbers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = opt_out_list(ctx, params["OptOutListName"])
    numbers = _numbers(ctx, record["OptOutListName"])
    wanted = params.get("OptedOutNumbers")
    if wanted:
        entries = []
        for number in wanted:
            entry = numbers.get(number)
            if entry is None:
                raise not_found("opted-out-number", number)
            entries.append(entry)
    else:
        entries = numbers.values()
    entries = apply_filters(
        entries,
        params.get("Filters"),
        {
            "end-user-opted-out": lambda e: e.get("EndUserOptedOut", False),
        },
    )
    chunk, token = page(entries, params)
    return {
        "OptOutListArn": record["OptOutListArn"],
        "OptOutListName": record["OptOutListName"],
        "OptedOutNumbers": [dict(e) for e in chunk],
        "NextToken": token,
    }
