"""Tenant cards: one tenant's from (Pinpoint project, read from the inventory) and to (v2, from the plan)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from migrate.inventory.snapshot import Inventory
from migrate.mapping.index import Index
from migrate.mapping.overrides import Overrides
from migrate.mapping.tenants import discover_tenants
from migrate.report.parts import ChangeRow, ChannelInfo, Count, OptOutInfo, StepRow, TenantCard
from migrate.report.status import FindingIndex, readiness

_ANCHOR = re.compile(r"[^a-z0-9-]+")
Row = TypeVar("Row", ChangeRow, StepRow)


def tenant_records(inventory: Inventory, planned: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The plan's tenants; without them, the tenants the default mapping would find (same names, slugs)."""
    if planned:
        return [dict(t) for t in planned]
    found = discover_tenants(inventory, Overrides())
    return [
        {
            "account": t.account,
            "region": t.region,
            "app_id": t.app_id,
            "project": t.project,
            "name": t.name,
            "slug": t.slug,
            "strategy": t.strategy_text,
            "configuration_set": t.resource_name,
            "opt_out_list": t.resource_name,
            "pools": [t.resource_name],
        }
        for t in found.tenants
    ]


def resource_names(tenant: Mapping[str, Any]) -> set[str]:
    """The names of a tenant's v2 resources (shared ones included)."""
    names = {tenant.get("configuration_set", ""), tenant.get("opt_out_list", ""), *tenant.get("pools", ())}
    return {str(n) for n in names if n}


class TenantIndex(Generic[Row]):
    """Rows (changes or steps) by the tenants they name; a shared resource's rows show in each tenant."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.by_tenant: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
        for row in rows:
            for slug in row.tenants:
                self.by_tenant[(row.account, row.region, slug)].append(row)

    def of(self, tenant: Mapping[str, Any]) -> tuple[Row, ...]:
        return tuple(self.by_tenant.get((tenant["account"], tenant["region"], tenant["slug"]), ()))


def build_card(
    index: Index,
    tenant: Mapping[str, Any],
    changes: Sequence[ChangeRow],
    steps: Sequence[StepRow],
    findings: FindingIndex,
) -> TenantCard:
    account, region, app_id, slug = tenant["account"], tenant["region"], tenant["app_id"], tenant["slug"]
    related = findings.concerning(account, region, slug, sorted(resource_names(tenant)))
    level, reasons = readiness(related, changes, steps)
    return TenantCard(
        anchor="tenant-" + _ANCHOR.sub("-", f"{account}-{region}-{slug}".lower()).strip("-"),
        account=account,
        region=region,
        app_id=app_id,
        project=str(tenant.get("project", tenant.get("name", ""))),
        name=str(tenant.get("name", "")),
        slug=slug,
        strategy=str(tenant.get("strategy", "")),
        readiness=level,
        reasons=reasons,
        channels=_channels(index, app_id),
        event_stream=_event_stream(index, app_id),
        identities=_identities(index, app_id),
        opt_outs=_opt_outs(index, account, region, app_id),
        engagement=tuple(
            Count(kind, kind, len(index.of_app(kind, app_id)))
            for kind in ("campaigns", "journeys", "segments")
        ),
        targets=tuple(changes),
        findings=related,
        steps=tuple(steps),
    )


def _channels(index: Index, app_id: str) -> tuple[ChannelInfo, ...]:
    out = []
    for channel in sorted(index.of_app("channels", app_id), key=lambda c: c.channel_type):
        detail = []
        if channel.sender_id:
            detail.append(f"sender ID {channel.sender_id}")
        if channel.short_code:
            detail.append(f"short code / number {channel.short_code}")
        if channel.from_address:
            detail.append(f"from {channel.from_address}")
        if channel.transactional_mps or channel.promotional_mps:
            detail.append(
                f"{channel.transactional_mps} / {channel.promotional_mps} MPS (transactional / promotional)"
            )
        out.append(ChannelInfo(channel.channel_type, bool(channel.enabled), ", ".join(detail)))
    return tuple(out)


def _event_stream(index: Index, app_id: str) -> str:
    streams = index.of_app("event_streams", app_id)
    if not streams:
        return ""
    stream = streams[0]
    trusts = ", ".join(stream.role_trusts) or "unknown"
    return f"{stream.destination_kind}: {stream.destination_arn} (role {stream.role_arn}, trusts {trusts})"


def _identities(index: Index, app_id: str) -> tuple[str, ...]:
    found: set[str] = set()
    for channel in index.of_app("channels", app_id):
        if channel.channel_type in ("SMS", "VOICE"):
            found.update(v for v in (channel.sender_id, channel.short_code) if v)
    for campaign in index.of_app("campaigns", app_id):
        found.update(v for v in (campaign.origination_number, campaign.sender_id) if v)
    for journey in index.of_app("journeys", app_id):
        found.update(journey.origination_numbers)
        found.update(journey.sender_ids)
    return tuple(sorted(found))


def _opt_outs(index: Index, account: str, region: str, app_id: str) -> OptOutInfo:
    exports = index.of_app("optout_exports", app_id)
    default = index.opt_out_list((account, region), "Default")
    default_size = int(default.size) if default is not None else 0
    if not exports:
        return OptOutInfo(0, 0, 0, default_size, "no opt-out export was read")
    export = exports[0]
    unique = max(export.normalised - export.duplicates, 0)
    return OptOutInfo(export.sms_opted_out, unique, export.rejected, default_size, export.file)
