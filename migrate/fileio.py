"""One way to write a file (STYLE.md rule 13): atomic, never through a symlink, 0600 where it can hold a
recipient's number, CSV cells a spreadsheet would run as formulas escaped.

Atomic: the bytes go to a new temporary file in the same folder (created with O_EXCL|O_NOFOLLOW, with its
final mode from the first byte, so a private file is never briefly 0644), fsynced, then renamed over the
target. `rename(2)` replaces a symlink planted at the target instead of writing through it: the link's
target is never touched (git and pip write their files the same way). Appends (the journal) open with
O_NOFOLLOW, so a planted link is refused rather than followed.

CSV injection (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
is run as a formula by spreadsheets; such a cell is prefixed with `'`. Phone numbers (`+12065550100`,
masked `+1206555****`) and plain negative numbers are data, not formulas, and stay as they are.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

PRIVATE = 0o600  # files that can hold a recipient's number (and their temporary files)
PUBLIC = 0o644  # everything else (the umask still applies)

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class UnsafePathError(OSError):
    """A path the tool will not write through (a symlink where a file or lock is expected)."""


def _temp_for(path: Path) -> tuple[int, Path]:
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, PRIVATE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path}: no free temporary name beside it")


def write_atomic(path: Path | str, data: str | bytes, *, private: bool = False) -> Path:
    """Write `data` to `path` atomically (never through a symlink); 0600 when `private`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_for(path)
    try:
        if not private:  # the temporary file starts 0600 either way; a public file opens up only now
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, PUBLIC & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def open_append(path: Path | str, *, private: bool = True) -> BinaryIO:
    """Open `path` for appending (created 0600 when private); a symlink there is refused, not followed."""
    path = Path(path)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _CLOEXEC
    try:
        fd = os.open(path, flags, PRIVATE if private else PUBLIC)
    except OSError as exc:
        if path.is_symlink():
            raise UnsafePathError(
                f"{path} is a symbolic link: remove it (the tool never writes through one)"
            ) from None
        raise exc
    return os.fdopen(fd, "ab")


def open_lock_file(path: Path | str) -> int:
    """The file descriptor of a lock file (created 0600); a symlink there is refused, never truncated."""
    path = Path(path)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, PRIVATE)
    except OSError:
        if path.is_symlink():
            raise UnsafePathError(
                f"{path} is a symbolic link: remove it (a lock file is never followed)"
            ) from None
        raise


_NUMBERISH = re.compile(r"^[+-][0-9][0-9*., ]*(~[0-9]+)?$")  # `~2`: a masked number's label
_FORMULA_START = ("=", "@", "\t", "\r", "+", "-")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will show, not run (see the module's docstring)."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if value[0] in "+-" and _NUMBERISH.match(value):
        return value
    return "'" + value


def csv_text(header: Sequence[str] | None, rows: Iterable[Sequence[Any]], *, quote_all: bool = False) -> str:
    """CSV text with every cell escaped; RFC 4180 CRLF line ends, so a cell holding a lone carriage return is
    quoted and stays in its row for every reader (with LF ends the csv module would not quote it)."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    if header is not None:
        writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell("" if v is None else v) for v in row])
    return buffer.getvalue()


def write_csv(
    path: Path | str, header: Sequence[str] | None, rows: Iterable[Sequence[Any]], *, private: bool = False
) -> Path:
    """The one CSV writer: escaped cells, written atomically (0600 when `private`)."""
    return write_atomic(path, csv_text(header, rows), private=private)
