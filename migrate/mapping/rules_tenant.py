"""Per tenant (or shared group): its opt-out list, its configuration set and event destination, its view.

Opt-out list contents = the opt-outs of every tenant whose pool answers to the list (from the scan's
endpoint exports), plus the account's `Default` list entries (so nobody who texted STOP is exposed when a number
leaves the Default list), plus the opt-outs of tenants that shared a number now given to this group. A tenant
whose export is missing blocks its list: a pool is never pointed at a list that cannot be filled.
"""

from __future__ import annotations

from typing import Any

from migrate.mapping import optout_sources as sources
from migrate.mapping.desired import (
    DEFAULT_OPT_OUT_LIST,
    ConfigurationSetSpec,
    EventDestinationSpec,
    OptOutListSpec,
    OptOutSource,
    TenantView,
    address,
)
from migrate.mapping.events import stream_event_types
from migrate.mapping.rules import MapContext, rule
from migrate.mapping.tenants import Tenant

V2_PRINCIPAL = "sms-voice.amazonaws.com"


def _source(ctx: MapContext, tenant: Tenant) -> OptOutSource | None:
    return sources.export_source(ctx.index, tenant)


def _copy_from(spec: OptOutListSpec) -> list[dict[str, Any]]:
    return spec.copy_from


@rule(order=20)
def opt_out_lists(ctx: MapContext) -> None:
    """One opt-out list per tenant or group: its tenants' opt-outs, shared-number merges, Default entries."""
    by_app = {t.app_id: t for t in ctx.tenants.tenants}
    copied: dict[tuple[str, str], list[str]] = {}
    for key, tenants in ctx.groups().items():
        account, region, name = key
        merged = sorted(ctx.notes.get("optout_merges", {}).get(key, set()))
        contributors = tenants + [by_app[a] for a in merged if a in by_app and by_app[a] not in tenants]
        found: dict[str, OptOutSource] = {}  # by file: a file for every tenant is read once per list
        missing = []
        for tenant in contributors:
            source = _source(ctx, tenant)
            files = sources.file_sources(ctx.index, tenant)
            if source is None and not any(f.app_id == tenant.app_id for f in files):
                missing.append(tenant)  # a file of its own stands in for an export it cannot have any more
            for item in ([source] if source else []) + files:
                found.setdefault(item.file, item)
        for shared in (
            sources.sns_source(ctx.index, account, region),
            sources.default_snapshot_source(ctx.index, account, region),
        ):
            if shared is not None:
                found.setdefault(shared.file, shared)
        default = ctx.index.opt_out_list((account, region), DEFAULT_OPT_OUT_LIST)
        copy_default = default.size if default is not None else 0
        if copy_default:
            copied.setdefault((account, region), []).append(name)
        target = address("opt_out_list", account, region, name)
        copy_lists = _lists_in_use(ctx, (account, region), name)
        for tenant in missing:
            ctx.emit("OPTOUT_EXPORT_MISSING", tenant, list=name, blocks=[target])
        ctx.desired.opt_out_lists.append(
            OptOutListSpec(
                account=account,
                region=region,
                name=name,
                tenants=tuple(t.slug for t in tenants),
                sources=tuple(sorted(found.values(), key=_source_order)),
                copy_default=copy_default,
                copy_lists=copy_lists,
                senders=_sends_from_sender_id(ctx, (account, region), name, tenants),
                tags=ctx.tags(*tenants),
            )
        )
    for (account, region), names in sorted(copied.items()):
        default = ctx.index.opt_out_list((account, region), DEFAULT_OPT_OUT_LIST)
        ctx.emit(
            "DEFAULT_OPTOUT_LIST_COPIED",
            account=account,
            region=region,
            count=default.size,
            lists=sorted(names),
        )


def _sends_from_sender_id(ctx: MapContext, place: tuple[str, str], name: str, tenants: list[Tenant]) -> bool:
    """Whether a tenant of the list has a sender ID: in a pool answering to the list, or on its SMS channel
    (which becomes its configuration set's default sender ID)."""
    for spec in ctx.desired.pools:
        here = (spec.account, spec.region) == place and spec.opt_out_list == name
        if here and any(not i.is_phone for i in spec.identities):
            return True
    return any(getattr(ctx.index.channels(t.app_id).get("SMS"), "sender_id", "") for t in tenants)


def _lists_in_use(ctx: MapContext, place: tuple[str, str], name: str) -> tuple[tuple[str, int], ...]:
    """Every list other than Default and `name` that an identity of a pool answering to `name` answers to
    now: a phone number's own list, and the list of the pool it is in (safety invariant 1: fill the tenant
    list from every list any of its identities is on)."""
    pools = {p.pool_id: p for p in ctx.index.inventory.of("pools") if (p.account, p.region) == place}
    found: dict[str, int] = {}
    for spec in ctx.desired.pools:
        if (spec.account, spec.region) != place or spec.opt_out_list != name:
            continue
        for identity in spec.identities:
            names: list[str] = []
            number = ctx.index.phone_number(place, identity.value) if identity.is_phone else None
            if number is not None:
                names += [number.opt_out_list, getattr(pools.get(number.pool_id), "opt_out_list", "")]
            for pool in pools.values():
                if identity.arn in pool.identities:
                    names.append(pool.opt_out_list)
            for listed in names:
                if listed and listed not in (DEFAULT_OPT_OUT_LIST, name):
                    held = ctx.index.opt_out_list(place, listed)
                    found[listed] = held.size if held is not None else 0
    return tuple(sorted(found.items()))


def _source_order(source: OptOutSource) -> tuple[int, str, str, str]:
    return (sources.SOURCE_ORDER.index(source.kind), source.tenant, source.app_id, source.file)


@rule(order=30)
def configuration_sets(ctx: MapContext) -> None:
    """One configuration set per tenant or group: default sender ID and message type, event destinations."""
    for key, tenants in ctx.groups().items():
        account, region, name = key
        sender = next(
            (c.sender_id for t in tenants if (c := ctx.index.channels(t.app_id).get("SMS")) and c.sender_id),
            "",
        )
        destinations = tuple(d for t in tenants if (d := _event_destination(ctx, t, name)) is not None)
        ctx.desired.configuration_sets.append(
            ConfigurationSetSpec(
                account=account,
                region=region,
                name=name,
                tenants=tuple(t.slug for t in tenants),
                source="tenant",
                default_sender_id=sender,
                default_message_type=ctx.notes.get("message_type", {}).get(key, ""),
                event_destinations=destinations,
                tags=ctx.tags(*tenants),
            )
        )


def _event_destination(ctx: MapContext, tenant: Tenant, config_set: str) -> EventDestinationSpec | None:
    stream = ctx.index.one("event_streams", app_id=tenant.app_id)
    item = tenant.override
    if stream is None:
        # GetEventStream refused (retired on 2026-10-30): the stream inferred from CloudTrail and IAM stands
        # in for it, but only a person's confirmation in overrides.toml turns it into a destination.
        stream = _inferred(ctx, tenant)
        if stream is not None and not (item and item.event_destination):
            return _unconfirmed(ctx, tenant, config_set, stream)
    if stream is None and not (item and item.event_destination):
        return None
    spec = EventDestinationSpec(
        account=tenant.account,
        region=tenant.region,
        configuration_set=config_set,
        name=f"{tenant.slug}-events",
        event_types=stream_event_types(),
        kind="none",
        source=_source_text(tenant, stream, item),
    )
    own_role = item.event_role if item else ""
    role = own_role or (stream.role_arn if stream else "")
    if item and item.event_destination:
        _same_region(ctx, tenant, item.event_destination, "event_destination")
        kind = item.destination_kind
        if stream is not None and _is_inferred(stream) and item.event_destination != stream.destination_arn:
            role = own_role  # another destination than the inferred one: its role is not known to be right
        if kind != "sns" and not role:
            raise ctx.overrides.error(
                ("tenants", item.key, "event_destination"), f"a {kind} destination needs `event_role` as well"
            )
        spec = _with(
            spec, kind=kind, target_arn=item.event_destination, role_arn="" if kind == "sns" else role
        )
    elif stream.destination_kind == "kinesis":
        _kinesis_unsupported(ctx, tenant, stream, spec)
        return _with(spec, target_arn=stream.destination_arn, role_arn=role)
    else:
        spec = _with(spec, kind="firehose", target_arn=stream.destination_arn, role_arn=role)
    if (
        spec.kind != "sns"
        and not own_role
        and stream
        and role == stream.role_arn
        and (bool(stream.role_trusts) if _is_inferred(stream) else stream.role_found)
        and V2_PRINCIPAL not in stream.role_trusts
    ):
        ctx.emit(
            "EVENT_ROLE_TRUST_MISSING",
            tenant,
            resource=spec.address,
            role_arn=stream.role_arn,
            used_by=f"the event stream of {tenant.name}",
            trusts=list(stream.role_trusts) or ["nothing"],
            blocks=[spec.address],
        )
    return spec


def _is_inferred(stream: Any) -> bool:
    return bool(getattr(stream, "evidence", None))


def _inferred(ctx: MapContext, tenant: Tenant) -> Any:
    found = sorted(ctx.index.of_app("inferred_event_streams", tenant.app_id), key=lambda r: r.destination_arn)
    return found[0] if found else None


def _source_text(tenant: Tenant, stream: Any, item: Any) -> str:
    if stream is None:
        return "overrides.toml"
    if _is_inferred(stream):
        return f"inferred event stream of {tenant.app_id}, confirmed in overrides.toml"
    return f"event stream of {tenant.app_id}"


def _unconfirmed(ctx: MapContext, tenant: Tenant, config_set: str, stream: Any) -> EventDestinationSpec:
    """An inferred destination, planned blocked until overrides.toml confirms it (marked, with evidence)."""
    spec = EventDestinationSpec(
        account=tenant.account,
        region=tenant.region,
        configuration_set=config_set,
        name=f"{tenant.slug}-events",
        event_types=stream_event_types(),
        kind="firehose" if stream.destination_kind == "firehose" else "none",
        target_arn=stream.destination_arn,
        role_arn=stream.role_arn,
        source=f"inferred event stream of {tenant.app_id}: " + "; ".join(stream.evidence),
    )
    ctx.emit(
        "EVENT_DESTINATION_UNCONFIRMED",
        tenant,
        resource=spec.address,
        destination=stream.destination_arn,
        role_arn=stream.role_arn or "(none found)",
        evidence="; ".join(stream.evidence),
        inferred=True,
        blocks=[spec.address],
    )
    if stream.role_arn and stream.role_trusts and V2_PRINCIPAL not in stream.role_trusts:
        # The role a confirmation would reuse must trust sms-voice.amazonaws.com too: say so now, not after.
        ctx.emit(
            "EVENT_ROLE_TRUST_MISSING",
            tenant,
            resource=spec.address,
            role_arn=stream.role_arn,
            used_by=f"the inferred event stream of {tenant.name}",
            trusts=list(stream.role_trusts),
            blocks=[spec.address],
        )
    if stream.destination_kind == "kinesis":  # confirming it would not help
        _kinesis_unsupported(ctx, tenant, stream, spec)
    return spec


def _kinesis_unsupported(ctx: MapContext, tenant: Tenant, stream: Any, spec: EventDestinationSpec) -> None:
    # v2 has no Kinesis Data Streams destination (Firehose, CloudWatch Logs and SNS only: EventDestination in
    # the SMS and Voice v2 API reference), whether the stream was read or inferred.
    ctx.emit(
        "EVENT_STREAM_KINESIS_UNSUPPORTED", tenant, destination=stream.destination_arn, blocks=[spec.address]
    )


def _with(spec: EventDestinationSpec, **changes: Any) -> EventDestinationSpec:
    from dataclasses import replace

    return replace(spec, **changes)


def _same_region(ctx: MapContext, tenant: Tenant, arn: str, key: str) -> None:
    parts = arn.split(":")
    if len(parts) > 4 and (parts[3] != tenant.region or parts[4] != tenant.account):
        assert tenant.override is not None
        raise ctx.overrides.error(
            ("tenants", tenant.override.key, key),
            f"{arn} is not in {tenant.account}/{tenant.region}, where {tenant.name!r} is",
        )


@rule(order=50)
def tenant_views(ctx: MapContext) -> None:
    """What the plan and the report show per tenant: from (project) → to (its v2 resources)."""
    lists = {(s.account, s.region, s.name): s for s in ctx.desired.opt_out_lists}
    for tenant in ctx.tenants.tenants:
        key = (tenant.account, tenant.region, tenant.resource_name)
        source = _source(ctx, tenant)
        spec = lists.get(key)
        fed = sources.fed_by(list(spec.sources), _copy_from(spec)) if spec else []
        ctx.desired.tenants.append(
            TenantView(
                account=tenant.account,
                region=tenant.region,
                app_id=tenant.app_id,
                project=tenant.project,
                name=tenant.name,
                slug=tenant.slug,
                strategy=tenant.strategy_text,
                configuration_set=tenant.resource_name,
                opt_out_list=tenant.resource_name,
                pools=tuple(ctx.notes.get("pools", {}).get(key, ())),
                channels=tenant.channels,
                opt_outs=source.count if source else 0,
                optout_sources=tuple(fed),
                optout_unread=tuple(sources.unread(ctx.index, tenant, source is not None)),
            )
        )


@rule(order=60)
def exports(ctx: MapContext) -> None:
    """What v2 cannot hold (campaigns, journeys, segments, settings, templates) → files listed in the plan."""
    from migrate.mapping.exports import build_exports

    ctx.desired.exports = build_exports(ctx.index, ctx.tenants)
