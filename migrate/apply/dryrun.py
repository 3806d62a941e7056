"""The one place that decides whether a call changes AWS, and what `--dry-run` does about it.

Every call apply, verify and rollback make goes through `Api.call`. A call is *mutating* unless it only
reads (`Describe*`, `List*`, `Get*`) or is a send with `DryRun=True`. In `live` mode calls go out; in
`dry-run` mode a mutating call is printed exactly (operation and parameters) and not made, and reads that
name a resource the dry run only pretended to create find nothing; in `read-only` mode (verify) a
mutating call is a bug and raises. `PutOptedOutNumber` calls are printed as one line per list with their
count, never with the numbers (they are personal data; the scan's 0600 files hold them).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any, Literal

from botocore import xform_name

from migrate.apply.waiters import Waits, retrying
from migrate.aws.paging import enumerate_pages

Mode = Literal["live", "dry-run", "read-only"]
READ_PREFIXES = ("Describe", "List", "Get")
SENDS = ("SendTextMessage", "SendVoiceMessage", "SendMediaMessage")
COUNTED = ("PutOptedOutNumber",)  # printed as a count per list in a dry run
PLACEHOLDER = "(dry-run:"


def is_mutating(operation: str, params: dict[str, Any]) -> bool:
    if operation.startswith(READ_PREFIXES):
        return False
    return not (operation in SENDS and params.get("DryRun") is True)


def placeholder(step_id: str, field_name: str) -> str:
    """What a `$step` reference stands for in a dry run, before the step it names has run."""
    return f"{PLACEHOLDER} {field_name} of {step_id})"


def _names_placeholder(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith(PLACEHOLDER)
    if isinstance(value, dict):
        return any(_names_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(_names_placeholder(v) for v in value)
    return False


class ReadOnlyViolation(RuntimeError):
    """A mutating call attempted where none may be made (a bug, never a user error)."""


class Api:
    """A v2 client of one account and region, seen through the dry-run rule."""

    def __init__(
        self,
        client: Any,
        mode: Mode,
        echo: Callable[[str], None],
        where: str,
        limiter: Any = None,
        waits: Waits | None = None,
    ) -> None:
        self.client = client
        self.limiter = limiter  # the RateLimiter pacing `client` (None: unpaced), for sizing calls in flight
        self.waits = waits or Waits(echo=echo)  # how this account and region is waited for (waiters.py)
        self.mode = mode
        self.echo = echo
        self.where = where
        self.mutations = 0
        self._counted: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    @property
    def dry_run(self) -> bool:
        return self.mode == "dry-run"

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        if is_mutating(operation, params):
            with self._lock:
                self.mutations += 1
            if self.mode == "read-only":
                raise ReadOnlyViolation(f"{operation} changes AWS and may not be called here")
            if self.mode == "dry-run":
                self._announce(operation, params)
                return {}
        elif self.mode == "dry-run" and _names_placeholder(params):
            return {}  # it names what the dry run only pretended to create: it does not exist
        method = getattr(self.client, xform_name(operation))
        # An IAM role made moments ago is refused until it propagates: retried with backoff (waiters.py).
        answer = retrying(self.waits, operation, lambda: method(**params))
        answer.pop("ResponseMetadata", None)
        return dict(answer)

    def items(self, operation: str, key: str, **params: Any) -> Iterator[Any]:
        """Every item of a paginated read."""
        if self.mode == "dry-run" and _names_placeholder(params):
            return iter(())
        return enumerate_pages(self.client, operation, key, **params)

    def _announce(self, operation: str, params: dict[str, Any]) -> None:
        if operation in COUNTED:
            key = (operation, str(params.get("OptOutListName", "")))
            with self._lock:
                self._counted[key] = self._counted.get(key, 0) + 1
            return
        body = json.dumps(params, sort_keys=True, ensure_ascii=False, default=str)
        self.echo(f"  would call {self.where} {operation} {body}")

    def flush(self, detail: str = "") -> None:
        """Print the counted calls (one line per operation and list) and forget them."""
        with self._lock:
            counted, self._counted = self._counted, {}
        for (operation, target), count in sorted(counted.items()):
            note = f" ({detail})" if detail else ""
            self.echo(
                f"  would call {self.where} {operation} x{count} "
                f'{{"OptOutListName": "{target}", "OptedOutNumber": <{count} numbers, not shown>}}{note}'
            )
