"""Filling an opt-out list: the long job of a migration (a million opt-outs is a day of calls at 10/s).

The numbers come from the scan's 0600 CSV files (each file's sha256 is checked against the plan first: a
file changed since the scan is refused) and from the lists in `copy_from` (the account's `Default` list,
read with DescribeOptedOutNumbers). Numbers already on the target list are skipped (reading a list is ten
times cheaper per number than writing it: 100 per page at 1 page/s against 10 puts/s). The writes are
`PutOptedOutNumber` calls paced at the account's quota by the shared rate limiter, as many in flight as the
quota times the observed latency (Little's law, `InFlight`) so latency does not eat the quota. Every `checkpoint_every` numbers the position reached (source and
offset) goes into the journal; a resumed fill starts there, re-putting at most one chunk (idempotent).
Progress shows done/total, rate and ETA on a terminal; phone numbers are never printed.
"""

from __future__ import annotations

import csv
import math
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from migrate.apply.dryrun import Api
from migrate.apply.errors import StepError
from migrate.apply.state import DEFAULT_ADDED
from migrate.inventory.optouts_files import sha256_of
from migrate.inventory.scan_v2 import opted_out_ms
from migrate.mapping.desired import DEFAULT_OPT_OUT_LIST
from migrate.progress import Progress

Source = tuple[str, Iterator[str]]
V2 = "pinpoint-sms-voice-v2"


def list_numbers(api: Api, list_name: str, newest: list[int] | None = None) -> Iterator[str]:
    """The list's numbers; `newest[0]` becomes the time of its newest entry (epoch ms) when given."""
    try:
        for entry in api.items("DescribeOptedOutNumbers", "OptedOutNumbers", OptOutListName=list_name):
            if newest is not None:
                newest[0] = max(newest[0], opted_out_ms(entry))
            yield str(entry["OptedOutNumber"])
    except Exception as exc:
        from migrate.apply.kinds.base import not_found

        if not (api.dry_run and not_found(exc)):  # a dry run copies from a list it only pretended to make
            raise


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
    if source.get("origin_sha256"):
        _check_origin(Path(source["origin"]), source["origin_sha256"])
    return path


def _check_origin(origin: Path, sha256: str) -> None:
    """A customer's suppression file (`scan --optouts`) must still be what the scan read: if it changed,
    people have opted out (or been cleaned up) since, and the plan no longer says what the list needs."""
    if not origin.is_file():
        raise StepError(
            f"{origin}: the suppression file the plan was made from is missing (run apply where the scan "
            "ran, or re-scan and re-plan)"
        )
    if sha256_of(origin) != sha256:
        raise StepError(
            f"{origin} changed since the scan read it (sha256 differs from the plan's): re-scan with "
            "--optouts and re-plan"
        )


def csv_numbers(path: Path) -> Iterator[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if row and row[0] and row[0] != "phone_number":
                yield row[0].strip()


def source_numbers(run: Any, newest: list[int] | None = None) -> list[Source]:
    """(label, numbers) for every source of the step, in a fixed order (files, then copied lists)."""
    found: list[Source] = []
    for source in run.params.get("sources", ()):
        found.append((source["file"], csv_numbers(source_file(run.data_dir, source))))
    for other in run.params.get("copy_from", ()):
        numbers = list_numbers(run.api, other["OptOutListName"], newest)
        found.append((f"list {other['OptOutListName']}", numbers))
    return found


def _counted(run: Any, sources: list[Source]) -> tuple[list[Source], int]:
    """The sources, and the numbers they hold, known before the first put (the progress total is fixed:
    issue 13). A file holds the count the plan recorded (its sha256 is checked); a copied list is read whole
    first, as it is now: the count the plan saw is stale once the list moved (new STOPs on `Default`)."""
    files = len(run.params.get("sources", ()))
    counted: list[Source] = []
    total = 0
    for index, (label, numbers) in enumerate(sources):
        if index < files:
            counted.append((label, numbers))
            total += int(run.params["sources"][index].get("count", 0))
        else:
            held = list(numbers)
            counted.append((label, iter(held)))
            total += len(held)
    return counted, total


MAX_IN_FLIGHT = 256
FIRST_LATENCY = 0.05  # seconds: a guess for the first puts, replaced by what is observed
LATENCY_WEIGHT = 0.2  # of each new observation in the moving average
SLACK = 1.5  # in flight beyond rate x latency, so a slow answer does not leave a slot of the quota unused


class InFlight:
    """How many puts to keep in flight: the bucket's rate x the service's latency (Little's law, L = λW).

    The latency is a moving average of what puts take minus the time they waited for the rate limiter
    (`RateLimiter.last_wait`), so waiting for the quota does not grow the window. With fewer in flight
    than rate x latency the quota cannot be reached (8 in flight at 1,000 rps and 20 ms reach 0.30 of it,
    issue 17); more only adds threads that wait for the limiter.
    """

    def __init__(self, rate: float | None, fixed: int = 0) -> None:
        self.rate = rate
        self.fixed = fixed
        self.latency = FIRST_LATENCY
        self._lock = threading.Lock()

    def observe(self, seconds: float) -> None:
        with self._lock:
            self.latency += LATENCY_WEIGHT * (max(0.0, seconds) - self.latency)

    def size(self) -> int:
        if self.fixed > 0:
            return self.fixed
        if not self.rate:
            return 8
        return max(2, min(MAX_IN_FLIGHT, math.ceil(self.rate * self.latency * SLACK) + 2))


def bucket_rate(api: Api, operation: str = "PutOptedOutNumber") -> float | None:
    """The rate the client keeps for `operation` in `api`'s account and region (None: not paced)."""
    if api.limiter is None:
        return None
    account, _, region = api.where.partition("/")
    return float(api.limiter.bucket(account, region, V2, operation).rate)


class _Writer:
    """Puts one chunk of numbers with `InFlight.size()` calls in flight; returns only when all landed."""

    def __init__(self, api: Api, list_name: str, workers: int, progress: Progress, stop: Any) -> None:
        self.api = api
        self.stop = stop
        self.list_name = list_name
        self.window = InFlight(bucket_rate(api), workers)
        # a fixed window is the pool's size (no hand-off per put); a sized one gates submissions below
        size = workers if workers > 0 else MAX_IN_FLIGHT
        self.pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="fill")
        self.progress = progress
        self._room = threading.Condition()
        self._in_flight = 0

    def put(self, number: str) -> None:
        started = time.monotonic()
        try:
            self.api.call("PutOptedOutNumber", OptOutListName=self.list_name, OptedOutNumber=number)
        finally:
            waited = self.api.limiter.last_wait() if self.api.limiter is not None else 0.0
            self.window.observe(time.monotonic() - started - waited)
            with self._room:
                self._in_flight -= 1
                self._room.notify()
        self.progress.advance()

    def flush(self, chunk: list[str]) -> None:
        if self.stop.is_set():
            raise StepError("interrupted; the next apply goes on from the last checkpoint")
        futures: list[Future[None]] = []
        for number in chunk:
            with self._room:
                while not self.window.fixed and self._in_flight >= self.window.size():
                    self._room.wait()
                self._in_flight += 1
            futures.append(self.pool.submit(self.put, number))
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
    newest = [0]  # a copy onto Default: the time of the newest entry of the tenant list it read
    sources = source_numbers(run, newest)  # checks every file first: nothing is written from a changed export
    exists = describe_list(run.api, list_name) is not None
    if not exists and not run.api.dry_run:
        raise StepError(f"opt-out list {list_name} does not exist")
    position: dict[str, Any] = dict(run.state.checkpoints.get(run.id) or {})
    files = len(run.params.get("sources", ()))
    copied = [files + i for i, c in enumerate(run.params.get("copy_from", ()))]
    from_default = {
        files + i
        for i, c in enumerate(run.params.get("copy_from", ()))
        if c["OptOutListName"] == DEFAULT_OPT_OUT_LIST
    }
    onto_default = list_name == DEFAULT_OPT_OUT_LIST
    resumed_at = int(position.get("source", 0))
    # Resuming: what came before the checkpoint is on the list; re-reading the list would cost more. Except
    # (a) inside a live list's source: that list may have grown since, so an offset into it no longer says
    # what was copied; it is read again from its start, skipping what the target holds; (b) onto Default:
    # every number put there must be one Default lacked, since those are journaled as the tool's own.
    read_target = exists and (not position or onto_default or resumed_at in copied)
    existing: set[str] = set(list_numbers(run.api, list_name)) if read_target else set()
    sources, total = _counted(run, sources)  # the copied lists are read whole here, as they are now
    # Numbers the tool itself copied onto Default (a sender-ID tenant's list, `_protect_default` in the plan)
    # are not Default's to give: whether another tenant's copy ran before this fill, during it, or in an
    # earlier run, the list must end as its sources alone make it (issue 12). Taken *after* Default was read:
    # the tool journals (and notes) what it puts on Default before it puts it, so every number of a copy
    # running at the same time that this read saw is known here; taken before the read, a copy landing in
    # between put another tenant's numbers on this list, on some runs only (as `migrate.apply.late` does).
    # Only what the tool put there for *other* lists: a number this list's own copy put on Default (a STOP
    # after the cut-over, since deleted from the list) comes back like any other entry of Default.
    theirs = (
        run.state.others_added(run.api.where, list_name) if from_default and not onto_default else frozenset()
    )
    # Copying a tenant list onto Default: its numbers Default holds by the tool's hand are journaled as this
    # list's too (`held`), so no fill of this list ever takes them for another tenant's.
    copied_from = str(run.params["copy_from"][0]["OptOutListName"]) if onto_default and copied else ""
    tool = run.state.tool_added(run.api.where) if copied_from else frozenset()
    held: list[str] = []
    # A resume inside a live list's source reads that source again from its start: the counts go back to
    # what they were when the source began, so `read` (a copy onto Default tags the tenant list with it,
    # `pinpoint-migrate:default-copy`) is the list's size, not that plus what the broken-off pass read.
    restart = bool(position) and resumed_at in copied
    at = dict(position.get("at") or {}) if restart else position
    if restart and "consumed" not in at:  # a checkpoint of an older version: the offset is into this source
        at = {**position, "consumed": int(position.get("consumed", 0)) - int(position.get("offset", 0))}
    counts = {
        "put": int(at.get("put", 0)),
        "skipped": int(at.get("skipped", 0)),
        "excluded": int(at.get("excluded", 0)),
    }
    progress = Progress(f"opt-outs {list_name}", total, enabled=run.fill.progress)
    progress.done = int(at.get("consumed", 0))
    writer = _Writer(run.api, list_name, run.fill.workers, progress, run.fill.stop)
    chunk: list[str] = []
    seen: set[str] = set()
    consumed = progress.done

    def flush() -> None:
        if onto_default and (chunk or held) and run.journal_write is not None:
            account, _, region = run.api.where.partition("/")
            run.journal_write(
                DEFAULT_ADDED, plan=run.plan_id, step=run.id, account=account, region=region, numbers=chunk,
                list=copied_from, held=list(held),
            )  # fmt: skip
            run.state.note_added(run.api.where, chunk, copied_from, held)
        held.clear()
        writer.flush(chunk)

    try:
        for index, (_label, numbers) in enumerate(sources):
            if index < resumed_at:
                continue
            start = int(position.get("offset", 0)) if index == resumed_at and index not in copied else 0
            began = {"consumed": consumed, **counts}  # where a live list's source starts again on resume
            offset = 0
            for number in numbers:
                offset += 1
                if offset <= start:
                    continue
                consumed += 1
                if index in from_default and number in theirs:
                    counts["excluded"] += 1
                    progress.advance()
                elif number in existing or number in seen:
                    counts["skipped"] += 1
                    progress.advance()
                    if number in tool:
                        held.append(number)
                else:
                    seen.add(number)
                    chunk.append(number)
                    counts["put"] += 1
                if len(chunk) >= run.fill.checkpoint_every or (consumed % run.fill.checkpoint_every == 0):
                    flush()
                    run.checkpoint(
                        {"source": index, "offset": offset, "consumed": consumed, **counts, "at": began}
                    )
            flush()
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
        "read": consumed,
        "through": newest[0],
        "excluded": counts["excluded"],
        "seconds": round(seconds, 3),
        "rate": round(counts["put"] / seconds, 2) if seconds > 0 else 0.0,
    }


def sample(numbers: list[str], size: int, seed: str) -> list[str]:
    """A deterministic sample (the same plan verifies the same numbers), all of them when size <= 0."""
    if size <= 0 or len(numbers) <= size:
        return list(numbers)
    return sorted(random.Random(seed).sample(sorted(numbers), size))
