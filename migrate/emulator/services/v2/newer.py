"""v2 operations AWS added after the ones a migration is built on: carrier lookup, Notify, RCS agents and
protect-configuration number overrides. Served so that a migration or a foreign assessment tool that meets
them gets AWS's answers (an empty account's lists, the modelled not-found errors) instead of a 501 it
retries as a server error. Shapes and enums are botocore's `pinpoint-sms-voice-v2` model; behaviour from
the SMS and Voice v2 API reference (CarrierLookup, CreateNotifyConfiguration, CreateRcsAgent,
PutProtectConfigurationRuleSetNumberOverride pages).

Tables, per account and region: `notify_configurations` (id -> NotifyConfigurationInformation),
`rcs_agents` (id -> RcsAgentInformation), `number_overrides:<protect id>` (E.164 -> override),
`account` "rcs_spend_limit" -> {"MonthlyLimit"}.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType, carrier, geocoder

from migrate.emulator.context import Context
from migrate.emulator.errors import conflict, not_found, validation
from migrate.emulator.registry import operation
from migrate.emulator.services.common import page
from migrate.emulator.services.v2 import e164
from migrate.emulator.services.v2.model import (
    SERVICE,
    arn_tail,
    deletion_protected,
    opt_out_list,
    pool,
    protect_configuration,
    remember,
    replay,
    set_tags,
)
from migrate.emulator.services.v2.origination import fit

_TYPES = {
    PhoneNumberType.MOBILE: "MOBILE",
    PhoneNumberType.FIXED_LINE: "LANDLINE",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "MOBILE",
    PhoneNumberType.VOIP: "VOIP",
}


@operation(SERVICE, "CarrierLookup")
def carrier_lookup(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """What AWS knows of a number: country, line type and carrier (here: libphonenumber's data)."""
    given = params["PhoneNumber"]
    try:
        parsed = phonenumbers.parse(given if given.startswith("+") else "+" + given)
    except phonenumbers.NumberParseException:
        raise validation(f"{given} is not a phone number.", "INVALID_PARAMETER") from None
    valid = phonenumbers.is_valid_number(parsed)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(parsed) or phonenumbers.region_code_for_country_code(
        parsed.country_code or 0
    )
    country = None if region in (None, "ZZ", "001") else region
    return {
        "E164PhoneNumber": e164,
        "OriginalPhoneNumber": given,
        "DialingCountryCode": str(parsed.country_code),
        "IsoCountryCode": country,
        "Country": geocoder.country_name_for_number(parsed, "en") or None,
        "Carrier": carrier.name_for_number(parsed, "en") or None,
        "PhoneNumberType": _TYPES.get(phonenumbers.number_type(parsed), "OTHER") if valid else "INVALID",
    }


@operation(SERVICE, "ListAvailablePhoneNumbers")
def list_available_phone_numbers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Numbers RequestPhoneNumber could hand out now: deterministic per account, region and request."""
    country, kind = params["IsoCountryCode"], params["NumberType"]
    taken = {r["PhoneNumber"] for r in ctx.table("phone_numbers").values()}
    wanted = min(int(params.get("MaxResults") or 10), 50)
    found: list[str] = []
    for seed in range(wanted):
        try:
            number = e164.new_number(country, kind, seed * 7919 + 17, taken | set(found))
        except (KeyError, ValueError):
            raise validation(f"{kind} numbers are not sold in {country}.", "INVALID_PARAMETER") from None
        found.append(number)
    return {"AvailablePhoneNumbers": found}


# -- Notify configurations and RCS agents: one table entry each ------------------------------------------
@dataclass(frozen=True)
class Kind:
    """A resource kind these operations describe, find and delete alike (STYLE.md §2)."""

    table: str  # per account and region: id -> record
    resource_type: str  # ResourceNotFoundException's ResourceType
    id_member: str  # the record's id member, and the Delete/Update request's
    describe: str  # Describe operation: `<ids_param>` or every record, paged, as `<list_key>` of `<info_shape>`
    ids_param: str
    list_key: str
    info_shape: str
    delete: str  # Delete operation: refused while deletion-protected; answers `<Delete>Result`
    deleted: tuple[tuple[str, str], ...] = ()  # members the delete answer overrides
    owner_filter: bool = False  # `Owner=SHARED` lists nothing: the emulated account is shared nothing


NOTIFY = Kind(
    "notify_configurations", "notify-configuration", "NotifyConfigurationId",
    "DescribeNotifyConfigurations", "NotifyConfigurationIds", "NotifyConfigurations",
    "NotifyConfigurationInformation", "DeleteNotifyConfiguration",
)  # fmt: skip
RCS = Kind(
    "rcs_agents", "rcs-agent", "RcsAgentId", "DescribeRcsAgents", "RcsAgentIds", "RcsAgents",
    "RcsAgentInformation", "DeleteRcsAgent", deleted=(("Status", "DELETED"),), owner_filter=True,
)  # fmt: skip
KINDS = (NOTIFY, RCS)


def find(ctx: Context, kind: Kind, id_or_arn: str) -> dict[str, Any]:
    """A record of `kind` by id or ARN, or the modelled not-found error."""
    found = ctx.table(kind.table).get(arn_tail(id_or_arn))
    if found is None:
        raise not_found(kind.resource_type, id_or_arn)
    return dict(found)


def _describer(kind: Kind) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
    def describe(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        ids = params.get(kind.ids_param)
        records = [find(ctx, kind, i) for i in ids] if ids else ctx.table(kind.table).values()
        if kind.owner_filter and params.get("Owner") == "SHARED":
            records = []
        chunk, token = page(records, params)
        return {kind.list_key: [fit(r, kind.info_shape) for r in chunk] or None, "NextToken": token}

    return describe


def _deleter(kind: Kind) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
    def delete(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        record = find(ctx, kind, params[kind.id_member])
        deletion_protected(record, kind.resource_type, record[kind.id_member])
        ctx.table(kind.table).delete(record[kind.id_member])
        return fit(record, f"{kind.delete}Result", **dict(kind.deleted))

    return delete


for _kind in KINDS:
    operation(SERVICE, _kind.describe)(_describer(_kind))
    operation(SERVICE, _kind.delete)(_deleter(_kind))


@operation(SERVICE, "CreateNotifyConfiguration")
def create_notify_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    if params.get("PoolId"):
        pool(ctx, params["PoolId"])
    config_id = ctx.new_id("notify-")
    record = {
        "NotifyConfigurationArn": ctx.arn(f"notify-configuration/{config_id}"),
        "NotifyConfigurationId": config_id,
        "DisplayName": params["DisplayName"],
        "UseCase": params["UseCase"],
        "DefaultTemplateId": params.get("DefaultTemplateId"),
        "PoolId": params.get("PoolId"),
        "EnabledCountries": params.get("EnabledCountries") or [],
        "EnabledChannels": params["EnabledChannels"],
        # A new configuration starts on the BASIC tier and is reviewed by AWS before it can send.
        "Tier": "BASIC",
        "TierUpgradeStatus": "BASIC",
        "Status": "PENDING",
        "DeletionProtectionEnabled": bool(params.get("DeletionProtectionEnabled", False)),
        "CreatedTimestamp": ctx.now(),
    }
    ctx.table(NOTIFY.table).put(config_id, record)
    set_tags(ctx, record["NotifyConfigurationArn"], params.get("Tags"))
    result = fit(record, "CreateNotifyConfigurationResult", Tags=params.get("Tags") or [])
    return remember(ctx, params, result)


@operation(SERVICE, "UpdateNotifyConfiguration")
def update_notify_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = find(ctx, NOTIFY, params["NotifyConfigurationId"])
    if params.get("PoolId"):
        pool(ctx, params["PoolId"])
    for name in (
        "DefaultTemplateId",
        "PoolId",
        "EnabledCountries",
        "EnabledChannels",
        "DeletionProtectionEnabled",
    ):
        if params.get(name) is not None:
            record[name] = params[name]
    ctx.table(NOTIFY.table).put(record["NotifyConfigurationId"], record)
    return fit(record, "UpdateNotifyConfigurationResult")


# Lists an empty account answers empty (the model's lists have at least one item: AWS leaves them out);
# ids asked for by name are not found. operation -> (ids request member, ResourceType) or None.
_EMPTY_LISTS: dict[str, tuple[str, str] | None] = {
    "DescribeNotifyTemplates": ("TemplateIds", "notify-template"),
    "ListNotifyCountries": None,
}


def _empty(asked: tuple[str, str] | None) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
    def answer(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        if asked is not None:
            for wanted in params.get(asked[0]) or ():
                raise not_found(asked[1], wanted)
        return {"NextToken": None}

    return answer


for _name, _asked in _EMPTY_LISTS.items():
    operation(SERVICE, _name)(_empty(_asked))


def _send_notify(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = find(ctx, NOTIFY, params["NotifyConfigurationId"])
    if record["Status"] != "ACTIVE":
        raise conflict(
            "NOTIFY_CONFIGURATION_NOT_ACTIVE",
            f"Notify configuration {record['NotifyConfigurationId']} is {record['Status']}.",
            "notify-configuration",
            record["NotifyConfigurationId"],
        )
    return {"MessageId": ctx.new_id("msg-"), "TemplateId": params.get("TemplateId")}


for _name in ("SendNotifyTextMessage", "SendNotifyVoiceMessage"):
    operation(SERVICE, _name)(_send_notify)


@operation(SERVICE, "CreateRcsAgent")
def create_rcs_agent(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    listed = opt_out_list(ctx, params.get("OptOutListName") or "Default")["OptOutListName"]
    agent_id = ctx.new_id("rcs-")
    record = {
        "RcsAgentArn": ctx.arn(f"rcs-agent/{agent_id}"),
        "RcsAgentId": agent_id,
        "Status": "CREATED",  # an agent sends only once carriers launch it, country by country
        "DeletionProtectionEnabled": bool(params.get("DeletionProtectionEnabled", False)),
        "OptOutListName": listed,
        "SelfManagedOptOutsEnabled": False,
        "TwoWayEnabled": False,
        "CreatedTimestamp": ctx.now(),
    }
    ctx.table(RCS.table).put(agent_id, record)
    set_tags(ctx, record["RcsAgentArn"], params.get("Tags"))
    return remember(ctx, params, fit(record, "CreateRcsAgentResult", Tags=params.get("Tags") or []))


@operation(SERVICE, "UpdateRcsAgent")
def update_rcs_agent(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = find(ctx, RCS, params["RcsAgentId"])
    if params.get("OptOutListName"):
        record["OptOutListName"] = opt_out_list(ctx, params["OptOutListName"])["OptOutListName"]
    for name, value in params.items():
        if name not in ("RcsAgentId", "OptOutListName") and value is not None:
            record[name] = value
    ctx.table(RCS.table).put(record["RcsAgentId"], record)
    return fit(record, "UpdateRcsAgentResult")


@operation(SERVICE, "DescribeRcsAgentCountryLaunchStatus")
def describe_rcs_agent_country_launch_status(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = find(ctx, RCS, params["RcsAgentId"])
    return {"RcsAgentId": record["RcsAgentId"], "RcsAgentArn": record["RcsAgentArn"]}


@operation(SERVICE, "SendRcsMessage")
def send_rcs_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = find(ctx, RCS, params["OriginationIdentity"])
    if record["Status"] not in ("ACTIVE", "TESTING", "PARTIAL"):
        raise conflict(
            "RESOURCE_NOT_ACTIVE", f"RCS agent {record['RcsAgentId']} is {record['Status']}.", "rcs-agent",
            record["RcsAgentId"],
        )  # fmt: skip
    # An agent answers to the opt-out list it is associated with (CreateRcsAgent/UpdateRcsAgent
    # `OptOutListName` in botocore's pinpoint-sms-voice-v2 model), as a phone number does: the same refusal.
    number = params["DestinationPhoneNumber"]
    if ctx.table(f"opted_out:{record['OptOutListName']}").get(number) is not None:
        raise conflict(
            "DESTINATION_PHONE_NUMBER_OPTED_OUT",
            f"{number} opted out of messages from {record['RcsAgentId']} (opt-out list {record['OptOutListName']}).",
            "opted-out-number", number,
        )  # fmt: skip
    return {"MessageId": ctx.new_id("msg-")}


@operation(SERVICE, "SetRcsMessageSpendLimitOverride")
def set_rcs_message_spend_limit_override(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    ctx.table("account").put("rcs_spend_limit", {"MonthlyLimit": params["MonthlyLimit"]})
    return {"MonthlyLimit": params["MonthlyLimit"]}


@operation(SERVICE, "DeleteRcsMessageSpendLimitOverride")
def delete_rcs_message_spend_limit_override(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    found = ctx.table("account").get("rcs_spend_limit") or {}
    ctx.table("account").delete("rcs_spend_limit")
    return {"MonthlyLimit": found.get("MonthlyLimit")}


# -- protect configuration number overrides ------------------------------------------------------------
def _overrides(ctx: Context, protect: dict[str, Any]) -> Any:
    return ctx.table(f"number_overrides:{protect['ProtectConfigurationId']}")


@operation(SERVICE, "PutProtectConfigurationRuleSetNumberOverride")
def put_number_override(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    protect = protect_configuration(ctx, params["ProtectConfigurationId"])
    number = params["DestinationPhoneNumber"]
    try:
        country = phonenumbers.region_code_for_number(phonenumbers.parse(number)) or None
    except phonenumbers.NumberParseException:
        raise validation(f"{number} is not a phone number.", "INVALID_PARAMETER") from None
    entry = {
        "DestinationPhoneNumber": number,
        "CreatedTimestamp": ctx.now(),
        "Action": params["Action"],
        "IsoCountryCode": country,
        "ExpirationTimestamp": params.get("ExpirationTimestamp"),
    }
    _overrides(ctx, protect).put(number, entry)
    return _answer(protect, entry)


@operation(SERVICE, "DeleteProtectConfigurationRuleSetNumberOverride")
def delete_number_override(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    protect = protect_configuration(ctx, params["ProtectConfigurationId"])
    table = _overrides(ctx, protect)
    entry = table.get(params["DestinationPhoneNumber"])
    if entry is None:
        raise not_found("protect-configuration", params["DestinationPhoneNumber"])
    table.delete(params["DestinationPhoneNumber"])
    return _answer(protect, entry)


@operation(SERVICE, "ListProtectConfigurationRuleSetNumberOverrides")
def list_number_overrides(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    protect = protect_configuration(ctx, params["ProtectConfigurationId"])
    entries = sorted(_overrides(ctx, protect).values(), key=lambda e: e["DestinationPhoneNumber"])
    chunk, token = page(entries, params)
    return {
        "ProtectConfigurationArn": protect["ProtectConfigurationArn"],
        "ProtectConfigurationId": protect["ProtectConfigurationId"],
        "RuleSetNumberOverrides": [{k: v for k, v in e.items() if v is not None} for e in chunk] or None,
        "NextToken": token,
    }


def _answer(protect: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "ProtectConfigurationArn": protect["ProtectConfigurationArn"],
        "ProtectConfigurationId": protect["ProtectConfigurationId"],
        **{k: v for k, v in entry.items() if v is not None},
    }
