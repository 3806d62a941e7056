"""`pinpoint-migrate scan`: read everything the migration depends on, changing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from migrate.cli_errors import friendly_errors
from migrate.cli_options import aws_options, now_option, out_option, session_options, verbosity


@click.command()
@aws_options
@out_option
@now_option
@click.option(
    "--max-workers",
    default=0,
    type=click.IntRange(0, 256),
    help="Sections read at once (each still paced at its operation's request quota); default 32 plus 4 "
    "per account and region, at most 256.",
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
    "--app-id",
    "app_ids",
    multiple=True,
    metavar="APP_ID",
    help="Scan only this Pinpoint project (repeatable).",
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
        # a shard may hold no account (N above the accounts, or none of --account): nothing to read, a success
        empty_shard = sessions.shard is not None and not outcome.inventory.accounts
        if empty_shard and sessions.shard is not None:
            k, n = sessions.shard
            click.echo(f"shard {k}/{n} holds no account to scan: nothing to do")
        if not outcome.readable() and not empty_shard:
            raise click.ClickException(
                f"no section could be read in {len(outcome.inventory.sections)} tried (see the lines above); "
                f"{outcome.path} records why"
            )
