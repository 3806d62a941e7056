"""The report's waves: `report --waves FILE` shows each wave of the file (the one `apply --wave` reads) and
each of its tenants' status, from the apply journal's step outcomes and verify's per-tenant results.

A tenant's status counts its own steps and the shared steps it needs (apply's own selection rule): done when
every one is applied, verified or unchanged; failed when one failed or did not run; partial in between;
blocked when nothing failed but one of its resources waits for a blocker (such a resource has no step yet,
so its steps alone would call it done). A wave is as far as its least progressed tenant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from migrate.apply.errors import ApplyError
from migrate.apply.selection import Selection, load_wave_file, resolve_selection, select_steps
from migrate.report.parts import Report, WaveRow, WaveTenant

DONE = ("applied", "verified", "unchanged")
FAILED = ("failed", "not-run")
ORDER = ("failed", "blocked", "partial", "not started", "done")


class WavesError(ValueError):
    """A wave file the report cannot use; the message names the file."""


def add_waves(report: Report, path: Path, verify: Mapping[str, Any] | None) -> Report:
    plan_tenants = [
        {"slug": c.slug, "name": c.name, "project": c.project, "app_id": c.app_id} for c in report.tenants
    ]
    try:
        wave_file = load_wave_file(Path(path))
        chosen = {w.name: resolve_selection(plan_tenants, wave=f"{path}:{w.name}") for w in wave_file.waves}
    except ApplyError as exc:
        raise WavesError(str(exc)) from None
    steps = [
        {"id": s.step_id, "tenants": list(s.tenants), "depends_on": list(s.depends_on)} for s in report.steps
    ]
    status_of = {s.step_id: s.status for s in report.steps}
    cards = {c.slug: c for c in report.tenants}
    checked = (verify or {}).get("tenants") or {}
    rows = []
    for wave in wave_file.waves:
        tenants = tuple(
            _tenant(cards[slug], steps, status_of, checked, verify is not None)
            for slug in sorted(chosen[wave.name].tenants, key=lambda s: cards[s].name.lower())
        )
        status = min((t.status for t in tenants), key=ORDER.index, default="not started")
        if status == "done" and any(t.status != "done" for t in tenants):
            status = "partial"
        if status == "not started" and any(t.status in ("done", "partial") for t in tenants):
            status = "partial"
        rows.append(WaveRow(wave.name, wave.note, status, tenants))
    meta = dataclasses.replace(report.meta, waves=Path(path).name)
    return dataclasses.replace(report, waves=tuple(rows), meta=meta)


def _tenant(
    card: Any, steps: list[dict[str, Any]], status_of: Mapping[str, str], checked: Any, verified: bool
) -> WaveTenant:
    needed = select_steps(steps, Selection(frozenset({card.slug}))).steps
    statuses = [status_of.get(s["id"], "planned") for s in needed]
    done = sum(1 for s in statuses if s in DONE)
    failed = sum(1 for s in statuses if s in FAILED)
    blocked = any(t.action == "blocked" for t in card.targets)
    if failed:
        status = "failed"
    elif blocked:
        status = "blocked"
    elif done == len(statuses):
        status = "done"
    elif done and any(s in ("applied", "verified") for s in statuses):
        status = "partial"
    else:
        status = "not started"
    verify = ""
    if verified:
        entry = checked.get(card.slug) if isinstance(checked, Mapping) else None
        verify = str(entry.get("status", "not checked")) if isinstance(entry, Mapping) else "not checked"
    return WaveTenant(card.name, card.slug, card.anchor, len(statuses), done, failed, status, verify)
