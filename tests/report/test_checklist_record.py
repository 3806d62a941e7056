"""The checklist as a record: exported from the page (who, when, note per item), imported in another
browser, and rendered by `report --checklist FILE`; a bad record is one line naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.report.commands import ReportError, run_report
from migrate.report.record import ChecklistError, load_record
from tests.report import world
from tests.report.test_browser import CHROMIUM, Watched, browser  # noqa: F401  (the fixture)

NOW = "2026-11-27T00:00:00Z"


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    inv = world.inventory(sandbox=True)
    return inv.write(tmp_path / "inventory.json"), world.planned(inv).write(tmp_path / "plan.json")


def _report(tmp_path: Path, checklist: Path | None = None, out: str = "report") -> Any:
    inventory, plan = _inputs(tmp_path)
    return run_report(inventory, plan, tmp_path / out, now=NOW, checklist_path=checklist)


def _items(result: Any) -> list[Any]:
    return [i for how in result.report.checklist for g in how.groups for i in g.items]


def _record(result: Any, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "kind": "pinpoint-migrate-checklist",
        "version": 1,
        "report_key": result.report.meta.report_key,
        "plan_id": result.report.meta.plan_id,
        "exported_at": "2026-12-01T09:30:00Z",
        "exported_by": "Ana",
        "items": items,
        **extra,
    }


def test_report_with_a_record_shows_who_did_what(tmp_path: Path) -> None:
    plain = _report(tmp_path)
    ids = [i.item_id for i in _items(plain)]
    assert len(ids) >= 2
    path = tmp_path / "record.json"
    entries = [
        {
            "id": ids[0],
            "done": True,
            "by": "Ana Lima",
            "at": "2026-12-01T09:12:00+01:00",
            "note": "case 1234 opened",
        },
        {"id": ids[1], "done": False, "by": "Raj", "at": "2026-12-02T10:00:00Z", "note": "waiting on legal"},
        {"id": "GONE@111122223333/us-east-1", "done": True, "by": "Raj", "at": "", "note": ""},
    ]
    path.write_text(json.dumps(_record(plain, entries)))
    result = _report(tmp_path, path, "with-record")
    recorded = {i.item_id: i.record for i in _items(result) if i.record is not None}
    assert set(recorded) == {ids[0], ids[1]}
    assert recorded[ids[0]].at == "2026-12-01T08:12:00Z"  # kept as UTC
    assert recorded[ids[0]].done and not recorded[ids[1]].done
    assert any("1 recorded item(s) are not in this report" in n and "GONE" in n for n in result.notes)
    html = result.html.read_text()
    assert 'id="record-table"' in html and "Ana Lima" in html and "waiting on legal" in html
    assert "record.json, exported 2026-12-01T09:30:00Z by Ana" in html
    data = json.loads(result.json.read_text())
    assert "Ana Lima" in json.dumps(data["checklist"])
    assert result.html.read_text() == _report(tmp_path, path, "again").html.read_text()  # deterministic
    assert 'id="record-table"' not in plain.html.read_text()


def test_a_number_typed_into_a_note_is_masked(tmp_path: Path) -> None:
    plain = _report(tmp_path)
    first = _items(plain)[0].item_id
    path = tmp_path / "record.json"
    entry = {"id": first, "done": True, "by": "Ana", "at": "", "note": "called +12065550199 back"}
    path.write_text(json.dumps(_record(plain, [entry])))
    html = _report(tmp_path, path, "masked").html.read_text()
    assert "+12065550199" not in html and "+1206555****" in html


BAD = [
    ("{", "not valid JSON"),
    ("[]", "not a checklist record"),
    ('{"kind": "pinpoint-migrate-checklist", "version": 2}', "version 2"),
    (
        '{"kind": "pinpoint-migrate-checklist", "version": 1, "report_key": "x", "items": {}}',
        "items must be a list",
    ),
    (
        '{"kind": "pinpoint-migrate-checklist", "version": 1, "report_key": "x", "items": [{"id": "A", "done": "yes"}]}',
        "item 1 (A): done",
    ),
    (
        '{"kind": "pinpoint-migrate-checklist", "version": 1, "report_key": "x", "items": [{"id": "A", "done": true, "at": "yesterday"}]}',
        "item 1 (A): at must be an ISO 8601",
    ),
    (
        '{"kind": "pinpoint-migrate-checklist", "version": 1, "report_key": "x", "items": [{"id": "A", "done": true}, {"id": "A", "done": false}]}',
        "item 2 (A) is recorded twice",
    ),
    (
        '{"kind": "pinpoint-migrate-checklist", "version": 1, "report_key": "x", "items": [{"id": "A", "done": true, "who": "x"}]}',
        "unknown field(s) who",
    ),
    (
        '{"kind": "pinpoint-migrate-checklist", "version": 1, "report_key": "x", "items": [{"id": "A", "done": true, "note": 3}]}',
        "note must be text",
    ),
]


@pytest.mark.parametrize(("text", "problem"), BAD)
def test_a_bad_record_is_refused_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ChecklistError) as caught:
        load_record(path)
    assert str(caught.value).startswith(f"{path}: ") and problem in str(caught.value)


def test_cli_refuses_a_bad_or_foreign_record_in_one_line(tmp_path: Path) -> None:
    inventory, plan = _inputs(tmp_path)
    plain = run_report(inventory, plan, tmp_path / "r", now=NOW)
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps(_record(plain, [], report_key="0123456789abcdef")))
    with pytest.raises(ReportError, match="the checklist record of another report"):
        run_report(inventory, plan, tmp_path / "r2", now=NOW, checklist_path=foreign)
    for path in (foreign, tmp_path / "missing.json"):
        out = tmp_path / "cli-out"
        result = CliRunner().invoke(
            cli, ["report", "--inventory", str(inventory), "--plan", str(plan), "--out", str(out),
                  "--now", NOW, "--checklist", str(path)],
        )  # fmt: skip
        assert result.exit_code == 1, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in result.output
        assert not (out / "readiness.html").exists()  # nothing written


pytestmark_browser = pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed")


@pytest.mark.browser
@pytestmark_browser
def test_export_import_round_trip_in_chromium(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect

    first = _report(tmp_path)
    watched = Watched(browser, first.html)
    page = watched.open()
    page.fill("#checklist-who", "Ana Lima")
    page.dispatch_event("#checklist-who", "change")
    box = page.locator("input[data-check]").nth(1)
    item_id = box.get_attribute("data-check")
    box.check()
    note = page.locator(f'input[data-note="{item_id}"]')
    note.fill("support case 1234 opened")
    note.dispatch_event("change")
    who = page.locator(f'[data-who-for="{item_id}"]').text_content() or ""
    assert who.startswith("done · Ana Lima · 20") and who.endswith("Z")
    with page.expect_download() as caught:
        page.click("#checklist-export")
    exported = tmp_path / "exported.json"
    caught.value.save_as(exported)
    record = load_record(exported)  # what the page writes, the tool reads
    assert record.report_key == first.report.meta.report_key and record.exported_by == "Ana Lima"
    entry = record.items[item_id]
    assert entry.done and entry.by == "Ana Lima" and entry.note == "support case 1234 opened" and entry.at
    watched.assert_quiet()
    watched.context.close()

    # A teammate's browser (nothing stored) imports the file.
    other = Watched(browser, first.html)
    page = other.open()
    assert not page.locator(f'input[data-check="{item_id}"]').is_checked()
    page.set_input_files("#checklist-import", str(exported))
    expect(page.locator("#checklist-status")).to_contain_text("imported 1 item(s)")
    assert page.locator(f'input[data-check="{item_id}"]').is_checked()
    assert page.locator(f'input[data-note="{item_id}"]').input_value() == "support case 1234 opened"
    total = page.locator("input[data-check]").count()
    assert page.locator('output[data-progress="checklist"]').text_content() == f"1 of {total} done"
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "something else"}')
    page.set_input_files("#checklist-import", str(bad))
    expect(page.locator("#checklist-status")).to_contain_text("bad.json: not a checklist record")
    other.assert_quiet()
    other.context.close()

    # `report --checklist` renders the record: ticked, with who and when, in a fresh browser too.
    rendered = _report(tmp_path, exported, "rendered")
    third = Watched(browser, rendered.html)
    page = third.open()
    assert page.locator(f'input[data-check="{item_id}"]').is_checked()
    assert "Ana Lima" in (page.locator(f'[data-who-for="{item_id}"]').text_content() or "")
    assert page.locator("#record-table tbody tr").count() == 1
    assert "support case 1234 opened" in (page.locator("#record-table").text_content() or "")
    third.assert_quiet()
    third.context.close()
