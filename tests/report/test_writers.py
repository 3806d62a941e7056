"""run_report: files, modes, determinism, CSV safety, inputs it refuses; the HTML's safety properties."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import stat
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from migrate.apply.errors import JournalError
from migrate.fileio import safe_cell
from migrate.inventory.snapshot import load_inventory
from migrate.plan.errors import PlanFileError
from migrate.report.commands import ReportError, run_report
from migrate.report.html import SECTIONS, render_html
from migrate.report.model import build_report
from tests.report import world

NOW = "2026-11-27T02:00:00Z"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


def _inputs(tmp_path: Path, names: list[str] | None = None) -> tuple[Path, Path]:
    inv = world.inventory(names)
    return inv.write(tmp_path / "inventory.json"), world.planned(inv).write(tmp_path / "plan.json")


def test_run_report_writes_every_file_deterministically(tmp_path: Path) -> None:
    inventory, plan = _inputs(tmp_path)
    first = run_report(inventory, plan, tmp_path / "a", now=NOW)
    second = run_report(inventory, plan, tmp_path / "b", now=NOW)
    names = sorted(p.name for p in first.files)
    csvs = ["tenants.csv", "schedule.csv", "identities.csv", "changes.csv", "steps.csv", "findings.csv"]
    assert names == sorted(["readiness.html", "readiness.json", *csvs])
    for a, b in zip(first.files, second.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        assert stat.S_IMODE(a.stat().st_mode) == 0o644
    assert not list((tmp_path / "a").glob(".*"))  # no temporary file left behind
    data = json.loads(first.json.read_text())
    assert data["meta"]["generated_at"] == NOW
    tenants = pd.read_csv(first.csv[0], dtype=str)
    assert list(tenants["readiness"]) == ["blocked", "needs-action", "ready"]


def test_show_numbers_files_are_private(tmp_path: Path) -> None:
    inventory, plan = _inputs(tmp_path)
    result = run_report(inventory, plan, tmp_path / "out", show_numbers=True, now=NOW)
    for path in result.files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert "+12065550000" in result.html.read_text()
    masked = run_report(inventory, plan, tmp_path / "masked", now=NOW)
    # masking hides recipients; these are the account's own origination numbers: shown in full everywhere
    own = {n.phone_number for n in load_inventory(inventory).of("phone_numbers")}
    for path in masked.files:
        shown = set(re.findall(r"\+\d{7,15}(?![\d*])", path.read_text()))
        assert shown <= own, path.name


def test_csv_cells_cannot_become_formulas(tmp_path: Path) -> None:
    names = ['=HYPERLINK("http://x")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "Normal"]
    inventory, plan = _inputs(tmp_path, names)
    result = run_report(inventory, plan, tmp_path / "out", now=NOW)
    frame = pd.read_csv(io.StringIO((tmp_path / "out" / "tenants.csv").read_text()), dtype=str)
    assert sorted(frame["name"]) == sorted(
        ['\'=HYPERLINK("http://x")', "'@SUM(A1)", "'+cmd|' /C calc'!A0", "'-2+3", "Normal"]
    )
    assert safe_cell("+1206555****") == "+1206555****"
    assert safe_cell("-12") == "-12"
    assert safe_cell(3) == 3
    assert result.html.exists()


def test_refuses_unreadable_inputs(tmp_path: Path) -> None:
    inventory, plan = _inputs(tmp_path)
    with pytest.raises(PlanFileError, match="no such plan file"):
        run_report(inventory, tmp_path / "missing.json", tmp_path / "out")
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(PlanFileError, match="not a pinpoint-migrate plan"):
        run_report(inventory, bad, tmp_path / "out")
    edited = json.loads(plan.read_text())
    edited["tenants"][0]["name"] = "Someone Else"
    bad.write_text(json.dumps(edited))
    with pytest.raises(PlanFileError, match="integrity"):
        run_report(inventory, bad, tmp_path / "out")
    with pytest.raises(ReportError, match="no such journal file"):
        run_report(inventory, plan, tmp_path / "out", journal_path=tmp_path / "none.jsonl")
    bad.write_text("[")
    with pytest.raises(ReportError, match="verify results file is not valid JSON"):
        run_report(inventory, plan, tmp_path / "out", verify_path=bad)
    bad.write_text(json.dumps({"kind": "pinpoint-migrate-verify", "plan_id": "plan-other", "steps": []}))
    with pytest.raises(ReportError, match="verify results of plan plan-other"):
        run_report(inventory, plan, tmp_path / "out", verify_path=bad)
    assert not (tmp_path / "out" / "readiness.html").exists()


def test_journal_from_apply_torn_last_line_noted_damage_refused(tmp_path: Path) -> None:
    inventory, plan_path = _inputs(tmp_path)
    plan_id = json.loads(plan_path.read_text())["plan_id"]
    step = json.loads(plan_path.read_text())["steps"][0]["id"]
    journal = tmp_path / "journal.jsonl"
    lines = [
        {"event": "start", "plan": plan_id, "step": step},
        {"event": "end", "plan": plan_id, "step": step, "status": "ok"},
    ]
    journal.write_text("".join(json.dumps(r) + "\n" for r in lines) + '{"event": "start", "pla')
    result = run_report(inventory, plan_path, tmp_path / "out", journal_path=journal, now=NOW)
    assert result.notes and "cut off" in result.notes[0]
    assert {s.step_id: s.status for s in result.report.steps}[step] == "applied"
    first = json.dumps({"event": "start", "plan": plan_id})
    journal.write_text(f'{first}\nnot json\n{{"event": "x"}}\n')
    with pytest.raises(JournalError, match=r"journal.jsonl:2"):
        run_report(inventory, plan_path, tmp_path / "out", journal_path=journal)
    journal.write_text(json.dumps({"event": "start", "plan": "plan-other", "step": step}) + "\n")
    with pytest.raises(ReportError, match="no record of plan"):
        run_report(inventory, plan_path, tmp_path / "out", journal_path=journal)


def test_hostile_names_are_text_in_the_html() -> None:
    html = render_html(build_report(world.inventory(), world.plan()))
    assert world.HOSTILE not in html and world.SCRIPT not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count("<script>") == 1 and html.count("</script>") == 1  # only the report's own script
    assert "{{7*7}}" not in html or "49" not in html  # data is never a template


def test_template_injection_is_not_evaluated() -> None:
    names = [world.TEMPLATE]
    html = render_html(build_report(world.inventory(names), world.plan(names)))
    assert "{{7*7}}" in html


def test_csp_pins_the_inline_script_and_style() -> None:
    html = render_html(build_report(world.inventory(), world.plan()))
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert found is not None
    csp = unescape(found.group(1))
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)  # type: ignore[union-attr]
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)  # type: ignore[union-attr]
    for text in (script, style):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    # nothing in the page loads from anywhere, and no element carries an event handler
    tags = _Tags()
    tags.feed(html)
    assert not [a for a in tags.attributes if a[1] in ("src", "srcset", "background", "poster", "data")]
    assert not [a for a in tags.attributes if a[1].startswith("on")]
    assert not {"link", "img", "iframe", "object", "embed", "image", "use"} & tags.names
    hrefs = {value for _, name, value in tags.attributes if name == "href"}
    assert all(h.startswith(("#", "https://")) for h in hrefs), hrefs
    assert "url(" not in style and "@import" not in style


def test_every_section_is_in_the_page() -> None:
    html = render_html(build_report(world.inventory(), world.plan()))
    for section, _ in SECTIONS:
        assert f'<section class="part" id="{section}"' in html
    assert 'data-check="EVENT_STREAM_KINESIS_UNSUPPORTED@111122223333/us-east-1/acme-clinics"' in html
    assert html.count('<details class="tenant"') == 3
