"""What the report reads from a plan, the apply journal and verify results, in one normalised shape.

The plan is given as the planner wrote it (`plan.json` loaded, or an object with `to_json()`); this module
is the one place that knows its keys, so a change in the plan file touches only this file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class PlanStep:
    step_id: str
    kind: str
    action: str
    target: str
    tenants: tuple[str, ...]  # slugs
    account: str
    region: str
    destructive: bool
    depends_on: tuple[str, ...]
    blocked_by: tuple[str, ...]
    changes: tuple[str, ...]


@dataclass(frozen=True)
class PlanView:
    plan_id: str
    created_at: str
    inventory_sha256: str
    tenants: tuple[Json, ...]
    steps: tuple[PlanStep, ...]
    findings: tuple[Json, ...]
    exports: tuple[Json, ...]
    skipped: tuple[Json, ...]


def as_json(plan: Any) -> Json:
    if plan is None:
        return {}
    if isinstance(plan, Mapping):
        return dict(plan)
    if hasattr(plan, "to_json"):
        return dict(plan.to_json())
    raise TypeError(f"a plan must be a mapping or have to_json(), not {type(plan).__name__}")


def plan_view(plan: Any) -> PlanView:
    raw = as_json(plan)
    return PlanView(
        plan_id=str(raw.get("plan_id", "")),
        created_at=str(raw.get("created_at", raw.get("inventory_scanned_at", ""))),
        inventory_sha256=str(raw.get("inventory_sha256", "")),
        tenants=tuple(dict(t) for t in raw.get("tenants", ())),
        steps=tuple(_step(s) for s in raw.get("steps", ())),
        findings=tuple(dict(f) for f in raw.get("findings", ())),
        exports=tuple(dict(e) for e in raw.get("exports", ())),
        skipped=tuple(dict(s) for s in raw.get("skipped", ())),
    )


def _step(raw: Mapping[str, Any]) -> PlanStep:
    target = str(raw.get("address") or raw.get("target") or "")
    account, region = _place(target)
    tenants = raw.get("tenants") or ([raw["tenant"]] if raw.get("tenant") else [])
    return PlanStep(
        step_id=str(raw.get("id", "")),
        kind=str(raw.get("kind", "")),
        action=str(raw.get("action", "create")),
        target=target,
        tenants=tuple(str(t) for t in tenants),
        account=str(raw.get("account", account)),
        region=str(raw.get("region", region)),
        destructive=bool(raw.get("destructive", False)),
        depends_on=tuple(str(d) for d in raw.get("depends_on", ())),
        blocked_by=tuple(str(b) for b in raw.get("blocked_by", ())),
        changes=_changes(raw),
    )


def _place(address: str) -> tuple[str, str]:
    """`pool:<account>/<region>/<name>` → (account, region)."""
    _, _, rest = address.partition(":")
    parts = rest.split("/")
    return (parts[0], parts[1]) if len(parts) >= 2 else ("", "")


def _changes(raw: Mapping[str, Any]) -> tuple[str, ...]:
    changes = raw.get("changes")
    if isinstance(changes, Mapping):
        return tuple(f"{k}: {_short(v)}" for k, v in sorted(changes.items()))
    if isinstance(changes, list | tuple):
        return tuple(_change_line(c) for c in changes)
    return ()


def _change_line(change: Any) -> str:
    if isinstance(change, Mapping):
        name = change.get("field", change.get("name", ""))
        return f"{name}: {_short(change.get('old', ''))} → {_short(change.get('new', ''))}"
    return str(change)


def _short(value: Any, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- apply journal and verify results ------------------------------------------------------------------
@dataclass(frozen=True)
class StepOutcome:
    status: str  # applied | failed | "" (started, not finished)
    result: str


def journal_outcomes(records: Iterable[Mapping[str, Any]] | None) -> dict[str, StepOutcome]:
    """The last word of the journal on each step: applied (with what it made) or failed (and why)."""
    outcomes: dict[str, StepOutcome] = {}
    for record in records or ():
        step = str(record.get("step", record.get("step_id", "")))
        if not step:
            continue
        event = str(record.get("event", record.get("type", "")))
        result = record.get("result") or {}
        text = (
            ", ".join(f"{k}={v}" for k, v in sorted(result.items()))
            if isinstance(result, Mapping)
            else str(result)
        )
        if event in ("end", "done", "finished"):
            ok = str(record.get("status", "ok")) in (
                "ok",
                "applied",
                "succeeded",
                "success",
                "skipped",
                "no-op",
            )
            error = str(record.get("error", ""))
            previous = outcomes.get(step)
            kept = text or (previous.result if previous else "")
            outcomes[step] = StepOutcome("applied" if ok else "failed", kept if ok else error or kept)
        elif event == "result":
            outcomes[step] = StepOutcome(outcomes.get(step, StepOutcome("", "")).status, text)
        elif event == "start" and step not in outcomes:
            outcomes[step] = StepOutcome("", "")
    return outcomes


def verify_outcomes(verify: Any) -> dict[str, tuple[bool, str]]:
    """Step id → (passed, what was checked) from verify's results."""
    raw = as_json(verify)
    checks = raw.get("steps", raw.get("checks", raw.get("results", ())))
    found: dict[str, tuple[bool, str]] = {}
    for check in checks or ():
        step = str(check.get("step", check.get("step_id", "")))
        if not step:
            continue
        passed = bool(check.get("ok", check.get("passed", check.get("status") == "pass")))
        detail = str(check.get("detail", check.get("message", "")))
        ok_before, text_before = found.get(step, (True, ""))
        found[step] = (ok_before and passed, "; ".join(t for t in (text_before, detail) if t))
    return found
