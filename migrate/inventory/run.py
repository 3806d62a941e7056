"""`scan` as a library call: open the accounts, pick the regions, run every section, write the inventory.

The options and outcome live in `scan_options`, the live v2 read in `live_scan`, the closing lines in
`summary`; they are imported here too, where callers have always found them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from migrate import __version__
from migrate.aws.regions import check_region_names, select_regions
from migrate.aws.retirement import END_OF_SUPPORT_DATE, in_effect
from migrate.aws.sessions import AccountSession, ClientFactory, SessionError, open_sessions
from migrate.clock import iso, now_utc
from migrate.emulator import Emulator
from migrate.emulator.credentials import session_clock
from migrate.inventory.cloudtrail import send_api_usage
from migrate.inventory.event_inference import cloudtrail_streams, infer, role_candidates
from migrate.inventory.extras import (
    ExtrasError,
    code_call_sites,
    parse_export_source,
    read_exports,
    start_exports,
)
from migrate.inventory.live_scan import scan_live_v2
from migrate.inventory.optout_sources import (
    check_optouts_sources,
    read_default_list,
    read_optouts_files,
    read_sns_opted_out,
)
from migrate.inventory.records import PinpointApp
from migrate.inventory.resume import JOURNAL, Done, Journal, fingerprint, read_journal
from migrate.inventory.scan_options import (
    ScanOptions,
    ScanOutcome,
    judging_moment,
    quota_table,
    rate_limited_clients,
    scan_workers,
)
from migrate.inventory.scanner import Scanner
from migrate.inventory.sections import RegionScan
from migrate.inventory.snapshot import AccountInfo, Inventory, Section, write_csv_tables
from migrate.inventory.summary import retirement_lines, summary_lines
from migrate.progress import Progress

__all__ = [
    "ScanOptions",
    "ScanOutcome",
    "check_options",
    "judging_moment",
    "quota_table",
    "rate_limited_clients",
    "retirement_lines",
    "run_scan",
    "scan_live_v2",
    "summary_lines",
]


def run_scan(options: ScanOptions, *, emulator: Emulator | None = None) -> ScanOutcome:
    check_options(options)
    scanned_at = iso(now_utc(options.now))
    moment = judging_moment(options, emulator)
    session_set = open_sessions(options.sessions, clock=session_clock(emulator))
    narrowed = options.sessions.shard is not None or bool(options.sessions.accounts)
    # A shard answers for its own accounts: one it reached none of fails only on failures of its own (a
    # profile whose account is unknown fails in every shard alike, and the other shards may reach accounts)
    own_failures = [
        f for f in session_set.failures if f.account_id is not None or options.sessions.shard is None
    ]
    if not session_set.accounts and not (options.sessions.shard is not None and not own_failures):
        if narrowed and not session_set.failures:
            raise SessionError("no account the credentials reach is among those --account names")
        reasons = "; ".join(f"{f.label}: {f.reason}" for f in session_set.failures) or "no account was given"
        raise SessionError(f"no AWS account could be reached ({reasons}); nothing was scanned")
    clients = rate_limited_clients(options, emulator)
    notes = list(session_set.notes)
    inventory = Inventory(tool_version=__version__, scanned_at=scanned_at)
    inventory.end_of_support = {
        "date": END_OF_SUPPORT_DATE,
        "judged_at": iso(moment),
        "in_effect": in_effect(moment),
    }
    for failure in session_set.failures:
        inventory.sections.append(
            Section(
                failure.account_id or "?",
                "global",
                f"session:{failure.label}",
                failure.status,
                failure.reason,
            )
        )
    targets: list[tuple[Any, str]] = []
    for account in session_set.accounts:
        inventory.accounts.append(AccountInfo(account.account_id, account.label))
        requested = check_region_names(options.regions)
        account_client = None if requested else clients.client(account, "account", "us-east-1")
        selection = select_regions(requested or None, account_client=account_client)
        if selection.note:
            notes.append(f"{account.account_id}: {selection.note}")
        inventory.regions.extend(selection.regions)
        targets.extend((account, region) for region in selection.regions)
    print_ = fingerprint(_recorded_options(options), [(a.account_id, r) for a, r in targets])
    journal_path = options.out_dir / JOURNAL
    done = read_journal(journal_path, print_) if options.resume else Done()
    if done.scanned_at:
        inventory.scanned_at = done.scanned_at  # the resumed scan is the one that started then
        notes.append(f"resumed: {len(done.targets)} account/region part(s) were already scanned")
    journal = Journal(journal_path, print_, inventory.scanned_at, fresh=not done.scanned_at)
    try:
        progress = Progress("scan", enabled=options.progress)
        result = Scanner(
            clients, max_workers=scan_workers(options.max_workers, len(targets)), progress=progress,
            app_ids=frozenset(options.app_ids),
            on_target=journal.add, moment=moment,
        ).run([(a, r) for a, r in targets if (a.account_id, r) not in done.targets])  # fmt: skip
        progress.close()
        inventory.add(*done.records, *result.records)
        inventory.sections.extend(done.sections)
        inventory.sections.extend(result.sections)
        _extras(options, inventory, clients, {a.account_id: a for a in session_set.accounts}, moment)
        inventory.options = _recorded_options(options)
        path = inventory.write(options.out_dir / "inventory.json")
    except BaseException:
        journal.close(remove=False)  # kept for `scan --resume`
        raise
    journal.close(remove=True)
    csv_files = tuple(write_csv_tables(inventory, options.out_dir / "csv")) if options.csv else ()
    return ScanOutcome(inventory, path, csv_files, tuple(notes), tuple(result.failed_calls))


def check_options(options: ScanOptions) -> None:
    """Refuse option combinations that cannot work, before anything is read."""
    check_region_names(options.regions)
    for source in options.endpoints_exports:
        parse_export_source(source)
    if options.export_endpoints and not (options.export_role and options.export_bucket):
        raise ExtrasError(
            "--export-endpoints needs --export-role ARN and --export-bucket s3://bucket/prefix/"
        )
    if options.export_bucket:
        parse_export_source(options.export_bucket)
    if options.cloudtrail_days < 0:
        raise ExtrasError("--cloudtrail-days must be 0 or more")
    check_optouts_sources(options.optouts)
    for path in options.code:
        if not Path(path).exists():
            raise ExtrasError(f"--code {path}: no such file or folder")


def _extras(
    options: ScanOptions,
    inventory: Inventory,
    clients: ClientFactory,
    sessions: dict[str, AccountSession],
    moment: dt.datetime,
) -> None:
    # in a stable order: the sections' threads finish in any order, export jobs must not be started so
    apps = sorted(
        (a for a in inventory.of("pinpoint_apps") if isinstance(a, PinpointApp)),
        key=lambda a: (a.account, a.region, a.app_id),
    )
    sources = [parse_export_source(s) for s in options.endpoints_exports]
    if options.export_endpoints:
        progress = Progress("endpoint exports", enabled=options.progress)
        started, sections = start_exports(
            apps, role_arn=options.export_role, bucket_url=options.export_bucket, sessions=sessions,
            clients=clients, progress=progress, moment=moment,
        )  # fmt: skip
        progress.close()
        sources.extend(started)
        inventory.sections.extend(sections)
    if sources:
        progress = Progress("opt-outs", enabled=options.progress)
        found = read_exports(apps, sources, sessions, clients, options.out_dir, progress)
        progress.close()
        inventory.add(*found.records)
        inventory.sections.extend(found.sections)
    # What belongs to no account (source code, suppression files for every project) is read by shard 1 of a
    # sharded scan alone: every shard reading it would put it N times into the merged inventory.
    first_shard = options.sessions.shard is None or options.sessions.shard[0] == 1
    if options.optouts:
        records, sections = read_optouts_files(apps, options.optouts, options.out_dir, options.sessions.shard)
        inventory.add(*records)
        inventory.sections.extend(sections)
    places = sorted({(a.account, a.region) for a in inventory.sections if a.region not in ("", "global")})
    for account_id, region in places:
        if account_id in sessions:
            sns, section = read_sns_opted_out(
                RegionScan(sessions[account_id], region, clients), options.out_dir
            )
            inventory.add(*sns)
            inventory.sections.append(section)
            snapshot, section = read_default_list(
                RegionScan(sessions[account_id], region, clients), options.out_dir
            )
            inventory.add(*snapshot)
            inventory.sections.append(section)
    if options.cloudtrail_days > 0:
        moment = now_utc(options.now)
        for account_id, region in places:
            if account_id not in sessions:
                continue
            usage, section = send_api_usage(
                RegionScan(sessions[account_id], region, clients), options.cloudtrail_days, moment
            )
            inventory.add(*usage)
            inventory.sections.append(section)
    _infer_event_streams(options, inventory, apps, clients, sessions, places)
    if options.code and first_shard:
        found = code_call_sites(list(options.code))
        inventory.add(*found.records)
        inventory.sections.extend(found.sections)


def _infer_event_streams(
    options: ScanOptions,
    inventory: Inventory,
    apps: list[PinpointApp],
    clients: ClientFactory,
    sessions: dict[str, AccountSession],
    places: list[tuple[str, str]],
) -> None:
    """Projects whose event stream could not be read get their former stream inferred (see event_inference)."""
    read = {s.app_id for s in inventory.of("event_streams")}
    unread = [a for a in apps if a.app_id not in read]
    if not unread:
        return
    roles: list[dict[str, Any]] = []
    trail: list[dict[str, Any]] = []
    for account_id in sorted({a.account for a in unread} & set(sessions)):
        found, section = role_candidates(RegionScan(sessions[account_id], "us-east-1", clients))
        roles += found
        inventory.sections.append(section)
    if options.cloudtrail_days > 0:
        moment = now_utc(options.now)
        for account_id, region in places:
            if account_id in sessions and any((a.account, a.region) == (account_id, region) for a in unread):
                scan = RegionScan(sessions[account_id], region, clients)
                calls, section = cloudtrail_streams(scan, options.cloudtrail_days, moment)
                trail += calls
                inventory.sections.append(section)
    inventory.add(*infer(unread, roles, trail))


def _recorded_options(options: ScanOptions) -> dict[str, Any]:
    """What the scan was asked to read (never credentials), so a reader knows what the inventory covers."""
    return {
        "regions_requested": sorted(options.regions),
        "profiles": sorted(options.sessions.profiles),
        "role_arns": sorted(options.sessions.role_arns),
        "org_role": options.sessions.org_role or "",
        "endpoints_exports": sorted(options.endpoints_exports),
        "export_endpoints": options.export_endpoints,
        "code": sorted(str(p) for p in options.code),
        "cloudtrail_days": options.cloudtrail_days,
        **_narrowing(options),
        "optouts": list(options.optouts),
    }


def _narrowing(options: ScanOptions) -> dict[str, Any]:
    """What narrowed the scan, recorded only when something did (a whole scan's options stay as they were,
    and shards merge back into the bytes of the whole scan: `migrate.inventory.merge`)."""
    found: dict[str, Any] = {}
    if options.sessions.accounts:
        found["accounts_requested"] = sorted(options.sessions.accounts)
    if options.app_ids:
        found["app_ids_requested"] = sorted(options.app_ids)
    if options.sessions.shard is not None:
        found["shard"] = "{}/{}".format(*options.sessions.shard)
    return found
