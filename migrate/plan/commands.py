"""The library side of `plan`, `plan show` and `plan permissions` (the click wiring lives in `cli.py`).

`compute_plan` is pure: inventory + overrides + live state → `Plan`. `run_plan` adds the file work around
it: read the inputs (clear errors naming the file), write the exports of what v2 cannot hold (first: they
are the part that cannot be recomputed once Pinpoint is gone), then write `plan.json` atomically.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

from migrate.exitcodes import blocker_count, plan_exit_code
from migrate.fileio import write_atomic
from migrate.inventory.snapshot import Inventory, InventoryError, load_inventory
from migrate.mapping.desired import ExportFile
from migrate.mapping.overrides import Overrides, OverridesError, load_overrides
from migrate.mapping.rules import map_inventory
from migrate.plan.diff import diff
from migrate.plan.errors import ExportError, PlanError, PlanFileError, PlanInputError
from migrate.plan.inputs import check_inventory
from migrate.plan.live import LiveState, live_fingerprint, live_fingerprints
from migrate.plan.missing import MissingNumbers, read_missing
from migrate.plan.permissions import render_policy
from migrate.plan.planfile import Plan, build_plan, load_plan, plan_identity
from migrate.plan.show import render_plan

__all__ = [
    "ExportError",
    "PlanError",
    "PlanFileError",
    "PlanInputError",
    "PlanResult",
    "compute_plan",
    "plan_permissions",
    "run_plan",
    "show_plan",
]


@dataclass(frozen=True)
class PlanResult:
    plan: Plan
    path: Path
    exports: list[Path] = field(default_factory=list)
    note: str = ""  # said when the plan went elsewhere than asked (the asked-for file has a journal)

    @property
    def has_changes(self) -> bool:
        return self.plan.has_changes

    def exit_code(self, detailed: bool, fail_on_blocker: bool = False) -> int:
        """The README's table: 3 blockers remain (`--fail-on blocker`), 2 steps pending
        (`--detailed-exitcode`; never with 0 steps, or a CI loop "2 -> apply" would never end), else 0."""
        return plan_exit_code(
            len(self.plan.steps),
            blocker_count(self.plan.data),
            detailed=detailed,
            fail_on_blocker=fail_on_blocker,
        )

    @property
    def text(self) -> str:
        return render_plan(self.plan, unchanged=False)


def compute_plan(
    inventory: Inventory,
    overrides: Overrides,
    live: Inventory,
    *,
    inventory_sha256: str,
    offline: bool,
    export_dir: str | None = None,
    missing: MissingNumbers | None = None,
) -> Plan:
    """The pure core of `plan`: same arguments, same plan, byte for byte."""
    return _compute(inventory, overrides, live, inventory_sha256, offline, export_dir, missing)[0]


def _compute(
    inventory: Inventory,
    overrides: Overrides,
    live: Inventory,
    inventory_sha256: str,
    offline: bool,
    export_dir: str | None,
    missing: MissingNumbers | None = None,
) -> tuple[Plan, list[ExportFile]]:
    live_sha = live_fingerprint(live)
    options: dict[str, Any] = {"offline": offline}
    if missing is not None:  # `plan --missing FILE`: a refill of those numbers is a different plan
        options["missing_sha256"] = missing.sha256
    plan_id = plan_identity(inventory_sha256, live_sha, overrides.sha256, options)
    desired = map_inventory(inventory, overrides)
    body = diff(desired, LiveState(live), plan_id, missing)
    inputs: dict[str, Any] = {
        "inventory_sha256": inventory_sha256,
        "live_sha256": live_sha,
        "overrides_sha256": overrides.sha256,
        "overrides_file": Path(overrides.file).name if overrides.file else None,
        "offline": offline,
        "inventory_scanned_at": inventory.scanned_at,
        "live_scanned_at": live.scanned_at,
    }
    accounts = [a.account_id for a in inventory.accounts] + [t.account for t in desired.tenants]
    inputs["live_sha256_by_account"] = live_fingerprints(live, accounts)
    plan = build_plan(
        desired,
        body,
        plan_id=plan_id,
        inputs=inputs,
        accounts=accounts,
        regions=list(inventory.regions),
        export_dir=export_dir,
    )
    return plan, desired.exports


def _read_inventory(path: Path, what: str) -> tuple[Inventory, str]:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise PlanInputError(f"{path}: no such {what} file (run `pinpoint-migrate scan` first)") from None
    except OSError as exc:
        raise PlanInputError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    try:
        inventory = load_inventory(Path(path))
    except InventoryError as exc:
        raise PlanInputError(str(exc)) from None
    check_inventory(inventory, str(path))
    return inventory, hashlib.sha256(data).hexdigest()


def run_plan(
    inventory_path: Path | str,
    overrides_path: Path | str | None,
    out_path: Path | str,
    offline: bool,
    live_inventory: Inventory | Path | str | None = None,
    export_dir: Path | str | None = None,
    *,
    keep_existing: bool = False,
    missing_path: Path | str | None = None,
) -> PlanResult:
    inventory, inventory_sha = _read_inventory(Path(inventory_path), "inventory")
    missing = read_missing(missing_path) if missing_path is not None else None
    try:
        overrides = load_overrides(Path(overrides_path) if overrides_path else None)
    except OverridesError as exc:
        raise PlanInputError(str(exc)) from None
    if offline:
        live = inventory
    elif live_inventory is None:
        raise PlanInputError(
            "the plan needs the live v2 state: pass a v2 scan of the accounts, or --offline to plan against "
            f"the v2 state recorded in {inventory_path} (scanned {inventory.scanned_at})"
        )
    elif isinstance(live_inventory, Inventory):
        live = live_inventory
        check_inventory(live, "the live v2 state")
    else:
        live, _ = _read_inventory(Path(live_inventory), "live state")
    try:
        where = str(export_dir) if export_dir is not None else None
        plan, exports = _compute(inventory, overrides, live, inventory_sha, offline, where, missing)
    except OverridesError as exc:  # an override that contradicts the inventory (unknown project, ...)
        raise PlanInputError(str(exc)) from None
    written = write_exports(exports, Path(export_dir)) if export_dir else []
    target, note = plan_target(Path(out_path), plan.plan_id, always_elsewhere=keep_existing)
    try:
        path = plan.write(target)
    except OSError as exc:
        raise PlanError(f"{target}: cannot write the plan ({exc.strerror})") from None
    return PlanResult(plan, path, written, note)


def journaled_plan_id(path: Path) -> str | None:
    """The id of the plan in `path` when the apply journal beside it records that plan (an apply of it
    started: the journal, rollback and report need that plan's file as it is), else None."""
    # journal.jsonl, and the journals of an apply by shards (journal.K-of-N.jsonl, migrate.apply.shards)
    journals = [path.with_name("journal.jsonl"), *sorted(path.parent.glob("journal.*-of-*.jsonl"))]
    try:
        plan_id = json.loads(path.read_bytes()).get("plan_id")
        text = b"".join(j.read_bytes() for j in journals if j.exists())
    except (OSError, ValueError, AttributeError):
        return None
    return str(plan_id) if plan_id and f'"{plan_id}"'.encode() in text else None


def plan_target(path: Path, new_plan_id: str, *, always_elsewhere: bool = False) -> tuple[Path, str]:
    """Where a new plan goes: `path`, unless that file is a different plan an apply journal refers to (or
    `always_elsewhere`: apply --refresh never replaces the plan a person reviewed). Then beside it, named by
    the new plan's id, and a note saying so."""
    old = journaled_plan_id(path) if path.exists() else None
    if old == new_plan_id or (old is None and not (always_elsewhere and path.exists())):
        return path, ""
    other = path.with_name(f"{path.stem}.{new_plan_id[:12]}{path.suffix}")
    why = (
        f"{path} is plan {old}, which {path.with_name('journal.jsonl')} records an apply of"
        if old
        else f"{path} is the plan that was reviewed"
    )
    return (
        other,
        f"{why}; the new plan was written to {other} instead: review it (`pinpoint-migrate plan show {other}`) and apply that file",
    )


def write_exports(exports: list[ExportFile], folder: Path) -> list[Path]:
    """Write the export files (the plan lists them); refuses a path that would leave the folder."""
    root = folder.resolve()
    written = []
    for item in exports:
        target = (root / item.path).resolve()
        if root not in target.parents:
            raise ExportError(f"{item.path}: export path leaves {folder}")
        try:
            write_atomic(target, item.content)
        except OSError as exc:
            raise ExportError(f"{target}: cannot write the export ({exc.strerror})") from None
        written.append(target)
    return written


@overload
def show_plan(path: Path | str, *, unchanged: bool = True) -> str: ...
@overload
def show_plan(path: Path | str, *, unchanged: bool = True, counts: Literal[True]) -> tuple[str, int, int]: ...
def show_plan(
    path: Path | str, *, unchanged: bool = True, counts: bool = False
) -> str | tuple[str, int, int]:
    """A saved plan as text; with `counts`, also its number of steps and of blockers (for the exit code)."""
    plan = load_plan(Path(path))
    text = render_plan(plan, unchanged=unchanged)
    return (text, len(plan.steps), blocker_count(plan.data)) if counts else text


def show_plan_json(path: Path | str) -> dict[str, Any]:
    """`plan show --output json`: the plan's identity, summary, blockers and findings (no steps' bodies)."""
    plan = load_plan(Path(path))
    return {
        "plan": str(path),
        "plan_id": plan.plan_id,
        "summary": plan.summary,
        "blockers": blocker_count(plan.data),
        "findings": [
            {
                k: f.get(k)
                for k in ("code", "severity", "how", "account", "region", "tenant", "resource", "message")
            }
            for f in plan.findings
        ],
        "steps": [{k: s.get(k) for k in ("id", "kind", "action", "tenants")} for s in plan.steps],
    }


def plan_permissions(path: Path | str) -> str:
    return render_policy(load_plan(Path(path)))
