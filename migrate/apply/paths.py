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


def mask(number: str) -> str:
    from migrate.report import mask as masking

    masker = getattr(masking, "mask_recipient", None) or getattr(masking, "mask_number", None)
    return str(masker(number)) if callable(masker) else number[:-4] + "****"


def tenant_numbers(plan: Plan, tenant: dict[str, Any], data_dir: Path) -> list[str]:
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


def _not_theirs(plan: Plan, place: tuple[str, str], own_list: str, api: Api) -> set[str]:
    """Numbers on Default that another tenant's list of the place holds: the tool copies tenant lists onto
    Default (for their sender IDs, and in rollback), so those are not this tenant's opt-outs."""
    others = {
        str(t.get("opt_out_list") or "")
        for t in plan.data["tenants"]
        if (t["account"], t["region"]) == place
        and t.get("opt_out_list")
        and t.get("opt_out_list") != own_list
    }
    found: set[str] = set()
    for name in sorted(others):
        found |= list_set(api, name)
    return found


def send_checks(
    plan: Plan,
    pools: dict[str, tuple[str, dict[str, Any]]],
    api: Callable[[str, str], Api],
    data_dir: Path,
    size: int,
    selection: Selection,
    progress: bool | None = False,
) -> tuple[list[Check], list[str]]:
    """A DryRun check per send path of every tenant pool; and the tenants not checked, with why.

    The sends are listed first, so the progress line (`progress`: None on a terminal only) has its total,
    one unit per DryRun send, before the first one goes out."""
    sends: list[tuple[Api, str, SendPath, str, str, list[str]]] = []
    checks: list[Check] = []
    unchecked: list[str] = []
    defaults: dict[tuple[str, str, str], list[str]] = {}
    for tenant in plan.data["tenants"]:
        if not selection.everything and tenant["slug"] not in selection.tenants:
            continue
        place = (tenant["account"], tenant["region"])
        client = api(*place)
        key = (*place, str(tenant.get("opt_out_list") or ""))
        if key not in defaults:
            skip = _not_theirs(plan, place, key[2], client)
            defaults[key] = [n for n in list_numbers(client, DEFAULT) if n not in skip]
        if not tenant["pools"]:
            unchecked.append(f"{tenant['name']} (no pool planned)")
        for pool_name in tenant["pools"]:
            found = pools.get(f"{place[0]}/{place[1]}/{pool_name}")
            if found is None:  # not created: its steps' checks (or the plan's blockers) say why
                unchecked.append(f"{tenant['name']} (pool {pool_name} does not exist)")
                continue
            step_id, pool = found
            try:
                numbers = tenant_numbers(plan, tenant, data_dir)
            except StepError as exc:
                checks.append(Check(step_id, False, str(exc), "opt-outs"))
                continue
            seed = f"{plan.plan_id}:{pool_name}:{tenant['slug']}"
            full = sample(numbers, size, seed) + sample(defaults[key], size, seed)
            few = sample(numbers, size or 20, seed) + sample(defaults[key], size or 20, seed)
            for n, path in enumerate(send_paths(client, pool, str(tenant.get("configuration_set") or ""))):
                chosen = full if n == 0 else few  # every number through the pool; a sample on the other paths
                sends.append((client, step_id, path, pool_name, tenant["slug"], chosen))
    shown = Progress("verify sends", sum(len(set(s[-1])) for s in sends), enabled=progress)
    try:
        for client, step_id, path, pool_name, slug, chosen in sends:
            checks.append(check_path(client, step_id, path, pool_name, slug, chosen, shown))
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
) -> Check:
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
        detail += f"; REACHABLE: {', '.join(mask(n) for n in reachable[:10])}"
    if missing:
        detail += f"; NOT ON THE LIST: {', '.join(mask(n) for n in missing[:10])}"
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
