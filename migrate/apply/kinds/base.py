"""What every step kind is: a small class with `execute()`, `verify()` and `undo()` (STYLE.md rule 5).

`execute(run)` looks the resource up first and acts only if it is not already as the step wants it, so a
re-run or a resumed step never makes a second resource; it returns the step's result (ids, ARNs, the
values it replaced), which the journal keeps. `verify(run)` compares the live resource with the step,
field by field. `undo(run)` reverses the step during rollback, only where the tool's own work is still
what is there. The permissions of a kind live with the plan's `StepKind` (`migrate.plan.steps`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from botocore.exceptions import ClientError

from migrate.apply.dryrun import Api
from migrate.apply.state import PlanState
from migrate.mapping.desired import MANAGED_BY_KEY, MANAGED_BY_VALUE, PLAN_ID_KEY
from migrate.plan.steps import STEP_KINDS


@dataclass(frozen=True)
class Check:
    step: str
    ok: bool
    detail: str
    what: str = ""  # the field or property checked
    inconclusive: bool = False  # nothing failed, but nothing proved it either (e.g. every send refused first
    # as NOT_VERIFIED in the SMS sandbox)


@dataclass
class FillSettings:
    checkpoint_every: int = 250
    # Puts in flight. 0 (the default): sized from the bucket's rate x the latency observed (Little's law,
    # `migrate.apply.fill.InFlight`); a number fixes it (benchmarks compare both).
    workers: int = 0
    progress: bool | None = None  # None: only on a terminal
    stop: threading.Event = field(default_factory=threading.Event)  # set on Ctrl-C: stop at the next chunk


@dataclass
class StepRun:
    """Everything a kind sees while it executes or verifies one step."""

    step: dict[str, Any]
    params: dict[str, Any]  # `$step` references resolved
    api: Api
    state: PlanState
    plan_id: str
    data_dir: Path
    echo: Callable[[str], None]
    journal_write: Callable[..., Any] | None = None  # None: dry run or verify (nothing is written)
    fill: FillSettings = field(default_factory=FillSettings)
    change: dict[str, Any] = field(default_factory=dict)  # the plan change the step belongs to
    cache: dict[str, Any] = field(default_factory=dict)  # reads shared by the steps of one verify
    late: Any = None  # migrate.apply.late.LateOptOuts of the apply run: copies STOPs that came since the fill

    @property
    def id(self) -> str:
        return str(self.step["id"])

    def token(self) -> str:
        return self.state.token(str(self.params.get("ClientToken", "")), self.id)

    def checkpoint(self, position: dict[str, Any]) -> None:
        if self.journal_write is not None:
            self.journal_write("checkpoint", plan=self.plan_id, step=self.id, position=position)

    def after(self, field_name: str) -> Any:
        """The value the plan's change wants for a field (from its diff), or None."""
        for item in self.change.get("diff", ()):
            if item.get("field") == field_name:
                return item.get("after")
        return None


@dataclass
class UndoRun:
    """What a kind sees during rollback: the step as the journal recorded it, and what else goes."""

    plan_id: str
    step_id: str
    params: dict[str, Any]
    result: dict[str, Any]
    api: Api
    doomed: set[tuple[str, str]]  # (resource type, id) created by the journal: deleted by this rollback
    members: dict[str, set[str]]  # pool id -> identity ARNs the tool put in it
    protected: set[str]  # pool ids whose deletion protection the tool turned on
    switched: set[str] = field(default_factory=set)  # phone number ids the tool moved onto its lists


@dataclass(frozen=True)
class Undone:
    status: str  # undone | nothing | refused | failed
    detail: str
    # A change that goes away with a resource this rollback deletes: it is journaled as undone only once
    # that resource is gone (a rollback killed in between sees it again and still counts it as the tool's).
    follows: tuple[str, str] | None = None
    copied: int = 0  # opted-out numbers copied onto the list an identity went back to (safety invariant 1)

    @property
    def ok(self) -> bool:
        return self.status in ("undone", "nothing")


class Kind:
    name: ClassVar[str] = ""
    # The operation a step of this kind spends most of its time on, paced per (account, region): apply runs
    # at most one such step per bucket at a time (two fills of one bucket only share its quota).
    bucket_operation: ClassVar[str] = ""

    @property
    def spec(self) -> Any:
        """The plan's description of this kind (operation, IAM grants, creates, destructive)."""
        return STEP_KINDS[self.name]

    def execute(self, run: StepRun) -> dict[str, Any]:
        raise NotImplementedError

    def verify(self, run: StepRun) -> list[Check]:
        raise NotImplementedError

    def undo(self, run: UndoRun) -> Undone:
        raise NotImplementedError


KINDS: dict[str, Kind] = {}


def kind(cls: type[Kind]) -> type[Kind]:
    """Register a step kind's implementation under its plan name."""
    if cls.name not in STEP_KINDS:
        raise ValueError(f"{cls.__name__}: {cls.name!r} is not a plan step kind")
    if cls.name in KINDS:
        raise ValueError(f"step kind {cls.name} implemented twice")
    KINDS[cls.name] = cls()
    return cls


# -- helpers kinds share ---------------------------------------------------------------------------------
def change_of(changes: list[dict[str, Any]], step: dict[str, Any]) -> dict[str, Any]:
    """The plan change a step carries out: the one at the step's target (a founder's membership change
    lists the pool's create step too)."""
    found = [c for c in changes if step["id"] in c.get("steps", ())]
    return next((c for c in found if c.get("address") == step.get("target")), found[0] if found else {})


def error_code(exc: BaseException) -> tuple[str, str]:
    """(code, Reason) of a ClientError; ("", "") for anything else."""
    if not isinstance(exc, ClientError):
        return "", ""
    body = exc.response.get("Error", {}) or {}
    return str(body.get("Code", "")), str(exc.response.get("Reason", "") or body.get("Reason", ""))


def not_found(exc: BaseException) -> bool:
    return error_code(exc)[0] == "ResourceNotFoundException"


def tags_of(api: Api, arn: str) -> dict[str, str]:
    if not arn or arn.startswith("(dry-run"):
        return {}
    found = api.call("ListTagsForResource", ResourceArn=arn).get("Tags", [])
    return {t["Key"]: t["Value"] for t in found}


def tag_list(tags: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in tags or ()}


def ours(tags: dict[str, str], plan_id: str) -> bool:
    """Whether a resource carries the tool's tags for this plan (how rollback and resume recognise it)."""
    return tags.get(MANAGED_BY_KEY) == MANAGED_BY_VALUE and tags.get(PLAN_ID_KEY) == plan_id


def adopt_or_refuse(what: str, tags: dict[str, str], plan_id: str) -> None:
    """A resource the step would create already exists: fine if this plan made it, else the step fails."""
    if ours(tags, plan_id):
        return
    from migrate.apply.errors import StepError

    maker = tags.get(PLAN_ID_KEY)
    made = f"made by plan {maker}" if maker else "not made by pinpoint-migrate"
    raise StepError(
        f"{what} already exists and was {made}; the plan expected to create it: re-plan (apply --refresh)"
    )


def compare(step: str, what: str, have: Any, want: Any) -> Check:
    ok = have == want
    detail = f"{what} = {want!r}" if ok else f"{what} is {have!r}, the plan wants {want!r}"
    return Check(step, ok, detail, what)
