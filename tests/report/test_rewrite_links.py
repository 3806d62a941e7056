"""`report --rewrite rewrite.json`: each call site links to what rewrite did with it, or why it was left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.report.commands import ReportError, run_report
from tests.report import world

NOW = "2026-11-27T00:00:00Z"


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    inv = world.inventory()
    return inv.write(tmp_path / "inventory.json"), world.planned(inv).write(tmp_path / "plan.json")


def _results(tmp_path: Path, sites: list[dict[str, object]]) -> Path:
    path = tmp_path / "rewrite.json"
    path.write_text(
        json.dumps({"kind": "pinpoint-migrate-rewrite", "patch": "rewrite.patch", "sites": sites})
    )
    return path


@pytest.mark.parametrize(
    ("status", "detail", "shown"),
    [
        (
            "rewritten",
            "send_messages -> send_text_message (tenant acme)",
            "rewritten</strong> in <code>rewrite.patch",
        ),
        (
            "left",
            "ApplicationId is a parameter: the tenant is unknown",
            "left as it is</strong>: ApplicationId",
        ),
        ("note", "AWS SDK v3: replacement in the notes", "replacement in the notes</strong>"),
    ],
)
def test_a_call_site_shows_its_rewrite(tmp_path: Path, status: str, detail: str, shown: str) -> None:
    inventory, plan = _inputs(tmp_path)
    site = {"path": "app/send.py", "line": 12, "status": status, "detail": detail,
            "replacement": "sms.send_text_message(OriginationIdentity='+12065550100')"}  # fmt: skip
    result = run_report(inventory, plan, tmp_path / "out", now=NOW, rewrite_path=_results(tmp_path, [site]))
    row = next(r for r in result.report.call_sites if r.where == "app/send.py:12")
    assert (row.rewrite, row.rewrite_detail) == (status, detail)
    html = result.html.read_text()
    assert shown in html and "+12065550100" not in html
    assert f"rewrite.json: {1 if status == 'rewritten' else 0} rewritten" in html


def test_a_site_the_rewrite_did_not_see_says_so_and_without_results_the_page_says_how(tmp_path: Path) -> None:
    inventory, plan = _inputs(tmp_path)
    other = {"path": "elsewhere.py", "line": 1, "status": "left", "detail": "x"}
    result = run_report(inventory, plan, tmp_path / "a", now=NOW, rewrite_path=_results(tmp_path, [other]))
    assert next(r for r in result.report.call_sites if r.where == "app/send.py:12").rewrite == "unseen"
    plain = run_report(inventory, plan, tmp_path / "b", now=NOW).html.read_text()
    assert "report --rewrite" in plain and "data-rewrite=" not in plain


@pytest.mark.parametrize("text", ["{", "[]", '{"kind": "pinpoint-migrate-rewrite", "sites": [{"path": 1}]}'])
def test_bad_rewrite_results_are_refused_naming_the_file(tmp_path: Path, text: str) -> None:
    inventory, plan = _inputs(tmp_path)
    path = tmp_path / "rewrite.json"
    path.write_text(text)
    with pytest.raises(ReportError) as caught:
        run_report(inventory, plan, tmp_path / "out", now=NOW, rewrite_path=path)
    assert str(caught.value).startswith(f"{path}: ")
    assert not (tmp_path / "out" / "readiness.html").exists()
