"""Run a scan: every section of every account and region, in parallel, into one `Inventory`.

Region sections of all accounts and regions start at once; when a region's Pinpoint projects are known,
one task per (project, section) is queued, project by project, so every operation's token bucket stays
busy and the scan runs as fast as the quotas allow. A failing section is recorded with its status and
reason, and the rest of the scan goes on (STYLE.md rule 7).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from migrate.aws.errors import classify
from migrate.aws.sessions import AccountSession, ClientFactory
from migrate.inventory.records import PinpointApp
from migrate.inventory.sections import RegionScan, SectionSpec, load_sections
from migrate.inventory.snapshot import Section
from migrate.progress import Progress


@dataclass(frozen=True)
class FailedCall:
    """One section's call that failed (a per-project section folds many into one `Section`)."""

    account: str
    region: str
    section: str
    app_id: str  # "" for a region section
    status: str
    reason: str


@dataclass
class ScanResult:
    records: list[Any] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    failed_calls: list[FailedCall] = field(default_factory=list)


@dataclass
class _AppSectionTally:
    """Per-project runs of one section in one region, folded into one inventory section."""

    pending: int
    count: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (app id, status, reason)


_SEVERITY = {"ok": 0, "retired": 1, "unavailable": 2, "denied": 3, "error": 4}


class Scanner:
    def __init__(
        self,
        clients: ClientFactory,
        *,
        max_workers: int = 32,
        progress: Progress | None = None,
        sections: dict[str, SectionSpec] | None = None,
        app_ids: frozenset[str] = frozenset(),
        on_target: Callable[[tuple[str, str], list[Any], list[Section]], None] | None = None,
        moment: dt.datetime | None = None,
    ) -> None:
        # called once per (account, region) whose sections have all ended, with what they found (the
        # journal of `scan --resume` keeps it); a failing callback stops the scan like a kill would
        self.on_target = on_target
        self._pending: dict[tuple[str, str], int] = {}
        self._by_target: dict[tuple[str, str], tuple[list[Any], list[Section]]] = {}
        self._broken: set[tuple[str, str]] = set()  # parts a task of which ended in an uncaught error
        self.app_ids = app_ids  # --app-id: only these Pinpoint projects (empty: all)
        self.clients = clients
        # when the scan judges Pinpoint's end of support (a refusal of a retired operation after it is
        # `retired`, whatever its error code)
        self.moment = moment or dt.datetime.now(dt.UTC)
        self.max_workers = max_workers
        self.progress = progress
        self.sections = sections or load_sections()
        self._lock = threading.Lock()
        self._result = ScanResult()
        self._futures: list[Future[None]] = []
        self._pool: ThreadPoolExecutor | None = None
        self._tallies: dict[tuple[str, str, str], _AppSectionTally] = {}

    def run(self, targets: list[tuple[AccountSession, str]]) -> ScanResult:
        region_specs = [s for s in self.sections.values() if s.scope == "region" and not s.optional]
        app_specs = [s for s in self.sections.values() if s.scope == "app" and not s.optional]
        if self.progress:
            # the total is fixed before anything starts: one unit per section of each (account, region),
            # a project section counting once per region however many projects it reads (an honest ETA,
            # where a total that grows as projects are found made it mean nothing)
            self.progress.add_total(len(targets) * (len(region_specs) + len(app_specs)))
        with ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="scan") as pool:
            self._pool = pool
            parts = []
            for account, region in targets:
                # held while its sections are queued: a section that ends before the next one is submitted
                # must not end the part (it was journaled as scanned, with half its records)
                target = (account.account_id, region)
                with self._lock:
                    self._pending[target] = self._pending.get(target, 0) + 1
                parts.append((RegionScan(account, region, self.clients, self.moment), target))
            # Every part's early sections (a chain of 1 rps calls, one per item) first, then the rest part by
            # part: the last part's chain no longer starts behind every other part's sections (issue 17).
            for spec in [s for s in region_specs if s.early]:
                for scan, target in parts:
                    self._submit(partial(self._region_section, scan, spec), target)
            for scan, target in parts:
                for spec in [s for s in region_specs if not s.early]:
                    self._submit(partial(self._region_section, scan, spec), target)
                self._end_one(target, ok=True)
            self._wait()
        self._pool = None
        return self._result

    # -- scheduling ---------------------------------------------------------------------------------------
    def _submit(self, task: Callable[[], None], target: tuple[str, str]) -> None:
        assert self._pool is not None
        with self._lock:
            self._pending[target] = self._pending.get(target, 0) + 1
            self._futures.append(self._pool.submit(self._tracked, task, target))

    def _tracked(self, task: Callable[[], None], target: tuple[str, str]) -> None:
        ok = False
        try:
            task()
            ok = True
        finally:
            self._end_one(target, ok=ok)

    def _end_one(self, target: tuple[str, str], *, ok: bool) -> None:
        """One task of a part is over; the last one hands the part to `on_target` (the resume journal),
        unless a task of it broke off (Ctrl-C, expired credentials, a pool shut down under a project's
        sections): such a part is scanned again on resume, never recorded as whole."""
        with self._lock:
            if not ok:
                self._broken.add(target)
            self._pending[target] -= 1
            ended = self._pending[target] == 0
            found = self._by_target.pop(target, ([], [])) if ended else ([], [])
            whole = ended and target not in self._broken
        if whole and self.on_target is not None:
            self.on_target(target, *found)

    def _wait(self) -> None:
        seen = 0
        while True:
            with self._lock:
                pending = self._futures[seen:]
                seen = len(self._futures)
            if not pending:
                return
            for future in pending:
                future.result()  # tasks catch their own errors; this only surfaces bugs

    # -- tasks --------------------------------------------------------------------------------------------
    def _region_section(self, scan: RegionScan, spec: SectionSpec) -> None:
        try:
            found = spec.fn(scan)
            if self.app_ids and spec.name == "pinpoint.apps":
                found = [a for a in found if not isinstance(a, PinpointApp) or a.app_id in self.app_ids]
        except Exception as exc:  # one failing section never stops the scan
            verdict = classify(exc, service=_service(spec), moment=self.moment)
            self._failed(
                FailedCall(scan.account_id, scan.region, spec.name, "", verdict.status, verdict.reason)
            )
            self._section(Section(scan.account_id, scan.region, spec.name, verdict.status, verdict.reason))
            if spec.name == "pinpoint.apps" and self.progress:  # its project sections will not run
                self.progress.advance(
                    sum(1 for s in self.sections.values() if s.scope == "app" and not s.optional)
                )
            return
        self._records(found)
        self._section(Section(scan.account_id, scan.region, spec.name, "ok", "", len(found)))
        if spec.name == "pinpoint.apps":
            self._queue_projects(scan, [a for a in found if isinstance(a, PinpointApp)])

    def _queue_projects(self, scan: RegionScan, apps: list[PinpointApp]) -> None:
        app_specs = [s for s in self.sections.values() if s.scope == "app" and not s.optional]
        with self._lock:
            for spec in app_specs:
                self._tallies[(scan.account_id, scan.region, spec.name)] = _AppSectionTally(len(apps))
        if not apps:
            for spec in app_specs:
                self._section(Section(scan.account_id, scan.region, spec.name, "ok", "", 0))
            return
        for app in apps:  # project-major order keeps every operation's bucket busy
            for spec in app_specs:
                self._submit(partial(self._app_section, scan, spec, app), (scan.account_id, scan.region))

    def _app_section(self, scan: RegionScan, spec: SectionSpec, app: PinpointApp) -> None:
        failure: tuple[str, str, str] | None = None
        found: list[Any] = []
        try:
            found = spec.fn(scan, app)
        except Exception as exc:
            verdict = classify(exc, service=_service(spec), moment=self.moment)
            failure = (app.app_id, verdict.status, verdict.reason)
            self._failed(FailedCall(scan.account_id, scan.region, spec.name, app.app_id, *failure[1:]))
        self._records(found)
        key = (scan.account_id, scan.region, spec.name)
        with self._lock:
            tally = self._tallies[key]
            tally.pending -= 1
            tally.count += len(found)
            if failure:
                tally.failures.append(failure)
            finished = tally.pending == 0
        if finished:
            self._section(_fold(scan, spec.name, tally))
        elif self.progress:
            self.progress.advance(0, f"{scan.region} {spec.name} {app.app_id[:8]}")  # moving, not a unit

    def _failed(self, call: FailedCall) -> None:
        with self._lock:
            self._result.failed_calls.append(call)

    def _records(self, found: list[Any]) -> None:
        with self._lock:
            self._result.records.extend(found)
            for item in found:
                self._by_target.setdefault((item.account, item.region), ([], []))[0].append(item)

    def _section(self, section: Section) -> None:
        with self._lock:
            self._result.sections.append(section)
            self._by_target.setdefault((section.account, section.region), ([], []))[1].append(section)
        if self.progress:
            self.progress.advance(1, f"{section.region} {section.name}")


def _service(spec: SectionSpec) -> str:
    """The botocore service a section reads (its name's prefix: `pinpoint.campaigns` -> `pinpoint`)."""
    return {"pinpoint": "pinpoint", "v2": "pinpoint-sms-voice-v2", "v1": "pinpoint-sms-voice"}.get(
        spec.name.split(".", 1)[0], ""
    )


def _fold(scan: RegionScan, name: str, tally: _AppSectionTally) -> Section:
    if not tally.failures:
        return Section(scan.account_id, scan.region, name, "ok", "", tally.count)
    worst = max(tally.failures, key=lambda f: _SEVERITY.get(f[1], 3))
    failed = sorted(f[0] for f in tally.failures)
    shown = ", ".join(failed[:5]) + (f" and {len(failed) - 5} more" if len(failed) > 5 else "")
    reason = f"{len(failed)} project(s) could not be read ({shown}): {worst[2]}"
    return Section(scan.account_id, scan.region, name, worst[1], reason, tally.count)
