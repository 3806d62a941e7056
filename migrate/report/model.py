"""`build_report`: inventory + plan (+ apply journal, + verify results) → the report model, a pure function.

No clock, no network, no files other than the runbooks shipped with the package: the same inputs give the
same model, and every writer (HTML, JSON, CSV) reads only this model. Phone numbers are masked here, once,
for every writer, unless `show_numbers`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from migrate.inventory.snapshot import Inventory
from migrate.mapping.catalog import HOWS, SEVERITIES
from migrate.mapping.index import Index
from migrate.mapping.progress import Progress
from migrate.report import charts
from migrate.report.cards import TenantIndex, build_card, tenant_records
from migrate.report.checklist import build_checklist
from migrate.report.leadtimes import LeadTimes, load_lead_times
from migrate.report.mask import mask_deep, own_numbers
from migrate.report.parts import (
    ACTIONS,
    HOW_LABELS,
    READINESS,
    READINESS_LABELS,
    STEP_STATUSES,
    ChangeRow,
    Count,
    FindingRow,
    Gap,
    Meta,
    Report,
    StepRow,
    Summary,
    TenantCard,
)
from migrate.report.planview import PlanView, journal_outcomes, plan_view, verify_outcomes, verify_summary
from migrate.report.readable import step_label
from migrate.report.schedule import build_matrix, build_schedules
from migrate.report.since import build_since, order_by_urgency
from migrate.report.status import FindingIndex, change_status, overall, step_status
from migrate.report.tables import call_site_rows, export_rows, identity_rows

LOOKUP_DETAILS = ("country", "registration_type")  # a finding's details that pick a lead-time variant
TITLE = "Pinpoint to End User Messaging SMS: migration readiness"

__all__ = ["Report", "build_report"]


def build_report(
    inventory: Inventory,
    plan: Any,
    journal: Iterable[Mapping[str, Any]] | None = None,
    verify: Any = None,
    show_numbers: bool = False,
    *,
    now: str = "",
    progress: Sequence[Progress] = (),
    lead_times: LeadTimes | None = None,
) -> Report:
    """The report model. `plan` is the plan as written (plan.json loaded, or the planner's object);
    `journal` the apply journal's records; `verify` verify's results; `now` the report time (ISO 8601,
    defaults to the scan time so that the model depends on its inputs only); `progress` the dates recorded in
    overrides.toml; `lead_times` those shipped beside the runbooks unless given."""
    view = plan_view(plan)
    journal_records = list(journal) if journal is not None else None
    findings = tuple(_finding(f) for f in view.findings)
    checks = verify_outcomes(verify) if verify is not None else {}
    names_of = {
        (t["account"], t["region"], t["slug"]): str(t.get("name", t["slug"]))
        for t in tenant_records(inventory, view.tenants)
    }
    steps = _steps(view, journal_records, checks, names_of)
    changes = _changes(view, steps, checks)
    index = Index(inventory)
    tenants = tenant_records(inventory, view.tenants)
    by_change, by_step, finding_index = TenantIndex(changes), TenantIndex(steps), FindingIndex(findings)
    cards = tuple(
        sorted(
            (build_card(index, t, by_change.of(t), by_step.of(t), finding_index) for t in tenants),
            key=lambda c: (READINESS.index(c.readiness), c.name.lower(), c.account, c.region, c.slug),
        )
    )
    names = {a.app_id: a.name for a in inventory.of("pinpoint_apps")} | {c.app_id: c.name for c in cards}
    lead_times = lead_times or load_lead_times()
    findings = order_by_urgency(findings, lead_times)
    checklist = build_checklist(findings, lead_times)
    today = _day(now or inventory.scanned_at)
    since = build_since(inventory, tenants, view.findings, findings, view.exports, lead_times, today)
    schedules = build_schedules(cards, lead_times, progress, today)
    report = Report(
        meta=_meta(inventory, view, now, show_numbers, journal_records is not None, verify),
        summary=_summary(inventory, view, cards, findings, changes, steps, sum(g.total for g in checklist)),
        charts=_charts(cards, findings),
        tenants=cards,
        checklist=checklist,
        findings=findings,
        changes=changes,
        steps=steps,
        identities=identity_rows(inventory, changes, cards),
        call_sites=call_site_rows(inventory),
        exports=export_rows(inventory, view.exports, names),
        schedules=schedules,
        matrix=build_matrix(schedules),
        timeline=charts.timeline(
            [(s.name, s.anchor, s.readiness, s.earliest, s.latest) for s in schedules], today
        ),
        since=since,
    )
    keep = own_numbers(inventory, getattr(plan, "data", None) if not isinstance(plan, dict) else plan)
    return report if show_numbers else mask_deep(report, keep=keep)


def _finding(raw: Mapping[str, Any]) -> FindingRow:
    details = raw.get("details") or {}
    return FindingRow(
        finding_id=str(raw.get("id", raw.get("code", ""))),
        code=str(raw.get("code", "")),
        severity=str(raw.get("severity", "info")),
        how=str(raw.get("how", "api")),
        scope=str(raw.get("scope", "")),
        account=str(raw.get("account", "")),
        region=str(raw.get("region", "")),
        tenant=str(raw.get("tenant", "")),
        tenant_name=str(details.get("tenant_name", raw.get("tenant", "")))
        if isinstance(details, Mapping)
        else "",
        resource=str(raw.get("resource", "")),
        title=str(raw.get("title", raw.get("code", ""))),
        message=str(raw.get("message", "")),
        remedy=str(raw.get("remedy", "")),
        runbook=str(raw.get("runbook", "")),
        docs=str(raw.get("docs", "")),
        blocks=tuple(str(b) for b in raw.get("blocks", ())),
        details=tuple(
            (key, str(details[key]))
            for key in LOOKUP_DETAILS
            if isinstance(details, Mapping) and isinstance(details.get(key), str)
        ),
    )


def _day(iso: str) -> dt.date:
    """The date of an ISO 8601 time (the report's date for the schedule); today's epoch day if unreadable."""
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return dt.date(1970, 1, 1)


def _steps(
    view: PlanView,
    journal: list[Mapping[str, Any]] | None,
    checks: Mapping[str, tuple[bool, str]],
    names: Mapping[tuple[str, str, str], str],
) -> tuple[StepRow, ...]:
    outcomes = journal_outcomes(journal, view.plan_id)
    numbers = {s.step_id: (n, step_label(s.step_id, s.kind)) for n, s in enumerate(view.steps, start=1)}
    rows = []
    for number, step in enumerate(view.steps, start=1):
        check = checks.get(step.step_id, checks.get(step.target))
        status, result, check_text = step_status(step, outcomes.get(step.step_id), check)
        rows.append(
            StepRow(
                step_id=step.step_id,
                kind=step.kind,
                operation=step.operation,
                action=step.action,
                target=step.target,
                account=step.account,
                region=step.region,
                tenants=step.tenants,
                status=status,
                destructive=step.destructive,
                depends_on=step.depends_on,
                parameters=step.parameters,
                result=result,
                check=check_text,
                number=number,
                depends=tuple(numbers.get(d, (0, step_label(d))) for d in step.depends_on),
                tenant_names=tuple(names.get((step.account, step.region, t), t) for t in step.tenants),
            )
        )
    return tuple(rows)


def _changes(
    view: PlanView, steps: Sequence[StepRow], checks: Mapping[str, tuple[bool, str]]
) -> tuple[ChangeRow, ...]:
    status_of = {s.step_id: s.status for s in steps}
    rows = []
    for change in view.changes:
        statuses = [status_of[s] for s in change.steps if s in status_of]
        rows.append(
            ChangeRow(
                address=change.address,
                resource_type=change.resource_type,
                name=change.name,
                account=change.account,
                region=change.region,
                action=change.action,
                status=change_status(change, statuses, checks.get(change.address)),
                tenants=change.tenants,
                blocked_by=change.blocked_by,
                diff=change.diff,
                steps=change.steps,
            )
        )
    return tuple(rows)


def _meta(inventory: Inventory, view: PlanView, now: str, numbers: bool, journal: bool, verify: Any) -> Meta:
    accounts = sorted(inventory.accounts, key=lambda a: a.account_id)
    ids = ",".join(a.account_id for a in accounts)
    return Meta(
        title=TITLE,
        generated_at=now or inventory.scanned_at,
        tool_version=inventory.tool_version,
        scanned_at=inventory.scanned_at,
        # Ticks are kept per set of accounts: a re-generated report keeps them, another customer's does not.
        report_key=hashlib.sha256(ids.encode()).hexdigest()[:16],
        plan_id=view.plan_id,
        plan_inputs=_plan_inputs(view),
        export_dir=view.export_dir,
        inventory_sha256=view.inventory_sha256,
        numbers_shown=numbers,
        journal=journal,
        verify=verify is not None,
        verify_summary=verify_summary(verify) if verify is not None else "",
        accounts=tuple(
            f"{a.account_id} ({a.label})" if a.label and a.label != a.account_id else a.account_id
            for a in accounts
        ),
        regions=tuple(sorted(set(inventory.regions))),
    )


def _plan_inputs(view: PlanView) -> str:
    if not view.plan_id:
        return ""
    against = "the v2 state recorded in the inventory (offline)" if view.offline else "the live v2 state"
    overrides = f", with {view.overrides_file}" if view.overrides_file else ", no overrides"
    return f"planned against {against}{overrides}"


def _counts(values: Sequence[str], order: Sequence[str], labels: Mapping[str, str]) -> tuple[Count, ...]:
    counter = Counter(values)
    keys = list(order) + sorted(set(counter) - set(order))
    return tuple(Count(k, labels.get(k, k), counter.get(k, 0)) for k in keys)


def _summary(
    inventory: Inventory,
    view: PlanView,
    cards: Sequence[TenantCard],
    findings: Sequence[FindingRow],
    changes: Sequence[ChangeRow],
    steps: Sequence[StepRow],
    human_tasks: int,
) -> Summary:
    # Findings and blocked resources that concern no tenant (a v1 set, the account) still count overall.
    levels = [c.readiness for c in cards]
    levels += [
        "blocked" if f.severity == "blocker" else "needs-action" for f in findings if f.severity != "info"
    ]
    levels += ["blocked" for c in changes if c.action == "blocked"]
    gaps = tuple(
        Gap(s.account, s.region, s.name, s.status, s.reason)
        for s in sorted(inventory.sections, key=lambda s: (s.account, s.region, s.name))
        if s.status != "ok"
    )
    skipped = tuple(
        f"{s.get('name', s.get('app_id', ''))} ({s.get('account', '')}/{s.get('region', '')}): {s.get('reason', '')}"
        for s in view.skipped
    )
    return Summary(
        readiness=overall(levels),
        tenants=len(cards),
        tenants_by_readiness=_counts([c.readiness for c in cards], READINESS, READINESS_LABELS),
        findings=len(findings),
        findings_by_severity=_counts([f.severity for f in findings], SEVERITIES, {}),
        findings_by_how=_counts([f.how for f in findings], HOWS, HOW_LABELS),
        changes_by_action=_counts([c.action for c in changes], ACTIONS, {}),
        steps=len(steps),
        steps_by_status=tuple(c for c in _counts([s.status for s in steps], STEP_STATUSES, {}) if c.value),
        human_tasks=human_tasks,
        opt_outs=sum(c.opt_outs.unique for c in cards),
        gaps=gaps,
        skipped=skipped,
    )


def _charts(cards: Sequence[TenantCard], findings: Sequence[FindingRow]) -> tuple[charts.Chart, ...]:
    severity = Counter(f.severity for f in findings)
    how = Counter(f.how for f in findings)
    ready = Counter(c.readiness for c in cards)
    return (
        charts.bar_chart(
            "severity",
            "Findings by severity",
            [(s, severity.get(s, 0), f"bar-{s}") for s in SEVERITIES],
            unit="findings",
        ),
        charts.bar_chart(
            "how",
            "Findings by how they are resolved",
            [(h, how.get(h, 0), "bar-neutral") for h in HOWS],
            unit="findings",
        ),
        charts.bar_chart(
            "readiness",
            "Tenants by readiness",
            [(READINESS_LABELS[r], ready.get(r, 0), f"bar-{r}") for r in READINESS],
            unit="tenants",
        ),
        charts.bar_chart(
            "optouts",
            "Opted-out numbers per tenant",
            [(c.name, c.opt_outs.unique, "bar-info") for c in cards],
            unit="opted-out numbers",
            keep_order=False,
        ),
    )
