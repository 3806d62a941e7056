"""Filling an opt-out list: the long job of a migration (a million opt-outs is a day of calls at 10/s).

The numbers come from the scan's 0600 CSV files (each file's sha256 is checked against the plan first: a
file changed since the scan is refused) and from the lists in `copy_from` (the account's `Default` list,
read with DescribeOptedOutNumbers). Numbers already on the target list are skipped (reading a list is ten
times cheaper per number than writing it: 100 per page at 1 page/s against 10 puts/s). The writes are
`PutOptedOutNumber` calls paced at the account's quota by the shared rate limiter, a few in flight at a
time so latency does not eat the quota. Every `checkpoint_every` numbers the position reached (source and
offset) goes into the journal; a resumed fill starts there, re-putting at most one chunk (idempotent).
Progress shows done/total, rate and ETA on a terminal; phone numbers are never printed.
"""

from __future__ import annotations

import csv
import random
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from migrate.apply.dryrun import Api
from migrate.apply.errors import StepError
from migrate.inventory.optouts_files import sha256_of
from migrate.progress import Progress

Source = tuple[str, Iterator[str]]


def list_numbers(api: Api, list_name: str) -> Iterator[str]:
    for entry in api.items("DescribeOptedOutNumbers", "OptedOutNumbers", OptOutListName=list_name):
        yield str(entry["OptedOutNumber"])


def source_file(data_dir: Path, source: dict[str, Any]) -> Path:
    """A scan CSV, checked against the sha256 the plan recorded (refused when missing or changed)."""
    path = Path(data_dir) / source["file"]
    if not path.is_file():
        raise StepError(
            f"{path}: the scan's opt-outs file is missing (give the scan's folder with --data-dir)"
        )
    if sha256_of(path) != source["sha256"]:
        raise StepError(
            f"{path} changed since the plan was made (sha256 differs from the plan's): re-scan and re-plan"
        )
    return path


def csv_numbers(path: Path) -> Iterator[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if row and row[0] and row[0] != "phone_number":
                yield row[0].strip()


def source_numbers(run: Any) -> list[Source]:
    """(label, numbers) for every source of the step, in a fixed order (files, then copied lists)."""
    found: list[Source] = []
    for source in run.params.get("sources", ()):
        found.append((source["file"], csv_numbers(source_file(run.data_dir, source))))
    for other in run.params.get("copy_from", ()):
        found.append((f"list {other['OptOutListName']}", list_numbers(run.api, other["OptOutListName"])))
    return found


def _expected(run: Any) -> int:
    counts = [int(s.get("count", 0)) for s in run.params.get("sources", ())]
    counts += [int(c.get("count", 0)) for c in run.params.get("copy_from", ())]
    return sum(counts)


class _Writer:
    """Puts one chunk of numbers at a time with a few calls in flight; returns only when all landed."""

    def __init__(self, api: Api, list_name: str, workers: int, progress: Progress, stop: Any) -> None:
        self.api = api
        self.stop = stop
        self.list_name = list_name
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="fill")
        self.progress = progress

    def put(self, number: str) -> None:
        self.api.call("PutOptedOutNumber", OptOutListName=self.list_name, OptedOutNumber=number)
        self.progress.advance()

    def flush(self, chunk: list[str]) -> None:
        if self.stop.is_set():
            raise StepError("interrupted; the next apply goes on from the last checkpoint")
        futures = [self.pool.submit(self.put, n) for n in chunk]
        errors = [f.exception() for f in futures]
        chunk.clear()
        first = next((e for e in errors if e is not None), None)
        if first is not None:
            raise first

    def close(self) -> None:
        self.pool.shutdown(wait=True)


def fill_list(run: Any) -> dict[str, Any]:
    from migrate.apply.kinds.lists import describe_list

    list_name = run.params["OptOutListName"]
    started = time.monotonic()
    sources = source_numbers(run)  # checks every file first: nothing is written from a changed export
    exists = describe_list(run.api, list_name) is not None
    if not exists and not run.api.dry_run:
        raise StepError(f"opt-out list {list_name} does not exist")
    position: dict[str, Any] = dict(run.state.checkpoints.get(run.id) or {})
    # Resuming: what came before the checkpoint is on the list; re-reading the list would cost more.
    existing: set[str] = set(list_numbers(run.api, list_name)) if exists and not position else set()
    counts = {"put": int(position.get("put", 0)), "skipped": int(position.get("skipped", 0))}
    progress = Progress(f"opt-outs {list_name}", _expected(run), enabled=run.fill.progress)
    progress.done = int(position.get("consumed", 0))
    writer = _Writer(run.api, list_name, run.fill.workers, progress, run.fill.stop)
    chunk: list[str] = []
    seen: set[str] = set()
    consumed = progress.done
    try:
        for index, (_label, numbers) in enumerate(sources):
            start = int(position.get("offset", 0)) if index == int(position.get("source", 0)) else 0
            if index < int(position.get("source", 0)):
                continue
            offset = 0
            for number in numbers:
                offset += 1
                if offset <= start:
                    continue
                consumed += 1
                if number in existing or number in seen:
                    counts["skipped"] += 1
                    progress.advance()
                else:
                    seen.add(number)
                    chunk.append(number)
                    counts["put"] += 1
                if len(chunk) >= run.fill.checkpoint_every or (consumed % run.fill.checkpoint_every == 0):
                    writer.flush(chunk)
                    run.checkpoint({"source": index, "offset": offset, "consumed": consumed, **counts})
            writer.flush(chunk)
            run.checkpoint({"source": index + 1, "offset": 0, "consumed": consumed, **counts})
    finally:
        writer.close()
        progress.close()
    if run.api.dry_run:
        labels = ", ".join(label for label, _ in sources)
        run.api.flush(f"numbers from {labels}; {counts['skipped']} already on the list")
    seconds = time.monotonic() - started
    return {
        "OptOutListName": list_name,
        "put": counts["put"],
        "skipped": counts["skipped"],
        "seconds": round(seconds, 3),
        "rate": round(counts["put"] / seconds, 2) if seconds > 0 else 0.0,
    }


def sample(numbers: list[str], size: int, seed: str) -> list[str]:
    """A deterministic sample (the same plan verifies the same numbers), all of them when size <= 0."""
    if size <= 0 or len(numbers) <= size:
        return list(numbers)
    return sorted(random.Random(seed).sample(sorted(numbers), size))
