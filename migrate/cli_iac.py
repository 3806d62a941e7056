"""`pinpoint-migrate export-iac`: the plan's desired v2 state as CloudFormation or Terraform."""

from __future__ import annotations

from pathlib import Path

import click

from migrate.cli_options import folder_option


@click.command("export-iac")
@click.argument(
    "plan_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("migration/plan.json")
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["cloudformation", "terraform"]),
    required=True,
    help="What to write.",
)
@folder_option("Folder for the templates and their README.", Path("migration/iac"))
@click.option(
    "--inventory",
    "inventory_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The inventory the plan was computed from [default: inventory.json beside the plan].",
)
def export_iac(plan_path: Path, fmt: str, out_dir: Path, inventory_path: Path | None) -> None:
    """Write the plan's v2 resources as templates in OUT, with a README of what they cannot express."""
    from migrate.cli_errors import friendly_errors
    from migrate.iac.commands import run_export_iac

    with friendly_errors():
        for path in run_export_iac(plan_path, fmt, out_dir, inventory_path):
            click.echo(f"wrote {path}")
