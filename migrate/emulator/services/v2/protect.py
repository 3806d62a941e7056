"""v2 protect configurations: create/describe/update/delete, the account default, and country rule sets.

A protect configuration starts by allowing every country for every capability; the `_RuleSets` kept in
its record hold only the countries changed since (capability -> {country: status}).
"""

from __future__ import annotations

import copy
import re
from typing import Any

import phonenumbers

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, conflict, not_found
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2.model import (
    SERVICE,
    account_attributes,
    drop_tags,
    protect_configuration,
    remember,
    replay,
    set_tags,
)

# The countries a rule set covers: the ISO 3166-1 alpha-2 regions phone numbers exist for.
COUNTRIES = tuple(sorted(c for c in phonenumbers.SUPPORTED_REGIONS if re.fullmatch("[A-Z]{2}", c)))
DEFAULT_STATUS = "ALLOW"


def default_protect_configuration_id(ctx: Context) -> str:
    return str(account_attributes(ctx).get("DEFAULT_PROTECT_CONFIGURATION_ID") or "")


def _set_default(ctx: Context, protect_id: str) -> None:
    attributes = dict(account_attributes(ctx))
    attributes["DEFAULT_PROTECT_CONFIGURATION_ID"] = protect_id
    ctx.table("account").put("attributes", attributes)


def _shown(ctx: Context, record: dict[str, Any]) -> dict[str, Any]:
    """ProtectConfigurationInformation; `AccountDefault` is read from the account, where AWS keeps it."""
    return {
        "ProtectConfigurationArn": record["ProtectConfigurationArn"],
        "ProtectConfigurationId": record["ProtectConfigurationId"],
        "CreatedTimestamp": record["CreatedTimestamp"],
        "AccountDefault": record["ProtectConfigurationId"] == default_protect_configuration_id(ctx),
        "DeletionProtectionEnabled": bool(record.get("DeletionProtectionEnabled", False)),
    }


def _save(ctx: Context, record: dict[str, Any]) -> None:
    ctx.table("protect_configurations").put(record["ProtectConfigurationId"], record)


def country_rule_set(record: dict[str, Any], capability: str) -> dict[str, dict[str, str]]:
    """Every country's ProtectStatus for one capability (SMS, VOICE, MMS, RCS)."""
    changed = record.get("_RuleSets", {}).get(capability, {})
    return {c: {"ProtectStatus": changed.get(c, DEFAULT_STATUS)} for c in COUNTRIES}


@operation(SERVICE, "CreateProtectConfiguration")
def create_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    table = ctx.table("protect_configurations")
    ctx.check_resource_quota("PROTECT_CONFIGURATIONS", len(table))
    protect_id = ctx.new_id("protect-")
    record: dict[str, Any] = {
        "ProtectConfigurationArn": ctx.arn(f"protect-configuration/{protect_id}"),
        "ProtectConfigurationId": protect_id,
        "CreatedTimestamp": ctx.now(),
        "DeletionProtectionEnabled": bool(params.get("DeletionProtectionEnabled", False)),
        "_RuleSets": {},
    }
    _save(ctx, record)
    set_tags(ctx, record["ProtectConfigurationArn"], params.get("Tags"))
    return remember(ctx, params, {**_shown(ctx, record), "Tags": params.get("Tags") or []})


@operation(SERVICE, "DescribeProtectConfigurations")
def describe_protect_configurations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    ids = params.get("ProtectConfigurationIds")
    if ids:
        records = [protect_configuration(ctx, i) for i in ids]
    else:
        records = ctx.table("protect_configurations").values()
    shown = apply_filters(
        [_shown(ctx, r) for r in records],
        params.get("Filters"),
        {
            "account-default": lambda r: r["AccountDefault"],
            "deletion-protection-enabled": lambda r: r["DeletionProtectionEnabled"],
        },
    )
    chunk, token = page(shown, params)
    # The result list has a minimum of one item: with none, AWS leaves the member out.
    return {"ProtectConfigurations": chunk or None, "NextToken": token}


@operation(SERVICE, "UpdateProtectConfiguration")
def update_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = copy.deepcopy(protect_configuration(ctx, params["ProtectConfigurationId"]))
    if params.get("DeletionProtectionEnabled") is not None:
        record["DeletionProtectionEnabled"] = bool(params["DeletionProtectionEnabled"])
    _save(ctx, record)
    return _shown(ctx, record)


@operation(SERVICE, "DeleteProtectConfiguration")
def delete_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = protect_configuration(ctx, params["ProtectConfigurationId"])
    protect_id = record["ProtectConfigurationId"]
    if record.get("DeletionProtectionEnabled"):
        raise conflict(
            "DELETION_PROTECTION_ENABLED",
            f"Protect configuration {protect_id} has deletion protection enabled.",
            "protect-configuration",
            protect_id,
        )
    if protect_id == default_protect_configuration_id(ctx):
        raise conflict(
            "PROTECT_CONFIGURATION_IS_ACCOUNT_DEFAULT",
            f"Protect configuration {protect_id} is the account default.",
            "protect-configuration",
            protect_id,
        )
    users = [
        s["ConfigurationSetName"]
        for s in ctx.table("configuration_sets").values()
        if s.get("ProtectConfigurationId") == protect_id
    ]
    if users:
        raise conflict(
            "PROTECT_CONFIGURATION_ASSOCIATED_WITH_CONFIGURATION_SET",
            f"Protect configuration {protect_id} is associated with {', '.join(sorted(users))}.",
            "protect-configuration",
            protect_id,
        )
    shown = _shown(ctx, record)
    ctx.table("protect_configurations").delete(protect_id)
    drop_tags(ctx, record["ProtectConfigurationArn"])
    return shown


@operation(SERVICE, "SetAccountDefaultProtectConfiguration")
def set_account_default_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = protect_configuration(ctx, params["ProtectConfigurationId"])
    _set_default(ctx, record["ProtectConfigurationId"])
    return {
        "DefaultProtectConfigurationArn": record["ProtectConfigurationArn"],
        "DefaultProtectConfigurationId": record["ProtectConfigurationId"],
    }


@operation(SERVICE, "DeleteAccountDefaultProtectConfiguration")
def delete_account_default_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    protect_id = default_protect_configuration_id(ctx)
    record = ctx.table("protect_configurations").get(protect_id) if protect_id else None
    if record is None:
        raise not_found("protect-configuration", "account-default")
    _set_default(ctx, "")
    return {
        "DefaultProtectConfigurationArn": record["ProtectConfigurationArn"],
        "DefaultProtectConfigurationId": record["ProtectConfigurationId"],
    }


@operation(SERVICE, "GetProtectConfigurationCountryRuleSet")
def get_protect_configuration_country_rule_set(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = protect_configuration(ctx, params["ProtectConfigurationId"])
    capability = params["NumberCapability"]
    return {
        "ProtectConfigurationArn": record["ProtectConfigurationArn"],
        "ProtectConfigurationId": record["ProtectConfigurationId"],
        "NumberCapability": capability,
        "CountryRuleSet": country_rule_set(record, capability),
    }


@operation(SERVICE, "UpdateProtectConfigurationCountryRuleSet")
def update_protect_configuration_country_rule_set(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = copy.deepcopy(protect_configuration(ctx, params["ProtectConfigurationId"]))
    capability = params["NumberCapability"]
    updates: dict[str, dict[str, str]] = params["CountryRuleSetUpdates"]
    unknown = sorted(c for c in updates if c not in COUNTRIES)
    if unknown:
        raise ApiError(
            "ValidationException",
            f"Unsupported country code(s): {', '.join(unknown)}",
            Reason="INVALID_PARAMETER",
            Fields=[
                {"Name": f"CountryRuleSetUpdates.{c}", "Message": "is not a supported country"}
                for c in unknown
            ],
        )
    changed = record.setdefault("_RuleSets", {}).setdefault(capability, {})
    for country, info in updates.items():
        changed[country] = info["ProtectStatus"]
    _save(ctx, record)
    return {
        "ProtectConfigurationArn": record["ProtectConfigurationArn"],
        "ProtectConfigurationId": record["ProtectConfigurationId"],
        "NumberCapability": capability,
        "CountryRuleSet": country_rule_set(record, capability),
    }
