"""SMS and Voice v1 configuration sets → v2 configuration sets of the same name, destinations translated.

The name is kept so that code calling v1 `SendVoiceMessage` with `ConfigurationSetName` keeps its value
when it moves to v2. Event types are translated (`INITIATED_CALL` → `VOICE_INITIATED`, ...). v1 allows 10
destinations per set, v2 five: the first five by name are planned, the rest reported. A disabled v1
destination delivers nothing today and is not carried over.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from migrate.mapping.desired import (
    MANAGED_BY_KEY,
    MANAGED_BY_VALUE,
    ConfigurationSetSpec,
    EventDestinationSpec,
)
from migrate.mapping.events import translate
from migrate.mapping.rules import MapContext, rule
from migrate.mapping.rules_tenant import V2_PRINCIPAL
from migrate.mapping.shapes import destination

V2_DESTINATIONS_PER_SET = 5


def _destination(
    account: str, region: str, set_name: str, raw: dict[str, Any]
) -> EventDestinationSpec | None:
    found = destination(raw)
    if not found["name"] or not found["enabled"] or found["kind"] == "none":
        return None
    return EventDestinationSpec(
        account=account,
        region=region,
        configuration_set=set_name,
        name=found["name"],
        event_types=translate(list(found["event_types"])),
        kind=found["kind"],
        target_arn=found["target_arn"],
        role_arn=found["role_arn"],
        source=f"v1 {set_name}/{found['name']}",
    )


@rule(order=35)
def v1_configuration_sets(ctx: MapContext) -> None:
    """Each v1 configuration set → a v2 configuration set with its (translated) event destinations."""
    taken = {(c.account, c.region, c.name) for c in ctx.desired.configuration_sets}
    roles = {o.name: o.event_role for o in ctx.overrides.v1_sets}
    known = {c.name for c in ctx.inventory.of("v1_configuration_sets")}
    for item in ctx.overrides.v1_sets:
        if item.name not in known:
            raise ctx.overrides.error(
                ("v1_configuration_sets", item.name), "no v1 configuration set of that name"
            )
    for item in sorted(
        ctx.inventory.of("v1_configuration_sets"), key=lambda c: (c.account, c.region, c.name)
    ):
        if (item.account, item.region, item.name) in taken:
            continue  # a tenant already owns that name; its set is the one planned
        found = [_destination(item.account, item.region, item.name, d) for d in item.event_destinations]
        destinations = sorted((d for d in found if d is not None), key=lambda d: d.name)
        if item.name in roles:  # a person chose a role that trusts v2 for this set's destinations
            destinations = [replace(d, role_arn=roles[item.name]) if d.role_arn else d for d in destinations]
        spec = ConfigurationSetSpec(
            account=item.account,
            region=item.region,
            name=item.name,
            source=f"v1:{item.name}",
            event_destinations=tuple(destinations),
            tags={MANAGED_BY_KEY: MANAGED_BY_VALUE, **ctx.overrides.tags},
        )
        if len(destinations) > V2_DESTINATIONS_PER_SET:
            dropped = destinations[V2_DESTINATIONS_PER_SET:]
            ctx.emit(
                "V1_DESTINATIONS_OVER_LIMIT",
                account=item.account,
                region=item.region,
                resource=item.name,
                name=item.name,
                count=len(destinations),
                dropped=[d.name for d in dropped],
                blocks=[d.address for d in dropped],
            )
        if item.name not in roles:
            _check_roles(ctx, spec)
        ctx.desired.configuration_sets.append(spec)


def _check_roles(ctx: MapContext, spec: ConfigurationSetSpec) -> None:
    """A role the scan saw the trust policy of (through an event stream) must trust v2 as well."""
    trusts = {s.role_arn: s.role_trusts for s in ctx.inventory.of("event_streams") if s.role_found}
    for item in spec.event_destinations:
        seen = trusts.get(item.role_arn)
        if item.role_arn and seen is not None and V2_PRINCIPAL not in seen:
            ctx.emit(
                "EVENT_ROLE_TRUST_MISSING",
                account=spec.account,
                region=spec.region,
                resource=item.address,
                role_arn=item.role_arn,
                used_by=f"v1 destination {spec.name}/{item.name}",
                trusts=list(seen) or ["nothing"],
                blocks=[item.address],
            )
