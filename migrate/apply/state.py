"""What a journal says about one plan: which steps are done, what they made, where a fill stopped.

The journal is the only memory between runs. A step is done when its last word is an `end` with status
`ok` and no `undo` (rollback) or `reset` came after it; its result (ids, ARNs, previous values) is the last
`result` record. A fill's `checkpoint` says how far it got. An undone create bumps the step's
*generation*, so a later re-apply sends a new ClientToken instead of getting the deleted resource's
earlier answer replayed.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from migrate.apply.errors import JournalError

OK = "ok"
# A fill onto `Default` journals the numbers it is about to put there (that `Default` lacked) before it
# puts them: the journal is 0600 for this reason too. The record names the tenant list they were copied
# from (`list`), and also lists that list's numbers `Default` already held because the tool had put them
# there for another list (`held`): both are that list's own, never "another tenant's" to it.
DEFAULT_ADDED = "default-added"
COPY_SUFFIX = "/Default"  # a copy's step id: <account>/<region>/fill_opt_out_list/<tenant list>/Default


def copied_list(record: dict[str, Any]) -> str:
    """The tenant list a `default-added` record copied from: named, or (older journals) by its step id."""
    named = str(record.get("list") or "")
    if named:
        return named
    head, _, tail = str(record.get("step", "")).partition("/fill_opt_out_list/")
    return tail[: -len(COPY_SUFFIX)] if head and tail.endswith(COPY_SUFFIX) else ""


def _object(record: dict[str, Any], key: str) -> dict[str, Any]:
    """A record's `key` member, which must be a JSON object: anything else means the journal is damaged."""
    value = record.get(key) or {}
    if not isinstance(value, dict):
        raise JournalError(
            f"journal record of step {record.get('step', '?')!r} ({record.get('event', '?')}): `{key}` is not an "
            "object; the journal is damaged (restore it from a copy, or start a new one)"
        )
    return dict(value)


@dataclass
class PlanState:
    plan_id: str
    status: dict[str, str] = field(default_factory=dict)  # step -> last end status
    errors: dict[str, str] = field(default_factory=dict)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    checkpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    generations: dict[str, int] = field(default_factory=dict)
    attempted: set[str] = field(default_factory=set)  # steps an earlier run started
    started: dict[str, Any] | None = None  # the apply-start of this plan, unless a rollback came after it
    seen: bool = False  # any record of this plan at all
    # Per "account/region": the numbers the tool itself put on `Default` (copying a sender-ID tenant's
    # verified list there), under any plan of the journal. A fill that copies `Default` into a tenant list
    # leaves them out, so its result does not depend on whether it ran before or after those copies.
    added_to_default: dict[str, set[str]] = field(default_factory=dict)
    # Per ("account/region", tenant list): which of those numbers came from that list (put, or found there
    # already from another list's copy). A STOP that reached the list after the cut-over, was copied onto
    # Default, then deleted from the list (drift) is on Default by the tool's hand, but it is the list's own:
    # a refill must put it back, not leave it out as another tenant's (issue 12).
    added_for: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def tool_added(self, where: str) -> frozenset[str]:
        with self._lock:
            return frozenset(self.added_to_default.get(where, ()))

    def others_added(self, where: str, list_name: str) -> frozenset[str]:
        """What the tool put on Default for other lists and never from `list_name`: not that list's to hold."""
        with self._lock:
            mine = self.added_for.get((where, list_name), set())
            return frozenset(n for n in self.added_to_default.get(where, ()) if n not in mine)

    def note_added(
        self, where: str, numbers: Iterable[str], list_name: str = "", held: Iterable[str] = ()
    ) -> None:
        numbers = list(numbers)
        with self._lock:
            self.added_to_default.setdefault(where, set()).update(numbers)
            if list_name:
                self.added_for.setdefault((where, list_name), set()).update([*numbers, *held])

    def done(self, step_id: str) -> bool:
        return self.status.get(step_id) == OK

    def failed(self, step_id: str) -> bool:
        return self.status.get(step_id) == "failed"

    def result(self, step_id: str) -> dict[str, Any] | None:
        return self.results.get(step_id)

    def token(self, base: str, step_id: str) -> str:
        """The ClientToken to send: the plan's, or a fresh one derived from it once the step was undone."""
        generation = self.generations.get(step_id, 0)
        if not generation:
            return base
        return hashlib.sha256(f"{base}:{generation}".encode()).hexdigest()


def plan_state(records: Iterable[dict[str, Any]], plan_id: str) -> PlanState:
    state = PlanState(plan_id)
    for record in records:
        if record.get("event") == DEFAULT_ADDED:
            where = f"{record.get('account', '')}/{record.get('region', '')}"
            state.note_added(
                where,
                (str(n) for n in record.get("numbers") or ()),
                copied_list(record),
                (str(n) for n in record.get("held") or ()),
            )
        if record.get("plan") != plan_id:
            continue
        state.seen = True
        event = record.get("event")
        step = str(record.get("step", ""))
        if event == "apply-start":
            state.started = record
        elif event == "rollback-start" and not (record.get("selection") or {}).get("tenants"):
            state.started = None  # a rollback of some tenants leaves the apply of the others standing
        elif event == "start":
            state.status.pop(step, None)
            state.attempted.add(step)
        elif event == "result":
            state.results[step] = _object(record, "result")
        elif event == "checkpoint":
            state.checkpoints[step] = _object(record, "position")
        elif event == "end":
            state.status[step] = str(record.get("status", ""))
            if record.get("error"):
                state.errors[step] = str(record["error"])
            if state.status[step] == OK:
                state.checkpoints.pop(step, None)
        elif event == "reset":
            state.status.pop(step, None)
            state.checkpoints.pop(step, None)
        elif event == "undo" and record.get("status") == OK:
            state.status.pop(step, None)
            state.results.pop(step, None)
            state.checkpoints.pop(step, None)
            state.generations[step] = state.generations.get(step, 0) + 1
    return state


@dataclass(frozen=True)
class Applied:
    """A step whose effect is in AWS now, as rollback sees it (from the journal alone)."""

    plan_id: str
    step_id: str
    kind: str
    account: str
    region: str
    params: dict[str, Any]
    result: dict[str, Any]
    order: int  # position of its `end` record: rollback goes newest first


# Kinds whose step, started but not finished (a kill -9 after AWS acted, a step that failed half way), may have
# left a resource or a switch behind that an older step's undo must know about: a pool made by a CreatePool
# whose answer never reached the journal keeps its founding number and the tenant list in use, so rollback
# could neither move the number back nor delete the list, on any re-run. Their undo looks at what is there
# (the resource by its name and the tool's tags), so one that never acted needs nothing.
IN_DOUBT_KINDS = frozenset(
    {
        "create_opt_out_list",
        "create_configuration_set",
        "create_pool",
        "set_phone_number_opt_out_list",
        "associate_origination_identity",
    }
)


def applied_steps(records: list[dict[str, Any]], *, in_doubt: bool = False) -> list[Applied]:
    """Every step of every plan in the journal that is done and not undone, oldest first.

    `in_doubt` (rollback): also the steps of `IN_DOUBT_KINDS` that were started and then not finished `ok`
    (nor undone since), with what the journal knows of them (a `result` or `checkpoint`, if any)."""
    starts: dict[tuple[str, str], dict[str, Any]] = {}
    results: dict[tuple[str, str], dict[str, Any]] = {}
    live: dict[tuple[str, str], Applied] = {}
    checkpoints: dict[tuple[str, str], dict[str, Any]] = {}
    doubtful: dict[tuple[str, str], int] = {}  # started, not finished ok: position of its latest record
    for position, record in enumerate(records):
        key = (str(record.get("plan", "")), str(record.get("step", "")))
        if not key[1]:
            continue
        event = record.get("event")
        if event == "start":
            starts[key] = record
            live.pop(key, None)
            doubtful[key] = position
        elif event == "result":
            results[key] = _object(record, "result")
            if key in doubtful:
                doubtful[key] = position
        elif event == "checkpoint" and key in doubtful:
            checkpoints[key] = _object(record, "position")
            doubtful[key] = position
        elif event == "end" and record.get("status") == OK and key in starts:
            doubtful.pop(key, None)
            live[key] = _applied(key, starts[key], results.get(key, {}), position)
        elif event == "end" and key in doubtful:
            doubtful[key] = position
        elif (event == "undo" and record.get("status") == OK) or event == "reset":
            live.pop(key, None)
            doubtful.pop(key, None)
            if event == "undo":  # what it made is gone: a later run's step starts from nothing
                results.pop(key, None)
                checkpoints.pop(key, None)
    if in_doubt:
        for key, position in doubtful.items():
            start = starts[key]
            if start.get("kind") in IN_DOUBT_KINDS:
                known = {**checkpoints.get(key, {}), **results.get(key, {})}
                live[key] = _applied(key, start, known, position)
    return sorted(live.values(), key=lambda a: a.order)


def _applied(key: tuple[str, str], start: dict[str, Any], result: dict[str, Any], position: int) -> Applied:
    return Applied(
        key[0],
        key[1],
        str(start.get("kind", "")),
        str(start.get("account", "")),
        str(start.get("region", "")),
        _object(start, "params"),
        result,
        position,
    )
