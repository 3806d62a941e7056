"""Pinpoint resource tags: apps, campaigns, segments, journeys and message templates, by ARN.

Tags live in the `tags` table keyed by ARN (see `model.py`); creators store them with `set_tags` and
deleters forget them with `drop_tags`, so these three operations only need to find the resource.
"""

from __future__ import annotations

from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.model import (
    SERVICE,
    remove_tags,
    resource_for_arn,
    set_tags,
    tags_of,
)

# AWS's tag limits for Pinpoint resources.
MAX_TAGS = 50
MAX_KEY = 128
MAX_VALUE = 256


def _check(ctx: Context, arn: str, tags: dict[str, str]) -> None:
    for key, value in tags.items():
        if not key or len(key) > MAX_KEY or key.lower().startswith("aws:"):
            raise bad_request(f"Invalid tag key {key!r}.")
        if len(str(value)) > MAX_VALUE:
            raise bad_request(f"The value of tag {key!r} is longer than {MAX_VALUE} characters.")
    if len({**tags_of(ctx, arn), **tags}) > MAX_TAGS:
        raise bad_request(f"A resource can have at most {MAX_TAGS} tags.")


@operation(SERVICE, "TagResource")
def tag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    resource_for_arn(ctx, arn)
    tags = dict(params["TagsModel"].get("tags") or {})
    if not tags:
        raise bad_request("tags must not be empty.")
    _check(ctx, arn, tags)
    set_tags(ctx, arn, tags)
    return {}


@operation(SERVICE, "UntagResource")
def untag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    resource_for_arn(ctx, arn)
    remove_tags(ctx, arn, list(params.get("TagKeys") or []))
    return {}


@operation(SERVICE, "ListTagsForResource")
def list_tags_for_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    resource_for_arn(ctx, arn)
    return {"TagsModel": {"tags": tags_of(ctx, arn)}}
