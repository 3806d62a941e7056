"""The `pinpoint-migrate` command line: a thin click group; each command calls into the library."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import click

from migrate import __version__
from migrate.cli_errors import friendly_errors
from migrate.cli_options import common_options
from migrate.exitcodes import ERROR

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


@click.group(cls=FlowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pinpoint-migrate")
def cli() -> None:
    """Move Amazon Pinpoint SMS/voice onto AWS End User Messaging SMS and Voice v2.

    The flow is scan -> plan -> apply -> verify -> report; see the README.
    """


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
    from migrate.cli_report import demo, report, runbook
    from migrate.cli_rewrite import rewrite
    from migrate.cli_scan import scan

    for command in (demo, scan, report, runbook):
        cli.add_command(command)
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
