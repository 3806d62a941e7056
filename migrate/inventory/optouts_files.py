"""Files of phone numbers: created private (0600), de-duplicated in bounded memory, hashed.

Opted-out numbers are personal data and the reason the migration exists (nobody who texted STOP may be
messaged again), so every file holding them is created with mode 0600 from the first byte (never
chmod'ed afterwards), written under a temporary name and renamed into place only when complete.

De-duplication must not grow with the export: numbers are kept as 64-bit integers (an E.164 number has
at most 15 digits and never starts with 0, so `+` and the digits round-trip exactly) in chunks of
`chunk_size`; a full chunk is sorted and spilled to a private run file; the runs are merged at the end.
The output is therefore sorted by numeric value, so one export always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import shutil
import tempfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from migrate.fileio import CsvFile

DEFAULT_CHUNK = 65_536  # numbers held in memory before a sorted run is spilled to disk (512 KiB)
_READ_BLOCK = 8_192  # numbers read back per run per refill while merging

REJECT_COLUMNS = ("file", "line", "endpoint_id", "raw_value", "country", "reason")


def create_private(path: Path) -> BinaryIO:
    """A new file opened for writing, created with mode 0600; fails if `path` exists or is a symlink."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    return os.fdopen(fd, "wb")


def private_dir(path: Path) -> Path:
    """`path` as a folder only its owner can enter (created 0700 when missing)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def temp_name(target: Path) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    os.unlink(name)  # only the unique name is wanted: create_private makes the file, with O_EXCL
    return Path(name)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RejectWriter:
    """The rejects CSV: every value that could not become an opt-out entry, with where and why.

    Written through the one CSV writer (migrate/fileio.py): cells escaped, 0600, atomic. Every field quoted:
    a raw value holding a carriage return (real exports have them) must stay in its row for every CSV
    reader, and "\r" is not a character that QUOTE_MINIMAL quotes for "\n" lines."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self._out = CsvFile(target, REJECT_COLUMNS, private=True, quote_all=True, line_end="\n")
        self.count = 0

    def add(self, file: str, line: int, endpoint_id: str, raw_value: str, country: str, reason: str) -> None:
        self._out.row((file, line, endpoint_id, raw_value, country, reason))
        self.count += 1

    def commit(self) -> str:
        self._out.commit()
        return sha256_of(self.target)

    def discard(self) -> None:
        self._out.discard()


class NumberSet:
    """Numbers added in any order; `write_csv` writes each once, sorted, in memory bounded by the chunk."""

    def __init__(self, work_dir: Path, chunk_size: int = DEFAULT_CHUNK) -> None:
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        self.chunk_size = chunk_size
        self._work_dir = work_dir
        self._spill_dir: Path | None = None
        self._chunk: array[int] = array("q")
        self._runs: list[Path] = []
        self.added = 0

    def add(self, number: int) -> None:
        self._chunk.append(number)
        self.added += 1
        if len(self._chunk) >= self.chunk_size:
            self._spill()

    def _spill(self) -> None:
        if self._spill_dir is None:
            self._spill_dir = Path(tempfile.mkdtemp(prefix=".optouts-sort-", dir=self._work_dir))  # 0700
        run = self._spill_dir / f"run-{len(self._runs):06d}.bin"
        ordered = array("q", sorted(self._chunk))
        with create_private(run) as fh:
            ordered.tofile(fh)
        self._runs.append(run)
        self._chunk = array("q")

    def _sorted(self) -> Iterator[int]:
        if not self._runs:
            yield from sorted(self._chunk)
            return
        if self._chunk:
            self._spill()
        yield from heapq.merge(*(_read_run(run) for run in self._runs))

    def write_csv(self, target: Path, header: str = "phone_number") -> tuple[int, str]:
        """Write the unique numbers as `+<digits>` lines (the one CSV writer, 0600); returns (unique count,
        sha256)."""
        try:
            with CsvFile(target, (header,), private=True, line_end="\n") as out:
                last: int | None = None
                for number in self._sorted():
                    if number != last:
                        out.row((f"+{number}",))
                        last = number
        finally:
            self.cleanup()
        return out.rows, sha256_of(target)

    def cleanup(self) -> None:
        if self._spill_dir is not None:
            shutil.rmtree(self._spill_dir, ignore_errors=True)
            self._spill_dir = None
        self._runs = []


def _read_run(path: Path) -> Iterator[int]:
    with open(path, "rb") as fh:
        while True:
            block = fh.read(_READ_BLOCK * 8)
            if not block:
                return
            numbers: array[int] = array("q")
            numbers.frombytes(block)
            yield from numbers
