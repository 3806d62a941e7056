"""When each tenant can move: its earliest cut-over over the critical path of the work people must do.

A pure function of the tenant cards, the lead times, the progress recorded in overrides.toml and the
report's date (`--now` pins it). Each finding that needs a person (it has a runbook) and is a blocker or a
warning is one item of work; findings of one code make one item, as long as its slowest variant. An item
starts on the report's date, after the items it must follow (`after` in lead-times.toml), or on the day it
was submitted; it ends `min` (earliest) to `max` (latest) days later, on its expected date when one is
recorded, and is done when it was approved. A tenant's cut-over is when its last item ends; the reason
names that item and what it follows. Weekends are skipped for business days; public holidays are not known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from migrate.mapping.progress import Progress, progress_for
from migrate.report.leadtimes import LeadTime, LeadTimes, add_days
from migrate.report.parts import FindingRow, Matrix, TenantCard, TenantSchedule, WorkItem

WORK_SEVERITIES = ("blocker", "warning")
NEXT_ACTIONS = 3
STATES = ("to do", "waiting", "done")


def build_schedules(
    cards: Sequence[TenantCard], lead_times: LeadTimes, progress: Sequence[Progress], today: dt.date
) -> tuple[TenantSchedule, ...]:
    return tuple(_schedule(card, lead_times, tuple(progress), today) for card in cards)


def build_matrix(schedules: Sequence[TenantSchedule]) -> Matrix:
    severity: dict[str, str] = {}
    for s in schedules:
        for item in s.items:
            if severity.get(item.code) != "blocker":
                severity[item.code] = item.severity
    codes = tuple(sorted(severity, key=lambda c: (WORK_SEVERITIES.index(severity[c]), c)))
    rows = []
    for s in schedules:
        states = {i.code: i.state for i in s.items}
        rows.append((s.name, s.anchor, tuple(states.get(c, "") for c in codes)))
    return Matrix(codes, tuple(rows))


def _schedule(
    card: TenantCard, lead_times: LeadTimes, progress: tuple[Progress, ...], today: dt.date
) -> TenantSchedule:
    groups: dict[str, list[FindingRow]] = {}
    for finding in card.findings:
        if finding.runbook and finding.severity in WORK_SEVERITIES:
            groups.setdefault(finding.code, []).append(finding)
    keys = (card.name, card.project, card.app_id, card.slug)
    leads = {code: _slowest(lead_times, code, rows) for code, rows in groups.items()}
    ends: dict[str, tuple[dt.date, dt.date]] = {}
    items: dict[str, WorkItem] = {}

    def plan(code: str, trail: tuple[str, ...] = ()) -> tuple[dt.date, dt.date]:
        if code in ends:
            return ends[code]
        lead = leads[code]
        after = tuple(a for a in (lead.after if lead else ()) if a in groups and a not in trail)
        recorded = progress_for(progress, code, keys)
        start_early = start_late = today
        for before in after:
            early, late = plan(before, (*trail, code))
            start_early, start_late = max(start_early, early), max(start_late, late)
        state, note, overdue = "to do", "", False
        if recorded and recorded.approved_on:
            state, note = "done", f"approved on {recorded.approved_on}"
            early = late = min(dt.date.fromisoformat(recorded.approved_on), today)
            start_early = start_late = early
        else:
            if recorded and recorded.submitted_on:
                state, note = "waiting", f"submitted on {recorded.submitted_on}"
                start_early = start_late = dt.date.fromisoformat(recorded.submitted_on)
            if recorded and recorded.expected_by:
                note = ", ".join(n for n in (note, f"expected by {recorded.expected_by}") if n)
                early = late = dt.date.fromisoformat(recorded.expected_by)
            elif lead is not None:
                early = add_days(start_early, lead.min_days, lead.unit)
                late = add_days(start_late, lead.max_days, lead.unit)
            else:
                early, late = start_early, start_late
            if late < today:  # past its date and still not approved: it can end today at the soonest
                overdue, early, late = True, today, today
            early = max(early, today)
        if recorded and recorded.note:
            note = ", ".join(n for n in (note, recorded.note) if n)
        first = groups[code][0]
        items[code] = WorkItem(
            code=code,
            title=first.title,
            severity="blocker" if any(f.severity == "blocker" for f in groups[code]) else first.severity,
            how=first.how,
            what=lead.what if lead else first.title,
            lead=lead.text if lead else "no lead time known",
            basis=lead.basis if lead else "",
            source_title=lead.source_title if lead else "",
            source_url=lead.source_url if lead else "",
            state=state,
            starts=start_late.isoformat(),
            earliest=early.isoformat(),
            latest=late.isoformat(),
            after=after,
            recorded=note,
            overdue=overdue,
            findings=tuple(f.finding_id for f in groups[code]),
        )
        ends[code] = (early, late)
        return ends[code]

    for code in sorted(groups):
        plan(code)
    ordered = tuple(
        sorted(items.values(), key=lambda i: (i.state == "done", _neg(i.latest), _neg(i.earliest), i.code))
    )
    open_items = [i for i in ordered if i.state != "done"]
    earliest = max([dt.date.fromisoformat(i.earliest) for i in open_items] + [today])
    latest = max([dt.date.fromisoformat(i.latest) for i in open_items] + [today])
    return TenantSchedule(
        anchor=card.anchor,
        name=card.name,
        account=card.account,
        region=card.region,
        readiness=card.readiness,
        earliest=earliest.isoformat(),
        latest=latest.isoformat(),
        reason=_reason(open_items, items, today),
        actions=_actions(open_items, items),
        items=ordered,
    )


def _slowest(lead_times: LeadTimes, code: str, rows: Sequence[FindingRow]) -> LeadTime | None:
    found = [lt for f in rows if (lt := lead_times.of(code, dict(f.details))) is not None]
    return max(
        found, key=lambda lt: (lt.max_days * (7 if lt.unit == "business" else 5), lt.min_days), default=None
    )


def _neg(iso: str) -> int:
    return -dt.date.fromisoformat(iso).toordinal()


def _reason(open_items: Sequence[WorkItem], items: Mapping[str, WorkItem], today: dt.date) -> str:
    if not open_items:
        return "nothing people must do stands in the way: it can move on the report's date"
    last = open_items[0]
    chain = [last]
    while chain[-1].after:
        chain.append(max((items[a] for a in chain[-1].after), key=lambda i: (i.latest, i.code)))
    path = " after ".join(f"{i.code} ({i.lead})" for i in chain)
    start = f"from {today.isoformat()}" if last.state == "to do" else last.recorded
    return (
        f"critical path: {path}, {start}; ends {last.earliest} at the earliest, {last.latest} at the latest"
    )


def _actions(open_items: Sequence[WorkItem], items: Mapping[str, WorkItem]) -> tuple[str, ...]:
    ready = [i for i in open_items if i.state == "to do" and all(items[a].state == "done" for a in i.after)]
    waiting = [i for i in open_items if i.state == "waiting"]
    later = [i for i in open_items if i not in ready and i not in waiting]
    actions = [f"Start: {i.what} ({i.code}, {i.lead}, {i.how})" for i in ready]
    actions += [
        f"Follow up: {i.what} ({i.code}, {i.recorded}{', overdue' if i.overdue else ''})" for i in waiting
    ]
    actions += [f"Then, after {', '.join(i.after)}: {i.what} ({i.code}, {i.lead})" for i in later]
    actions.append(
        "Cut over: apply the plan for this tenant, then verify it (pinpoint-migrate apply, verify)"
    )
    return tuple(actions[:NEXT_ACTIONS])
