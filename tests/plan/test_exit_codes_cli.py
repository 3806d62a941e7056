"""The exit-code table (README): 0 nothing to do, 2 steps pending, 1 error, 3 blockers (--fail-on blocker).

A CI loop "exit 2 -> apply" must end: once apply has done every step, plan says 0 even with blockers left.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from plan.factories import CLEAN_OVERRIDES, app_id, clean_world
from plan.test_diff import _applied, _plan


def _world(blocker: bool):  # type: ignore[no-untyped-def]
    world = clean_world()
    if blocker:  # Kinesis event streams have no v2 target: a blocker apply cannot close
        world.stream(
            app_id("Acme Clinics"), "kinesis", "acme-events", "pinpoint-events", ("pinpoint.amazonaws.com",)
        )
    return world


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _files(tmp_path: Path, *, applied: bool, blocker: bool) -> tuple[Path, Path]:
    world = _world(blocker)
    inventory = world.build()
    if applied:
        inventory = _applied(_plan(world.build(), CLEAN_OVERRIDES), world)
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(CLEAN_OVERRIDES, encoding="utf-8")
    return inventory.write(tmp_path / "inventory.json"), overrides


@pytest.mark.parametrize(
    ("applied", "blocker", "detailed", "fail_on", "expected"),
    [
        (False, False, True, False, 2), (False, False, False, False, 0), (True, False, True, False, 0),
        (True, True, True, False, 0), (True, True, False, False, 0), (True, True, True, True, 3),
        (False, True, True, True, 3), (False, True, True, False, 2), (True, False, True, True, 0),
    ],
)  # fmt: skip
def test_plan_exit_codes(
    tmp_path: Path, applied: bool, blocker: bool, detailed: bool, fail_on: bool, expected: int
) -> None:
    inventory, overrides = _files(tmp_path, applied=applied, blocker=blocker)
    args = ["plan", "--offline", "--inventory", str(inventory), "--overrides", str(overrides)]
    args += ["--out", str(tmp_path)]
    args += ["--detailed-exitcode"] if detailed else []
    args += ["--fail-on", "blocker"] if fail_on else []
    code, output = _invoke(*args)
    assert code == expected, output
    # plan show keeps the same table for the saved plan (always detailed: it changes nothing)
    show = ["plan", "show", str(tmp_path / "plan.json"), *(["--fail-on", "blocker"] if fail_on else [])]
    shown, _ = _invoke(*show)
    assert shown == (expected if detailed or applied or expected == 3 else 2)


def test_plan_show_json_is_one_document(tmp_path: Path) -> None:
    import json

    inventory, overrides = _files(tmp_path, applied=False, blocker=True)
    _invoke(
        "plan",
        "--offline",
        "--inventory",
        str(inventory),
        "--overrides",
        str(overrides),
        "--out",
        str(tmp_path),
    )
    code, output = _invoke("plan", "show", str(tmp_path / "plan.json"), "--output", "json")
    data = json.loads(output)
    assert code == 2 and data["summary"]["steps"] == len(data["steps"]) > 0
    assert data["blockers"] >= 1 and any(f["severity"] == "blocker" for f in data["findings"])
