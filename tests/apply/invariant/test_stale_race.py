"""A rollback of a stale journal racing an apply, at every call boundary of the apply (issue 12, case 2's
third trigger; "a killed rollback always finishes on re-run").

The journal's lock keeps two runs off one journal file; it cannot see a copy of it (an older backup, another
machine's). So someone can roll back from a copy taken at any moment of a running apply. At the n-th v2
call of an apply on the small world (world.py), for every n:

- **during**: the journal as it is at that call is copied and `rollback` runs from the copy while the apply
  waits at that call (as a second process would get in there); then the apply goes on from where it was,
  and is run once more (the resume);
- **after**: the apply finishes first, then the rollback runs from the copy taken at that call;
- **killed**: the apply is killed -9 at that call (after AWS acted), the rollback runs from a copy of what
  the journal then holds, and the apply is run again (resumed, or refused by its preflight).

After every command the property test's checker (ledger.py) sends DryRuns on every path of every tenant
identity (pool by id and ARN; number by id, ARN, E.164; sender ID by name and ARN; configuration set's
default sender): nothing opted out may be reached. Then `rollback` with the real journal must finish: every
step undone or needing nothing, no pool, tenant list or configuration set of the tool left, and a second
rollback finds nothing to do.

Deterministic: the emulator's clock is emulated (pools stay CREATING and DELETING for the seconds of the
`realistic` profile, during which the waits poll, and no real time passes), steps run one at a time and the
second command runs at a chosen call, not on a thread. On the real clock a pool's DELETING lasted a fraction
of a real second, so whether the real rollback found the number still in it depended on the machine's speed:
that is what made an earlier version of this test pass and fail on different runs.

Every boundary of every mode is ~400 scenarios (minutes): CI runs the boundaries around the pool and number
switches (the call right after each: AWS has acted, the journal does not know yet; where the multi-call steps
are, and where the failures were);
`PINPOINT_MIGRATE_STALE_RACE=all` runs every call of the apply, `PINPOINT_MIGRATE_STALE_RACE_STRIDE=N` adds
every N-th.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from typing import Any

import pytest

from apply.invariant import world as w
from apply.invariant.chaos import Fault
from apply.invariant.machine import AWS, Migration, Running
from migrate.apply.commands import RollbackOptions, run_rollback
from migrate.emulator.store import World

PROFILE = "realistic"
EVERY = os.environ.get("PINPOINT_MIGRATE_STALE_RACE", "") == "all"
STRIDE = int(os.environ.get("PINPOINT_MIGRATE_STALE_RACE_STRIDE", "0"))  # 0: only the switches' calls
SWITCHES = ("UpdatePhoneNumber", "CreatePool", "UpdatePool", "AssociateOriginationIdentity", "DeletePool")


@dataclass
class Recorded:
    """One whole apply: each call's operation, the journal as it was at it, and the end state."""

    operations: list[str]
    copies: list[bytes]  # copies[n - 1]: the journal's bytes when call n was about to be made
    world: dict[str, Any]
    clock: float
    journal: bytes  # the whole apply's
    ledger: Any  # what the whole apply made owed on every path


def start() -> Migration:
    machine = Migration()
    machine.emu.world.meta["profile"] = PROFILE
    return machine


def record() -> Recorded:
    machine = start()
    operations: list[str] = []
    copies: list[bytes] = []

    def note(_n: int, operation: str) -> None:
        operations.append(operation)
        copies.append(machine.journal.read_bytes() if machine.journal.exists() else b"")

    machine.chaos.pause = note
    try:
        machine.apply(None)
    finally:
        machine.chaos.pause = None
    assert machine.story[-1].endswith(": ok"), machine.story
    try:
        world = copy.deepcopy(machine.emu.world.snapshot())
        return Recorded(
            operations, copies, world, machine.emu.clock(), machine.journal.read_bytes(), machine.ledger
        )
    finally:
        machine.teardown()


def boundaries(recorded: Recorded) -> list[int]:
    """The calls to test at (1-based): all, or the switches' calls and the one after each, and a stride."""
    total = len(recorded.operations)
    if EVERY:
        return list(range(1, total + 1))
    chosen = set(range(1, total + 1, STRIDE)) if STRIDE else set()
    for n, operation in enumerate(recorded.operations, start=1):
        if operation in SWITCHES:
            chosen.add(n + 1)  # AWS has acted on the switch, the journal does not know yet
    return sorted(c for c in chosen if c <= total)


def rollback(machine: Migration, journal: Any, what: str) -> Any:
    result = run_rollback(RollbackOptions(journal, AWS, yes=True, echo=machine._echo), emulator=machine.emu)
    machine.story.append(f"{what}: {'ok' if result.ok else 'not ok'}")
    machine.nobody_opted_out_is_reachable()
    return result


def stale_copy(machine: Migration, data: bytes) -> Any:
    stale = machine.folder / "older-journal.jsonl"
    stale.write_bytes(data)
    stale.chmod(0o600)
    return stale


def tool_resources(machine: Migration) -> list[str]:
    api = machine.api
    left = [f"pool {p['PoolId']}" for p in api.items("DescribePools", "Pools")]
    left += [
        f"list {o['OptOutListName']}"
        for o in api.items("DescribeOptOutLists", "OptOutLists")
        if o["OptOutListName"] in {t.configuration_set for t in w.TENANTS}
    ]
    left += [
        f"configuration set {c['ConfigurationSetName']}"
        for c in api.items("DescribeConfigurationSets", "ConfigurationSets")
    ]
    return left


def finish(machine: Migration) -> None:
    """The real journal's rollback finishes, leaves nothing of the tool's, and a re-run has nothing to do."""
    if not machine.journal.exists():
        return
    first = rollback(machine, machine.journal, "rollback of the real journal")
    assert first.ok, "\n".join([*machine.story, *first.summary()])
    assert tool_resources(machine) == [], (machine.story, tool_resources(machine))
    again = rollback(machine, machine.journal, "rollback again")
    assert again.ok and all(u.status == "nothing" for _a, u in again.outcomes), again.summary()


def during(n: int) -> Migration:
    machine = start()

    def race(call: int, operation: str) -> None:
        data = machine.journal.read_bytes() if machine.journal.exists() else b""
        rollback(machine, stale_copy(machine, data), f"stale rollback at call {call} ({operation})")

    machine.chaos.pause = lambda call, operation: race(call, operation) if call == n else None
    try:
        machine.apply(None)
    finally:
        machine.chaos.pause = None
    machine.nobody_opted_out_is_reachable()
    machine.apply(None)
    machine.nobody_opted_out_is_reachable()
    return machine


def after(n: int, recorded: Recorded) -> Migration:
    machine = start()
    machine.emu.world = World.from_snapshot(copy.deepcopy(recorded.world))
    machine.emu.clock.now = recorded.clock  # type: ignore[attr-defined]
    machine.ledger = copy.deepcopy(recorded.ledger)
    machine.journal.write_bytes(recorded.journal)
    machine.story.append("apply plan.json (None): ok")
    rollback(machine, stale_copy(machine, recorded.copies[n - 1]), f"stale rollback of the copy at call {n}")
    return machine


def killed(n: int) -> Migration:
    machine = start()
    machine.apply(Fault(n - 1, "kill-after") if n > 1 else Fault(1, "kill-before"))  # dead before call n
    machine.nobody_opted_out_is_reachable()
    if machine.journal.exists():
        stale = stale_copy(machine, machine.journal.read_bytes())
        rollback(machine, stale, f"stale rollback after kill before call {n}")
    machine.apply(None)
    machine.nobody_opted_out_is_reachable()
    return machine


@pytest.mark.parametrize("mode", ["during", "after", "killed"])
def test_a_stale_rollback_at_any_call_of_an_apply_exposes_nobody_and_rollback_finishes(
    running: None, mode: str
) -> None:
    recorded = record()
    tested = 0
    for n in boundaries(recorded):
        if mode == "during":
            machine = during(n)
        elif mode == "after":
            machine = after(n, recorded)
        else:
            machine = killed(n)
        try:
            finish(machine)
        finally:
            machine.teardown()
        tested += 1
    assert tested >= 5 and Running.emu is not None
