"""`[progress.CODE]` and `[tenants."X".progress.CODE]` in overrides.toml: what a team has already done.

    [progress.REGISTRATION_INCOMPLETE]          # every finding with this code
    submitted_on = 2026-11-20                   # TOML dates, or "YYYY-MM-DD" strings
    expected_by = 2026-12-15
    note = "case 1234567890"
    [tenants."Fjord Energy".progress.SENDER_ID_REGISTRATION_REQUIRED]
    approved_on = 2026-12-01                    # done: it no longer holds the tenant back

The report's schedule reads these: an approved item is done, an expected date replaces the lead time, a
submission date starts the lead time on that day instead of the report's. A tenant's entry wins over the
code's. Errors name the file, line and key like the rest of overrides.toml.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,80}$")
FIELDS = ("submitted_on", "approved_on", "expected_by", "note")

ErrorOf = Callable[[tuple[str, ...], str], Exception]


@dataclass(frozen=True)
class Progress:
    code: str
    tenant: str  # the tenant key as written (project name or application id); "" for every tenant
    line: int
    submitted_on: str = ""  # ISO dates
    approved_on: str = ""
    expected_by: str = ""
    note: str = ""


def parse_progress(
    raw: Any, path: tuple[str, ...], tenant: str, error: ErrorOf, line_of: Callable[[tuple[str, ...]], int]
) -> tuple[Progress, ...]:
    if not isinstance(raw, dict):
        raise error(path, f"expected a table of finding codes, found {type(raw).__name__}")
    out = []
    for code, body in raw.items():
        where = (*path, code)
        if not CODE.match(code):
            raise error(where, f"{code!r} is not a finding code (e.g. REGISTRATION_INCOMPLETE)")
        if not isinstance(body, dict):
            raise error(where, f"expected a table, found {type(body).__name__}")
        for key in body:
            if key not in FIELDS:
                raise error((*where, key), f"unknown key (expected one of: {', '.join(FIELDS)})")
        dates = {k: _date(body.get(k), (*where, k), error) for k in FIELDS[:3]}
        if dates["submitted_on"] and dates["approved_on"] and dates["approved_on"] < dates["submitted_on"]:
            raise error((*where, "approved_on"), "is before submitted_on")
        if dates["submitted_on"] and dates["expected_by"] and dates["expected_by"] < dates["submitted_on"]:
            raise error((*where, "expected_by"), "is before submitted_on")
        note = body.get("note", "")
        if not isinstance(note, str) or len(note) > 512 or any(ord(c) < 32 for c in note):
            raise error(
                (*where, "note"), "expected a string of at most 512 characters, no control characters"
            )
        out.append(Progress(code, tenant, line_of(where), note=note, **dates))
    return tuple(out)


def _date(value: Any, path: tuple[str, ...], error: ErrorOf) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat() if len(value) == 10 else _bad(value, path, error)
        except ValueError:
            return _bad(value, path, error)
    return _bad(value, path, error)


def _bad(value: Any, path: tuple[str, ...], error: ErrorOf) -> str:
    raise error(path, f"{value!r} is not a date (YYYY-MM-DD)")


def progress_for(
    items: tuple[Progress, ...], code: str, tenant_keys: Mapping[str, bool] | tuple[str, ...]
) -> Progress | None:
    """The progress recorded for `code` in a tenant known by any of `tenant_keys` (name, app id, slug),
    else the code's own entry."""
    keys = set(tenant_keys)
    for item in items:
        if item.code == code and item.tenant and item.tenant in keys:
            return item
    return next((i for i in items if i.code == code and not i.tenant), None)
