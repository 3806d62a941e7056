"""`scan` as a library call: open the accounts, pick the regions, run every section, write the inventory."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate import __version__
from migrate.aws.ratelimit import DEFAULT_RPS, QuotaTable, RateLimiter
from migrate.aws.regions import check_region_names, select_regions
from migrate.aws.retirement import END_OF_SUPPORT_DATE, in_effect
from migrate.aws.sessions import AccountSession, ClientFactory, SessionError, SessionOptions, open_sessions
from migrate.clock import iso, now_utc
from migrate.emulator import Emulator
from migrate.inventory.cloudtrail import send_api_usage
from migrate.inventory.event_inference import cloudtrail_streams, infer, role_candidates
from migrate.inventory.extras import (
    ExtrasError,
    code_call_sites,
    parse_export_source,
    read_exports,
    start_exports,
)
from migrate.inventory.optout_sources import check_optouts_sources, read_optouts_files, read_sns_opted_out
from migrate.inventory.records import PinpointApp
from migrate.inventory.resume import JOURNAL, Done, Journal, fingerprint, read_journal
from migrate.inventory.scanner import FailedCall, Scanner
from migrate.inventory.sections import RegionScan, load_sections
from migrate.inventory.snapshot import AccountInfo, Inventory, Section, write_csv_tables
from migrate.progress import Progress


@dataclass(frozen=True)
class ScanOptions:
    out_dir: Path = Path("migration")
    sessions: SessionOptions = field(default_factory=SessionOptions)
    regions: tuple[str, ...] = ()
    quotas: tuple[str, ...] = ()
    max_workers: int = 32
    now: str | None = None
    csv: bool = False
    progress: bool | None = None  # None: only on a terminal
    endpoints_exports: tuple[str, ...] = ()  # [APP_ID=]s3://bucket/prefix/
    export_endpoints: bool = False
    export_role: str = ""
    export_bucket: str = ""
    code: tuple[Path, ...] = ()
    cloudtrail_days: int = 0
    app_ids: tuple[str, ...] = ()  # --app-id: only these Pinpoint projects
    optouts: tuple[str, ...] = ()  # [APP_ID=]FILE: the customer's own suppression files
    resume: bool = False  # go on from OUT/scan.journal.jsonl (migrate/inventory/resume.py)


@dataclass(frozen=True)
class ScanOutcome:
    inventory: Inventory
    path: Path
    csv_files: tuple[Path, ...]
    notes: tuple[str, ...]
    failed_calls: tuple[FailedCall, ...] = ()

    def problems(self) -> list[Section]:
        return [s for s in self.inventory.sections if s.status != "ok"]

    def readable(self) -> bool:
        """Did any section read? A scan that read nothing (every region refused, a bad region) must not
        look like an empty account: `scan` exits 1."""
        return any(s.status == "ok" for s in self.inventory.sections)


def quota_table(options: ScanOptions, emulator: Emulator | None) -> QuotaTable:
    """AWS's default quotas (the emulator's when scanning one: it may run them scaled up), plus overrides."""
    overrides = QuotaTable.from_overrides(options.quotas).overrides
    if emulator is None or emulator.quotas.scale == 1.0:
        return QuotaTable(overrides=overrides)
    scale = emulator.quotas.scale
    scaled = {svc: {op: rps * scale for op, rps in table.items()} for svc, table in DEFAULT_RPS.items()}
    return QuotaTable(overrides=overrides, defaults=scaled)


def rate_limited_clients(options: ScanOptions, emulator: Emulator | None) -> ClientFactory:
    """The one client factory of a command: the options' retries, every operation paced at its quota."""
    return ClientFactory(
        retry_mode=options.sessions.retry_mode,
        max_attempts=options.sessions.max_attempts,
        limiter=RateLimiter(quota_table(options, emulator)),
    )


def judging_moment(options: ScanOptions, emulator: Emulator | None) -> dt.datetime:
    """When the scan judges Pinpoint's end of support: `--now` (or SOURCE_DATE_EPOCH) if pinned, else the
    emulated world's own clock when scanning one, else the real time."""
    if options.now or os.environ.get("SOURCE_DATE_EPOCH") or emulator is None:
        return now_utc(options.now)
    return dt.datetime.fromtimestamp(int(emulator.clock()), dt.UTC)


def run_scan(options: ScanOptions, *, emulator: Emulator | None = None) -> ScanOutcome:
    check_options(options)
    scanned_at = iso(now_utc(options.now))
    moment = judging_moment(options, emulator)
    session_set = open_sessions(options.sessions)
    narrowed = options.sessions.shard is not None or bool(options.sessions.accounts)
    if not session_set.accounts and not (options.sessions.shard is not None and not session_set.failures):
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
            clients, max_workers=options.max_workers, progress=progress, app_ids=frozenset(options.app_ids),
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


def scan_live_v2(
    options: ScanOptions, inventory: Inventory, *, emulator: Emulator | None = None
) -> Inventory:
    """Read only the v2 state of the accounts and regions of `inventory` (what `plan` diffs against)."""
    session_set = open_sessions(options.sessions)
    wanted = {a.account_id for a in inventory.accounts}
    accounts = [a for a in session_set.accounts if a.account_id in wanted]
    missing = sorted(wanted - {a.account_id for a in accounts})
    if missing:
        raise SessionError(
            f"the inventory covers account(s) {', '.join(missing)} that these credentials do not reach; "
            "give the same --profile/--role-arn/--org-role as the scan, or plan with --offline"
        )
    clients = rate_limited_clients(options, emulator)
    sections = {name: spec for name, spec in load_sections().items() if name.startswith("v2.")}
    targets = [(a, r) for a in accounts for r in sorted(set(inventory.regions))]
    progress = Progress("live v2 state", enabled=options.progress)
    result = Scanner(clients, max_workers=options.max_workers, sections=sections, progress=progress).run(
        targets
    )
    progress.close()
    live = Inventory(tool_version=__version__, scanned_at=iso(now_utc(options.now)))
    live.accounts = [AccountInfo(a.account_id, a.label) for a in accounts]
    live.regions = sorted(set(inventory.regions))
    live.add(*result.records)
    live.sections.extend(result.sections)
    return live


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
    if options.optouts:
        records, sections = read_optouts_files(apps, options.optouts, options.out_dir)
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
    if options.code:
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


def summary_lines(outcome: ScanOutcome, *, verbose: bool = False) -> list[str]:
    inv = outcome.inventory
    counts = {kind: len(items) for kind, items in sorted(inv.records.items()) if items}
    lines = [
        f"scanned {len(inv.accounts)} account(s) x {len(set(inv.regions))} region(s) at {inv.scanned_at}",
        "found " + (", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items()) or "nothing"),
    ]
    lines.extend(retirement_lines(outcome, verbose=verbose))
    for section in outcome.problems():
        if section.status == "retired":
            continue
        lines.append(
            f"skipped {section.account}/{section.region} {section.name}: {section.status} — {section.reason}"
        )
    if verbose:
        lines.extend(
            f"  failed {c.account}/{c.region} {c.section}{' ' + c.app_id if c.app_id else ''}: "
            f"{c.status} — {c.reason}"
            for c in sorted(outcome.failed_calls, key=lambda c: (c.account, c.region, c.section, c.app_id))
            if c.status != "retired"
        )
    lines.extend(f"note: {n}" for n in outcome.notes)
    lines.append(f"wrote {outcome.path}")
    lines.extend(f"wrote {p}" for p in outcome.csv_files)
    return lines


def retirement_lines(outcome: ScanOutcome, *, verbose: bool = False) -> list[str]:
    """One line on what Pinpoint's end of support kept the scan from reading (with --verbose, each call)."""
    retired = [s for s in outcome.inventory.sections if s.status == "retired"]
    if not retired:
        return []
    places = sorted({(s.account, s.region) for s in retired})
    calls = [c for c in outcome.failed_calls if c.status == "retired"]
    apps = {(c.account, c.region, c.app_id) for c in calls if c.app_id}
    apps |= {(s.account, s.region, s.name.split(":", 1)[1]) for s in retired if ":" in s.name}
    region_wide = {(c.account, c.region) for c in calls if not c.app_id}  # e.g. pinpoint.recommenders
    apps |= {
        (a.account, a.region, a.app_id)
        for a in outcome.inventory.of("pinpoint_apps")
        if (a.account, a.region) in region_wide
    }
    what = sorted({_retired_label(s.name) for s in retired})
    line = (
        f"retired: since {END_OF_SUPPORT_DATE} (Pinpoint's end of support) {', '.join(what)} cannot be read: "
        f"{len(apps)} project(s) in {len(places)} region(s) affected, recorded as `retired`"
    )
    if not verbose:
        return [line + " (--verbose lists each call)"]
    calls += [  # sections read outside the scanner (export jobs): one call each
        FailedCall(s.account, s.region, s.name, "", s.status, s.reason)
        for s in retired
        if not any(c.section == s.name and (c.account, c.region) == (s.account, s.region) for c in calls)
    ]
    return [line] + [
        f"  retired {c.account}/{c.region} {c.section}{' ' + c.app_id if c.app_id else ''}: {c.reason}"
        for c in sorted(calls, key=lambda c: (c.account, c.region, c.section, c.app_id))
    ]


_RETIRED_LABELS = {
    "pinpoint.settings": "app settings",
    "pinpoint.event_stream": "event streams",
    "pinpoint.recommenders": "recommenders",
    "export": "endpoint export jobs",
}


def _retired_label(section: str) -> str:
    base = section.split(":", 1)[0]
    return _RETIRED_LABELS.get(base, base.split(".", 1)[-1].replace("_", " "))
