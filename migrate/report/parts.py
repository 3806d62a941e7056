"""The report model's parts: frozen dataclasses every writer (HTML, JSON, CSV) reads, and nothing else.

Built by `model.build_report` from the inventory and the plan (and the apply journal and verify results
when given). Everything is already sorted, counted and masked here, so writers only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from migrate.inventory.codescan_rules import Replacement
from migrate.report.charts import Chart, Timeline
from migrate.report.leadtimes import LeadTime
from migrate.report.runbooks import Runbook

if TYPE_CHECKING:
    from migrate.report.since import SincePart

READINESS = ("blocked", "needs-action", "ready")
READINESS_LABELS = {"blocked": "Blocked", "needs-action": "Needs action", "ready": "Ready"}
HOW_LABELS = {
    "console": "In the AWS console",
    "support-case": "Through an AWS support case",
    "third-party-review": "Through a third-party review (carriers, registrars)",
    "code-change": "In application code",
    "api": "By the tool (API)",
}
HUMAN_HOWS = ("console", "support-case", "third-party-review", "code-change")
STEP_STATUSES = ("planned", "blocked", "applied", "verified", "failed", "not-run", "unchanged")
ACTIONS = ("create", "update", "no-op", "blocked")
ACTION_SYMBOLS = {"create": "+", "update": "~", "no-op": "=", "blocked": "!"}
RESOURCE_LABELS = {
    "opt_out_list": "opt-out list",
    "configuration_set": "configuration set",
    "event_destination": "event destination",
    "pool": "pool",
    "pool_identity": "pool member",
}


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Gap:
    """A section the scan could not read."""

    account: str
    region: str
    name: str
    status: str
    reason: str


@dataclass(frozen=True)
class Meta:
    title: str
    generated_at: str
    tool_version: str
    scanned_at: str
    report_key: str  # stable per plan: keys the checklist's ticks in the browser's storage
    plan_id: str
    plan_inputs: str  # offline or live, overrides file
    export_dir: str  # where the plan wrote what v2 cannot hold
    inventory_sha256: str
    numbers_shown: bool
    journal: bool
    verify: bool
    verify_summary: str  # "verify at …: 12 check(s), 0 failed"
    accounts: tuple[str, ...]  # "111122223333 (label)"
    regions: tuple[str, ...]
    rewrite: str = ""  # the rewrite results the call sites are linked to ("rewrite.json: 3 call sites")
    waves: str = ""  # the wave file the waves section reads
    checklist_record: str = ""  # "<file name>, exported <time> by <name>" when rendered with --checklist


@dataclass(frozen=True)
class Summary:
    readiness: str
    tenants: int
    tenants_by_readiness: tuple[Count, ...]
    findings: int
    findings_by_severity: tuple[Count, ...]
    findings_by_how: tuple[Count, ...]
    changes_by_action: tuple[Count, ...]
    steps: int
    steps_by_status: tuple[Count, ...]
    human_tasks: int
    opt_outs: int
    gaps: tuple[Gap, ...]
    skipped: tuple[str, ...]  # projects not migrated, with the reason


@dataclass(frozen=True)
class FindingRow:
    finding_id: str
    code: str
    severity: str
    how: str
    scope: str
    account: str
    region: str
    tenant: str  # slug
    tenant_name: str
    resource: str
    title: str
    message: str
    remedy: str
    runbook: str
    docs: str
    blocks: tuple[str, ...]
    details: tuple[tuple[str, str], ...] = ()  # the details lead times look up (country, registration type)


@dataclass(frozen=True)
class ChangeRow:
    """One desired v2 resource and what the plan does to it (Terraform's `+ ~ = !`)."""

    address: str
    resource_type: str
    name: str
    account: str
    region: str
    action: str  # create | update | no-op | blocked
    status: str  # one of STEP_STATUSES: its least progressed step's, or blocked/unchanged
    tenants: tuple[str, ...]  # slugs
    blocked_by: tuple[str, ...]  # finding ids
    diff: tuple[str, ...]  # field-level diff lines
    steps: tuple[str, ...]  # step ids


@dataclass(frozen=True)
class StepRow:
    step_id: str
    kind: str
    operation: str
    action: str  # the action of the change it belongs to
    target: str
    account: str
    region: str
    tenants: tuple[str, ...]  # slugs
    status: str  # one of STEP_STATUSES
    destructive: bool
    depends_on: tuple[str, ...]
    parameters: tuple[str, ...]
    result: str  # what apply recorded (ARN, id) or why it failed
    check: str  # what verify said
    number: int = 0  # its place in the plan (1-based), as the steps table shows it
    depends: tuple[tuple[int, str], ...] = ()  # the steps it waits for: (number, "create pool pinpoint-acme")
    tenant_names: tuple[str, ...] = ()  # the tenants' display names, in the order of `tenants`


@dataclass(frozen=True)
class ChannelInfo:
    channel_type: str
    enabled: bool
    detail: str


@dataclass(frozen=True)
class OptOutInfo:
    exported: int  # opted-out SMS endpoints read from the export
    unique: int  # numbers written to the tenant's file
    rejected: int
    default_list: int  # entries of the account's Default list copied in
    source: str


@dataclass(frozen=True)
class TenantCard:
    anchor: str  # html id
    account: str
    region: str
    app_id: str
    project: str
    name: str
    slug: str
    strategy: str
    readiness: str
    reasons: tuple[str, ...]
    channels: tuple[ChannelInfo, ...]
    event_stream: str
    identities: tuple[str, ...]
    opt_outs: OptOutInfo
    engagement: tuple[Count, ...]  # campaigns, journeys, segments
    targets: tuple[ChangeRow, ...]
    findings: tuple[FindingRow, ...]
    steps: tuple[StepRow, ...]


@dataclass(frozen=True)
class ItemRecord:
    """What the team's checklist record (`report --checklist FILE`) says of one item."""

    done: bool
    by: str  # who ticked it (or wrote the note)
    at: str  # when, ISO 8601 UTC
    note: str


@dataclass(frozen=True)
class ChecklistItem:
    item_id: str  # the finding id: also the storage key of its checkbox
    scope: str
    tenant_name: str
    message: str
    remedy: str
    record: ItemRecord | None = None


@dataclass(frozen=True)
class ChecklistGroup:
    code: str
    title: str
    severity: str
    docs: str
    runbook: Runbook | None
    items: tuple[ChecklistItem, ...]
    lead_time: LeadTime | None = None


@dataclass(frozen=True)
class HowGroup:
    how: str
    label: str
    groups: tuple[ChecklistGroup, ...]
    total: int


@dataclass(frozen=True)
class CallSiteRow:
    where: str  # path:line, or account/region for CloudTrail usage
    language: str
    api: str
    channel: str
    replacement: str
    count: int
    mapping: Replacement | None
    rewrite: str = ""  # what `rewrite` did: rewritten | note | left | "" (no rewrite results given)
    rewrite_detail: str = ""  # its reason or what it changed
    rewrite_code: str = ""  # the generated replacement of a note
    rewrite_patch: str = ""  # the patch file it is in


@dataclass(frozen=True)
class ExportRow:
    kind: str  # campaign | journey | segment | template | app_settings | ...
    name: str
    tenant: str
    account: str
    region: str
    path: str  # where it was exported ("" when the plan has no export for it)
    sha256: str
    alternative: str


@dataclass(frozen=True)
class IdentityRow:
    account: str
    region: str
    kind: str  # phone number | short code | sender ID
    value: str
    country: str
    number_type: str
    message_types: str
    status: str
    registered: str
    pool: str  # where the plan puts it
    tenants: str


@dataclass(frozen=True)
class WorkItem:
    code: str
    title: str
    severity: str
    how: str
    what: str  # the lead time's words: what the work is
    lead: str  # "5-15 business days"
    basis: str  # published | estimate
    source_title: str
    source_url: str
    state: str  # to do | waiting | done
    starts: str  # ISO dates
    earliest: str
    latest: str
    after: tuple[str, ...]  # codes this item waits for (those that concern the tenant)
    recorded: str  # what overrides.toml says ("submitted on 2026-11-20, expected by ...")
    overdue: bool  # its expected (or latest) date has passed and it is not approved
    findings: tuple[str, ...]  # finding ids


@dataclass(frozen=True)
class TenantSchedule:
    anchor: str
    name: str
    account: str
    region: str
    readiness: str
    earliest: str  # the earliest cut-over date (every item at its shortest)
    latest: str  # the cut-over date to plan for (every item at its longest)
    reason: str
    actions: tuple[str, ...]  # the next three
    items: tuple[WorkItem, ...]  # longest first


@dataclass(frozen=True)
class Matrix:
    """Tenants by codes of work: each cell the item's state (or "" when the code does not concern it)."""

    codes: tuple[str, ...]
    rows: tuple[tuple[str, str, tuple[str, ...]], ...]  # (tenant name, anchor, one cell per code)


@dataclass(frozen=True)
class WaveTenant:
    name: str
    slug: str
    anchor: str  # the tenant card
    steps: int  # its own steps and the shared steps it needs
    done: int
    failed: int
    status: str  # done | partial | failed | blocked | not started
    verify: str  # passed | failed | not checked | "" (no verify results)


@dataclass(frozen=True)
class WaveRow:
    name: str
    note: str
    status: str  # done | partial | failed | blocked | not started
    tenants: tuple[WaveTenant, ...]


@dataclass(frozen=True)
class Report:
    meta: Meta
    summary: Summary
    charts: tuple[Chart, ...]
    tenants: tuple[TenantCard, ...]
    checklist: tuple[HowGroup, ...]
    findings: tuple[FindingRow, ...]
    changes: tuple[ChangeRow, ...]
    steps: tuple[StepRow, ...]
    identities: tuple[IdentityRow, ...]
    call_sites: tuple[CallSiteRow, ...]
    exports: tuple[ExportRow, ...]
    schedules: tuple[TenantSchedule, ...] = ()  # per tenant, in the cards' order
    matrix: Matrix = Matrix((), ())
    timeline: Timeline | None = None
    waves: tuple[WaveRow, ...] = ()  # `report --waves FILE`: status per wave and per tenant
    since: SincePart | None = None  # the first section, "Since 2026-10-30" (migrate.report.since)
