"""Tenants: the Pinpoint projects with SMS or voice enabled, with their names, slugs and strategy.

A tenant gets resources named `<prefix>-<slug>` (dedicated) or shares `<prefix>-<group>` with the other
tenants of its group (`strategy = "shared:<group>"`). Slugs come from the project name (lower case, a-z0-9
and dashes, at most 40) unless overridden; two projects of one account and region never get the same slug
(the second takes a piece of its application id). Every project gets a slug, tenant or not: exports use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from migrate.inventory.snapshot import Inventory
from migrate.mapping.overrides import Overrides, TenantOverride

VOICE_AND_SMS = ("SMS", "VOICE")
MAX_SLUG = 40


@dataclass(frozen=True)
class Tenant:
    account: str
    region: str
    app_id: str
    project: str  # the Pinpoint project's name
    name: str  # display name (override or project name)
    slug: str
    strategy: str  # dedicated | shared
    group: str  # the slug, or the shared group's name
    resource_name: str  # <prefix>-<group>: opt-out list, configuration set and pool
    channels: tuple[str, ...]  # every enabled channel type of the project
    deletion_protection: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    override: TenantOverride | None = None

    @property
    def sms(self) -> bool:
        return "SMS" in self.channels

    @property
    def voice(self) -> bool:
        return "VOICE" in self.channels

    @property
    def strategy_text(self) -> str:
        return "dedicated" if self.strategy == "dedicated" else f"shared:{self.group}"


@dataclass
class TenantSet:
    tenants: list[Tenant] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    slugs: dict[str, str] = field(default_factory=dict)  # app id -> slug, for every project
    owners: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (account, region, number) -> app

    def by_app(self) -> dict[str, Tenant]:
        return {t.app_id: t for t in self.tenants}

    def in_region(self, account: str, region: str) -> list[Tenant]:
        return [t for t in self.tenants if t.account == account and t.region == region]


def slugify(text: str, limit: int = MAX_SLUG) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")


def _enabled_channels(inventory: Inventory) -> dict[str, tuple[str, ...]]:
    channels: dict[str, set[str]] = defaultdict(set)
    for channel in inventory.of("channels"):
        if channel.enabled:
            channels[channel.app_id].add(channel.channel_type)
    return {app: tuple(sorted(types)) for app, types in channels.items()}


def _match(apps: list[Any], key: str) -> list[Any]:
    by_id = [a for a in apps if a.app_id == key]
    return by_id or [a for a in apps if a.name == key]


def _resolve(overrides: Overrides, apps: list[Any], key: str, path: tuple[str, ...]) -> Any:
    found = _match(apps, key)
    if not found:
        raise overrides.error(path, f"no Pinpoint project named or with id {key!r} in the inventory")
    if len(found) > 1:
        where = ", ".join(f"{a.app_id} ({a.account}/{a.region})" for a in found)
        raise overrides.error(path, f"{len(found)} projects are named {key!r} ({where}): use the id")
    return found[0]


def discover_tenants(inventory: Inventory, overrides: Overrides) -> TenantSet:
    apps = sorted(inventory.of("pinpoint_apps"), key=lambda a: (a.account, a.region, a.app_id))
    channels = _enabled_channels(inventory)
    by_override: dict[str, TenantOverride] = {}
    for item in overrides.tenants:
        app = _resolve(overrides, apps, item.key, ("tenants", item.key))
        if app.app_id in by_override:
            raise overrides.error(("tenants", item.key), f"project {app.app_id} is configured twice")
        if not set(channels.get(app.app_id, ())) & set(VOICE_AND_SMS):
            raise overrides.error(("tenants", item.key), f"project {app.name!r} has no SMS or voice channel")
        by_override[app.app_id] = item
    included = {_resolve(overrides, apps, k, ("include",)).app_id for k in overrides.include}
    excluded = {_resolve(overrides, apps, k, ("exclude",)).app_id for k in overrides.exclude}

    result = TenantSet()
    result.slugs = _slugs(apps, by_override, overrides)
    for app in apps:
        enabled = channels.get(app.app_id, ())
        reason = ""
        if not set(enabled) & set(VOICE_AND_SMS):
            reason = "no SMS or voice channel enabled"
        elif included and app.app_id not in included:
            reason = "not in `include` of overrides.toml"
        elif app.app_id in excluded:
            reason = "in `exclude` of overrides.toml"
        if reason:
            result.skipped.append(
                {
                    "account": app.account,
                    "region": app.region,
                    "app_id": app.app_id,
                    "name": app.name,
                    "reason": reason,
                }
            )
            continue
        result.tenants.append(
            _tenant(app, enabled, result.slugs[app.app_id], by_override.get(app.app_id), overrides)
        )
    _check_groups(result, overrides)
    result.owners = _owners(inventory, overrides, result)
    return result


def _tenant(
    app: Any, enabled: tuple[str, ...], slug: str, item: TenantOverride | None, overrides: Overrides
) -> Tenant:
    strategy, group = "dedicated", slug
    if item and item.strategy.startswith("shared:"):
        strategy, group = "shared", item.strategy.split(":", 1)[1]
    protection = overrides.deletion_protection
    if item and item.deletion_protection is not None:
        protection = item.deletion_protection
    tags = {k: str(v) for k, v in sorted(app.tags.items()) if not k.lower().startswith("aws:")}
    tags.update(overrides.tags)
    tags.update(item.tags if item else {})
    return Tenant(
        account=app.account,
        region=app.region,
        app_id=app.app_id,
        project=app.name,
        name=(item.name if item and item.name else app.name),
        slug=slug,
        strategy=strategy,
        group=group,
        resource_name=f"{overrides.prefix}-{group}",
        channels=enabled,
        deletion_protection=protection,
        tags=tags,
        override=item,
    )


def _slugs(apps: list[Any], by_override: dict[str, TenantOverride], overrides: Overrides) -> dict[str, str]:
    """A slug for every project, unique within its account and region."""
    taken: dict[tuple[str, str, str], str] = {}
    slugs: dict[str, str] = {}

    # Overridden slugs are placed first, in file order: they are a person's choice, and a clash is their
    # error to fix (reported at the later line).
    def order(app: Any) -> tuple[Any, ...]:
        item = by_override.get(app.app_id)
        return (item is None, item.line if item else 0, app.account, app.region, app.app_id)

    ordered = sorted(apps, key=order)
    for app in ordered:
        item = by_override.get(app.app_id)
        if item and item.slug:
            key = (app.account, app.region, item.slug)
            if key in taken:
                raise overrides.error(
                    ("tenants", item.key, "slug"),
                    f"slug {item.slug!r} is already used by project {taken[key]}",
                )
            taken[key], slugs[app.app_id] = app.app_id, item.slug
            continue
        base = slugify(app.name) or f"project-{app.app_id[:8].lower()}"
        slug = base
        if (app.account, app.region, slug) in taken:
            slug = f"{base[: MAX_SLUG - 7].rstrip('-')}-{slugify(app.app_id)[:6]}"
        taken[(app.account, app.region, slug)], slugs[app.app_id] = app.app_id, slug
    return slugs


def _check_groups(result: TenantSet, overrides: Overrides) -> None:
    """A shared group must not take the name of a dedicated tenant's resources."""
    dedicated = {(t.account, t.region, t.group): t for t in result.tenants if t.strategy == "dedicated"}
    for tenant in result.tenants:
        clash = dedicated.get((tenant.account, tenant.region, tenant.group))
        if tenant.strategy == "shared" and clash is not None and tenant.override is not None:
            raise overrides.error(
                ("tenants", tenant.override.key, "strategy"),
                f"group {tenant.group!r} has the name of tenant {clash.name!r}'s resources; choose another",
            )


def _owners(inventory: Inventory, overrides: Overrides, result: TenantSet) -> dict[tuple[str, str, str], str]:
    numbers = {(n.account, n.region, n.phone_number) for n in inventory.of("phone_numbers")}
    tenants = result.tenants
    owners: dict[tuple[str, str, str], str] = {}
    for item in overrides.numbers:
        path = ("numbers", item.number, "owner")
        places = sorted((a, r) for a, r, n in numbers if n == item.number)
        if not places:
            raise overrides.error(("numbers", item.number), "no such phone number in the inventory")
        found = _match(tenants, item.owner) or [t for t in tenants if t.project == item.owner]
        found = [t for t in found if (t.account, t.region) in places]
        if len(found) != 1:
            problem = "is not a tenant" if not found else "names several tenants: use the application id"
            raise overrides.error(path, f"{item.owner!r} {problem} where {item.number} is")
        owners[(found[0].account, found[0].region, item.number)] = found[0].app_id
    return owners
