"""Emulator world files and the apply journal: any file gives a result or the module's own error.

World files: `Emulator.load` answers an `Emulator` or `WorldFileError` (what loading a damaged world's
*content* does is pinned in `test_known_bugs.py`). Journals: `read_journal` and `Journal.open` answer
records or `JournalError` for any bytes; a torn last line is dropped with a note, damage in the middle
is refused; what the journal's records say is folded by `plan_state`/`applied_steps` without error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from migrate.apply.errors import ApplyError, JournalError
from migrate.apply.journal import Journal, read_journal
from migrate.apply.state import applied_steps, plan_state
from migrate.emulator import Emulator, WorldFileError
from migrate.emulator.emulator import WORLD_FORMAT, WORLD_VERSION
from reliability.strategies import RELIABLE, any_bytes, json_values

EVENTS = ("apply-start", "rollback-start", "start", "result", "checkpoint", "end", "reset", "undo")
records = st.fixed_dictionaries(
    {"event": st.sampled_from(EVENTS) | json_values, "plan": st.sampled_from(["p1", "p2"]) | json_values},
    optional={
        "step": st.sampled_from(["s1", "s2"]) | json_values,
        "status": st.sampled_from(["ok", "failed"]) | json_values,
        "result": st.dictionaries(st.text(max_size=5), json_values, max_size=3) | json_values,
        "position": st.dictionaries(st.text(max_size=5), json_values, max_size=3) | json_values,
        "params": st.dictionaries(st.text(max_size=5), json_values, max_size=3) | json_values,
        "error": json_values,
        "kind": json_values,
    },
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("files")


def _load_world(path: Path) -> None:
    try:
        emu = Emulator.load(path)
    except WorldFileError as exc:
        assert str(path) in str(exc)
        return
    assert isinstance(emu, Emulator)


@RELIABLE
@given(data=any_bytes)
def test_a_world_file_of_any_bytes(folder: Path, data: bytes) -> None:
    path = folder / "world.json"
    path.write_bytes(data)
    _load_world(path)


@RELIABLE
@given(
    head=st.fixed_dictionaries(
        {},
        optional={
            "format": st.just(WORLD_FORMAT) | json_values,
            "version": st.just(WORLD_VERSION) | json_values,
        },
    ),
    rest=st.dictionaries(st.sampled_from(["account_id", "end_of_support", "meta", "x"]), json_values),
)
def test_a_world_file_with_any_header_and_values(
    folder: Path, head: dict[str, Any], rest: dict[str, Any]
) -> None:
    path = folder / "world.json"
    path.write_text(json.dumps({**rest, **head}))
    _load_world(path)


def test_a_saved_world_loads_and_serves(tmp_path: Path) -> None:
    with Emulator() as emu:
        emu.session().client("pinpoint-sms-voice-v2").create_opt_out_list(OptOutListName="kept")
        path = emu.save(tmp_path / "world.json")
    with Emulator.load(path) as again:
        lists = again.session().client("pinpoint-sms-voice-v2").describe_opt_out_lists()["OptOutLists"]
    assert "kept" in {item["OptOutListName"] for item in lists}


def _journal_lines(items: list[Any]) -> bytes:
    return b"".join(json.dumps(item).encode() + b"\n" for item in items)


@RELIABLE
@given(data=any_bytes, tail=st.binary(max_size=40))
def test_a_journal_of_any_bytes(folder: Path, data: bytes, tail: bytes) -> None:
    path = folder / "journal.jsonl"
    path.write_bytes(data + b"\n" + tail)
    try:
        found = read_journal(path)
    except JournalError as exc:
        assert str(path) in str(exc)
        return
    assert all(isinstance(r, dict) for r in found.records)
    try:
        plan_state(found.records, "p1")
        applied_steps(found.records)
    except JournalError as exc:  # a record of the wrong shape: the journal is damaged, and says so
        assert "journal is damaged" in str(exc)


@RELIABLE
@given(items=st.lists(records, max_size=8), cut=st.integers(min_value=0, max_value=30))
def test_a_journal_torn_at_the_end_is_read_and_reopened(folder: Path, items: list[Any], cut: int) -> None:
    whole = _journal_lines(items)
    path = folder / "torn.jsonl"
    kept = whole[: max(0, len(whole) - cut)]
    path.write_bytes(kept)
    found = read_journal(path)  # a torn last line is never an error
    assert found.records == items[: len(found.records)]
    complete = kept.count(b"\n")  # a cut that takes only the newline leaves a whole record
    assert len(found.records) in (complete, complete + 1)
    try:
        state = plan_state(found.records, "p1")
        applied_steps(found.records)
    except JournalError as exc:  # a record of the wrong shape: refused as damage, by name
        assert "journal is damaged" in str(exc)
        return
    assert state.plan_id == "p1"
    with Journal.open(path) as journal:  # opening cuts the torn line off and appends on a clean line
        journal.append("note", plan="p1")
    again = read_journal(path)
    assert again.torn == "" and again.records[-1]["event"] == "note"


@RELIABLE
@given(items=st.lists(records, min_size=2, max_size=6), junk=st.binary(min_size=1, max_size=30))
def test_damage_in_the_middle_of_a_journal_is_refused(folder: Path, items: list[Any], junk: bytes) -> None:
    assume(b"\n" not in junk and junk.strip())
    try:
        json.loads(junk)
        assume(False)  # junk that happens to be JSON is not damage
    except ValueError:
        pass
    path = folder / "damaged.jsonl"
    path.write_bytes(_journal_lines(items[:1]) + junk + b"\n" + _journal_lines(items[1:]))
    with pytest.raises(JournalError, match="damaged in the middle"):
        read_journal(path)
    with pytest.raises(ApplyError):
        Journal.open(path).close()
