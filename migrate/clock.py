"""The one place the tool reads the time, so `--now` or `SOURCE_DATE_EPOCH` can pin it (reproducible output)."""

from __future__ import annotations

import datetime as dt
import os


class ClockError(ValueError):
    """A `--now` or `SOURCE_DATE_EPOCH` value that is not a time."""


def now_utc(pinned: str | None = None) -> dt.datetime:
    """`pinned` (ISO 8601 or epoch seconds), else `SOURCE_DATE_EPOCH`, else the real time; always UTC."""
    value = pinned if pinned else os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        if value.strip().lstrip("-").isdigit():
            return dt.datetime.fromtimestamp(int(value), dt.UTC)
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        source = "--now" if pinned else "SOURCE_DATE_EPOCH"
        raise ClockError(f"{source}={value!r} is not a time (use ISO 8601 or seconds since 1970)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
