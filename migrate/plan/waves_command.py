"""`plan waves` as a library call: read the plan and its inventory, write the proposed wave file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrate.apply.selection import load_wave_file
from migrate.clock import iso, now_utc
from migrate.inventory.snapshot import load_inventory
from migrate.plan.errors import PlanError
from migrate.plan.planfile import load_plan
from migrate.plan.waves import Proposal, propose_waves
from migrate.report.commands import write_text


@dataclass(frozen=True)
class WavesWritten:
    path: Path
    proposal: Proposal
    lines: tuple[str, ...]


def write_waves(
    plan_path: Path,
    inventory_path: Path | None = None,
    out_path: Path | None = None,
    *,
    force: bool = False,
    now: str | None = None,
) -> WavesWritten:
    plan_path = Path(plan_path)
    out = Path(out_path) if out_path else plan_path.with_name("waves.toml")
    if out.exists() and not force:
        raise PlanError(
            f"{out}: a wave file is already there (it may hold your edits): pass --force or --out FILE"
        )
    plan = load_plan(plan_path)
    inventory = load_inventory(
        Path(inventory_path) if inventory_path else plan_path.with_name("inventory.json")
    )
    proposal = propose_waves(inventory, plan, iso(now_utc(now)))
    if not proposal.waves:
        raise PlanError(f"{plan_path}: the plan has no tenant to put in a wave")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text(out, proposal.toml(), 0o644)
    load_wave_file(out)  # what apply --wave reads: proven here, not hoped
    lines = tuple(f"{name}: {', '.join(m.key for m in members)}" for name, _note, members in proposal.waves)
    return WavesWritten(out, proposal, lines)
