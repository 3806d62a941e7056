"""The mapping: `map_inventory(inventory, overrides) -> DesiredState`, a pure function.

It runs the registered rules in their order (each adds desired resources and the findings it meets while
deciding), then every registered check (`findings.check`). No clock, no network, no randomness: the same
inventory and overrides give the same desired state. Rules live in `rules_*.py`, registered with `@rule`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from migrate.inventory.snapshot import Inventory
from migrate.mapping.desired import MANAGED_BY_KEY, MANAGED_BY_VALUE, DesiredState
from migrate.mapping.findings import CHECKS, Finding, make
from migrate.mapping.index import Index
from migrate.mapping.overrides import Overrides
from migrate.mapping.tenants import Tenant, TenantSet, discover_tenants

RuleFn = Callable[["MapContext"], None]


@dataclass(frozen=True)
class Rule:
    name: str
    order: int
    fn: RuleFn
    doc: str


RULES: dict[str, Rule] = {}


def rule(order: int) -> Callable[[RuleFn], RuleFn]:
    """Register a mapping rule; rules run by `order` (later rules read what earlier ones decided)."""

    def register(fn: RuleFn) -> RuleFn:
        if fn.__name__ in RULES:
            raise ValueError(f"mapping rule {fn.__name__} registered twice")
        RULES[fn.__name__] = Rule(fn.__name__, order, fn, (fn.__doc__ or "").strip())
        return fn

    return register


@dataclass
class MapContext:
    inventory: Inventory
    overrides: Overrides
    tenants: TenantSet
    index: Index
    desired: DesiredState = field(default_factory=DesiredState)
    # what rules leave for later rules and checks, e.g. "pools_of" -> {resource name: [pool names]}
    notes: dict[str, Any] = field(default_factory=dict)

    def add(self, finding: Finding) -> Finding:
        self.desired.findings.append(finding)
        return finding

    def emit(self, code: str, tenant: Tenant | None = None, **kwargs: Any) -> Finding:
        """Raise a finding; with a tenant, its account, region, slug and name fill the scope."""
        if tenant is not None:
            kwargs.setdefault("account", tenant.account)
            kwargs.setdefault("region", tenant.region)
            kwargs.setdefault("tenant", tenant.slug)
            kwargs.setdefault("tenant_name", tenant.name)
        return self.add(make(code, **kwargs))

    def tags(self, *tenants: Tenant, name: str = "") -> dict[str, str]:
        """Tags for a resource of these tenants: theirs and the overrides', then the tool's own."""
        tags: dict[str, str] = dict(self.overrides.tags)
        for tenant in tenants:
            tags.update(tenant.tags)
        tags[MANAGED_BY_KEY] = MANAGED_BY_VALUE
        if name:
            tags["Name"] = name
        return dict(sorted(tags.items()))

    def groups(self) -> dict[tuple[str, str, str], list[Tenant]]:
        """Tenants by the resources they share: (account, region, resource name) -> tenants."""
        grouped: dict[tuple[str, str, str], list[Tenant]] = {}
        for tenant in self.tenants.tenants:
            grouped.setdefault((tenant.account, tenant.region, tenant.resource_name), []).append(tenant)
        return dict(sorted(grouped.items()))


def _load_rules() -> None:
    # Importing the modules registers their rules and checks.
    from migrate.mapping import (  # noqa: F401
        checks_account,
        checks_events,
        checks_tenant,
        rules_pools,
        rules_tenant,
        rules_v1,
    )


def map_inventory(inventory: Inventory, overrides: Overrides | None = None) -> DesiredState:
    _load_rules()
    overrides = overrides or Overrides()
    ctx = MapContext(inventory, overrides, discover_tenants(inventory, overrides), Index(inventory))
    ctx.desired.skipped = list(ctx.tenants.skipped)
    for item in sorted(RULES.values(), key=lambda r: (r.order, r.name)):
        item.fn(ctx)
    for code in sorted(CHECKS):
        for finding in CHECKS[code](ctx):
            ctx.add(finding)
    _apply_blocks(ctx.desired)
    ctx.desired.sort()
    return ctx.desired


def _apply_blocks(desired: DesiredState) -> None:
    """Copy every finding's `blocks` onto the resources it names (`blocked_by`)."""
    from dataclasses import replace

    by_address: dict[str, list[str]] = {}
    for finding in desired.findings:
        for target in finding.blocks:
            by_address.setdefault(target, []).append(finding.id)

    def merged(item: Any, target: str) -> tuple[str, ...]:
        return tuple(sorted(set(item.blocked_by) | set(by_address.get(target, []))))

    desired.opt_out_lists = [replace(r, blocked_by=merged(r, r.address)) for r in desired.opt_out_lists]
    sets = []
    for cs in desired.configuration_sets:
        dests = tuple(replace(d, blocked_by=merged(d, d.address)) for d in cs.event_destinations)
        sets.append(replace(cs, blocked_by=merged(cs, cs.address), event_destinations=dests))
    desired.configuration_sets = sets
    pools = []
    for pool in desired.pools:
        ids = tuple(
            replace(i, blocked_by=merged(i, i.membership_address(pool.account, pool.region, pool.name)))
            for i in pool.identities
        )
        pools.append(replace(pool, blocked_by=merged(pool, pool.address), identities=ids))
    desired.pools = pools
