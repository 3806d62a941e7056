"""Every way v2 can send from a tenant's identities, in one place, and the DryRun check of each.

`SendTextMessage` takes `OriginationIdentity` as "PhoneNumber, PhoneNumberId, PhoneNumberArn, SenderId,
SenderIdArn, PoolId, or PoolArn" (v2 API reference, SendTextMessage), or none: then the configuration set's
`DefaultSenderId` is used "if no dedicated origination phone numbers or registered SenderIds are available"
(SetDefaultSenderId), else an identity of the account. The list that guards a send is the pool's when it
goes through a pool (or from a pooled number), else the number's own, else (a sender ID, a default sender)
the account's `Default` list (migrate/emulator/services/v2/send_rules.py). Safety invariant 1 holds only if
every one of these paths refuses the tenant's opted-out numbers: verify sends a DryRun on each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.apply.drift import exempt_from_default, listing
from migrate.apply.dryrun import Api
from migrate.apply.errors import StepError
from migrate.apply.fill import csv_numbers, list_numbers, sample, source_file
from migrate.apply.kinds.base import Check, error_code, not_found
from migrate.apply.protect import list_set
from migrate.apply.selection import Selection
from migrate.inventory.snapshot import InventoryError, load_inventory
from migrate.plan.planfile import Plan
from migrate.progress import Progress

DEFAULT = "Default"


@dataclass(frozen=True)
class SendPath:
    label: str  # e.g. "sender ID EVEREST (ARN)"; never a recipient
    params: dict[str, str]  # OriginationIdentity and/or ConfigurationSetName
    guard: str  # the opt-out list that should refuse the send


def send_paths(api: Api, pool: dict[str, Any], configuration_set: str = "") -> list[SendPath]:
    """The pool by id and ARN, each member by every name v2 accepts, and the configuration set alone."""
    pool_list = str(pool.get("OptOutListName") or DEFAULT)
    paths = [
        SendPath(f"pool {pool['PoolId']} (ARN)", {"OriginationIdentity": pool["PoolArn"]}, pool_list),
        SendPath(f"pool {pool['PoolId']} (id)", {"OriginationIdentity": pool["PoolId"]}, pool_list),
    ]
    members = api.items("ListPoolOriginationIdentities", "OriginationIdentities", PoolId=pool["PoolId"])
    for member in members:
        arn, name = str(member["OriginationIdentityArn"]), str(member["OriginationIdentity"])
        if ":phone-number/" in arn:
            found = api.call("DescribePhoneNumbers", PhoneNumberIds=[arn.rsplit("/", 1)[-1]]).get(
                "PhoneNumbers"
            )
            number = dict(found[0]) if found else {}
            label = number.get("PhoneNumberId", name)
            for how, value in (("ARN", arn), ("id", label), ("E.164", number.get("PhoneNumber", ""))):
                if value:  # a pooled number answers to the pool's list, however it is named
                    paths.append(
                        SendPath(f"phone number {label} ({how})", {"OriginationIdentity": value}, pool_list)
                    )
        else:  # a sender ID named directly answers to Default, pooled or not
            paths.append(SendPath(f"sender ID {name} (ARN)", {"OriginationIdentity": arn}, DEFAULT))
            paths.append(SendPath(f"sender ID {name} (name)", {"OriginationIdentity": name}, DEFAULT))
    if configuration_set and _default_sender(api, configuration_set):
        # With no identity at all AWS picks any identity of the account (not the tenant's); with a default
        # sender ID on the configuration set, the tenant's sender goes out, checked against Default.
        label = f"configuration set {configuration_set}, no identity"
        paths.append(SendPath(label, {"ConfigurationSetName": configuration_set}, DEFAULT))
    return paths


def _default_sender(api: Api, name: str) -> str:
    try:
        found = api.call("DescribeConfigurationSets", ConfigurationSetNames=[name]).get(
            "ConfigurationSets", []
        )
    except Exception as exc:
        if not_found(exc):
            return ""
        raise
    return str(found[0].get("DefaultSenderId") or "") if found else ""


OPTED_OUT = "DESTINATION_PHONE_NUMBER_OPTED_OUT"
BODY = "pinpoint-migrate verify (dry run, never delivered)"


def tenant_sources(plan: Plan, tenant: dict[str, Any]) -> dict[str, Any] | None:
    """What the tenant's list is filled from (its fill step, or, for a list found filled, the plan's record
    of its sources): every file of every kind and every list copied in."""
    name = tenant.get("opt_out_list")
    for step in plan.steps:
        if step["kind"] == "fill_opt_out_list" and step["parameters"].get("OptOutListName") == name:
            return dict(step["parameters"])
    for change in plan.changes:
        if (
            change.get("resource_type") == "opt_out_list"
            and change.get("name") == name
            and change.get("contents")
        ):
            return dict(change["contents"])
    return None


def tenant_numbers(plan: Plan, tenant: dict[str, Any], data_dir: Path) -> list[str]:
    """The tenant's own opted-out numbers (its export), when the plan names no fill of its list."""
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


def source_sets(
    plan: Plan, tenant: dict[str, Any], data_dir: Path, client: Api, state: Any = None
) -> list[list[str]]:
    """Every source of the tenant's list, whole, one list of numbers each (files of every kind: export, SNS,
    suppression files for one tenant or all; every list copied in, Default without the numbers other
    tenants' lists put there), and the tenant list's own entries (a STOP after the cut-over lands there
    only, and its sender IDs answer to Default)."""
    params = tenant_sources(plan, tenant)
    if params is None:
        return [tenant_numbers(plan, tenant, data_dir)]
    found = [list(csv_numbers(source_file(data_dir, source))) for source in params.get("sources", ())]
    for other in params.get("copy_from", ()):
        # numbers the tool put on Default for others (the journal's `state` says which were this list's own)
        skip = exempt_from_default(client, other, data_dir, state, str(tenant.get("opt_out_list") or ""))
        found.append([n for n in list_numbers(client, other["OptOutListName"]) if n not in skip])
    found.append(sorted(list_set(client, str(tenant.get("opt_out_list") or ""))))
    return found


def send_checks(
    plan: Plan,
    pools: dict[str, tuple[str, dict[str, Any]]],
    api: Callable[[str, str], Api],
    data_dir: Path,
    size: int,
    selection: Selection,
    progress: bool | None = False,
    lost: dict[tuple[str, str, str], set[str]] | None = None,
    state: Any = None,
) -> tuple[list[Check], list[str]]:
    """A DryRun check per send path of every tenant pool; and the tenants not checked, with why.

    `size` 0 (`--full`): every number of every source, read whole, goes once through each list that guards
    a path of the tenant (the pool's list through the pool, Default through a sender ID), a sample through
    the other paths of that list. Numbers found reachable or not on a path's list go into `lost`.
    The sends are listed first, so the progress line (`progress`: None on a terminal only) has its total,
    one unit per DryRun send, before the first one goes out."""
    sends: list[tuple[Api, str, SendPath, str, str, list[str]]] = []
    checks: list[Check] = []
    unchecked: list[str] = []
    for tenant in plan.data["tenants"]:
        if not selection.everything and tenant["slug"] not in selection.tenants:
            continue
        place = (tenant["account"], tenant["region"])
        client = api(*place)
        if not tenant["pools"]:
            unchecked.append(f"{tenant['name']} (no pool planned)")
        for pool_name in tenant["pools"]:
            found = pools.get(f"{place[0]}/{place[1]}/{pool_name}")
            if found is None:  # not created: its steps' checks (or the plan's blockers) say why
                unchecked.append(f"{tenant['name']} (pool {pool_name} does not exist)")
                continue
            step_id, pool = found
            try:
                sets = source_sets(plan, tenant, data_dir, client, state)
            except StepError as exc:
                checks.append(Check(step_id, False, str(exc), "opt-outs"))
                continue
            seed = f"{plan.plan_id}:{pool_name}:{tenant['slug']}"
            every = sorted({n for numbers in sets for n in numbers})
            few = sorted({n for numbers in sets for n in sample(numbers, size or 20, seed)})
            guarded: set[str] = set()  # lists that got every number (--full) or the per-source sample
            for path in send_paths(client, pool, str(tenant.get("configuration_set") or "")):
                first = path.guard not in guarded
                guarded.add(path.guard)
                chosen = (every if size <= 0 else few) if first else sample(few, size or 20, seed)
                sends.append((client, step_id, path, pool_name, tenant["slug"], chosen))
    shown = Progress("verify sends", sum(len(set(s[-1])) for s in sends), enabled=progress)
    try:
        for client, step_id, path, pool_name, slug, chosen in sends:
            checks.append(check_path(client, step_id, path, pool_name, slug, chosen, shown, lost))
    finally:
        shown.close()
    return checks, unchecked


def check_path(
    api: Api,
    step_id: str,
    path: SendPath,
    name: str,
    tenant: str,
    numbers: list[str],
    progress: Progress | None = None,
    lost: dict[tuple[str, str, str], set[str]] | None = None,
) -> Check:
    """DryRun sends along one path; the numbers in the detail are raw (verify masks its whole output)."""
    reachable, unproven = [], []
    refused = 0
    for number in dict.fromkeys(numbers):
        if progress is not None:
            progress.advance(1, f"{tenant}: {path.label}")
        try:
            api.call(
                "SendTextMessage", DestinationPhoneNumber=number, MessageBody=BODY, DryRun=True, **path.params
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
    missing = [n for n, _why in unproven if not on_list(api, path.guard, n)]
    reasons = sorted({why for _n, why in unproven})
    total = len(set(numbers))
    detail = f"{path.label} of pool {name} ({tenant}): {refused} of {total} opted-out numbers refused ({OPTED_OUT})"
    if unproven:
        detail += f"; {len(unproven)} refused first for {', '.join(reasons)}, checked on list {path.guard}"
    if reachable:
        detail += f"; REACHABLE: {listing(reachable)} (missing from {path.guard})"
    if missing:
        detail += f"; NOT ON THE LIST: {listing(missing)}"
    if lost is not None and (reachable or missing):
        account, _, region = str(api.where).partition("/")
        lost.setdefault((account, region, path.guard), set()).update(reachable + missing)
    ok = not reachable and not missing
    return Check(step_id, ok, detail, "opt-outs", inconclusive=ok and (refused == 0))


def on_list(api: Api, list_name: str, number: str) -> bool:
    try:
        found = api.call("DescribeOptedOutNumbers", OptOutListName=list_name, OptedOutNumbers=[number])
    except Exception as exc:
        if not_found(exc):
            return False
        raise
    return bool(found.get("OptedOutNumbers"))
