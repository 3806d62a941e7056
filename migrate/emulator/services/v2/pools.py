"""v2 pools: CreatePool, DescribePools, UpdatePool, DeletePool.

A new pool copies its first identity's keywords, opt-out list, two-way and self-managed opt-out settings
(its message type comes from the request and must fit the identity); deletion protection is not copied.
"""

from __future__ import annotations

import copy
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import conflict
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2 import lifecycle
from migrate.emulator.services.v2.access import check_two_way
from migrate.emulator.services.v2.model import (
    DEFAULT_LIST,
    SERVICE,
    deletion_protected,
    opt_out_list,
    pool,
    remember,
    replay,
    set_tags,
)
from migrate.emulator.services.v2.origination import (
    apply_two_way_settings,
    copy_keywords,
    fit,
    give_default_keywords,
)
from migrate.emulator.services.v2.pool_members import (
    attach,
    check_can_join,
    members,
    resolve_identity,
)

FILTERS = {
    "status": lambda r: r["Status"],
    "message-type": lambda r: r["MessageType"],
    "two-way-enabled": lambda r: r.get("TwoWayEnabled", False),
    "self-managed-opt-outs-enabled": lambda r: r.get("SelfManagedOptOutsEnabled", False),
    "opt-out-list-name": lambda r: r.get("OptOutListName"),
    "shared-routes-enabled": lambda r: r.get("SharedRoutesEnabled", False),
    "deletion-protection-enabled": lambda r: r.get("DeletionProtectionEnabled", False),
    "two-way-channel-arn": lambda r: r.get("TwoWayChannelArn"),
}
_INHERITED = ("TwoWayEnabled", "TwoWayChannelArn", "TwoWayChannelRole", "SelfManagedOptOutsEnabled")


@operation(SERVICE, "CreatePool")
def create_pool(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    identity = resolve_identity(ctx, params)
    table = ctx.table("pools")
    ctx.check_resource_quota("POOLS", len(table))
    pool_id = ctx.new_id("pool-")
    record: dict[str, Any] = {
        "PoolArn": ctx.arn(f"pool/{pool_id}"),
        "PoolId": pool_id,
        "Status": "CREATING",  # ACTIVE once the world's profile says (lifecycle.py, timing.py)
        "MessageType": params["MessageType"],
        "TwoWayEnabled": False,
        "SelfManagedOptOutsEnabled": False,
        "OptOutListName": DEFAULT_LIST,
        "SharedRoutesEnabled": False,
        "DeletionProtectionEnabled": bool(params.get("DeletionProtectionEnabled", False)),
        "CreatedTimestamp": ctx.now(),
    }
    if "PhoneNumberArn" in identity:
        for name in _INHERITED:
            if identity.get(name) is not None:
                record[name] = identity[name]
        record["OptOutListName"] = identity["OptOutListName"]
        copy_keywords(ctx, identity["PhoneNumberArn"], record["PoolArn"])
    else:
        # A sender ID has no keywords, opt-out list or two-way settings: the pool starts from AWS's defaults.
        give_default_keywords(ctx, record["PoolArn"])
    table.put(pool_id, record)
    # The copied settings match by construction; what can still fail is a number that is already pooled,
    # not ACTIVE, or of another message type than the request names.
    check_can_join(ctx, record, identity)
    attach(ctx, record, identity)
    set_tags(ctx, record["PoolArn"], params.get("Tags"))
    lifecycle.schedule(ctx, "pool_active", pool_id)
    record = table.get(pool_id)
    return remember(ctx, params, fit(record, "CreatePoolResult", Tags=params.get("Tags") or []))


@operation(SERVICE, "DescribePools")
def describe_pools(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    ids = params.get("PoolIds")
    records = [pool(ctx, i) for i in ids] if ids else ctx.table("pools").values()
    if params.get("Owner") == "SHARED":
        records = []
    records = apply_filters(records, params.get("Filters"), FILTERS)
    chunk, token = page(records, params)
    return {"Pools": [fit(r, "PoolInformation") for r in chunk], "NextToken": token}


@operation(SERVICE, "UpdatePool")
def update_pool(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = copy.deepcopy(pool(ctx, params["PoolId"]))  # untouched if a check below refuses the call
    _refuse_unless_active(record)
    check_two_way(ctx, params)  # its role can be assumed, its SNS topic exists (access.py)
    if params.get("OptOutListName"):
        name = opt_out_list(ctx, params["OptOutListName"])["OptOutListName"]
        record["OptOutListName"] = name
        # The pool's list is the one its numbers answer to: AWS moves every member number onto it.
        numbers = ctx.table("phone_numbers")
        for member in members(ctx, record["PoolId"]):
            number = numbers.get(member["OriginationIdentity"])
            if number is not None and number.get("OptOutListName") != name:
                numbers.put(number["PhoneNumberId"], {**number, "OptOutListName": name})
    for name in ("SharedRoutesEnabled", "DeletionProtectionEnabled"):
        if params.get(name) is not None:
            record[name] = params[name]
    apply_two_way_settings(record, params)
    ctx.table("pools").put(record["PoolId"], record)
    return fit(record, "UpdatePoolResult")


@operation(SERVICE, "DeletePool")
def delete_pool(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = pool(ctx, params["PoolId"])
    deletion_protected(record, "pool", record["PoolId"])
    _refuse_unless_active(record)
    # Deleting a pool disassociates its identities, once it is gone (DELETING until then: lifecycle.py);
    # the numbers keep their own settings and keywords.
    ctx.table("pools").put(record["PoolId"], {**record, "Status": "DELETING"})
    lifecycle.schedule(ctx, "pool_deleted", record["PoolId"])
    return fit(record, "DeletePoolResult", Status="DELETING")


def _refuse_unless_active(record: dict[str, Any]) -> None:
    # terraform-provider-aws waits for ACTIVE before it updates, associates to or deletes a pool
    # (pool.go: waitPoolActive after CreatePool and after UpdatePool).
    if record["Status"] != "ACTIVE":
        raise conflict(
            "RESOURCE_NOT_ACTIVE",
            f"Pool {record['PoolId']} is {record['Status']}, not ACTIVE.",
            "pool",
            record["PoolId"],
        )
