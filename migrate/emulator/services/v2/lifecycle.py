"""Asynchronous v2 states: what a call starts and AWS finishes later, made when the emulator's clock passes it.

A call schedules a transition (`schedule`); every later v2 call of the same account and region first
makes the transitions that are due (`settle`, run before the handler, inside the call's transaction).
How long each takes comes from the world's timing profile (`migrate/emulator/timing.py`, where the
sources are cited). Table `scheduled`, per account and region: `"<transition>|<resource>"` ->
`{"Transition", "Resource", "At"}`.
"""

from __future__ import annotations

from typing import Any

from migrate.emulator import timing
from migrate.emulator.context import Context
from migrate.emulator.registry import before_call
from migrate.emulator.services.v2.model import SERVICE

TABLE = "scheduled"


def schedule(ctx: Context, transition: str, resource: str) -> float:
    """Start `transition` of `resource`; make it now if the profile gives it no delay. Returns the delay."""
    wait = timing.delay(ctx.world.meta, transition, resource)
    if wait <= 0:
        _make(ctx, transition, resource)
        return 0.0
    ctx.table(TABLE).put(
        f"{transition}|{resource}", {"Transition": transition, "Resource": resource, "At": ctx.now() + wait}
    )
    return wait


def pending(ctx: Context, transition: str, resource: str) -> bool:
    return f"{transition}|{resource}" in ctx.table(TABLE)


@before_call(SERVICE)
def settle(ctx: Context) -> None:
    """Make every transition of this account and region that is due, oldest first."""
    table = ctx.table(TABLE)
    if not len(table):
        return
    now = ctx.clock()
    due = sorted((e["At"], key, e) for key, e in table.items() if e["At"] <= now)
    for _at, key, entry in due:
        table.delete(key)
        _make(ctx, entry["Transition"], entry["Resource"])


def _make(ctx: Context, transition: str, resource: str) -> None:
    _TRANSITIONS[transition](ctx, resource)


def _pool_active(ctx: Context, pool_id: str) -> None:
    # CreatePool answers CREATING; terraform's waitPoolActive waits CREATING -> ACTIVE (pool.go).
    table = ctx.table("pools")
    record = table.get(pool_id)
    if record is not None and record["Status"] == "CREATING":
        table.put(pool_id, {**record, "Status": "ACTIVE"})


def _pool_deleted(ctx: Context, pool_id: str) -> None:
    # DeletePool answers DELETING; the pool is listed until it is gone (terraform's waitPoolDeleted,
    # Pending DELETING) and its numbers stay associated until then: terraform's phone_number.go retries
    # ReleasePhoneNumber on ConflictException PHONE_NUMBER_ASSOCIATED_TO_POOL for poolDisassociationTimeout.
    from migrate.emulator.services.v2.origination import forget_resource
    from migrate.emulator.services.v2.pool_members import detach, members

    record = ctx.table("pools").get(pool_id)
    if record is None:
        return
    for member in members(ctx, pool_id):
        detach(ctx, pool_id, member["OriginationIdentityArn"])
    ctx.table("pools").delete(pool_id)
    forget_resource(ctx, record["PoolArn"])


def _number_active(ctx: Context, number_id: str) -> None:
    # RequestPhoneNumber answers PENDING, then ASSOCIATING when it joins a pool, then ACTIVE
    # (terraform's waitPhoneNumberActive: Pending PENDING and ASSOCIATING, Target ACTIVE).
    table = ctx.table("phone_numbers")
    record = table.get(number_id)
    if record is None or record["Status"] != "PENDING" or record.get("_HeldForRegistration"):
        return
    if record.get("PoolId"):
        table.put(number_id, {**record, "Status": "ASSOCIATING"})
        schedule(ctx, "number_associated", number_id)
    else:
        table.put(number_id, {**record, "Status": "ACTIVE"})


def _number_associated(ctx: Context, number_id: str) -> None:
    table = ctx.table("phone_numbers")
    record = table.get(number_id)
    if record is not None and record["Status"] == "ASSOCIATING":
        table.put(number_id, {**record, "Status": "ACTIVE"})


def _keyword_deleted(ctx: Context, key: str) -> None:
    # DeleteKeyword succeeds at once but the keyword is still described for a while (terraform's keyword.go
    # polls until DescribeKeywords no longer shows it). A PutKeyword meanwhile makes a new record, kept.
    table = ctx.table("keywords")
    record = table.get(key)
    if record is not None and record.get("_Deleted"):
        table.delete(key)


_TRANSITIONS: dict[str, Any] = {
    "pool_active": _pool_active,
    "pool_deleted": _pool_deleted,
    "number_active": _number_active,
    "number_associated": _number_associated,
    "keyword_deleted": _keyword_deleted,
}
