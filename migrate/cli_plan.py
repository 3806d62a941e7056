"""`pinpoint-migrate plan`, `plan show` and `plan permissions`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from migrate.cli_options import aws_options, now_option, session_options


@click.group(invoke_without_command=True)
@click.option(
    "--inventory",
    "inventory_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("migration/inventory.json"),
    show_default=True,
)
@click.option(
    "--overrides",
    "overrides_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="overrides.toml: tenant names, strategies, number owners, event-stream targets, tags…",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("migration/plan.json"),
    show_default=True,
)
@click.option(
    "--export-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write what v2 cannot hold (campaigns, journeys, segments, templates) here.",
)
@click.option("--offline", is_flag=True, help="Plan against the v2 state recorded in the inventory.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 0 nothing to do, 2 changes pending, 1 error.")
@aws_options
@now_option
@click.pass_context
def plan(ctx: click.Context, **kwargs: Any) -> None:
    """Compute OUT (plan.json): what apply will do, and every finding a person must act on."""
    if ctx.invoked_subcommand is not None:
        return
    from migrate.cli import friendly_errors
    from migrate.inventory.run import ScanOptions, scan_live_v2
    from migrate.inventory.snapshot import load_inventory
    from migrate.plan.commands import run_plan
    from migrate.runtime import aws_target

    with friendly_errors():
        live = None
        if not kwargs["offline"]:
            inventory = load_inventory(kwargs["inventory_path"])
            with aws_target(kwargs["emulator"]) as emu:
                options = ScanOptions(
                    sessions=session_options(kwargs),
                    quotas=tuple(kwargs["quotas"]),
                    now=kwargs["now"],
                    progress=False,
                )
                live = scan_live_v2(options, inventory, emulator=emu)
        result = run_plan(
            kwargs["inventory_path"],
            kwargs["overrides_path"],
            kwargs["out_path"],
            kwargs["offline"],
            live_inventory=live,
            export_dir=kwargs["export_dir"],
        )
        click.echo(result.text)
        for path in result.exports:
            click.echo(f"exported {path}")
        click.echo(f"wrote {result.path}")
    ctx.exit(result.exit_code(kwargs["detailed_exitcode"]))


@plan.command("show")
@click.argument(
    "plan_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("migration/plan.json")
)
@click.option("--unchanged/--no-unchanged", default=True, help="List resources with nothing to do too.")
def plan_show(plan_path: Path, unchanged: bool) -> None:
    """Print a saved plan's summary again."""
    from migrate.cli import friendly_errors
    from migrate.plan.commands import show_plan

    with friendly_errors():
        click.echo(show_plan(plan_path, unchanged=unchanged))


@plan.command("permissions")
@click.argument(
    "plan_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("migration/plan.json")
)
def plan_permissions_cmd(plan_path: Path) -> None:
    """Print the least-privilege IAM policy that `apply` needs for this plan."""
    from migrate.cli import friendly_errors
    from migrate.plan.commands import plan_permissions

    with friendly_errors():
        click.echo(plan_permissions(plan_path))
