"""`apply`, `verify` and `rollback --processes N`: the shards run at once, their lines and outcome shown here.

The work is `migrate.apply.shards.run_shards`; this module asks once for every shard (the children run
with --yes) and prints each shard's summary under its label, so the command reads as one run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from migrate.cli_json import apply_json, dumps, rollback_json, verify_json
from migrate.exitcodes import BLOCKERS, ERROR, OK


def _ask(options: Any, what: str) -> None:
    from migrate.apply.errors import ApplyError

    if options.yes or options.dry_run:
        return
    if options.confirm is None or not options.confirm(what):
        raise ApplyError("nothing was changed")


def _blockers(plan: Any, kwargs: dict[str, Any]) -> int:
    from migrate.exitcodes import blocker_count

    return blocker_count(plan.data) if kwargs.get("fail_on") else 0


def apply_shards(options: Any, processes: int, kwargs: dict[str, Any]) -> int:
    from migrate.apply.commands import run_apply
    from migrate.apply.shards import run_shards
    from migrate.plan.planfile import load_plan

    plan = load_plan(Path(options.plan_path))
    options.echo(
        f"plan {plan.plan_id}: its {len(plan.data['accounts'])} account(s) as {processes} shards in {processes} "
        f"processes; each shard keeps its journal beside the plan (journal.K-of-{processes}.jsonl)"
    )
    _ask(options, f"Apply plan {plan.plan_id} in {processes} processes?")
    results = run_shards(run_apply, options, processes)
    blockers = _blockers(plan, kwargs)
    code = ERROR if not all(r.ok for r in results) else BLOCKERS if blockers else OK
    if kwargs.get("output") == "json":
        click.echo(dumps({"shards": [apply_json(r, plan.data, code) for r in results], "exit_code": code}))
        return code
    for k, result in enumerate(results, start=1):
        for line in result.summary() if result.execution.outcomes else []:
            click.echo(f"[{k}/{processes}] {line}")
    return code


def verify_shards(options: Any, processes: int, kwargs: dict[str, Any]) -> int:
    from migrate.apply.shards import run_shards
    from migrate.apply.verify import run_verify
    from migrate.plan.planfile import load_plan

    results = run_shards(run_verify, options, processes)
    code = (
        ERROR
        if not all(r.passed for r in results)
        else BLOCKERS
        if _blockers(load_plan(Path(options.plan_path)), kwargs)
        else OK
    )
    if kwargs.get("output") == "json":
        click.echo(dumps({"shards": [verify_json(r, code) for r in results], "exit_code": code}))
        return code
    for k, result in enumerate(results, start=1):
        for line in result.table():
            click.echo(f"[{k}/{processes}] {line}")
    return code


def rollback_shards(options: Any, processes: int, kwargs: dict[str, Any]) -> int:
    from migrate.apply.rollback import run_rollback
    from migrate.apply.shards import run_shards, shard_path

    journals = [shard_path(Path(options.journal_path), (k, processes)) for k in range(1, processes + 1)]
    absent = [str(p) for p in journals if not p.is_file()]
    if absent and not options.dry_run:
        raise click.ClickException(
            f"--processes {processes}: no journal {', '.join(absent)}; roll back with the --processes (or "
            "--shard K/N) the apply ran with"
        )
    _ask(options, f"Roll back what the journals of {processes} shards record?")
    results = run_shards(run_rollback, options, processes)
    code = OK if all(r.ok for r in results) else ERROR
    if kwargs.get("output") == "json":
        click.echo(dumps({"shards": [rollback_json(r, code) for r in results], "exit_code": code}))
        return code
    for k, result in enumerate(results, start=1):
        for line in result.summary() if result.outcomes else []:
            click.echo(f"[{k}/{processes}] {line}")
    return code
