"""Shared state and look-ups of the emulated SMS/Voice v2 service.

Records are stored in the shape DescribeX returns them (boto3 member names); keys starting with `_` are
internal and stripped by `public()`. Tables, per account and region:

| table                    | key                          | record                                       |
|--------------------------|------------------------------|----------------------------------------------|
| phone_numbers            | PhoneNumberId                | PhoneNumberInformation                       |
| sender_ids               | "<SenderId>/<IsoCountryCode>"| SenderIdInformation                          |
| pools                    | PoolId                       | PoolInformation                              |
| pool_identities          | "<PoolId>|<identity arn>"    | OriginationIdentityMetadata + PoolId         |
| opt_out_lists            | OptOutListName               | OptOutListInformation                        |
| opted_out:<list name>    | phone number                 | OptedOutNumberInformation                    |
| configuration_sets       | ConfigurationSetName         | ConfigurationSetInformation                  |
| keywords                 | "<identity arn>|<KEYWORD>"   | KeywordInformation + _Arn                    |
| tags                     | resource ARN                 | {"Tags": {key: value}}                       |
| client_tokens            | "<Operation>|<token>"        | {"result": output}                           |
| account                  | "attributes"                 | {"ACCOUNT_TIER": ..., ...}                   |
| account                  | "spend_limits"               | {SpendLimitName: {"MaxLimit", "Override"}}   |
| protect_configurations   | ProtectConfigurationId       | ProtectConfigurationInformation + _RuleSets  |
| verified_numbers         | VerifiedDestinationNumberId  | VerifiedDestinationNumberInformation + _...  |
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, not_found, validation
from migrate.emulator.services.common import tags_from_list

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator

SERVICE = "pinpoint-sms-voice-v2"


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record without its internal (`_`-prefixed) keys, safe to return."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


def arn_tail(value: str) -> str:
    """The resource part of an ARN (`pool/pool-123` -> `pool-123`), or the value itself."""
    if value.startswith("arn:"):
        return value.split(":", 5)[-1].split("/", 1)[-1]
    return value


def check_arn(ctx: Context, value: str, resource: str) -> None:
    """An ARN given for an id must be of this service, account, region and resource type."""
    if not value.startswith("arn:"):
        return
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[2] != "sms-voice" or not parts[5].startswith(resource + "/"):
        raise validation(f"{value} is not a valid {resource} ARN", "INVALID_ARN")
    if parts[3] != ctx.region or parts[4] != ctx.account:
        raise not_found(resource, value)


# -- tags ---------------------------------------------------------------------------------------------
def set_tags(ctx: Context, arn: str, tags: list[dict[str, str]] | None) -> None:
    if tags:
        table = ctx.table("tags")
        current = dict((table.get(arn) or {}).get("Tags", {}))
        current.update(tags_from_list(tags))
        table.put(arn, {"Tags": current})


def drop_tags(ctx: Context, arn: str) -> None:
    ctx.table("tags").delete(arn)


# -- idempotency ----------------------------------------------------------------------------------------
def replay(ctx: Context, params: dict[str, Any]) -> dict[str, Any] | None:
    """The earlier result of a create that carried the same `ClientToken`, if any."""
    token = params.get("ClientToken")
    if not token:
        return None
    found = ctx.table("client_tokens").get(f"{ctx.operation}|{token}")
    return copy.deepcopy(found["result"]) if found else None


def remember(ctx: Context, params: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    token = params.get("ClientToken")
    if token:
        ctx.table("client_tokens").put(f"{ctx.operation}|{token}", {"result": copy.deepcopy(result)})
    return result


# -- look-ups -------------------------------------------------------------------------------------------
DEFAULT_LIST = "Default"
# Every account has a `Default` opt-out list in every region; it exists before anyone creates it.
_DEFAULT_LIST_CREATED = 1577836800.0


def default_opt_out_list(ctx: Context) -> dict[str, Any]:
    return {
        "OptOutListArn": ctx.arn(f"opt-out-list/{DEFAULT_LIST}"),
        "OptOutListName": DEFAULT_LIST,
        "CreatedTimestamp": _DEFAULT_LIST_CREATED,
    }


def all_opt_out_lists(ctx: Context) -> list[dict[str, Any]]:
    stored = ctx.table("opt_out_lists")
    lists = [] if DEFAULT_LIST in stored else [default_opt_out_list(ctx)]
    return lists + stored.values()


def opt_out_list(ctx: Context, name_or_arn: str) -> dict[str, Any]:
    check_arn(ctx, name_or_arn, "opt-out-list")
    name = arn_tail(name_or_arn)
    found = ctx.table("opt_out_lists").get(name)
    if found is None and name == DEFAULT_LIST:
        return default_opt_out_list(ctx)
    if found is None:
        raise not_found("opt-out-list", name_or_arn)
    return found


def pool(ctx: Context, id_or_arn: str) -> dict[str, Any]:
    check_arn(ctx, id_or_arn, "pool")
    found = ctx.table("pools").get(arn_tail(id_or_arn))
    if found is None:
        raise not_found("pool", id_or_arn)
    return found


def phone_number(ctx: Context, id_or_arn: str) -> dict[str, Any]:
    """A phone number by id, ARN, or (as AWS accepts for sending) the E.164 number itself."""
    check_arn(ctx, id_or_arn, "phone-number")
    table = ctx.table("phone_numbers")
    found = table.get(arn_tail(id_or_arn))
    if found is None and id_or_arn.startswith("+"):
        found = next((r for r in table.values() if r["PhoneNumber"] == id_or_arn), None)
    if found is None:
        raise not_found("phone-number", id_or_arn)
    return found


def sender_id(ctx: Context, sender: str, iso_country_code: str | None = None) -> dict[str, Any]:
    """A sender ID by ARN (`sender-id/NAME/US`) or by name and country."""
    if sender.startswith("arn:"):
        check_arn(ctx, sender, "sender-id")
        tail = sender.split(":", 5)[-1].split("/", 1)[-1]
        found = ctx.table("sender_ids").get(tail)
    else:
        if iso_country_code:
            found = ctx.table("sender_ids").get(f"{sender}/{iso_country_code}")
        else:
            found = next((r for r in ctx.table("sender_ids").values() if r["SenderId"] == sender), None)
    if found is None:
        raise not_found("sender-id", sender)
    return found


def configuration_set(ctx: Context, name_or_arn: str) -> dict[str, Any]:
    check_arn(ctx, name_or_arn, "configuration-set")
    found = ctx.table("configuration_sets").get(arn_tail(name_or_arn))
    if found is None:
        raise not_found("configuration-set", name_or_arn)
    return found


def origination_identity(ctx: Context, value: str, iso_country_code: str | None = None) -> dict[str, Any]:
    """Resolve a phone number or sender ID given by id, name or ARN (what `OriginationIdentity` accepts)."""
    if (value.startswith("arn:") and ":sender-id/" in value) or (
        not value.startswith("arn:") and not value.startswith("phone-") and not value.startswith("+")
    ):
        return sender_id(ctx, value, iso_country_code)
    return phone_number(ctx, value)


def identity_arn(record: dict[str, Any]) -> str:
    return str(record.get("PhoneNumberArn") or record.get("SenderIdArn"))


def deletion_protected(record: dict[str, Any], resource_type: str, resource_id: str) -> None:
    if record.get("DeletionProtectionEnabled"):
        raise ApiError(
            "ConflictException",
            f"The {resource_type} {resource_id} has deletion protection enabled.",
            Reason="DELETION_PROTECTION_ENABLED",
            ResourceType=resource_type,
            ResourceId=resource_id,
        )


def account_attributes(ctx: Context) -> dict[str, Any]:
    table = ctx.table("account")
    found = table.get("attributes")
    if found is None:
        found = {"ACCOUNT_TIER": "PRODUCTION", "DEFAULT_PROTECT_CONFIGURATION_ID": ""}
    return found


# -- protect configurations, verified destination numbers, sandbox ------------------------------------
def protect_configuration(ctx: Context, id_or_arn: str) -> dict[str, Any]:
    check_arn(ctx, id_or_arn, "protect-configuration")
    found = ctx.table("protect_configurations").get(arn_tail(id_or_arn))
    if found is None:
        raise not_found("protect-configuration", id_or_arn)
    return found


def verified_destination_number(ctx: Context, id_or_arn: str) -> dict[str, Any]:
    check_arn(ctx, id_or_arn, "verified-destination-number")
    found = ctx.table("verified_numbers").get(arn_tail(id_or_arn))
    if found is None:
        raise not_found("verified-destination-number", id_or_arn)
    return found


def in_sandbox(ctx: Context) -> bool:
    """True while this account is in the SMS sandbox in this region (it may then text verified numbers only)."""
    return account_attributes(ctx).get("ACCOUNT_TIER") == "SANDBOX"


def is_verified_destination(ctx: Context, phone_number: str) -> bool:
    """Whether `phone_number` (E.164) is a VERIFIED destination number of this account and region."""
    number = phone_number if phone_number.startswith("+") else "+" + phone_number
    return any(
        r["DestinationPhoneNumber"] == number and r["Status"] == "VERIFIED"
        for r in ctx.table("verified_numbers").values()
    )


@contextlib.contextmanager
def offline(emu: Emulator, region: str, account: str | None = None) -> Iterator[Context]:
    """A Context to change the world outside any API call (demo builders, test set-up), committed as one call.

    For state that AWS changes only by hand (the sandbox tier, a spend limit a support case raised).
    """
    ctx = Context(
        emu.world, SERVICE, "", account or emu.account_id, region, emu.quotas, emu.clock,
        emu.in_end_of_support(), retired_answer=emu.retired_answer,
    )  # fmt: skip
    with emu.world.lock:
        try:
            yield ctx
        except BaseException:
            emu.world.rollback()
            raise
        emu.world.commit()


# -- registrations ---------------------------------------------------------------------------------------
# Tables of `registrations.py` and its siblings, per account and region:
#   registrations              RegistrationId                 -> RegistrationInformation
#   registration_versions      "<RegistrationId>|<version>"   -> RegistrationVersionInformation + _Fields
#   registration_attachments   RegistrationAttachmentId       -> RegistrationAttachmentsInformation
#   registration_associations  "<RegistrationId>|<resource arn>" -> RegistrationAssociationMetadata + RegistrationId
#   messages                   MessageId                      -> what a Send* call sent (see send.py)
def registration(ctx: Context, id_or_arn: str) -> dict[str, Any]:
    """A registration by id or ARN (what `RegistrationId` accepts everywhere)."""
    check_arn(ctx, id_or_arn, "registration")
    found = ctx.table("registrations").get(arn_tail(id_or_arn))
    if found is None:
        raise not_found("registration", id_or_arn)
    return found
