"""`readiness.json`: the report model as JSON, deterministic (sorted keys, fixed layout, no floats)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from migrate.report.markdown import plain_text
from migrate.report.parts import Report, TenantCard
from migrate.report.runbooks import Runbook

SCHEMA_VERSION = 1


def report_json(report: Report) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, **_plain(report)}


def dumps(report: Report) -> str:
    return json.dumps(report_json(report), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, TenantCard):
        # A card's findings and steps are the report's own (top-level) rows: named by id, not repeated.
        card = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        card["findings"] = [f.finding_id for f in value.findings]
        card["steps"] = [s.step_id for s in value.steps]
        return card
    if isinstance(value, Runbook):
        # Readers of the JSON want the runbook's words, not the page's block structure.
        title = "".join(span.text for span in value.title)
        return {"code": value.code, "path": value.path, "title": title, "text": plain_text(value.blocks)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
