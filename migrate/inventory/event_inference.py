"""A project's former event stream, inferred when `GetEventStream` is refused (after 2026-10-30 it always is).

terraform-provider-aws's `aws_pinpoint_event_stream` notes that "event streams are being discontinued on
October 30, 2026 ... For SMS/Voice event delivery, use aws_pinpointsmsvoicev2_event_destination with a
configuration set". What the stream was is still written in two places the scan can read:

- CloudTrail: a `PutEventStream` event inside the look-back (`--cloudtrail-days`) names the project, the
  stream and the role. AWS does not publish the shape of its `requestParameters`, so keys are matched
  without regard to case or dashes (`applicationId`, `application-id`, `WriteEventStream`, ...).
- IAM: a role whose trust policy allows `pinpoint.amazonaws.com` (or `pinpoint.<region>.amazonaws.com`)
  and whose policies allow `firehose:PutRecord*` or `kinesis:PutRecord*` on a named stream. It is tied to
  a project only when exactly one project of its account and region shares a word with the stream's or
  role's name (its id, or a word of its name other than generic ones such as "events" or "pinpoint").

Each inference keeps its evidence; nothing is used until a person confirms it in overrides.toml.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
from typing import Any
from urllib.parse import unquote

from migrate.aws.errors import classify
from migrate.inventory.records import InferredEventStream, PinpointApp
from migrate.inventory.sections import RegionScan
from migrate.inventory.snapshot import Section

PERMISSIONS = (
    "iam:ListRoles",
    "iam:ListRolePolicies",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
)
PUT_ACTIONS = ("firehose:PutRecord", "firehose:PutRecordBatch", "kinesis:PutRecord", "kinesis:PutRecords")
_PINPOINT = re.compile(r"^pinpoint(\.[a-z0-9-]+)?\.amazonaws\.com$")
_STREAM = re.compile(
    r"^arn:aws[a-z-]*:(firehose|kinesis):([a-z0-9-]+):(\d{12}):(deliverystream|stream)/([^*?]+)$"
)


GENERIC_WORDS = frozenset(
    {"app", "application", "aws", "dev", "event", "events", "firehose", "kinesis", "pinpoint", "prod",
     "project", "role", "service", "shared", "sms", "stream", "streams", "test", "voice", "the", "and"}
)  # fmt: skip


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", text.lower()) if len(w) >= 3 and w not in GENERIC_WORDS}


def _doc(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(unquote(value))
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


def _trusted_services(document: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for statement in _list(document.get("Statement")):
        if isinstance(statement, dict) and statement.get("Effect") == "Allow":
            principal = statement.get("Principal")
            if isinstance(principal, dict):
                found += [str(s) for s in _list(principal.get("Service"))]
    return sorted(set(found))


def _put_streams(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(stream ARN, allowed action) for every named stream a policy lets its holder put records into."""
    found = []
    for statement in _list(document.get("Statement")):
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        actions = [str(a).lower() for a in _list(statement.get("Action"))]
        allowed = [p for p in PUT_ACTIONS if any(fnmatch.fnmatchcase(p.lower(), a) for a in actions)]
        if not allowed:
            continue
        for resource in _list(statement.get("Resource")):
            match = _STREAM.match(str(resource))
            if match and any(a.startswith(match.group(1) + ":") for a in allowed):
                found.append((str(resource), next(a for a in allowed if a.startswith(match.group(1)))))
    return found


def _policies(iam: Any, role: str) -> list[dict[str, Any]]:
    documents = []
    for page in iam.get_paginator("list_role_policies").paginate(RoleName=role):
        for name in page.get("PolicyNames", []):
            documents.append(_doc(iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]))
    for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=role):
        for attached in page.get("AttachedPolicies", []):
            policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
            version = iam.get_policy_version(
                PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"]
            )["PolicyVersion"]
            documents.append(_doc(version["Document"]))
    return documents


def role_candidates(scan: RegionScan) -> tuple[list[dict[str, Any]], Section]:
    """Roles trusting Pinpoint with the streams they may write to (IAM is global: once per account)."""
    iam = scan.clients.client(scan.account, "iam", "us-east-1")
    found: list[dict[str, Any]] = []
    try:
        for page in iam.get_paginator("list_roles").paginate():
            for role in page.get("Roles", []):
                trusts = _trusted_services(_doc(role.get("AssumeRolePolicyDocument", {})))
                if not any(_PINPOINT.match(t) for t in trusts):
                    continue
                for document in _policies(iam, role["RoleName"]):
                    for stream, action in _put_streams(document):
                        found.append(
                            {"role_arn": role["Arn"], "role_name": role["RoleName"], "trusts": trusts,
                             "stream": stream, "action": action}
                        )  # fmt: skip
    except Exception as exc:
        verdict = classify(exc)
        return [], Section(scan.account_id, scan.region, "events.iam_roles", verdict.status, verdict.reason)
    reason = f"{len(found)} stream(s) writable by roles that trust Pinpoint"
    return found, Section(scan.account_id, scan.region, "events.iam_roles", "ok", reason, len(found))


def cloudtrail_streams(scan: RegionScan, days: int, now: dt.datetime) -> tuple[list[dict[str, Any]], Section]:
    """`PutEventStream` calls in the look-back: (app id, stream, role, when, who), newest first."""
    found: list[dict[str, Any]] = []
    try:
        events = scan.items(
            "cloudtrail", "LookupEvents", "Events",
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "PutEventStream"}],
            StartTime=now - dt.timedelta(days=days), EndTime=now,
        )  # fmt: skip
    except Exception as exc:
        verdict = classify(exc)
        return [], Section(scan.account_id, scan.region, "events.cloudtrail", verdict.status, verdict.reason)
    for event in events:
        detail = _doc(event.get("CloudTrailEvent") or "{}")
        if (
            detail.get("errorCode")
            or detail.get("eventSource", "pinpoint.amazonaws.com") != "pinpoint.amazonaws.com"
        ):
            continue
        params = _keys(detail.get("requestParameters") or {})
        stream = _keys(params.get("writeeventstream") or {})
        app_id = str(params.get("applicationid", ""))
        arn = str(stream.get("destinationstreamarn", ""))
        if app_id and arn:
            when = event["EventTime"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            who = (detail.get("userIdentity") or {}).get("arn", "")
            found.append(
                {
                    "app_id": app_id,
                    "stream": arn,
                    "role_arn": str(stream.get("rolearn", "")),
                    "when": when,
                    "who": who,
                }
            )
    reason = f"{len(found)} PutEventStream call(s) in the last {days} day(s)"
    return found, Section(scan.account_id, scan.region, "events.cloudtrail", "ok", reason, len(found))


def _keys(value: Any) -> dict[str, Any]:
    return {_squash(str(k)): v for k, v in value.items()} if isinstance(value, dict) else {}


def infer(
    apps: list[PinpointApp], roles: list[dict[str, Any]], trail: list[dict[str, Any]]
) -> list[InferredEventStream]:
    """One inference per (project, stream), CloudTrail's first; roles only where one project matches."""
    by_id = {a.app_id: a for a in apps}
    evidence: dict[tuple[str, str], dict[str, Any]] = {}
    trusts_of = {r["role_arn"]: tuple(r["trusts"]) for r in roles}
    for call in sorted(trail, key=lambda c: c["when"], reverse=True):
        app = by_id.get(call["app_id"])
        if app is None:
            continue
        entry = evidence.setdefault(
            (app.app_id, call["stream"]), {"app": app, "role": call["role_arn"], "why": []}
        )
        entry["why"].append(f"CloudTrail: PutEventStream at {call['when']} by {call['who'] or 'unknown'}")
    for role in roles:
        match = _STREAM.match(role["stream"])
        assert match is not None
        words = _words(match.group(5)) | _words(role["role_name"])
        owners = [
            a for a in apps
            if (a.account, a.region) == (match.group(3), match.group(2))
            and (a.app_id.lower() in words or _words(a.name) & words)
        ]  # fmt: skip
        for app in owners if len(owners) == 1 else []:
            entry = evidence.setdefault(
                (app.app_id, role["stream"]), {"app": app, "role": role["role_arn"], "why": []}
            )
            entry["role"] = entry["role"] or role["role_arn"]
            entry["why"].append(
                f"IAM: role {role['role_name']} trusts {', '.join(role['trusts'])} and allows {role['action']} "
                f"on {role['stream']}"
            )
    out = []
    for (app_id, stream), entry in sorted(evidence.items()):
        app = entry["app"]
        kind = "kinesis" if ":kinesis:" in stream else "firehose"
        out.append(
            InferredEventStream(
                account=app.account,
                region=app.region,
                app_id=app_id,
                destination_arn=stream,
                destination_kind=kind,
                role_arn=entry["role"],
                role_trusts=trusts_of.get(entry["role"], ()),
                evidence=tuple(entry["why"]),
            )
        )
    return out
