"""`verify`: is the live state what the plan wants, and can nobody who opted out be messaged?

Every step of the plan is checked field by field against the live resource (each kind's `verify()`); a
list's check reads every source of the list whole (`migrate.apply.drift`), for lists the plan found filled
too. With `--full` every number a list lacks goes to a 0600 `missing-optouts.csv` for `plan --missing`.
Then, for every tenant pool, `SendTextMessage` with `DryRun=True` goes along every send path of the tenant
(`migrate.apply.paths`: the pool, each member by every name, sender IDs, the configuration set alone) to a
sample of that tenant's opted-out numbers and of the account's `Default` list (all of them through the pool
with `--full`): each must be refused with `DESTINATION_PHONE_NUMBER_OPTED_OUT`. A send refused earlier for another reason (the SMS
sandbox, no identity for that country) proves nothing about the list, so the number is then looked up on
the pool's list directly. Nothing is changed (the calls go through a read-only `Api`); the results are
printed as a pass/fail table and written to `verify.json` for the report.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.apply.clients import AwsOptions, Clients
from migrate.apply.drift import MISSING_KEY
from migrate.apply.dryrun import Api
from migrate.apply.executor import describe_error, resolve
from migrate.apply.journal import read_journal
from migrate.apply.kinds import KINDS, Check, StepRun
from migrate.apply.kinds.base import change_of, tag_list, tags_of
from migrate.apply.kinds.pools import find_pool
from migrate.apply.paths import send_checks
from migrate.apply.selection import Selection, select_steps, tenant_checks, wave_status
from migrate.apply.shards import shard_path, shard_scope
from migrate.apply.stale import check_accounts
from migrate.apply.state import plan_state
from migrate.clock import iso, now_utc
from migrate.emulator import Emulator
from migrate.fileio import write_atomic
from migrate.mapping.desired import CONTENTS_KEY, NAME_KEY
from migrate.plan.missing import FILE_NAME as MISSING_FILE
from migrate.plan.missing import write_missing
from migrate.plan.planfile import Plan, load_plan
from migrate.progress import Progress
from migrate.report.mask import E164, Masker, own_numbers

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
    progress: bool | None = None  # progress lines: None on a terminal only, False never (-q)


@dataclass
class VerifyResult:
    plan_id: str
    checks: list[Check]
    path: Path
    selection: Selection = field(default_factory=Selection)
    tenants: dict[str, dict[str, Any]] = field(default_factory=dict)  # per tenant: checks passed/failed
    unchecked: list[str] = field(default_factory=list)  # tenants (and why) whose send paths were not checked
    missing_path: Path | None = None  # --full: the 0600 file of every number a list lacks (None: none lacks)
    missing_count: int = 0
    missing_lists: int = 0

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
            lines.append(f"  {_status(check):12}  {label:{width}}  {check.detail}")
        failed = sum(1 for c in self.checks if not c.ok)
        inconclusive = sum(1 for c in self.checks if c.ok and c.inconclusive)
        lines.append(
            f"{len(self.checks)} check(s): {len(self.checks) - failed - inconclusive} PASS, {failed} FAIL, "
            f"{inconclusive} INCONCLUSIVE (a send refused first for another reason proves nothing about the "
            f"list); wrote {self.path}"
        )
        lines.append(
            "not checked: " + "; ".join(self.unchecked)
            if self.unchecked
            else "not checked: nothing (every tenant's send paths were tried)"
        )
        if self.missing_path is not None:
            lines.append(
                f"missing: {self.missing_count} opted-out number(s) of {self.missing_lists} list(s) written to "
                f"{self.missing_path} (0600); refill exactly those: pinpoint-migrate plan --missing "
                f"{self.missing_path}, review, then apply the plan it writes"
            )
        return lines


def _status(check: Check) -> str:
    return "FAIL" if not check.ok else ("INCONCLUSIVE" if check.inconclusive else "PASS")


def _place(step: str) -> tuple[str, str]:
    parts = step.split("/", 2)
    if len(parts) == 3 and parts[0].isdigit():
        return f"{parts[0]} {parts[1]}", parts[2]
    return "", step


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
        cache=cache if cache is not None else {},
    )


def run_verify(options: VerifyOptions, *, emulator: Emulator | None = None) -> VerifyResult:
    shard = options.aws.sessions.shard
    # --shard K/N: that share of the plan; --tenant/--wave names are the whole plan's
    plan, selection, idle = shard_scope(
        load_plan(Path(options.plan_path)), shard, options.tenants, options.wave, options.wave_name
    )
    folder = Path(options.plan_path).parent
    data_dir = options.data_dir or folder
    path = options.out_path or shard_path(folder / "verify.json", shard)
    if idle:  # an empty share passes with no check, and says so; its file still tells the report it ran
        options.echo(f"{idle}: nothing to verify")
        empty = VerifyResult(plan.plan_id, [], path, selection, tenant_checks(plan.steps, [], selection))
        _write(empty, path)
        return empty
    clients = Clients(options.aws, emulator)
    check_accounts(plan, list(clients.accounts))
    records = read_journal(options.journal_path or shard_path(folder / "journal.jsonl", shard)).records
    state = plan_state(records, plan.plan_id)

    def api(account: str, region: str) -> Api:
        return clients.api(account, region, "read-only", options.echo)

    scope = select_steps(plan.steps, selection).steps
    checks: list[Check] = []
    cache: dict[str, Any] = {}  # what verify reads once and checks for several steps (a list's numbers)
    pools: dict[str, tuple[str, dict[str, Any]]] = {}  # pool address -> (create step id, pool)
    shown = Progress("verify steps", len(scope), enabled=options.progress)
    for step in scope:
        shown.advance(1, step["id"])
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
    shown.close()
    checks += _unchanged_checks(plan, pools, api, state, data_dir, cache, selection)
    lost: dict[tuple[str, str, str], set[str]] = cache.setdefault(MISSING_KEY, {})
    sent, unchecked = send_checks(
        plan, pools, api, data_dir, 0 if options.full else options.sample_size, selection, options.progress, lost,
        state,
    )  # fmt: skip
    checks += sent
    # every number verify names, masked once over the whole output: no two numbers print alike
    masker = Masker([n for c in checks for n in E164.findall(c.detail)], own_numbers(None, plan.data))
    checks = [dataclasses.replace(c, detail=masker.text(c.detail)) for c in checks]
    per_tenant = tenant_checks(plan.steps, [(c.step, c.ok) for c in checks], selection)
    result = VerifyResult(plan.plan_id, checks, path, selection, per_tenant, unchecked)
    if options.full and any(lost.values()):
        result.missing_path = shard_path(path.with_name(MISSING_FILE), shard)  # one per shard, as verify.json
        result.missing_count = write_missing(result.missing_path, lost)
        result.missing_lists = sum(1 for numbers in lost.values() if numbers)
    _write(result, path)
    return result


def _unchanged_checks(
    plan: Plan,
    pools: dict[str, tuple[str, dict[str, Any]]],
    api: Callable[[str, str], Api],
    state: Any,
    data_dir: Path,
    cache: dict[str, Any],
    selection: Selection,
) -> list[Check]:
    """Resources the plan found already as wanted (no-op, so no step): still there? A filled list: does it
    still hold every number of its sources (drift)?"""
    from migrate.apply.kinds.configsets import describe_set
    from migrate.apply.kinds.lists import contents_checks, describe_list

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
            chosen = selection.everything or set(change.get("tenants", ())) & set(selection.tenants)
            if ok and chosen and change.get("contents"):
                step = {"id": label, "kind": "fill_opt_out_list", "parameters": change["contents"],
                        "account": place[0], "region": place[1], "target": change["address"]}  # fmt: skip
                run = StepRun(step, change["contents"], api(*place), state, plan.plan_id, data_dir,
                              lambda _t: None, None, change=change, cache=cache)  # fmt: skip
                try:
                    checks += contents_checks(run, found)
                except Exception as exc:  # a source file missing or changed: a failed check, named
                    checks.append(Check(label, False, describe_error(exc), "contents"))
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
