"""Merging the inventories of a sharded scan (`scan --shard K/N`, or one scan per account) into one.

Each shard read its own accounts, so a merge is a union: accounts, regions, sections and records side by
side, with the shards' common options (the `shard` entry dropped) and the earliest `scanned_at`. The
merged inventory of shards 1..N is byte for byte the inventory one unsharded scan of the same accounts
writes (the writer sorts everything), so the plan made from it is too. Refused: shards of different scans
(other options or tool versions), a missing or repeated shard, an account in two inventories. `merge_into`
also gathers the shards' opt-outs files beside the merged inventory, where plan and apply look for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from migrate.inventory.merge_files import gather_files
from migrate.inventory.optout_sources import merge_file_sections
from migrate.inventory.snapshot import Inventory, InventoryError, Section, load_inventory


def merge_inventories(paths: Sequence[Path]) -> Inventory:
    return merge_loaded([(Path(p), load_inventory(Path(p))) for p in paths])


def merge_into(paths: Sequence[Path], target: Path) -> tuple[Inventory, list[Path]]:
    """Merge the inventories of a sharded scan into `target` with the numbers files they name gathered
    beside it (`migrate.inventory.merge_files`): the folder of `target` is then what one scan's is, so
    plan, apply and verify find every opt-outs file there. The files go first: an inventory never names a
    file its folder lacks. Returns the merged inventory and the files."""
    loaded = [(Path(p), load_inventory(Path(p))) for p in paths]
    merged = merge_loaded(loaded)
    files = gather_files(loaded, Path(target).parent)
    merged.write(Path(target))
    return merged, files


def merge_loaded(loaded: Sequence[tuple[Path, Inventory]]) -> Inventory:
    """`merge_inventories` of inventories already read (named by where they came from, for errors)."""
    if not loaded:
        raise InventoryError("no inventory to merge")
    first_path, first = loaded[0]
    common = {k: v for k, v in first.options.items() if k != "shard"}
    shards: dict[int, Path] = {}
    total: set[int] = set()
    owner: dict[str, Path] = {}
    merged = Inventory(tool_version=first.tool_version, scanned_at=first.scanned_at, options=common)
    for path, inventory in loaded:
        if inventory.tool_version != first.tool_version:
            raise InventoryError(
                f"{path}: written by pinpoint-migrate {inventory.tool_version}, {first_path} by "
                f"{first.tool_version}: scan every shard with one version"
            )
        options = {k: v for k, v in inventory.options.items() if k != "shard"}
        if options != common:
            differ = sorted(k for k in set(options) | set(common) if options.get(k) != common.get(k))
            raise InventoryError(
                f"{path}: scanned with other options than {first_path} ({', '.join(differ)}): "
                "shards of one scan share every option but --shard"
            )
        shard = inventory.options.get("shard")
        if shard is not None:
            k, _, n = str(shard).partition("/")
            if int(k) in shards:
                raise InventoryError(f"{path}: shard {shard} is also {shards[int(k)]}")
            shards[int(k)] = path
            total.add(int(n))
        for account in inventory.accounts:
            if account.account_id in owner:
                raise InventoryError(
                    f"{path}: account {account.account_id} is also in {owner[account.account_id]}"
                )
            owner[account.account_id] = path
        merged.scanned_at = min(merged.scanned_at, inventory.scanned_at)
        # how the scan judged Pinpoint's end of support: the earliest shard's judgement, as scanned_at
        judged = inventory.end_of_support
        if judged and (not merged.end_of_support or judged["judged_at"] < merged.end_of_support["judged_at"]):
            merged.end_of_support = dict(judged)
        merged.accounts.extend(inventory.accounts)
        merged.regions.extend(inventory.regions)
        merged.sections.extend(inventory.sections)
        for items in inventory.records.values():
            merged.add(*items)
    if shards:
        if len(total) != 1 or len(shards) != len(loaded):
            raise InventoryError(
                "shards of different splits (or unsharded inventories among them) cannot merge"
            )
        (count,) = total
        missing = sorted(set(range(1, count + 1)) - set(shards))
        if missing:
            raise InventoryError(
                f"shard(s) {', '.join(f'{k}/{count}' for k in missing)} missing: merge every shard of the scan"
            )
    merged.regions = sorted(set(merged.regions))
    merged.sections = _unplaced_once(merge_file_sections(merged.sections))
    return merged


def _unplaced_once(sections: list[Section]) -> list[Section]:
    """What belongs to no account is said by every shard alike (a profile that could not be reached, whose
    account is unknown, is every shard's failure): once in the merge, as one scan says it."""
    kept: list[Section] = []
    for section in sections:
        if section.account in ("", "?") and section in kept:
            continue
        kept.append(section)
    return kept
