"""What Pinpoint's engagement resources (campaigns, segments, journeys) share: paging, versions, responses.

Campaigns and segments keep every version: the current record lives in `<kind>:<app>` (see `model.py`)
and a copy of each version in `<kind>_versions:<app>` under `"<id>/<version>"`, so `DeleteApp`'s
`drop_app_tables` drops the history with the app. Records never hold `tags`: those live in the core's
tags table, keyed by ARN, so that `TagResource` and `ListTagsForResource` see the same set.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.services.common import page
from migrate.emulator.services.pinpoint.model import (
    MAX_PAGE_SIZE,
    app_table,
    pinpoint_not_found,
    public,
    tags_of,
)

T = TypeVar("T")


def listing(
    items: Sequence[T],
    params: dict[str, Any],
    render: Callable[[T], dict[str, Any]],
    *,
    token_key: str = "Token",
) -> dict[str, Any]:
    """One page as Pinpoint lists: `PageSize` (a string on the wire, 1 to MAX_PAGE_SIZE) and an opaque
    token in (`Token`, or `NextToken` for templates); `Item` (each rendered) and `NextToken` out."""
    size = params.get("PageSize")
    if size not in (None, "") and (not str(size).isdigit() or not 1 <= int(str(size)) <= MAX_PAGE_SIZE):
        raise bad_request(f"PageSize must be a number from 1 to {MAX_PAGE_SIZE}, got {size!r}.")
    chunk, token = page(items, params, token_key=token_key, size_key="PageSize", v2=False)
    result: dict[str, Any] = {"Item": [render(item) for item in chunk]}
    if token:
        result["NextToken"] = token
    return result


def with_tags(ctx: Context, record: dict[str, Any], arn: str | None = None) -> dict[str, Any]:
    """The response form of a stored record: its public members plus its current tags."""
    out = public(record)
    out["tags"] = tags_of(ctx, arn or record["Arn"])
    return out


def merge(current: dict[str, Any], request: dict[str, Any], members: Sequence[str]) -> dict[str, Any]:
    """A Write* request applied over a record: members the request carries replace the record's."""
    updated = copy.deepcopy(current)
    for name in members:
        if name in request and request[name] is not None:
            updated[name] = copy.deepcopy(request[name])
    return updated


# -- versions ---------------------------------------------------------------------------------------
def save_version(ctx: Context, kind: str, application_id: str, record: dict[str, Any]) -> None:
    """Store `record` as the current one and as the snapshot of its `Version`."""
    app_table(ctx, kind, application_id).put(record["Id"], record)
    versions = app_table(ctx, f"{kind}_versions", application_id)
    versions.put(f"{record['Id']}/{record['Version']}", copy.deepcopy(record))


def versions_of(ctx: Context, kind: str, application_id: str, resource_id: str) -> list[dict[str, Any]]:
    """Every stored version of a resource, oldest first."""
    table = app_table(ctx, f"{kind}_versions", application_id)
    prefix = f"{resource_id}/"
    found = [record for key, record in table.items() if key.startswith(prefix)]
    return sorted(found, key=lambda r: int(r["Version"]))


def version_of(
    ctx: Context, kind: str, application_id: str, resource_id: str, version: str
) -> dict[str, Any]:
    """One version (the `version` URI label, a decimal string), or NotFoundException."""
    try:
        number = int(version)
    except ValueError:
        raise bad_request(f"Version must be a number, not {version!r}") from None
    found = app_table(ctx, f"{kind}_versions", application_id).get(f"{resource_id}/{number}")
    if found is None:
        raise pinpoint_not_found("Version")
    return found


def drop_versions(ctx: Context, kind: str, application_id: str, resource_id: str) -> None:
    table = app_table(ctx, f"{kind}_versions", application_id)
    prefix = f"{resource_id}/"
    for key in table.keys():  # noqa: SIM118 (a copy: we delete while walking)
        if key.startswith(prefix):
            table.delete(key)
