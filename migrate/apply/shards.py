"""`apply`, `verify` and `rollback` by shards of accounts: `--shard K/N` on one machine, `--processes N` on one.

AWS's request quotas are per account and region, so the accounts of a plan split into shards that need no
coordination (the split is `migrate.aws.sessions.in_shard`: sha256 of the account id, the same on every
machine, as `scan --shard` uses). A shard works on its share of the one reviewed plan (`shard_plan`: the
plan's steps, changes and tenants of those accounts) and keeps its own files beside the plan, so several
shards never contend for one journal lock and a resumed shard continues where it stopped:

    journal.K-of-N.jsonl      what apply (and rollback) of shard K did
    verify.K-of-N.json        what verify of shard K found

`report` reads them all back into one report (`merged_journal`, `merged_verify`). The staleness check of a
shard compares the live state of its own accounts with the plan's per-account fingerprints
(`inputs.live_sha256_by_account`), as it cannot see the others'.

`--processes N` runs shards 1..N of N at once in spawned processes (the same as N machines running
`--shard K/N`), after one confirmation in the parent. An in-process `--emulator` world cannot be shared
between processes: serve it (`emulator serve`) instead.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from migrate.apply.errors import ApplyError
from migrate.apply.selection import Selection, resolve_selection, select_steps
from migrate.aws.sessions import in_shard
from migrate.plan.planfile import Plan

Shard = tuple[int, int]
T = TypeVar("T")
_SHARD_FILE = re.compile(r"^(?P<stem>.+)\.(?P<k>\d+)-of-(?P<n>\d+)(?P<suffix>\.[^.]+)$")


def shard_path(path: Path, shard: Shard | None) -> Path:
    """`journal.jsonl` -> `journal.K-of-N.jsonl` (unchanged without a shard)."""
    if shard is None:
        return path
    return path.with_name(f"{path.stem}.{shard[0]}-of-{shard[1]}{path.suffix}")


def shard_files(path: Path) -> list[Path]:
    """The shard files of `path` that exist (`journal.1-of-4.jsonl` ...), in shard order; refused when they
    are of several splits (a run with --processes 2 and one with 4 beside the same plan)."""
    found: list[tuple[int, int, Path]] = []
    for candidate in path.parent.glob(f"{path.stem}.*-of-*{path.suffix}"):
        match = _SHARD_FILE.match(candidate.name)
        if match and match["stem"] == path.stem and match["suffix"] == path.suffix:
            found.append((int(match["n"]), int(match["k"]), candidate))
    splits = sorted({n for n, _k, _p in found})
    if len(splits) > 1:
        raise ApplyError(
            f"{path.parent}: {path.name} shard files of {' and '.join(map(str, splits))} shards side by side; "
            "keep the files of one split"
        )
    return [p for _n, _k, p in sorted(found)]


def absent_shards(found: Sequence[Path]) -> list[Path]:
    """The files of the split of `found` (shard files of one split, as `shard_files` gives) that are not
    there: `journal.2-of-3.jsonl` when only shards 1 and 3 left theirs."""
    if not found:
        return []
    match = _SHARD_FILE.match(found[0].name)
    assert match is not None  # shard_files gives only names of that form
    n = int(match["n"])
    base = found[0].with_name(f"{match['stem']}{match['suffix']}")
    return [p for k in range(1, n + 1) if (p := shard_path(base, (k, n))) not in set(found)]


def shard_plan(plan: Plan, shard: Shard | None) -> Plan:
    """The share of `plan` that shard K of N works on: its accounts' steps, changes and tenants."""
    if shard is None:
        return plan
    k, n = shard
    data = dict(plan.data)
    mine = {a for a in plan.data["accounts"] if in_shard(a, k, n)}
    data["accounts"] = sorted(mine)
    data["steps"] = [s for s in plan.steps if s["account"] in mine]
    data["changes"] = [c for c in plan.changes if c.get("account") in mine]
    data["tenants"] = [t for t in plan.data["tenants"] if t.get("account") in mine]
    data["findings"] = [f for f in plan.findings if f.get("account") in mine | {None, ""}]
    data["shard"] = f"{k}/{n}"
    kept = {s["id"] for s in data["steps"]}
    for step in data["steps"]:
        other = [d for d in step["depends_on"] if d not in kept]
        if other:  # a plan's steps stay within an account today; say so plainly if that ever changes
            raise ApplyError(
                f"step {step['id']} depends on {other[0]}, in an account of another shard: apply this plan "
                "without --shard/--processes"
            )
    return Plan(data)


def shard_scope(
    whole: Plan,
    shard: Shard | None,
    tenants: Sequence[str] = (),
    wave: str | None = None,
    wave_name: str | None = None,
) -> tuple[Plan, Selection, str]:
    """What a shard of `--tenant`/`--wave` works on: its share of the plan, the selection (named tenants are
    looked up in the whole plan, so a tenant another shard holds is no error here, only nothing to do) and,
    when the shard has nothing to do, the line that says so ("" otherwise)."""
    selection = resolve_selection(whole.data["tenants"], tenants, wave, wave_name)
    plan = shard_plan(whole, shard)
    if shard is None:
        return plan, selection, ""
    k, n = shard
    if not plan.data["accounts"]:
        return plan, selection, f"shard {k}/{n} holds no account of plan {whole.plan_id}"
    if not selection.everything and not select_steps(plan.steps, selection).steps:
        return (
            plan,
            selection,
            f"shard {k}/{n} holds no step of {selection.describe()} (plan {whole.plan_id})",
        )
    return plan, selection, ""


def fingerprints_match(plan: Plan, live_prints: dict[str, str]) -> bool:
    """A shard's staleness check: its accounts' live fingerprints against those the plan recorded."""
    recorded = plan.data["inputs"].get("live_sha256_by_account")
    if not isinstance(recorded, dict):
        raise ApplyError(
            "this plan records no per-account live state (made by an older pinpoint-migrate): plan again "
            "to apply it by shards, or apply it without --shard/--processes"
        )
    return all(recorded.get(a) == live_prints.get(a) for a in plan.data["accounts"])


def changed_accounts(plan: Plan, live_prints: dict[str, str]) -> list[str]:
    recorded = plan.data["inputs"].get("live_sha256_by_account") or {}
    return [a for a in plan.data["accounts"] if recorded.get(a) != live_prints.get(a)]


# -- several shards at once -----------------------------------------------------------------------------


def _echo(label: str, line: str) -> None:
    print(f"[{label}] {line}", flush=True)


def _with_shard(options: Any, shard: Shard) -> Any:
    aws = options.aws
    aws = dataclasses.replace(aws, sessions=dataclasses.replace(aws.sessions, shard=shard))
    changes: dict[str, Any] = {"aws": aws, "echo": functools.partial(_echo, f"{shard[0]}/{shard[1]}")}
    names = {f.name for f in dataclasses.fields(options)}
    for name in ("journal_path", "out_path"):  # files named by the person: one per shard too
        if name in names and getattr(options, name) is not None:
            changes[name] = shard_path(Path(getattr(options, name)), shard)
    if "confirm" in names:  # the parent asked once for every shard
        changes.update(confirm=None, yes=True)
    if "after_step" in names:
        changes["after_step"] = None
    if "fill" in names:
        changes["fill"] = dataclasses.replace(options.fill, progress=False, stop=None)
    return dataclasses.replace(options, **changes)


def _run_one(runner: Callable[..., T], options: Any) -> T:
    if getattr(options, "fill", None) is not None and options.fill.stop is None:
        import threading

        options = dataclasses.replace(options, fill=dataclasses.replace(options.fill, stop=threading.Event()))
    return runner(options)


def run_shards(runner: Callable[..., T], options: Any, processes: int) -> list[T]:
    """`runner(options)` for shards 1..`processes` of `processes`, each in its own spawned process; the
    results in shard order. `runner` is `run_apply`, `run_verify` or `run_rollback` (module level, so a
    spawned process can import it)."""
    jobs = [_with_shard(options, (k, processes)) for k in range(1, processes + 1)]
    with ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn")) as pool:
        return list(pool.map(functools.partial(_run_one, runner), jobs))


# -- reading the shards back (report) -------------------------------------------------------------------


def merged_verify(paths: Sequence[Path], load: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """The verify results of several shards as one: every check, every tenant, passed only if all passed."""
    loaded = [load(p) for p in paths]
    merged = json.loads(json.dumps(loaded[0]))
    merged["steps"] = [c for found in loaded for c in found.get("steps", [])]
    tenants: dict[str, Any] = {}
    for found in loaded:
        tenants.update(found.get("tenants", {}))
    merged["tenants"] = dict(sorted(tenants.items()))
    for key, value in loaded[0].items():
        if isinstance(value, bool):
            merged[key] = all(bool(found.get(key)) for found in loaded)
        elif isinstance(value, int) and key not in ("schema_version",):
            merged[key] = sum(int(found.get(key) or 0) for found in loaded)
    merged["checked_at"] = max(str(found.get("checked_at", "")) for found in loaded)
    return merged
