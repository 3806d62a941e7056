"""Golden files: the export of known plans, byte for byte (regenerate with UPDATE_GOLDEN=1), and determinism."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from iac import worlds
from iac.helpers import files
from migrate.iac.commands import render
from migrate.plan.planfile import Plan

GOLDEN = Path(__file__).parent / "golden"
WORLDS = {"demo": worlds.demo, "applied": worlds.applied, "mixed": worlds.mixed}
FORMATS = ("cloudformation", "terraform")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("world", sorted(WORLDS))
def test_export_matches_the_golden_files(world: str, fmt: str) -> None:
    rendered = files(WORLDS[world](), fmt)
    folder = GOLDEN / world / fmt
    if os.environ.get("UPDATE_GOLDEN"):
        for old in folder.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, text in rendered.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    expected = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in folder.rglob("*")
        if p.is_file()
    }
    assert sorted(rendered) == sorted(expected), "files differ: UPDATE_GOLDEN=1 regenerates them"
    for name, text in rendered.items():
        assert text == expected[name], f"{world}/{fmt}/{name} differs: UPDATE_GOLDEN=1 regenerates it"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_plan_gives_the_same_bytes_even_read_back_from_its_file(fmt: str) -> None:
    plan, inventory = worlds.mixed()
    first = render(plan, inventory, fmt)
    reread = Plan(json.loads(plan.dumps()))
    assert render(reread, inventory, fmt) == first
    assert render(plan, inventory, fmt) == first
