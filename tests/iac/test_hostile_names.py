"""Text from AWS cannot act where it is printed (issue 13): project names with HTML, Markdown links and
terminal escape sequences print as inert text in `plan` output and the IaC README."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from plan.factories import app_id, clean_world

from migrate.cli import cli

HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) \x1b]8;;http://evil\x07link\x1b]8;;\x07 \x1b[2J\x9b31m"


def _planned(tmp_path: Path) -> Path:
    world = clean_world()
    world.tenant(HOSTILE)
    world.stream(app_id(HOSTILE), "kinesis", "evil", "r", ("pinpoint.amazonaws.com",))  # a blocker naming it
    folder = tmp_path / "migration"
    world.build().write(folder / "inventory.json")
    return folder


def test_plan_output_carries_no_terminal_escape_sequence(tmp_path: Path) -> None:
    folder = _planned(tmp_path)
    result = CliRunner().invoke(
        cli, ["plan", "--offline", "--inventory", str(folder / "inventory.json"), "--out", str(folder)]
    )
    assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(cli, ["plan", "show", str(folder / "plan.json")])
    for text in (result.output, shown.output):
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    assert "\\x1b" in shown.output  # printed visibly instead


def test_iac_readme_has_no_raw_html_or_links_from_names(tmp_path: Path) -> None:
    folder = _planned(tmp_path)
    CliRunner().invoke(
        cli, ["plan", "--offline", "--inventory", str(folder / "inventory.json"), "--out", str(folder)]
    )
    for fmt in ("cloudformation", "terraform"):
        out = tmp_path / fmt
        result = CliRunner().invoke(
            cli, ["export-iac", str(folder / "plan.json"), "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        readme = (out / "README.md").read_text()
        assert "<script" not in readme and "\x1b" not in readme
        assert not re.search(r"(?<!\\)\]\(javascript:", readme)  # a link needs an unescaped "](" (CommonMark)
        assert "&lt;script&gt;" in readme or "`<script>" in readme  # the name is still there, inert
