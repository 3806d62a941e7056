"""The world file: its format marker and version, reading it with clear errors, writing it atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from migrate.emulator.quotas import Quotas

WORLD_FORMAT = "pinpoint-migrate-emulator-world"
WORLD_VERSION = 1


class WorldFileError(ValueError):
    """A world file that cannot be loaded: not ours, a wrong version, not JSON, or damaged."""


def log_path(path: Path) -> Path:
    """Where a persisted world journals its calls between compactions."""
    return path.with_name(path.name + ".log")


def lock_world(path: Path) -> int:
    """Take `<world>.lock` (an flock the kernel drops when the process dies) or refuse naming the holder.
    A second process on the same world file would otherwise overwrite the first one's changes."""
    import fcntl
    import json as _json

    from migrate.fileio import UnsafePathError, open_lock_file

    lock = path.with_name(path.name + ".lock")
    try:
        fd = open_lock_file(lock)
    except UnsafePathError as exc:
        raise WorldFileError(str(exc)) from None
    except OSError as exc:
        raise WorldFileError(f"{lock}: cannot create the world's lock ({exc.strerror})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        try:
            holder = _json.loads(os.pread(fd, 4096, 0) or b"{}")
        except ValueError:
            holder = {}
        os.close(fd)
        who = (
            f"pid {holder.get('pid')}"
            if isinstance(holder, dict) and holder.get("pid")
            else "another process"
        )
        raise WorldFileError(
            f"{path} is in use by {who} (an emulator that owns the world file); wait for it to finish, "
            "or work on a copy of the file"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, (_json.dumps({"pid": os.getpid()}) + "\n").encode(), 0)
    return fd


def read_document(source: Path) -> Any:
    try:
        raw = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorldFileError(f"emulator world file {source} does not exist") from None
    except UnicodeDecodeError:
        raise WorldFileError(f"{source} is not a text (UTF-8 JSON) file") from None
    except OSError as exc:
        raise WorldFileError(f"cannot read emulator world file {source} ({exc.strerror or exc})") from None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise WorldFileError(f"{source} is not valid JSON ({exc})") from None


def check_document(data: Any, source: str) -> tuple[dict[str, Any], dict[str, Any], Quotas]:
    """(meta, tables, quotas) of a world document, or a WorldFileError saying what is wrong with it."""
    if not isinstance(data, dict) or data.get("format") != WORLD_FORMAT:
        raise WorldFileError(f"{source} is not a pinpoint-migrate emulator world file")
    if data.get("version") != WORLD_VERSION:
        raise WorldFileError(
            f"{source} has world format version {data.get('version')!r}; this pinpoint-migrate reads "
            f"version {WORLD_VERSION}"
        )
    tables, meta = data.get("tables", {}), data.get("meta", {})
    if not isinstance(meta, dict) or not isinstance(tables, dict):
        raise WorldFileError(f"{source}: `meta` and `tables` must be JSON objects")
    bad = [name for name, rows in tables.items() if not isinstance(rows, dict)]
    if bad:
        raise WorldFileError(f"{source}: table {bad[0]!r} must be a JSON object of records")
    if data.get("end_of_support") not in (None, True, False):
        raise WorldFileError(f"{source}: `end_of_support` must be true, false or null (follow the clock)")
    if data.get("retired_answer", 403) not in (403, 404, 400) or isinstance(data.get("retired_answer"), bool):
        raise WorldFileError(f"{source}: `retired_answer` must be 403, 404 or 400")
    if not isinstance(data.get("moto", {}), dict):
        raise WorldFileError(f"{source}: `moto` must be a JSON object")
    try:
        quotas = Quotas.from_json(data.get("quotas", {}))
    except (TypeError, ValueError, AttributeError) as exc:
        raise WorldFileError(f"{source}: the quotas cannot be read ({exc})") from None
    return meta, tables, quotas


def write_private(target: Path, data: str) -> Path:
    """Write `data` to `target` atomically (temp file, fsync, rename), mode 0600: worlds hold numbers."""
    from migrate.fileio import write_atomic  # the temporary file is 0600 from its first byte too

    return write_atomic(target, data, private=True)
