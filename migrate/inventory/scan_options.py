"""What a scan is asked to do (`ScanOptions`), what it gives back (`ScanOutcome`), and the clients and clock
it uses: shared by `scan` (`migrate.inventory.run`), the live v2 scan and apply's clients."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from migrate.aws.ratelimit import DEFAULT_RPS, QuotaTable, RateLimiter
from migrate.aws.sessions import ClientFactory, SessionOptions
from migrate.clock import now_utc
from migrate.emulator import Emulator
from migrate.inventory.scanner import FailedCall
from migrate.inventory.snapshot import Inventory, Section


@dataclass(frozen=True)
class ScanOptions:
    out_dir: Path = Path("migration")
    sessions: SessionOptions = field(default_factory=SessionOptions)
    regions: tuple[str, ...] = ()
    quotas: tuple[str, ...] = ()
    max_workers: int = 0  # 0: `scan_workers` sizes it from the accounts and regions scanned
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


MIN_WORKERS = 32
WORKERS_PER_TARGET = 4
MAX_WORKERS = 256


def scan_workers(asked: int, targets: int) -> int:
    """Sections read at once: `asked` (--max-workers) if given, else 32 plus 4 per (account, region), at most
    256. Most of a scan's threads sleep until their request's turn in a 1 rps bucket (a section with one
    DescribeKeywords per number holds its thread for as many seconds as there are numbers), and those
    buckets are per account and region: with a fixed 32, 40 such sections ran in waves (an org scan of
    20 accounts x 2 regions x 24 numbers, one process: 2.46x its quota-bound minimum with 32, 1.51x with
    160; issue 17). A sleeping thread costs no CPU."""
    if asked > 0:
        return asked
    return max(MIN_WORKERS, min(MAX_WORKERS, MIN_WORKERS + WORKERS_PER_TARGET * targets))


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
