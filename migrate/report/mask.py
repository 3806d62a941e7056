"""Phone-number masking, the one place for it: recipients hidden, the account's own numbers shown.

A readiness report is passed around (compliance, auditors, tickets), so a **recipient's** number (personal
data: an opted-out person, a verified destination) is masked unless the person asks for numbers with
`--show-numbers`: `+12065550123` becomes `+1206555****`. The account's **own origination identities**
(the phone numbers it leases, its short codes and sender IDs) are business identifiers, not personal data:
they are shown in full everywhere (report, `plan show`, remedies), so a remedy such as an overrides.toml
snippet can be pasted as printed.

Two different recipients must never print alike: when several numbers of one text or one report share
their masked form, each gets a stable label `~1`, `~2`, … in the order of the numbers themselves (the same
number gets the same label everywhere in that output, and the same inputs give the same bytes). The labels
say "these are different people", nothing about the hidden digits beyond their order.

Masking is applied to every string of the report model, not field by field, so a number inside a finding
message or a runbook parameter is caught too. Short codes (five or six digits, no `+`) stay readable.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

KEEP_HIDDEN = 4  # digits replaced by `*`: the subscriber part, while country and area code stay readable
_E164 = re.compile(r"\+\d{7,15}(?![\d*])")  # not an already masked `+1206555****`
E164 = _E164  # for callers that mask a whole output at once (verify: `Masker(E164.findall(text))`)

T = TypeVar("T")


def mask_number(number: str) -> str:
    """Mask one phone number; anything that is not an E.164 number is returned unchanged."""
    if not _E164.fullmatch(number):
        return number
    return number[:-KEEP_HIDDEN] + "*" * KEEP_HIDDEN


class Masker:
    """Masks the recipients among `numbers` (every E.164 number the output will hold), keeping `keep`."""

    def __init__(self, numbers: Iterable[str], keep: Iterable[str] = ()) -> None:
        self.keep = frozenset(keep)
        groups: dict[str, list[str]] = {}
        for number in sorted(set(numbers) - self.keep):
            groups.setdefault(mask_number(number), []).append(number)
        self._labels: dict[str, str] = {}
        for masked, members in groups.items():
            for index, number in enumerate(members, start=1):
                self._labels[number] = masked if len(members) == 1 else f"{masked}~{index}"

    def number(self, number: str) -> str:
        if number in self.keep:
            return number
        return self._labels.get(number) or mask_number(number)

    def text(self, text: str) -> str:
        if "+" not in text:
            return text
        return _E164.sub(lambda match: self.number(match.group(0)), text)

    def deep(self, value: T) -> T:
        return _walk(value, self.text)


def mask_text(text: str, keep: Iterable[str] = ()) -> str:
    """Mask every recipient number inside `text` (messages, parameters, file names)."""
    return Masker(_E164.findall(text), keep).text(text)


def mask_deep(value: T, keep: Iterable[str] = ()) -> T:
    """A copy of `value` (frozen dataclasses, tuples, lists, dicts, strings) with every recipient masked,
    the numbers in `keep` (the account's own origination numbers) shown, no two numbers alike."""
    found = [n for text in _strings(value) if "+" in text for n in _E164.findall(text)]
    return Masker(found, keep).deep(value)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)


def _walk(value: Any, fn: Any) -> Any:
    if isinstance(value, str):
        return fn(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name), fn) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_walk(item, fn) for item in value)
    if isinstance(value, list):
        return [_walk(item, fn) for item in value]
    if isinstance(value, dict):
        return {_walk(key, fn): _walk(item, fn) for key, item in value.items()}
    return value


def own_numbers(inventory: Any, plan_data: dict[str, Any] | None = None) -> frozenset[str]:
    """The account's own origination numbers, never recipients: the v2 phone numbers it leases, the numbers
    its Pinpoint channels, campaigns and journeys send from, and any identity the plan lists."""
    found: set[str] = set()
    for kind in ("phone_numbers", "channels", "campaigns", "journeys", "v1_configuration_sets"):
        for record in inventory.of(kind) if inventory is not None else ():
            for name in ("phone_number", "origination_number", "short_code", "origination_numbers"):
                value = getattr(record, name, "")
                for item in value if isinstance(value, tuple | list) else (value,):
                    if isinstance(item, str) and _E164.fullmatch(item):
                        found.add(item)
    for tenant in (plan_data or {}).get("tenants", []) or []:
        for identity in tenant.get("identities", []) or []:
            value = identity.get("value") if isinstance(identity, dict) else identity
            if isinstance(value, str) and _E164.fullmatch(value):
                found.add(value)
    return frozenset(found)
