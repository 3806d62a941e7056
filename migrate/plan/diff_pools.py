"""Pools and their members, diffed against the live pools (found again by their `Name` tag).

A pool is planned only once its opt-out list is ready (verified, or already verified live): its steps
depend on the list's verify step. Its first usable phone number is switched to the list and founds the
pool (`CreatePool` copies the list); with only sender IDs, the pool is created and then pointed at the
list. Every other member is switched, then associated. A number already in a pool this plan does not
manage is a `NUMBER_IN_OTHER_POOL` blocker; one that has vanished from v2 since the scan, an
`IDENTITY_UNAVAILABLE`. Without a usable identity, the pool is blocked by what blocks its identities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migrate.mapping.desired import IdentitySpec, PoolSpec
from migrate.mapping.findings import make
from migrate.mapping.shapes import keyword_signature
from migrate.plan.diff import FieldDiff, Planner
from migrate.plan.steps import sms_arn, step_ref


@dataclass
class Member:
    identity: IdentitySpec
    address: str
    blockers: list[str] = field(default_factory=list)
    live: Any = None  # the live PhoneNumber record
    in_pool: bool = False


def _identity_arn(pool: PoolSpec, identity: IdentitySpec) -> str:
    if identity.arn:
        return identity.arn
    return sms_arn(pool.account, pool.region, f"phone-number/{identity.identity_id}")


def _members(planner: Planner, pool: PoolSpec, live_pool: Any) -> list[Member]:
    members = []
    for identity in pool.identities:
        address = identity.membership_address(pool.account, pool.region, pool.name)
        member = Member(identity, address, planner.blockers(address, identity.blocked_by))
        if identity.is_phone and not member.blockers:
            member.live = planner.live.number(pool.account, pool.region, identity.identity_id)
            scope = {"account": pool.account, "region": pool.region, "resource": identity.value}
            if member.live is None:
                found = planner.finding(
                    make(
                        "IDENTITY_UNAVAILABLE",
                        **scope,
                        tenant=pool.tenants[0],
                        value=identity.value,
                        used_by=list(identity.used_by),
                        reason="is no longer in the live v2 state",
                        blocks=[address],
                    )
                )
                member.blockers.append(found.id)
            elif member.live.pool_id and (live_pool is None or member.live.pool_id != live_pool.pool_id):
                found = planner.finding(
                    make(
                        "NUMBER_IN_OTHER_POOL",
                        **scope,
                        value=identity.value,
                        pool_id=member.live.pool_id,
                        pool=pool.name,
                        blocks=[address],
                    )
                )
                member.blockers.append(found.id)
            else:
                member.in_pool = live_pool is not None and member.live.pool_id == live_pool.pool_id
        elif live_pool is not None and identity.arn in live_pool.identities:
            member.in_pool = True
        members.append(member)
    return members


def _switch(planner: Planner, pool: PoolSpec, member: Member, after: list[str]) -> str:
    """UpdatePhoneNumber OptOutListName, when the number answers to another list today."""
    if not member.identity.is_phone or member.live is None or member.live.opt_out_list == pool.opt_out_list:
        return ""
    parameters = {
        "PhoneNumberId": member.identity.identity_id,
        "OptOutListName": pool.opt_out_list,
        "previous": {"OptOutListName": member.live.opt_out_list},
    }
    name = f"{pool.name}/{member.identity.identity_id}"
    resources = {"identity": _identity_arn(pool, member.identity)}
    return planner.step(
        "set_phone_number_opt_out_list",
        pool.account,
        pool.region,
        member.address,
        name,
        parameters,
        after,
        resources,
    )


def _settings(record: Any) -> dict[str, Any] | None:
    """What v2 compares when a number joins a pool (a live number or pool record); None: nothing to compare."""
    if record is None:
        return None
    return {
        "two-way setting": bool(record.two_way_enabled),
        "self-managed opt-out setting": bool(record.self_managed_opt_outs),
        "keywords": keyword_signature(record.keywords),
    }


def _check_live_settings(
    planner: Planner, pool: PoolSpec, rules: dict[str, Any] | None, members: list[Member], first: str
) -> None:
    """The live settings decide (the scan the mapping read may be older, or its first number blocked)."""
    if rules is None:
        return
    for member in members:
        if member.blockers or member.in_pool or member.live is None:
            continue
        mine = _settings(member.live) or {}
        differs = [name for name, value in rules.items() if mine.get(name) != value]
        if differs and member.identity.value != first:
            found = planner.finding(
                make(
                    "POOL_IDENTITY_MISMATCH",
                    account=pool.account,
                    region=pool.region,
                    tenant=pool.tenants[0],
                    resource=member.identity.value,
                    value=member.identity.value,
                    pool=pool.name,
                    fields=differs,
                    first=first,
                    blocks=[member.address],
                )
            )
            member.blockers.append(found.id)


def plan_pool(planner: Planner, pool: PoolSpec) -> None:
    live_pool = planner.live.pool_named(pool.account, pool.region, pool.name)
    ready, list_blockers = planner.list_ready.get((pool.account, pool.region, pool.opt_out_list), ([], []))
    members = _members(planner, pool, live_pool)
    usable = [m for m in members if not m.blockers]
    if any(not m.identity.is_phone and not m.in_pool for m in usable):  # a sender ID joins the pool
        ready = planner.ready_for_senders((pool.account, pool.region, pool.opt_out_list))
    own = planner.blockers(pool.address, pool.blocked_by)
    blocked = sorted(set(own) | set(list_blockers))
    if not blocked and live_pool is None and not usable:
        blocked = sorted({b for m in members for b in m.blockers})
    if blocked:
        planner.change(pool, "pool", pool.name, "blocked", blocked_by=blocked, tenants=pool.tenants)
        for member in members:
            planner.change(
                _as(pool, member),
                "pool_identity",
                member.identity.value,
                "blocked",
                parent=pool.name,
                blocked_by=sorted(set(member.blockers) | set(blocked)),
            )
        return
    pool_arn = live_pool.arn if live_pool is not None else sms_arn(pool.account, pool.region, "pool/*")
    pool_id: Any = live_pool.pool_id if live_pool is not None else None
    founder: Member | None = None
    if live_pool is None:
        founder = next((m for m in usable if m.identity.is_phone), usable[0])
        _check_live_settings(planner, pool, _settings(founder.live), members, founder.identity.value)
        pool_ready, pool_id = _create(planner, pool, founder, ready, pool_arn)
    else:
        _check_live_settings(planner, pool, _settings(live_pool), members, f"pool {live_pool.pool_id}")
        pool_ready = _update(planner, pool, live_pool, ready)
    for member in members:
        if member is founder:
            continue
        if member.blockers:
            planner.change(
                _as(pool, member),
                "pool_identity",
                member.identity.value,
                "blocked",
                parent=pool.name,
                blocked_by=member.blockers,
            )
            continue
        if member.in_pool:
            planner.change(
                _as(pool, member), "pool_identity", member.identity.value, "no-op", parent=pool.name
            )
            continue
        switch = _switch(planner, pool, member, ready)
        parameters = {
            "PoolId": pool_id,
            "OriginationIdentity": member.identity.arn,
            "IsoCountryCode": member.identity.iso_country_code,
        }
        name = f"{pool.name}/{member.identity.identity_id}"
        resources = {"target": pool_arn, "identity": _identity_arn(pool, member.identity)}
        step = planner.step(
            "associate_origination_identity",
            pool.account,
            pool.region,
            member.address,
            name,
            parameters,
            [*pool_ready, switch],
            resources,
        )
        diff = [FieldDiff("pool", None, pool.name)]
        if switch:
            diff.append(FieldDiff("opt_out_list", member.live.opt_out_list, pool.opt_out_list))
        planner.change(
            _as(pool, member),
            "pool_identity",
            member.identity.value,
            "create",
            diff=diff,
            parent=pool.name,
            steps=[s for s in (switch, step) if s],
        )


def _create(
    planner: Planner, pool: PoolSpec, founder: Member, ready: list[str], arn: str
) -> tuple[list[str], Any]:
    switch = _switch(planner, pool, founder, ready)
    parameters = {
        "OriginationIdentity": founder.identity.arn,
        "IsoCountryCode": founder.identity.iso_country_code,
        "MessageType": pool.message_type,
        "DeletionProtectionEnabled": pool.deletion_protection,
        "Tags": planner.tags(pool.tags),
    }
    resources = {"target": arn, "identity": _identity_arn(pool, founder.identity)}
    create = planner.step(
        "create_pool",
        pool.account,
        pool.region,
        pool.address,
        pool.name,
        parameters,
        [*ready, switch],
        resources,
    )
    pool_id = step_ref(create, "PoolId")
    steps = [s for s in (switch, create) if s]
    after = [create]
    if not founder.identity.is_phone:
        update = {
            "PoolId": pool_id,
            "OptOutListName": pool.opt_out_list,
            "previous": {"OptOutListName": "Default"},
        }
        after = [
            planner.step(
                "update_pool",
                pool.account,
                pool.region,
                pool.address,
                pool.name,
                update,
                [create, *ready],
                {"target": arn},
            )
        ]
        steps += after
    diff = [
        FieldDiff("message_type", None, pool.message_type),
        FieldDiff("opt_out_list", None, pool.opt_out_list),
        FieldDiff("origination_identity", None, founder.identity.value),
        FieldDiff("deletion_protection", None, pool.deletion_protection),
    ]
    planner.change(pool, "pool", pool.name, "create", diff=diff, steps=steps, tenants=pool.tenants)
    founder_diff = [FieldDiff("pool", None, pool.name)]
    if switch:
        founder_diff.append(FieldDiff("opt_out_list", founder.live.opt_out_list, pool.opt_out_list))
    planner.change(
        _as(pool, founder),
        "pool_identity",
        founder.identity.value,
        "create",
        diff=founder_diff,
        parent=pool.name,
        steps=[s for s in (switch, create) if s],
    )
    return after, pool_id


def _update(planner: Planner, pool: PoolSpec, live: Any, ready: list[str]) -> list[str]:
    diff = []
    parameters: dict[str, Any] = {"PoolId": live.pool_id}
    previous: dict[str, Any] = {}
    if live.opt_out_list != pool.opt_out_list:
        diff.append(FieldDiff("opt_out_list", live.opt_out_list, pool.opt_out_list))
        parameters["OptOutListName"], previous["OptOutListName"] = pool.opt_out_list, live.opt_out_list
    if live.deletion_protection != pool.deletion_protection:
        diff.append(FieldDiff("deletion_protection", live.deletion_protection, pool.deletion_protection))
        parameters["DeletionProtectionEnabled"] = pool.deletion_protection
        previous["DeletionProtectionEnabled"] = live.deletion_protection
    if len(parameters) == 1:
        planner.change(pool, "pool", pool.name, "no-op", tenants=pool.tenants)
        return []
    parameters["previous"] = previous
    step = planner.step(
        "update_pool",
        pool.account,
        pool.region,
        pool.address,
        pool.name,
        parameters,
        ready,
        {"target": live.arn},
    )
    planner.change(pool, "pool", pool.name, "update", diff=diff, steps=[step], tenants=pool.tenants)
    return [step]


@dataclass(frozen=True)
class _Address:
    address: str
    account: str
    region: str


def _as(pool: PoolSpec, member: Member) -> _Address:
    return _Address(member.address, pool.account, pool.region)
