"""plan.json: golden, deterministic, loaded with checks; `plan show` and `plan permissions` output."""

from __future__ import annotations

import hashlib
import json
import os
import random
from pathlib import Path

import pytest

from migrate.mapping.overrides import Overrides, parse_overrides
from migrate.plan.commands import PlanFileError, compute_plan, plan_permissions, run_plan, show_plan
from migrate.plan.planfile import _integrity, load_plan
from migrate.plan.show import render_plan
from plan.demo_inventory import RESOLVING_OVERRIDES, demo_inventory
from plan.factories import CLEAN_OVERRIDES, clean_world

GOLDEN = Path(__file__).parent / "golden" / "plan.json"


def _demo_files(tmp_path: Path) -> Path:
    return demo_inventory().build().write(tmp_path / "inventory.json")


def test_the_demo_plan_matches_the_golden_file(tmp_path: Path) -> None:
    result = run_plan(_demo_files(tmp_path), None, tmp_path / "plan.json", offline=True)
    written = result.path.read_text(encoding="utf-8")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(written, encoding="utf-8")
    assert written == GOLDEN.read_text(encoding="utf-8"), (
        "plan changed: review, then rerun with UPDATE_GOLDEN=1"
    )


def test_same_inputs_give_the_same_bytes_whatever_the_record_order(tmp_path: Path) -> None:
    inventory = _demo_files(tmp_path)
    first = run_plan(inventory, None, tmp_path / "a.json", offline=True).path.read_bytes()
    second = run_plan(inventory, None, tmp_path / "b.json", offline=True).path.read_bytes()
    assert first == second
    shuffled = demo_inventory().build()
    rng = random.Random(7)
    for items in shuffled.records.values():
        rng.shuffle(items)
    sha = hashlib.sha256(inventory.read_bytes()).hexdigest()
    again = compute_plan(shuffled, Overrides(), shuffled, inventory_sha256=sha, offline=True)
    assert again.dumps().encode() == first


def test_the_plan_file_says_what_it_was_computed_from(tmp_path: Path) -> None:
    inventory = _demo_files(tmp_path)
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(RESOLVING_OVERRIDES, encoding="utf-8")
    plan = run_plan(inventory, overrides, tmp_path / "plan.json", offline=True).plan
    data = plan.data
    assert data["kind"] == "pinpoint-migrate-plan" and data["schema_version"] == 1
    assert data["inputs"]["inventory_sha256"] == hashlib.sha256(inventory.read_bytes()).hexdigest()
    assert data["inputs"]["overrides_sha256"] == hashlib.sha256(overrides.read_bytes()).hexdigest()
    assert data["inputs"]["overrides_file"] == "overrides.toml" and len(data["inputs"]["live_sha256"]) == 64
    assert data["plan_id"].startswith("plan-") and data["accounts"] == ["111122223333"]
    assert {t["slug"] for t in data["tenants"]} == {
        "acme-clinics", "bluebird-retail", "cobalt-bank", "delta-logistics", "everest-travel", "fjord-energy",
    }  # fmt: skip
    assert [s["name"] for s in data["skipped"]] == ["Gamma Marketing"]
    for step in plan.steps:
        assert set(step) >= {"id", "kind", "target", "parameters", "depends_on", "permissions", "destructive"}
        assert step["permissions"] and step["destructive"] is False and step["action"] in ("create", "update")
    assert data["summary"]["findings"]["blocker"] == sum(f["severity"] == "blocker" for f in data["findings"])


def test_load_refuses_damaged_tampered_and_foreign_plans(tmp_path: Path) -> None:
    path = run_plan(_demo_files(tmp_path), None, tmp_path / "plan.json", offline=True).path
    assert load_plan(path).dumps() == path.read_text(encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))

    def write(doc: object, name: str) -> Path:
        target = tmp_path / name
        target.write_text(json.dumps(doc), encoding="utf-8")
        return target

    tampered = json.loads(json.dumps(data))
    tampered["steps"][0]["parameters"]["OptOutListName"] = "someone-else"
    reordered = json.loads(json.dumps(data))
    reordered["steps"].reverse()
    reordered["integrity"] = _integrity(reordered)
    future = {**data, "schema_version": 2}
    cases = {
        "tampered.json": (tampered, "integrity check failed"),
        "future.json": (future, "schema_version 2"),
        "other.json": ({"hello": 1}, "not a pinpoint-migrate plan"),
        "reordered.json": (reordered, "does not come before it"),
        "partial.json": ({k: v for k, v in data.items() if k != "steps"}, "`steps` is missing"),
    }
    for name, (doc, words) in cases.items():
        with pytest.raises(PlanFileError, match=words):
            load_plan(write(doc, name))
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(PlanFileError, match="not valid JSON"):
        show_plan(tmp_path / "junk.json")
    with pytest.raises(PlanFileError, match="no such plan file"):
        plan_permissions(tmp_path / "absent.json")


def test_show_prints_a_terraform_like_summary(tmp_path: Path) -> None:
    path = run_plan(_demo_files(tmp_path), None, tmp_path / "plan.json", offline=True).path
    text = show_plan(path)
    assert "  + create    opt-out list       pinpoint-acme-clinics" in text
    assert "  ! blocked   pool               pinpoint-acme-clinics" in text
    assert "        blocked by ORIGINATION_IDENTITY_SHARED" in text
    assert '        opt_out_list: "Default" -> "pinpoint-bluebird-retail"' in text
    assert "Plan: 28 to create, 0 to update, 0 unchanged, 11 blocked;" in text
    assert "BLOCKERS (" in text and "runbook: pinpoint-migrate runbook ORIGINATION_IDENTITY_SHARED" in text
    world = clean_world().build()
    noop = compute_plan(
        world, parse_overrides(CLEAN_OVERRIDES), world, inventory_sha256="0" * 64, offline=True
    )
    assert "= unchanged" not in render_plan(noop) and "~ update" not in render_plan(noop)


def test_permissions_are_least_privilege_policy_json(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(RESOLVING_OVERRIDES, encoding="utf-8")
    result = run_plan(_demo_files(tmp_path), overrides, tmp_path / "plan.json", offline=True)
    policy = json.loads(plan_permissions(result.path))
    assert policy["Version"] == "2012-10-17"
    granted: dict[str, set[str]] = {}
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        resources = (
            statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        )
        for action in statement["Action"]:
            granted.setdefault(action, set()).update(resources)
    for step in result.plan.steps:
        for grant in step["permissions"]:
            assert grant["resource"] in granted[grant["action"]], (step["id"], grant)
    wildcard = {a for a, r in granted.items() if "*" in r}
    assert wildcard == {"sms-voice:DescribeOptOutLists", "sms-voice:DescribeConfigurationSets",
                        "sms-voice:DescribePools", "sms-voice:DescribePhoneNumbers"}  # fmt: skip
    pass_role = next(s for s in policy["Statement"] if s["Action"] == ["iam:PassRole"])
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "sms-voice.amazonaws.com"}}
    assert not any(a.startswith("sms-voice:Delete") for a in granted)
