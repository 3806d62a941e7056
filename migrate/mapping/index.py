"""Look-ups over an inventory's records, built once per mapping (plain dicts; nothing here reads AWS)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from migrate.inventory.snapshot import Inventory

Place = tuple[str, str]  # (account, region)


class Index:
    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self._groups: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], list[Any]]] = {}

    def group(self, kind: str, *fields: str) -> dict[tuple[Any, ...], list[Any]]:
        """Records of `kind` grouped by the values of `fields` (cached)."""
        key = (kind, fields)
        if key not in self._groups:
            grouped: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
            for item in self.inventory.of(kind):
                grouped[tuple(getattr(item, f) for f in fields)].append(item)
            self._groups[key] = dict(grouped)
        return self._groups[key]

    def of_app(self, kind: str, app_id: str) -> list[Any]:
        return list(self.group(kind, "app_id").get((app_id,), []))

    def one(self, kind: str, **where: Any) -> Any:
        items = self.group(kind, *where).get(tuple(where.values()), [])
        return items[0] if items else None

    # -- named look-ups -----------------------------------------------------------------------------------
    def channels(self, app_id: str) -> dict[str, Any]:
        return {c.channel_type: c for c in self.of_app("channels", app_id)}

    def phone_number(self, place: Place, number: str) -> Any:
        return self.one("phone_numbers", account=place[0], region=place[1], phone_number=number)

    def sender_ids(self, place: Place, sender_id: str) -> list[Any]:
        found = self.group("sender_ids", "account", "region", "sender_id").get((*place, sender_id), [])
        return sorted(found, key=lambda s: s.iso_country_code)

    def attribute(self, place: Place, name: str) -> str:
        item = self.one("account_attributes", account=place[0], region=place[1], name=name)
        return item.value if item is not None else ""

    def opt_out_list(self, place: Place, name: str) -> Any:
        return self.one("opt_out_lists", account=place[0], region=place[1], name=name)

    def places(self) -> list[Place]:
        """Every (account, region) the inventory holds anything for."""
        found: set[Place] = set()
        for items in self.inventory.records.values():
            found.update((i.account, i.region) for i in items if getattr(i, "account", ""))
        return sorted(found)
