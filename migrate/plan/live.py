"""The live v2 state a plan is computed against: the v2 records of an inventory, indexed, and fingerprinted.

"Live" is a later scan of v2, or (`--offline`) the v2 state recorded in the same inventory. Its fingerprint
(sha256 over the v2 records, not over scan times) goes into the plan so that apply can refuse a plan whose
world has changed since: apply scans v2 again and compares `live_fingerprint` of that scan.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from migrate.inventory.records import record_key
from migrate.inventory.snapshot import Inventory
from migrate.mapping.desired import NAME_KEY

LIVE_KINDS = (
    "phone_numbers",
    "sender_ids",
    "pools",
    "opt_out_lists",
    "configuration_sets",
    "account_limits",
)
DEFAULT_LIMIT = 25  # pools, configuration sets, opt-out lists per account and region


def live_fingerprint(inventory: Inventory, account: str | None = None) -> str:
    """sha256 of the v2 state the planner reads (the same world scanned twice gives the same value); with
    `account`, of that account's part alone (what a shard of apply compares: `live_fingerprints`)."""
    body = {
        kind: [
            {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(item).items()}
            for item in sorted(inventory.of(kind), key=record_key)
            if account is None or item.account == account
        ]
        for kind in LIVE_KINDS
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def live_fingerprints(inventory: Inventory, accounts: list[str]) -> dict[str, str]:
    """The fingerprint of each account's live v2 state: an apply, verify or rollback of a shard of the
    accounts (`--shard K/N`) reads only its own accounts, so it can only compare their part."""
    return {account: live_fingerprint(inventory, account) for account in sorted(set(accounts))}


class LiveState:
    def __init__(self, inventory: Inventory) -> None:
        def by(kind: str, *fields: str) -> dict[tuple[Any, ...], Any]:
            return {
                tuple(getattr(i, f) for f in fields): i for i in sorted(inventory.of(kind), key=record_key)
            }

        self.lists = by("opt_out_lists", "account", "region", "name")
        self.config_sets = by("configuration_sets", "account", "region", "name")
        self.numbers = by("phone_numbers", "account", "region", "phone_number_id")
        self.limits = by("account_limits", "account", "region", "name")
        self.pools = by("pools", "account", "region", "pool_id")
        self.pools_by_name: dict[tuple[str, str, str], Any] = {}
        for (account, region, _), item in sorted(self.pools.items()):
            name = item.tags.get(NAME_KEY)
            if name:
                self.pools_by_name.setdefault((account, region, name), item)

    def opt_out_list(self, account: str, region: str, name: str) -> Any:
        return self.lists.get((account, region, name))

    def config_set(self, account: str, region: str, name: str) -> Any:
        return self.config_sets.get((account, region, name))

    def number(self, account: str, region: str, phone_number_id: str) -> Any:
        return self.numbers.get((account, region, phone_number_id))

    def pool_named(self, account: str, region: str, name: str) -> Any:
        return self.pools_by_name.get((account, region, name))

    def limit(self, account: str, region: str, name: str) -> tuple[int, int]:
        """(used, maximum) of a resource quota; without a scanned limit, AWS's default and a count."""
        item = self.limits.get((account, region, name))
        if item is not None:
            return item.used, item.maximum
        table = {"POOLS": self.pools, "CONFIGURATION_SETS": self.config_sets, "OPT_OUT_LISTS": self.lists}[
            name
        ]
        return sum(1 for key in table if key[:2] == (account, region)), DEFAULT_LIMIT
