"""`plan permissions`: the least-privilege IAM policy an apply of this plan needs, as policy JSON.

Built from the steps' grants (action + resource ARN, + condition): one statement per (actions, condition)
group with exactly the resources the plan touches. Resources only known once created (a new pool's id) are
granted by pattern (`pool/*`) together with a `sms-voice:TagResource` on creation. Actions that do not
support resource-level permissions (`Describe*`) get `*`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from migrate.plan.planfile import Plan


def policy_for(plan: Plan) -> dict[str, Any]:
    by_action: dict[tuple[str, str], set[str]] = defaultdict(set)
    conditions: dict[str, Any] = {}
    for step in plan.steps:
        for grant in step["permissions"]:
            condition = json.dumps(grant.get("condition"), sort_keys=True) if grant.get("condition") else ""
            if condition:
                conditions[condition] = grant["condition"]
            by_action[(grant["action"], condition)].add(grant["resource"])
    # Group actions that apply to the same resources under the same condition into one statement.
    statements: dict[tuple[tuple[str, ...], str], set[str]] = defaultdict(set)
    for (action, condition), resources in by_action.items():
        key = ("*",) if "*" in resources else tuple(sorted(resources))
        statements[(key, condition)].add(action)
    result: list[dict[str, Any]] = []
    for (scope, condition), actions in sorted(statements.items(), key=lambda kv: (sorted(kv[1]), kv[0])):
        statement: dict[str, Any] = {
            "Sid": _sid(sorted(actions)[0], len(result)),
            "Effect": "Allow",
            "Action": sorted(actions),
            "Resource": list(scope) if len(scope) > 1 else scope[0],
        }
        if condition:
            statement["Condition"] = conditions[condition]
        result.append(statement)
    return {"Version": "2012-10-17", "Statement": result}


def _sid(action: str, number: int) -> str:
    name = "".join(ch for ch in action.split(":")[-1] if ch.isalnum())
    return f"{name}{number + 1}"


def render_policy(plan: Plan) -> str:
    return json.dumps(policy_for(plan), indent=2, sort_keys=False) + "\n"
