"""The report's first section, "Since 2026-10-30": what stopped for this account, what still runs, the
first three things to do, who stays opted out (per tenant, per source) and what of Pinpoint can be saved.

Pinpoint's end of support (2026-10-30) retired campaigns, journeys, segments, endpoints, analytics, export
jobs, event streams and the application Settings API (terraform-provider-aws, `aws_pinpoint_event_stream`
and `aws_pinpoint_app` notes); SMS/voice sending, channels, OTP, phone number validation and all of SMS and
Voice v1 and v2 live on. Days are counted at the report's date. A pure function of the inventory, the
plan's view and the ordered findings: no clock, no files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from migrate.inventory.snapshot import Inventory
from migrate.mapping.catalog import SEVERITIES
from migrate.mapping.optout_sources import KIND_ORDER
from migrate.report.leadtimes import LeadTimes
from migrate.report.parts import FindingRow

END_OF_SUPPORT = dt.date(2026, 10, 30)
ENGAGEMENT = (("campaigns", "Campaigns"), ("journeys", "Journeys"), ("segments", "Segments"))
SAVABLE = (
    ("campaign", "campaigns", "Campaigns"),
    ("journey", "journeys", "Journeys"),
    ("segment", "segments", "Segments"),
    ("template", "templates", "Message templates"),
)
STILL_RUNS = (
    "SMS and voice sends to phone numbers: Pinpoint SendMessages with addresses, SMS and Voice v1 and v2",
    "One-time passwords (SendOTPMessage, VerifyOTPMessage) and phone number validation",
    "Your origination numbers, sender IDs, registrations and opt-out lists: End User Messaging SMS keeps them",
)


@dataclass(frozen=True)
class StoppedEvents:
    tenant_name: str
    destination: str
    known: str  # read with GetEventStream | inferred from CloudTrail and IAM
    days: int  # at the report's date


@dataclass(frozen=True)
class FirstThing:
    code: str
    severity: str
    title: str
    text: str  # one finding's message, or how many there are
    remedy: str
    count: int
    lead_time: str


@dataclass(frozen=True)
class SourceRow:
    """One tenant's opt-out list: numbers per source (before overlap), and what could not be read."""

    tenant_name: str
    opt_out_list: str
    counts: tuple[tuple[str, int | None], ...]  # in KIND_ORDER; None: the source did not feed this list
    unread: tuple[str, ...]


@dataclass(frozen=True)
class Saved:
    label: str
    found: int  # records the scan read
    exported: int  # files in the plan's exports
    gone: bool  # nothing read and nothing exported, and the API that held them is retired
    text: str


@dataclass(frozen=True)
class SincePart:
    deadline: str
    report_day: str
    after: bool  # the report's date is on or after the deadline
    days: int  # since the deadline at the report's date (negative before it)
    events: tuple[StoppedEvents, ...]
    stopped: tuple[str, ...]
    still_runs: tuple[str, ...]
    first: tuple[FirstThing, ...]
    source_kinds: tuple[str, ...]
    sources: tuple[SourceRow, ...]
    saved: tuple[Saved, ...]


def urgency_key(finding: FindingRow, lead_times: LeadTimes) -> tuple[int, int, int, str, str]:
    """Blockers first; then what gates the cut-over (it blocks a planned resource); then the longest lead time."""
    lead = lead_times.of(finding.code, dict(finding.details))
    longest = lead.max_days if lead is not None else 0
    return (
        SEVERITIES.index(finding.severity),
        0 if finding.blocks else 1,
        -longest,
        finding.code,
        finding.finding_id,
    )


def order_by_urgency(findings: Sequence[FindingRow], lead_times: LeadTimes) -> tuple[FindingRow, ...]:
    return tuple(sorted(findings, key=lambda f: urgency_key(f, lead_times)))


def build_since(
    inventory: Inventory,
    tenants: Sequence[Mapping[str, Any]],
    raw_findings: Sequence[Mapping[str, Any]],
    findings: Sequence[FindingRow],
    exports: Sequence[Mapping[str, Any]],
    lead_times: LeadTimes,
    today: dt.date,
) -> SincePart:
    """`findings` in urgency order (see `order_by_urgency`); `raw_findings` as the plan holds them."""
    days = (today - END_OF_SUPPORT).days
    events = tuple(
        StoppedEvents(
            tenant_name=str(d.get("tenant_name", f.get("tenant", ""))),
            destination=str(d.get("destination", "")),
            known=str(d.get("known", "")),
            days=max(0, days),
        )
        for f in raw_findings
        if f.get("code") == "EVENTS_NOT_DELIVERED" and isinstance(d := f.get("details") or {}, Mapping)
    )
    return SincePart(
        deadline=END_OF_SUPPORT.isoformat(),
        report_day=today.isoformat(),
        after=days >= 0,
        days=days,
        events=tuple(sorted(events, key=lambda e: e.tenant_name.lower())),
        stopped=_stopped(inventory),
        still_runs=STILL_RUNS,
        first=_first_three(findings, lead_times),
        source_kinds=KIND_ORDER,
        sources=tuple(_source_row(t) for t in tenants),
        saved=_saved(inventory, exports),
    )


def _retired(inventory: Inventory, prefix: str) -> bool:
    """Whether the scan could not read a section (its API retired, or refused) in any region."""
    return any(s.name.startswith(prefix) and s.status != "ok" for s in inventory.sections)


def _stopped(inventory: Inventory) -> tuple[str, ...]:
    lines = []
    counts = [(label, len(inventory.of(kind))) for kind, label in ENGAGEMENT]
    known = ", ".join(f"{n} {label.lower()}" for label, n in counts if n)
    lines.append(
        "Campaigns, journeys and segments no longer run: nothing is sent on a schedule or in reply to an "
        "event any more" + (f" ({known} were found)" if known else "") + "."
    )
    settings = [s for s in inventory.of("app_settings") if s.quiet_time or s.limits]
    if settings:
        lines.append(
            f"Quiet time and sending limits set on {len(settings)} project(s) are no longer applied: "
            "messages go out at any hour and in any number."
        )
    else:
        lines.append(
            "Quiet time and sending limits of projects are no longer applied (the Settings API is retired"
            + (
                ": the scan could not read which projects had them)."
                if _retired(inventory, "pinpoint.settings")
                else ")."
            )
        )
    lines.append("Endpoint exports, analytics and KPIs can no longer be read or made.")
    return tuple(lines)


def _first_three(findings: Sequence[FindingRow], lead_times: LeadTimes) -> tuple[FirstThing, ...]:
    by_code: dict[str, list[FindingRow]] = {}
    for finding in findings:
        if finding.severity != "info":
            by_code.setdefault(finding.code, []).append(finding)
    out = []
    for code, items in list(by_code.items())[:3]:
        first = items[0]
        lead = lead_times.of(code, dict(first.details))
        text = first.message if len(items) == 1 else f"{len(items)} findings; the first: {first.message}"
        out.append(
            FirstThing(
                code, first.severity, first.title, text, first.remedy, len(items), lead.text if lead else ""
            )
        )
    return tuple(out)


def _source_row(tenant: Mapping[str, Any]) -> SourceRow:
    fed = {str(s.get("source")): int(s.get("count", 0)) for s in tenant.get("optout_sources") or ()}
    unread = tuple(f"{u.get('source')}: {u.get('reason')}" for u in tenant.get("optout_unread") or ())
    return SourceRow(
        tenant_name=str(tenant.get("name", tenant.get("slug", ""))),
        opt_out_list=str(tenant.get("opt_out_list", "")),
        counts=tuple((kind, fed.get(kind)) for kind in KIND_ORDER),
        unread=unread,
    )


def _saved(inventory: Inventory, exports: Sequence[Mapping[str, Any]]) -> tuple[Saved, ...]:
    out = []
    for kind, records, label in SAVABLE:
        found = len(inventory.of(records))
        exported = sum(1 for e in exports if str(e.get("kind", "")) == kind)
        retired = _retired(inventory, f"pinpoint.{records}")
        gone = not found and not exported and retired
        if exported:
            text = f"{exported} file(s) exported from what the scan read: keep them (see Exports)."
        elif found:
            text = f"{found} found; plan with --export-dir to write them to files."
        elif gone:
            text = (
                "Gone: Pinpoint no longer returns them and no earlier export was found. Only copies you made "
                "yourself before 2026-10-30 hold them."
            )
        else:
            text = "None in this account."
        out.append(Saved(label, found, exported, gone, text))
    return tuple(out)
