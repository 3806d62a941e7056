"""CSV tables of the report: tenants, identities, changes, steps, findings — for spreadsheets.

Written by the one CSV writer (migrate/fileio.py): cells a spreadsheet would run as a formula (`=`, `@`,
`+`/`-` not followed by a number, tab, carriage return: a tenant name is user input) are prefixed with `'`,
the usual defence against CSV injection. Phone numbers (`+1206555****`) and negative numbers stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from migrate.fileio import csv_text
from migrate.report.parts import ChangeRow, FindingRow, IdentityRow, Report, StepRow, TenantCard


def _join(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values)


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: Callable[[Report], Sequence[Any]]
    values: Callable[[Any], tuple[Any, ...]]


def _tenant(card: TenantCard) -> tuple[Any, ...]:
    severities = [f.severity for f in card.findings]
    return (
        card.account, card.region, card.app_id, card.project, card.name, card.slug, card.strategy,
        card.readiness, _join(card.reasons), _join(c.channel_type for c in card.channels if c.enabled),
        card.event_stream, _join(card.identities), card.opt_outs.exported, card.opt_outs.unique,
        card.opt_outs.rejected, card.opt_outs.default_list, severities.count("blocker"),
        severities.count("warning"), _join(sorted({f.code for f in card.findings})), len(card.steps),
        _join(f"{t.resource_type} {t.name} ({t.action}, {t.status})" for t in card.targets),
    )  # fmt: skip


def _identity(row: IdentityRow) -> tuple[Any, ...]:
    return (
        row.account, row.region, row.kind, row.value, row.country, row.number_type, row.message_types,
        row.status, row.registered, row.pool, row.tenants,
    )  # fmt: skip


def _change(change: ChangeRow) -> tuple[Any, ...]:
    return (
        change.address, change.resource_type, change.account, change.region, change.name, change.action,
        change.status, _join(change.tenants), _join(change.blocked_by), _join(change.diff), _join(change.steps),
    )  # fmt: skip


def _step(step: StepRow) -> tuple[Any, ...]:
    return (
        step.step_id, step.kind, step.operation, step.action, step.target, _join(step.tenants), step.status,
        step.destructive, _join(step.depends_on), _join(step.parameters), step.result, step.check,
    )  # fmt: skip


def _finding(f: FindingRow) -> tuple[Any, ...]:
    return (
        f.finding_id, f.code, f.severity, f.how, f.scope, f.account, f.region, f.tenant, f.tenant_name,
        f.resource, f.title, f.message, f.remedy, f.runbook, f.docs, _join(f.blocks),
    )  # fmt: skip


def _schedule_rows(report: Report) -> list[tuple[Any, Any]]:
    """One row per tenant and item of work (a tenant with none has one row without a code)."""
    return [(s, i) for s in report.schedules for i in (s.items or (None,))]


def _schedule(row: tuple[Any, Any]) -> tuple[Any, ...]:
    s, i = row
    item = (
        (i.code, i.severity, i.how, i.state, i.lead, i.basis, i.starts, i.earliest, i.latest, _join(i.after),
         i.recorded, i.overdue, i.source_url)
        if i is not None else ("",) * 11 + (False, "")
    )  # fmt: skip
    return (s.account, s.region, s.name, s.readiness, s.earliest, s.latest, s.reason, _join(s.actions), *item)


TABLES = {
    "tenants": Table(
        ("account", "region", "app_id", "project", "name", "slug", "strategy", "readiness", "reasons",
         "channels", "event_stream", "identities", "opt_outs_exported", "opt_outs_unique", "opt_outs_rejected",
         "default_list_entries", "blockers", "warnings", "finding_codes", "steps", "targets"),
        lambda r: r.tenants, _tenant,
    ),
    "schedule": Table(
        ("account", "region", "tenant", "readiness", "earliest_cutover", "latest_cutover", "reason",
         "next_actions", "code", "severity", "how", "state", "lead_time", "lead_time_basis", "starts",
         "earliest", "latest", "after", "recorded", "overdue", "source_url"),
        _schedule_rows, _schedule,
    ),
    "identities": Table(
        ("account", "region", "kind", "identity", "country", "number_type", "message_types", "status",
         "registration", "pool", "tenants"),
        lambda r: r.identities, _identity,
    ),
    "changes": Table(
        ("address", "resource_type", "account", "region", "name", "action", "status", "tenants", "blocked_by",
         "diff", "steps"),
        lambda r: r.changes, _change,
    ),
    "steps": Table(
        ("step_id", "kind", "operation", "action", "target", "tenants", "status", "destructive", "depends_on",
         "parameters", "result", "check"),
        lambda r: r.steps, _step,
    ),
    "findings": Table(
        ("id", "code", "severity", "how", "scope", "account", "region", "tenant", "tenant_name", "resource",
         "title", "message", "remedy", "runbook", "docs", "blocks"),
        lambda r: r.findings, _finding,
    ),
}  # fmt: skip


def csv_tables(report: Report) -> dict[str, str]:
    """File name → CSV text for every table (a table with no rows keeps its header)."""
    out = {}
    for name, table in TABLES.items():
        rows = (table.values(item) for item in table.rows(report))
        out[f"{name}.csv"] = csv_text(table.columns, rows)  # CRLF: a "\r" in a name stays in its cell
    return out
