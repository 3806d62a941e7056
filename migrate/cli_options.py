"""Options shared by the commands that talk to AWS, defined once (STYLE.md rule 10)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from migrate.aws.sessions import SessionOptions

F = Callable[..., Any]


def aws_options(fn: F) -> F:
    """--profile, --role-arn, --external-id, --org-role, --region, --emulator, --quota, --retry-mode."""
    decorators = [
        click.option("--profile", "profiles", multiple=True, help="AWS profile to scan (repeatable)."),
        click.option(
            "--role-arn", "role_arns", multiple=True, help="Role to assume in an account (repeatable)."
        ),
        click.option("--external-id", default=None, help="External ID for --role-arn / --org-role."),
        click.option(
            "--org-role", default=None, help="Assume this role in every ACTIVE account of the Organization."
        ),
        click.option(
            "--region", "regions", multiple=True, help="Region to work in (repeatable; default: discover)."
        ),
        click.option(
            "--emulator",
            default=None,
            metavar="PATH|demo",
            help="Run against an emulator world file (or the built-in demo world) instead of AWS.",
        ),
        click.option("--quota", "quotas", multiple=True, metavar="OP=RPS", help="Override a request quota."),
        click.option(
            "--retry-mode", type=click.Choice(["standard", "adaptive"]), default="standard", show_default=True
        ),
    ]
    return functools.reduce(lambda f, d: d(f), reversed(decorators), fn)


def out_option(fn: F) -> F:
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("migration"),
        show_default=True,
        help="Folder for everything this command writes; later commands read from it.",
    )(fn)


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
    )
