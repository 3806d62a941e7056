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
`update_pool`, before any other identity joins; nobody sends through a pool before it exists in the plan.
Switching a number from `Default` to the tenant list exposes nobody: the tenant list holds the Default
entries too (`copy_from`).

No kind the planner emits deletes or replaces anything (the plan never deletes); `destructive` is declared
per kind so that a kind that would must say so, and apply can ask before running it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

PASSED_TO_V2 = {"StringEquals": {"iam:PassedToService": "sms-voice.amazonaws.com"}}


@dataclass(frozen=True)
class Grant:
    action: str
    slot: str  # which of the step's resources it applies to ("target", "identity", "source", "role"), or "*"
    condition: dict[str, Any] | None = None


@dataclass(frozen=True)
class StepKind:
    name: str
    operation: str  # the v2 operation apply calls; "" for a step apply carries out with several calls
    grants: tuple[Grant, ...]
    destructive: bool = False
    creates: bool = False  # carries ClientToken and tags; undo deletes what it made
    doc: str = ""


STEP_KINDS: dict[str, StepKind] = {}


def step_kind(
    name: str, operation: str, *grants: Grant, destructive: bool = False, creates: bool = False, doc: str = ""
) -> StepKind:
    if name in STEP_KINDS:
        raise ValueError(f"step kind {name} registered twice")
    kind = StepKind(name, operation, grants, destructive, creates, doc)
    STEP_KINDS[name] = kind
    return kind


def _sv(action: str, slot: str = "target") -> Grant:
    return Grant(f"sms-voice:{action}", slot)


step_kind(
    "create_opt_out_list",
    "CreateOptOutList",
    _sv("CreateOptOutList"),
    _sv("TagResource"),
    _sv("DescribeOptOutLists", "*"),
    creates=True,
    doc="Create the tenant's opt-out list (empty).",
)
step_kind(
    "fill_opt_out_list",
    "",
    _sv("PutOptedOutNumber"),
    _sv("DescribeOptedOutNumbers"),
    _sv("DescribeOptedOutNumbers", "source"),
    doc="PutOptedOutNumber for every number of `sources` (the scan's 0600 CSV files; apply checks each "
    "file's sha256 first) and of the lists in `copy_from` (read with DescribeOptedOutNumbers), skipping "
    "numbers already on the list; rate-limited and resumable.",
)
step_kind(
    "verify_opt_out_list",
    "",
    _sv("DescribeOptedOutNumbers"),
    _sv("DescribeOptedOutNumbers", "source"),
    _sv("TagResource"),
    doc="Check that every number of `sources` and `copy_from` is on the list, then tag the list with "
    "`pinpoint-migrate:contents=<contents_sha256>` (how a later plan knows it is filled). A pool is "
    "pointed at the list only after this step.",
)
step_kind(
    "create_configuration_set",
    "CreateConfigurationSet",
    _sv("CreateConfigurationSet"),
    _sv("TagResource"),
    _sv("DescribeConfigurationSets", "*"),
    creates=True,
    doc="Create the configuration set.",
)
step_kind(
    "set_default_sender_id",
    "SetDefaultSenderId",
    _sv("SetDefaultSenderId"),
    doc="Set the configuration set's default sender ID (the Pinpoint SMS channel's).",
)
step_kind(
    "set_default_message_type",
    "SetDefaultMessageType",
    _sv("SetDefaultMessageType"),
    doc="Set the configuration set's default message type.",
)
step_kind(
    "create_event_destination",
    "CreateEventDestination",
    _sv("CreateEventDestination"),
    Grant("iam:PassRole", "role", PASSED_TO_V2),
    _sv("DescribeConfigurationSets", "*"),
    creates=True,
    doc="Create an event destination (Firehose, CloudWatch Logs or SNS) on the configuration set; "
    "undo deletes it.",
)
step_kind(
    "update_event_destination",
    "UpdateEventDestination",
    _sv("UpdateEventDestination"),
    Grant("iam:PassRole", "role", PASSED_TO_V2),
    doc="Change an existing event destination; `previous` holds what it was, for undo.",
)
step_kind(
    "set_phone_number_opt_out_list",
    "UpdatePhoneNumber",
    _sv("UpdatePhoneNumber", "identity"),
    _sv("DescribePhoneNumbers", "*"),
    doc="UpdatePhoneNumber OptOutListName: the number answers to the (verified) tenant list from now on; "
    "`previous` holds the list it had, for undo. Runs before the number founds or joins a pool.",
)
step_kind(
    "create_pool",
    "CreatePool",
    _sv("CreatePool"),
    _sv("CreatePool", "identity"),
    _sv("TagResource"),
    _sv("DescribePools", "*"),
    creates=True,
    doc="CreatePool with the first identity as OriginationIdentity; the pool copies its keywords, opt-out "
    "list, two-way and self-managed opt-out settings. Deletion protection is set here (it is not copied).",
)
step_kind(
    "update_pool",
    "UpdatePool",
    _sv("UpdatePool"),
    doc="UpdatePool: point the pool at the verified list and/or set deletion protection; `previous` for undo.",
)
step_kind(
    "associate_origination_identity",
    "AssociateOriginationIdentity",
    _sv("AssociateOriginationIdentity"),
    _sv("AssociateOriginationIdentity", "identity"),
    _sv("ListPoolOriginationIdentities"),
    doc="Add a further identity to the pool (its settings already match: same list after the switch).",
)


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
    def spec(self) -> StepKind:
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
