"""The `pinpoint-migrate` command line: a thin click group; each command calls into the library."""

from __future__ import annotations

import copy
import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from migrate import __version__
from migrate.cli_options import (
    aws_options,
    common_options,
    now_option,
    out_option,
    session_options,
    verbosity,
)
from migrate.exitcodes import ERROR

# Errors whose message is meant for a person: shown as one line, exit 1, no traceback.
_USER_ERROR_NAMES = (
    ("migrate.aws.ratelimit", "QuotaError"),
    ("migrate.aws.sessions", "SessionError"),
    ("migrate.clock", "ClockError"),
    ("migrate.emulator", "WorldFileError"),
    ("migrate.inventory.snapshot", "InventoryError"),
    ("migrate.inventory.extras", "ExtrasError"),
    ("migrate.inventory.suppression", "SuppressionFileError"),
    ("migrate.runtime", "RuntimeSetupError"),
    ("migrate.plan.errors", "PlanError"),
    ("migrate.report.commands", "ReportError"),
    ("migrate.apply.errors", "ApplyError"),
    ("migrate.iac.errors", "IacError"),
    ("migrate.aws.regions", "RegionNameError"),
    ("migrate.resources", "UnknownRunbook"),
)

# `--help` lists the commands as the flow runs, not alphabetically.
FLOW_ORDER = (
    "demo", "scan", "plan", "apply", "verify", "rollback", "report", "export-iac", "rewrite", "runbook",
    "emulator",
)  # fmt: skip


class _UsageError(click.UsageError):
    exit_code = ERROR


class FlowGroup(click.Group):
    """The top-level group: commands in flow order, and usage errors exit 1 (click's default 2 means
    "changes pending" in this tool's exit-code table, see migrate/exitcodes.py)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = [n for n in self.commands if not self.commands[n].hidden]
        rank = {name: i for i, name in enumerate(FLOW_ORDER)}
        return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise _UsageError(exc.format_message(), exc.ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        from migrate import progress

        progress.set_default_enabled(None)  # -q of an earlier command in this process does not stick
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _UsageError(exc.format_message(), exc.ctx) from None


def _user_errors() -> tuple[type[BaseException], ...]:
    """The user-facing error classes of the modules that can be imported (a broken one is a bug, and
    its own ImportError is reported as unexpected, not hidden)."""
    found: list[type[BaseException]] = []
    for module_name, class_name in _USER_ERROR_NAMES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        cls = getattr(module, class_name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


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


@click.group(cls=FlowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pinpoint-migrate")
def cli() -> None:
    """Move Amazon Pinpoint SMS/voice onto AWS End User Messaging SMS and Voice v2.

    The flow is scan -> plan -> apply -> verify -> report; see the README.
    """


@cli.command()
@aws_options
@out_option
@now_option
@click.option(
    "--max-workers",
    default=32,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Sections read at once (each still paced at its operation's request quota).",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["json", "csv"]),
    default=("json",),
    help="What to write besides inventory.json: csv adds one table per record kind in OUT/csv (repeatable).",
)
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
    "--optouts",
    "optouts",
    multiple=True,
    metavar="[APP_ID=]FILE",
    help="Opted-out numbers from your own systems: a CSV with a phone, phone_number, number or destination "
    "column, or one number a line; without APP_ID= for every project (repeatable).",
)
@click.option(
    "--cloudtrail-days",
    default=0,
    type=click.IntRange(0, 90),
    show_default=True,
    help="Summarise CloudTrail calls of the old send APIs over this many days (0: off).",
)
@click.option(
    "--account",
    "accounts",
    multiple=True,
    metavar="ACCOUNT_ID",
    help="Scan only this account of those the credentials reach (repeatable).",
)
@click.option(
    "--app-id", "app_ids", multiple=True, metavar="APP_ID", help="Scan only this Pinpoint project (repeatable)."
)
@click.option(
    "--shard",
    default=None,
    metavar="K/N",
    help="Scan only shard K of N of the accounts (a stable hash of the account id); merge the shards' "
    "inventories with `plan --inventory A --inventory B ...`.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Go on from OUT/scan.journal.jsonl after an interrupted scan (same options): parts already "
    "scanned (account x region) are not read again; the inventory comes out as an uninterrupted scan's.",
)
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Scan the accounts as this many shards in parallel processes, merged into one inventory (against "
    "AWS or `emulator serve`; an in-process --emulator world cannot be shared).",
)
def scan(**kwargs: Any) -> None:
    """Read everything the migration depends on, changing nothing, into OUT/inventory.json."""
    import dataclasses

    from migrate.aws.sessions import parse_shard
    from migrate.inventory.run import ScanOptions, run_scan, summary_lines
    from migrate.runtime import aws_target

    with friendly_errors(), aws_target(kwargs["emulator"]) as emu:
        sessions = dataclasses.replace(
            session_options(kwargs),
            accounts=tuple(kwargs["accounts"]),
            shard=parse_shard(kwargs["shard"]) if kwargs["shard"] else None,
        )
        options = ScanOptions(
            app_ids=tuple(kwargs["app_ids"]),
            resume=kwargs["resume"],
            out_dir=kwargs["out_dir"],
            sessions=sessions,
            regions=tuple(kwargs["regions"]),
            quotas=tuple(kwargs["quotas"]),
            max_workers=kwargs["max_workers"],
            now=kwargs["now"],
            csv="csv" in kwargs["formats"],
            progress=False if verbosity() < 0 else None,
            endpoints_exports=tuple(kwargs["endpoints_exports"]),
            export_endpoints=kwargs["export_endpoints"],
            export_role=kwargs["export_role"],
            export_bucket=kwargs["export_bucket"],
            code=tuple(kwargs["code"]),
            cloudtrail_days=kwargs["cloudtrail_days"],
            optouts=tuple(kwargs["optouts"]),
        )
        if kwargs["processes"] > 1:
            if emu is not None:
                raise click.ClickException(
                    "--processes with --emulator: an in-process emulator world cannot be shared between "
                    "processes; serve it (`pinpoint-migrate emulator serve --world FILE`) and set "
                    "AWS_ENDPOINT_URL, or scan with --processes 1"
                )
            from migrate.inventory.processes import scan_in_processes

            outcome = scan_in_processes(options, kwargs["processes"])
        else:
            outcome = run_scan(options, emulator=emu)
        # -v lists each call that failed or was retired, not only the summary
        for line in summary_lines(outcome, verbose=verbosity() >= 1):
            if verbosity() >= 0 or not line.startswith("note:"):
                click.echo(line)
        empty_shard = sessions.shard is not None and not outcome.inventory.sections
        if not outcome.readable() and not empty_shard:  # a shard may hold no account: nothing to read
            raise click.ClickException(
                f"no section could be read in {len(outcome.inventory.sections)} tried (see the lines above); "
                f"{outcome.path} records why"
            )


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("pinpoint-migrate-demo"),
    show_default=True,
    help="Folder for the demo's world file, migration/ (inventory, plan) and reports/.",
)
@click.option(
    "--before-end-of-support",
    is_flag=True,
    help="Run the demo account as it was on 2026-10-28, before Pinpoint's end of support (export jobs run).",
)
def demo(out_dir: Path, before_end_of_support: bool) -> None:
    """Run scan -> plan -> apply --dry-run -> report on the built-in demo account; print the report's path."""
    from migrate.demo import run_demo

    with friendly_errors():
        result = run_demo(out_dir, echo=click.echo, before_end_of_support=before_end_of_support)
    click.echo(str(result.report.resolve()))


@cli.command()
@click.option(
    "--inventory",
    "inventory_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("migration/inventory.json"),
    show_default=True,
    help="The scan's inventory (it must be the one the plan was computed from).",
)
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("migration/plan.json"),
    show_default=True,
    help="The plan to report on.",
)
@click.option(
    "--journal",
    "journal_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The apply journal (default: journal.jsonl beside the plan, when there is one).",
)
@click.option(
    "--verify",
    "verify_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="verify's results (default: verify.json beside the plan, when there is one).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder for readiness.html, readiness.json and the CSV tables.",
)
@click.option("--show-numbers", is_flag=True, help="Do not mask phone numbers (files are then mode 0600).")
@click.option(
    "--overrides",
    "overrides_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="overrides.toml whose [progress.CODE] dates (submitted on, approved on, expected by) shorten the schedule.",
)
@click.option(
    "--checklist",
    "checklist_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A checklist record exported from the report page (JSON): the report shows who did what.",
)
@click.option(
    "--waves",
    "waves_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A wave file (plan waves writes one): the report shows each wave's and tenant's status.",
)
@click.option(
    "--rewrite",
    "rewrite_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="rewrite.json from `pinpoint-migrate rewrite`: each call site links to its rewrite or the reason it was left.",
)
@now_option
def report(**kwargs: Any) -> None:
    """Write the readiness report (readiness.html, readiness.json and CSV tables) to OUT."""
    from migrate.report.commands import run_report

    with friendly_errors():
        result = run_report(
            kwargs["inventory_path"], kwargs["plan_path"], kwargs["out_dir"], journal_path=kwargs["journal_path"],
            verify_path=kwargs["verify_path"], show_numbers=kwargs["show_numbers"], now=kwargs["now"],
            overrides_path=kwargs["overrides_path"], checklist_path=kwargs["checklist_path"],
            rewrite_path=kwargs["rewrite_path"], waves_path=kwargs["waves_path"],
        )  # fmt: skip
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
        for path in result.files:
            click.echo(f"wrote {path}")
    click.echo(str(result.html))


@cli.command("runbook")
@click.argument("code", required=False)
@click.option("--list", "list_codes", is_flag=True, help="List the finding codes that have a runbook.")
def runbook(code: str | None, list_codes: bool) -> None:
    """Print the runbook of finding CODE (what a person must do, step by step), wherever installed."""
    from migrate.resources import runbook_codes, runbook_text

    with friendly_errors():
        if list_codes or not code:
            for name in runbook_codes():
                click.echo(name)
            return
        click.echo(runbook_text(code), nl=False)


@cli.command("emulator-info", hidden=True)
def emulator_info() -> None:
    """Show what the built-in AWS emulator serves (operations per service)."""
    from migrate.emulator.registry import served_operations

    for service, operations in sorted(served_operations().items()):
        click.echo(f"{service}: {len(operations)} operations")


@cli.command("emulator-save-demo", hidden=True)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def emulator_save_demo(path: Path) -> None:
    """Write the built-in demo world to PATH (use it with --emulator PATH on every command)."""
    from migrate.emulator import Emulator

    with friendly_errors(), Emulator.demo() as emu:
        emu.save(path)
    click.echo(str(path))


def _register() -> None:
    from migrate.cli_apply import apply, rollback, verify
    from migrate.cli_emulator import emulator_group
    from migrate.cli_iac import export_iac
    from migrate.cli_plan import plan
    from migrate.cli_rewrite import rewrite

    cli.add_command(plan)
    cli.add_command(export_iac)
    cli.add_command(apply)
    cli.add_command(verify)
    cli.add_command(rollback)
    cli.add_command(rewrite)
    for legacy, name in ((emulator_info, "info"), (emulator_save_demo, "save-demo")):
        visible = copy.copy(legacy)  # `emulator info` / `emulator save-demo`; the old names stay, hidden
        visible.name, visible.hidden, visible.params = name, False, list(legacy.params)
        emulator_group.add_command(visible, name)
    cli.add_command(emulator_group)
    common_options(cli)


_register()


def main() -> None:
    cli()
