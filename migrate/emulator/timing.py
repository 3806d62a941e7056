"""How long the emulator's asynchronous states last: the timing profiles (filled in by the async states)."""

from __future__ import annotations

PROFILES = ("instant", "default", "realistic")
