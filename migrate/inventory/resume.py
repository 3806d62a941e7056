"""The journal of a scan (`OUT/scan.journal.jsonl`), so `scan --resume` goes on where a scan stopped.

Each (account, region) whose sections have all ended is appended as one JSON line (its records and
sections), flushed and fsynced before the next: after kill -9, Ctrl-C or expired credentials, every line
in the file is a finished part. `scan --resume` reads the lines of the same scan (same options: the first
line holds their fingerprint and the time the scan started), skips those parts, scans the rest, and
writes an inventory with the same bytes an uninterrupted scan writes (the inventory writer sorts
everything). A last line cut short by a kill is ignored; its part is scanned again. The journal is
removed once the inventory is written. It holds what the inventory holds (no credentials), mode 0600.
The extras (exports, CloudTrail, code) run again on a resume: they are not journaled.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

from migrate.inventory.records import RECORD_TYPES
from migrate.inventory.snapshot import InventoryError, Section, _build, _plain

JOURNAL = "scan.journal.jsonl"


def fingerprint(recorded_options: dict[str, Any], targets: list[tuple[str, str]]) -> str:
    text = json.dumps([recorded_options, sorted(targets)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclasses.dataclass
class Done:
    """What earlier runs of this scan finished."""

    scanned_at: str | None = None
    targets: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    records: list[Any] = dataclasses.field(default_factory=list)
    sections: list[Section] = dataclasses.field(default_factory=list)


def read_journal(path: Path, print_: str) -> Done:
    """The finished parts of the scan whose fingerprint is `print_` (nothing if the journal is another's)."""
    done = Done()
    if not path.exists():
        return done
    lines = path.read_bytes().split(b"\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            if number == len(lines):  # the last line, cut by a kill: its part is scanned again
                break
            raise InventoryError(
                f"{path}: line {number} is not JSON: delete the journal to scan afresh"
            ) from None
        if number == 1:
            if entry.get("fingerprint") != print_:
                raise InventoryError(
                    f"{path} is the journal of a scan with other options or accounts: scan without --resume "
                    "(or with the same options) to start afresh"
                )
            done.scanned_at = str(entry.get("scanned_at"))
            continue
        try:
            done.targets.add((str(entry["account"]), str(entry["region"])))
            for record in entry["records"]:
                done.records.append(_build(RECORD_TYPES[record["kind"]], record["item"]))
            done.sections.extend(Section(**s) for s in entry["sections"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InventoryError(f"{path}: line {number} is damaged ({exc}): delete the journal") from None
    return done


class Journal:
    """Appends finished (account, region) parts; one writer shared by the scan's threads."""

    def __init__(self, path: Path, print_: str, scanned_at: str, *, fresh: bool) -> None:
        from migrate.fileio import open_append, write_atomic

        # through the one writer: 0600 from the first byte (a truncated file would keep an older, wider mode)
        # and never through a symbolic link
        if fresh or not path.exists():
            header = json.dumps({"fingerprint": print_, "scanned_at": scanned_at}).encode() + b"\n"
            write_atomic(path, header, private=True)
        self._file = open_append(path, private=True)
        self._fd = self._file.fileno()
        self.path = path
        self._lock = threading.Lock()

    def add(self, target: tuple[str, str], records: list[Any], sections: list[Section]) -> None:
        entry = {
            "account": target[0], "region": target[1],
            "records": [{"kind": r.KIND, "item": _plain(r)} for r in records],
            "sections": [dataclasses.asdict(s) for s in sections],
        }  # fmt: skip
        data = json.dumps(entry, sort_keys=True, ensure_ascii=False).encode() + b"\n"
        with self._lock:
            os.write(self._fd, data)
            os.fsync(self._fd)

    def close(self, *, remove: bool) -> None:
        self._file.close()
        if remove:
            self.path.unlink(missing_ok=True)
