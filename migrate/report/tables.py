"""The report's flat tables read from the inventory and plan: identities, call sites, exports."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from migrate.inventory.codescan_rules import (
    SEND_MESSAGES,
    SEND_USERS_MESSAGES,
    V1_SEND_VOICE,
    Replacement,
    replacement,
)
from migrate.inventory.snapshot import Inventory
from migrate.report.parts import CallSiteRow, ChangeRow, ExportRow, IdentityRow, TenantCard

ALTERNATIVES = {
    "campaign": "Amazon Connect outbound campaigns, or the application's scheduler sending with SendTextMessage",
    "journey": "Amazon Connect flows or AWS Step Functions workflows that send with SendTextMessage",
    "segment": "Amazon Connect Customer Profiles segments, or the application's own audience queries",
    "template:SMS": "the exported Jinja2 file, rendered by the application before SendTextMessage",
    "template:VOICE": "the exported Jinja2 file, rendered by the application before SendVoiceMessage",
    "template:EMAIL": "Amazon SES email templates (CreateEmailTemplate)",
    "template:PUSH": "AWS End User Messaging Push payloads built by the application",
    "template:INAPP": "no AWS equivalent: rebuild in-app messages in the application",
    "template": "rendered by the application before sending",
    "app_settings": "quiet time and limits enforced by the sending application (or Amazon Connect)",
    "recommender": "Amazon Personalize, called by the application",
}
# CloudTrail event names of the old send APIs (v1's SendVoiceMessage is logged under its own event source).
CLOUDTRAIL_APIS = {
    "SendMessages": SEND_MESSAGES,
    "SendUsersMessages": SEND_USERS_MESSAGES,
    "SendVoiceMessage": V1_SEND_VOICE,
}


def identity_rows(
    inventory: Inventory, changes: Sequence[ChangeRow], cards: Sequence[TenantCard]
) -> tuple[IdentityRow, ...]:
    """Every origination identity the accounts own, with the pool the plan puts it in (and its tenants)."""
    names = {(c.account, c.region, c.slug): c.name for c in cards}
    pools: dict[tuple[str, str, str], tuple[str, str]] = {}
    for change in changes:
        parts = change.address.partition(":")[2].split("/")
        if change.resource_type == "pool_identity" and len(parts) >= 4:
            pool = parts[2] + (" (blocked)" if change.action == "blocked" else "")
            tenants = ", ".join(
                sorted(names.get((change.account, change.region, t), t) for t in change.tenants)
            )
            pools[(change.account, change.region, "/".join(parts[3:]))] = (pool, tenants)
    rows = []
    for number in inventory.of("phone_numbers"):
        pool, tenants = pools.get(
            (number.account, number.region, number.phone_number_id), (number.pool_id, "")
        )
        kind = "short code" if number.number_type == "SHORT_CODE" else "phone number"
        rows.append(
            IdentityRow(
                number.account, number.region, kind, number.phone_number, number.iso_country_code,
                number.number_type, number.message_type, number.status, number.registration_id, pool, tenants,
            )
        )  # fmt: skip
    for sender in inventory.of("sender_ids"):
        pool, tenants = pools.get((sender.account, sender.region, sender.sender_id), ("", ""))
        rows.append(
            IdentityRow(
                sender.account, sender.region, "sender ID", sender.sender_id, sender.iso_country_code, "SENDER_ID",
                ", ".join(sender.message_types), "registered" if sender.registered else "not registered",
                sender.registration_id, pool, tenants,
            )
        )  # fmt: skip
    return tuple(sorted(rows, key=lambda r: (r.account, r.region, r.kind, r.value, r.country)))


def call_site_rows(inventory: Inventory) -> tuple[CallSiteRow, ...]:
    """Source-code call sites (the code scan) and CloudTrail usage of the old send APIs, with the code
    scan's own v2 parameter mapping for each."""
    rows = []
    for site in inventory.of("call_sites"):
        rows.append(
            CallSiteRow(
                f"{site.path}:{site.line}", site.language, site.api, site.channel, site.replacement, 1,
                _mapping(site.api, site.channel),
            )
        )  # fmt: skip
    for usage in inventory.of("api_usage"):
        api = CLOUDTRAIL_APIS.get(usage.event_name)
        if api is None:
            continue
        where = f"CloudTrail {usage.account}/{usage.region}: {usage.principal} ({usage.user_agent})"
        rows.append(CallSiteRow(where, "", api, "", "", usage.count, _mapping(api, "")))
    return tuple(sorted(rows, key=lambda r: (r.where, r.api)))


def _mapping(api: str, channel: str) -> Replacement | None:
    return replacement(api, channel) if api in (SEND_MESSAGES, SEND_USERS_MESSAGES, V1_SEND_VOICE) else None


def export_rows(
    inventory: Inventory, exports: Sequence[Mapping[str, Any]], names: Mapping[str, str]
) -> tuple[ExportRow, ...]:
    """Every campaign, journey, segment, template and set of project settings, with the file(s) it went to.

    `names` maps application ids to tenant names. Files are matched to records by what the planner's
    exporter writes in `source` (`campaign <name> (<id>)`, `SMS template <name> (version <n>)`, `settings
    of <project>`) and the account and region that start every export path; a record without a file is
    listed as not exported, and a file without a record is listed on its own.
    """
    files: dict[tuple[str, str, str, str], list[Mapping[str, Any]]] = {}
    for item in exports:
        files.setdefault(_export_key(item), []).append(item)
    rows: list[ExportRow] = []
    used: set[tuple[str, str, str, str]] = set()

    def add(kind: str, name: str, item: Any, key: str, alternative: str) -> None:
        wanted = ("template" if kind.startswith("template") else kind, item.account, item.region, key)
        matched = sorted(
            files.get(wanted, []), key=lambda f: (f.get("kind") != "template", str(f.get("path")))
        )
        used.add(wanted)
        tenant = names.get(getattr(item, "app_id", ""), "")
        path = ", ".join(str(f.get("path", "")) for f in matched)
        sha = str(matched[0].get("sha256", "")) if matched else ""
        rows.append(
            ExportRow(kind.split(":")[0], name, tenant, item.account, item.region, path, sha, alternative)
        )

    for c in inventory.of("campaigns"):
        add("campaign", c.name, c, c.campaign_id, ALTERNATIVES["campaign"])
    for j in inventory.of("journeys"):
        add("journey", j.name, j, j.journey_id, ALTERNATIVES["journey"])
    for s in inventory.of("segments"):
        add("segment", s.name, s, s.segment_id, ALTERNATIVES["segment"])
    for t in inventory.of("templates"):
        alternative = ALTERNATIVES.get(f"template:{t.template_type}", ALTERNATIVES["template"])
        add("template", f"{t.name} ({t.template_type})", t, f"{t.template_type} {t.name}", alternative)
    projects = {a.app_id: a.name for a in inventory.of("pinpoint_apps")}
    for a in inventory.of("app_settings"):
        if a.quiet_time or a.limits or a.campaign_hook or a.journey_limits:
            add(
                "app_settings",
                "project settings",
                a,
                projects.get(a.app_id, a.app_id),
                ALTERNATIVES["app_settings"],
            )
    for r in inventory.of("recommenders"):
        add("recommender", r.name, r, r.recommender_id, ALTERNATIVES["recommender"])
    for key, items in sorted(files.items()):
        if key in used:
            continue
        for extra in items:
            kind = str(extra.get("kind", "file"))
            rows.append(
                ExportRow(kind, str(extra.get("source", "")), "", key[1], key[2], str(extra.get("path", "")),
                          str(extra.get("sha256", "")), ALTERNATIVES.get(kind, ""))
            )  # fmt: skip
    return tuple(sorted(rows, key=lambda r: (r.kind, r.account, r.region, r.tenant, r.name, r.path)))


_ID_AT_END = re.compile(r"\(([^()]*)\)\s*$")
_TEMPLATE = re.compile(r"^(\w+) template (.*) \(version [^()]*\)\s*$")


def _export_key(item: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """(kind, account, region, key) of one exported file, the key being what `export_rows` looks up."""
    kind = str(item.get("kind", ""))
    source = str(item.get("source", ""))
    parts = str(item.get("path", "")).split("/")
    account, region = (parts[0], parts[1]) if len(parts) > 2 else ("", "")
    if kind in ("template", "template_source"):
        match = _TEMPLATE.match(source)
        return ("template", account, region, f"{match.group(1)} {match.group(2)}" if match else source)
    if kind == "app_settings":
        return (kind, account, region, source.removeprefix("settings of "))
    match = _ID_AT_END.search(source)
    return (kind, account, region, match.group(1) if match else source)
