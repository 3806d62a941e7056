"""inventory.json and plan.json: any file gives an inventory/plan or the module's own error, never another.

Each parser is fed random bytes, random JSON, and valid documents (the demo inventory, the golden demo
plan) damaged in a few places. A damaged plan is tried twice: as it is (the integrity check must refuse
it) and with its integrity recomputed, as a tool that rewrites plans would do, so the checks behind the
integrity check are reached as well.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from plan.demo_inventory import demo_inventory

from migrate.inventory.snapshot import InventoryError, load_inventory
from migrate.plan.errors import PlanFileError
from migrate.plan.planfile import _integrity, load_plan
from reliability.strategies import RELIABLE, any_bytes, damaged, json_values

GOLDEN_PLAN = Path(__file__).resolve().parent.parent / "plan" / "golden" / "plan.json"
INVENTORY: dict[str, Any] = demo_inventory().inventory.to_json()
PLAN: dict[str, Any] = json.loads(GOLDEN_PLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("parsers")


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _inventory_or_error(path: Path) -> None:
    try:
        inventory = load_inventory(path)
    except InventoryError as exc:
        assert str(path) in str(exc)  # the message names the file
        return
    assert isinstance(inventory.records, dict)


def _plan_or_error(path: Path) -> None:
    try:
        plan = load_plan(path)
    except PlanFileError as exc:
        assert str(path) in str(exc)
        return
    assert plan is not None


def test_the_valid_documents_load(folder: Path) -> None:
    inventory = load_inventory(_write(folder, "inventory.json", json.dumps(INVENTORY).encode()))
    assert inventory.of("pinpoint_apps")
    assert load_plan(_write(folder, "plan.json", json.dumps(PLAN).encode())) is not None


@RELIABLE
@given(data=any_bytes)
def test_inventory_from_any_bytes(folder: Path, data: bytes) -> None:
    _inventory_or_error(_write(folder, "inventory.json", data))


@RELIABLE
@given(doc=st.fixed_dictionaries({"schema_version": st.just(1)}, optional={"x": json_values}).flatmap(
    lambda base: st.dictionaries(
        st.sampled_from(["tool_version", "scanned_at", "accounts", "regions", "sections", "records", "options"]),
        json_values,
    ).map(lambda extra: {**base, **extra})
))  # fmt: skip
def test_inventory_with_any_values_in_its_keys(folder: Path, doc: dict[str, Any]) -> None:
    _inventory_or_error(_write(folder, "inventory.json", json.dumps(doc).encode()))


@RELIABLE
@given(doc=damaged(INVENTORY))
def test_inventory_damaged_anywhere(folder: Path, doc: Any) -> None:
    _inventory_or_error(_write(folder, "inventory.json", json.dumps(doc).encode()))


@RELIABLE
@given(doc=damaged(INVENTORY, near=("records", "sections", "accounts")))
def test_inventory_damaged_in_its_records(folder: Path, doc: Any) -> None:
    _inventory_or_error(_write(folder, "inventory.json", json.dumps(doc).encode()))


@RELIABLE
@given(data=any_bytes)
def test_plan_from_any_bytes(folder: Path, data: bytes) -> None:
    _plan_or_error(_write(folder, "plan.json", data))


@RELIABLE
@given(doc=damaged(PLAN, mutations=2))
def test_a_damaged_plan_is_refused_by_its_integrity_check(folder: Path, doc: Any) -> None:
    path = _write(folder, "plan.json", json.dumps(doc).encode())
    if doc == PLAN or (isinstance(doc, dict) and doc.get("integrity") == _integrity(doc)):
        return  # the damage undid itself
    with pytest.raises(PlanFileError):
        load_plan(path)


@RELIABLE
@given(doc=damaged(PLAN, near=("steps", "changes", "inputs", "accounts", "summary", "kind")))
def test_a_damaged_plan_with_its_integrity_recomputed(folder: Path, doc: Any) -> None:
    if isinstance(doc, dict):
        doc["integrity"] = _integrity(doc)
    _plan_or_error(_write(folder, "plan.json", json.dumps(doc).encode()))
