"""Tenant cards: one tenant's from (Pinpoint project, read from the inventory) and to (v2, from the plan)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from migrate.inventory.snapshot import Inventory
from migrate.mapping.index import Index
from migrate.mapping.overrides import Overrides
from migrate.mapping.tenants import discover_tenants
from migrate.report.parts import ChannelInfo, Count, OptOutInfo, StepRow, Target, TenantCard
from migrate.report.status import FindingIndex, least_progressed, readiness

# Address kinds (the part before `:`) that are a tenant's v2 resources, with the words the card uses.
TARGET_KINDS = {
    "opt_out_list": "opt-out list",
    "configuration_set": "configuration set",
    "pool": "pool",
    "event_destination": "event destination",
}
_ANCHOR = re.compile(r"[^a-z0-9-]+")


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


def _address_name(address: str) -> tuple[str, str, str, str]:
    """`pool:<account>/<region>/<name>[/...]` → (kind, account, region, name)."""
    kind, _, rest = address.partition(":")
    parts = rest.split("/")
    if len(parts) < 3:
        return kind, "", "", ""
    return kind, parts[0], parts[1], parts[2]


def resource_names(tenant: Mapping[str, Any]) -> set[str]:
    """The names of a tenant's v2 resources (shared ones included)."""
    names = {tenant.get("configuration_set", ""), tenant.get("opt_out_list", ""), *tenant.get("pools", ())}
    return {str(n) for n in names if n}


class StepIndex:
    """Steps naming a tenant, or acting on one of its resources (a shared resource shows in every tenant)."""

    def __init__(self, steps: Sequence[StepRow]) -> None:
        self.order = {s.step_id: n for n, s in enumerate(steps)}
        self.by_name: dict[tuple[str, str, str], list[StepRow]] = defaultdict(list)
        self.by_tenant: dict[str, list[StepRow]] = defaultdict(list)
        for step in steps:
            _, account, region, name = _address_name(step.target)
            if name:
                self.by_name[(account, region, name)].append(step)
            for slug in step.tenants:
                self.by_tenant[slug].append(step)

    def of(self, tenant: Mapping[str, Any]) -> list[StepRow]:
        account, region = tenant["account"], tenant["region"]
        names = {
            tenant.get("configuration_set", ""),
            tenant.get("opt_out_list", ""),
            *tenant.get("pools", ()),
        }
        found: dict[str, StepRow] = {}
        for name in sorted(names - {""}):
            found.update((s.step_id, s) for s in self.by_name.get((account, region, name), ()))
        for step in self.by_tenant.get(tenant["slug"], ()):
            _, step_account, step_region, _ = _address_name(step.target)
            if (step_account, step_region) in ((account, region), ("", "")):
                found[step.step_id] = step
        return sorted(found.values(), key=lambda s: self.order[s.step_id])


def build_card(
    index: Index,
    tenant: Mapping[str, Any],
    steps: Sequence[StepRow],
    findings: FindingIndex,
) -> TenantCard:
    account, region, app_id, slug = tenant["account"], tenant["region"], tenant["app_id"], tenant["slug"]
    related = findings.concerning(account, region, slug, sorted(resource_names(tenant)))
    level, reasons = readiness(related, steps)
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
        targets=_targets(steps),
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


def _targets(steps: Sequence[StepRow]) -> tuple[Target, ...]:
    by_address: dict[str, list[StepRow]] = {}
    for step in steps:
        kind, _, _, _ = _address_name(step.target)
        if kind in TARGET_KINDS:
            by_address.setdefault(step.target, []).append(step)
    targets = []
    for address, group in by_address.items():
        kind, _, _, name = _address_name(address)
        label = address.split("/", 3)[3] if kind == "event_destination" and address.count("/") >= 3 else name
        first = group[0]
        detail = "; ".join(first.changes[:2])
        targets.append(
            Target(TARGET_KINDS[kind], label, first.action, least_progressed(s.status for s in group), detail)
        )
    order = list(TARGET_KINDS.values())
    return tuple(sorted(targets, key=lambda t: (order.index(t.kind), t.name)))
