"""Phone-number masking for everything a report shows: `+12065550100` becomes `+1206555****`.

A readiness report is passed around (compliance, auditors, tickets), so numbers are masked unless the
person asks for them with `--show-numbers`. Masking is applied to every string of the report model, not
field by field, so a number inside a finding message or a runbook parameter is caught too. Short codes
(five or six digits, no `+`) are public business identifiers and never a recipient: they stay readable.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

KEEP_HIDDEN = 4  # digits replaced by `*`: the subscriber part, while country and area code stay readable
_E164 = re.compile(r"\+\d{7,15}(?!\d)")

T = TypeVar("T")


def mask_number(number: str) -> str:
    """Mask one phone number; anything that is not an E.164 number is returned unchanged."""
    if not _E164.fullmatch(number):
        return number
    return number[:-KEEP_HIDDEN] + "*" * KEEP_HIDDEN


def mask_text(text: str) -> str:
    """Mask every E.164 number found inside `text` (messages, parameters, file names)."""
    if "+" not in text:
        return text
    return _E164.sub(lambda match: mask_number(match.group(0)), text)


def mask_deep(value: T) -> T:
    """A copy of `value` (frozen dataclasses, tuples, lists, dicts, strings) with every string masked."""
    return _mask(value)


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _mask(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_mask(item) for item in value)
    if isinstance(value, list):
        return [_mask(item) for item in value]
    if isinstance(value, dict):
        return {_mask(key): _mask(item) for key, item in value.items()}
    return value
