"""The missing-numbers file: opted-out numbers a list the tool fills has lost (drift), as `verify --full`
found them, for `plan --missing FILE` to plan a refill of exactly those numbers.

One row per (account, region, opt-out list, number), sorted, written with the one CSV writer
(`migrate.fileio.write_csv`: atomic, never through a symlink, cells escaped) and 0600, since every row is
a recipient's number. The plan records the file's path and sha256 (never the numbers), and apply refuses a
file that changed since the plan was made, as it does the scan's own opt-out files.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from migrate.fileio import write_csv
from migrate.plan.errors import PlanInputError

FILE_NAME = "missing-optouts.csv"
HEADER = ("account", "region", "opt_out_list", "phone_number")
_E164 = re.compile(r"\+[1-9]\d{6,14}")

Place = tuple[str, str, str]  # account, region, list name


@dataclass(frozen=True)
class MissingNumbers:
    """A read missing-numbers file: its numbers per list, and what the plan records of it."""

    path: Path
    sha256: str
    lists: dict[Place, tuple[str, ...]] = field(default_factory=dict)

    def count(self, place: Place) -> int:
        return len(self.lists.get(place, ()))

    def reference(self, place: Place) -> dict[str, object]:
        """What a refill step names: the file (absolute), its sha256 and how many numbers it holds for the list."""
        return {"file": str(self.path), "sha256": self.sha256, "count": self.count(place)}


def write_missing(path: Path, missing: dict[Place, set[str]]) -> int:
    """Write the file (0600); returns how many numbers it holds."""
    rows = sorted((*place, number) for place, numbers in missing.items() for number in numbers)
    write_csv(path, HEADER, rows, private=True)
    return len(rows)


def read_missing(path: Path | str) -> MissingNumbers:
    """Read a file `verify --full` wrote; a clear one-line error naming the file for anything else."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanInputError(f"{path}: no such missing-numbers file (`verify --full` writes one)") from None
    except OSError as exc:
        raise PlanInputError(f"{path}: cannot read the missing-numbers file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanInputError(f"{path}: not UTF-8 text (a missing-numbers file is CSV)") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or tuple(c.strip() for c in rows[0]) != HEADER:
        raise PlanInputError(
            f"{path}: not a missing-numbers file (its first line must be {','.join(HEADER)})"
        )
    found: dict[Place, set[str]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(HEADER) or not all(c.strip() for c in row):
            raise PlanInputError(f"{path}, line {line}: expected {len(HEADER)} cells ({','.join(HEADER)})")
        account, region, name, number = (c.strip() for c in row)
        if not _E164.fullmatch(number):
            raise PlanInputError(f"{path}, line {line}: not an E.164 phone number (the 4th cell)")
        found.setdefault((account, region, name), set()).add(number)
    lists = {place: tuple(sorted(numbers)) for place, numbers in sorted(found.items())}
    return MissingNumbers(path.resolve(), hashlib.sha256(data).hexdigest(), lists)


def numbers_for(reference: dict[str, object], place: Place) -> tuple[str, ...]:
    """The numbers a refill step puts: the file's rows of its list, the file checked against its sha256."""
    found = read_missing(Path(str(reference["file"])))
    if found.sha256 != reference.get("sha256"):
        raise PlanInputError(
            f"{found.path} changed since the plan was made (sha256 differs from the plan's): run "
            "`verify --full` and `plan --missing` again"
        )
    return found.lists.get(place, ())
