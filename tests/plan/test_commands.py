"""run_plan / show_plan / plan_permissions: inputs read with clear errors, exports written, exit codes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from migrate.inventory import records as r
from migrate.mapping.exports import render
from migrate.plan.commands import PlanError, PlanInputError, run_plan
from plan.demo_inventory import demo_inventory
from plan.factories import ACCOUNT, CLEAN_OVERRIDES, REGION, clean_world


def _inputs(tmp_path: Path, overrides: str | None = CLEAN_OVERRIDES) -> tuple[Path, Path | None]:
    inventory = clean_world().build().write(tmp_path / "inventory.json")
    if overrides is None:
        return inventory, None
    path = tmp_path / "overrides.toml"
    path.write_text(overrides, encoding="utf-8")
    return inventory, path


def test_inputs_that_cannot_be_used_give_errors_a_person_understands(tmp_path: Path) -> None:
    inventory, overrides = _inputs(tmp_path)
    out = tmp_path / "plan.json"
    with pytest.raises(PlanInputError, match="no such inventory file"):
        run_plan(tmp_path / "absent.json", None, out, offline=True)
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 99}', encoding="utf-8")
    with pytest.raises(PlanInputError, match="schema_version 99"):
        run_plan(broken, None, out, offline=True)
    with pytest.raises(PlanInputError, match="needs the live v2 state"):
        run_plan(inventory, overrides, out, offline=False)
    bad = tmp_path / "bad.toml"
    bad.write_text('[tenants."Acme Clinics"]\nidentities = ["+12065550100"]\nowner = "x"\n', encoding="utf-8")
    with pytest.raises(PlanInputError, match=r"bad\.toml:3: tenants\.\"Acme Clinics\"\.owner: unknown key"):
        run_plan(inventory, bad, out, offline=True)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('\n[tenants."Zed"]\nslug = "z"\n', encoding="utf-8")
    with pytest.raises(PlanInputError, match=r"unknown\.toml:2: .*no Pinpoint project"):
        run_plan(inventory, unknown, out, offline=True)
    assert not out.exists()
    assert issubclass(PlanInputError, PlanError)


def test_detailed_exit_codes_follow_terraform(tmp_path: Path) -> None:
    inventory, overrides = _inputs(tmp_path)
    result = run_plan(inventory, overrides, tmp_path / "plan.json", offline=True)
    assert (
        result.has_changes and result.exit_code(detailed=True) == 2 and result.exit_code(detailed=False) == 0
    )
    assert "+ create" in result.text


def test_a_live_scan_is_planned_against_and_fingerprinted(tmp_path: Path) -> None:
    inventory, overrides = _inputs(tmp_path)
    live = clean_world().build()
    live.add(r.OptOutList(account=ACCOUNT, region=REGION, name="pinpoint-acme-clinics", arn="arn:l", size=1))
    live_path = live.write(tmp_path / "live.json")
    from_path = run_plan(inventory, overrides, tmp_path / "a.json", offline=False, live_inventory=live_path)
    from_object = run_plan(inventory, overrides, tmp_path / "b.json", offline=False, live_inventory=live)
    assert from_path.path.read_bytes() == from_object.path.read_bytes()
    offline = run_plan(inventory, overrides, tmp_path / "c.json", offline=True).plan
    assert from_path.plan.data["inputs"]["live_sha256"] != offline.data["inputs"]["live_sha256"]
    assert from_path.plan.plan_id != offline.plan_id
    lists = [c for c in from_path.plan.changes if c["resource_type"] == "opt_out_list"]
    assert lists[0]["action"] == "update"


def test_exports_are_written_where_asked_and_match_the_plan(tmp_path: Path) -> None:
    inventory = demo_inventory().build().write(tmp_path / "inventory.json")
    folder = tmp_path / "exports"
    result = run_plan(inventory, None, tmp_path / "plan.json", offline=True, export_dir=folder)
    listed = result.plan.data["exports"]
    assert result.plan.data["export_dir"] == str(folder)
    assert len(result.exports) == len(listed) == 31
    for item in listed:
        target = folder / item["path"]
        assert hashlib.sha256(target.read_bytes()).hexdigest() == item["sha256"]
        if target.suffix == ".json":
            json.loads(target.read_text(encoding="utf-8"))
        if target.suffix == ".j2":
            rendered = render(target.read_text(encoding="utf-8"), user_attributes={"FirstName": ["Ada"]})
            assert "Ada" in rendered


def test_a_hostile_or_damaged_inventory_is_refused_with_the_record_and_field(tmp_path: Path) -> None:
    inventory = clean_world().build().write(tmp_path / "inventory.json")
    data = json.loads(inventory.read_text(encoding="utf-8"))
    data["records"]["opt_out_lists"][0]["size"] = "forty"
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        PlanInputError, match=r"opt_out_lists record 111122223333/us-east-1/Default: field `size`"
    ):
        run_plan(damaged, None, tmp_path / "plan.json", offline=True)
    data["records"]["opt_out_lists"][0]["size"] = 0
    data["records"]["channels"][0]["sender_id"] = ["A", "B"]
    damaged.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanInputError, match="field `sender_id` should be str"):
        run_plan(damaged, None, tmp_path / "plan.json", offline=True)
