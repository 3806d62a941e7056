"""The human checklist: every finding a person must act on, grouped by how it is done, then by code.

A finding needs a person when its catalog entry names a runbook (the catalog's rule: every code a person
must act on has one). Each code's runbook is embedded once, above the items it covers, so a thousand
tenants with the same gap add a thousand ticks, not a thousand copies of the runbook.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from migrate.mapping.catalog import SEVERITIES
from migrate.report.leadtimes import LeadTime, LeadTimes
from migrate.report.parts import HOW_LABELS, ChecklistGroup, ChecklistItem, FindingRow, HowGroup
from migrate.report.runbooks import load_runbook

HOW_ORDER = ("console", "support-case", "third-party-review", "code-change", "api")
API_LABEL = "With pinpoint-migrate (overrides.toml or a new scan, then plan again)"


def needs_person(finding: FindingRow) -> bool:
    return bool(finding.runbook)


def _scope(finding: FindingRow) -> str:
    parts = [p for p in (finding.account, finding.region) if p]
    return "/".join(parts) or "all accounts"


def build_checklist(
    findings: Sequence[FindingRow], lead_times: LeadTimes | None = None
) -> tuple[HowGroup, ...]:
    by_how: dict[str, dict[str, list[FindingRow]]] = defaultdict(lambda: defaultdict(list))
    for finding in findings:
        if needs_person(finding):
            by_how[finding.how][finding.code].append(finding)
    groups = []
    for how in sorted(by_how, key=lambda h: (HOW_ORDER.index(h) if h in HOW_ORDER else len(HOW_ORDER), h)):
        codes = by_how[how]
        members = []
        for code in sorted(codes, key=lambda c: (_rank(codes[c][0].severity), c)):
            items = codes[code]
            first = items[0]
            members.append(
                ChecklistGroup(
                    code=code,
                    title=first.title,
                    severity=first.severity,
                    docs=first.docs,
                    runbook=load_runbook(code),
                    lead_time=_slowest(lead_times, code, items),
                    items=tuple(
                        ChecklistItem(f.finding_id, _scope(f), f.tenant_name, f.message, f.remedy)
                        for f in items
                    ),
                )
            )
        label = API_LABEL if how == "api" else HOW_LABELS.get(how, how)
        groups.append(HowGroup(how, label, tuple(members), sum(len(m.items) for m in members)))
    return tuple(groups)


def _slowest(lead_times: LeadTimes | None, code: str, items: Sequence[FindingRow]) -> LeadTime | None:
    """The code's lead time (the slowest variant among its findings): what its runbook shows."""
    if lead_times is None:
        return None
    found = [lt for f in items if (lt := lead_times.of(code, dict(f.details))) is not None]
    return max(found, key=lambda lt: (lt.max_days, lt.min_days), default=None)


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
