"""Inputs that hit bugs these tests found in modules owned elsewhere (each pinned by a strict xfail in
`test_known_bugs.py`). The property tests skip exactly these shapes with `assume`, so that they keep
finding new problems meanwhile; when a bug is fixed, its xfail turns into a failure and the predicate
here goes with it.
"""

from __future__ import annotations

from typing import Any


def _hashable(value: Any) -> bool:
    return not isinstance(value, dict | list)


def inventory_bug(doc: Any) -> bool:
    """load_inventory: `records`, a record or `options` of the wrong JSON type escape as
    AttributeError/ValueError (migrate/inventory/snapshot.py, load_inventory and _build)."""
    if not isinstance(doc, dict):
        return False
    records = doc.get("records", {})
    if not isinstance(records, dict):
        return True
    for items in records.values():  # a dict of records is iterated too (its keys are the "records")
        if isinstance(items, list | dict) and any(not isinstance(item, dict) for item in items):
            return True
    return "options" in doc and not isinstance(doc["options"], dict)


def plan_steps_bug(doc: Any) -> bool:
    """load_plan (past its integrity check): a step whose `id`, `kind` or `depends_on` entries are not
    hashable, or whose `depends_on` is not a list, escapes as TypeError (migrate/plan/planfile.py)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("steps"), list):
        return False
    for step in doc["steps"]:
        if not isinstance(step, dict):
            continue
        if not _hashable(step.get("id")) or not _hashable(step.get("kind")):
            return True
        depends = step.get("depends_on", [])
        if not isinstance(depends, list | str) or any(not _hashable(d) for d in depends):
            return True
    return False


def journal_bug(records: list[Any]) -> bool:
    """plan_state/applied_steps: a record whose `result`, `position` or `params` is a truthy non-object
    escapes as TypeError/ValueError (migrate/apply/state.py)."""
    for record in records:
        if isinstance(record, dict):
            for key in ("result", "position", "params"):
                value = record.get(key)
                if value and not isinstance(value, dict):
                    return True
    return False


def rejects_cr_bug(lines: list[bytes]) -> bool:
    """RejectWriter writes with lineterminator "\\n", so a carriage return inside a rejected value is
    written unquoted and splits the row for every CSV reader (migrate/inventory/optouts_files.py)."""
    return any(b"\r" in line or b"\\r" in line or b"\\u000d" in line.lower() for line in lines)


def world_bytes_bug(data: bytes) -> bool:
    """Emulator.load reads the file with read_text outside its try: bytes that are not UTF-8 escape as
    UnicodeDecodeError instead of WorldFileError (migrate/emulator/emulator.py, Emulator.load)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False
