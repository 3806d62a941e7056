"""pinpoint-migrate: move Amazon Pinpoint SMS/voice onto AWS End User Messaging SMS and Voice v2."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pinpoint-migrate")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
