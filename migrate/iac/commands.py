"""`run_export_iac(plan_path, fmt, out_dir)`: read a plan (and the inventory it was computed from), write the
templates and README.md. The inventory describes what the plan does not: the phone numbers and sender IDs to
import, and resources that exist already; it must be the very file the plan was computed from (sha256)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from migrate.fileio import write_atomic
from migrate.iac import cloudformation, readme, terraform
from migrate.iac.model import FORMATS
from migrate.iac.reader import build_model
from migrate.inventory.snapshot import Inventory, InventoryError, load_inventory
from migrate.plan.errors import PlanError
from migrate.plan.planfile import Plan, load_plan


class IacError(PlanError):
    """The export cannot be made: a missing or mismatched inventory, an unwritable folder."""


def read_inventory(plan: Plan, plan_path: Path, inventory_path: Path | None) -> Inventory:
    path = Path(inventory_path) if inventory_path is not None else Path(plan_path).parent / "inventory.json"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IacError(
            f"{path}: no such inventory; export-iac reads the inventory the plan was computed from "
            "(pass it with --inventory)"
        ) from None
    except OSError as exc:
        raise IacError(f"{path}: cannot read the inventory ({exc.strerror})") from None
    wanted = plan.data["inputs"].get("inventory_sha256", "")
    if hashlib.sha256(data).hexdigest() != wanted:
        raise IacError(
            f"{path}: not the inventory plan {plan.plan_id} was computed from (sha256 differs): "
            "pass that one with --inventory, or plan again"
        )
    try:
        return load_inventory(path)
    except InventoryError as exc:
        raise IacError(str(exc)) from None


def render(plan: Plan, inventory: Inventory, fmt: str) -> dict[str, str]:
    """File path (relative, forward slashes) → text. Pure: the same plan gives the same bytes."""
    if fmt not in FORMATS:
        raise IacError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    model = build_model(plan, inventory)
    files = cloudformation.render(model) if fmt == "cloudformation" else terraform.render(model)
    files["README.md"] = readme.render(model, fmt)
    return dict(sorted(files.items()))


def run_export_iac(
    plan_path: Path | str, fmt: str, out_dir: Path | str, inventory_path: Path | str | None = None
) -> list[Path]:
    plan = load_plan(Path(plan_path))
    inventory = read_inventory(plan, Path(plan_path), Path(inventory_path) if inventory_path else None)
    files = render(plan, inventory, fmt)
    root = Path(out_dir)
    written = []
    for name, text in files.items():
        target = root / name
        try:
            write_atomic(target, text)
        except OSError as exc:
            raise IacError(f"{target}: cannot write ({exc.strerror})") from None
        written.append(target)
    return written
