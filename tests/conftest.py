from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrate.emulator import Emulator


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """A fresh emulated account with request quotas off (tests that measure quotas switch them on)."""
    with Emulator(account_id="123456789012") as emulator:
        emulator.quotas.request_enforced = False
        yield emulator
