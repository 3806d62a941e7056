"""Check an inventory's records against their declared field types before planning from them.

`load_inventory` checks the schema version and the field names; an inventory edited by hand or damaged can
still hold a string where a count belongs or a list where a name belongs. Planning from it would fail deep
inside the mapping with a message no person can act on, so the values are checked here, with the record
kind, its key and the field in the message.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from migrate.inventory.records import record_key
from migrate.inventory.snapshot import Inventory
from migrate.plan.errors import PlanInputError


def _fits(value: Any, annotation: str) -> bool:
    kind = annotation.replace(" ", "")
    if kind.endswith("|None"):
        return value is None or _fits(value, kind[: -len("|None")])
    if kind == "str":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("Json", "dict"):
        return isinstance(value, dict)
    if kind.startswith("tuple[") and kind.endswith(",...]"):
        inner = kind[len("tuple[") : -len(",...]")]
        return isinstance(value, tuple) and all(_fits(v, inner) for v in value)
    return True  # a type this check does not know: left to the code that reads it


def check_inventory(inventory: Inventory, source: str) -> None:
    """Raise PlanInputError naming the first record field whose value is not of its declared type."""
    for kind, items in sorted(inventory.records.items()):
        for item in items:
            if not dataclasses.is_dataclass(item):
                raise PlanInputError(f"{source}: a {kind} record is not a record ({type(item).__name__})")
            for field in dataclasses.fields(item):
                value = getattr(item, field.name)
                if not _fits(value, str(field.type)):
                    key = "/".join(record_key(item)) if _keys_are_text(item) else "?"
                    raise PlanInputError(
                        f"{source}: {kind} record {key}: field `{field.name}` should be {field.type}, "
                        f"found {type(value).__name__} {str(value)[:60]!r}; scan again or fix the file"
                    )


def _keys_are_text(item: Any) -> bool:
    return all(isinstance(getattr(item, name, ""), str | int) for name in item.KEY)
