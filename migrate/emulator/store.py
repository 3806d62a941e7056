"""The emulator's world state: named tables of JSON-able records, with per-call durable commits.

Every handler mutates through `Table.put`/`Table.delete`; the dispatcher calls `commit()` once the call
succeeded (or `rollback()` when it raised), so an emulated call is atomic as an AWS call is. When the world
is bound to a file, each commit appends one fsynced line to `<file>.log` before the call returns: a
process killed at any moment leaves the world as the last finished call left it.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from migrate.fileio import open_append

_DELETED = object()


class Table:
    """One table: key -> record (a JSON-able dict), in insertion order (the order AWS lists in)."""

    def __init__(self, world: World, name: str, rows: dict[str, Any] | None = None) -> None:
        self._world = world
        self.name = name
        self.rows: dict[str, Any] = rows if rows is not None else {}

    def get(self, key: str) -> Any:
        """A copy of the record: changing it changes nothing until `put()` (so a failed call rolls back)."""
        found = self.rows.get(key)
        return copy.deepcopy(found) if found is not None else None

    def __contains__(self, key: object) -> bool:
        return key in self.rows

    def __len__(self) -> int:
        return len(self.rows)

    def put(self, key: str, record: Any) -> None:
        self._world._touch(self, key)
        self.rows[key] = record

    def delete(self, key: str) -> None:
        if key in self.rows:
            self._world._touch(self, key)
            del self.rows[key]

    def values(self) -> list[Any]:
        return list(self.rows.values())

    def items(self) -> Iterator[tuple[str, Any]]:
        return iter(list(self.rows.items()))

    def keys(self) -> list[str]:
        return list(self.rows)


class World:
    """All emulated state plus the counters that make ids deterministic."""

    def __init__(self, tables: dict[str, dict[str, Any]] | None = None, meta: dict[str, Any] | None = None):
        self.lock = threading.RLock()
        self.meta: dict[str, Any] = meta if meta is not None else {"counter": 0}
        self._tables: dict[str, Table] = {}
        for name, rows in (tables or {}).items():
            self._tables[name] = Table(self, name, rows)
        # (table, key) -> record before this call touched it, or _DELETED when it did not exist
        self._undo: dict[tuple[str, str], Any] = {}
        self._meta_before: dict[str, Any] | None = None
        self._log_path: Path | None = None
        self.commits = 0  # calls that changed something since this world was made or loaded

    # -- tables -----------------------------------------------------------------------------------
    def table(self, name: str) -> Table:
        found = self._tables.get(name)
        if found is None:
            found = self._tables[name] = Table(self, name)
        return found

    def table_names(self, prefix: str = "") -> list[str]:
        return [n for n in self._tables if n.startswith(prefix)]

    def next_counter(self) -> int:
        if self._meta_before is None:
            self._meta_before = copy.deepcopy(self.meta)
        self.meta["counter"] = int(self.meta.get("counter", 0)) + 1
        return int(self.meta["counter"])

    def set_meta(self, key: str, value: Any) -> None:
        if self._meta_before is None:
            self._meta_before = copy.deepcopy(self.meta)
        self.meta[key] = value

    def _touch(self, table: Table, key: str) -> None:
        marker = (table.name, key)
        if marker not in self._undo:
            before = table.rows.get(key, _DELETED)
            self._undo[marker] = before if before is _DELETED else copy.deepcopy(before)

    # -- transactions -----------------------------------------------------------------------------
    def commit(self) -> None:
        """Make this call's writes durable (one fsynced log line when bound to a file)."""
        if not self._undo and self._meta_before is None:
            return
        self.commits += 1
        if self._log_path is not None:
            changes = []
            for table_name, key in self._undo:
                rows = self._tables[table_name].rows
                changes.append([table_name, key, rows.get(key), key in rows])
            line = json.dumps({"changes": changes, "meta": self.meta}, separators=(",", ":"))
            # 0600 from creation (the log holds every opted-out number put), never through a symlink
            with open_append(self._log_path, private=True) as fh:
                fh.write((line + "\n").encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
        self._undo.clear()
        self._meta_before = None

    def rollback(self) -> None:
        """Undo this call's writes: a failed call leaves no trace, as on AWS."""
        for (table_name, key), before in self._undo.items():
            rows = self._tables[table_name].rows
            if before is _DELETED:
                rows.pop(key, None)
            else:
                rows[key] = before
        if self._meta_before is not None:
            self.meta = self._meta_before
        self._undo.clear()
        self._meta_before = None

    # -- persistence ------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """A read-only view of the whole state (serialise it before the next call changes it)."""
        tables = {name: t.rows for name, t in sorted(self._tables.items()) if t.rows}
        return {"meta": self.meta, "tables": tables}

    @classmethod
    def from_snapshot(cls, data: dict[str, Any], *, owned: bool = False) -> World:
        """A world from a snapshot; `owned` hands the (freshly parsed) data over instead of copying it."""
        if not owned:
            data = copy.deepcopy(data)
        return cls(tables=data.get("tables", {}), meta=data.get("meta", {}))

    def bind_log(self, log_path: Path | None) -> None:
        self._log_path = log_path

    def replay_log(self, log_path: Path) -> int:
        """Apply the committed calls of a log; a torn last line (killed mid-write) is ignored."""
        if not log_path.exists():
            return 0
        applied = 0
        with open(log_path, encoding="utf-8") as fh:
            for raw in fh:
                if not raw.endswith("\n"):
                    break  # the write of this line never finished: the call never returned
                entry = json.loads(raw)
                for table_name, key, record, present in entry["changes"]:
                    rows = self.table(table_name).rows
                    if present:
                        rows[key] = record
                    else:
                        rows.pop(key, None)
                self.meta = entry["meta"]
                applied += 1
        self.commits += applied  # a recovered log means the file on disk is behind: it must be rewritten
        return applied
