"""Where a command's AWS calls go: the real AWS, an emulator world file, or the built-in demo world."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from migrate.emulator import Emulator, WorldFileError


class RuntimeSetupError(RuntimeError):
    """The `--emulator` value cannot be used."""


@contextlib.contextmanager
def aws_target(emulator: str | None) -> Iterator[Emulator | None]:
    """Run the body against AWS (None), the built-in demo world ("demo"), or a world file (a path).

    A world file is opened durably: each mutating call is journaled before it returns, and the file is
    rewritten at the end only if the command changed the world.
    """
    if not emulator:
        yield None
        return
    if emulator == "demo":
        emu = Emulator.demo()
    else:
        path = Path(emulator)
        try:
            emu = Emulator.load(path, persist=True)
        except WorldFileError as exc:
            raise RuntimeSetupError(str(exc)) from None
    with emu:
        yield emu
