"""`plan show`: a Terraform-like text summary of a plan (what changes, the counts, the findings)."""

from __future__ import annotations

from typing import Any

from migrate.mapping.catalog import SEVERITIES
from migrate.plan.planfile import Plan
from migrate.resources import runbook_pointer
from migrate.textsafe import terminal_text

SYMBOLS = {"create": "+", "update": "~", "no-op": "=", "blocked": "!"}
WORDS = {"create": "create", "update": "update", "no-op": "unchanged", "blocked": "blocked"}
TYPES = {
    "opt_out_list": "opt-out list",
    "configuration_set": "configuration set",
    "event_destination": "event destination",
    "pool": "pool",
    "pool_identity": "pool member",
}


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _subject(change: dict[str, Any]) -> str:
    if change.get("parent"):
        return f"{change['name']} in {change['parent']}"
    return str(change["name"])


def _short(resource: str, account: str, region: str) -> str:
    """A finding's resource without what the line already says (`event_destination:<acct>/<region>/x/y`)."""
    kind, sep, rest = resource.partition(":")
    if sep and rest.startswith(f"{account}/{region}/"):
        return f"{kind.replace('_', ' ')} {rest[len(account) + len(region) + 2 :]}"
    return resource


def render_plan(plan: Plan, *, unchanged: bool = True) -> str:
    data = plan.data
    inputs = data["inputs"]
    lines = [
        f"Plan {data['plan_id']}  ({len(data['accounts'])} account(s), regions: {', '.join(data['regions']) or '-'})",
        f"  inventory sha256 {str(inputs.get('inventory_sha256', ''))[:16]}…  "
        f"live state sha256 {str(inputs.get('live_sha256', ''))[:16]}… ({'offline' if inputs.get('offline') else 'live scan'})",
        "",
    ]
    findings_by_id = {f["id"]: f for f in data["findings"]}
    place = None
    for change in data["changes"]:
        if change["action"] == "no-op" and not unchanged:
            continue
        here = (change["account"], change["region"])
        if here != place:
            place = here
            lines.append(f"{here[0]} {here[1]}")
        kind = TYPES.get(change["resource_type"], change["resource_type"])
        lines.append(
            f"  {SYMBOLS[change['action']]} {WORDS[change['action']]:<9} {kind:<18} {_subject(change)}"
        )
        for item in change["diff"]:
            before, after = item["before"], item["after"]
            arrow = f"{_value(before)} -> {_value(after)}" if before is not None else _value(after)
            lines.append(f"        {item['field']}: {arrow}")
        for finding_id in change["blocked_by"]:
            code = findings_by_id.get(finding_id, {}).get("code", finding_id)
            lines.append(f"        blocked by {code}")
    lines += optout_source_lines(data.get("tenants", []))
    summary = data["summary"]
    lines += [
        "",
        f"Plan: {summary['create']} to create, {summary['update']} to update, {summary['no-op']} unchanged, "
        f"{summary['blocked']} blocked; {summary['steps']} step(s).",
        "Findings: " + ", ".join(f"{summary['findings'][s]} {s}" for s in SEVERITIES),
    ]
    for severity in SEVERITIES:
        items = [f for f in data["findings"] if f["severity"] == severity]
        if not items:
            continue
        lines += ["", f"{severity.upper()}S ({len(items)})"]
        for item in items:
            where = "/".join(p for p in (item["account"], item["region"], item["tenant"]) if p)
            what = _short(item["resource"], item["account"], item["region"])
            lines.append("  " + "  ".join(p for p in (item["code"], f"[{item['how']}]", where, what) if p))
            lines.append(f"      {item['message']}")
            if item["runbook"]:
                lines.append(f"      runbook: {runbook_pointer(item['runbook'])}")
    if data["exports"]:
        where = data.get("export_dir") or "(not written: use --export-dir)"
        lines += ["", f"Exports: {len(data['exports'])} file(s) of what v2 cannot hold, in {where}"]
    # names come from AWS (anyone who can name a project): escape sequences print, never act
    return terminal_text("\n".join(lines) + "\n")


def optout_source_lines(tenants: list[dict[str, Any]]) -> list[str]:
    """Per tenant: what fills its opt-out list (numbers per source, before overlap) and what was not read."""
    lines: list[str] = []
    for tenant in tenants:
        fed = tenant.get("optout_sources") or []
        unread = tenant.get("optout_unread") or []
        if not fed and not unread:
            continue
        if not lines:
            lines += ["", "Opt-out sources (numbers per source, before overlap)"]
        parts = [f"{s['source']} {s['count']}" for s in fed] or ["nothing"]
        lines.append(f"  {tenant['slug']} -> list {tenant['opt_out_list']}: {', '.join(parts)}")
        for item in unread:
            lines.append(f"      not read: {item['source']}: {item['reason']}")
    return lines
