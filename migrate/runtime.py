"""Where a command's AWS calls go: the real AWS, an emulator world file, or the built-in demo world."""

from __future__ import annotations

import contextlib
import os
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
    with _no_ambient_profile():
        yield from _emulated(emulator)


@contextlib.contextmanager
def _no_ambient_profile() -> Iterator[None]:
    """An emulated account takes any credentials: an AWS_PROFILE naming a profile this machine lacks (a CI
    variable, a shell left set) must not break `--emulator`. Explicit `--profile` values still apply."""
    saved = {k: os.environ.pop(k, None) for k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")}
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is not None:
                os.environ[key] = value


def _emulated(emulator: str) -> Iterator[Emulator]:
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
