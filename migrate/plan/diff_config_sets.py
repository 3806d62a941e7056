"""Configuration sets and their event destinations, diffed against the live ones.

A configuration set is created once and tagged with the plan; its default sender ID is set only once
`Default` holds the tenant's opt-outs (a send with the configuration set and no origination identity is
checked against Default: `Planner.ready_for_senders`). An event destination is created or updated to the
wanted fields, the previous ones kept in the step so rollback can put them back.
"""

from __future__ import annotations

from typing import Any

from migrate.mapping.desired import ConfigurationSetSpec, EventDestinationSpec
from migrate.mapping.shapes import api_destination, destination
from migrate.plan.diff import FieldDiff, Planner
from migrate.plan.steps import sms_arn


def plan_configuration_set(planner: Planner, spec: ConfigurationSetSpec) -> None:
    key = (spec.account, spec.region)
    arn = sms_arn(spec.account, spec.region, f"configuration-set/{spec.name}")
    blocked = planner.blockers(spec.address, spec.blocked_by)
    live = planner.live.config_set(spec.account, spec.region, spec.name)
    if blocked:
        planner.change(
            spec, "configuration_set", spec.name, "blocked", blocked_by=blocked, tenants=spec.tenants
        )
        for item in spec.event_destinations:
            planner.change(
                item,
                "event_destination",
                item.name,
                "blocked",
                blocked_by=blocked,
                parent=spec.name,
            )
        return
    steps: list[str] = []
    diff: list[FieldDiff] = []
    if live is None:
        parameters = {"ConfigurationSetName": spec.name, "Tags": planner.tags(spec.tags)}
        steps.append(
            planner.step(
                "create_configuration_set",
                *key,
                spec.address,
                spec.name,
                parameters,
                resources={"target": arn},
            )
        )
    for attribute, kind, member in (
        ("default_sender_id", "set_default_sender_id", "SenderId"),
        ("default_message_type", "set_default_message_type", "MessageType"),
    ):
        wanted = getattr(spec, attribute)
        have = getattr(live, attribute, "") if live is not None else ""
        if wanted and wanted != have:
            diff.append(FieldDiff(attribute, have or None, wanted))
            parameters = {"ConfigurationSetName": spec.name, member: wanted}
            # a default sender ID answers to Default: only once Default holds the tenant's opt-outs
            ready = planner.ready_for_senders((*key, spec.name)) if member == "SenderId" else []
            steps.append(
                planner.step(
                    kind, *key, spec.address, spec.name, parameters, [*steps[:1], *ready], {"target": arn}
                )
            )
    action = "create" if live is None else ("update" if steps else "no-op")
    planner.change(spec, "configuration_set", spec.name, action, diff=diff, steps=steps, tenants=spec.tenants)
    created = steps[:1] if live is None else []
    existing = {destination(d)["name"]: d for d in (live.event_destinations if live else ())}
    for item in spec.event_destinations:
        _event_destination(planner, item, existing.pop(item.name, None), created, arn)


def _event_destination(
    planner: Planner, spec: EventDestinationSpec, live: dict[str, Any] | None, after: list[str], set_arn: str
) -> None:
    parent = spec.configuration_set
    blocked = planner.blockers(spec.address, spec.blocked_by)
    if blocked:
        planner.change(spec, "event_destination", spec.name, "blocked", blocked_by=blocked, parent=parent)
        return
    wanted = _fields({"MatchingEventTypes": spec.event_types, "Enabled": True, **spec.api_destination()})
    have = _fields(live) if live is not None else {}
    diff = [FieldDiff(k, have.get(k), v) for k, v in wanted.items() if have.get(k) != v]
    if live is not None and not diff:
        planner.change(spec, "event_destination", spec.name, "no-op", parent=parent)
        return
    resources = {"target": set_arn, **({"role": spec.role_arn} if spec.role_arn else {})}
    parameters = {
        "ConfigurationSetName": spec.configuration_set,
        "EventDestinationName": spec.name,
        "MatchingEventTypes": sorted(spec.event_types),
        **spec.api_destination(),
    }
    name = f"{spec.configuration_set}/{spec.name}"
    args = (spec.account, spec.region, spec.address, name)
    if live is None:
        step = planner.step("create_event_destination", *args, parameters, after, resources)
    else:
        was = destination(live)
        previous = {
            "MatchingEventTypes": list(was["event_types"]),
            "Enabled": was["enabled"],
            **api_destination(was["kind"], was["target_arn"], was["role_arn"]),
        }
        parameters = {**parameters, "Enabled": True, "previous": previous}
        step = planner.step("update_event_destination", *args, parameters, after, resources)
    action = "create" if live is None else "update"
    planner.change(spec, "event_destination", spec.name, action, diff=diff, steps=[step], parent=parent)


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    """An event destination (either shape, see `shapes`) as the flat fields a diff shows."""
    found = destination(raw)
    return {
        "event_types": list(found["event_types"]),
        "enabled": found["enabled"],
        "destination": f"{found['kind']} {found['target_arn']}" if found["kind"] != "none" else None,
        "role": found["role_arn"] or None,
    }
