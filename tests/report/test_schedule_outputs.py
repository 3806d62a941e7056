"""The schedule says the same everywhere: the page (per tenant card, schedule table, timeline, matrix),
schedule.csv and readiness.json carry the same earliest and latest cut-over, reason and next actions."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from markupsafe import escape

from migrate.report.commands import run_report
from tests.report import world

NOW = "2026-12-04T00:00:00Z"


def test_page_csv_and_json_carry_the_same_schedule(tmp_path: Path) -> None:
    inv = world.inventory(["Acme Clinics", "Bluebird Retail", "Cobalt Bank", "Delta Logistics"], sandbox=True)
    inventory, plan = inv.write(tmp_path / "inventory.json"), world.planned(inv).write(tmp_path / "plan.json")
    result = run_report(inventory, plan, tmp_path / "out", now=NOW)
    report = result.report
    assert report.schedules and len(report.schedules) == len(report.tenants)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "schedule.csv").read_text())))
    data = json.loads(result.json.read_text())
    html = result.html.read_text()
    for s, js in zip(report.schedules, data["schedules"], strict=True):
        mine = [r for r in rows if r["tenant"] == s.name]
        assert mine and {(r["earliest_cutover"], r["latest_cutover"], r["reason"]) for r in mine} == {
            (s.earliest, s.latest, s.reason)
        }
        assert {r["code"] for r in mine} == ({i.code for i in s.items} or {""})
        assert (js["earliest"], js["latest"], js["reason"], js["actions"]) == (
            s.earliest, s.latest, s.reason, list(s.actions),
        )  # fmt: skip
        assert 1 <= len(s.actions) <= 3
        card = re.search(rf'<details class="tenant" id="{s.anchor}".*?</details>', html, re.S)
        assert card is not None and f"Earliest cut-over: {s.earliest}" in card.group(0)
        assert all(str(escape(a)) in card.group(0) for a in s.actions)
    # The timeline has one bar per tenant; the matrix one row per tenant and a cell per code it concerns.
    assert report.timeline is not None and len(report.timeline.rows) == len(report.schedules)
    assert html.count("<rect class=") >= len(report.schedules)
    for (name, _anchor, cells), s in zip(report.matrix.rows, report.schedules, strict=True):
        assert name == s.name
        states = dict(zip(report.matrix.codes, cells, strict=True))
        assert {c for c, v in states.items() if v} == {i.code for i in s.items}
        assert all(states[i.code] == i.state for i in s.items)
