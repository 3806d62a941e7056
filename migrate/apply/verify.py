"""`verify`: is the live state what the plan wants, and can nobody who opted out be messaged?

Every step of the plan is checked field by field against the live resource (each kind's `verify()`).
Then, for every tenant pool, `SendTextMessage` with `DryRun=True` goes from the pool to a sample of that
tenant's opted-out numbers and of the account's `Default` list (all of them with `--full`): each must be
refused with `DESTINATION_PHONE_NUMBER_OPTED_OUT`. A send refused earlier for another reason (the SMS
sandbox, no identity for that country) proves nothing about the list, so the number is then looked up on
the pool's list directly. Nothing is changed (the calls go through a read-only `Api`); the results are
printed as a pass/fail table and written to `verify.json` for the report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.apply.clients import AwsOptions, Clients
from migrate.apply.dryrun import Api
from migrate.apply.errors import StepError
from migrate.apply.executor import describe_error, resolve
from migrate.apply.fill import csv_numbers, list_numbers, sample, source_file
from migrate.apply.journal import read_journal
from migrate.apply.kinds import KINDS, Check, StepRun
from migrate.apply.kinds.base import change_of, error_code, not_found, tag_list, tags_of
from migrate.apply.kinds.pools import find_pool
from migrate.apply.selection import Selection, resolve_selection, select_steps, tenant_checks, wave_status
from migrate.apply.stale import check_accounts
from migrate.apply.state import plan_state
from migrate.clock import iso, now_utc
from migrate.emulator import Emulator
from migrate.fileio import write_atomic
from migrate.inventory.snapshot import InventoryError, load_inventory
from migrate.mapping.desired import CONTENTS_KEY, NAME_KEY
from migrate.plan.planfile import Plan, load_plan

OPTED_OUT = "DESTINATION_PHONE_NUMBER_OPTED_OUT"


@dataclass
class VerifyOptions:
    plan_path: Path
    aws: AwsOptions = field(default_factory=AwsOptions)
    journal_path: Path | None = None
    data_dir: Path | None = None
    out_path: Path | None = None
    full: bool = False
    sample_size: int = 20
    echo: Callable[[str], None] = print
    tenants: tuple[str, ...] = ()  # --tenant / --wave: check only these tenants and what they depend on
    wave: str | None = None
    wave_name: str | None = None


@dataclass
class VerifyResult:
    plan_id: str
    checks: list[Check]
    path: Path
    selection: Selection = field(default_factory=Selection)
    tenants: dict[str, dict[str, Any]] = field(default_factory=dict)  # per tenant: checks passed/failed

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.checks)

    def table(self) -> list[str]:
        """PASS/FAIL per check, grouped by account and region."""
        rows = sorted(((*_place(c.step), c) for c in self.checks), key=lambda row: row[0])
        width = min(max([len(label) for _g, label, _c in rows] + [10]), 64)
        lines: list[str] = []
        group = None
        for place, label, check in rows:
            if place != group:
                group = place
                lines.append(place or "(no account)")
            lines.append(f"  {'PASS' if check.ok else 'FAIL'}  {label:{width}}  {check.detail}")
        failed = sum(1 for c in self.checks if not c.ok)
        lines.append(f"{len(self.checks)} check(s), {failed} failed; wrote {self.path}")
        return lines


def _place(step: str) -> tuple[str, str]:
    parts = step.split("/", 2)
    if len(parts) == 3 and parts[0].isdigit():
        return f"{parts[0]} {parts[1]}", parts[2]
    return "", step


def mask(number: str) -> str:
    return number[:-4] + "****" if len(number) > 6 else "****"


def _step_run(
    plan: Plan,
    step: dict[str, Any],
    params: dict[str, Any],
    api: Api,
    state: Any,
    data_dir: Path,
    cache: dict[str, Any] | None = None,
) -> StepRun:
    change = change_of(plan.changes, step)
    return StepRun(
        step,
        params,
        api,
        state,
        plan.plan_id,
        data_dir,
        lambda _t: None,
        None,
        change=change,
        cache=cache or {},
    )


def run_verify(options: VerifyOptions, *, emulator: Emulator | None = None) -> VerifyResult:
    plan = load_plan(Path(options.plan_path))
    folder = Path(options.plan_path).parent
    data_dir = options.data_dir or folder
    clients = Clients(options.aws, emulator)
    check_accounts(plan, list(clients.accounts))
    records = read_journal(options.journal_path or folder / "journal.jsonl").records
    state = plan_state(records, plan.plan_id)

    def api(account: str, region: str) -> Api:
        return clients.api(account, region, "read-only", options.echo)

    selection = resolve_selection(plan.data["tenants"], options.tenants, options.wave, options.wave_name)
    scope = select_steps(plan.steps, selection).steps
    checks: list[Check] = []
    cache: dict[str, Any] = {}  # what verify reads once and checks for several steps (a list's numbers)
    pools: dict[str, tuple[str, dict[str, Any]]] = {}  # pool address -> (create step id, pool)
    for step in scope:
        run_api = api(step["account"], step["region"])
        if step["kind"] == "create_pool" and step["id"] not in state.results:
            found = find_pool(
                _step_run(plan, step, step["parameters"], run_api, state, data_dir), _name(step)
            )
            if found is not None:
                state.results[step["id"]] = {"PoolId": found[0]["PoolId"], "PoolArn": found[0]["PoolArn"]}
        try:
            params = resolve(step["parameters"], state.results, dry_run=False)
            run = _step_run(plan, step, params, run_api, state, data_dir, cache)
            checks += KINDS[step["kind"]].verify(run)
        except Exception as exc:
            checks.append(Check(step["id"], False, describe_error(exc)))
    for (account, region), step_ids in _create_steps(plan).items():
        for name, pool in _live_pools(api(account, region)).items():
            pools[f"{account}/{region}/{name}"] = (
                step_ids.get(name, f"{account}/{region}/pool/{name}"),
                pool,
            )
    checks += _unchanged_checks(plan, pools, api)
    checks += _send_checks(plan, pools, api, data_dir, options, selection)
    path = options.out_path or folder / "verify.json"
    per_tenant = tenant_checks(plan.steps, [(c.step, c.ok) for c in checks], selection)
    result = VerifyResult(plan.plan_id, checks, path, selection, per_tenant)
    _write(result, path)
    return result


def _unchanged_checks(
    plan: Plan, pools: dict[str, tuple[str, dict[str, Any]]], api: Callable[[str, str], Api]
) -> list[Check]:
    """Resources the plan found already as wanted (no-op, so no step): still there?"""
    from migrate.apply.kinds.configsets import describe_set
    from migrate.apply.kinds.lists import describe_list

    checks = []
    for change in plan.changes:
        if change["action"] != "no-op":
            continue
        kind, name, place = change["resource_type"], change["name"], (change["account"], change["region"])
        label = f"{place[0]}/{place[1]}/{kind}/{name}"
        if kind == "opt_out_list":
            found = describe_list(api(*place), name)
            tags = tags_of(api(*place), found["OptOutListArn"]) if found else {}
            ok = found is not None and CONTENTS_KEY in tags
            checks.append(
                Check(
                    label,
                    ok,
                    f"opt-out list {name} " + ("exists, verified" if ok else "is missing or unverified"),
                )
            )
        elif kind == "configuration_set":
            ok = describe_set(api(*place), name) is not None
            checks.append(Check(label, ok, f"configuration set {name} " + ("exists" if ok else "is missing")))
        elif kind == "event_destination":
            found_set = describe_set(api(*place), change["parent"]) or {}
            names = {d["EventDestinationName"] for d in found_set.get("EventDestinations", ())}
            ok = name in names
            checks.append(
                Check(
                    label,
                    ok,
                    f"event destination {change['parent']}/{name} " + ("exists" if ok else "is missing"),
                )
            )
        elif kind == "pool":
            ok = f"{place[0]}/{place[1]}/{name}" in pools
            checks.append(Check(label, ok, f"pool {name} " + ("exists" if ok else "is missing")))
    return checks


def _name(step: dict[str, Any]) -> str:
    return tag_list(step["parameters"].get("Tags")).get(NAME_KEY, step["id"])


def _create_steps(plan: Plan) -> dict[tuple[str, str], dict[str, str]]:
    places: dict[tuple[str, str], dict[str, str]] = {}
    for tenant in plan.data["tenants"]:
        places.setdefault((tenant["account"], tenant["region"]), {})
    for step in plan.steps:
        if step["kind"] == "create_pool":
            places.setdefault((step["account"], step["region"]), {})[_name(step)] = step["id"]
    return places


def _live_pools(api: Api) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for pool in api.items("DescribePools", "Pools"):
        name = tags_of(api, pool["PoolArn"]).get(NAME_KEY)
        if name:
            found.setdefault(name, pool)
    return found


def _tenant_numbers(plan: Plan, tenant: dict[str, Any], data_dir: Path) -> list[str]:
    """The tenant's opted-out numbers: the scan's file named by the plan's fill step, or by the inventory."""
    sources = [
        s
        for step in plan.steps
        if step["kind"] == "fill_opt_out_list"
        for s in step["parameters"].get("sources", ())
        if s.get("app_id") == tenant["app_id"]
    ]
    if not sources:
        try:
            inventory = load_inventory(data_dir / "inventory.json")
        except (InventoryError, OSError):
            return []
        sources = [
            {"file": r.file, "sha256": r.sha256}
            for r in inventory.of("optout_exports")
            if r.app_id == tenant["app_id"]
        ]
    return [n for source in sources for n in csv_numbers(source_file(data_dir, source))]


def _send_checks(
    plan: Plan,
    pools: dict[str, tuple[str, dict[str, Any]]],
    api: Callable[[str, str], Api],
    data_dir: Path,
    options: VerifyOptions,
    selection: Selection,
) -> list[Check]:
    checks = []
    size = 0 if options.full else options.sample_size
    defaults: dict[tuple[str, str], list[str]] = {}
    for tenant in plan.data["tenants"]:
        if not selection.everything and tenant["slug"] not in selection.tenants:
            continue
        place = (tenant["account"], tenant["region"])
        client = api(*place)
        if place not in defaults:
            defaults[place] = list(list_numbers(client, "Default"))
        for pool_name in tenant["pools"]:
            found = pools.get(f"{place[0]}/{place[1]}/{pool_name}")
            if found is None:
                continue  # not created: its steps' checks (or the plan's blockers) say why
            step_id, pool = found
            try:
                numbers = _tenant_numbers(plan, tenant, data_dir)
            except StepError as exc:
                checks.append(Check(step_id, False, str(exc), "opt-outs"))
                continue
            seed = f"{plan.plan_id}:{pool_name}:{tenant['slug']}"
            chosen = sample(numbers, size, seed) + sample(defaults[place], size, seed)
            checks.append(_check_pool(client, step_id, pool, pool_name, tenant["slug"], chosen))
    return checks


def _check_pool(
    api: Api, step_id: str, pool: dict[str, Any], name: str, tenant: str, numbers: list[str]
) -> Check:
    reachable, unproven = [], []
    refused = 0
    for number in dict.fromkeys(numbers):
        try:
            api.call(
                "SendTextMessage",
                DestinationPhoneNumber=number,
                OriginationIdentity=pool["PoolArn"],
                MessageBody="pinpoint-migrate verify (dry run, never delivered)",
                DryRun=True,
            )
            reachable.append(number)
        except Exception as exc:
            code, reason = error_code(exc)
            if not code:
                raise
            if reason == OPTED_OUT:
                refused += 1
            else:
                unproven.append((number, reason or code))
    missing = [n for n, _why in unproven if not _on_list(api, pool.get("OptOutListName") or "Default", n)]
    reasons = sorted({why for _n, why in unproven})
    detail = (
        f"pool {name} ({tenant}): {refused} of {len(set(numbers))} opted-out numbers refused ({OPTED_OUT})"
    )
    if unproven:
        detail += f"; {len(unproven)} refused first for {', '.join(reasons)}, checked on list {pool.get('OptOutListName')}"
    if reachable:
        detail += f"; REACHABLE: {', '.join(mask(n) for n in reachable[:10])}"
    if missing:
        detail += f"; NOT ON THE LIST: {', '.join(mask(n) for n in missing[:10])}"
    return Check(step_id, not reachable and not missing, detail, "opt-outs")


def _on_list(api: Api, list_name: str, number: str) -> bool:
    try:
        found = api.call("DescribeOptedOutNumbers", OptOutListName=list_name, OptedOutNumbers=[number])
    except Exception as exc:
        if not_found(exc):
            return False
        raise
    return bool(found.get("OptedOutNumbers"))


def _write(result: VerifyResult, path: Path) -> None:
    body = {
        "kind": "pinpoint-migrate-verify",
        "plan_id": result.plan_id,
        "checked_at": iso(now_utc()),
        "passed": result.passed,
        "steps": [{"step": c.step, "ok": c.ok, "detail": c.detail, "what": c.what} for c in result.checks],
        "selection": result.selection.record(),
        "tenants": result.tenants,
    }
    if result.selection.wave_file is not None:
        body["waves"] = wave_status(result.tenants, result.selection.wave_file)
    write_atomic(path, json.dumps(body, indent=1, sort_keys=True) + "\n", private=True)
