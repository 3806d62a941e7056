"""Waiting for AWS: asynchronous states a step depends on, and retries of refusals that only time cures.

v2 answers a create or a delete at once and finishes it later. terraform-provider-aws shows which states a
caller has to wait for (`internal/service/pinpointsmsvoicev2/pool.go`: waitPoolActive CREATING -> ACTIVE,
waitPoolDeleted DELETING -> gone, 10-minute timeouts; `phone_number.go`: waitPhoneNumberActive PENDING and
ASSOCIATING -> ACTIVE) and which refusals it retries: an IAM role that has not propagated yet
(ValidationException RESOURCE_NOT_ACCESSIBLE / "Could not assume IAM role", `iamPropagationTimeout` 2
minutes) and a number whose pool is still being deleted (ConflictException PHONE_NUMBER_ASSOCIATED_TO_POOL,
`poolDisassociationTimeout` 2 minutes). `Waits` holds the timeouts, the polling backoff and the clock: the
real one against AWS, the emulator's against an emulated clock (so tests wait no real time).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from migrate.apply.errors import StepError

T = TypeVar("T")
_UNSEEN = object()

# ValidationException reasons/messages AWS gives while an IAM role it must assume has not propagated.
PROPAGATION = ("RESOURCE_NOT_ACCESSIBLE", "Could not assume IAM role")


@dataclass
class Waits:
    timeout: float = 600.0  # one state wait (terraform: 10 minutes for pools)
    propagation_timeout: float = 120.0  # IAM and pool disassociation (terraform: 2 minutes each)
    first_poll: float = 1.0
    longest_poll: float = 15.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    echo: Callable[[str], None] = field(default=lambda _line: None)

    def polls(self, limit: float) -> Any:
        """Yield the seconds waited so far before each attempt, sleeping with backoff between them, until
        `limit` seconds have passed (the last attempt comes at the limit)."""
        start, interval = self.clock(), self.first_poll
        while True:
            waited = self.clock() - start
            yield waited
            if waited >= limit:
                return
            self.sleep(min(interval, limit - waited))
            interval = min(interval * 2, self.longest_poll)


def wait_for(
    waits: Waits,
    what: str,
    read: Callable[[], str | None],
    *,
    target: Collection[str | None],
    pending: Collection[str | None],
) -> str | None:
    """Poll `read()` (a status, None when gone) until it is in `target`; progress on every change.

    A status outside `pending` and `target` fails at once; a wait longer than `waits.timeout` fails with a
    message that says running the command again keeps waiting (the step is journaled as started, and its
    resource is found again, not made twice).
    """
    last: object = _UNSEEN
    state: str | None = None
    for waited in waits.polls(waits.timeout):
        state = read()
        if state in target:
            if waited:
                waits.echo(f"  ready    {what}: {_name(state)} after {waited:.0f}s")
            return state
        if state not in pending:
            raise StepError(f"{what} is {_name(state)}; expected {' or '.join(map(_name, target))}")
        if state != last:
            waits.echo(f"  waiting  {what}: {_name(state)} (up to {waits.timeout:.0f}s)")
            last = state
    raise StepError(
        f"{what} is still {_name(state)} after {waits.timeout:.0f}s: AWS has not finished it; run the same "
        "command again to keep waiting (nothing is made twice)"
    )


def retrying(waits: Waits, what: str, call: Callable[[], T], *, conflicts: Collection[str] = ()) -> T:
    """`call()`, retried with backoff while AWS refuses it for a reason time cures: an IAM role not yet
    propagated, or one of the ConflictException `conflicts` reasons (for example a pool still DELETING)."""
    try:  # the usual case costs one call and nothing else (every opt-out put goes through here)
        return call()
    except ClientError as exc:
        if not _transient(exc, conflicts):
            raise
    attempts = waits.polls(waits.propagation_timeout)
    for waited in attempts:
        try:
            return call()
        except ClientError as exc:
            if not _transient(exc, conflicts) or waited >= waits.propagation_timeout:
                raise
            if not waited:
                waits.echo(f"  retrying {what}: {_why(exc)} (up to {waits.propagation_timeout:.0f}s)")
    raise AssertionError("unreachable: polls() always yields a last attempt")  # pragma: no cover


def _transient(exc: ClientError, conflicts: Collection[str]) -> bool:
    error = exc.response.get("Error", {}) or {}
    code, message = str(error.get("Code", "")), str(error.get("Message", ""))
    reason = str(exc.response.get("Reason", "") or error.get("Reason", ""))
    if code == "ValidationException":
        return reason in PROPAGATION or any(p in message for p in PROPAGATION)
    return code == "ConflictException" and reason in conflicts


def _why(exc: ClientError) -> str:
    error = exc.response.get("Error", {}) or {}
    reason = exc.response.get("Reason", "") or error.get("Reason", "")
    return f"{error.get('Code', '')} {reason}".strip()


def _name(state: str | None) -> str:
    return "gone" if state is None else state
