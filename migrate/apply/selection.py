"""`--tenant` / `--wave`: which of a plan's steps one apply, verify or rollback acts on.

A selection names tenants (by slug, project name or application id). It takes every step of those
tenants plus, transitively, every step they depend on: the shared steps (a list or pool shared under the
`shared` strategy, an account-level setting). The order stays the plan's, so the safe order of the whole
plan (lists filled and checked before anything points at them) holds inside every selection. Like
Terraform's `-target`, but shaped by tenants.

A wave file (TOML) names waves of tenants, in the order they go:

    [waves.canary]
    tenants = ["delta-logistics"]

    [waves.rest]
    tenants = ["acme-clinics", "bluebird-retail"]

Rollback keeps to a stricter rule: it undoes a step only when every tenant the step serves is selected,
so rolling back one tenant never takes away a shared list or pool another tenant still sends through.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.apply.errors import ApplyError

# The journal record of a shard's apply that had nothing to do (`migrate.apply.commands`): it names the plan's
# tenants, as `apply-start` does, so a rollback of that shard resolves --tenant like any other.
SHARD_IDLE = "shard-idle"


class SelectionError(ApplyError):
    """A wave file or a tenant name that cannot be used (the message names the file and the problem)."""


@dataclass(frozen=True)
class Wave:
    name: str
    tenants: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class WaveFile:
    path: str
    waves: tuple[Wave, ...]

    def wave(self, name: str) -> Wave:
        for wave in self.waves:
            if wave.name == name:
                return wave
        names = ", ".join(w.name for w in self.waves) or "none"
        raise SelectionError(f"{self.path}: no wave named {name!r} (waves: {names})")

    def position(self, name: str) -> int:
        return [w.name for w in self.waves].index(name)

    def wave_of(self, slug: str) -> str | None:
        return next((w.name for w in self.waves if slug in w.tenants), None)


@dataclass(frozen=True)
class Selection:
    """The tenants chosen (slugs), and the wave they came from (if any)."""

    tenants: frozenset[str] = frozenset()
    wave: str = ""
    wave_file: WaveFile | None = None

    @property
    def everything(self) -> bool:
        return not self.tenants

    def describe(self) -> str:
        if self.everything:
            return "every tenant"
        label = ", ".join(sorted(self.tenants))
        return f"wave {self.wave} ({label})" if self.wave else f"tenant(s) {label}"

    def record(self) -> dict[str, Any]:
        """What the journal and verify.json keep of the selection."""
        return {"tenants": sorted(self.tenants), "wave": self.wave} if not self.everything else {}


@dataclass
class Chosen:
    steps: list[dict[str, Any]]
    shared: list[str] = field(default_factory=list)  # ids of steps taken in for what they serve
    left_out: int = 0  # steps of other tenants or of no tenant


def load_wave_file(path: Path) -> WaveFile:
    """Read a wave file; every problem is an error naming the file."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SelectionError(f"{path}: cannot read the wave file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SelectionError(f"{path}: the wave file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SelectionError(f"{path}: not valid TOML: {exc}") from None
    waves_table = data.get("waves")
    if not isinstance(waves_table, dict) or not waves_table:
        raise SelectionError(f"{path}: no [waves.NAME] table (each with tenants = [...])")
    waves: list[Wave] = []
    seen: dict[str, str] = {}
    for name, body in waves_table.items():
        if not isinstance(body, dict) or not isinstance(body.get("tenants"), list):
            raise SelectionError(f'{path}: wave {name!r} needs tenants = ["slug", ...]')
        tenants = body["tenants"]
        if not tenants or not all(isinstance(t, str) and t for t in tenants):
            raise SelectionError(f"{path}: wave {name!r}: tenants must be a non-empty list of names")
        for tenant in tenants:
            if tenant in seen:
                raise SelectionError(f"{path}: tenant {tenant!r} is in wave {seen[tenant]!r} and {name!r}")
            seen[tenant] = name
        note = body.get("note", "")
        waves.append(Wave(str(name), tuple(tenants), note if isinstance(note, str) else ""))
    return WaveFile(str(path), tuple(waves))


def parse_wave_option(value: str, wave_name: str | None) -> tuple[Path, str | None]:
    """`FILE` or `FILE:NAME` (a name after the last colon, when FILE itself exists without it)."""
    path, name = Path(value), wave_name
    if not path.exists() and ":" in value:
        head, _, tail = value.rpartition(":")
        path, name = Path(head), tail or wave_name
    return path, name


def resolve_selection(
    plan_tenants: Sequence[dict[str, Any]],
    tenants: Iterable[str] = (),
    wave: str | None = None,
    wave_name: str | None = None,
) -> Selection:
    """The selection that `--tenant` (repeatable) and `--wave FILE[:NAME]` / `--wave-name` ask for."""
    names = list(tenants)
    chosen_wave, wave_file = "", None
    if wave:
        path, name = parse_wave_option(wave, wave_name)
        wave_file = load_wave_file(path)
        if name is None:
            if len(wave_file.waves) != 1:
                listed = ", ".join(w.name for w in wave_file.waves)
                raise SelectionError(f"{path}: name the wave: --wave {path}:NAME (waves: {listed})")
            name = wave_file.waves[0].name
        wave_file = _as_slugs(plan_tenants, wave_file)
        picked = wave_file.wave(name)
        chosen_wave = picked.name
        names += list(picked.tenants)
    elif wave_name:
        raise SelectionError("--wave-name needs --wave FILE")
    if not names:
        return Selection(wave_file=wave_file)
    slugs = frozenset(
        _slug_of(plan_tenants, n, str(wave_file.path) if wave_file else "--tenant") for n in names
    )
    return Selection(slugs, chosen_wave, wave_file)


def _aliases(tenant: dict[str, Any]) -> set[str]:
    return {str(tenant.get(k, "")) for k in ("slug", "name", "project", "app_id")} - {""}


def _slug_of(plan_tenants: Sequence[dict[str, Any]], name: str, where: str) -> str:
    matches = {str(t["slug"]) for t in plan_tenants if name in _aliases(t)}
    if len(matches) == 1:
        return next(iter(matches))
    known = ", ".join(sorted({str(t["slug"]) for t in plan_tenants})) or "none"
    if matches:
        raise SelectionError(f"{where}: {name!r} names several tenants ({', '.join(sorted(matches))})")
    raise SelectionError(f"{where}: no tenant {name!r} in the plan (tenants: {known})")


def _as_slugs(plan_tenants: Sequence[dict[str, Any]], wave_file: WaveFile) -> WaveFile:
    """The wave file with every tenant named by its slug (an unknown name is an error naming the file)."""
    waves = tuple(
        Wave(w.name, tuple(_slug_of(plan_tenants, t, wave_file.path) for t in w.tenants), w.note)
        for w in wave_file.waves
    )
    return WaveFile(wave_file.path, waves)


def select_steps(steps: Sequence[dict[str, Any]], selection: Selection) -> Chosen:
    """The steps of the selected tenants and, transitively, every step they depend on, in plan order."""
    if selection.everything:
        return Chosen(list(steps))
    by_id = {s["id"]: s for s in steps}
    wanted = {s["id"] for s in steps if selection.tenants & set(s.get("tenants") or ())}
    own = set(wanted)
    stack = list(wanted)
    while stack:
        for dep in by_id[stack.pop()].get("depends_on", ()):
            if dep in by_id and dep not in wanted:
                wanted.add(dep)
                stack.append(dep)
    picked = [s for s in steps if s["id"] in wanted]
    shared = [s["id"] for s in picked if s["id"] not in own]
    return Chosen(picked, shared, len(steps) - len(picked))


def undoable(step_tenants: Sequence[str] | None, selection: Selection) -> bool:
    """Rollback of a selection undoes a step only when every tenant it serves is selected."""
    if selection.everything:
        return True
    served = set(step_tenants or ())
    return bool(served) and served <= selection.tenants


def step_tenants(plan_steps: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    return {str(s["id"]): sorted(s.get("tenants") or ()) for s in plan_steps}


def tenant_status(
    plan_steps: Sequence[dict[str, Any]], status_of: dict[str, str], wave_file: WaveFile | None = None
) -> dict[str, dict[str, Any]]:
    """Per tenant: how many of its steps (its own and the shared ones it needs) are ok, failed, pending."""
    slugs = sorted({t for s in plan_steps for t in s.get("tenants") or ()})
    out: dict[str, dict[str, Any]] = {}
    for slug in slugs:
        needed = select_steps(plan_steps, Selection(frozenset({slug}))).steps
        counts = {"ok": 0, "failed": 0, "pending": 0}
        for step in needed:
            status = status_of.get(step["id"], "")
            key = "ok" if status == "ok" else "failed" if status in ("failed", "not-run") else "pending"
            counts[key] += 1
        state = (
            "done"
            if counts["ok"] == len(needed)
            else "failed"
            if counts["failed"]
            else ("partial" if counts["ok"] else "not started")
        )
        entry: dict[str, Any] = {"steps": len(needed), **counts, "status": state}
        if wave_file is not None:
            entry["wave"] = wave_file.wave_of(slug) or ""
        out[slug] = entry
    return out


def wave_status(tenants: dict[str, dict[str, Any]], wave_file: WaveFile) -> list[dict[str, Any]]:
    """Per wave, in the file's order: its tenants and whether all of them are done."""
    rows = []
    for wave in wave_file.waves:
        states = [tenants.get(t, {}).get("status", "unknown") for t in wave.tenants]
        rows.append({"wave": wave.name, "tenants": list(wave.tenants), "status": _combined(states)})
    return rows


def _combined(states: list[str]) -> str:
    """A wave's status from its tenants' (apply's done/partial/failed, or verify's passed/failed)."""
    if all(s in ("done", "passed") for s in states):
        return "done"
    if "failed" in states:
        return "failed"
    if all(s in ("not started", "not checked", "unknown") for s in states):
        return "not started"
    return "partial"


def tenant_names(plan_tenants: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """What rollback needs to resolve a tenant's name from the journal alone."""
    return [
        {k: str(t.get(k, "")) for k in ("slug", "name", "project", "app_id")}
        for t in sorted(plan_tenants, key=lambda t: str(t["slug"]))
    ]


def scope_note(selection: Selection, chosen: Chosen) -> str:
    own = len(chosen.steps) - len(chosen.shared)
    return (
        f"selection: {selection.describe()}: {own} step(s) of theirs and {len(chosen.shared)} shared step(s) "
        f"they depend on; {chosen.left_out} step(s) of other tenants (or of no tenant) are left alone"
    )


def journal_selection(
    records: Sequence[dict[str, Any]],
    applied: Sequence[Any],
    tenants: Iterable[str],
    wave: str | None,
    wave_name: str | None,
) -> tuple[Selection, list[Any]]:
    """Rollback's selection, from the journal alone: the names and step tenants each apply-start recorded."""
    names: dict[str, dict[str, str]] = {}
    served: dict[str, dict[str, list[str]]] = {}
    for record in records:
        if record.get("event") not in ("apply-start", SHARD_IDLE):
            continue
        for entry in record.get("tenant_names") or ():
            if isinstance(entry, dict) and entry.get("slug"):
                names[str(entry["slug"])] = {k: str(v) for k, v in entry.items()}
        mapping = record.get("step_tenants")
        if isinstance(mapping, dict):
            served.setdefault(str(record.get("plan", "")), {}).update(
                {str(k): [str(t) for t in v] for k, v in mapping.items() if isinstance(v, list)}
            )
    selection = resolve_selection(list(names.values()), tenants, wave, wave_name)
    if selection.everything:
        return selection, list(applied)
    unknown = sorted({a.plan_id for a in applied if a.plan_id not in served})
    if unknown:
        raise SelectionError(
            f"the journal does not record which tenants the steps of plan(s) {', '.join(unknown)} serve "
            "(applied by an older version): roll back without --tenant/--wave, or pass --plan-id"
        )
    return selection, [a for a in applied if undoable(served[a.plan_id].get(a.step_id), selection)]


def tenant_checks(
    plan_steps: Sequence[dict[str, Any]], checks: Sequence[tuple[str, bool]], selection: Selection
) -> dict[str, dict[str, Any]]:
    """Per checked tenant: verify's checks of its steps (and the shared ones it needs), passed and failed.

    `status` is `passed`, `failed`, or `not checked` (no check touched it: nothing of it was verified)."""
    slugs = sorted({t for s in plan_steps for t in s.get("tenants") or ()})
    if not selection.everything:
        slugs = [s for s in slugs if s in selection.tenants]
    out: dict[str, dict[str, Any]] = {}
    for slug in slugs:
        ids = {s["id"] for s in select_steps(plan_steps, Selection(frozenset({slug}))).steps}
        mine = [ok for step, ok in checks if step in ids]
        failed = sum(1 for ok in mine if not ok)
        status = "not checked" if not mine else "failed" if failed else "passed"
        entry: dict[str, Any] = {"checks": len(mine), "failed": failed, "status": status}
        if selection.wave_file is not None:
            entry["wave"] = selection.wave_file.wave_of(slug) or ""
        out[slug] = entry
    return out
