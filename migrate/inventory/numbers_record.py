"""One way from "a numbers file was written" to its inventory record and section (issue 12 cleanup).

Every source of opted-out numbers the scan reads (an endpoint export, a customer's suppression file, the
account's SNS opted-out numbers, the `Default` list as the scan found it) ends the same way: a 0600 numbers
file and a rejects file with their sha256 and counts, a record that names them, and a section saying
"N opted-out numbers, M rejected (see …)". The record classes differ only in what identifies the source;
the counts are copied here, by field name, so a count added to one reader reaches its record.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from migrate.inventory.snapshot import Section

T = TypeVar("T")


def numbers_record(cls: type[T], found: Any, **identity: Any) -> T:
    """A `cls` record: the fields in `identity` as given, every other field copied from `found` by name."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    counts = {name: getattr(found, name) for name in names if name not in identity}
    return cls(**identity, **counts)


def numbers_reason(found: Any) -> str:
    return f"{found.written} opted-out numbers, {found.rejected} rejected (see {found.rejects_file})"


def numbers_section(account: str, region: str, name: str, found: Any) -> Section:
    """The section of a source read whole: how many numbers, how many rejected and where they are."""
    return Section(account, region, name, "ok", numbers_reason(found), found.written)
