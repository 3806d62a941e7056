"""Options shared by the commands that talk to AWS, defined once (STYLE.md rule 10)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from migrate.aws.sessions import SessionOptions

F = Callable[..., Any]


def _regions(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """`--region` values checked against botocore's partition data; a comma list is split."""
    from migrate.aws.regions import RegionNameError, check_region_names

    try:
        return check_region_names(values)
    except RegionNameError as exc:
        raise click.BadParameter(str(exc).removeprefix("--region "), param_hint="--region") from None


def aws_options(fn: F) -> F:
    """--profile, --role-arn, --external-id, --org-role, --region, --emulator, --quota, --retry-mode."""
    decorators = [
        click.option(
            "--profile",
            "profiles",
            multiple=True,
            help="AWS profile (from ~/.aws/config) whose account this command works on (repeatable).",
        ),
        click.option(
            "--role-arn", "role_arns", multiple=True, help="Role to assume in an account (repeatable)."
        ),
        click.option("--external-id", default=None, help="External ID for --role-arn / --org-role."),
        click.option(
            "--org-role", default=None, help="Assume this role in every ACTIVE account of the Organization."
        ),
        click.option(
            "--region",
            "regions",
            multiple=True,
            callback=_regions,
            help="Region to work in (repeatable, or a comma list; checked against botocore's region "
            "data; default: discover).",
        ),
        click.option(
            "--emulator",
            default=None,
            metavar="PATH|demo",
            help="Run against an emulator world file (or the built-in demo world) instead of AWS.",
        ),
        click.option("--quota", "quotas", multiple=True, metavar="OP=RPS", help="Override a request quota."),
        click.option(
            "--retry-mode",
            type=click.Choice(["standard", "adaptive"]),
            default="standard",
            show_default=True,
            help="botocore's retry mode for throttled and failed calls.",
        ),
    ]
    return functools.reduce(lambda f, d: d(f), reversed(decorators), fn)


def folder_option(help_text: str, default: Path | None = None) -> Callable[[F], F]:
    """`--out FOLDER` (into `out_dir`): every command's --out names a folder."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        help=help_text,
    )


def legacy_out_option(new_name: str) -> Callable[[F], F]:
    """The hidden `--out FILE` (into `legacy_out`) of a command whose output file is now `new_name`."""
    return click.option(
        "--out",
        "legacy_out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        hidden=True,
        help=f"Old name of {new_name} (a file, where --out elsewhere names a folder).",
    )


out_option = folder_option(
    "Folder for everything this command writes; later commands read from it.", Path("migration")
)


def now_option(fn: F) -> F:
    return click.option(
        "--now",
        default=None,
        help="Pin the time written into outputs (ISO 8601); SOURCE_DATE_EPOCH also works.",
    )(fn)


def session_options(kwargs: dict[str, Any]) -> SessionOptions:
    return SessionOptions(
        profiles=tuple(kwargs.get("profiles") or ()),
        role_arns=tuple(kwargs.get("role_arns") or ()),
        external_id=kwargs.get("external_id"),
        org_role=kwargs.get("org_role"),
        retry_mode=kwargs.get("retry_mode") or "standard",
        shard=kwargs["shard"] if isinstance(kwargs.get("shard"), tuple) else None,  # parsed by shard_options
    )


# -q/--quiet and -v/--verbose: every command has them (added by `common_options` when the tree is built),
# their values live in the context so a command reads them with `verbosity()` whatever its signature.
_VERBOSITY_KEY = "pinpoint_migrate.verbosity"


def _store_verbosity(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    root = ctx.find_root()
    current = root.meta.get(_VERBOSITY_KEY, 0)
    if param.name == "quiet" and value:
        root.meta[_VERBOSITY_KEY] = -1
        from migrate import progress

        progress.set_default_enabled(False)
    elif param.name == "verbose" and value and current >= 0:
        root.meta[_VERBOSITY_KEY] = int(value)
        _log_to_stderr(int(value))
    return value


def _log_to_stderr(level: int) -> None:
    import logging

    class _Handler(logging.StreamHandler):  # type: ignore[type-arg,unused-ignore]
        def emit(self, record: logging.LogRecord) -> None:
            from migrate.progress import clear_active

            clear_active()  # a log line never runs into a progress line
            super().emit(record)

    handler = _Handler()
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logger = logging.getLogger("migrate")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if level == 1 else logging.DEBUG)


QUIET = click.Option(
    ["-q", "--quiet"],
    is_flag=True,
    expose_value=False,
    callback=_store_verbosity,
    help="Print only the results and errors: no progress display, no notes.",
)
VERBOSE = click.Option(
    ["-v", "--verbose"],
    count=True,
    expose_value=False,
    callback=_store_verbosity,
    help="Say more: -v logs what the tool does, -vv every detail (to stderr).",
)


def verbosity() -> int:
    """-1 quiet, 0 normal, 1+ verbose (the current command's -q/-v)."""
    ctx = click.get_current_context(silent=True)
    return int(ctx.find_root().meta.get(_VERBOSITY_KEY, 0)) if ctx else 0


def common_options(command: click.Command) -> None:
    """Give a command (and its subcommands) -q/--quiet and -v/--verbose, unless it defines its own."""
    taken = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for option in (QUIET, VERBOSE):
        if not taken & set(option.opts):
            command.params.append(option)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            common_options(sub)


def fail_on_option(fn: F) -> F:
    return click.option(
        "--fail-on",
        "fail_on",
        type=click.Choice(["blocker"]),
        default=None,
        help="Exit 3 when blocker findings remain (see the README's exit codes).",
    )(fn)


def output_option(fn: F) -> F:
    return click.option(
        "--output",
        "output",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="How to print the summary: lines for people, or one JSON document for scripts.",
    )(fn)


def refuse_demo_world(emulator: str | None, command: str) -> None:
    """`--emulator demo` is a throwaway copy: a command that changes state (or checks changes made by an
    earlier one) would act on a world nobody can see again. Point to a world file instead."""
    if emulator == "demo":
        raise click.UsageError(
            f"{command} --emulator demo would run on a throwaway copy of the demo world, lost when the "
            "command ends; write it to a file first (`pinpoint-migrate emulator save-demo world.json`, or "
            "`pinpoint-migrate demo` which leaves one) and pass --emulator world.json to every command"
        )


def shard_options(default_processes: int | None = 1) -> Callable[[F], F]:
    """`--shard K/N` (a stable share of the accounts, `migrate.aws.sessions.in_shard`) and `--processes N`
    (shards 1..N of N at once). `default_processes` None: as many as there are CPUs (and accounts)."""

    def decorate(fn: F) -> F:
        fn = click.option(
            "--processes",
            default=default_processes,
            type=click.IntRange(1, 256),
            show_default="the CPU count" if default_processes is None else True,
            help="Work on the accounts as this many shards in parallel processes (against AWS or "
            "`emulator serve`; an in-process --emulator world cannot be shared: 1 there).",
        )(fn)
        return click.option(
            "--shard",
            default=None,
            metavar="K/N",
            callback=_shard,
            help="Work only on shard K of N of the accounts (a stable hash of the account id, as scan "
            "--shard), so N jobs on any runner share a run; the report reads every shard back.",
        )(fn)

    return decorate


def _shard(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    from migrate.aws.sessions import SessionError, parse_shard

    if value is None:
        return None
    try:
        return parse_shard(value)
    except SessionError as exc:
        raise click.BadParameter(
            str(exc).removeprefix(f"--shard {value!r}: "), param_hint="--shard"
        ) from None


def shard_count(kwargs: dict[str, Any], emulator: Any, accounts: int) -> int:
    """How many processes a command runs: --processes as given (refused above 1 with an in-process
    emulator world), else 1 in-process or with a single account, else min(CPU count, accounts)."""
    import os

    given = kwargs.get("processes")
    if kwargs.get("shard") is not None:
        if given not in (None, 1):
            raise click.UsageError("--shard K/N and --processes N: give one (a shard runs in one process)")
        return 1
    if given is not None and given > 1 and emulator is not None:
        raise click.UsageError(
            "--processes with --emulator: an in-process emulator world cannot be shared between processes; "
            "serve it (`pinpoint-migrate emulator serve --world FILE`) and set AWS_ENDPOINT_URL, or use "
            "--processes 1"
        )
    if given is not None:
        return int(given)
    if emulator is not None:
        return 1
    return max(1, min(os.cpu_count() or 1, accounts))


def plan_argument(fn: F) -> F:
    """PLAN_PATH: the plan a command reads (apply, verify, plan show / permissions / waves, export-iac)."""
    return click.argument(
        "plan_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("migration/plan.json")
    )(fn)


def file_option(
    flag: str, dest: str, help: str, default: Path | None = None, *, show_default: bool = False
) -> Callable[[F], F]:
    """An option naming one file the command reads (`--journal`, `--inventory`, `--verify`, ...)."""
    return click.option(
        flag,
        dest,
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        show_default=show_default,
        help=help,
    )


def journal_option(
    help: str = "The apply journal (default: journal.jsonl beside the plan).",
) -> Callable[[F], F]:
    return file_option("--journal", "journal_path", help)
