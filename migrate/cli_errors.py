"""How the CLI fails: one line a person understands, a non-zero exit, never a traceback."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

# Errors whose message is meant for a person: shown as one line, exit 1, no traceback.
_USER_ERROR_NAMES = (
    ("migrate.aws.ratelimit", "QuotaError"),
    ("migrate.aws.sessions", "SessionError"),
    ("migrate.clock", "ClockError"),
    ("migrate.emulator", "WorldFileError"),
    ("migrate.inventory.snapshot", "InventoryError"),
    ("migrate.inventory.extras", "ExtrasError"),
    ("migrate.inventory.suppression", "SuppressionFileError"),
    ("migrate.mapping.overrides", "OverridesError"),
    ("migrate.runtime", "RuntimeSetupError"),
    ("migrate.plan.errors", "PlanError"),
    ("migrate.report.commands", "ReportError"),
    ("migrate.apply.errors", "ApplyError"),
    ("migrate.iac.errors", "IacError"),
    ("migrate.aws.regions", "RegionNameError"),
    ("migrate.resources", "UnknownRunbook"),
)


def _user_errors() -> tuple[type[BaseException], ...]:
    """The user-facing error classes of the modules that can be imported (a broken one is a bug, and
    its own ImportError is reported as unexpected, not hidden)."""
    found: list[type[BaseException]] = []
    for module_name, class_name in _USER_ERROR_NAMES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        cls = getattr(module, class_name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn failures into a message a person understands and a non-zero exit, never a traceback; the
    message starts on a clean line (a progress line on screen is cleared first)."""
    from migrate.progress import clear_active

    try:
        yield
    except click.ClickException:
        clear_active()
        raise
    except KeyboardInterrupt:
        clear_active()
        click.echo("interrupted; work done so far is kept (re-run to resume)", err=True)
        sys.exit(130)
    except Exception as exc:
        clear_active()
        if isinstance(exc, _user_errors()):
            raise click.ClickException(str(exc)) from None
        if os.environ.get("PINPOINT_MIGRATE_DEBUG"):
            raise
        raise click.ClickException(
            f"unexpected {type(exc).__name__}: {exc} (set PINPOINT_MIGRATE_DEBUG=1 for the traceback)"
        ) from None
