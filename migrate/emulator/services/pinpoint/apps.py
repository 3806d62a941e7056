"""Pinpoint projects (apps) and their application settings."""

from __future__ import annotations

import copy
import re
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.model import (
    SERVICE,
    app,
    app_arn,
    app_response,
    drop_app_tables,
    drop_tags,
    iso_now,
    pinpoint_page,
    public,
    set_tags,
)
from migrate.emulator.services.pinpoint.retired import check_retired

# Pinpoint's documented default: 100 projects per account per region. A quota name of our own, so that
# `emu.quotas.resource["PINPOINT_APPS"] = n` changes it like the v2 limits.
APPS_QUOTA = "PINPOINT_APPS"
DEFAULT_APPS_LIMIT = 100
# The settings members an update may name; each one named replaces the stored one, the others are kept.
SETTINGS_MEMBERS = ("CampaignHook", "Limits", "QuietTime", "JourneyLimits")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@operation(SERVICE, "CreateApp")
def create_app(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    request = params["CreateApplicationRequest"]
    name = str(request.get("Name") or "").strip()
    if not name:
        raise bad_request("Name is required.")
    apps = ctx.table("apps")
    limit = ctx.quotas.resource.get(APPS_QUOTA, DEFAULT_APPS_LIMIT)
    if ctx.quotas.resource_enforced and len(apps) >= limit:
        raise bad_request(f"Maximum number of applications ({limit}) reached for this account and region.")
    application_id = ctx.new_id()
    record = {
        "Id": application_id,
        "Arn": app_arn(ctx, application_id),
        "Name": name,
        "CreationDate": iso_now(ctx),
    }
    apps.put(application_id, record)
    set_tags(ctx, record["Arn"], request.get("tags"))
    return {"ApplicationResponse": app_response(ctx, record)}


@operation(SERVICE, "GetApp")
def get_app(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return {"ApplicationResponse": app_response(ctx, app(ctx, params["ApplicationId"]))}


@operation(SERVICE, "GetApps")
def get_apps(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    result = pinpoint_page(ctx.table("apps").values(), params)
    result["Item"] = [app_response(ctx, r) for r in result["Item"]]
    return {"ApplicationsResponse": result}


@operation(SERVICE, "DeleteApp")
def delete_app(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = app(ctx, params["ApplicationId"])
    response = app_response(ctx, record)
    application_id = record["Id"]
    drop_app_tables(ctx, application_id)
    for table in ("settings", "event_streams"):
        ctx.table(table).delete(application_id)
    drop_tags(ctx, record["Arn"])
    ctx.table("apps").delete(application_id)
    return {"ApplicationResponse": response}


def settings_of(ctx: Context, application_id: str) -> dict[str, Any]:
    """The app's settings as stored (new apps have empty hook, limits and quiet time, as on AWS)."""
    stored = ctx.table("settings").get(application_id)
    if stored is not None:
        return stored
    created = app(ctx, application_id)["CreationDate"]
    return {
        "ApplicationId": application_id,
        "CampaignHook": {},
        "LastModifiedDate": created,
        "Limits": {},
        "QuietTime": {},
    }


@operation(SERVICE, "GetApplicationSettings")
def get_application_settings(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    return {"ApplicationSettingsResource": public(settings_of(ctx, params["ApplicationId"]))}


@operation(SERVICE, "UpdateApplicationSettings")
def update_application_settings(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    update = params["WriteApplicationSettingsRequest"]
    _check_settings(update)
    record = copy.deepcopy(settings_of(ctx, application_id))
    for member in SETTINGS_MEMBERS:
        if member in update:
            record[member] = copy.deepcopy(update[member])
    # Not part of ApplicationSettingsResource, but AWS keeps them: store them out of the response.
    for flag in ("CloudWatchMetricsEnabled", "EventTaggingEnabled"):
        if flag in update:
            record["_" + flag] = bool(update[flag])
    record["LastModifiedDate"] = iso_now(ctx)
    ctx.table("settings").put(application_id, record)
    return {"ApplicationSettingsResource": public(record)}


def _check_settings(update: dict[str, Any]) -> None:
    quiet = update.get("QuietTime") or {}
    for edge in ("Start", "End"):
        value = quiet.get(edge)
        if value is not None and not _HHMM.match(str(value)):
            raise bad_request(f"QuietTime.{edge} must be in HH:mm format (24-hour clock), got {value!r}.")
    if bool(quiet.get("Start")) != bool(quiet.get("End")):
        raise bad_request("QuietTime needs both Start and End.")
    hook = update.get("CampaignHook") or {}
    if hook.get("Mode") and not (hook.get("LambdaFunctionName") or hook.get("WebUrl")):
        raise bad_request("CampaignHook.Mode needs a LambdaFunctionName or a WebUrl.")
    for key, value in (update.get("Limits") or {}).items():
        if isinstance(value, int) and value < 0:
            raise bad_request(f"Limits.{key} must not be negative.")
