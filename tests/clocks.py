"""Clocks for tests that need a world before Pinpoint's end of support (2026-10-30).

The suite's default emulated account follows the real clock, which is past the deadline: campaigns,
journeys, segments, endpoints, export/import jobs, event streams and app settings are retired there, as on
AWS. Tests of those APIs, and of the pre-deadline path of the product, pin their emulator's clock here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

BEFORE_END_OF_SUPPORT = datetime(2026, 9, 1, tzinfo=UTC).timestamp()
BEFORE_END_OF_SUPPORT_ISO = "2026-09-01T00:00:00Z"


def clock_before_end_of_support(start: float = BEFORE_END_OF_SUPPORT) -> Callable[[], float]:
    """A clock that reads `start` now and then moves with real time (timing profiles still run)."""
    offset = start - time.time()
    return lambda: time.time() + offset
