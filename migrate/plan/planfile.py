"""`plan.json`: the reviewable, deterministic plan file (schema, writing, loading with checks).

Top level: `kind`, `schema_version`, `plan_id`, `tool_version`, `inputs` (sha256 of the inventory file, of
the live state and of the overrides file), `accounts`, `regions`, `tenants`, `skipped`, `changes` (one per
desired resource), `steps` (in execution order, each with the `action` and `tenants` of its change), `findings`, `exports`
(the files of what v2 cannot hold, `export_dir` where they were written) and `summary`, plus `integrity`: the
sha256 of the rest, so that apply can refuse a plan edited by hand. The same inputs give the same bytes:
no clock, keys sorted, lists in a defined order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from migrate import __version__
from migrate.mapping.catalog import SEVERITIES
from migrate.mapping.desired import DesiredState
from migrate.plan.diff import ACTIONS, PlanBody
from migrate.plan.errors import PlanFileError
from migrate.plan.ordering import order_steps
from migrate.plan.steps import STEP_KINDS

KIND = "pinpoint-migrate-plan"
SCHEMA_VERSION = 1
_REQUIRED = {
    "plan_id": str,
    "inputs": dict,
    "accounts": list,
    "regions": list,
    "tenants": list,
    "skipped": list,
    "changes": list,
    "steps": list,
    "findings": list,
    "exports": list,
    "summary": dict,
    "integrity": str,
}
_STEP_KEYS = (
    "id",
    "kind",
    "account",
    "region",
    "target",
    "parameters",
    "depends_on",
    "permissions",
    "destructive",
)


def plan_identity(
    inventory_sha256: str, live_sha256: str, overrides_sha256: str, options: dict[str, Any]
) -> str:
    """A plan id from what the plan is computed from (so a re-plan of the same world keeps its id)."""
    body = json.dumps(
        [SCHEMA_VERSION, inventory_sha256, live_sha256, overrides_sha256, options], sort_keys=True
    )
    return "plan-" + hashlib.sha256(body.encode()).hexdigest()[:20]


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _integrity(data: dict[str, Any]) -> str:
    body = {k: v for k, v in data.items() if k != "integrity"}
    return hashlib.sha256(_canonical(body).encode("utf-8")).hexdigest()


class Plan:
    """A plan as the JSON data it is written as (a loaded plan and a built one are the same thing)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @property
    def plan_id(self) -> str:
        return str(self.data["plan_id"])

    @property
    def steps(self) -> list[dict[str, Any]]:
        return list(self.data["steps"])

    @property
    def changes(self) -> list[dict[str, Any]]:
        return list(self.data["changes"])

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(self.data["findings"])

    @property
    def summary(self) -> dict[str, Any]:
        return dict(self.data["summary"])

    @property
    def has_changes(self) -> bool:
        """Any step for apply to carry out (`--detailed-exitcode` exits 2); blocked changes are not steps."""
        return bool(self.summary["steps"])

    def dumps(self) -> str:
        return _canonical(self.data)

    def write(self, path: Path) -> Path:
        from migrate.fileio import write_atomic

        return write_atomic(Path(path), self.dumps())


def build_plan(
    desired: DesiredState,
    body: PlanBody,
    *,
    plan_id: str,
    inputs: dict[str, Any],
    accounts: list[str],
    regions: list[str],
    export_dir: str | None = None,
) -> Plan:
    changes = [c.to_json() for c in body.changes]
    owner = {step_id: change for change in changes for step_id in change["steps"]}
    steps = []
    for step in order_steps(body.steps):
        item = step.to_json()
        item["action"] = owner[step.id]["action"]
        item["tenants"] = owner[step.id]["tenants"]
        steps.append(item)
    findings = [f.to_json() for f in body.findings]
    counts = {action: sum(1 for c in changes if c["action"] == action) for action in ACTIONS}
    summary = {
        **counts,
        "steps": len(steps),
        "tenants": len(desired.tenants),
        "findings": {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES},
        "exports": len(desired.exports),
    }
    data: dict[str, Any] = {
        "kind": KIND,
        "schema_version": SCHEMA_VERSION,
        "plan_id": plan_id,
        "tool_version": __version__,
        "inputs": inputs,
        "accounts": sorted(set(accounts)),
        "regions": sorted(set(regions)),
        "tenants": [_plain(t) for t in desired.tenants],
        "skipped": desired.skipped,
        "changes": changes,
        "steps": steps,
        "findings": findings,
        "export_dir": export_dir,
        "exports": [
            {"path": e.path, "kind": e.kind, "source": e.source, "sha256": e.sha256, "notes": list(e.notes)}
            for e in desired.exports
        ],
        "summary": summary,
    }
    data["integrity"] = _integrity(data)
    return Plan(data)


def _plain(item: Any) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(item).items()}


def load_plan(path: Path) -> Plan:
    """Read a plan file, refusing one of another schema version, a damaged or a hand-edited one."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanFileError(f"{path}: no such plan file (run `pinpoint-migrate plan` first)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"{path}: not valid JSON ({exc})") from None
    except OSError as exc:
        raise PlanFileError(f"{path}: cannot be read ({exc.strerror})") from None
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        raise PlanFileError(f"{path}: not a pinpoint-migrate plan")
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise PlanFileError(
            f"{path}: plan schema_version {raw.get('schema_version')!r}; this pinpoint-migrate reads version "
            f"{SCHEMA_VERSION}: plan again with this version"
        )
    for key, kind in _REQUIRED.items():
        if not isinstance(raw.get(key), kind):
            raise PlanFileError(f"{path}: `{key}` is missing or not a {kind.__name__}")
    if raw["integrity"] != _integrity(raw):
        raise PlanFileError(
            f"{path}: the plan was changed after it was written (integrity check failed); plan again"
        )
    _check_steps(path, raw["steps"])
    return Plan(raw)


def _check_steps(path: Path, steps: list[Any]) -> None:
    seen: set[str] = set()
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, dict) or any(k not in step for k in _STEP_KEYS):
            raise PlanFileError(f"{path}: step {number} lacks one of {', '.join(_STEP_KEYS)}")
        depends = step["depends_on"]
        if not isinstance(step["id"], str) or not isinstance(step["kind"], str):
            raise PlanFileError(f"{path}: step {number}: `id` and `kind` must be strings")
        if not isinstance(depends, list) or not all(isinstance(d, str) for d in depends):
            raise PlanFileError(f"{path}: step {step['id']}: `depends_on` must be a list of step ids")
        if step["kind"] not in STEP_KINDS:
            raise PlanFileError(f"{path}: step {step['id']} has unknown kind {step['kind']!r}")
        missing = [d for d in step["depends_on"] if d not in seen]
        if missing:
            raise PlanFileError(
                f"{path}: step {step['id']} depends on {missing[0]}, which does not come before it"
            )
        seen.add(step["id"])
