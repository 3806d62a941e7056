"""What the report reads from a plan, the apply journal and verify results, in one normalised shape.

The plan is the planner's own (`migrate.plan.planfile.Plan`, or its JSON data as `plan.json` holds it):
`changes` (one per desired resource: create, update, no-op or blocked, with its field diff, the findings
blocking it and its steps) and `steps` (in execution order). This module is the one place that knows
those keys, so a change in the plan file touches only this file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from migrate.apply.state import OK, plan_state
from migrate.report.readable import StepLabel, key_text, readable, step_label

Json = dict[str, Any]
HIDDEN_PARAMETERS = (
    "ClientToken",
    "Tags",
)  # noise in a report: derived from the plan id, or listed elsewhere


@dataclass(frozen=True)
class PlanChange:
    address: str
    resource_type: str
    account: str
    region: str
    name: str
    parent: str
    action: str  # create | update | no-op | blocked
    diff: tuple[str, ...]
    blocked_by: tuple[str, ...]
    steps: tuple[str, ...]
    tenants: tuple[str, ...]


@dataclass(frozen=True)
class PlanStep:
    step_id: str
    kind: str
    operation: str
    action: str
    target: str
    account: str
    region: str
    tenants: tuple[str, ...]
    destructive: bool
    depends_on: tuple[str, ...]
    parameters: tuple[str, ...]


@dataclass(frozen=True)
class PlanView:
    plan_id: str
    inventory_sha256: str
    live_sha256: str
    offline: bool
    overrides_file: str
    export_dir: str
    tenants: tuple[Json, ...]
    changes: tuple[PlanChange, ...]
    steps: tuple[PlanStep, ...]
    findings: tuple[Json, ...]
    exports: tuple[Json, ...]
    skipped: tuple[Json, ...]


def as_json(value: Any) -> Json:
    """A plan (or verify result) as its JSON data: a mapping, the planner's `Plan`, or anything with to_json."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return dict(value)
    data = getattr(value, "data", None)
    if isinstance(data, Mapping):
        return dict(data)
    if hasattr(value, "to_json"):
        return dict(value.to_json())
    raise TypeError(f"expected a plan (mapping or Plan), not {type(value).__name__}")


def plan_view(plan: Any) -> PlanView:
    raw = as_json(plan)
    inputs = raw.get("inputs") or {}
    return PlanView(
        plan_id=str(raw.get("plan_id", "")),
        inventory_sha256=str(inputs.get("inventory_sha256", "")),
        live_sha256=str(inputs.get("live_sha256", "")),
        offline=bool(inputs.get("offline", False)),
        overrides_file=str(inputs.get("overrides_file") or ""),
        export_dir=str(raw.get("export_dir") or ""),
        tenants=tuple(dict(t) for t in raw.get("tenants", ())),
        changes=tuple(_change(c) for c in raw.get("changes", ())),
        steps=_steps(raw.get("steps", ())),
        findings=tuple(dict(f) for f in raw.get("findings", ())),
        exports=tuple(dict(e) for e in raw.get("exports", ())),
        skipped=tuple(dict(s) for s in raw.get("skipped", ())),
    )


def _steps(raw: Iterable[Mapping[str, Any]]) -> tuple[PlanStep, ...]:
    """The plan's steps; a value one step takes from another names that step by number and what it does."""
    items = list(raw)
    numbers = {str(s.get("id", "")): n for n, s in enumerate(items, start=1)}
    kinds = {str(s.get("id", "")): str(s.get("kind", "")) for s in items}

    def label(step_id: str) -> str:
        number = numbers.get(step_id)
        text = step_label(step_id, kinds.get(step_id, ""))
        return f"{number} ({text})" if number else text

    return tuple(_step(s, label) for s in items)


def _strings(values: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def _change(raw: Mapping[str, Any]) -> PlanChange:
    return PlanChange(
        address=str(raw.get("address", "")),
        resource_type=str(raw.get("resource_type", "")),
        account=str(raw.get("account", "")),
        region=str(raw.get("region", "")),
        name=str(raw.get("name", "")),
        parent=str(raw.get("parent", "")),
        action=str(raw.get("action", "")),
        diff=tuple(_diff_line(d) for d in raw.get("diff", ())),
        blocked_by=_strings(raw.get("blocked_by")),
        steps=_strings(raw.get("steps")),
        tenants=_strings(raw.get("tenants")),
    )


def _step(raw: Mapping[str, Any], steps: StepLabel = step_label) -> PlanStep:
    parameters = raw.get("parameters") or {}
    return PlanStep(
        step_id=str(raw.get("id", "")),
        kind=str(raw.get("kind", "")),
        operation=str(raw.get("operation", "")),
        action=str(raw.get("action", "")),
        target=str(raw.get("target", "")),
        account=str(raw.get("account", "")),
        region=str(raw.get("region", "")),
        tenants=_strings(raw.get("tenants")),
        destructive=bool(raw.get("destructive", False)),
        depends_on=_strings(raw.get("depends_on")),
        parameters=tuple(
            f"{key_text(key)}: {readable(value, steps)}"
            for key, value in sorted(parameters.items())
            if key not in HIDDEN_PARAMETERS
        ),
    )


def _diff_line(diff: Any) -> str:
    if not isinstance(diff, Mapping):
        return short(diff)
    field, before, after = diff.get("field", ""), diff.get("before"), diff.get("after")
    if before in (None, ""):
        return f"{field}: {short(after)}"  # a new resource: only what it will be
    return f"{field}: {short(before)} → {short(after)}"


def short(value: Any, limit: int = 90) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- apply journal and verify results ------------------------------------------------------------------
@dataclass(frozen=True)
class StepOutcome:
    status: str  # applied | failed | not-run
    result: str  # what it made (ids, ARNs), or why it failed or did not run


def journal_outcomes(records: Iterable[Mapping[str, Any]] | None, plan_id: str) -> dict[str, StepOutcome]:
    """What the apply journal says about each step of this plan, read by apply's own `plan_state` (so a
    step undone by rollback, or reset, reads as not applied, exactly as apply itself sees it)."""
    if not records:
        return {}
    state = plan_state([dict(r) for r in records], plan_id)
    outcomes = {}
    for step, status in state.status.items():
        if status == OK:
            made = state.results.get(step) or {}
            outcomes[step] = StepOutcome(
                "applied", ", ".join(f"{k}={short(v)}" for k, v in sorted(made.items()))
            )
        else:
            outcomes[step] = StepOutcome(
                "failed" if status == "failed" else "not-run", state.errors.get(step, "")
            )
    return outcomes


def verify_outcomes(verify: Any) -> dict[str, tuple[bool, str]]:
    """Step id → (passed, what was checked), from `verify.json` (a step can have several checks)."""
    raw = as_json(verify)
    found: dict[str, tuple[bool, str]] = {}
    for check in raw.get("steps") or ():
        key = str(check.get("step", ""))
        if not key:
            continue
        what, detail = str(check.get("what", "")), str(check.get("detail", ""))
        text = f"{what}: {detail}" if what and detail else what or detail
        ok_before, text_before = found.get(key, (True, ""))
        found[key] = (ok_before and bool(check.get("ok")), "; ".join(t for t in (text_before, text) if t))
    return found


def verify_summary(verify: Any) -> str:
    raw = as_json(verify)
    checks = list(raw.get("steps") or ())
    if not raw:
        return ""
    failed = sum(1 for c in checks if not c.get("ok"))
    when = f" at {raw['checked_at']}" if raw.get("checked_at") else ""
    return f"verify{when}: {len(checks)} check(s), {failed} failed"
