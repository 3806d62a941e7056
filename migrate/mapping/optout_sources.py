"""Where a tenant's opted-out numbers come from, as data: every file that fills its list, and what was not read.

Sources are kinds of 0600 number files the scan wrote, each with its sha256 (apply refuses a changed one):

- `endpoint export`: the tenant's Pinpoint endpoint export (`--endpoints-export`, `--export-endpoints`);
- `suppression file`: the customer's own file (`--optouts [APP_ID=]FILE`; without APP_ID for every tenant),
  which also carries the sha256 of the customer's file itself (`origin`, `origin_sha256`);
- `SNS`: the account's SNS opted-out numbers in the tenant's region (`ListPhoneNumbersOptedOut`);
- `Default list at scan`: the region's `Default` v2 list as the scan read it. The fill copies the live
  Default list too (STOPs since the scan); this file is what a check of the tenant list holds it to, since
  the tool itself copies the lists of sender-ID tenants onto Default later (`except_lists`).

Lists copied whole by apply (the account's `Default` list, and any list the tenant's identities are on) are
`copy_from` entries of the fill step, not files; they are counted here for the plan's per-tenant view.
An extra entry on an opt-out list harms nobody; a missing one exposes a person, so everything is copied.
"""

from __future__ import annotations

from typing import Any

from migrate.mapping.desired import OptOutSource
from migrate.mapping.index import Index
from migrate.mapping.tenants import Tenant

EXPORT = "endpoint export"
FILE = "suppression file"
SNS = "SNS"
DEFAULT_LIST = "Default list"
DEFAULT_SNAPSHOT = "Default list at scan"
OTHER_LISTS = "other lists"
KIND_ORDER = (EXPORT, FILE, DEFAULT_LIST, SNS, OTHER_LISTS)  # the report's columns
# a fill's file order; the snapshot is not a column of its own (it is what "Default list" counts)
SOURCE_ORDER = (EXPORT, FILE, DEFAULT_SNAPSHOT, SNS)


def export_source(index: Index, tenant: Tenant) -> OptOutSource | None:
    export = index.one("optout_exports", app_id=tenant.app_id)
    if export is None:
        return None
    return OptOutSource(
        app_id=tenant.app_id,
        tenant=tenant.slug,
        file=export.file,
        count=max(0, export.normalised - export.duplicates),
        sha256=export.sha256,
        kind=EXPORT,
        origin=export.source,
    )


def file_sources(index: Index, tenant: Tenant) -> list[OptOutSource]:
    """The customer files that apply to `tenant`: those naming its project and those for every tenant."""
    found = []
    for item in index.inventory.of("optout_files"):
        if item.app_id not in ("", tenant.app_id):
            continue
        found.append(
            OptOutSource(
                app_id=item.app_id,
                tenant=tenant.slug if item.app_id else "",
                file=item.file,
                count=max(0, item.normalised - item.duplicates),
                sha256=item.sha256,
                kind=FILE,
                origin=item.path,
                origin_sha256=item.path_sha256,
            )
        )
    return found


def sns_source(index: Index, account: str, region: str) -> OptOutSource | None:
    return _region_file(index, "sns_opted_out", SNS, f"ListPhoneNumbersOptedOut {account}/{region}", account, region)


def unread(index: Index, tenant: Tenant, has_export: bool) -> list[dict[str, str]]:
    """Sources of `tenant`'s opt-outs that could not be read, with why (from the scan's sections)."""
    missing: list[dict[str, str]] = []
    for section in sorted(index.inventory.sections, key=lambda s: s.name):
        if section.status == "ok":
            continue
        place = (section.account, section.region) in ((tenant.account, tenant.region), ("", ""))
        if section.name in (f"optouts:{tenant.app_id}", f"export:{tenant.app_id}") and not has_export:
            missing.append({"source": EXPORT, "reason": f"{section.status}: {section.reason}"})
        elif section.name == "sns.opted_out" and place:
            missing.append({"source": SNS, "reason": f"{section.status}: {section.reason}"})
        elif section.name.startswith("optouts.file:") and tenant.app_id in section.reason:
            missing.append({"source": FILE, "reason": f"{section.status}: {section.reason}"})
        elif section.name == "v2.opt_out_lists" and place:
            missing.append({"source": DEFAULT_LIST, "reason": f"{section.status}: {section.reason}"})
    if not has_export and not any(m["source"] == EXPORT for m in missing):
        missing.append({"source": EXPORT, "reason": "no endpoint export was given to the scan"})
    return missing


def fed_by(tenant_sources: list[OptOutSource], copy_from: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per source kind: how many files or lists fed the list and how many numbers they hold (before overlap)."""
    totals: dict[str, dict[str, Any]] = {}
    for source in tenant_sources:
        entry = totals.setdefault(source.kind, {"source": source.kind, "items": 0, "count": 0})
        entry["items"] += 1
        entry["count"] += source.count
    for copied in copy_from:
        kind = DEFAULT_LIST if copied.get("OptOutListName") == "Default" else OTHER_LISTS
        entry = totals.setdefault(kind, {"source": kind, "items": 0, "count": 0})
        entry["items"] += 1
        entry["count"] += int(copied.get("count", 0))
    return [totals[k] for k in KIND_ORDER if k in totals]


def default_snapshot_source(index: Index, account: str, region: str) -> OptOutSource | None:
    """The `Default` list as the scan read it, when it held any number."""
    found = _region_file(
        index, "default_list_snapshots", DEFAULT_SNAPSHOT, f"DescribeOptedOutNumbers Default {account}/{region}",
        account, region,
    )  # fmt: skip
    return found if found is not None and found.count else None


def _region_file(index: Index, kind: str, source: str, origin: str, account: str, region: str) -> OptOutSource | None:
    """A region's numbers file the scan wrote (SNS opted-out, the Default snapshot) as a source of every tenant
    list there."""
    item = index.one(kind, account=account, region=region)
    if item is None:
        return None
    return OptOutSource(
        app_id="",
        tenant="",
        file=item.file,
        count=max(0, item.normalised - item.duplicates),
        sha256=item.sha256,
        kind=source,
        origin=origin,
    )
