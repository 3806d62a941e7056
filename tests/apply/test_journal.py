"""The journal: fsynced JSON lines, a torn last line dropped with a note, damage refused, one writer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.apply.errors import JournalError, LockError
from migrate.apply.journal import Journal, read_journal
from migrate.apply.state import applied_steps, plan_state


def test_records_round_trip_and_each_is_a_whole_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    with Journal.open(path) as journal:
        journal.append("start", plan="p", step="a", kind="create_pool", params={"x": 1})
        journal.append("end", plan="p", step="a", status="ok")
        assert path.with_name("journal.jsonl.lock").exists()
    assert not path.with_name("journal.jsonl.lock").exists()
    lines = path.read_text().splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["start", "end"]
    assert all("at" in json.loads(line) for line in lines)
    assert read_journal(path).records[1]["status"] == "ok"


def test_a_torn_last_line_is_dropped_with_a_note_and_cut_off_before_the_next_record(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text('{"event": "start", "plan": "p", "step": "a"}\n{"event": "end", "plan": "p", "st')
    found = read_journal(path)
    assert [r["event"] for r in found.records] == ["start"]
    assert "last record was cut off" in found.torn and "checked again" in found.torn
    with Journal.open(path) as journal:
        assert journal.notes and "cut off" in journal.notes[0]
        journal.append("end", plan="p", step="a", status="ok")
    assert [json.loads(line)["event"] for line in path.read_text().splitlines()] == ["start", "end"]
    assert read_journal(path).torn == ""


def test_a_whole_last_record_without_its_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text('{"event": "start", "plan": "p", "step": "a"}')
    with Journal.open(path) as journal:
        journal.append("end", plan="p", step="a", status="ok")
    assert [r["event"] for r in read_journal(path).records] == ["start", "end"]


def test_damage_in_the_middle_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text('{"event": "start"}\nnot json at all\n{"event": "end"}\n')
    with pytest.raises(JournalError, match=r"journal.jsonl:2: not a journal record .*damaged in the middle"):
        read_journal(path)
    with pytest.raises(JournalError):
        Journal.open(path)
    assert not path.with_name("journal.jsonl.lock").exists()  # a refused open leaves no lock behind


def test_a_second_writer_is_refused_naming_the_first(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    with (
        Journal.open(path),
        pytest.raises(LockError, match=rf"in use by another run \(apply pid {os.getpid()} on "),
    ):
        Journal.open(path, command="rollback")
    with Journal.open(path) as again:  # released on close
        assert again.notes == []


def test_a_lock_held_by_another_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time; from migrate.apply.journal import Journal; "
         f"j = Journal.open(__import__('pathlib').Path({str(path)!r})); print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockError, match=rf"apply pid {holder.pid} on"):
            Journal.open(path)
    finally:
        holder.kill()
        holder.wait()
    with Journal.open(path) as journal:  # the kernel released the killed holder's lock: stale, taken over
        assert any(f"pid {holder.pid}" in n and "stale, taken over" in n for n in journal.notes)


def test_plan_state_and_generations() -> None:
    records = [
        {"event": "apply-start", "plan": "p"},
        {
            "event": "start",
            "plan": "p",
            "step": "a",
            "kind": "create_pool",
            "account": "1",
            "region": "r",
            "params": {},
        },
        {"event": "result", "plan": "p", "step": "a", "result": {"PoolId": "pool-1"}},
        {"event": "end", "plan": "p", "step": "a", "status": "ok"},
        {
            "event": "start",
            "plan": "p",
            "step": "b",
            "kind": "fill_opt_out_list",
            "account": "1",
            "region": "r",
        },
        {"event": "checkpoint", "plan": "p", "step": "b", "position": {"source": 0, "offset": 250}},
        {"event": "end", "plan": "q", "step": "a", "status": "ok"},
    ]
    state = plan_state(records, "p")
    assert state.done("a") and not state.done("b") and state.started is not None
    assert state.result("a") == {"PoolId": "pool-1"} and state.checkpoints["b"]["offset"] == 250
    assert state.token("tok", "a") == "tok"
    assert [a.step_id for a in applied_steps(records)] == ["a"]
    records += [
        {"event": "rollback-start", "plan": "p"},
        {"event": "undo", "plan": "p", "step": "a", "status": "ok"},
    ]
    state = plan_state(records, "p")
    assert not state.done("a") and state.started is None and applied_steps(records) == []
    assert state.token("tok", "a") != "tok" and len(state.token("tok", "a")) == 64  # a new ClientToken
