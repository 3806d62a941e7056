"""Run plan steps in dependency order, a few at a time, journaling each one's start, result and end.

A step starts when everything it depends on has ended `ok` (in this run or an earlier one, per the
journal); ready steps start in plan order, with one rule for the long ones: a kind with a
`bucket_operation` (filling an opt-out list: `PutOptedOutNumber`) spends its time on a quota that AWS keeps
per account and region, so at most one such step runs per (account, region) bucket at a time, and as many
buckets run at once as there are (they do not count against `max_workers`, which bounds the short steps).
The plan lists a region's lists together, so in plan order the running fills would share one bucket
while the others stayed idle (5.07x the floor for 4 regions x 8 lists, issue 17). A step that fails (a permanent AWS error after botocore's own
retries, or a check that refuses) ends `failed`; everything that depends on it, directly or not, ends
`not-run` and is never started; independent steps go on. `after_step` is called after every step ends
(tests use it to assert safety invariant 1 at every moment of an apply).
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from migrate.apply.dryrun import placeholder
from migrate.apply.errors import StepError
from migrate.apply.kinds import KINDS, StepRun
from migrate.apply.kinds.base import error_code
from migrate.progress import Progress


@dataclass(frozen=True)
class StepOutcome:
    step_id: str
    kind: str
    status: str  # ok | failed | not-run
    error: str = ""
    result: dict[str, Any] = field(default_factory=dict)


@dataclass
class Execution:
    outcomes: list[StepOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return all(o.status == "ok" for o in self.outcomes)


def describe_error(exc: BaseException) -> str:
    code, reason = error_code(exc)
    if code:
        message = getattr(exc, "response", {}).get("Error", {}).get("Message", "")
        return f"{code}{f' ({reason})' if reason else ''}: {message}".strip()
    if isinstance(exc, StepError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def resolve(value: Any, results: dict[str, dict[str, Any]], dry_run: bool) -> Any:
    """Replace `{"$step": id, "field": F}` by field F of that step's result."""
    if isinstance(value, dict):
        if "$step" in value and "field" in value and len(value) == 2:
            found = results.get(str(value["$step"])) or {}
            if value["field"] in found:
                return found[value["field"]]
            if dry_run:
                return placeholder(str(value["$step"]), str(value["field"]))
            raise StepError(f"step {value['$step']} left no {value['field']} in the journal; run it again")
        return {k: resolve(v, results, dry_run) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, results, dry_run) for v in value]
    return value


RunMaker = Callable[[dict[str, Any], dict[str, Any]], StepRun]
Bucket = tuple[str, str, str]  # (account, region, operation)


def bucket_of(step: dict[str, Any]) -> Bucket | None:
    """The quota bucket a long step works against, or None for a short step."""
    kind = KINDS.get(step["kind"])
    operation = getattr(kind, "bucket_operation", "") if kind is not None else ""
    return (str(step["account"]), str(step["region"]), operation) if operation else None


class Executor:
    def __init__(
        self,
        make_run: RunMaker,
        results: dict[str, dict[str, Any]],
        *,
        write: Callable[..., Any] | None,
        plan_id: str,
        max_workers: int = 4,
        dry_run: bool = False,
        after_step: Callable[[StepOutcome], None] | None = None,
        echo: Callable[[str], None] = print,
        stop: threading.Event | None = None,
        progress: bool | None = False,
    ) -> None:
        self.progress = progress  # a steps done/total line: None on a terminal only, False never
        self._shown: Progress | None = None
        self.make_run = make_run
        self.results = dict(results)
        self.write = write
        self.plan_id = plan_id
        self.max_workers = 1 if dry_run else max(1, max_workers)
        self.dry_run = dry_run
        self.after_step = after_step
        self.echo = echo
        self._lock = threading.Lock()
        self.stop = stop or threading.Event()

    def _journal(self, event: str, step: dict[str, Any], **fields: Any) -> None:
        if self.write is not None:
            self.write(event, plan=self.plan_id, step=step["id"], **fields)

    def _one(self, step: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            params = resolve(step["parameters"], self.results, self.dry_run)
        where = {"kind": step["kind"], "account": step["account"], "region": step["region"]}
        if self.dry_run:
            self.echo(f"{step['id']}:")
        self._journal("start", step, params=params, **where)
        result = KINDS[step["kind"]].execute(self.make_run(step, params))
        with self._lock:
            self.results[step["id"]] = result
        self._journal("result", step, result=result)
        self._journal("end", step, status="ok")
        return result

    def run(self, steps: list[dict[str, Any]]) -> Execution:
        index = {s["id"]: i for i, s in enumerate(steps)}
        waiting = {s["id"]: {d for d in s["depends_on"] if d in index} for s in steps}
        dependants: dict[str, list[str]] = {s["id"]: [] for s in steps}
        for step_id, deps in waiting.items():
            for dep in deps:
                dependants[dep].append(step_id)
        ready = [index[i] for i, deps in waiting.items() if not deps]
        heapq.heapify(ready)
        outcome = Execution()
        self._skipped: set[str] = set()
        running: dict[Future[dict[str, Any]], dict[str, Any]] = {}
        buckets = {s["id"]: bucket_of(s) for s in steps}
        busy: set[Bucket] = set()
        size = self.max_workers + len({b for b in buckets.values() if b is not None})
        pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="apply")
        label = "dry run" if self.dry_run else "apply"
        self._shown = Progress(f"{label} steps", len(steps), enabled=self.progress) if steps else None
        try:
            while ready or running:
                self._start(ready, steps, buckets, busy, running, pool)
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=lambda f: index[running[f]["id"]]):
                    step = running.pop(future)
                    busy.discard(buckets[step["id"]])
                    done = self._finish(step, future, outcome)
                    if done.status == "ok":
                        for later in dependants[step["id"]]:
                            waiting[later].discard(step["id"])
                            if not waiting[later] and later not in self._skipped:
                                heapq.heappush(ready, index[later])
                    else:
                        self._skip_dependants(step, dependants, steps, index, outcome)
                    if self.after_step is not None:
                        self.after_step(done)
        except KeyboardInterrupt:
            self.stop.set()  # running steps end at their next checkpoint; nothing new starts
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            if self._shown is not None:
                self._shown.close()
        return outcome

    def _start(
        self,
        ready: list[int],
        steps: list[dict[str, Any]],
        buckets: dict[str, Bucket | None],
        busy: set[Bucket],
        running: dict[Future[dict[str, Any]], dict[str, Any]],
        pool: ThreadPoolExecutor,
    ) -> None:
        """Start ready steps in plan order: short ones up to `max_workers`, long ones one per free bucket."""
        short = sum(1 for step in running.values() if buckets[step["id"]] is None)
        held: list[int] = []
        while ready:
            if self.dry_run and running:  # a dry run prints each step's calls in order: one at a time
                break
            position = heapq.heappop(ready)
            step = steps[position]
            bucket = buckets[step["id"]]
            if bucket is None:
                if short >= self.max_workers:
                    held.append(position)
                    continue
                short += 1
            elif bucket in busy:
                held.append(position)
                continue
            else:
                busy.add(bucket)
            running[pool.submit(self._one, step)] = step
        for position in held:
            heapq.heappush(ready, position)

    def _finish(
        self, step: dict[str, Any], future: Future[dict[str, Any]], outcome: Execution
    ) -> StepOutcome:
        error = future.exception()
        if error is None:
            done = StepOutcome(step["id"], step["kind"], "ok", result=future.result())
            if not self.dry_run:
                self.echo(f"  ok       {step['id']}")
        else:
            if isinstance(error, KeyboardInterrupt):
                raise error
            text = describe_error(error)
            self._journal("end", step, status="failed", error=text)
            done = StepOutcome(step["id"], step["kind"], "failed", text)
            self.echo(f"  FAILED   {step['id']}: {text}")
        outcome.outcomes.append(done)
        if self._shown is not None:
            self._shown.advance(1, step["id"])
        return done

    def _skip_dependants(
        self,
        failed: dict[str, Any],
        dependants: dict[str, list[str]],
        steps: list[dict[str, Any]],
        index: dict[str, int],
        outcome: Execution,
    ) -> None:
        stack = list(dependants[failed["id"]])
        ended = {o.step_id for o in outcome.outcomes}
        while stack:
            step_id = stack.pop()
            if step_id in self._skipped or step_id in ended:
                continue
            self._skipped.add(step_id)
            step = steps[index[step_id]]
            text = f"not run: it depends on {failed['id']}, which failed"
            self._journal("end", step, status="not-run", error=text)
            outcome.outcomes.append(StepOutcome(step_id, step["kind"], "not-run", text))
            self.echo(f"  not run  {step_id}")
            if self._shown is not None:
                self._shown.advance(1, step_id)
            stack.extend(dependants[step_id])
