"""Plans for the export tests, computed from inventories built from records (no emulator, no scan).

`demo()` is the built-in demo world as a scan records it; `applied()` a world where an earlier plan was
applied (everything exists: all imported); `mixed()` one with some of everything: created, updated,
imported, blocked; `hostile()` tags and names that must be escaped in JSON and HCL.
"""

from __future__ import annotations

from dataclasses import replace

from plan.demo_inventory import demo_inventory
from plan.factories import ACCOUNT, REGION, World, phone_id

from migrate.inventory import records as r
from migrate.inventory.snapshot import Inventory
from migrate.mapping.desired import CONTENTS_KEY
from migrate.mapping.overrides import Overrides, parse_overrides
from migrate.plan.commands import compute_plan
from migrate.plan.planfile import Plan

NUMBER = "+12065550100"
OVERRIDES = '[tenants."Acme Clinics"]\nidentities = ["+12065550100", "ACME/US"]\n'
FIREHOSE = f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/acme-events"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/acme-events"
KEYWORDS = (
    {"keyword": "HELP", "message": "Acme: call 555-0100", "action": "AUTOMATIC_RESPONSE"},
    {"keyword": "STOP", "message": "Acme: you will get no more messages", "action": "OPT_OUT"},
    {"keyword": "JOIN", "message": "Welcome back", "action": "OPT_IN"},
)


def plan_of(inventory: Inventory, overrides: str = "") -> Plan:
    parsed = parse_overrides(overrides) if overrides else Overrides()
    return compute_plan(inventory, parsed, inventory, inventory_sha256="0" * 64, offline=True)


def demo() -> tuple[Plan, Inventory]:
    inventory = demo_inventory().build()
    return plan_of(inventory), inventory


def _acme(tags: dict[str, str] | None = None) -> World:
    world = World()
    app = world.tenant("Acme Clinics", sender_id="ACME", tags=tags or {"tenant": "acme"})
    world.number(NUMBER, keywords=KEYWORDS, capabilities=("SMS", "VOICE"))
    world.sender("ACME", "US", registered=True)
    world.stream(
        app, "firehose", "acme-events", "acme-events", ("pinpoint.amazonaws.com", "sms-voice.amazonaws.com")
    )
    return world


def _live_of(plan: Plan, world: World, *, pool_id: str = "pool-0a1b2c3d4e5f") -> Inventory:
    """`world` after `plan` was applied, as a scan of v2 records it."""
    inventory = world.build()
    w = {"account": ACCOUNT, "region": REGION}
    steps = {s["kind"]: s for s in plan.steps}
    name = steps["create_opt_out_list"]["parameters"]["OptOutListName"]
    tags = {t["Key"]: t["Value"] for t in steps["create_opt_out_list"]["parameters"]["Tags"]}
    contents = steps["fill_opt_out_list"]["parameters"]["contents_sha256"]
    arn = world.arn(REGION, f"opt-out-list/{name}")
    inventory.add(r.OptOutList(**w, name=name, arn=arn, size=10, tags={**tags, CONTENTS_KEY: contents}))
    destination = steps["create_event_destination"]["parameters"]
    inventory.add(
        r.ConfigurationSet(
            **w,
            name=name,
            arn=world.arn(REGION, f"configuration-set/{name}"),
            default_sender_id="ACME",
            default_message_type="TRANSACTIONAL",
            event_destinations=(
                {
                    "name": destination["EventDestinationName"],
                    "enabled": True,
                    "event_types": destination["MatchingEventTypes"],
                    "firehose": FIREHOSE,
                    "log_group": "",
                    "sns": "",
                    "role": ROLE,
                },
            ),
            tags=tags,
        )
    )
    pool = steps["create_pool"]["parameters"]
    number_arn = world.arn(REGION, f"phone-number/{phone_id(NUMBER)}")
    sender_arn = world.arn(REGION, "sender-id/ACME/US")
    inventory.add(
        r.Pool(
            **w,
            pool_id=pool_id,
            arn=world.arn(REGION, f"pool/{pool_id}"),
            status="ACTIVE",
            message_type=pool["MessageType"],
            opt_out_list=name,
            identities=(number_arn, sender_arn),
            tags={t["Key"]: t["Value"] for t in pool["Tags"]},
            keywords=KEYWORDS,
        )
    )
    numbers = inventory.records["phone_numbers"]
    numbers[:] = [replace(n, pool_id=pool_id, opt_out_list=name) for n in numbers]
    return inventory


def applied() -> tuple[Plan, Inventory]:
    world = _acme()
    first = plan_of(world.build(), OVERRIDES)
    inventory = _live_of(first, world)
    return plan_of(inventory, OVERRIDES), inventory


def mixed() -> tuple[Plan, Inventory]:
    """Acme's list and set exist (unfilled, and with another default message type); Bluebird's stream is
    a Kinesis one (its destination is blocked); Delta and Cobalt share a number (their pools are blocked)."""
    world = _acme()
    name = "pinpoint-acme-clinics"
    w = {"account": ACCOUNT, "region": REGION}
    world.add(
        r.OptOutList(
            **w, name=name, arn=world.arn(REGION, f"opt-out-list/{name}"), size=3, tags={"team": "sms"}
        ),
        r.ConfigurationSet(
            **w,
            name=name,
            arn=world.arn(REGION, f"configuration-set/{name}"),
            default_message_type="PROMOTIONAL",
        ),
    )
    bluebird = world.tenant("Bluebird Retail", short_code="22233")
    world.number("22233", number_type="SHORT_CODE")
    world.stream(bluebird, "kinesis", "bluebird-events", "bluebird-events", ("pinpoint.amazonaws.com",))
    world.tenant("Cobalt Bank")
    world.tenant("Delta Logistics")
    world.number("+13125550142", number_type="TOLL_FREE")
    overrides = OVERRIDES + (
        '[tenants."Cobalt Bank"]\nidentities = ["+13125550142"]\n'
        '[tenants."Delta Logistics"]\nidentities = ["+13125550142"]\n'
    )
    inventory = world.build()
    return plan_of(inventory, overrides), inventory


HOSTILE_TAGS = {
    "tenant": 'acme "clinics"',
    "note": "${var.secret} %{if true}x%{endif}",
    "path": "C:\\temp\\n",
    "line": "two\nlines\ttab",
    "ünï": "çødé ☎",
}


def hostile() -> tuple[Plan, Inventory]:
    world = _acme(tags=HOSTILE_TAGS)
    inventory = world.build()
    return plan_of(inventory, OVERRIDES), inventory
