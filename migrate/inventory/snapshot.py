"""`inventory.json`: the versioned, deterministic snapshot a scan writes and every later stage reads."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.fileio import write_atomic
from migrate.inventory.records import RECORD_TYPES, record_key

# Version 2 added the section status `retired` and the `end_of_support` object (how the scan judged
# Pinpoint's end of support). Version 1 files still load: no section of theirs is `retired` (their
# retired APIs show as `unavailable`) and their `end_of_support` is empty (not judged).
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
SECTION_STATUSES = ("ok", "retired", "denied", "unavailable", "error", "skipped")


class InventoryError(ValueError):
    """An inventory file that cannot be used, with a message naming the file and the problem."""


@dataclass(frozen=True)
class Section:
    """One thing a scan read (or could not) in one account and region."""

    account: str
    region: str
    name: str  # e.g. "pinpoint.apps", "v2.phone_numbers", "pinpoint.campaigns:<app id>"
    status: str
    reason: str = ""
    count: int = 0


@dataclass(frozen=True)
class AccountInfo:
    account_id: str
    label: str


@dataclass
class Inventory:
    tool_version: str
    scanned_at: str
    accounts: list[AccountInfo] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    records: dict[str, list[Any]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    # {"date": "2026-10-30", "judged_at": <the moment the scan judged by>, "in_effect": bool}; {} if the
    # inventory predates it (schema version 1)
    end_of_support: dict[str, Any] = field(default_factory=dict)

    def add(self, *items: Any) -> None:
        for item in items:
            self.records.setdefault(item.KIND, []).append(item)

    def of(self, kind: str) -> list[Any]:
        return list(self.records.get(kind, []))

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "tool_version": self.tool_version,
            "scanned_at": self.scanned_at,
            "options": dict(sorted(self.options.items())),
            "end_of_support": dict(sorted(self.end_of_support.items())),
            "accounts": [dataclasses.asdict(a) for a in sorted(self.accounts, key=lambda a: a.account_id)],
            "regions": sorted(set(self.regions)),
            "sections": [
                dataclasses.asdict(s)
                for s in sorted(self.sections, key=lambda s: (s.account, s.region, s.name))
            ],
            "records": {
                kind: [_plain(item) for item in sorted(self.records.get(kind, []), key=_write_order)]
                for kind in sorted(RECORD_TYPES)
            },
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    def write(self, path: Path) -> Path:
        """Write atomically, never through a symlink, 0600 (it can name numbers and opt-out files)."""
        return write_atomic(path, self.dumps(), private=True)


def _write_order(item: Any) -> tuple[str, ...]:
    # account and region break ties: a KEY without them let two accounts' records (the same attribute
    # name, the same Default list) come out in whatever order the scan's threads ended, so a resumed or
    # sharded multi-account scan could not match an uninterrupted one byte for byte (issue 17)
    return (*record_key(item), str(getattr(item, "account", "")), str(getattr(item, "region", "")))


def _plain(item: Any) -> dict[str, Any]:
    data = dataclasses.asdict(item)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def load_inventory(path: Path) -> Inventory:
    """Read an inventory file, refusing anything that is not a version this tool reads."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InventoryError(f"{path}: no such inventory file (run `pinpoint-migrate scan` first)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InventoryError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(raw, dict) or "schema_version" not in raw:
        raise InventoryError(f"{path}: not a pinpoint-migrate inventory (no schema_version)")
    if raw["schema_version"] not in READABLE_VERSIONS or isinstance(raw["schema_version"], bool):
        raise InventoryError(
            f"{path}: inventory schema_version {raw['schema_version']!r}; this pinpoint-migrate reads "
            f"version{'s' if len(READABLE_VERSIONS) > 1 else ''} "
            f"{', '.join(map(str, READABLE_VERSIONS))}: scan again with this version"
        )
    try:
        inventory = Inventory(
            tool_version=str(raw["tool_version"]),
            scanned_at=str(raw["scanned_at"]),
            accounts=[
                _typed(AccountInfo(**_object(a, "an account")), "an account")
                for a in _list(raw.get("accounts", []), "accounts")
            ],
            regions=[str(r) for r in _list(raw.get("regions", []), "regions")],
            sections=[
                _typed(Section(**_object(s, "a section")), "a section")
                for s in _list(raw.get("sections", []), "sections")
            ],
            options=_object(raw.get("options", {}), "options"),
            end_of_support=_object(raw.get("end_of_support", {}), "end_of_support"),
        )
        for kind, items in _object(raw.get("records", {}), "records").items():
            cls = RECORD_TYPES.get(kind)
            if cls is None:
                raise InventoryError(f"{path}: unknown record kind {kind!r}")
            inventory.records[kind] = [_build(cls, _object(item, kind)) for item in _list(items, kind)]
    except (TypeError, KeyError, ValueError) as exc:
        raise InventoryError(f"{path}: malformed inventory ({exc})") from None
    return inventory


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be a JSON object, not {type(value).__name__}")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"{what} must be a JSON list, not {type(value).__name__}")
    return value


def _build(cls: type[Any], item: dict[str, Any]) -> Any:
    hints = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(item) - set(hints)
    if unknown:
        raise TypeError(f"{cls.KIND} has no field(s) {', '.join(sorted(unknown))}")
    values = {}
    for name, value in item.items():
        values[name] = tuple(value) if isinstance(value, list) else value
    return cls(**values)  # field types: checked per record, naming it, by migrate/plan/inputs.py


_PLAIN = {"str": (str,), "int": (int,), "bool": (bool,), "float": (int, float)}


def _typed(item: Any, what: str) -> Any:
    """`item` whose plain fields (str, int, bool, float) hold that type: a hand-edited `null` or number in a
    name would otherwise surface far away, as a TypeError while sorting or formatting."""
    for one in dataclasses.fields(item):
        expected = _PLAIN.get(str(one.type))
        value = getattr(item, one.name)
        if expected is None:
            continue
        wrong = not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))
        if wrong:
            raise TypeError(f"{what}: {one.name} must be {one.type}, not {json.dumps(value)[:40]}")
    return item


def write_csv_tables(inventory: Inventory, folder: Path) -> list[Path]:
    """One CSV per record kind, for people who live in spreadsheets."""
    from migrate.fileio import write_csv

    written = []
    data = inventory.to_json()["records"]
    for kind, rows in data.items():
        if not rows:
            continue
        header = list(dict.fromkeys(k for row in rows for k in row))
        cells = [[_cell(row.get(k)) if k in row else "" for k in header] for row in rows]
        # the one CSV writer: formula cells escaped (a project name is anyone's text), 0600 (numbers)
        written.append(write_csv(folder / f"{kind}.csv", header, cells, private=True))
    return written


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value
