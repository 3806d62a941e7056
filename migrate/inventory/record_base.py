"""The registry behind the typed records (`migrate.inventory.records`): the `record` decorator, the kinds it
registered (`RECORD_TYPES`) and the stable sort key of a record (`record_key`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

RECORD_TYPES: dict[str, type[Any]] = {}
T = TypeVar("T")


def record(kind: str, *key: str) -> Callable[[type[T]], type[T]]:
    """Register a record class under `kind`; `key` names the fields that identify one record."""

    def register(cls: type[T]) -> type[T]:
        if kind in RECORD_TYPES:
            raise ValueError(f"record kind {kind!r} registered twice")
        cls.KIND = kind  # type: ignore[attr-defined]
        cls.KEY = ("account", "region", *key)  # type: ignore[attr-defined]
        RECORD_TYPES[kind] = cls
        return cls

    return register


def record_key(item: Any) -> tuple[str, ...]:
    """The account, the region, then the fields that identify the record: the order records are written in."""
    return tuple(str(getattr(item, name)) for name in item.KEY)


Json = dict[str, Any]
