"""Refuse a plan that no longer fits the world: another account, a changed live state (`--refresh` re-plans).

The plan carries the sha256 of the live v2 state it was computed against (`inputs.live_sha256`). Apply
scans v2 again (read-only) and compares `live_fingerprint` of that scan. When they differ, the plan is
recomputed from the same inventory and overrides against the new live state (a pure function) and the
two plans are compared, so the refusal says *what* changed: a resource that now exists, a number that
moved to another pool, a new blocker. A tampered plan is refused earlier, by `load_plan`'s integrity check.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from migrate import __version__
from migrate.apply.errors import AccountMismatchError, StalePlanError
from migrate.apply.shards import changed_accounts, fingerprints_match
from migrate.emulator import Emulator
from migrate.inventory.run import ScanOptions, scan_live_v2
from migrate.inventory.snapshot import AccountInfo, Inventory, InventoryError, load_inventory
from migrate.mapping.overrides import Overrides, OverridesError, load_overrides
from migrate.plan.commands import PlanResult, compute_plan, run_plan
from migrate.plan.live import live_fingerprint, live_fingerprints
from migrate.plan.planfile import Plan


def check_accounts(plan: Plan, reachable: list[str]) -> None:
    missing = sorted(set(plan.data["accounts"]) - set(reachable))
    if missing:
        have = ", ".join(sorted(reachable)) or "no account"
        raise AccountMismatchError(
            f"this plan is for account(s) {', '.join(missing)}, but these credentials reach {have}: use the "
            "--profile/--role-arn/--org-role (or the --emulator world) the plan was made for"
        )


def scan_live(plan: Plan, options: ScanOptions, emulator: Emulator | None) -> Inventory:
    """A read-only scan of v2 in the plan's accounts and regions."""
    frame = Inventory(tool_version=__version__, scanned_at="")
    frame.accounts = [AccountInfo(a, a) for a in plan.data["accounts"]]
    frame.regions = list(plan.data["regions"])
    return scan_live_v2(options, frame, emulator=emulator)


def is_current(plan: Plan, live: Inventory) -> bool:
    if plan.data.get("shard"):  # a shard sees its own accounts only: their part of the live state
        return fingerprints_match(plan, live_fingerprints(live, plan.data["accounts"]))
    return live_fingerprint(live) == plan.data["inputs"].get("live_sha256")


def _inventory(plan: Plan, data_dir: Path) -> tuple[Inventory, str] | None:
    path = data_dir / "inventory.json"
    try:
        raw = path.read_bytes()
        sha = hashlib.sha256(raw).hexdigest()
        if sha != plan.data["inputs"].get("inventory_sha256"):
            return None
        return load_inventory(path), sha
    except (OSError, InventoryError):
        return None


def overrides_path(plan: Plan, data_dir: Path, plan_dir: Path) -> Path | None:
    name = plan.data["inputs"].get("overrides_file")
    if not name:
        return None
    for folder in (data_dir, plan_dir, Path.cwd()):
        if (folder / name).is_file():
            return folder / name
    return Path(name)


def _overrides(plan: Plan, data_dir: Path, plan_dir: Path) -> Overrides | None:
    try:
        found = load_overrides(overrides_path(plan, data_dir, plan_dir))
    except OverridesError:
        return None
    return found if found.sha256 == plan.data["inputs"].get("overrides_sha256", "") else None


def explain(plan: Plan, live: Inventory, data_dir: Path, plan_dir: Path) -> list[str]:
    """What differs between the plan and the one the same inputs give against today's live state."""
    inventory = _inventory(plan, data_dir)
    overrides = _overrides(plan, data_dir, plan_dir)
    if inventory is None or overrides is None:
        return [
            f"(the inventory or overrides the plan was made from are not in {data_dir}, so the change cannot be "
            "named; compare `pinpoint-migrate plan` output)"
        ]
    fresh = compute_plan(
        inventory[0],
        overrides,
        live,
        inventory_sha256=inventory[1],
        offline=False,
        export_dir=plan.data.get("export_dir"),
    )
    return compare_plans(plan, fresh)


def compare_plans(old: Plan, new: Plan) -> list[str]:
    lines = []
    before = {c["address"]: c for c in old.changes}
    for change in new.changes:
        was = before.pop(change["address"], None)
        label = f"{change['resource_type'].replace('_', ' ')} {change['name']} ({change['account']}/{change['region']})"
        if was is None:
            lines.append(f"{label}: new, {change['action']}")
        elif was["action"] != change["action"]:
            why = f" by {', '.join(change['blocked_by'])}" if change["blocked_by"] else ""
            lines.append(f"{label}: planned {was['action']}, now {change['action']}{why}")
        elif _fields(was) != _fields(change):
            lines.append(f"{label}: what it must change is different now ({_diff_text(change)})")
    for change in before.values():
        lines.append(f"{change['resource_type'].replace('_', ' ')} {change['name']}: no longer planned")
    old_ids = {f["id"] for f in old.findings}
    for finding in new.findings:
        if finding["id"] not in old_ids and finding["severity"] == "blocker":
            lines.append(f"new blocker {finding['code']}: {finding['message']}")
    if not lines:
        lines.append(
            "resources this plan does not touch (or account limits) changed; the steps would stay the same"
        )
    return lines


def _fields(change: dict[str, Any]) -> list[Any]:
    return sorted((d["field"], repr(d["before"]), repr(d["after"])) for d in change.get("diff", ()))


def _diff_text(change: dict[str, Any]) -> str:
    return (
        ", ".join(f"{d['field']}: {d['before']!r} -> {d['after']!r}" for d in change.get("diff", ())) or "-"
    )


def stale_error(plan: Plan, plan_path: Path, live: Inventory, data_dir: Path) -> StalePlanError:
    if plan.data.get("shard"):  # the whole plan cannot be recomputed from one shard's live state
        changed = changed_accounts(plan, live_fingerprints(live, plan.data["accounts"]))
        lines = [f"account {a}: its v2 resources differ from what the plan saw" for a in changed]
    else:
        lines = explain(plan, live, data_dir, plan_path.parent)
    scanned = plan.data["inputs"].get("live_scanned_at") or plan.data["inputs"].get("inventory_scanned_at")
    body = "\n".join(f"  - {line}" for line in lines[:40])
    more = f"\n  ... and {len(lines) - 40} more" if len(lines) > 40 else ""
    return StalePlanError(
        f"{plan_path}: the live v2 state changed since this plan was made (live state seen {scanned}):\n"
        f"{body}{more}\nnothing was changed; re-plan with `pinpoint-migrate plan`, or `apply --refresh` to "
        "re-plan and apply the new plan"
    )


def refresh(
    plan: Plan, plan_path: Path, live: Inventory, data_dir: Path, missing_path: Path | None = None
) -> PlanResult:
    """Re-plan from the same inventory and overrides against `live`, into a new file beside `plan_path`
    (never over it: that is the plan a person reviewed, and a journal may refer to it); with `missing_path`
    (verify --full's file) a refill of exactly those numbers too."""
    inventory = data_dir / "inventory.json"
    result = run_plan(
        inventory,
        overrides_path(plan, data_dir, plan_path.parent),
        plan_path,
        offline=False,
        live_inventory=live,
        export_dir=plan.data.get("export_dir"),
        keep_existing=True,
        missing_path=missing_path,
    )
    return result
