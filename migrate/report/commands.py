"""`report` as a library call: read inventory, plan (journal, verify), write readiness.html/.json and CSVs.

The plan is read with the planner's own `load_plan` (schema version and integrity checked; its
`PlanFileError` names the file), the inventory with `load_inventory` (`InventoryError`); the journal and
verify results raise `ReportError` here.

Files are written atomically (temporary file, fsync, rename). With `show_numbers` every file this writes
holds phone numbers in full, so each is created mode 0600; masked reports are 0644.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.clock import iso, now_utc
from migrate.inventory.snapshot import load_inventory
from migrate.plan.planfile import load_plan
from migrate.report.csvout import csv_tables
from migrate.report.html import render_html
from migrate.report.jsonout import dumps
from migrate.report.model import build_report
from migrate.report.parts import Report

HTML_NAME = "readiness.html"
JSON_NAME = "readiness.json"
PRIVATE_MODE = 0o600
SHARED_MODE = 0o644


class ReportError(ValueError):
    """An input the report cannot read, with a message naming the file and the problem."""


@dataclass(frozen=True)
class ReportResult:
    report: Report
    html: Path
    json: Path
    csv: tuple[Path, ...]

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.html, self.json, *self.csv)


def run_report(
    inventory_path: Path,
    plan_path: Path,
    out_dir: Path,
    journal_path: Path | None = None,
    verify_path: Path | None = None,
    show_numbers: bool = False,
    now: str | None = None,
) -> ReportResult:
    inventory = load_inventory(Path(inventory_path))
    plan = load_plan(Path(plan_path))
    journal = load_journal(Path(journal_path)) if journal_path else None
    verify = _load_json(Path(verify_path), "verify results") if verify_path else None
    report = build_report(inventory, plan, journal, verify, show_numbers, now=iso(now_utc(now)))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    mode = PRIVATE_MODE if show_numbers else SHARED_MODE
    html = write_text(out / HTML_NAME, render_html(report), mode)
    data = write_text(out / JSON_NAME, dumps(report), mode)
    csvs = tuple(write_text(out / name, text, mode) for name, text in csv_tables(report).items())
    return ReportResult(report, html, data, csvs)


def load_journal(path: Path) -> list[dict[str, Any]]:
    """The apply journal's records. A torn last line (apply killed while writing it) is ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{path}: no such journal file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read the journal ({exc})") from None
    lines = text.split("\n")
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            if number == len(lines):  # no newline after it: the write never finished
                break
            raise ReportError(f"{path}:{number}: not a JSON record") from None
        if not isinstance(record, dict):
            raise ReportError(f"{path}:{number}: a journal record must be a JSON object")
        records.append(record)
    return records


def _load_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{path}: no such {what} file") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: the {what} file is not valid JSON ({exc})") from None


def write_text(path: Path, text: str, mode: int) -> Path:
    """Write atomically; the file is created with `mode` from the start (never briefly wider)."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return path
