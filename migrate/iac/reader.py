"""`build_model(plan, inventory) -> IacModel`: the desired v2 state of a plan, for the IaC writers (pure).

The plan says what is created, what exists already (no-op, update: imported) and what is blocked (left
out, with its findings). A created resource is described by the parameters of its steps. An existing one
is described as the inventory the plan was computed from saw it, with the plan's changes on top: so that
importing it changes nothing but what the plan itself would change. Phone numbers and sender IDs are
never created by the plan; they are imported, described from the inventory. A resource that exists but
that the inventory does not describe is left out, and the README says to scan again.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from migrate.iac.model import IacModel, LeftOut, Place, Ref, Resource
from migrate.inventory.snapshot import Inventory
from migrate.mapping.desired import NAME_KEY, PLAN_ID_KEY
from migrate.plan.planfile import Plan

_DESTINATIONS = (
    ("KinesisFirehoseDestination", "firehose", "DeliveryStreamArn"),
    ("CloudWatchLogsDestination", "cloudwatch", "LogGroupArn"),
    ("SnsDestination", "sns", "TopicArn"),
)
_LIVE_TARGET = {"firehose": "firehose", "cloudwatch": "log_group", "sns": "sns"}


def plain_tags(tags: list[dict[str, str]] | dict[str, str] | None) -> dict[str, str]:
    """Tags as a sorted dict, without the plan id (a template is not the plan that created a resource)."""
    pairs = tags.items() if isinstance(tags, dict) else ((t["Key"], t["Value"]) for t in tags or ())
    return {k: v for k, v in sorted(pairs) if k != PLAN_ID_KEY}


def first_step(steps: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    return next((s for s in steps if s["kind"] == kind), None)


class LiveIndex:
    """The inventory's v2 records, indexed the way the plan addresses resources."""

    def __init__(self, inventory: Inventory | None) -> None:
        def of(kind: str) -> list[Any]:
            return inventory.of(kind) if inventory is not None else []

        self.numbers = {(n.account, n.region, n.phone_number_id): n for n in of("phone_numbers")}
        self.by_arn: dict[str, Any] = {n.arn: n for n in of("phone_numbers")}
        self.by_arn.update({s.arn: s for s in of("sender_ids")})
        self.senders = {
            (s.account, s.region, f"{s.sender_id}/{s.iso_country_code}"): s for s in of("sender_ids")
        }
        self.pools = {(p.account, p.region, p.tags.get(NAME_KEY, "")): p for p in of("pools")}
        self.sets = {(c.account, c.region, c.name): c for c in of("configuration_sets")}
        self.lists = {(o.account, o.region, o.name): o for o in of("opt_out_lists")}
        self.registrations: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for item in of("registrations"):
            self.registrations[(item.account, item.region)].append(item)
        self.protect: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for item in of("protect_configurations"):
            self.protect[(item.account, item.region)].append(item)


class Reader:
    def __init__(self, plan: Plan, inventory: Inventory | None) -> None:
        self.plan = plan
        self.steps = {s["id"]: s for s in plan.steps}
        self.findings = {f["id"]: f for f in plan.findings}
        self.live = LiveIndex(inventory)
        self.model = IacModel(plan.plan_id)
        self.used: set[str] = set()  # ids of the findings that left a change out

    def place(self, change: dict[str, Any]) -> Place:
        return self.model.place(change["account"], change["region"])

    def steps_of(self, change: dict[str, Any]) -> list[dict[str, Any]]:
        return [self.steps[s] for s in change["steps"] if s in self.steps]

    def missing(self, change: dict[str, Any]) -> None:
        self.place(change).gap(
            "not described",
            f"{change['resource_type']} {change['name']}",
            "exists in AWS (the plan has nothing to change on it) but the inventory the plan was computed "
            "from does not describe it, so it is left out: scan again, plan, and export again.",
        )

    # -- blocked --------------------------------------------------------------------------------------------
    def left_out(self, change: dict[str, Any]) -> None:
        self.used.update(change["blocked_by"])
        found = [self.findings.get(i) for i in change["blocked_by"]]
        codes = sorted(
            {f["code"] if f else i.split("@", 1)[0] for f, i in zip(found, change["blocked_by"], strict=True)}
        )
        messages = sorted({f["message"] for f in found if f})
        self.place(change).left_out.append(
            LeftOut(change["address"], change["resource_type"], change["name"], tuple(codes), tuple(messages))
        )

    # -- opt-out lists ----------------------------------------------------------------------------------------
    def opt_out_list(self, change: dict[str, Any]) -> None:
        place, name, steps = self.place(change), change["name"], self.steps_of(change)
        key = f"opt_out_list/{name}"
        if change["action"] == "create":
            create = first_step(steps, "create_opt_out_list") or {"parameters": {}}
            tags = plain_tags(create["parameters"].get("Tags"))
            place.add(
                Resource("opt_out_list", key, name, {"name": name, "tags": tags}, address=change["address"])
            )
        else:
            live = self.live.lists.get((place.account, place.region, name))
            if live is None:
                self.missing(change)
                return
            verify = first_step(steps, "verify_opt_out_list")
            added = plain_tags(verify["parameters"].get("Tags")) if verify else {}
            live_props = {"name": name, "tags": plain_tags(dict(live.tags))}
            desired = {"name": name, "tags": plain_tags({**live.tags, **added})}
            place.add(Resource("opt_out_list", key, name, desired, True, live_props, name, change["address"]))
        fill = first_step(steps, "fill_opt_out_list")
        if fill is not None:
            place.unfilled.append(name)
            params = fill["parameters"]
            copied = sum(int(c.get("count", 0)) for c in params.get("copy_from", []))
            place.gap(
                "opt-outs are data",
                f"opt-out list {name}",
                f"at least {params.get('expected_minimum', 0)} opted-out number(s) from "
                f"{len(params.get('sources', []))} endpoint export(s) and {copied} copied from the Default list "
                "are data, not infrastructure: no template holds them. `pinpoint-migrate apply` fills and "
                "verifies the list; do it before any number or pool answers to the list.",
            )

    # -- configuration sets and their event destinations ------------------------------------------------------
    def configuration_set(self, change: dict[str, Any]) -> None:
        place, name, steps = self.place(change), change["name"], self.steps_of(change)
        key = f"configuration_set/{name}"
        sender = first_step(steps, "set_default_sender_id")
        message_type = first_step(steps, "set_default_message_type")
        if change["action"] == "create":
            create = first_step(steps, "create_configuration_set") or {"parameters": {}}
            desired: dict[str, Any] = {"name": name, "tags": plain_tags(create["parameters"].get("Tags"))}
            live_props: dict[str, Any] = {}
        else:
            live = self.live.sets.get((place.account, place.region, name))
            if live is None:
                self.missing(change)
                return
            live_props = {
                "name": name,
                "tags": plain_tags(dict(live.tags)),
                "default_sender_id": live.default_sender_id,
                "default_message_type": live.default_message_type,
                "protect_configuration_id": live.protect_configuration_id,
            }
            desired = dict(live_props)
            # What the set delivers to today: a CloudFormation set lists all its destinations, so one the
            # plan leaves as it is (blocked, or unknown to it) must stay in the template.
            live_props["event_destinations"] = [_live_destination(d, name) for d in live.event_destinations]
        if sender is not None:
            desired["default_sender_id"] = sender["parameters"]["SenderId"]
        if message_type is not None:
            desired["default_message_type"] = message_type["parameters"]["MessageType"]
        imported = change["action"] != "create"
        place.add(
            Resource(
                "configuration_set",
                key,
                name,
                desired,
                imported,
                live_props,
                name if imported else "",
                change["address"],
            )
        )

    def event_destination(self, change: dict[str, Any]) -> None:
        place, name, set_name = self.place(change), change["name"], change["parent"]
        set_key = f"configuration_set/{set_name}"
        if place.get(set_key) is None:
            return  # its configuration set is left out, and the README says why
        live_set = self.live.sets.get((place.account, place.region, set_name))
        raw = next(
            (d for d in (live_set.event_destinations if live_set else ()) if d.get("name") == name), None
        )
        live_props = _live_destination(raw, set_name) if raw is not None else {}
        step = next(iter(self.steps_of(change)), None)
        if step is not None:
            params = step["parameters"]
            kind, target, role = next(
                (k, params[m][t], params[m].get("IamRoleArn", ""))
                for m, k, t in _DESTINATIONS
                if params.get(m)
            )
            desired: dict[str, Any] = {
                "configuration_set": Ref(set_key, "name", set_name),
                "name": name,
                "enabled": bool(params.get("Enabled", True)),
                "event_types": sorted(params["MatchingEventTypes"]),
                "kind": kind,
                "target_arn": target,
                "role_arn": role,
            }
        elif raw is not None:
            desired = {**live_props, "configuration_set": Ref(set_key, "name", set_name)}
        else:
            self.missing(change)
            return
        # A destination the inventory saw is imported even where the plan says create: creating it would
        # fail (AWS refuses a second destination of that name), importing it loses nothing.
        imported = change["action"] != "create" or raw is not None
        place.add(
            Resource(
                "event_destination",
                f"event_destination/{set_name}/{name}",
                name,
                desired,
                imported,
                live_props if imported else {},
                f"{set_name},{name}" if imported else "",
                change["address"],
                parent=set_key,
            )
        )


def _live_destination(raw: dict[str, Any], set_name: str) -> dict[str, Any]:
    kind = next((k for k, field in _LIVE_TARGET.items() if raw.get(field)), "sns")
    return {
        "configuration_set": set_name,
        "name": raw["name"],
        "enabled": bool(raw.get("enabled", True)),
        "event_types": sorted(raw.get("event_types", [])),
        "kind": kind,
        "target_arn": raw.get(_LIVE_TARGET[kind], ""),
        "role_arn": raw.get("role", "") if kind != "sns" else "",
    }


def resolve(value: Any, keys: set[str]) -> Any:
    """A reference to a resource that is not in the place becomes its literal value."""
    if isinstance(value, Ref):
        return value if value.key in keys else value.literal
    if isinstance(value, dict):
        return {k: resolve(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, keys) for v in value]
    return value


def build_model(plan: Plan, inventory: Inventory | None) -> IacModel:
    from migrate.iac.reader_pools import add_pool, place_gaps

    reader = Reader(plan, inventory)
    changes = plan.changes
    for change in changes:
        if change["action"] == "blocked":
            reader.left_out(change)
    handlers = {
        "opt_out_list": reader.opt_out_list,
        "configuration_set": reader.configuration_set,
        "event_destination": reader.event_destination,
    }
    for kind in ("opt_out_list", "configuration_set", "event_destination", "pool"):
        for change in changes:
            if change["resource_type"] != kind or change["action"] == "blocked":
                continue
            if kind == "pool":
                members = [
                    c
                    for c in changes
                    if c["resource_type"] == "pool_identity"
                    and c["parent"] == change["name"]
                    and (c["account"], c["region"]) == (change["account"], change["region"])
                    and c["action"] != "blocked"
                ]
                add_pool(reader, change, members)
            else:
                handlers[kind](change)
    reader.model.findings = [
        f for f in plan.findings if f["severity"] == "blocker" and f["id"] not in reader.used
    ]
    for place in reader.model.places:
        keys = {r.key for r in place.resources}
        for resource in place.resources:
            resource.desired = resolve(resource.desired, keys)
        place_gaps(reader, place)
        place.sort()
    return reader.model
