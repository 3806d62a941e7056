"""The checklist as a record the team shares: the JSON file the report page exports and imports, and
`report --checklist FILE`, which renders a report showing who did what.

The page writes the file (see `templates/assets/report.js`); this module reads it back. Its shape:

    {"kind": "pinpoint-migrate-checklist", "version": 1, "report_key": "<16 hex>", "plan_id": "...",
     "exported_at": "2026-12-01T09:30:00Z", "exported_by": "Ana",
     "items": [{"id": "<finding id>", "done": true, "by": "Ana", "at": "2026-12-01T09:12:00Z",
                "note": "brand approved, campaign submitted"}]}

`report_key` ties a record to the set of accounts the report covers (a record of another customer's
report is refused); an item whose finding is no longer in the report (resolved since) is kept out with a
note. Every problem is one line naming the file, the item and the field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.report.mask import mask_text
from migrate.report.parts import ChecklistGroup, HowGroup, ItemRecord, Report

KIND = "pinpoint-migrate-checklist"
VERSION = 1
MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 200
MAX_NOTE = 2000


class ChecklistError(ValueError):
    """A checklist record that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class ChecklistRecord:
    path: str
    report_key: str
    exported_at: str
    exported_by: str
    items: dict[str, ItemRecord]


def load_record(path: Path) -> ChecklistRecord:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ChecklistError(
                f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB: not a checklist record"
            )
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ChecklistError(f"{path}: no such checklist file") from None
    except IsADirectoryError:
        raise ChecklistError(f"{path}: a folder, not a checklist file") from None
    except OSError as exc:
        raise ChecklistError(f"{path}: cannot read the checklist file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ChecklistError(f"{path}: the checklist file is not UTF-8 text") from None
    except ValueError as exc:
        raise ChecklistError(f"{path}: the checklist file is not valid JSON ({exc})") from None
    return parse_record(raw, str(path))


def parse_record(raw: Any, where: str) -> ChecklistRecord:
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        raise ChecklistError(
            f'{where}: not a checklist record of pinpoint-migrate (expected "kind": "{KIND}"; '
            "export one with the report page's Export button)"
        )
    if raw.get("version") != VERSION:
        raise ChecklistError(
            f"{where}: checklist record version {raw.get('version')!r}, this tool reads {VERSION}"
        )
    key = raw.get("report_key")
    if not isinstance(key, str) or not key:
        raise ChecklistError(f"{where}: report_key must be the report's key (a string)")
    exported_at = _time(raw.get("exported_at", ""), where, "exported_at")
    exported_by = _text(raw.get("exported_by", ""), where, "exported_by", MAX_NAME)
    entries = raw.get("items")
    if not isinstance(entries, list):
        raise ChecklistError(f"{where}: items must be a list of {{id, done, by, at, note}}")
    items: dict[str, ItemRecord] = {}
    for number, entry in enumerate(entries, start=1):
        label = f"item {number}"
        if not isinstance(entry, dict):
            raise ChecklistError(f"{where}: {label} is not an object with id, done, by, at, note")
        item_id = entry.get("id")
        if not isinstance(item_id, str) or not item_id or len(item_id) > 500:
            raise ChecklistError(f"{where}: {label}: id must be the checklist item's id (a non-empty string)")
        label = f"{label} ({item_id})"
        if item_id in items:
            raise ChecklistError(f"{where}: {label} is recorded twice")
        done = entry.get("done")
        if not isinstance(done, bool):
            raise ChecklistError(f"{where}: {label}: done must be true or false")
        unknown = sorted(set(entry) - {"id", "done", "by", "at", "note"})
        if unknown:
            raise ChecklistError(f"{where}: {label}: unknown field(s) {', '.join(unknown)}")
        items[item_id] = ItemRecord(
            done=done,
            by=_text(entry.get("by", ""), where, f"{label}: by", MAX_NAME),
            at=_time(entry.get("at", ""), where, f"{label}: at"),
            note=_text(entry.get("note", ""), where, f"{label}: note", MAX_NOTE),
        )
    return ChecklistRecord(where, key, exported_at, exported_by, items)


def _text(value: Any, where: str, field: str, limit: int) -> str:
    if not isinstance(value, str):
        raise ChecklistError(f"{where}: {field} must be text")
    if len(value) > limit:
        raise ChecklistError(f"{where}: {field} is longer than {limit} characters")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise ChecklistError(f"{where}: {field} holds control characters")
    return value


def _time(value: Any, where: str, field: str) -> str:
    """An ISO 8601 time (or empty), kept as UTC `YYYY-MM-DDTHH:MM:SSZ`."""
    if value == "":
        return ""
    try:
        if not isinstance(value, str):
            raise ValueError
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ChecklistError(
            f"{where}: {field} must be an ISO 8601 time, like 2026-12-01T09:30:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def apply_record(report: Report, record: ChecklistRecord, show_numbers: bool) -> tuple[Report, list[str]]:
    """The report with each checklist item's recorded state, and notes for the person running it."""
    if record.report_key != report.meta.report_key:
        raise ChecklistError(
            f"{record.path}: the checklist record of another report (its accounts differ from "
            f"{', '.join(report.meta.accounts) or 'this report'})"
        )
    items = dict(record.items)
    if not show_numbers:  # notes are free text: a number typed into one is masked like every other
        items = {
            k: dataclasses.replace(v, note=mask_text(v.note), by=mask_text(v.by)) for k, v in items.items()
        }
    known: set[str] = set()
    groups = []
    for how in report.checklist:
        members = []
        for group in how.groups:
            rows = []
            for item in group.items:
                known.add(item.item_id)
                rows.append(dataclasses.replace(item, record=items.get(item.item_id)))
            members.append(dataclasses.replace(group, items=tuple(rows)))
        groups.append(dataclasses.replace(how, groups=tuple(members)))
    notes = []
    stale = sorted(set(items) - known)
    if stale:
        notes.append(
            f"{record.path}: {len(stale)} recorded item(s) are not in this report (their findings are "
            f"resolved or the plan changed): {', '.join(stale[:5])}{' …' if len(stale) > 5 else ''}"
        )
    source = Path(record.path).name
    if record.exported_at:
        source += f", exported {record.exported_at}"
    if record.exported_by:
        source += f" by {record.exported_by}"
    meta = dataclasses.replace(report.meta, checklist_record=source)
    return dataclasses.replace(report, checklist=tuple(groups), meta=meta), notes


def done_items(checklist: tuple[HowGroup, ...]) -> list[tuple[ChecklistGroup, Any]]:
    """(group, item) of every item with a record, in the checklist's order: who did what."""
    return [(g, i) for how in checklist for g in how.groups for i in g.items if i.record is not None]
