"""The exit codes every command keeps (the README's table), in one place.

Terraform's `plan -detailed-exitcode` is the model (0 nothing to do, 1 error, 2 changes present); a CI
loop "exit 2 -> apply" must therefore never see 2 when there is nothing apply could do, and usage errors
(click's default is 2) are errors like any other: 1. "Blockers remain" gets its own code, asked for with
`--fail-on blocker`, so a pipeline can stop on what only a person can fix.
"""

from __future__ import annotations

from typing import Any

OK = 0  # done, nothing to do
ERROR = 1  # bad input, refused, failed, or a check failed
CHANGES = 2  # changes pending (only with --detailed-exitcode)
BLOCKERS = 3  # blockers remain (only with --fail-on blocker)

TABLE = (
    (OK, "success; nothing to do (plan), every step done (apply), every check passed (verify)"),
    (ERROR, "an error: bad input, refused, a failed step or check, a scan that could read nothing"),
    (CHANGES, "plan --detailed-exitcode: steps are pending for apply"),
    (BLOCKERS, "--fail-on blocker: blocker findings remain that only a person can resolve"),
)


def plan_exit_code(steps: int, blockers: int, *, detailed: bool, fail_on_blocker: bool) -> int:
    """Blockers first (asked for explicitly), then pending steps; 2 is never given with 0 steps."""
    if fail_on_blocker and blockers:
        return BLOCKERS
    if detailed and steps:
        return CHANGES
    return OK


def blocker_count(plan_data: dict[str, Any]) -> int:
    """Blocker findings plus blocked changes of a plan (`plan.json` data)."""
    summary = plan_data.get("summary") or {}
    findings = summary.get("findings") or {}
    return int(findings.get("blocker", 0) or 0) + int(summary.get("blocked", 0) or 0)
