"""Commands met again from the very same start are not run again: their end is restored (the property test).

Hypothesis draws sequences that share their beginnings (every example starts from the same world, most begin
with an apply, and a fault drawn at a call the run never reaches changes nothing): in 150 examples about 60%
of the CPU of apply and rollback runs went into runs whose every input had been seen before. A command of
the machine is deterministic given what it reads: the emulated world (its tables, its counters), the
emulated clock, the files of the migration folder (plan, inventory, opt-out files, journal), the command and
its fault (apply's steps and fills run one at a time, on the emulated clock; see chaos.py). So the first run
of each start is kept, with what it left: the world, the clock, the folder and its outcome, and a run from an
identical start restores that instead of running. Every state the machine reaches is still checked on every
path (the invariant runs after every rule either way); only the second computation of an identical run is
saved. `PINPOINT_MIGRATE_PROPERTY_MEMO=0` runs every command.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.emulator import Emulator
from migrate.emulator.store import World

ENABLED = os.environ.get("PINPOINT_MIGRATE_PROPERTY_MEMO", "1") != "0"
STAMP = re.compile(rb'"at": "[0-9T:Z-]+"')
KEPT = 2048  # ends kept (a world of ~12 KB each; the files are kept once per content)


@dataclass(frozen=True)
class End:
    status: str
    world: str  # the world's JSON
    clock: float
    files: tuple[tuple[str, str, int], ...]  # (path in the folder, content hash, mode)


class Replays:
    def __init__(self) -> None:
        self.ends: dict[str, End] = {}
        self.blobs: dict[str, bytes] = {}
        self.hits = 0

    def key(self, emu: Emulator, folder: Path, command: str) -> str:
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"{folder}\0{command}".encode())
        digest.update(json.dumps(emu.world.snapshot(), sort_keys=True).encode())
        digest.update(repr(float(emu.clock())).encode())
        for path, data, mode in _files(folder):
            # a journal record's `at` is the real time (seconds): not something a run reads back
            digest.update(f"{path}\0{mode}\0".encode() + STAMP.sub(b"", data) + b"\0")
        return digest.hexdigest()

    def keep(self, key: str, emu: Emulator, folder: Path, status: str) -> None:
        if len(self.ends) >= KEPT:
            self.ends.clear()
            self.blobs.clear()
        world = json.dumps(emu.world.snapshot())
        files = []
        for path, data, mode in _files(folder):
            content = hashlib.blake2b(data, digest_size=20).hexdigest()
            self.blobs.setdefault(content, data)
            files.append((path, content, mode))
        self.ends[key] = End(status, world, float(emu.clock()), tuple(files))

    def restore(self, key: str, emu: Emulator, folder: Path) -> str | None:
        """The kept end of an identical start, put in place (world, clock, folder); None if there is none."""
        end = self.ends.get(key)
        if end is None:
            return None
        emu.world = World.from_snapshot(json.loads(end.world), owned=True)
        emu.clock.now = end.clock  # type: ignore[attr-defined]
        wanted = {path for path, _c, _m in end.files}
        for path, _data, _mode in _files(folder):
            if path not in wanted:
                (folder / path).unlink()
        for path, content, mode in end.files:
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            data = self.blobs[content]
            if not target.exists() or target.read_bytes() != data:
                target.write_bytes(data)
            target.chmod(mode)
        self.hits += 1
        return end.status


def _files(folder: Path) -> list[tuple[str, bytes, int]]:
    """Every file of the folder but lock files (held only while a run lasts): (path, bytes, mode). Every
    example has the same folder (machine.Running.scratch): a plan names files by their absolute path."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".lock")):
        found.append((str(path.relative_to(folder)), path.read_bytes(), path.stat().st_mode & 0o777))
    return found


def replayed(replays: Replays | None, emu: Emulator, folder: Path, command: str, run: Any) -> str:
    """`run()`'s status, or the status of the identical run kept before (its end restored)."""
    if replays is None or not ENABLED:
        return str(run())
    key = replays.key(emu, folder, command)
    status = replays.restore(key, emu, folder)
    if status is None:
        status = str(run())
        replays.keep(key, emu, folder, status)
    return status
