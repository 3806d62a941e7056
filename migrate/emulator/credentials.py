"""Temporary credentials that expire on the world's clock (opt-in: `emu.credentials_expire = True`).

On AWS, the credentials `sts:AssumeRole` returns stop working at their `Expiration`, `DurationSeconds`
after the call ("By default, the value is set to 3600 seconds", at most the role's maximum session
duration, one hour when chaining roles: botocore's sts model, AssumeRole DurationSeconds, as in
https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html), and a call signed with them
afterwards is refused with `ExpiredTokenException`, HTTP 403, "The security token included in the request
is expired" (https://docs.aws.amazon.com/awsconsolehelpdocs/latest/gsg/common-errors.html). moto issues
them on the real clock and never refuses them; this module restates each assumed role's `Expiration`
on the emulator's clock (so a client refreshing by that clock sees the same moment) and refuses calls to
the emulated services (Pinpoint, v1, v2) made with it after that moment. moto's own services (S3, SNS,
IAM, STS, ...) do not check it.

A test or benchmark turns it on and hands the emulator's clock to the tool's sessions (`session_clock`),
so a run whose world passes a session's expiry (an `EmulatedClock` advanced, no real sleep) shows
whether the credentials were refreshed in time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from migrate.emulator.errors import ApiError

EXPIRED = "ExpiredTokenException"


def on_assumed(emulator: Any, parsed: dict[str, Any]) -> None:
    """After AssumeRole (in process): the credentials' expiry moved onto the emulator's clock."""
    if not getattr(emulator, "credentials_expire", False):
        return
    creds = parsed.get("Credentials") or {}
    key, expiration = creds.get("AccessKeyId"), creds.get("Expiration")
    if not key or not isinstance(expiration, dt.datetime):
        return
    # moto set Expiration to its now + DurationSeconds: the duration is what is left of it
    duration = max(0, round((expiration - dt.datetime.now(dt.UTC)).total_seconds()))
    expires = emulator.clock() + duration
    emulator.credential_expiry[str(key)] = expires
    creds["Expiration"] = dt.datetime.fromtimestamp(expires, dt.UTC)


def check(emulator: Any, access_key: str | None) -> None:
    """Refuse a call signed with credentials whose expiry (on the emulator's clock) has passed."""
    expires = emulator.credential_expiry.get(access_key) if access_key else None
    if expires is not None and emulator.clock() >= expires:
        raise ApiError(EXPIRED, "The security token included in the request is expired", status=403)


def session_clock(emulator: Any) -> Callable[[], dt.datetime] | None:
    """The clock the tool's sessions judge expiry by: the emulator's when its credentials expire on it
    (botocore's `RefreshableCredentials(time_fetcher=...)`), else None (botocore's own, real time)."""
    if emulator is None or not getattr(emulator, "credentials_expire", False):
        return None
    clock = emulator.clock
    return lambda: dt.datetime.fromtimestamp(clock(), dt.UTC)
