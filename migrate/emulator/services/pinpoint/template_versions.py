"""Listing message templates and their versions, and choosing a template's active version."""

from __future__ import annotations

from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.engagement import listing
from migrate.emulator.services.pinpoint.model import SERVICE, tags_of
from migrate.emulator.services.pinpoint.templates import (
    kind_of,
    message_body,
    put_head,
    template_head,
    template_version,
    template_versions,
)

# The members of a version that ListTemplates (TemplateResponse) and ListTemplateVersions
# (TemplateVersionResponse) show; the content of each type is only in Get*Template.
_SUMMARY = ("Arn", "CreationDate", "DefaultSubstitutions", "LastModifiedDate", "TemplateDescription")
_VERSION_SUMMARY = ("CreationDate", "DefaultSubstitutions", "LastModifiedDate", "TemplateDescription")
_KEYS = ("TemplateName", "TemplateType", "Version")


def _pick(record: dict[str, Any], members: tuple[str, ...]) -> dict[str, Any]:
    return {m: record[m] for m in (*members, *_KEYS) if record.get(m) is not None}


@operation(SERVICE, "ListTemplates")
def list_templates(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    prefix = params.get("Prefix") or ""
    wanted = kind_of(params["TemplateType"]).type if params.get("TemplateType") else None
    heads = [
        h
        for h in ctx.table("templates").values()
        if h["TemplateName"].startswith(prefix) and wanted in (None, h["TemplateType"])
    ]

    def summary(head: dict[str, Any]) -> dict[str, Any]:
        # A template is listed as its active version, as Get without `version` shows it.
        active = template_version(ctx, head["TemplateName"], head["TemplateType"])
        return {**_pick(active, _SUMMARY), "tags": tags_of(ctx, head["Arn"])}

    return {"TemplatesResponse": listing(heads, params, summary, token_key="NextToken")}


@operation(SERVICE, "ListTemplateVersions")
def list_template_versions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name = params["TemplateName"]
    kind = kind_of(params["TemplateType"])
    template_head(ctx, name, kind.type)
    records = template_versions(ctx, name, kind.type)
    listed = listing(records, params, lambda r: _pick(r, _VERSION_SUMMARY), token_key="NextToken")
    return {"TemplateVersionsResponse": listed}


@operation(SERVICE, "UpdateTemplateActiveVersion")
def update_template_active_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name = params["TemplateName"]
    kind = kind_of(params["TemplateType"])
    head = template_head(ctx, name, kind.type)
    asked = (params.get("TemplateActiveVersionRequest") or {}).get("Version")
    if asked in (None, ""):
        raise bad_request("Version is required: an existing version of the template, or 'latest'")
    version = head["Version"] if str(asked).lower() == "latest" else str(asked)
    chosen = template_version(ctx, name, kind.type, version)
    latest = template_version(ctx, name, kind.type, head["Version"])
    put_head(ctx, latest, chosen["Version"], int(head["_NextVersion"]))
    return {"MessageBody": message_body(ctx, "Accepted")}
