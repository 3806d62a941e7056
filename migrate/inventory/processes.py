"""`scan --processes N`: the accounts split into N shards (`--shard K/N`), scanned by N processes at once,
merged into one inventory (`migrate.inventory.merge`): byte for byte what one process writes, with the
shards' opt-outs files (and CSV tables) beside it as one process leaves them.

Quota buckets are per account and region, so the shards need no coordination. The processes talk to AWS
(or to `emulator serve` through AWS_ENDPOINT_URL) on their own; an in-process emulator world cannot be
shared between processes, so `--emulator FILE` with more than one process is refused (serve the world).
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from migrate.clock import iso, now_utc
from migrate.inventory.live_scan import scan_live_v2
from migrate.inventory.merge import merge_into, merge_loaded
from migrate.inventory.run import ScanOptions, ScanOutcome, run_scan
from migrate.inventory.snapshot import Inventory, write_csv_tables


def _shard(options: ScanOptions) -> str:
    outcome = run_scan(options)
    return str(outcome.path)


def _live_shard(job: tuple[ScanOptions, Inventory]) -> Inventory:
    return scan_live_v2(*job)


def scan_live_in_processes(options: ScanOptions, inventory: Inventory, processes: int) -> Inventory:
    """`plan`'s live v2 read as `processes` shards at once, merged: the same live state (and so the same
    plan, byte for byte) as one process reads. One time for every shard: the plan records it."""
    options = dataclasses.replace(options, now=options.now or iso(now_utc()), progress=False)
    jobs = [
        (
            dataclasses.replace(
                options, sessions=dataclasses.replace(options.sessions, shard=(k, processes))
            ),
            inventory,
        )
        for k in range(1, processes + 1)
    ]
    with ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn")) as pool:
        shards = list(pool.map(_live_shard, jobs))
    merged = merge_loaded(
        [(Path(f"live v2 shard {k}/{processes}"), s) for k, s in enumerate(shards, start=1)]
    )
    merged.options = {}
    return merged


def scan_in_processes(options: ScanOptions, processes: int) -> ScanOutcome:
    """Run the scan as `processes` shards at once; writes OUT/shards/K/inventory.json and OUT/inventory.json."""
    jobs = [
        dataclasses.replace(
            options,
            out_dir=Path(options.out_dir) / "shards" / str(k),
            sessions=dataclasses.replace(options.sessions, shard=(k, processes)),
            progress=False,
        )
        for k in range(1, processes + 1)
    ]
    with ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn")) as pool:
        paths = [Path(p) for p in pool.map(_shard, jobs)]
    path = Path(options.out_dir) / "inventory.json"
    merged, _files = merge_into(paths, path)  # the shards' optouts/ files too, beside the merged inventory
    notes = (f"scanned by {processes} processes; shards in {Path(options.out_dir) / 'shards'}",)
    csv_files = tuple(write_csv_tables(merged, Path(options.out_dir) / "csv")) if options.csv else ()
    return ScanOutcome(merged, path, csv_files, notes)
