"""The migration as a hypothesis state machine: random interleavings of what happens to a real one.

Rules: `apply` (a fresh run, or the resume of a killed or failed one), `rollback`, each with at most one
fault at a chosen call (kill -9 before or after AWS acted, a 500 that outlasts botocore's retries, lost
responses); a recipient's STOP reply to a tenant's phone number; the test deleting an entry of a tool-made
list (drift); `replan` (apply --refresh's re-plan against the live state); `repair` (verify --full, then
re-plan and apply). After every rule, `Ledger.check` sends DryRuns on every path (ledger.py).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from apply.invariant import world as w
from apply.invariant.chaos import Chaos, Fault, Killed
from apply.invariant.ledger import Direct, Ledger
from apply.invariant.replay import Replays, replayed
from migrate.apply.clients import AwsOptions
from migrate.apply.commands import (
    ApplyOptions,
    RollbackOptions,
    VerifyOptions,
    run_apply,
    run_rollback,
    run_verify,
)
from migrate.apply.errors import ApplyError
from migrate.apply.kinds.base import FillSettings
from migrate.apply.stale import refresh, scan_live
from migrate.emulator import Emulator
from migrate.emulator.errors import ApiError
from migrate.emulator.store import World
from migrate.plan.planfile import load_plan

AWS = AwsOptions(now=w.NOW)
# The journal fsyncs every record (what makes a kill safe); on a shared disk that is most of a run's time, and
# the test's claim does not depend on it: its folders live in memory where there is a tmpfs.
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
STOPPABLE = (w.ALPHA_NUMBER, w.SHARED_NUMBER, w.DELTA_NUMBER)  # sender IDs receive no replies
US_FRESH = tuple(n for n in w.FRESH if n.startswith("+1"))
TOOL_LISTS = tuple(t.configuration_set for t in w.TENANTS)  # the tenant lists share the sets' names
# Issue 12 case 5: a repair (verify --full, plan --missing, apply) puts back every number deleted from a list
# the tool fills; every repair of the machine is held to it.
REPAIR_REFILLS = True
MIGRATED = tuple(t.name for t in w.TENANTS if t.migrated)

# About 130 v2 calls make a whole apply: a fault anywhere in it, or none.
faults = st.none() | st.builds(
    Fault,
    at=st.integers(min_value=1, max_value=140),
    what=st.sampled_from(("kill-before", "kill-after", "500", "lost")),
    times=st.integers(min_value=1, max_value=4),
)


class Running:
    """The emulator, its fault handlers and the built world, shared by every example of one test."""

    emu: ClassVar[Emulator]
    chaos: ClassVar[Chaos]
    base: ClassVar[Any]  # world.Base
    _client: ClassVar[tuple[Emulator, Any] | None] = None
    replays: ClassVar[Replays | None] = None  # the property test's (None: every command runs)
    _scratch: ClassVar[Path | None] = None

    @classmethod
    def scratch(cls) -> Path:
        """The examples' folder, emptied: one path for every example of the process (examples run one after
        another), so the files a run writes name the same paths in every example (replay.py)."""
        if cls._scratch is None:
            cls._scratch = Path(tempfile.mkdtemp(prefix="invariant-", dir=SCRATCH))
        shutil.rmtree(cls._scratch, ignore_errors=True)
        cls._scratch.mkdir(mode=0o700)
        return cls._scratch

    @classmethod
    def v2(cls, emu: Emulator) -> Any:
        """One boto3 v2 client per emulator (a new one per STOP cost more than the STOP)."""
        if cls._client is None or cls._client[0] is not emu:
            cls._client = (emu, emu.session(w.REGION).client(w.V2))
        return cls._client[1]


class Migration(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.emu = Running.emu
        self.chaos = Running.chaos
        self.emu.world = World.from_snapshot(Running.base.snapshot)
        self.emu.clock.now = w.START  # type: ignore[attr-defined]  # every example starts at the same time
        self.emu.faults.clear()
        self.emu.calls.clear()
        self.chaos.disarm()
        self.folder = Running.scratch()
        Running.base.copy_to(self.folder)
        self.plan_path = self.folder / "migration" / "plan.json"
        self.journal = self.folder / "migration" / "journal.jsonl"
        self.data_dir = self.folder / "migration"
        self.api = Direct(self.emu)
        self.ledger = Ledger.start()
        self.stopped: set[str] = set()
        self.story: list[str] = []
        self.lines: list[str] = []

    def teardown(self) -> None:
        self.chaos.disarm()
        self.emu.faults.clear()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _echo(self, line: str) -> None:
        self.lines.append(line)

    def _faulted(self, fault: Fault | None, run: Any, command: str) -> str:
        """Run `run()` with `fault` armed: 'killed' | 'refused: ...' | 'ok' | 'failed' (the property test
        restores the end of an identical earlier run instead: replay.py)."""

        def armed() -> str:
            self.chaos.arm(fault)
            try:
                result = run()
            except Killed:
                return "killed"
            except ApplyError as exc:
                return f"refused: {exc}"
            finally:
                self.chaos.disarm()
                self.emu.faults.clear()
            return "ok" if result.ok else "failed"

        return replayed(Running.replays, self.emu, self.folder, f"{command} ({fault})", armed)

    def _v2(self) -> Any:
        return Running.v2(self.emu)

    @initialize()
    def before_anything(self) -> None:
        self.story.append("start")

    # A re-plan (apply --refresh's) costs a scan of v2 and a plan: drawn before one apply in four.
    @rule(fault=faults, replan_first=st.sampled_from((False, False, False, True)))
    def apply(self, fault: Fault | None, replan_first: bool = False) -> None:
        if replan_first:
            self.replan()
        options = ApplyOptions(
            self.plan_path, aws=AWS, yes=True, echo=self._echo, max_workers=1,
            fill=FillSettings(checkpoint_every=2, workers=1, progress=False),
        )  # fmt: skip
        status = self._faulted(
            fault, lambda: run_apply(options, emulator=self.emu), f"apply {self.plan_path.name}"
        )
        self.story.append(f"apply {self.plan_path.name} ({fault}): {status}")
        if status == "ok":
            self.ledger.completed(MIGRATED)

    @rule(fault=faults)
    def rollback(self, fault: Fault | None) -> None:
        if not self.journal.exists():
            return
        options = RollbackOptions(self.journal, AWS, yes=True, echo=self._echo)
        status = self._faulted(fault, lambda: run_rollback(options, emulator=self.emu), "rollback")
        self.story.append(f"rollback ({fault}): {status}")

    @rule(identity=st.sampled_from(STOPPABLE), index=st.integers(min_value=0, max_value=len(US_FRESH) - 1))
    def stop(self, identity: str, index: int) -> None:
        """A recipient replies STOP to a tenant's number: AWS puts them on the list that number answers to."""
        number = US_FRESH[index]
        if number in self.stopped:
            return
        found = next(
            n for n in self.api.items("DescribePhoneNumbers", "PhoneNumbers") if n["PhoneNumber"] == identity
        )
        guard = found.get("OptOutListName") or "Default"
        if found.get("PoolId"):
            pool = self.api.call("DescribePools", PoolIds=[found["PoolId"]])["Pools"][0]
            guard = pool.get("OptOutListName") or "Default"
        self._v2().put_opted_out_number(OptOutListName=guard, OptedOutNumber=number)
        self.stopped.add(number)
        self.ledger.stopped(w.owners(identity), number)
        self.story.append(f"STOP from {number} to {identity} (onto {guard})")

    @rule(list_name=st.sampled_from(TOOL_LISTS), index=st.integers(min_value=0, max_value=30))
    def drift(self, list_name: str, index: int) -> None:
        """Someone deletes an entry of a list the tool fills (the drift a repair must refill)."""
        names = {o["OptOutListName"] for o in self.api.items("DescribeOptOutLists", "OptOutLists")}
        if list_name not in names:
            return
        held = sorted(
            e["OptedOutNumber"]
            for e in self.api.items("DescribeOptedOutNumbers", "OptedOutNumbers", OptOutListName=list_name)
        )
        if not held:
            return
        number = held[index % len(held)]
        try:
            self._v2().delete_opted_out_number(OptOutListName=list_name, OptedOutNumber=number)
        except self._v2().exceptions.ClientError:
            return  # AWS refuses a second delete within 30 days
        self.ledger.exempt |= {(t.name, number) for t in w.TENANTS if t.configuration_set == list_name}
        self.story.append(f"drift: {number} deleted from {list_name}")

    def replan(self, missing: Path | None = None) -> None:
        def run() -> str:
            plan = load_plan(self.plan_path)
            live = scan_live(plan, AWS.scan_options(), self.emu)
            fresh = refresh(plan, self.plan_path, live, self.data_dir, missing)
            return f"{fresh.path.name}, {len(fresh.plan.steps)} step(s)"

        command = f"replan {self.plan_path.name} {missing.name if missing else ''}"
        made = replayed(Running.replays, self.emu, self.folder, command, run)
        self.plan_path = self.plan_path.with_name(made.split(",")[0])
        self.story.append(f"replan: {made}")

    @precondition(lambda self: bool(self.ledger.exempt))
    @rule()
    def repair(self) -> None:
        """verify --full, then re-plan and apply (the repair of drift)."""
        options = VerifyOptions(self.plan_path, AWS, full=True, echo=self._echo)
        verified = run_verify(options, emulator=self.emu)
        self.replan(verified.missing_path)  # plan --missing: a refill of exactly what verify found lost
        self.apply(None)
        restored = {
            (name, number)
            for name, number in self.ledger.exempt
            if self._holds(w.tenant(name).configuration_set, number)
        }
        if REPAIR_REFILLS:
            assert restored == self.ledger.exempt, f"repair left {sorted(self.ledger.exempt - restored)} off"
        self.ledger.exempt -= restored
        self.story.append(
            f"repair: verify {'passed' if verified.passed else 'failed'}; {len(restored)} restored"
        )

    def _holds(self, list_name: str, number: str) -> bool:
        try:
            found = self.api.call(
                "DescribeOptedOutNumbers", OptOutListName=list_name, OptedOutNumbers=[number]
            )
        except ApiError:
            return False
        return bool(found.get("OptedOutNumbers"))

    @invariant()
    def nobody_opted_out_is_reachable(self) -> None:
        self.ledger.check(self.api, " -> ".join(self.story[-4:]))
