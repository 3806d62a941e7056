"""What the emulated services see of the resources moto holds when a setting names them: does a role
exist, has it propagated, whom does it trust, what may it do; does a Kinesis or Firehose stream exist.
Read from moto's backends, without an API call.

A role created moments ago cannot be assumed yet: AWS says IAM changes "may take time to propagate" (IAM
user guide, troubleshoot_general.html#troubleshoot_general_eventual-consistency), and terraform-provider-aws
retries for `iamPropagationTimeout = 2 * time.Minute` (pinpointsmsvoicev2 `pool.go`, `phone_number.go`)
or `propagationTimeout` (pinpoint `event_stream.go`). The emulator notes when it served CreateRole and
refuses the role until the world's profile's `iam_propagation` delay passed (`timing.py`).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from typing import Any

from migrate.emulator import timing
from migrate.emulator.context import Context


def arn_parts(arn: str) -> list[str]:
    """arn:partition:service:region:account:resource, or [] when `arn` is not one."""
    parts = arn.split(":", 5)
    return parts if len(parts) == 6 else []


def role(arn: str) -> Any | None:
    """moto's record of the role `arn`, or None."""
    from moto.iam.models import iam_backends

    parts = arn_parts(arn)
    if not parts:
        return None
    try:
        return iam_backends[parts[4]][parts[1]].get_role_by_arn(arn)
    except Exception:
        return None


def propagated(ctx: Context, arn: str) -> bool:
    """False while a role this emulator saw created is younger than the profile's propagation delay."""
    from migrate.emulator.dispatch import active

    emulator = active()
    created = emulator.role_created(arn) if emulator is not None else None
    wait = timing.delay(ctx.world.meta, "iam_propagation", arn)
    if created is None or wait <= 0:
        return True  # without reading the clock: the demo's build clock ticks on every reading
    return ctx.clock() - created >= wait


def _statements(document: Any) -> Iterator[dict[str, Any]]:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return
    if not isinstance(document, dict):
        return
    found = document.get("Statement")
    for statement in found if isinstance(found, list) else [found]:
        if isinstance(statement, dict):
            yield statement


def _listed(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []


def trusts(found: Any, service: str) -> bool:
    """Whether the role's trust policy lets `service` (e.g. pinpoint.amazonaws.com) assume it."""
    for statement in _statements(getattr(found, "assume_role_policy_document", None)):
        principal = statement.get("Principal")
        services = _listed(principal.get("Service")) if isinstance(principal, dict) else []
        actions = [a.lower() for a in _listed(statement.get("Action"))]
        if (
            statement.get("Effect") == "Allow"
            and (service in services or principal == "*")
            and any(fnmatch.fnmatchcase("sts:assumerole", a) for a in actions)
        ):
            return True
    return False


def _documents(found: Any) -> Iterator[Any]:
    yield from (getattr(found, "policies", None) or {}).values()
    for policy in (getattr(found, "managed_policies", None) or {}).values():
        for version in getattr(policy, "versions", []):
            if version.version_id == policy.default_version_id:
                yield version.document


def _matches(statement: dict[str, Any], action: str, resource: str) -> bool:
    actions = [a.lower() for a in _listed(statement.get("Action"))]
    resources = _listed(statement.get("Resource"))
    return any(fnmatch.fnmatchcase(action.lower(), a) for a in actions) and any(
        fnmatch.fnmatchcase(resource, r) for r in resources
    )


def allows(found: Any, action: str, resource: str) -> bool:
    """Whether the role's policies (inline and attached) allow `action` on `resource` and no statement
    denies it (IAM policy evaluation, ignoring conditions: IAM user guide, reference_policies_evaluation-logic)."""
    statements = [s for document in _documents(found) for s in _statements(document)]
    if any(s.get("Effect") == "Deny" and _matches(s, action, resource) for s in statements):
        return False
    return any(s.get("Effect") == "Allow" and _matches(s, action, resource) for s in statements)


def stream_exists(arn: str) -> bool:
    """Whether the Kinesis data stream or Firehose delivery stream `arn` exists (in its account and region)."""
    parts = arn_parts(arn)
    if not parts or "/" not in parts[5]:
        return False
    name = parts[5].split("/", 1)[1]
    try:
        if parts[2] == "firehose":
            from moto.firehose.models import firehose_backends

            return name in firehose_backends[parts[4]][parts[3]].delivery_streams
        if parts[2] == "kinesis":
            from moto.kinesis.models import kinesis_backends

            return name in kinesis_backends[parts[4]][parts[3]].streams
    except Exception:
        return False
    return False
