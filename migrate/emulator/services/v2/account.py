"""v2 account: attributes (sandbox tier, default protect configuration), resource limits, spend limits.

Also the changes AWS makes only by hand (a support case moves a region out of the sandbox or raises a
spend limit): `set_account_tier` and `set_spend_limit_max` make them in an emulated world.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from migrate.emulator.context import Context
from migrate.emulator.errors import validation
from migrate.emulator.registry import operation
from migrate.emulator.services.common import page
from migrate.emulator.services.v2.model import SERVICE, account_attributes, offline

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator

TIERS = ("SANDBOX", "PRODUCTION")

# AccountLimitName -> the table holding that resource. Registrations are kept by the registration
# handlers under these table names.
LIMIT_TABLES = {
    "PHONE_NUMBERS": "phone_numbers",
    "POOLS": "pools",
    "CONFIGURATION_SETS": "configuration_sets",
    "OPT_OUT_LISTS": "opt_out_lists",
    "SENDER_IDS": "sender_ids",
    "REGISTRATIONS": "registrations",
    "REGISTRATION_ATTACHMENTS": "registration_attachments",
    "VERIFIED_DESTINATION_NUMBERS": "verified_numbers",
}
# Records in these states no longer count against a quota (a released number, a deleted registration).
_GONE = {"DELETED"}

# SpendLimitName -> the operations' word for it. New accounts get US$1 a month for each; more takes a
# support case (`set_spend_limit_max` here).
SPEND_LIMITS = {
    "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT": "Text",
    "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT": "Voice",
    "MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT": "Media",
    "NOTIFY_MESSAGE_MONTHLY_SPEND_LIMIT": "Notify",
    "RCS_MESSAGE_MONTHLY_SPEND_LIMIT": "Rcs",
}
DEFAULT_SPEND_MAX = 1
# The override operations served here (RCS overrides belong with the RCS handlers).
_OVERRIDABLE = (
    "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT",
    "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT",
    "MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT",
    "NOTIFY_MESSAGE_MONTHLY_SPEND_LIMIT",
)


def resources_used(ctx: Context, limit_name: str) -> int:
    """How many of a limited resource exist now in this account and region."""
    table = ctx.table(LIMIT_TABLES[limit_name])
    return sum(1 for r in table.values() if not (isinstance(r, dict) and r.get("Status") in _GONE))


def spend_limits(ctx: Context) -> dict[str, dict[str, Any]]:
    stored = ctx.table("account").get("spend_limits") or {}
    return {
        name: {
            "MaxLimit": int(stored.get(name, {}).get("MaxLimit", DEFAULT_SPEND_MAX)),
            "Override": stored.get(name, {}).get("Override"),
        }
        for name in SPEND_LIMITS
    }


def enforced_spend_limit(ctx: Context, name: str) -> int:
    """The monthly limit (US$) sending is held to: the override if one is set, else the maximum."""
    limit = spend_limits(ctx)[name]
    return int(limit["Override"] if limit["Override"] is not None else limit["MaxLimit"])


def _store_spend_limits(ctx: Context, limits: dict[str, dict[str, Any]]) -> None:
    ctx.table("account").put("spend_limits", limits)


# -- operations -----------------------------------------------------------------------------------------
@operation(SERVICE, "DescribeAccountAttributes")
def describe_account_attributes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    attributes = account_attributes(ctx)
    items = [{"Name": "ACCOUNT_TIER", "Value": str(attributes.get("ACCOUNT_TIER", "PRODUCTION"))}]
    default_protect = attributes.get("DEFAULT_PROTECT_CONFIGURATION_ID")
    if default_protect:
        items.append({"Name": "DEFAULT_PROTECT_CONFIGURATION_ID", "Value": str(default_protect)})
    chunk, token = page(items, params)
    return {"AccountAttributes": chunk, "NextToken": token}


@operation(SERVICE, "DescribeAccountLimits")
def describe_account_limits(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    limits = [
        {"Name": name, "Used": resources_used(ctx, name), "Max": ctx.quotas.limit(name)}
        for name in LIMIT_TABLES
    ]
    chunk, token = page(limits, params)
    return {"AccountLimits": chunk, "NextToken": token}


@operation(SERVICE, "DescribeSpendLimits")
def describe_spend_limits(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    items = [
        {
            "Name": name,
            "EnforcedLimit": enforced_spend_limit(ctx, name),
            "MaxLimit": limit["MaxLimit"],
            "Overridden": limit["Override"] is not None,
        }
        for name, limit in spend_limits(ctx).items()
    ]
    chunk, token = page(items, params)
    return {"SpendLimits": chunk, "NextToken": token}


def _set_override(name: str) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
    def handler(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        limits = spend_limits(ctx)
        wanted = int(params["MonthlyLimit"])
        if wanted > limits[name]["MaxLimit"]:
            raise validation(
                f"The requested limit {wanted} is higher than the service limit {limits[name]['MaxLimit']}; "
                "ask AWS Support for a spend limit increase.",
                "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT",
                [{"Name": "MonthlyLimit", "Message": f"must be at most {limits[name]['MaxLimit']}"}],
            )
        limits[name]["Override"] = wanted
        _store_spend_limits(ctx, limits)
        return {"MonthlyLimit": wanted}

    return handler


def _delete_override(name: str) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
    def handler(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        limits = spend_limits(ctx)
        limits[name]["Override"] = None
        _store_spend_limits(ctx, limits)
        # With the override gone the enforced limit is the maximum again: that is the current limit.
        return {"MonthlyLimit": limits[name]["MaxLimit"]}

    return handler


for _name in _OVERRIDABLE:
    _word = SPEND_LIMITS[_name]
    operation(SERVICE, f"Set{_word}MessageSpendLimitOverride")(_set_override(_name))
    operation(SERVICE, f"Delete{_word}MessageSpendLimitOverride")(_delete_override(_name))


# -- changes AWS makes by hand --------------------------------------------------------------------------
def set_account_tier(emu: Emulator, region: str, tier: str, account: str | None = None) -> None:
    """Put a region of an account in the SMS sandbox (`SANDBOX`) or out of it (`PRODUCTION`)."""
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {tier!r}")
    with offline(emu, region, account) as ctx:
        attributes = dict(account_attributes(ctx))
        attributes["ACCOUNT_TIER"] = tier
        ctx.table("account").put("attributes", attributes)


def set_spend_limit_max(
    emu: Emulator, region: str, name: str, max_limit: int, account: str | None = None
) -> None:
    """Set the monthly spend maximum AWS allows (what a granted spend-limit increase does)."""
    if name not in SPEND_LIMITS:
        raise ValueError(f"name must be one of {', '.join(SPEND_LIMITS)}, not {name!r}")
    with offline(emu, region, account) as ctx:
        limits = spend_limits(ctx)
        limits[name]["MaxLimit"] = int(max_limit)
        if limits[name]["Override"] is not None and limits[name]["Override"] > max_limit:
            limits[name]["Override"] = int(max_limit)
        _store_spend_limits(ctx, limits)
