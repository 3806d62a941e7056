"""Shared state and look-ups of the emulated Amazon Pinpoint service.

Records are stored in the shape the Get call returns them (boto3 member names); keys starting with `_`
are internal (secrets of channels, indexes) and stripped by `public()`. Pinpoint's dates are ISO 8601
strings on the wire and in its model (`CreationDate: "2024-01-31T12:00:00.000Z"`): use `iso_now(ctx)`.

Tables, per account and region. Per-app tables are named `<kind>:<ApplicationId>` (use `app_table`), so
that `DeleteApp` can drop everything of an app, including kinds other modules add:

| table                      | key                          | record                                     |
|----------------------------|------------------------------|--------------------------------------------|
| apps                       | ApplicationId                | ApplicationResponse without `tags`         |
| settings                   | ApplicationId                | ApplicationSettingsResource                |
| channels:<app>             | channel type (`SMS`, `APNS`) | <Type>ChannelResponse + `_secrets`         |
| event_streams              | ApplicationId                | EventStream                                |
| endpoints:<app>            | EndpointId                   | EndpointResponse                           |
| users:<app>                | UserId                       | {"EndpointIds": [...]} (an index)          |
| export_jobs:<app>          | JobId                        | ExportJobResponse                          |
| import_jobs:<app>          | JobId                        | ImportJobResponse                          |
| campaigns:<app>            | CampaignId                   | CampaignResponse (owned by campaigns.py)   |
| segments:<app>             | SegmentId                    | SegmentResponse (owned by segments.py)     |
| journeys:<app>             | JourneyId                    | JourneyResponse (owned by journeys.py)     |
| templates                  | "<TemplateName>/<TYPE>"      | the template's latest version              |
| messages                   | MessageId                    | one sent message (SendMessages, ...)       |
| tags                       | resource ARN                 | {"tags": {key: value}}                     |

ARNs (`mobiletargeting`): `apps/<app>`, `apps/<app>/campaigns/<id>`, `apps/<app>/segments/<id>`,
`apps/<app>/journeys/<id>`, `templates/<TemplateName>/<TYPE>` (TYPE: SMS, VOICE, EMAIL, PUSH, INAPP).
"""

from __future__ import annotations

import copy
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, bad_request
from migrate.emulator.services.common import page
from migrate.emulator.store import Table
from migrate.emulator.wire import iso

SERVICE = "pinpoint"

# Per-app kinds whose records are tagged resources, with the ARN path segment AWS uses for them.
TAGGED_APP_KINDS = ("campaigns", "segments", "journeys")
# The largest page any Pinpoint list call documents.
MAX_PAGE_SIZE = 1000


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record without its internal (`_`-prefixed) keys, safe to return."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


def iso_now(ctx: Context) -> str:
    """Now, as Pinpoint writes dates (ISO 8601, milliseconds, `Z`)."""
    return iso(ctx.now())


def request_id(ctx: Context) -> str:
    """A request id in AWS's UUID form (deterministic, like every id of the world)."""
    h = ctx.new_id()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def pinpoint_not_found(what: str = "Resource") -> ApiError:
    """Pinpoint's `NotFoundException` (AWS says just "Resource not found" for most look-ups)."""
    return ApiError("NotFoundException", f"{what} not found")


def pinpoint_page(items: list[Any], params: dict[str, Any], default_size: int = 100) -> dict[str, Any]:
    """One page as Pinpoint lists (`PageSize` / `Token` in, `Item` / `NextToken` out)."""
    size = params.get("PageSize")
    if size not in (None, "") and (not str(size).isdigit() or not 1 <= int(size) <= MAX_PAGE_SIZE):
        raise bad_request(f"PageSize must be a number from 1 to {MAX_PAGE_SIZE}, got {size!r}.")
    chunk, token = page(
        items, params, default_size=default_size, size_key="PageSize", token_key="Token", v2=False
    )
    result: dict[str, Any] = {"Item": chunk}
    if token:
        result["NextToken"] = token
    return result


# -- apps -----------------------------------------------------------------------------------------
def app_arn(ctx: Context, application_id: str) -> str:
    return ctx.arn(f"apps/{application_id}")


def app(ctx: Context, application_id: str) -> dict[str, Any]:
    """The app (ApplicationResponse without tags), or Pinpoint's NotFoundException."""
    found = ctx.table("apps").get(application_id)
    if found is None:
        raise pinpoint_not_found("Application")
    return found


def app_response(ctx: Context, record: dict[str, Any]) -> dict[str, Any]:
    """The ApplicationResponse of an app: its record with its tags."""
    return {**public(record), "tags": tags_of(ctx, record["Arn"])}


def app_table(ctx: Context, kind: str, application_id: str) -> Table:
    """A per-app table (`endpoints`, `campaigns`, ...): dropped with the app by `drop_app_tables`."""
    return ctx.table(f"{kind}:{application_id}")


def drop_app_tables(ctx: Context, application_id: str) -> None:
    """Delete every row of every per-app table of the app (journaled, so a failed call rolls back)."""
    prefix = f"{SERVICE}:{ctx.account}:{ctx.region}:"
    suffix = f":{application_id}"
    for name in ctx.world.table_names(prefix):
        if name.endswith(suffix):
            table = ctx.world.table(name)
            for key in table.keys():  # noqa: SIM118 (a copy: we delete while walking)
                table.delete(key)


# -- tags -----------------------------------------------------------------------------------------
def tags_of(ctx: Context, arn: str) -> dict[str, str]:
    return dict((ctx.table("tags").get(arn) or {}).get("tags", {}))


def set_tags(ctx: Context, arn: str, tags: dict[str, str] | None) -> None:
    """Add or overwrite tags of a resource (call it from every Create* that takes `tags`)."""
    if tags:
        table = ctx.table("tags")
        current = tags_of(ctx, arn)
        current.update(tags)
        table.put(arn, {"tags": current})


def remove_tags(ctx: Context, arn: str, keys: list[str]) -> None:
    current = tags_of(ctx, arn)
    kept = {k: v for k, v in current.items() if k not in set(keys)}
    if kept != current:
        if kept:
            ctx.table("tags").put(arn, {"tags": kept})
        else:
            ctx.table("tags").delete(arn)


def drop_tags(ctx: Context, arn: str) -> None:
    """Forget a deleted resource's tags (and, for an app, those of everything under it)."""
    table = ctx.table("tags")
    table.delete(arn)
    if ":apps/" in arn and arn.count("/") == 1:
        for key in table.keys():  # noqa: SIM118 (a copy: we delete while walking)
            if key.startswith(arn + "/"):
                table.delete(key)


def resource_for_arn(ctx: Context, arn: str) -> dict[str, Any]:
    """The stored record an ARN names, or NotFoundException / BadRequestException as Pinpoint answers.

    Understands the ARN forms listed in this module's docstring and the tables they live in.
    """
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "mobiletargeting":
        raise bad_request(f"Invalid ARN: {arn}")
    if parts[3] != ctx.region or parts[4] != ctx.account:
        raise pinpoint_not_found()
    path = parts[5].split("/")
    if path[0] == "apps" and len(path) >= 2:
        record = app(ctx, path[1])
        if len(path) == 2:
            return record
        if len(path) == 4 and path[2] in TAGGED_APP_KINDS:
            found = app_table(ctx, path[2], path[1]).get(path[3])
            if found is not None:
                return dict(found)
        raise pinpoint_not_found()
    if path[0] == "templates" and len(path) == 3:
        found = ctx.table("templates").get(f"{path[1]}/{path[2]}")
        if found is not None:
            return dict(found)
        raise pinpoint_not_found("Template")
    raise bad_request(f"Invalid ARN: {arn}")
