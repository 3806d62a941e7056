"""`report` as a library call: read inventory, plan (journal, verify), write readiness.html/.json and CSVs.

The plan is read with the planner's own `load_plan` (schema version and integrity checked; its
`PlanFileError` names the file), the inventory with `load_inventory` (`InventoryError`), the journal with
apply's `read_journal` (`JournalError` for a journal damaged in the middle); a missing journal, verify
results that are not, or that belong to another plan, raise `ReportError` here.

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

from migrate.apply.journal import read_journal
from migrate.clock import iso, now_utc
from migrate.inventory.snapshot import load_inventory
from migrate.mapping.overrides import load_overrides
from migrate.plan.planfile import load_plan
from migrate.report.csvout import csv_tables
from migrate.report.html import render_html
from migrate.report.jsonout import dumps
from migrate.report.mask import mask_deep
from migrate.report.model import build_report
from migrate.report.parts import Report
from migrate.report.record import ChecklistError, ChecklistRecord, apply_record, load_record
from migrate.report.rewrites import RewriteResultsError, link_rewrites, load_rewrites
from migrate.report.waves import WavesError, add_waves

HTML_NAME = "readiness.html"
JSON_NAME = "readiness.json"
VERIFY_KIND = "pinpoint-migrate-verify"
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
    notes: tuple[str, ...] = ()  # for the person running it, e.g. a torn last journal line was dropped

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
    overrides_path: Path | None = None,
    checklist_path: Path | None = None,
    rewrite_path: Path | None = None,
    waves_path: Path | None = None,
) -> ReportResult:
    """`overrides_path`: the overrides.toml whose `[progress.CODE]` dates shorten the schedule;
    `checklist_path`: a checklist record exported from the report page (who did what); `rewrite_path`:
    the rewrite.json `rewrite` wrote, linking each call site to its rewrite or the reason it was left;
    `waves_path`: the wave file whose waves and tenants get their status (from the journal and verify)."""
    progress = load_overrides(Path(overrides_path)).progress if overrides_path else ()
    inventory = load_inventory(Path(inventory_path))
    plan = load_plan(Path(plan_path))
    journal, notes = load_journal(Path(journal_path), plan.plan_id) if journal_path else (None, [])
    verify = load_verify(Path(verify_path), plan.plan_id) if verify_path else None
    record = _load_record(Path(checklist_path)) if checklist_path else None
    try:
        rewrites = load_rewrites(Path(rewrite_path)) if rewrite_path else None
    except RewriteResultsError as exc:
        raise ReportError(str(exc)) from None
    report = build_report(
        inventory, plan, journal, verify, show_numbers, now=iso(now_utc(now)), progress=progress
    )
    if waves_path is not None:
        try:
            report = add_waves(report, Path(waves_path), verify)
        except WavesError as exc:
            raise ReportError(str(exc)) from None
    if rewrites is not None:
        report = link_rewrites(report, rewrites)
        report = report if show_numbers else mask_deep(report)  # a replacement may name a number
    if record is not None:
        try:
            report, record_notes = apply_record(report, record, show_numbers)
        except ChecklistError as exc:
            raise ReportError(str(exc)) from None
        notes += record_notes
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    mode = PRIVATE_MODE if show_numbers else SHARED_MODE
    html = write_text(out / HTML_NAME, render_html(report), mode)
    data = write_text(out / JSON_NAME, dumps(report), mode)
    csvs = tuple(write_text(out / name, text, mode) for name, text in csv_tables(report).items())
    return ReportResult(report, html, data, csvs, tuple(notes))


def _load_record(path: Path) -> ChecklistRecord:
    try:
        return load_record(path)
    except ChecklistError as exc:
        raise ReportError(str(exc)) from None


def load_journal(path: Path, plan_id: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The journal's records (read by apply's own reader: a torn last line is dropped with a note) and
    notes for the person; a journal without a record of this plan is refused."""
    if not path.is_file():
        raise ReportError(f"{path}: no such journal file")
    found = read_journal(path)
    if not any(r.get("plan") == plan_id for r in found.records):
        raise ReportError(
            f"{path}: the journal holds no record of plan {plan_id} (was another plan applied?)"
        )
    return found.records, [found.torn] if found.torn else []


def load_verify(path: Path, plan_id: str) -> dict[str, Any]:
    raw = _load_json(path, "verify results")
    if not isinstance(raw, dict) or raw.get("kind") != VERIFY_KIND:
        raise ReportError(f"{path}: not pinpoint-migrate verify results")
    if raw.get("plan_id") != plan_id:
        raise ReportError(
            f"{path}: verify results of plan {raw.get('plan_id')}, not of {plan_id}: verify again"
        )
    return raw


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
