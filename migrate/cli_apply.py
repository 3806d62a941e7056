"""`pinpoint-migrate apply`, `verify` and `rollback` (exit 0 done, 1 refused or failed)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from migrate.cli_json import apply_json, dumps, rollback_json, verify_json
from migrate.cli_options import (
    aws_options,
    fail_on_option,
    file_option,
    journal_option,
    legacy_out_option,
    now_option,
    output_option,
    plan_argument,
    refuse_demo_world,
    session_options,
    shard_count,
    shard_options,
    verbosity,
)
from migrate.exitcodes import BLOCKERS, ERROR, OK

_PLAN = plan_argument
_JOURNAL = journal_option()
_DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The scan's folder (inventory.json, optouts/); default: the plan's folder.",
)


def _selection(command: Any) -> Any:
    """`--tenant NAME` (repeatable) and `--wave FILE[:NAME]` / `--wave-name NAME`."""
    command = click.option(
        "--wave-name", default=None, metavar="NAME", help="The wave of --wave FILE to act on."
    )(command)
    command = click.option(
        "--wave",
        default=None,
        metavar="FILE[:NAME]",
        help="A wave file (TOML, [waves.NAME] tenants = [...]): act on that wave's tenants.",
    )(command)
    return click.option(
        "--tenant",
        "tenants",
        multiple=True,
        metavar="NAME",
        help="Act only on this tenant (slug, project name or application id) and the shared steps it needs; repeatable.",
    )(command)


def _selected(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"tenants": tuple(kwargs["tenants"]), "wave": kwargs["wave"], "wave_name": kwargs["wave_name"]}


@contextmanager
def _errors() -> Iterator[None]:
    from migrate.apply.errors import ApplyError
    from migrate.cli_errors import friendly_errors

    with friendly_errors():
        try:
            yield
        except ApplyError as exc:
            raise click.ClickException(str(exc)) from None


def _confirm(question: str) -> bool:
    from migrate.apply.errors import ApplyError

    if not sys.stdin.isatty():
        raise ApplyError(f"{question} needs an answer, but stdin is not a terminal: pass --yes to go ahead")
    return click.confirm(question, default=False)


def _echo(kwargs: dict[str, Any]) -> Any:
    """Where a run's running lines go: stdout, or stderr when stdout is the JSON document."""
    from migrate.progress import clear_active

    to_stderr = kwargs.get("output") == "json"

    def echo(line: str) -> None:
        clear_active()  # a progress line is taken off first: step lines never run into it
        click.echo(line, err=to_stderr)

    return echo


def _plan_blockers(plan_path: Path) -> int:
    from migrate.exitcodes import blocker_count
    from migrate.plan.planfile import load_plan

    return blocker_count(load_plan(plan_path).data)


def _aws(kwargs: dict[str, Any]) -> Any:
    from migrate.apply.clients import AwsOptions

    return AwsOptions(sessions=session_options(kwargs), quotas=tuple(kwargs["quotas"]), now=kwargs["now"])


@click.command()
@_PLAN
@click.option("--yes", is_flag=True, help="Apply without asking for confirmation.")
@click.option("--dry-run", is_flag=True, help="Print every call apply would make; make none.")
@click.option("--resume", is_flag=True, help="Continue an apply of this plan recorded in the journal.")
@click.option(
    "--refresh", is_flag=True, help="If the live state changed since the plan, re-plan and apply that."
)
@click.option(
    "--max-workers",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Independent steps run at once (each call still paced at its operation's request quota).",
)
@click.option(
    "--checkpoint-every",
    default=250,
    show_default=True,
    type=click.IntRange(1),
    help="Opt-outs per checkpoint.",
)
@_JOURNAL
@_DATA_DIR
@_selection
@fail_on_option
@output_option
@aws_options
@shard_options()
@now_option
@click.pass_context
def apply(ctx: click.Context, **kwargs: Any) -> None:
    """Carry out PLAN: create and configure the v2 resources, fill and verify opt-out lists first."""
    from migrate.apply.commands import ApplyOptions, run_apply
    from migrate.apply.kinds.base import FillSettings
    from migrate.runtime import aws_target

    if not kwargs["dry_run"]:
        refuse_demo_world(kwargs["emulator"], "apply")
    with _errors(), aws_target(kwargs["emulator"]) as emu:
        options = ApplyOptions(
            plan_path=kwargs["plan_path"],
            aws=_aws(kwargs),
            journal_path=kwargs["journal_path"],
            data_dir=kwargs["data_dir"],
            dry_run=kwargs["dry_run"],
            resume=kwargs["resume"],
            refresh=kwargs["refresh"],
            yes=kwargs["yes"],
            max_workers=kwargs["max_workers"],
            confirm=_confirm,
            echo=_echo(kwargs),
            fill=FillSettings(
                checkpoint_every=kwargs["checkpoint_every"], progress=False if verbosity() < 0 else None
            ),
            **_selected(kwargs),
        )
        processes = shard_count(kwargs, emu, 1)
        if processes > 1:
            from migrate.cli_shards import apply_shards

            raise SystemExit(apply_shards(options, processes, kwargs))  # not ctx.exit: friendly_errors
        result = run_apply(options, emulator=emu)
        blockers = _plan_blockers(kwargs["plan_path"]) if kwargs["fail_on"] else 0
        code = ERROR if not result.ok else BLOCKERS if blockers else OK
        if kwargs["output"] == "json":
            from migrate.plan.planfile import load_plan

            click.echo(dumps(apply_json(result, load_plan(kwargs["plan_path"]).data, code)))
        elif result.execution.outcomes:
            for line in result.summary():
                click.echo(line)
        if blockers and result.ok:
            click.echo(
                f"{blockers} blocker(s) remain in the plan (--fail-on blocker: exit {BLOCKERS})", err=True
            )
    ctx.exit(code)


@click.command()
@_PLAN
@click.option("--full", is_flag=True, help="Send the dry-run check to every opted-out number, not a sample.")
@click.option(
    "--sample",
    "sample_size",
    default=20,
    show_default=True,
    type=click.IntRange(1),
    help="Opted-out numbers per list checked with a dry-run send (without --full).",
)
@click.option(
    "--results",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The results file to write (default: verify.json beside the plan).",
)
@legacy_out_option("--results")
@_JOURNAL
@_DATA_DIR
@_selection
@fail_on_option
@output_option
@aws_options
@shard_options()
@now_option
@click.pass_context
def verify(ctx: click.Context, **kwargs: Any) -> None:
    """Check the live state against PLAN and that no opted-out number can be messaged from a tenant pool."""
    from migrate.apply.commands import VerifyOptions, run_verify
    from migrate.runtime import aws_target

    refuse_demo_world(kwargs["emulator"], "verify")
    with _errors(), aws_target(kwargs["emulator"]) as emu:
        options = VerifyOptions(
            plan_path=kwargs["plan_path"],
            aws=_aws(kwargs),
            journal_path=kwargs["journal_path"],
            data_dir=kwargs["data_dir"],
            out_path=kwargs["out_path"] or kwargs["legacy_out"],
            full=kwargs["full"],
            sample_size=kwargs["sample_size"],
            echo=_echo(kwargs),
            progress=False if verbosity() < 0 else None,
            **_selected(kwargs),
        )
        processes = shard_count(kwargs, emu, 1)
        if processes > 1:
            from migrate.cli_shards import verify_shards

            raise SystemExit(verify_shards(options, processes, kwargs))  # not ctx.exit: friendly_errors
        result = run_verify(options, emulator=emu)
        blockers = _plan_blockers(kwargs["plan_path"]) if kwargs["fail_on"] else 0
        code = ERROR if not result.passed else BLOCKERS if blockers else OK
        if kwargs["output"] == "json":
            click.echo(dumps(verify_json(result, code)))
        else:
            for line in result.table():
                click.echo(line)
    ctx.exit(code)


@click.command()
@file_option(
    "--journal",
    "journal_path",
    "The apply journal that records what this tool created.",
    Path("migration/journal.jsonl"),
    show_default=True,
)
@click.option("--plan-id", default=None, help="Only this plan's steps (default: every plan in the journal).")
@click.option("--yes", is_flag=True, help="Roll back without asking for confirmation.")
@click.option("--dry-run", is_flag=True, help="Print every call rollback would make; make none.")
@_selection
@output_option
@aws_options
@shard_options()
@now_option
@click.pass_context
def rollback(ctx: click.Context, **kwargs: Any) -> None:
    """Undo, newest first, what the journal records this tool did (only resources it made and still tags)."""
    from migrate.apply.commands import RollbackOptions, run_rollback
    from migrate.runtime import aws_target

    if not kwargs["dry_run"]:
        refuse_demo_world(kwargs["emulator"], "rollback")
    with _errors(), aws_target(kwargs["emulator"]) as emu:
        options = RollbackOptions(
            journal_path=kwargs["journal_path"],
            aws=_aws(kwargs),
            dry_run=kwargs["dry_run"],
            yes=kwargs["yes"],
            plan_id=kwargs["plan_id"],
            confirm=_confirm,
            echo=_echo(kwargs),
            progress=False if verbosity() < 0 else None,
            **_selected(kwargs),
        )
        processes = shard_count(kwargs, emu, 1)
        if processes > 1:
            from migrate.cli_shards import rollback_shards

            raise SystemExit(rollback_shards(options, processes, kwargs))  # not ctx.exit: friendly_errors
        if kwargs["shard"] is not None:  # the journal the apply of this shard wrote
            from migrate.apply.shards import shard_path

            options.journal_path = shard_path(Path(options.journal_path), kwargs["shard"])
        result = run_rollback(options, emulator=emu)
        code = OK if result.ok else ERROR
        if kwargs["output"] == "json":
            click.echo(dumps(rollback_json(result, code)))
        elif result.outcomes:
            for line in result.summary():
                click.echo(line)
    ctx.exit(code)
