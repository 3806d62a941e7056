"""`pinpoint-migrate demo`, `report` and `runbook`: what people read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from migrate.cli_errors import friendly_errors
from migrate.cli_options import file_option, folder_option, journal_option, now_option


def _echo(line: str) -> None:
    from migrate.progress import clear_active

    clear_active()  # a stage's line never runs into a progress line
    click.echo(line)


@click.command()
@folder_option(
    "Folder for the demo's world file, migration/ (inventory, plan) and reports/.",
    Path("pinpoint-migrate-demo"),
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
        result = run_demo(
            out_dir, echo=_echo, before_end_of_support=before_end_of_support, progress=None
        )  # progress on a terminal only (-q: never)
    click.echo(str(result.report.resolve()))


@click.command()
@file_option(
    "--inventory",
    "inventory_path",
    "The scan's inventory (it must be the one the plan was computed from).",
    Path("migration/inventory.json"),
    show_default=True,
)
@file_option("--plan", "plan_path", "The plan to report on.", Path("migration/plan.json"), show_default=True)
@journal_option(
    "The apply journal (default: journal.jsonl beside the plan, and the journal.K-of-N.jsonl of an apply by "
    "shards, when there are)."
)
@file_option(
    "--verify",
    "verify_path",
    "verify's results (default: verify.json beside the plan, or every shard's verify.K-of-N.json, when there are).",
)
@folder_option("Folder for readiness.html, readiness.json and the CSV tables.", Path("reports"))
@click.option("--show-numbers", is_flag=True, help="Do not mask phone numbers (files are then mode 0600).")
@file_option(
    "--overrides",
    "overrides_path",
    "overrides.toml whose [progress.CODE] dates (submitted on, approved on, expected by) shorten the schedule.",
)
@file_option(
    "--checklist",
    "checklist_path",
    "A checklist record exported from the report page (JSON): the report shows who did what.",
)
@file_option(
    "--waves",
    "waves_path",
    "A wave file (plan waves writes one): the report shows each wave's and tenant's status.",
)
@file_option(
    "--rewrite",
    "rewrite_path",
    "rewrite.json from `pinpoint-migrate rewrite`: each call site links to its rewrite or the reason it was left.",
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


@click.command("runbook")
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
