"""`report` as a library call: read inventory, plan (journal, verify), write readiness.html/.json and CSVs.

The plan is read with the planner's own `load_plan` (schema version and integrity checked; its
`PlanFileError` names the file), the inventory with `load_inventory` (`InventoryError`), the journal with
apply's `read_journal` (`JournalError` for a journal damaged in the middle); a missing journal, verify
results that are not, or that belong to another plan, raise `ReportError` here.

Files are written atomically (temporary file, fsync, rename). With `show_numbers` every file this writes
holds phone numbers in full, so each is created mode 0600; masked reports are 0644.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.apply.errors import ApplyError
from migrate.apply.journal import read_journal
from migrate.apply.shards import absent_shards, merged_verify, shard_files
from migrate.clock import iso, now_utc
from migrate.inventory.snapshot import load_inventory
from migrate.mapping.overrides import load_overrides
from migrate.plan.planfile import load_plan
from migrate.report.csvout import csv_tables
from migrate.report.html import render_html
from migrate.report.jsonout import dumps
from migrate.report.mask import mask_deep, own_numbers
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
    plan = load_plan(Path(plan_path))
    check_same_scan(Path(inventory_path), plan)
    inventory = load_inventory(Path(inventory_path))
    journal_path, verify_path, notes = beside_plan(Path(plan_path), plan.plan_id, journal_path, verify_path)
    journal, torn = load_journal(Path(journal_path), plan.plan_id) if journal_path else (None, [])
    notes += torn
    verify = load_verify(Path(verify_path), plan.plan_id) if verify_path else None
    if journal_path is None or verify_path is None:
        journal, verify = _with_shards(Path(plan_path), plan.plan_id, journal, verify, notes)
    record = _load_record(Path(checklist_path)) if checklist_path else None
    try:
        rewrites = load_rewrites(Path(rewrite_path)) if rewrite_path else None
    except RewriteResultsError as exc:
        raise ReportError(str(exc)) from None
    try:
        report = build_report(
            inventory, plan, journal, verify, show_numbers, now=iso(now_utc(now)), progress=progress
        )
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        # the readers check what they can; a shape they missed must still name the files, not a type
        named = ", ".join(str(p) for p in (journal_path, verify_path) if p) or str(plan_path)
        raise ReportError(
            f"{named}: a record has an unexpected shape ({type(exc).__name__}: {exc})"
        ) from None
    if waves_path is not None:
        try:
            report = add_waves(report, Path(waves_path), verify)
        except WavesError as exc:
            raise ReportError(str(exc)) from None
    if rewrites is not None:
        report = link_rewrites(report, rewrites)
        # a replacement may name a number: recipients masked, the account's own numbers kept
        report = report if show_numbers else mask_deep(report, keep=own_numbers(inventory, plan.data))
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


def check_same_scan(inventory_path: Path, plan: Any) -> None:
    """The inventory must be the one the plan was computed from (sha256 in the plan's inputs, as
    export-iac checks): another scan's inventory would silently drop or mislabel tenants."""
    try:
        data = inventory_path.read_bytes()
    except FileNotFoundError:
        raise ReportError(f"{inventory_path}: no such inventory file") from None
    except OSError as exc:
        raise ReportError(f"{inventory_path}: cannot read the inventory ({exc.strerror})") from None
    wanted = plan.data.get("inputs", {}).get("inventory_sha256", "")
    if hashlib.sha256(data).hexdigest() != wanted:
        raise ReportError(
            f"{inventory_path}: not the inventory plan {plan.plan_id} was computed from (sha256 differs): "
            "pass that one with --inventory, or plan again from this one"
        )


def beside_plan(
    plan_path: Path, plan_id: str, journal_path: Path | None, verify_path: Path | None
) -> tuple[Path | None, Path | None, list[str]]:
    """The journal and verify results to read: those given, else `journal.jsonl` / `verify.json` beside the
    plan when they are of this plan (a bare `report` after apply and verify shows what was done)."""
    notes: list[str] = []
    if journal_path is None:
        candidate = plan_path.with_name("journal.jsonl")
        if candidate.is_file():
            if any(r.get("plan") == plan_id for r in read_journal(candidate).records):
                journal_path = candidate
                notes.append(f"read the apply journal beside the plan: {candidate}")
            else:
                notes.append(f"{candidate} holds no record of plan {plan_id}: not used")
    if verify_path is None:
        candidate = plan_path.with_name("verify.json")
        if candidate.is_file():
            try:
                load_verify(candidate, plan_id)
                verify_path = candidate
                notes.append(f"read the verify results beside the plan: {candidate}")
            except ReportError as exc:
                notes.append(f"{exc}: not used")
    return journal_path, verify_path, notes


def _with_shards(
    plan_path: Path,
    plan_id: str,
    journal: list[dict[str, Any]] | None,
    verify: dict[str, Any] | None,
    notes: list[str],
) -> tuple[list[dict[str, Any]] | None, dict[str, Any] | None]:
    """The journals and verify results of an apply and verify run by shards (`--shard K/N`, `--processes N`:
    `journal.K-of-N.jsonl`, `verify.K-of-N.json` beside the plan), read back as one: one consolidated report."""
    try:
        journals = shard_files(plan_path.with_name("journal.jsonl"))
        checks = shard_files(plan_path.with_name("verify.json"))
    except ApplyError as exc:
        raise ReportError(str(exc)) from None
    if journals:
        mine = [p for p in journals if any(r.get("plan") == plan_id for r in read_journal(p).records)]
        if mine:
            found = [load_journal(p, plan_id) for p in mine]
            journal = (journal or []) + [r for records, _torn in found for r in records]
            notes += [note for _records, torn in found for note in torn]
            notes.append(
                f"read the apply journals of {len(mine)} shard(s): {', '.join(str(p) for p in mine)}"
            )
    if checks and verify is None:
        verify = merged_verify(checks, lambda p: load_verify(p, plan_id))
        notes.append(
            f"read the verify results of {len(checks)} shard(s): {', '.join(str(p) for p in checks)}"
        )
    # every shard's apply leaves its journal, and its verify its results, even with nothing to do: one that
    # is not here ran elsewhere or not at all, and the report shows its steps as not applied (not verified)
    for what, present in (("apply journal", journals), ("verify results", checks)):
        for path in absent_shards(present):
            notes.append(
                f"no {what} {path.name} beside the plan: that shard's steps show as not "
                f"{'applied' if what == 'apply journal' else 'verified'}; bring every shard's file here"
            )
    return journal, verify


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
    steps = raw.get("steps", [])
    if not isinstance(steps, list):
        raise ReportError(f"{path}: `steps` must be a list of checks, not {type(steps).__name__}")
    for number, item in enumerate(steps, start=1):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("step"), str)
            or not isinstance(item.get("ok"), bool)
        ):
            raise ReportError(
                f"{path}: check {number} of `steps` must be an object with a `step` name and `ok` true/false"
            )
        for key in ("detail", "what"):
            if not isinstance(item.get(key, ""), str):
                raise ReportError(f"{path}: check {number} of `steps`: `{key}` must be text")
    for key in ("tenants", "selection"):
        if not isinstance(raw.get(key, {}), dict):
            raise ReportError(f"{path}: `{key}` must be an object")
    return raw


def _load_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{path}: no such {what} file") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: the {what} file is not valid JSON ({exc})") from None


def write_text(path: Path, text: str, mode: int) -> Path:
    """Write atomically through the one writer (never through a symlink; 0600 from the first byte when
    `mode` is private)."""
    from migrate.fileio import PRIVATE, write_atomic

    return write_atomic(path, text, private=mode == PRIVATE)
