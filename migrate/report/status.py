"""The report's judgements: a step's status, which findings concern a tenant, and how ready it is.

Rules (the page states them too): a tenant is *blocked* while a blocker finding concerns it, one of its
resources is blocked or one of its steps failed or did not run; it *needs action* while a warning concerns
it; otherwise it is *ready*. Informational findings never hold a tenant back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from migrate.report.parts import READINESS, ChangeRow, FindingRow, StepRow
from migrate.report.planview import PlanChange, PlanStep, StepOutcome

# Least progressed first: a tenant target shows the status of its least progressed step.
PROGRESS = ("failed", "blocked", "not-run", "planned", "unchanged", "applied", "verified")


def step_status(
    step: PlanStep, outcome: StepOutcome | None, check: tuple[bool, str] | None
) -> tuple[str, str, str]:
    """(status, result, check text) of one step."""
    result = outcome.result if outcome else ""
    check_text = ""
    if check is not None:
        check_text = ("verify: pass" if check[0] else "verify: FAIL") + (f" ({check[1]})" if check[1] else "")
    if outcome is not None and outcome.status in ("failed", "not-run"):
        return outcome.status, result, check_text
    if check is not None:
        return ("verified" if check[0] else "failed"), result, check_text
    if outcome is not None and outcome.status == "applied":
        return "applied", result, check_text
    if step.action == "no-op":
        return "unchanged", result, check_text
    return "planned", result, check_text


def change_status(change: PlanChange, steps: Sequence[str], check: tuple[bool, str] | None) -> str:
    """A change is as far as its least progressed step (`steps`: their statuses)."""
    if change.action == "blocked":
        return "blocked"
    if check is not None and not steps:
        return "verified" if check[0] else "failed"
    if not steps:
        return "unchanged" if change.action == "no-op" else "planned"
    return least_progressed(steps)


def least_progressed(statuses: Iterable[str]) -> str:
    found = [s for s in statuses if s in PROGRESS]
    return min(found, key=PROGRESS.index) if found else "planned"


class FindingIndex:
    """Which findings concern a tenant: those naming it, blocking one of its resources (any address under
    its opt-out list, configuration set or pools), or covering its region or account as a whole (a
    sandboxed region holds back every tenant in it)."""

    def __init__(self, findings: Sequence[FindingRow]) -> None:
        self.order = {f.finding_id: n for n, f in enumerate(findings)}
        self.by_tenant: dict[tuple[str, str, str], list[FindingRow]] = defaultdict(list)
        self.by_resource: dict[tuple[str, str, str], list[FindingRow]] = defaultdict(list)
        self.by_place: dict[tuple[str, str], list[FindingRow]] = defaultdict(list)
        for finding in findings:
            if finding.tenant:
                self.by_tenant[(finding.account, finding.region, finding.tenant)].append(finding)
                continue
            for address in finding.blocks:
                self.by_resource[resource_of(address)].append(finding)
            if not finding.resource and finding.account:
                self.by_place[(finding.account, finding.region)].append(finding)

    def concerning(
        self, account: str, region: str, slug: str, names: Iterable[str]
    ) -> tuple[FindingRow, ...]:
        """`names`: the tenant's v2 resource names (opt-out list, configuration set, pools)."""
        found = {f.finding_id: f for f in self.by_tenant.get((account, region, slug), ())}
        for name in names:
            found.update((f.finding_id, f) for f in self.by_resource.get((account, region, name), ()))
        for place in ((account, region), (account, "")):
            found.update((f.finding_id, f) for f in self.by_place.get(place, ()))
        return tuple(sorted(found.values(), key=lambda f: self.order[f.finding_id]))


def resource_of(address: str) -> tuple[str, str, str]:
    """`<kind>:<account>/<region>/<name>[/...]` → (account, region, name): the resource an address is in."""
    parts = address.partition(":")[2].split("/")
    return (parts[0], parts[1], parts[2]) if len(parts) >= 3 else ("", "", "")


def readiness(
    findings: Sequence[FindingRow], changes: Sequence[ChangeRow], steps: Sequence[StepRow]
) -> tuple[str, tuple[str, ...]]:
    """The tenant's readiness and the reasons behind it, one line each."""
    reasons: list[str] = []
    blockers = sorted({f.code for f in findings if f.severity == "blocker"})
    warnings = sorted({f.code for f in findings if f.severity == "warning"})
    blocked = sum(1 for c in changes if c.action == "blocked")
    failed = sum(1 for s in steps if s.status in ("failed", "not-run"))
    if blockers:
        reasons.append(f"{_n(len(blockers), 'blocker')}: {', '.join(blockers)}")
    if blocked:
        reasons.append(f"{_n(blocked, 'resource')} blocked until the blockers are resolved")
    if failed:
        reasons.append(f"{_n(failed, 'step')} failed or not run")
    if warnings:
        reasons.append(f"{_n(len(warnings), 'warning')}: {', '.join(warnings)}")
    if blockers or blocked or failed:
        return "blocked", tuple(reasons)
    if warnings:
        return "needs-action", tuple(reasons)
    return "ready", ("nothing stands in the way",)


def overall(values: Iterable[str]) -> str:
    """The worst readiness among `values` (ready when there is nothing)."""
    present = set(values)
    for level in READINESS:
        if level in present:
            return level
    return "ready"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
