"""v2 tags and resource policies on any resource by ARN: TagResource, UntagResource, ListTagsForResource,
PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy.

An ARN `arn:aws:sms-voice:<region>:<account>:<type>/<id>` names the table of its type (`pool/...` ->
`pools`); the record is found by its key there, or by carrying the ARN, so resources other modules own
(configuration sets, registrations, ...) are taggable as soon as they exist.
"""

from __future__ import annotations

import json
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, not_found, validation
from migrate.emulator.registry import operation
from migrate.emulator.services.common import tag_list, tags_from_list
from migrate.emulator.services.v2.model import DEFAULT_LIST, SERVICE, default_opt_out_list

# ARN resource type -> the table its records live in.
ARN_TABLES = {
    "phone-number": "phone_numbers",
    "sender-id": "sender_ids",
    "pool": "pools",
    "opt-out-list": "opt_out_lists",
    "configuration-set": "configuration_sets",
    "registration": "registrations",
    "registration-attachment": "registration_attachments",
    "verified-destination-number": "verified_numbers",
    "protect-configuration": "protect_configurations",
    "notify-configuration": "notify_configurations",
    "rcs-agent": "rcs_agents",
}
# What PutResourcePolicy can share (the API reference: phone numbers, sender IDs, pools, opt-out lists).
SHAREABLE = frozenset({"phone-number", "sender-id", "pool", "opt-out-list"})
MAX_TAGS = 200


def resource_for_arn(ctx: Context, arn: str) -> tuple[str, dict[str, Any]]:
    """The resource type and record an ARN names, or AWS's error when it names none."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sms-voice":
        raise validation(f"{arn} is not an End User Messaging SMS ARN.", "INVALID_ARN")
    kind, _, tail = parts[5].partition("/")
    if kind not in ARN_TABLES or not tail:
        raise validation(f"{arn} does not name a taggable resource.", "INVALID_ARN")
    if parts[3] != ctx.region or parts[4] != ctx.account:
        raise not_found(kind, arn)
    table = ctx.table(ARN_TABLES[kind])
    record = table.get(tail)
    if record is None and kind == "opt-out-list" and tail == DEFAULT_LIST:
        record = default_opt_out_list(ctx)
    if record is None:
        record = next((r for r in table.values() if isinstance(r, dict) and arn in r.values()), None)
    if record is None:
        raise not_found(kind, arn)
    return kind, record


def _tags(ctx: Context, arn: str) -> dict[str, str]:
    return dict((ctx.table("tags").get(arn) or {}).get("Tags", {}))


@operation(SERVICE, "TagResource")
def tag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    resource_for_arn(ctx, arn)
    tags = _tags(ctx, arn)
    tags.update(tags_from_list(params["Tags"]))
    if len(tags) > MAX_TAGS:
        raise ApiError(
            "ServiceQuotaExceededException",
            f"A resource can have at most {MAX_TAGS} tags.",
            Reason="TAGS_PER_RESOURCE",
        )
    ctx.table("tags").put(arn, {"Tags": tags})
    return {}


@operation(SERVICE, "UntagResource")
def untag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    resource_for_arn(ctx, arn)
    tags = _tags(ctx, arn)
    for key in params["TagKeys"]:
        tags.pop(key, None)
    if tags:
        ctx.table("tags").put(arn, {"Tags": tags})
    else:
        ctx.table("tags").delete(arn)
    return {}


@operation(SERVICE, "ListTagsForResource")
def list_tags_for_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    resource_for_arn(ctx, arn)
    return {"ResourceArn": arn, "Tags": tag_list(_tags(ctx, arn))}


# -- resource policies --------------------------------------------------------------------------------
def _shareable(ctx: Context, arn: str) -> None:
    kind, _ = resource_for_arn(ctx, arn)
    if kind not in SHAREABLE:
        raise validation(
            f"Resource policies attach to phone numbers, sender IDs, pools and opt-out lists, not to a {kind}.",
            "INVALID_ARN",
        )


@operation(SERVICE, "PutResourcePolicy")
def put_resource_policy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    _shareable(ctx, arn)
    try:
        document = json.loads(params["Policy"])
    except ValueError:
        raise validation("The policy is not valid JSON.", "CANNOT_PARSE") from None
    if not isinstance(document, dict) or "Statement" not in document:
        raise validation("The policy has no Statement.", "INVALID_PARAMETER")
    record = {"ResourceArn": arn, "Policy": params["Policy"], "CreatedTimestamp": ctx.now()}
    ctx.table("resource_policies").put(arn, record)
    return dict(record)


@operation(SERVICE, "GetResourcePolicy")
def get_resource_policy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    _shareable(ctx, arn)
    found = ctx.table("resource_policies").get(arn)
    return dict(found) if found else {"ResourceArn": arn}


@operation(SERVICE, "DeleteResourcePolicy")
def delete_resource_policy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    _shareable(ctx, arn)
    found = ctx.table("resource_policies").get(arn)
    if found is None:
        raise not_found("policy", arn)
    ctx.table("resource_policies").delete(arn)
    return dict(found)
