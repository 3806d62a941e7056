"""Pools: each tenant's (or shared group's) origination identities, arranged the way v2 allows.

v2 facts this rule respects (DESIGN.md, CreatePool/AssociateOriginationIdentity API reference): a new pool
copies keywords, message type, opt-out list, two-way and self-managed opt-out settings from its first
identity, and every later identity must match them; a phone number is in one pool at most, a sender ID may
be in several. So: a number several tenants use goes to the owner named in overrides.toml (the others'
opt-outs are merged into the owner's list) or to nobody, with a blocker; numbers of another message type
go to a second pool (`<name>-<type>`); a number whose two-way, self-managed opt-out or keyword settings
differ from the pool's first number is reported and left out. The opt-out list is not compared: the plan
switches every member number to the tenant list before the pool is created or the number associated.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from migrate.mapping.desired import IdentitySpec, PoolSpec
from migrate.mapping.findings import Finding, make
from migrate.mapping.identities import PHONE, SENDER, Use, compatibility, resolve, uses_of
from migrate.mapping.rules import MapContext, rule
from migrate.mapping.tenants import Tenant

GroupKey = tuple[str, str, str]


@rule(order=10)
def pools(ctx: MapContext) -> None:
    """Tenant origination identities → pools (one phone number, one pool; first identity sets the rules)."""
    groups = ctx.groups()
    uses: dict[GroupKey, dict[tuple[str, str], list[Use]]] = {}
    for key, tenants in groups.items():
        uses[key] = defaultdict(list)
        for tenant in tenants:
            for use in uses_of(ctx.index, tenant):
                uses[key][(use.kind, use.value)].append(use)
    shared_blocks = _shared_numbers(ctx, groups, uses)
    pending: list[Finding] = []
    ctx.notes["pools"] = {}
    ctx.notes["message_type"] = {}
    for key, tenants in groups.items():
        identities = _identities(ctx, tenants, uses[key], shared_blocks, pending)
        specs = _arrange(ctx, key, tenants, identities, pending)
        ctx.desired.pools.extend(specs)
        ctx.notes["pools"][key] = [p.name for p in specs]
        if specs:
            ctx.notes["message_type"][key] = specs[0].message_type
    # Findings learn which memberships they block only once every pool is laid out.
    blocked: dict[str, set[str]] = defaultdict(set)
    for pool in ctx.desired.pools:
        for identity in pool.identities:
            for finding_id in identity.blocked_by:
                blocked[finding_id].add(identity.membership_address(pool.account, pool.region, pool.name))
        for finding_id in pool.blocked_by:
            blocked[finding_id].add(pool.address)
    for finding in pending + list(shared_blocks.values()):
        ctx.add(replace(finding, blocks=tuple(sorted(blocked.get(finding.id, ())))))


def _shared_numbers(
    ctx: MapContext,
    groups: dict[GroupKey, list[Tenant]],
    uses: dict[GroupKey, dict[tuple[str, str], list[Use]]],
) -> dict[tuple[str, str, str], Finding]:
    """Numbers used by several groups: give each to its owner, or block it everywhere."""
    users: dict[tuple[str, str, str], list[GroupKey]] = defaultdict(list)
    for key, by_value in uses.items():
        for kind, value in by_value:
            if kind == PHONE:
                users[(key[0], key[1], value)].append(key)
    unresolved: dict[tuple[str, str, str], Finding] = {}
    ctx.notes["optout_merges"] = defaultdict(set)
    for place_number, keys in sorted(users.items()):
        if len(keys) < 2:
            continue
        account, region, number = place_number
        owner_app = ctx.tenants.owners.get(place_number)
        owner = ctx.tenants.by_app().get(owner_app or "")
        owner_key = (owner.account, owner.region, owner.resource_name) if owner else None
        if owner is None or owner_key not in keys:
            names = sorted(t.name for k in keys for t in groups[k] if (PHONE, number) in uses[k])
            unresolved[place_number] = make(
                "ORIGINATION_IDENTITY_SHARED",
                account=account,
                region=region,
                resource=number,
                value=number,
                tenants=names,
            )
            continue
        by_app = {u.tenant.app_id: u.tenant for k in keys if k != owner_key for u in uses[k][(PHONE, number)]}
        others = [by_app[a] for a in sorted(by_app)]
        for key in keys:
            if key != owner_key:
                del uses[key][(PHONE, number)]
        ctx.notes["optout_merges"][owner_key] |= {t.app_id for t in others}
        ctx.emit(
            "OPTOUTS_MERGED_FOR_SHARED_NUMBER",
            owner,
            resource=number,
            value=number,
            owner=owner.name,
            others=[t.name for t in others],
            list=owner.resource_name,
        )
    return unresolved


def _identities(
    ctx: MapContext,
    tenants: list[Tenant],
    by_value: dict[tuple[str, str], list[Use]],
    shared: dict[tuple[str, str, str], Finding],
    pending: list[Finding],
) -> list[IdentitySpec]:
    found: list[tuple[tuple[int, int, str], IdentitySpec]] = []
    for (kind, value), uses in by_value.items():
        tenant = uses[0].tenant
        used_by = tuple(sorted({u.where for u in uses}))
        resolved = resolve(ctx.index, tenant, kind, value, used_by)
        order = (0 if kind == PHONE else 1, min(u.rank for u in uses), value)
        blocked: tuple[str, ...] = ()
        if (tenant.account, tenant.region, value) in shared and kind == PHONE:
            blocked = (shared[(tenant.account, tenant.region, value)].id,)
        if resolved.problem:
            finding = make(
                "IDENTITY_UNAVAILABLE",
                account=tenant.account,
                region=tenant.region,
                tenant=tenant.slug,
                resource=value,
                tenant_name=tenant.name,
                value=value,
                used_by=list(used_by),
                reason=resolved.problem,
            )
            pending.append(finding)
            blocked = (*blocked, finding.id)
            if not resolved.identities:
                placeholder = IdentitySpec(kind, value, "", value, "", (), used_by)
                found.append((order, replace(placeholder, blocked_by=blocked)))
                continue
        for identity in resolved.identities:
            found.append((order, replace(identity, blocked_by=blocked)))
    found.sort(key=lambda pair: (pair[0], pair[1].identity_id))
    merged: dict[str, IdentitySpec] = {}
    for _, identity in found:
        # One identity reached two ways (the channel's sender ID and an override naming its country).
        first = merged.setdefault(identity.identity_id, identity)
        merged[identity.identity_id] = replace(
            first,
            used_by=tuple(sorted(set(first.used_by) | set(identity.used_by))),
            blocked_by=tuple(sorted(set(first.blocked_by) | set(identity.blocked_by))),
        )
    return list(merged.values())


def _arrange(
    ctx: MapContext,
    key: GroupKey,
    tenants: list[Tenant],
    identities: list[IdentitySpec],
    pending: list[Finding],
) -> list[PoolSpec]:
    account, region, name = key
    lead = tenants[0]
    protection = any(t.deletion_protection for t in tenants)
    phones = [i for i in identities if i.kind == PHONE]
    senders = [i for i in identities if i.kind == SENDER]
    usable = [i for i in phones if not i.blocked_by] or [i for i in senders if not i.blocked_by]
    primary_type = _primary_type(usable or identities)
    types = [primary_type, *sorted({i.message_types[0] for i in phones if i.message_types} - {primary_type})]
    members: dict[str, list[IdentitySpec]] = {t: [] for t in types}
    for phone in phones:
        members[phone.message_types[0] if phone.message_types else primary_type].append(phone)
    for sender in senders:
        fits = [t for t in types if t in sender.message_types]
        if not fits:
            fits = [primary_type]  # reported as a mismatch below
        for message_type in fits:
            members[message_type].append(sender)
    specs = []
    for message_type in types:
        pool_name = name if message_type == primary_type else f"{name}-{message_type.lower()}"
        checked = _check_members(ctx, lead, pool_name, message_type, members[message_type], pending)
        blocked: tuple[str, ...] = ()
        if not checked:
            finding = make(
                "TENANT_HAS_NO_ORIGINATION",
                account=account,
                region=region,
                tenant=lead.slug,
                tenant_name=", ".join(t.name for t in tenants),
            )
            pending.append(finding)
            blocked = (finding.id,)
        specs.append(
            PoolSpec(
                account=account,
                region=region,
                name=pool_name,
                message_type=message_type,
                opt_out_list=name,
                tenants=tuple(t.slug for t in tenants),
                identities=tuple(checked),
                deletion_protection=protection,
                tags=ctx.tags(*tenants, name=pool_name),
                blocked_by=blocked,
            )
        )
    return specs


def _primary_type(identities: list[IdentitySpec]) -> str:
    for identity in identities:
        if identity.message_types:
            if identity.kind == SENDER and "TRANSACTIONAL" in identity.message_types:
                return "TRANSACTIONAL"
            return identity.message_types[0]
    return "TRANSACTIONAL"


def _check_members(
    ctx: MapContext,
    tenant: Tenant,
    pool_name: str,
    message_type: str,
    members: list[IdentitySpec],
    pending: list[Finding],
) -> list[IdentitySpec]:
    """Mark the identities that cannot join a pool whose first usable phone number sets the rules."""
    first = next((i for i in members if i.kind == PHONE and not i.blocked_by), None)
    rules = compatibility(ctx.index, tenant, first) if first else {}
    result = []
    for identity in members:
        differs: list[str] = []
        if identity.message_types and message_type not in identity.message_types:
            differs.append("message type")
        if first is not None and identity is not first and identity.kind == PHONE and identity.arn:
            mine = compatibility(ctx.index, tenant, identity)
            differs += [field for field, value in rules.items() if mine.get(field) != value]
        if differs and not identity.blocked_by:
            finding = make(
                "POOL_IDENTITY_MISMATCH",
                account=tenant.account,
                region=tenant.region,
                tenant=tenant.slug,
                resource=identity.value,
                tenant_name=tenant.name,
                value=identity.value,
                pool=pool_name,
                fields=differs,
                first=first.value if first else "the pool",
            )
            pending.append(finding)
            identity = replace(identity, blocked_by=(finding.id,))
        result.append(identity)
    return result
