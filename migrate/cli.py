"""The `pinpoint-migrate` command line: a thin click group; each command calls into the library."""

from __future__ import annotations

import click

from migrate import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pinpoint-migrate")
def cli() -> None:
    """Move Amazon Pinpoint SMS/voice onto AWS End User Messaging SMS and Voice v2.

    The flow is scan -> plan -> apply -> verify -> report; see the README.
    """


@cli.command("emulator-info")
def emulator_info() -> None:
    """Show what the built-in AWS emulator serves (operations per service)."""
    from migrate.emulator.registry import served_operations

    for service, operations in sorted(served_operations().items()):
        click.echo(f"{service}: {len(operations)} operations")


def main() -> None:
    cli()
