"""diff(desired, live): create / update / no-op / blocked, and the step order safety invariant 1 needs."""

from __future__ import annotations

from typing import Any

from migrate.inventory import records as r
from migrate.inventory.snapshot import Inventory
from migrate.mapping.desired import CONTENTS_KEY, MANAGED_BY_KEY, PLAN_ID_KEY
from migrate.mapping.overrides import Overrides, parse_overrides
from migrate.plan.commands import compute_plan
from migrate.plan.planfile import Plan
from plan.demo_inventory import RESOLVING_OVERRIDES, demo_inventory
from plan.factories import ACCOUNT, CLEAN_OVERRIDES, REGION, World, clean_world, phone_id

STOP = ({"Keyword": "STOP", "KeywordAction": "OPT_OUT", "KeywordMessage": "Bye"},)  # API shape: read alike


def _plan(inventory: Inventory, overrides: str = "", live: Inventory | None = None) -> Plan:
    parsed = parse_overrides(overrides) if overrides else Overrides()
    return compute_plan(inventory, parsed, live or inventory, inventory_sha256="0" * 64, offline=live is None)


def _by_kind(plan: Plan) -> dict[str, list[dict[str, Any]]]:
    kinds: dict[str, list[dict[str, Any]]] = {}
    for step in plan.steps:
        kinds.setdefault(step["kind"], []).append(step)
    return kinds


def assert_invariant_one(plan: Plan) -> None:
    """Before a pool is created, updated or joined, its list is verified and every number is switched to it."""
    position = {s["id"]: i for i, s in enumerate(plan.steps)}
    done: set[str] = set()
    for step in plan.steps:
        done.add(step["id"])
        if step["kind"] not in ("create_pool", "associate_origination_identity", "update_pool"):
            continue
        pool_list = (
            next(c for c in plan.changes if c["resource_type"] == "pool" and c["address"] == step["target"])
            if step["kind"] != "associate_origination_identity"
            else None
        )
        deps = _closure(plan, step["id"])
        verifies = [d for d in deps if "/verify_opt_out_list/" in d]
        live_list_ready = pool_list is not None and not verifies
        assert verifies or live_list_ready or step["kind"] == "associate_origination_identity", step["id"]
        for dep in deps:
            assert position[dep] < position[step["id"]]


def _closure(plan: Plan, step_id: str) -> set[str]:
    steps = {s["id"]: s for s in plan.steps}
    seen: set[str] = set()
    todo = [step_id]
    while todo:
        for dep in steps[todo.pop()]["depends_on"]:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def test_a_new_tenant_is_created_in_the_safe_order() -> None:
    plan = _plan(clean_world().build(), CLEAN_OVERRIDES)
    kinds = [s["kind"] for s in plan.steps]
    assert kinds == [
        "create_opt_out_list",
        "fill_opt_out_list",
        "verify_opt_out_list",
        "create_configuration_set",
        "set_default_message_type",
        "set_phone_number_opt_out_list",
        "create_pool",
    ]
    create_pool = plan.steps[-1]
    assert create_pool["parameters"]["OriginationIdentity"].endswith(phone_id("+12065550100"))
    assert create_pool["parameters"]["MessageType"] == "TRANSACTIONAL"
    assert set(create_pool["depends_on"]) == {plan.steps[2]["id"], plan.steps[5]["id"]}
    assert plan.steps[5]["parameters"]["previous"] == {"OptOutListName": "Default"}
    assert_invariant_one(plan)


def test_every_create_carries_a_client_token_and_the_tools_tags() -> None:
    plan = _plan(demo_inventory().build(), RESOLVING_OVERRIDES)
    creates = [s for s in plan.steps if s["kind"].startswith("create_")]
    assert creates
    tokens = [s["parameters"]["ClientToken"] for s in creates]
    assert len(set(tokens)) == len(tokens) and all(len(t) == 64 for t in tokens)
    for step in creates:
        if step["kind"] != "create_event_destination":
            tags = {t["Key"]: t["Value"] for t in step["parameters"]["Tags"]}
            assert tags[MANAGED_BY_KEY] == "pinpoint-migrate" and tags[PLAN_ID_KEY] == plan.plan_id
    assert_invariant_one(plan)


def test_a_sender_id_pool_is_pointed_at_the_list_right_after_creation() -> None:
    plan = _plan(demo_inventory().build(), RESOLVING_OVERRIDES)
    fjord = [s for s in plan.steps if s["target"].endswith("/relay-fjord-energy") and "pool" in s["kind"]]
    assert [s["kind"] for s in fjord] == ["create_pool", "update_pool"]
    assert fjord[1]["parameters"]["PoolId"] == {"$step": fjord[0]["id"], "field": "PoolId"}
    assert fjord[1]["parameters"]["OptOutListName"] == "relay-fjord-energy"


def test_resolving_the_demo_blockers_in_overrides_turns_blocked_changes_into_planned_ones() -> None:
    before = _plan(demo_inventory().build())
    after = _plan(demo_inventory().build(), RESOLVING_OVERRIDES)
    blocked = {c["address"].split("/")[-1] for c in before.changes if c["action"] == "blocked"}
    assert blocked >= {
        "pinpoint-acme-clinics",
        "pinpoint-delta-logistics",
        "bluebird-retail-events",
        "acme-clinics-events",
        "ivr-dest-6",
    }
    still = [c["address"] for c in after.changes if c["action"] == "blocked"]
    # What overrides cannot settle: a sixth v1 destination (v2 takes five per configuration set).
    assert [a.split("/")[-1] for a in still] == ["ivr-dest-6"]
    assert after.summary["steps"] > before.summary["steps"]
    codes = {f["code"] for f in after.findings}
    assert "ORIGINATION_IDENTITY_SHARED" not in codes and "EVENT_STREAM_KINESIS_UNSUPPORTED" not in codes


def _applied(plan: Plan, world: World) -> Inventory:
    """The live v2 state after `plan` was applied: what each step made, as a v2 scan would record it."""
    live = world.build()
    pools: dict[str, r.Pool] = {}
    for change in plan.changes:
        if change["action"] != "create" and change["resource_type"] != "opt_out_list":
            continue
        name = change["name"]
        if change["resource_type"] == "opt_out_list":
            fill = next(
                s for s in plan.steps if s["id"] in change["steps"] and s["kind"] == "fill_opt_out_list"
            )
            live.add(
                r.OptOutList(
                    account=ACCOUNT,
                    region=REGION,
                    name=name,
                    arn="arn:list",
                    size=10,
                    tags={CONTENTS_KEY: fill["parameters"]["contents_sha256"]},
                )
            )
        elif change["resource_type"] == "configuration_set":
            live.add(
                r.ConfigurationSet(
                    account=ACCOUNT,
                    region=REGION,
                    name=name,
                    arn="arn:cs",
                    default_message_type=change["diff"][0]["after"],
                )
            )
        elif change["resource_type"] == "pool":
            pools[name] = r.Pool(
                account=ACCOUNT,
                region=REGION,
                pool_id="pool-1",
                arn="arn:pool",
                status="ACTIVE",
                message_type="TRANSACTIONAL",
                opt_out_list=name,
                tags={"Name": name},
            )
    live.add(*pools.values())
    pid = phone_id("+12065550100")
    numbers = live.records["phone_numbers"]
    numbers[:] = [
        n if n.phone_number_id != pid else _moved(n, "pool-1", "pinpoint-acme-clinics") for n in numbers
    ]
    return live


def _moved(number: r.PhoneNumber, pool_id: str, opt_out_list: str) -> r.PhoneNumber:
    from dataclasses import replace

    return replace(number, pool_id=pool_id, opt_out_list=opt_out_list)


def test_planning_again_after_apply_reports_nothing_to_do() -> None:
    world = clean_world()
    first = _plan(world.build(), CLEAN_OVERRIDES)
    again = _plan(world.build(), CLEAN_OVERRIDES, live=_applied(first, world))
    assert again.summary["create"] == again.summary["update"] == again.summary["blocked"] == 0
    assert again.steps == [] and not again.has_changes
    assert {c["action"] for c in again.changes} == {"no-op"}


def test_updates_show_field_level_diffs_and_plan_only_what_differs() -> None:
    world = clean_world()
    live = world.build()
    live.add(
        r.OptOutList(account=ACCOUNT, region=REGION, name="pinpoint-acme-clinics", arn="arn:l", size=3),
        r.ConfigurationSet(
            account=ACCOUNT,
            region=REGION,
            name="pinpoint-acme-clinics",
            arn="arn:c",
            default_message_type="PROMOTIONAL",
        ),
    )
    plan = _plan(world.build(), CLEAN_OVERRIDES, live=live)
    changes = {c["address"].split(":")[0]: c for c in plan.changes}
    assert changes["opt_out_list"]["action"] == "update"
    assert changes["opt_out_list"]["diff"][0]["before"] == "(not verified)"
    assert [s.split("/")[2] for s in changes["opt_out_list"]["steps"]] == [
        "fill_opt_out_list",
        "verify_opt_out_list",
    ]
    assert changes["configuration_set"]["diff"] == [
        {"field": "default_message_type", "before": "PROMOTIONAL", "after": "TRANSACTIONAL"}
    ]
    assert "create_configuration_set" not in _by_kind(plan)


def test_a_live_pool_found_by_name_gets_its_list_switched_after_the_list_is_verified() -> None:
    world = clean_world()
    live = world.build()
    live.add(
        r.Pool(
            account=ACCOUNT,
            region=REGION,
            pool_id="pool-9",
            arn="arn:aws:sms-voice:us-east-1:1:pool/pool-9",
            status="ACTIVE",
            message_type="TRANSACTIONAL",
            opt_out_list="Default",
            tags={"Name": "pinpoint-acme-clinics"},
            keywords=STOP,
        )
    )
    plan = _plan(world.build(), CLEAN_OVERRIDES, live=live)
    kinds = _by_kind(plan)
    (update,) = kinds["update_pool"]
    assert update["parameters"] == {
        "PoolId": "pool-9",
        "OptOutListName": "pinpoint-acme-clinics",
        "previous": {"OptOutListName": "Default"},
    }
    assert kinds["verify_opt_out_list"][0]["id"] in update["depends_on"]
    (associate,) = kinds["associate_origination_identity"]
    assert associate["parameters"]["PoolId"] == "pool-9" and update["id"] in associate["depends_on"]
    assert_invariant_one(plan)


def test_live_settings_decide_whether_a_number_can_join_a_live_pool() -> None:
    world = clean_world()
    live = world.build()
    live.add(
        r.Pool(
            account=ACCOUNT,
            region=REGION,
            pool_id="pool-9",
            arn="arn:aws:sms-voice:us-east-1:1:pool/pool-9",
            status="ACTIVE",
            message_type="TRANSACTIONAL",
            opt_out_list="pinpoint-acme-clinics",
            two_way_enabled=True,
            tags={"Name": "pinpoint-acme-clinics"},
            keywords=STOP,
        )
    )
    plan = _plan(world.build(), CLEAN_OVERRIDES, live=live)
    (mismatch,) = [f for f in plan.findings if f["code"] == "POOL_IDENTITY_MISMATCH"]
    assert (
        mismatch["details"]["fields"] == ["two-way setting"] and mismatch["details"]["first"] == "pool pool-9"
    )
    assert "associate_origination_identity" not in _by_kind(plan)


def test_quota_blocks_the_creates_past_it_and_what_needs_them() -> None:
    world = World()
    for number, name in (("+12065550100", "A"), ("+12065550101", "B"), ("+12065550102", "C")):
        world.tenant(name)
        world.number(number)
        world.campaign(world.inventory.of("pinpoint_apps")[-1].app_id, "c", origination_number=number)
    world.replace_record("account_limits", {"name": "OPT_OUT_LISTS"}, used=23, maximum=25)
    plan = _plan(world.build())
    (quota,) = [f for f in plan.findings if f["code"] == "QUOTA_INSUFFICIENT"]
    assert quota["details"]["blocked"] == ["pinpoint-c"] and quota["severity"] == "blocker"
    blocked = sorted(c["address"].split("/")[-1] for c in plan.changes if c["action"] == "blocked")
    assert blocked == [phone_id("+12065550102"), "pinpoint-c", "pinpoint-c"]


def test_without_its_export_a_tenant_gets_no_pool_pointed_at_an_unfilled_list() -> None:
    world = clean_world()
    world.inventory.records.pop("optout_exports")
    plan = _plan(world.build(), CLEAN_OVERRIDES)
    actions = {c["address"].split(":")[0]: c["action"] for c in plan.changes}
    assert actions["opt_out_list"] == actions["pool"] == actions["pool_identity"] == "blocked"
    assert actions["configuration_set"] == "create"
    assert not {"create_pool", "set_phone_number_opt_out_list", "fill_opt_out_list"} & set(_by_kind(plan))


def test_the_live_fingerprint_ignores_when_the_scan_ran() -> None:
    from migrate.plan.live import live_fingerprint

    first, second = clean_world().build(), clean_world().build()
    second.scanned_at = "2027-01-01T00:00:00Z"
    assert live_fingerprint(first) == live_fingerprint(second)
    second.add(r.OptOutList(account=ACCOUNT, region=REGION, name="x", arn="arn:x", size=0))
    assert live_fingerprint(first) != live_fingerprint(second)
