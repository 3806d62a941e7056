"""Opted-out numbers from sources other than an endpoint export: the customer's files and SNS.

After Pinpoint's end of support (2026-10-30) no new endpoint export can be made, so what people opted out
of lives on in the customer's own systems (a CRM's suppression list, a support tool's "do not text"
export) and in the account's SNS opted-out numbers. Both are written exactly as endpoint exports are:
normalised to E.164 by `optouts.normalise`, every value that cannot be normalised in a rejects file with
the file, line and reason (same columns as an export's), de-duplicated and sorted, all files 0600.

A customer file (`scan --optouts [APP_ID=]FILE`) is a CSV with a header naming the number's column
(`phone`, `phone_number`, `number` or `destination`, any case; an optional `country` column is used for
numbers written without `+`), or plain text with one number a line. Its own sha256 is recorded, so that
`apply` refuses to fill a list from a plan whose source file has changed since.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from migrate.inventory.optouts import normalise
from migrate.inventory.optouts_files import DEFAULT_CHUNK, NumberSet, RejectWriter, private_dir, sha256_of

NUMBER_COLUMNS = ("phone", "phone_number", "number", "destination")
COUNTRY_COLUMNS = ("country", "iso_country_code", "country_code")
_DELIMITERS = (",", ";", "\t")
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_FILE_LINE = 4096  # one number a line: a longer "line" is not a number


class SuppressionFileError(ValueError):
    """A customer file that cannot be read as opted-out numbers (one line naming the file)."""


@dataclass(frozen=True)
class NumbersRead:
    """What one non-export source gave: counts, and the 0600 files written (relative to the output folder)."""

    label: str  # what the numbers came from, for messages (a path, or "SNS <account>/<region>")
    values: int  # non-blank values read
    normalised: int
    duplicates: int
    written: int
    not_valid: int
    rejected: int
    file: str
    sha256: str
    rejects_file: str
    rejects_sha256: str


def file_stem(name: str) -> str:
    """A file-name-safe stem for an output file (`optouts/<stem>.csv`)."""
    return _SAFE.sub("-", name).strip("-.") or "numbers"


def write_numbers(
    values: Iterable[tuple[int, str, str, str]],
    *,
    label: str,
    stem: str,
    out_dir: Path,
    default_reason: str,
    chunk_size: int = DEFAULT_CHUNK,
) -> NumbersRead:
    """Normalise (line, value, country, refusal) rows into `optouts/<stem>.csv` and `<stem>.rejects.csv`.

    A row with a refusal (e.g. an empty number column in a row that holds other data) goes to the rejects
    file as it is; a blank value without one is a blank line and is not counted.
    """
    folder = private_dir(Path(out_dir) / "optouts")
    csv_path, rejects_path = folder / f"{stem}.csv", folder / f"{stem}.rejects.csv"
    numbers = NumberSet(folder, chunk_size)
    rejects = RejectWriter(rejects_path)
    read = not_valid = 0
    try:
        for line_no, raw, country, refusal in values:
            text = raw.strip()
            if not text and not refusal:
                continue
            read += 1
            if refusal:
                rejects.add(label, line_no, "", raw, country, refusal)
                continue
            if not text.startswith("+") and not country:
                rejects.add(label, line_no, "", raw, "", default_reason)
                continue
            number, valid, reason = normalise(text, country or None)
            if number is None:
                rejects.add(label, line_no, "", raw, country, reason)
                continue
            not_valid += 0 if valid else 1
            numbers.add(number)
        written, sha = numbers.write_csv(csv_path)
        rejects_sha = rejects.commit()
    except BaseException:
        numbers.cleanup()
        rejects.discard()
        raise
    return NumbersRead(
        label=label,
        values=read,
        normalised=numbers.added,
        duplicates=numbers.added - written,
        written=written,
        not_valid=not_valid,
        rejected=rejects.count,
        file=f"optouts/{csv_path.name}",
        sha256=sha,
        rejects_file=f"optouts/{rejects_path.name}",
        rejects_sha256=rejects_sha,
    )


def read_suppression_file(
    path: Path, *, stem: str, out_dir: Path, chunk_size: int = DEFAULT_CHUNK
) -> tuple[NumbersRead, str]:
    """Read one customer file into its 0600 opt-outs files; returns what was read and the file's sha256."""
    source = Path(path)
    if not source.is_file():
        raise SuppressionFileError(f"--optouts {path}: no such file")
    before = sha256_of(source)
    try:
        with open(source, "rb") as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
            rows = _rows(text, str(path))
            found = write_numbers(
                rows, label=str(path), stem=stem, out_dir=out_dir, chunk_size=chunk_size,
                default_reason="no leading + and the file gives no country for it",
            )  # fmt: skip
    except UnicodeDecodeError as exc:
        raise SuppressionFileError(
            f"--optouts {path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except csv.Error as exc:
        raise SuppressionFileError(f"--optouts {path}: not a readable CSV file ({exc})") from None
    if sha256_of(source) != before:
        raise SuppressionFileError(f"--optouts {path}: the file changed while it was read; read it again")
    return found, before


def check_suppression_file(path: Path) -> None:
    """Raise `SuppressionFileError` when `path` is missing, not UTF-8 at its start, or a CSV without a number
    column (only the header and first row are read)."""
    if not Path(path).is_file():
        raise SuppressionFileError(f"--optouts {path}: no such file")
    try:
        with open(path, encoding="utf-8-sig", newline="") as text:
            next(_rows(text, str(path)), None)
    except UnicodeDecodeError as exc:
        raise SuppressionFileError(
            f"--optouts {path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except csv.Error as exc:
        raise SuppressionFileError(f"--optouts {path}: not a readable CSV file ({exc})") from None


def _rows(text: io.TextIOBase, name: str) -> Iterator[tuple[int, str, str, str]]:
    """(line, value, country, refusal) of every number in a customer file, header checked first."""
    first = text.readline()
    delimiter = next((d for d in _DELIMITERS if d in first), "")
    header = first.strip().strip('"').strip().lower()
    if not delimiter and header not in NUMBER_COLUMNS:
        # one number a line, no header: the first line is a number too
        yield from _plain_lines(first, text, 1)
        return
    reader = csv.reader(text, delimiter=delimiter or ",")
    columns = [c.strip().lower() for c in next(csv.reader([first], delimiter=delimiter or ","))]
    number_at = next((columns.index(c) for c in NUMBER_COLUMNS if c in columns), None)
    if number_at is None:
        named = ", ".join(repr(c) for c in columns if c) or "none"
        raise SuppressionFileError(
            f"--optouts {name}: its CSV header has no column named phone, phone_number, number or "
            f"destination (found {named})"
        )
    country_at = next((columns.index(c) for c in COUNTRY_COLUMNS if c in columns), None)
    for row in reader:
        line = reader.line_num + 1  # the header was line 1
        if not row or not any(cell.strip() for cell in row):
            continue
        value = row[number_at] if number_at < len(row) else ""
        country = row[country_at].strip() if country_at is not None and country_at < len(row) else ""
        if not value.strip():
            yield line, (delimiter or ",").join(row), country, f"no number in column {columns[number_at]!r}"
            continue
        yield line, value, country, ""


def _plain_lines(first: str, rest: io.TextIOBase, start: int) -> Iterator[tuple[int, str, str, str]]:
    line_no = start
    for line in _chain(first, rest):
        if len(line) > MAX_FILE_LINE:
            yield line_no, line[:200] + "…", "", f"line longer than {MAX_FILE_LINE} characters"
        else:
            yield line_no, line.rstrip("\r\n"), "", ""
        line_no += 1


def _chain(first: str, rest: io.TextIOBase) -> Iterator[str]:
    if first:
        yield first
    yield from rest
