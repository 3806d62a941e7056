"""`pinpoint-migrate rewrite`: write a patch moving the old send calls to v2 (in place only with --write)."""

from __future__ import annotations

from pathlib import Path

import click

from migrate.cli_options import legacy_out_option


@click.command()
@click.option(
    "--code",
    multiple=True,
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Source tree (or file) with the old send calls (repeatable).",
)
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=Path("migration/plan.json"),
    show_default=True,
    help="The plan: each tenant's application id and configuration set.",
)
@click.option(
    "--patch",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The patch file to write (default: rewrite.patch beside the plan; rewrite.json beside it).",
)
@legacy_out_option("--patch")
@click.option("--write", is_flag=True, help="Also change the files in place.")
def rewrite(
    code: tuple[Path, ...], plan_path: Path, out_path: Path | None, legacy_out: Path | None, write: bool
) -> None:
    """Rewrite Python calls of Pinpoint SendMessages / v1 SendVoiceMessage to v2 (a patch; JS and CLI in notes)."""
    from migrate.cli_errors import friendly_errors
    from migrate.rewrite.run import run_rewrite

    with friendly_errors():
        result = run_rewrite(code, plan_path, out_path or legacy_out, write=write)
    for line in result.summary():
        click.echo(line)
