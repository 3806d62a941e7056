"""`pinpoint-migrate apply`, `verify` and `rollback` (exit 0 done, 1 refused or failed)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from migrate.cli_options import aws_options, now_option, session_options

_PLAN = click.argument(
    "plan_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("migration/plan.json")
)
_JOURNAL = click.option(
    "--journal",
    "journal_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The apply journal (default: journal.jsonl beside the plan).",
)
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
    from migrate.cli import friendly_errors

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
@click.option("--max-workers", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--checkpoint-every",
    default=250,
    show_default=True,
    type=click.IntRange(1),
    help="Opt-outs per checkpoint.",
)
@click.option("--quiet", is_flag=True, help="No progress display (it is off anyway when not on a terminal).")
@_JOURNAL
@_DATA_DIR
@_selection
@aws_options
@now_option
@click.pass_context
def apply(ctx: click.Context, **kwargs: Any) -> None:
    """Carry out PLAN: create and configure the v2 resources, fill and verify opt-out lists first."""
    from migrate.apply.commands import ApplyOptions, run_apply
    from migrate.apply.kinds.base import FillSettings
    from migrate.runtime import aws_target

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
            echo=click.echo,
            fill=FillSettings(
                checkpoint_every=kwargs["checkpoint_every"], progress=False if kwargs["quiet"] else None
            ),
            **_selected(kwargs),
        )
        result = run_apply(options, emulator=emu)
        if result.execution.outcomes:
            for line in result.summary():
                click.echo(line)
    ctx.exit(0 if result.ok else 1)


@click.command()
@_PLAN
@click.option("--full", is_flag=True, help="Send the dry-run check to every opted-out number, not a sample.")
@click.option("--sample", "sample_size", default=20, show_default=True, type=click.IntRange(1))
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the results (default: verify.json beside the plan).",
)
@_JOURNAL
@_DATA_DIR
@_selection
@aws_options
@now_option
@click.pass_context
def verify(ctx: click.Context, **kwargs: Any) -> None:
    """Check the live state against PLAN and that no opted-out number can be messaged from a tenant pool."""
    from migrate.apply.commands import VerifyOptions, run_verify
    from migrate.runtime import aws_target

    with _errors(), aws_target(kwargs["emulator"]) as emu:
        options = VerifyOptions(
            plan_path=kwargs["plan_path"],
            aws=_aws(kwargs),
            journal_path=kwargs["journal_path"],
            data_dir=kwargs["data_dir"],
            out_path=kwargs["out_path"],
            full=kwargs["full"],
            sample_size=kwargs["sample_size"],
            echo=click.echo,
            **_selected(kwargs),
        )
        result = run_verify(options, emulator=emu)
        for line in result.table():
            click.echo(line)
    ctx.exit(0 if result.passed else 1)


@click.command()
@click.option(
    "--journal",
    "journal_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("migration/journal.jsonl"),
    show_default=True,
)
@click.option("--plan-id", default=None, help="Only this plan's steps (default: every plan in the journal).")
@click.option("--yes", is_flag=True, help="Roll back without asking for confirmation.")
@click.option("--dry-run", is_flag=True, help="Print every call rollback would make; make none.")
@_selection
@aws_options
@now_option
@click.pass_context
def rollback(ctx: click.Context, **kwargs: Any) -> None:
    """Undo, newest first, what the journal records this tool did (only resources it made and still tags)."""
    from migrate.apply.commands import RollbackOptions, run_rollback
    from migrate.runtime import aws_target

    with _errors(), aws_target(kwargs["emulator"]) as emu:
        options = RollbackOptions(
            journal_path=kwargs["journal_path"],
            aws=_aws(kwargs),
            dry_run=kwargs["dry_run"],
            yes=kwargs["yes"],
            plan_id=kwargs["plan_id"],
            confirm=_confirm,
            echo=click.echo,
            **_selected(kwargs),
        )
        result = run_rollback(options, emulator=emu)
        if result.outcomes:
            for line in result.summary():
                click.echo(line)
    ctx.exit(0 if result.ok else 1)
