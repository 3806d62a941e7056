"""The `pinpoint-migrate` command line: a thin click group; each command calls into the library."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from migrate import __version__
from migrate.cli_options import aws_options, now_option, out_option, session_options

# Errors whose message is meant for a person: shown as one line, exit 1, no traceback.
_USER_ERRORS: tuple[type[BaseException], ...] = ()


def _user_errors() -> tuple[type[BaseException], ...]:
    global _USER_ERRORS
    if not _USER_ERRORS:
        from migrate.aws.ratelimit import QuotaError
        from migrate.aws.sessions import SessionError
        from migrate.clock import ClockError
        from migrate.emulator import WorldFileError
        from migrate.inventory.extras import ExtrasError
        from migrate.inventory.snapshot import InventoryError
        from migrate.plan.errors import PlanError
        from migrate.runtime import RuntimeSetupError

        _USER_ERRORS = (
            QuotaError,
            SessionError,
            ClockError,
            WorldFileError,
            InventoryError,
            RuntimeSetupError,
            ExtrasError,
            PlanError,
        )
    return _USER_ERRORS


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn failures into a message a person understands and a non-zero exit, never a traceback."""
    try:
        yield
    except click.ClickException:
        raise
    except KeyboardInterrupt:
        click.echo("interrupted; work done so far is kept (re-run to resume)", err=True)
        sys.exit(130)
    except Exception as exc:
        if isinstance(exc, _user_errors()):
            raise click.ClickException(str(exc)) from None
        if os.environ.get("PINPOINT_MIGRATE_DEBUG"):
            raise
        raise click.ClickException(
            f"unexpected {type(exc).__name__}: {exc} (set PINPOINT_MIGRATE_DEBUG=1 for the traceback)"
        ) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pinpoint-migrate")
def cli() -> None:
    """Move Amazon Pinpoint SMS/voice onto AWS End User Messaging SMS and Voice v2.

    The flow is scan -> plan -> apply -> verify -> report; see the README.
    """


@cli.command()
@aws_options
@out_option
@now_option
@click.option("--max-workers", default=32, show_default=True, type=click.IntRange(1, 256))
@click.option("--format", "formats", multiple=True, type=click.Choice(["json", "csv"]), default=("json",))
@click.option("--quiet", is_flag=True, help="No progress display (it is off anyway when not on a terminal).")
@click.option(
    "--endpoints-export",
    "endpoints_exports",
    multiple=True,
    metavar="[APP_ID=]s3://BUCKET/PREFIX/",
    help="Read opt-outs from an existing Pinpoint endpoint export (repeatable).",
)
@click.option(
    "--export-endpoints", is_flag=True, help="Start an endpoint export job per project (writes to S3)."
)
@click.option("--export-role", default="", metavar="ARN", help="Role Pinpoint uses to write the exports.")
@click.option("--export-bucket", default="", metavar="s3://BUCKET/PREFIX/", help="Where export jobs write.")
@click.option(
    "--code",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Source tree to search for calls of the old send APIs (repeatable).",
)
@click.option(
    "--cloudtrail-days",
    default=0,
    type=click.IntRange(0, 90),
    show_default=True,
    help="Summarise CloudTrail calls of the old send APIs over this many days (0: off).",
)
def scan(**kwargs: Any) -> None:
    """Read everything the migration depends on, changing nothing, into OUT/inventory.json."""
    from migrate.inventory.run import ScanOptions, run_scan, summary_lines
    from migrate.runtime import aws_target

    with friendly_errors(), aws_target(kwargs["emulator"]) as emu:
        options = ScanOptions(
            out_dir=kwargs["out_dir"],
            sessions=session_options(kwargs),
            regions=tuple(kwargs["regions"]),
            quotas=tuple(kwargs["quotas"]),
            max_workers=kwargs["max_workers"],
            now=kwargs["now"],
            csv="csv" in kwargs["formats"],
            progress=False if kwargs["quiet"] else None,
            endpoints_exports=tuple(kwargs["endpoints_exports"]),
            export_endpoints=kwargs["export_endpoints"],
            export_role=kwargs["export_role"],
            export_bucket=kwargs["export_bucket"],
            code=tuple(kwargs["code"]),
            cloudtrail_days=kwargs["cloudtrail_days"],
        )
        outcome = run_scan(options, emulator=emu)
        for line in summary_lines(outcome):
            click.echo(line)


@cli.command("emulator-info")
def emulator_info() -> None:
    """Show what the built-in AWS emulator serves (operations per service)."""
    from migrate.emulator.registry import served_operations

    for service, operations in sorted(served_operations().items()):
        click.echo(f"{service}: {len(operations)} operations")


@cli.command("emulator-save-demo")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def emulator_save_demo(path: Path) -> None:
    """Write the built-in demo world to PATH (use it with --emulator PATH)."""
    from migrate.emulator import Emulator

    with friendly_errors(), Emulator.demo() as emu:
        emu.save(path)
    click.echo(str(path))


def _register() -> None:
    from migrate.cli_plan import plan

    cli.add_command(plan)


_register()


def main() -> None:
    cli()
