"""`--output json` of apply, verify and rollback: each run's end as one JSON document on stdout.

The lines a run prints while it works go to stderr in that mode, so stdout is exactly one document a
script can parse. The human summary lines are included (`summary`), so nothing is said only in text.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from migrate.exitcodes import blocker_count


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, default=str)


def apply_json(result: Any, plan_data: dict[str, Any] | None, code: int) -> dict[str, Any]:
    run = result.execution
    return {
        "command": "apply",
        "plan_id": result.plan_id,
        "journal": str(result.journal),
        "dry_run": bool(result.dry_run),
        "ok": bool(result.ok),
        "exit_code": code,
        "counts": {s: run.count(s) for s in ("ok", "failed", "not-run")},
        "done_earlier": result.already_done,
        "blockers": blocker_count(plan_data) if plan_data else None,
        "steps": [
            {"step": o.step_id, "kind": o.kind, "status": o.status, "error": o.error} for o in run.outcomes
        ],
        "summary": list(result.summary()) if run.outcomes else [],
    }


def verify_json(result: Any, code: int) -> dict[str, Any]:
    return {
        "command": "verify",
        "plan_id": result.plan_id,
        "passed": bool(result.passed),
        "exit_code": code,
        "results": str(result.path),
        "checks": [dataclasses.asdict(c) for c in result.checks],
        "tenants": result.tenants,
        "summary": list(result.table()),
    }


def rollback_json(result: Any, code: int) -> dict[str, Any]:
    return {
        "command": "rollback",
        "ok": bool(result.ok),
        "exit_code": code,
        "steps": [
            {"plan_id": a.plan_id, "step": a.step_id, "kind": a.kind, "status": u.status, "detail": u.detail}
            for a, u in result.outcomes
        ],
        "summary": list(result.summary()) if result.outcomes else [],
    }
