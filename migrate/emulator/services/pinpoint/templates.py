"""Pinpoint message templates (SMS, voice, email, push, in-app) and their versions.

Templates belong to the account and region, not to an app. A template is named per type: `welcome` may
exist as an SMS and as an email template. Versions are "1", "2", ... and never reused; the *active*
version is what Get returns without `version` and what messages use; an update overwrites the latest
version unless `create-new-version` is set, and a `version` given to an update must be the latest (AWS's
guard against lost updates). Bodies are stored verbatim, placeholders (`{{User.UserAttributes.X}}`)
included. Templates outlive Pinpoint's end of support (they serve SMS, voice and push), so no handler
here calls `check_retired`.

Tables: `templates` ("<name>/<TYPE>" -> the latest version, plus `_ActiveVersion` and `_NextVersion`)
and `template_versions` ("<name>/<TYPE>/<version>" -> that version).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import Handler, operation
from migrate.emulator.services.pinpoint.model import (
    SERVICE,
    drop_tags,
    iso_now,
    pinpoint_not_found,
    public,
    request_id,
    set_tags,
    tags_of,
)

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")


@dataclass(frozen=True)
class TemplateKind:
    """How one template type is spelled in operation names and shapes."""

    type: str  # TemplateType: SMS, VOICE, EMAIL, PUSH, INAPP
    op: str  # the infix of the operation names: CreateSmsTemplate, GetPushTemplate, ...
    request: str  # the payload member of Create/Update (also its shape's name)
    response: str  # the payload member of Get
    created: str  # the payload member of Create's output

    @property
    def content(self) -> tuple[str, ...]:
        """The members of the request that make up a version's content (all but `tags`)."""
        return _content_members(self.request)


KINDS: dict[str, TemplateKind] = {
    k.type: k
    for k in (
        TemplateKind("SMS", "Sms", "SMSTemplateRequest", "SMSTemplateResponse", "CreateTemplateMessageBody"),
        TemplateKind(
            "VOICE", "Voice", "VoiceTemplateRequest", "VoiceTemplateResponse", "CreateTemplateMessageBody"
        ),
        TemplateKind(
            "EMAIL", "Email", "EmailTemplateRequest", "EmailTemplateResponse", "CreateTemplateMessageBody"
        ),
        TemplateKind(
            "PUSH",
            "Push",
            "PushNotificationTemplateRequest",
            "PushNotificationTemplateResponse",
            "CreateTemplateMessageBody",
        ),
        TemplateKind(
            "INAPP", "InApp", "InAppTemplateRequest", "InAppTemplateResponse", "TemplateCreateMessageBody"
        ),
    )
}


@lru_cache(maxsize=8)
def _content_members(request_shape: str) -> tuple[str, ...]:
    from migrate.emulator.emulator import service_model

    shape = service_model(SERVICE).shape_for(request_shape)
    return tuple(name for name in shape.members if name != "tags")


def kind_of(template_type: str) -> TemplateKind:
    """The kind a `template-type` URI label or filter names (any case), or BadRequestException."""
    found = KINDS.get(template_type.upper())
    if found is None:
        raise bad_request(
            f"Invalid template type {template_type}: valid values are {', '.join(KINDS)} (any case)"
        )
    return found


def template_arn(ctx: Context, name: str, template_type: str) -> str:
    return ctx.arn(f"templates/{name}/{template_type}")


def message_body(ctx: Context, message: str) -> dict[str, str]:
    return {"Message": message, "RequestID": request_id(ctx)}


# -- look-ups ---------------------------------------------------------------------------------------
def template_head(ctx: Context, name: str, template_type: str) -> dict[str, Any]:
    """The stored head of a template (its latest version and version bookkeeping), or NotFound."""
    found = ctx.table("templates").get(f"{name}/{template_type}")
    if found is None:
        raise pinpoint_not_found("Template")
    return found


def template_version(
    ctx: Context, name: str, template_type: str, version: str | None = None
) -> dict[str, Any]:
    """One version of a template (the active one when `version` is None), or NotFoundException.

    This is what sending with a template uses: `TemplateConfiguration` names a version or none.
    """
    head = template_head(ctx, name, template_type)
    wanted = str(version) if version not in (None, "") else head["_ActiveVersion"]
    found = ctx.table("template_versions").get(f"{name}/{template_type}/{wanted}")
    if found is None:
        raise pinpoint_not_found("Template version")
    return found


def template_versions(ctx: Context, name: str, template_type: str) -> list[dict[str, Any]]:
    """Every version of a template, oldest first."""
    prefix = f"{name}/{template_type}/"
    found = [r for k, r in ctx.table("template_versions").items() if k.startswith(prefix)]
    return sorted(found, key=lambda r: int(r["Version"]))


def put_head(ctx: Context, latest: dict[str, Any], active: str, next_version: int) -> None:
    head = {**copy.deepcopy(latest), "_ActiveVersion": active, "_NextVersion": next_version}
    ctx.table("templates").put(f"{latest['TemplateName']}/{latest['TemplateType']}", head)


def drop_template(ctx: Context, name: str, template_type: str) -> None:
    head = template_head(ctx, name, template_type)
    for record in template_versions(ctx, name, template_type):
        ctx.table("template_versions").delete(f"{name}/{template_type}/{record['Version']}")
    ctx.table("templates").delete(f"{name}/{template_type}")
    drop_tags(ctx, head["Arn"])


# -- validation -------------------------------------------------------------------------------------
def _check_name(name: str) -> None:
    if not _NAME.fullmatch(name):
        raise bad_request(
            "A template name must start with an alphanumeric character and can contain up to 128 "
            "alphanumeric characters, underscores (_) and hyphens (-)"
        )


def _check_content(request: dict[str, Any]) -> None:
    substitutions = request.get("DefaultSubstitutions")
    if substitutions is not None:
        try:
            parsed = json.loads(substitutions)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise bad_request("DefaultSubstitutions must be a JSON object of variable names and values")


# -- handlers ---------------------------------------------------------------------------------------
def _create(kind: TemplateKind) -> Handler:
    def create(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["TemplateName"]
        _check_name(name)
        request = params[kind.request]
        _check_content(request)
        if f"{name}/{kind.type}" in ctx.table("templates"):
            raise bad_request(f"Template {name} of type {kind.type} already exists")
        now = iso_now(ctx)
        arn = template_arn(ctx, name, kind.type)
        record: dict[str, Any] = {
            "Arn": arn,
            "CreationDate": now,
            "LastModifiedDate": now,
            "TemplateName": name,
            "TemplateType": kind.type,
            "Version": "1",
        }
        record.update({m: copy.deepcopy(request[m]) for m in kind.content if request.get(m) is not None})
        ctx.table("template_versions").put(f"{name}/{kind.type}/1", record)
        put_head(ctx, record, "1", 2)
        set_tags(ctx, arn, request.get("tags"))
        return {kind.created: {"Arn": arn, **message_body(ctx, "Created")}}

    return create


def _get(kind: TemplateKind) -> Handler:
    def get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        record = template_version(ctx, params["TemplateName"], kind.type, params.get("Version"))
        return {kind.response: {**public(record), "tags": tags_of(ctx, record["Arn"])}}

    return get


def _update(kind: TemplateKind) -> Handler:
    def update(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["TemplateName"]
        head = template_head(ctx, name, kind.type)
        latest = head["Version"]
        asked = params.get("Version")
        if asked not in (None, "") and str(asked) != latest:
            raise bad_request(f"Version {asked} is not the latest version ({latest}) of template {name}")
        request = params[kind.request]
        _check_content(request)
        # Since May 2023 Pinpoint ignores `tags` in update requests (TagResource manages them).
        record = copy.deepcopy(template_version(ctx, name, kind.type, latest))
        for member in kind.content:
            if request.get(member) is not None:
                record[member] = copy.deepcopy(request[member])
        now = iso_now(ctx)
        next_version = int(head["_NextVersion"])
        if params.get("CreateNewVersion"):
            record["Version"] = str(next_version)
            record["CreationDate"] = now
            next_version += 1
        record["LastModifiedDate"] = now
        ctx.table("template_versions").put(f"{name}/{kind.type}/{record['Version']}", record)
        put_head(ctx, record, head["_ActiveVersion"], next_version)
        return {"MessageBody": message_body(ctx, "Accepted")}

    return update


def _delete(kind: TemplateKind) -> Handler:
    def delete(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["TemplateName"]
        head = template_head(ctx, name, kind.type)
        version = params.get("Version")
        if version in (None, ""):
            drop_template(ctx, name, kind.type)
            return {"MessageBody": message_body(ctx, "Accepted")}
        doomed = template_version(ctx, name, kind.type, str(version))
        others = [r for r in template_versions(ctx, name, kind.type) if r["Version"] != doomed["Version"]]
        if not others:
            drop_template(ctx, name, kind.type)
            return {"MessageBody": message_body(ctx, "Accepted")}
        if doomed["Version"] == head["_ActiveVersion"]:
            raise bad_request(
                f"Version {version} is the active version of template {name}: make another version "
                "active first, or delete the whole template"
            )
        ctx.table("template_versions").delete(f"{name}/{kind.type}/{doomed['Version']}")
        put_head(ctx, others[-1], head["_ActiveVersion"], int(head["_NextVersion"]))
        return {"MessageBody": message_body(ctx, "Accepted")}

    return delete


for _kind in KINDS.values():
    operation(SERVICE, f"Create{_kind.op}Template")(_create(_kind))
    operation(SERVICE, f"Get{_kind.op}Template")(_get(_kind))
    operation(SERVICE, f"Update{_kind.op}Template")(_update(_kind))
    operation(SERVICE, f"Delete{_kind.op}Template")(_delete(_kind))
