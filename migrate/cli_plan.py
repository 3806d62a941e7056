"""`pinpoint-migrate plan`, `plan show` and `plan permissions`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from migrate.cli_options import (
    aws_options,
    fail_on_option,
    file_option,
    folder_option,
    now_option,
    output_option,
    plan_argument,
    session_options,
    shard_count,
    shard_options,
    verbosity,
)
from migrate.exitcodes import plan_exit_code


@click.group(invoke_without_command=True)
@click.option(
    "--inventory",
    "inventory_paths",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="The scan's inventory to plan from [default: migration/inventory.json]; repeat it with the "
    "inventories of a sharded scan (scan --shard K/N): they are merged into inventory.json beside the plan.",
)
@file_option(
    "--overrides",
    "overrides_path",
    "overrides.toml: tenant names, strategies, number owners, event-stream targets, tags…",
)
@folder_option(
    "Folder the plan is written to (OUT/plan.json), as every command's --out is a folder.", Path("migration")
)
@file_option(
    "--plan-file",
    "plan_file",
    "The plan file to write instead of OUT/plan.json (never one an apply journal refers to).",
)
@click.option(
    "--export-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write what v2 cannot hold (campaigns, journeys, segments, templates) here.",
)
@click.option("--offline", is_flag=True, help="Plan against the v2 state recorded in the inventory.")
@click.option(
    "--missing",
    "missing_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The missing-numbers file `verify --full` wrote: plan a refill of exactly those numbers per list.",
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 0 nothing to do, 2 steps pending, 1 error (as Terraform)."
)
@click.option(
    "--live",
    "live_paths",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="Plan against these live v2 states (each `plan --shard K/N` writes OUT/live.K-of-N.json) merged, "
    "instead of reading v2 now.",
)
@fail_on_option
@aws_options
@shard_options(default_processes=None)
@now_option
@click.pass_context
def plan(ctx: click.Context, **kwargs: Any) -> None:
    """Compute OUT/plan.json: what apply will do, and every finding a person must act on."""
    if ctx.invoked_subcommand is not None:
        return
    from migrate.cli_errors import friendly_errors
    from migrate.inventory.run import ScanOptions, scan_live_v2
    from migrate.inventory.snapshot import load_inventory
    from migrate.plan.commands import run_plan
    from migrate.runtime import aws_target

    with friendly_errors():
        kwargs["inventory_path"] = _one_inventory(kwargs["inventory_paths"], _plan_file(kwargs))
        if kwargs["missing_path"] is not None:  # a bad file is refused before the live scan, not after
            from migrate.plan.missing import read_missing

            read_missing(kwargs["missing_path"])
        live = None
        if kwargs["shard"] is not None and (kwargs["offline"] or kwargs["live_paths"]):
            raise click.UsageError(
                "--shard K/N reads a share of the live v2 state: not with --offline or --live"
            )
        if kwargs["live_paths"] and not kwargs["offline"]:
            from migrate.inventory.merge import merge_inventories

            live = merge_inventories(kwargs["live_paths"])  # the shards' live states, read by `plan --shard`
            live.options = {}
        elif not kwargs["offline"]:
            inventory = load_inventory(kwargs["inventory_path"])
            with aws_target(kwargs["emulator"]) as emu:
                options = ScanOptions(
                    sessions=session_options(kwargs),
                    quotas=tuple(kwargs["quotas"]),
                    now=kwargs["now"],
                    progress=False if verbosity() < 0 else None,  # on a terminal only
                )
                processes = shard_count(kwargs, emu, len(inventory.accounts))
                if processes > 1:
                    from migrate.inventory.processes import scan_live_in_processes

                    live = scan_live_in_processes(options, inventory, processes)
                else:
                    live = scan_live_v2(options, inventory, emulator=emu)
            if kwargs["shard"] is not None:  # one job of several: its share of the live state, no plan yet
                k, n = kwargs["shard"]
                path = live.write(_plan_file(kwargs).parent / f"live.{k}-of-{n}.json")
                click.echo(
                    f"wrote {path} (the live v2 state of {len(live.accounts)} account(s)); plan with "
                    f"--live for every shard's file"
                )
                return
        result = run_plan(
            kwargs["inventory_path"],
            kwargs["overrides_path"],
            _plan_file(kwargs),
            kwargs["offline"],
            live_inventory=live,
            export_dir=kwargs["export_dir"],
            missing_path=kwargs["missing_path"],
        )
        click.echo(result.text)
        for path in result.exports:
            click.echo(f"exported {path}")
        click.echo(f"wrote {result.path}")
        if result.note:
            click.echo(f"note: {result.note}", err=True)
    ctx.exit(result.exit_code(kwargs["detailed_exitcode"], kwargs["fail_on"] == "blocker"))


def _plan_file(kwargs: dict[str, Any]) -> Path:
    if kwargs["plan_file"] is not None:
        return Path(kwargs["plan_file"])
    out = Path(kwargs["out_dir"])
    # `--out x/plan.json` was the file in older versions: still honoured, a folder is what is documented
    return out if out.suffix == ".json" and not out.is_dir() else out / "plan.json"


def _one_inventory(paths: tuple[Path, ...], out_path: Path) -> Path:
    """The inventory to plan from: the one given, or the merge of several written beside the plan."""
    if len(paths) <= 1:
        return paths[0] if paths else Path("migration/inventory.json")
    from migrate.inventory.merge import merge_into

    target = out_path.parent / "inventory.json"
    if any(p.resolve() == target.resolve() for p in paths):
        raise click.ClickException(
            f"{target} is one of the inventories to merge: write the plan (--out) to another folder"
        )
    _merged, files = merge_into(paths, target)  # with the shards' optouts/ files, where apply reads them
    click.echo(f"merged {len(paths)} inventories into {target} ({len(files)} opt-outs file(s) beside it)")
    return target


@plan.command("show")
@plan_argument
@click.option("--unchanged/--no-unchanged", default=True, help="List resources with nothing to do too.")
@output_option
@fail_on_option
@click.pass_context
def plan_show(ctx: click.Context, plan_path: Path, unchanged: bool, output: str, fail_on: str | None) -> None:
    """Print a saved plan's summary again (exit codes as `plan --detailed-exitcode`)."""
    from migrate.cli_errors import friendly_errors
    from migrate.plan.commands import show_plan, show_plan_json

    with friendly_errors():
        if output == "json":
            data = show_plan_json(plan_path)
            click.echo(json.dumps(data, indent=2, sort_keys=True))
            steps, blockers = data["summary"]["steps"], data["blockers"]
        else:
            text, steps, blockers = show_plan(plan_path, unchanged=unchanged, counts=True)
            click.echo(text)
    ctx.exit(plan_exit_code(steps, blockers, detailed=True, fail_on_blocker=fail_on == "blocker"))


@plan.command("permissions")
@plan_argument
def plan_permissions_cmd(plan_path: Path) -> None:
    """Print the least-privilege IAM policy that `apply` needs for this plan."""
    from migrate.cli_errors import friendly_errors
    from migrate.plan.commands import plan_permissions

    with friendly_errors():
        click.echo(plan_permissions(plan_path))


@plan.command("waves")
@plan_argument
@file_option(
    "--inventory",
    "inventory_path",
    "The scan the plan was made from (default: inventory.json beside the plan).",
)
@folder_option("Folder the wave file is written to (OUT/waves.toml; default: the plan's folder).")
@click.option(
    "--waves-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The wave file to write instead of OUT/waves.toml.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing wave file (it may hold your edits).")
@now_option
def plan_waves(
    plan_path: Path,
    inventory_path: Path | None,
    out_dir: Path | None,
    waves_file: Path | None,
    force: bool,
    now: str | None,
) -> None:
    """Propose waves (canary first) as a wave file to edit: blockers, shared identities, CloudTrail activity."""
    from migrate.cli_errors import friendly_errors
    from migrate.plan.waves_command import write_waves

    target = waves_file or (Path(out_dir) / "waves.toml" if out_dir else None)
    with friendly_errors():
        written = write_waves(plan_path, inventory_path, target, force=force, now=now)
        for line in written.lines:
            click.echo(line)
        click.echo(f"wrote {written.path}")
