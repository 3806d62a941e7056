"""The small world, built once per session, and the running emulator every example of a test reuses."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from apply.invariant import world as w
from apply.invariant.chaos import rigged
from apply.invariant.machine import Running
from migrate.emulator import Emulator


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> w.Base:
    folder = tmp_path_factory.mktemp("small-world")
    w.build(folder)
    return w.Base(folder, json.loads((folder / "world.json").read_text()))


@pytest.fixture
def running(small_world: w.Base) -> Iterator[None]:
    emu = Emulator.from_json(small_world.world)
    with emu, rigged(emu) as chaos:
        emu.quotas.request_enforced = False
        Running.emu, Running.chaos, Running.base = emu, chaos, small_world
        yield
