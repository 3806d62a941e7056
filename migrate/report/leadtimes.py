"""Lead times: how long the work behind each finding a person must act on takes, with its public source.

Read from `runbooks/lead-times.toml` (shipped beside the runbooks, described at its top). A finding picks
its code's entry, or a more exact variant named by one of its details (a registration's type, a sender ID's
country). Errors name the file, the code and the key.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from migrate.resources import data_dir

FILE_NAME = "lead-times.toml"
UNITS = ("business", "calendar")
BASES = ("published", "estimate")
_ENTRY = {
    "what",
    "unit",
    "min",
    "max",
    "basis",
    "after",
    "source_title",
    "source_url",
    "variant_key",
    "variants",
}
_VARIANT = {"what", "unit", "min", "max", "source_title", "source_url"}


class LeadTimeError(ValueError):
    """The lead-time file is wrong: the message names the file, the code and the key."""


@dataclass(frozen=True)
class LeadTime:
    code: str
    what: str
    unit: str  # business | calendar
    min_days: int
    max_days: int
    basis: str  # published (AWS says so at source_url) | estimate (the team's own work)
    source_title: str
    source_url: str
    after: tuple[str, ...] = ()
    variant: str = ""  # the detail value that chose this entry ("" for the code's own)

    @property
    def text(self) -> str:
        """`5-15 business days` (one number when min and max agree)."""
        span = (
            str(self.max_days) if self.min_days == self.max_days else f"{self.min_days}\u2013{self.max_days}"
        )
        return f"{span} {self.unit} day{'' if self.max_days == 1 else 's'}"


@dataclass(frozen=True)
class LeadTimes:
    file: str
    entries: Mapping[str, LeadTime]
    variant_keys: Mapping[str, str]
    variants: Mapping[tuple[str, str], LeadTime]

    def of(self, code: str, details: Mapping[str, str] | None = None) -> LeadTime | None:
        """The lead time of a finding with this code and these details (None: the code has none)."""
        key = self.variant_keys.get(code, "")
        value = (details or {}).get(key, "") if key else ""
        return self.variants.get((code, value)) or self.entries.get(code)


def add_days(start: dt.date, days: int, unit: str) -> dt.date:
    """`start` plus `days` calendar days, or plus `days` working days (Monday to Friday; no holidays)."""
    if unit == "calendar":
        return start + dt.timedelta(days=days)
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def load_lead_times(path: Path | None = None) -> LeadTimes:
    """The lead times shipped beside the runbooks (or those of `path`, for tests)."""
    if path is None:
        return _load(str(data_dir("runbooks") / FILE_NAME), f"runbooks/{FILE_NAME}")
    return _load(str(path), str(path))


@lru_cache(maxsize=8)
def _load(file: str, name: str) -> LeadTimes:
    try:
        raw = tomllib.loads(Path(file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LeadTimeError(f"{name}: no such lead-time file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LeadTimeError(f"{name}: not valid TOML ({exc})") from None
    entries: dict[str, LeadTime] = {}
    keys: dict[str, str] = {}
    variants: dict[tuple[str, str], LeadTime] = {}
    for code, body in raw.items():
        entry = _entry(name, code, body, _ENTRY, None)
        entries[code] = entry
        if body.get("variant_key"):
            keys[code] = _text(name, code, "variant_key", body["variant_key"])
        for value, sub in _table(name, code, "variants", body.get("variants", {})).items():
            variants[(code, value)] = _entry(name, f"{code}.variants.{value}", sub, _VARIANT, entry, value)
    for code, entry in entries.items():
        for before in entry.after:
            if before not in entries:
                raise LeadTimeError(f"{name}: {code}.after: {before!r} has no lead time of its own")
    return LeadTimes(name, entries, keys, variants)


def _entry(
    name: str, code: str, body: Any, allowed: set[str], parent: LeadTime | None, variant: str = ""
) -> LeadTime:
    if not isinstance(body, dict):
        raise LeadTimeError(f"{name}: {code}: expected a table")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise LeadTimeError(
            f"{name}: {code}.{unknown[0]}: unknown key (expected one of {', '.join(sorted(allowed))})"
        )
    base = parent
    unit = _text(name, code, "unit", body.get("unit", base.unit if base else None))
    if unit not in UNITS:
        raise LeadTimeError(f"{name}: {code}.unit: {unit!r}; expected business or calendar")
    low = _days(name, code, "min", body.get("min", base.min_days if base else None))
    high = _days(name, code, "max", body.get("max", base.max_days if base else None))
    if low > high:
        raise LeadTimeError(f"{name}: {code}: min ({low}) is more than max ({high})")
    basis = base.basis if base else _text(name, code, "basis", body.get("basis"))
    if basis not in BASES:
        raise LeadTimeError(f"{name}: {code}.basis: {basis!r}; expected published or estimate")
    url = _text(name, code, "source_url", body.get("source_url", base.source_url if base else None))
    if not url.startswith("https://"):
        raise LeadTimeError(f"{name}: {code}.source_url: {url!r} is not an https:// address")
    after = body.get("after", list(base.after) if base else [])
    if not isinstance(after, list) or not all(isinstance(a, str) for a in after):
        raise LeadTimeError(f"{name}: {code}.after: expected a list of finding codes")
    return LeadTime(
        code=code.split(".")[0],
        what=_text(name, code, "what", body.get("what", base.what if base else None)),
        unit=unit,
        min_days=low,
        max_days=high,
        basis=basis,
        source_title=_text(
            name, code, "source_title", body.get("source_title", base.source_title if base else None)
        ),
        source_url=url,
        after=tuple(after),
        variant=variant,
    )


def _table(name: str, code: str, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LeadTimeError(f"{name}: {code}.{key}: expected a table")
    return value


def _text(name: str, code: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LeadTimeError(f"{name}: {code}.{key}: missing or not a string")
    return value


def _days(name: str, code: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
        raise LeadTimeError(f"{name}: {code}.{key}: expected a whole number of days from 0 to 365")
    return value
