"""Plan step kinds: what each step does, the IAM permissions it needs, and whether it is destructive.

A step is data: `kind`, `target` (the address of the desired resource), `parameters` and `depends_on`.
Parameters are the v2 operation's input as boto3 takes it (member names), so apply can call the
operation with them, except where noted. A value `{"$step": "<step id>", "field": "PoolId"}` stands for a
field of an earlier step's result (a pool's id is only known once it is created). Every create carries a
`ClientToken` derived from (plan id, step id) and the tool's tags (`managed-by=pinpoint-migrate`, the plan
id), so a re-run or a resumed apply never makes a second resource.

Ordering that keeps safety invariant 1 (nobody opted out can be messaged from a tenant identity):
`create_opt_out_list` → `fill_opt_out_list` → `verify_opt_out_list` → for each phone number of the pool
`set_phone_number_opt_out_list` → `create_pool` with the first number (the pool copies that number's list,
so it is born pointing at the filled list) → `associate_origination_identity` for the others (v2 refuses a
number whose list differs from the pool's: `OPT_OUT_LIST_MISMATCH`, hence the switch first). A pool whose
first identity is a sender ID (sender IDs carry no list) is created and then pointed at the list with
`update_pool`, before any other identity joins. CreatePool takes no opt-out list, so such a pool is born on
`Default`: apply's `create_pool` points it at the verified list right after creating it (one API round
trip, inside the step), and the later `update_pool` then finds nothing to change.
Switching a number from `Default` to the tenant list exposes nobody: the tenant list holds the Default
entries too (`copy_from`).

No kind the planner emits deletes or replaces anything (the plan never deletes); `destructive` is declared
per kind so that a kind that would must say so, and apply can ask before running it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

PASSED_TO_V2 = {"StringEquals": {"iam:PassedToService": "sms-voice.amazonaws.com"}}


@dataclass(frozen=True)
class Grant:
    action: str
    slot: str  # which of the step's resources it applies to ("target", "identity", "source", "role"), or "*"
    condition: dict[str, Any] | None = None


class StepKind:
    """A kind of plan step (subclassed once per kind in `step_kinds`, registered with `@step_kind`).

    Class attributes say what apply needs to know before running one: the v2 operation, the IAM grants,
    whether it is destructive, whether it creates (and so carries ClientToken and tags, and undo deletes
    what it made). The docstring says what the step does; apply adds how (execute, verify, undo).
    """

    name: ClassVar[str] = ""
    operation: ClassVar[str] = ""  # the v2 operation; "" for a step apply carries out with several calls
    grants: ClassVar[tuple[Grant, ...]] = ()
    destructive: ClassVar[bool] = False
    creates: ClassVar[bool] = False
    doc: ClassVar[str] = ""


STEP_KINDS: dict[str, type[StepKind]] = {}


def step_kind(cls: type[StepKind]) -> type[StepKind]:
    """Register a step kind class under its `name`."""
    if not cls.name or cls.name in STEP_KINDS:
        raise ValueError(f"step kind {cls.name!r} has no name or is registered twice")
    cls.doc = " ".join((cls.__doc__ or "").split())
    STEP_KINDS[cls.name] = cls
    return cls


def sv(action: str, slot: str = "target") -> Grant:
    """A grant of an End User Messaging SMS and Voice v2 action on one of the step's resources."""
    return Grant(f"sms-voice:{action}", slot)


def client_token(plan_id: str, step_id: str) -> str:
    """The idempotency token of a create: the same plan and step always send the same token."""
    return hashlib.sha256(f"{plan_id}:{step_id}".encode()).hexdigest()


def step_ref(step_id: str, field_name: str) -> dict[str, str]:
    return {"$step": step_id, "field": field_name}


# Parameters that are the tool's own (for undo and for the long-running steps), not the operation's.
TOOL_KEYS = ("previous",)


def api_parameters(parameters: dict[str, Any], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The operation's input: tool-only keys dropped, `$step` references replaced by earlier results."""
    resolved: dict[str, Any] = {}
    for key, value in parameters.items():
        if key in TOOL_KEYS:
            continue
        if isinstance(value, dict) and set(value) == {"$step", "field"}:
            value = results[value["$step"]][value["field"]]
        resolved[key] = value
    return resolved


@dataclass(frozen=True)
class Step:
    id: str
    kind: str
    account: str
    region: str
    target: str
    parameters: dict[str, Any]
    depends_on: tuple[str, ...] = ()
    resources: dict[str, str] = field(default_factory=dict)  # slot -> ARN (or ARN pattern)

    @property
    def spec(self) -> type[StepKind]:
        return STEP_KINDS[self.kind]

    def permissions(self) -> list[dict[str, Any]]:
        grants = []
        for grant in self.spec.grants:
            resource = "*" if grant.slot == "*" else self.resources.get(grant.slot)
            if resource is None:
                continue
            item: dict[str, Any] = {"action": grant.action, "resource": resource}
            if grant.condition:
                item["condition"] = grant.condition
            grants.append(item)
        return grants

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "operation": self.spec.operation,
            "account": self.account,
            "region": self.region,
            "target": self.target,
            "parameters": self.parameters,
            "depends_on": list(self.depends_on),
            "permissions": self.permissions(),
            "destructive": self.spec.destructive,
        }


def sms_arn(account: str, region: str, resource: str) -> str:
    return f"arn:aws:sms-voice:{region}:{account}:{resource}"


# The kinds themselves live in `step_kinds` (they import this module); importing it here registers them
# wherever the registry is used.
from migrate.plan import step_kinds  # noqa: E402, F401
