"""One way to write a file (STYLE.md rule 13): atomic, never through a symlink, 0600 where it can hold a
recipient's number, CSV cells a spreadsheet would run as formulas escaped.

Atomic: the bytes go to a new temporary file in the same folder (created with O_EXCL|O_NOFOLLOW, with its
final mode from the first byte, so a private file is never briefly 0644), fsynced, then renamed over the
target. `rename(2)` replaces a symlink planted at the target instead of writing through it: the link's
target is never touched (git and pip write their files the same way). Appends (the journal) open with
O_NOFOLLOW, so a planted link is refused rather than followed.

CSV injection (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
is run as a formula by spreadsheets; such a cell is prefixed with `'`. Phone numbers (`+12065550100`,
masked `+1206555****`, written `+1 (206) 555-0164`) and plain negative numbers are data, not formulas, and
stay as they are.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
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


# `~2`: a masked number's label. A written phone number (`+1 (206) 555-0164`) holds no letter, so no function
# call or DDE link (`|`, `!`) can hide in it: data, left as it is.
_NUMBERISH = re.compile(r"^[+-][0-9][0-9*.,() -]*(~[0-9]+)?$")
_FORMULA_START = ("=", "@", "\t", "\r", "+", "-")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will show, not run (see the module's docstring)."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if value[0] in "+-" and _NUMBERISH.match(value):
        return value
    return "'" + value


def _csv_writer(stream: Any, *, quote_all: bool, line_end: str) -> Any:
    # the module's only csv.writer: tests/security/test_one_csv_writer.py fails on any other
    return csv.writer(
        stream, lineterminator=line_end, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )


def _cells(row: Sequence[Any]) -> list[Any]:
    return [safe_cell("" if v is None else v) for v in row]


def csv_text(
    header: Sequence[str] | None,
    rows: Iterable[Sequence[Any]],
    *,
    quote_all: bool = False,
    line_end: str = "\r\n",
) -> str:
    """CSV text with every cell escaped; RFC 4180 CRLF line ends by default, so a cell holding a lone carriage
    return is quoted and stays in its row for every reader (with LF ends the csv module would not quote it;
    `quote_all` quotes every cell, which keeps such a cell in its row with LF ends too)."""
    buffer = io.StringIO()
    writer = _csv_writer(buffer, quote_all=quote_all, line_end=line_end)
    if header is not None:
        writer.writerow(_cells(header))
    for row in rows:
        writer.writerow(_cells(row))
    return buffer.getvalue()


def write_csv(
    path: Path | str,
    header: Sequence[str] | None,
    rows: Iterable[Sequence[Any]],
    *,
    private: bool = False,
    quote_all: bool = False,
    line_end: str = "\r\n",
) -> Path:
    """The one CSV writer: escaped cells, written atomically (0600 when `private`)."""
    with CsvFile(path, header, private=private, quote_all=quote_all, line_end=line_end) as out:
        for row in rows:
            out.row(row)
    return out.path


class CsvFile:
    """The one CSV writer, streaming: rows go to a temporary file beside `path` (0600 from the first byte,
    never through a symlink) and the file appears, atomically, only on `commit()` (or a clean `with` exit);
    `discard()` (or an exception) leaves nothing behind. For CSVs too large to hold in memory (rejects of an
    endpoint export, a list of opted-out numbers)."""

    def __init__(
        self,
        path: Path | str,
        header: Sequence[str] | None = None,
        *,
        private: bool = False,
        quote_all: bool = False,
        line_end: str = "\r\n",
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._private = private
        fd, self._tmp = _temp_for(self.path)
        self._raw = os.fdopen(fd, "wb")
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8", newline="")
        self._writer = _csv_writer(self._text, quote_all=quote_all, line_end=line_end)
        self.rows = 0
        if header is not None:
            self._writer.writerow(_cells(header))

    def row(self, values: Sequence[Any]) -> None:
        self._writer.writerow(_cells(values))
        self.rows += 1

    def commit(self) -> Path:
        try:
            self._text.flush()
            if not self._private:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(self._raw.fileno(), PUBLIC & ~umask)
            os.fsync(self._raw.fileno())
            self._text.close()
            os.replace(self._tmp, self.path)
        except BaseException:
            self.discard()
            raise
        return self.path

    def discard(self) -> None:
        if not self._text.closed:
            self._text.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()
