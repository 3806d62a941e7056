"""The library side of `plan`, `plan show` and `plan permissions` (the click wiring lives in `cli.py`).

`compute_plan` is pure: inventory + overrides + live state → `Plan`. `run_plan` adds the file work around
it: read the inputs (clear errors naming the file), write the exports of what v2 cannot hold (first: they
are the part that cannot be recomputed once Pinpoint is gone), then write `plan.json` atomically.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from migrate.inventory.snapshot import Inventory, InventoryError, load_inventory
from migrate.mapping.desired import ExportFile
from migrate.mapping.overrides import Overrides, OverridesError, load_overrides
from migrate.mapping.rules import map_inventory
from migrate.plan.diff import diff
from migrate.plan.errors import ExportError, PlanError, PlanFileError, PlanInputError
from migrate.plan.inputs import check_inventory
from migrate.plan.live import LiveState, live_fingerprint
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

    @property
    def has_changes(self) -> bool:
        return self.plan.has_changes

    def exit_code(self, detailed: bool) -> int:
        """0, or with `--detailed-exitcode` 2 when anything is to do or blocked (as Terraform does)."""
        return 2 if detailed and self.plan.has_changes else 0

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
) -> Plan:
    """The pure core of `plan`: same arguments, same plan, byte for byte."""
    return _compute(inventory, overrides, live, inventory_sha256, offline, export_dir)[0]


def _compute(
    inventory: Inventory,
    overrides: Overrides,
    live: Inventory,
    inventory_sha256: str,
    offline: bool,
    export_dir: str | None,
) -> tuple[Plan, list[ExportFile]]:
    live_sha = live_fingerprint(live)
    options = {"offline": offline}
    plan_id = plan_identity(inventory_sha256, live_sha, overrides.sha256, options)
    desired = map_inventory(inventory, overrides)
    body = diff(desired, LiveState(live), plan_id)
    inputs = {
        "inventory_sha256": inventory_sha256,
        "live_sha256": live_sha,
        "overrides_sha256": overrides.sha256,
        "overrides_file": Path(overrides.file).name if overrides.file else None,
        "offline": offline,
        "inventory_scanned_at": inventory.scanned_at,
        "live_scanned_at": live.scanned_at,
    }
    accounts = [a.account_id for a in inventory.accounts] + [t.account for t in desired.tenants]
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
) -> PlanResult:
    inventory, inventory_sha = _read_inventory(Path(inventory_path), "inventory")
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
        plan, exports = _compute(inventory, overrides, live, inventory_sha, offline, where)
    except OverridesError as exc:  # an override that contradicts the inventory (unknown project, ...)
        raise PlanInputError(str(exc)) from None
    written = write_exports(exports, Path(export_dir)) if export_dir else []
    try:
        path = plan.write(Path(out_path))
    except OSError as exc:
        raise PlanError(f"{out_path}: cannot write the plan ({exc.strerror})") from None
    return PlanResult(plan, path, written)


def write_exports(exports: list[ExportFile], folder: Path) -> list[Path]:
    """Write the export files (the plan lists them); refuses a path that would leave the folder."""
    root = folder.resolve()
    written = []
    for item in exports:
        target = (root / item.path).resolve()
        if root not in target.parents:
            raise ExportError(f"{item.path}: export path leaves {folder}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_text(item.content, encoding="utf-8")
            os.replace(tmp, target)
        except OSError as exc:
            raise ExportError(f"{target}: cannot write the export ({exc.strerror})") from None
        written.append(target)
    return written


def show_plan(path: Path | str, *, unchanged: bool = True) -> str:
    return render_plan(load_plan(Path(path)), unchanged=unchanged)


def plan_permissions(path: Path | str) -> str:
    return render_policy(load_plan(Path(path)))
