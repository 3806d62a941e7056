"""`journal.jsonl`: the append-only record of what apply did, and the lock that keeps it to one writer.

One JSON object per line, written in one `write` and fsynced before the call returns, so a record that is
in the file is on disk. Every record has an `event` and the `plan` it belongs to; step records name the
`step` (the report reads `start`, `result` and `end` with its `status`). A journal may hold several plans
(apply a plan, re-plan, apply the next one) and the rollbacks of them.

A process killed while writing leaves at most one torn last line: reading drops it with a note (its step
is simply looked at again), and opening for writing cuts it off so the next record starts on a clean line.
A damaged line anywhere else is refused: the journal is then not trustworthy and a person must look.

The lock is `<journal>.lock`: an `flock` held for the life of the run (the kernel releases it when the
process dies, even by SIGKILL) and the holder's pid, host and start time, so a second apply is refused
with who holds it, and a lock left behind by a killed run is recognised as stale and taken over.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.apply.errors import JournalError, LockError
from migrate.clock import iso, now_utc
from migrate.fileio import UnsafePathError, open_append, open_lock_file


def _open_journal(path: Path) -> Any:
    """Append-only, 0600 (a fill's records can name numbers), never through a symlink."""
    try:
        return open_append(path, private=True)
    except UnsafePathError as exc:
        raise JournalError(str(exc)) from None


@dataclass
class JournalRead:
    records: list[dict[str, Any]]
    torn: str = ""  # a note when the last line was cut off
    good_bytes: int = 0  # length of the file up to the end of the last whole record


def read_journal(path: Path) -> JournalRead:
    """The records of a journal (none if it does not exist), tolerating a torn last line."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return JournalRead([])
    except OSError as exc:
        raise JournalError(f"{path}: cannot read the journal ({exc.strerror})") from None
    records: list[dict[str, Any]] = []
    lines = data.split(b"\n")
    offset = 0
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for number, raw in enumerate(lines, start=1):
        end = offset + len(raw) + (1 if number < len(lines) else 0)
        if raw.strip():
            try:
                record = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                record = None
            if not isinstance(record, dict):
                if number - 1 == last:
                    note = (
                        f"{path}: the last record was cut off ({len(raw)} bytes; the run that wrote it was "
                        "killed while writing): it is ignored and its step is checked again"
                    )
                    return JournalRead(records, note, offset)
                raise JournalError(
                    f"{path}:{number}: not a journal record (the file is damaged in the middle, not just cut "
                    "off at the end); keep a copy and look at it before running apply or rollback again"
                )
            records.append(record)
        offset = end
    return JournalRead(records, "", len(data))


@dataclass
class Lock:
    path: Path
    fd: int
    stale_note: str = ""

    def release(self) -> None:
        try:
            os.unlink(self.path)  # while still holding it: a waiter then finds a new file, not this one
        except FileNotFoundError:
            pass
        finally:
            os.close(self.fd)


def _holder(fd: int) -> dict[str, Any]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 4096)
        found = json.loads(raw) if raw.strip() else {}
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}


def _alive(pid: Any) -> bool:
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError, TypeError):
        return False
    return True


def acquire_lock(journal: Path, command: str = "apply") -> Lock:
    """Take `<journal>.lock` or refuse, naming who holds it."""
    path = journal.with_name(journal.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(5):
        try:
            fd = open_lock_file(path)  # a symlink planted there is refused, never followed and truncated
        except UnsafePathError as exc:
            raise LockError(str(exc)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            who = (
                f"{holder.get('command', 'apply')} pid {holder.get('pid', '?')} on {holder.get('host', '?')}, "
                f"since {holder.get('started', '?')}"
                if holder
                else "another process"
            )
            raise LockError(
                f"{journal} is in use by another run ({who}); wait for it to finish, or give another "
                "--journal"
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # the holder removed the file as we opened it: try again on the new one
            os.close(fd)
            continue
        previous = _holder(fd)
        note = ""
        if previous:
            state = "no longer runs" if not _alive(previous.get("pid")) else "does not hold it"
            note = (
                f"{path}: left by {previous.get('command', 'apply')} pid {previous.get('pid', '?')} "
                f"(started {previous.get('started', '?')}), which {state}: stale, taken over"
            )
        me = {"pid": os.getpid(), "host": socket.gethostname(), "started": iso(now_utc()), "command": command}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (json.dumps(me, sort_keys=True) + "\n").encode())
        os.fsync(fd)
        return Lock(path, fd, note)
    raise LockError(f"{path}: could not take the lock (it keeps being replaced); try again")


@dataclass
class Journal:
    """An open journal: the records so far, and `append` for new ones (thread-safe)."""

    path: Path
    records: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    _lock: Lock | None = None
    _fh: Any = None
    _mutex: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, path: Path, command: str = "apply") -> Journal:
        path = Path(path)
        lock = acquire_lock(path, command)
        try:
            found = read_journal(path)
            notes = [n for n in (lock.stale_note, found.torn) if n]
            fh = None
            if path.exists():
                fh = _open_journal(path)  # held open for the run; closed in close()
                if found.torn:
                    fh.truncate(found.good_bytes)
                    fh.flush()
                    os.fsync(fh.fileno())
                if path.stat().st_size and not path.read_bytes().endswith(b"\n"):
                    fh.write(b"\n")  # a whole record without its newline: keep it, start the next line clean
        except BaseException:
            lock.release()
            raise
        return cls(path, found.records, notes, lock, fh)

    def append(self, event: str, **fields: Any) -> dict[str, Any]:
        record = {"event": event, **fields, "at": iso(now_utc())}
        line = (json.dumps(record, sort_keys=True, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        with self._mutex:
            if self._lock is None:
                raise JournalError(f"{self.path}: the journal is closed")
            try:
                if self._fh is None:  # created with the first record: a refused run leaves no file
                    self._fh = _open_journal(self.path)
                self._fh.write(line)
                self._fh.flush()
                os.fsync(self._fh.fileno())
            except OSError as exc:
                raise JournalError(f"{self.path}: cannot write the journal ({exc.strerror})") from None
            self.records.append(record)
        return record

    def close(self) -> None:
        with self._mutex:
            if self._fh is not None:
                self._fh.close()
                self._fh = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
