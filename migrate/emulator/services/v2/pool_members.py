"""Which origination identities are in which pool: AssociateOriginationIdentity,
DisassociateOriginationIdentity, ListPoolOriginationIdentities, and the rules AWS checks on the way in.

A phone number belongs to one pool at most (its `PoolId`); a sender ID may sit in several pools. Every
membership is a row of `pool_identities` keyed `"<PoolId>|<identity arn>"`.
"""

from __future__ import annotations

from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, conflict, validation
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2.model import (
    SERVICE,
    identity_arn,
    origination_identity,
    pool,
    remember,
    replay,
)
from migrate.emulator.services.v2.origination import (
    copy_keywords,
    fit,
    keyword_key,
    keyword_signature,
    keywords_of,
)


def member_key(pool_id: str, arn: str) -> str:
    return f"{pool_id}|{arn}"


def members(ctx: Context, pool_id: str) -> list[dict[str, Any]]:
    prefix = pool_id + "|"
    return [r for k, r in ctx.table("pool_identities").items() if k.startswith(prefix)]


def pools_holding(ctx: Context, arn: str) -> list[str]:
    return [r["PoolId"] for r in ctx.table("pool_identities").values() if r["OriginationIdentityArn"] == arn]


def _is_phone(identity: dict[str, Any]) -> bool:
    return "PhoneNumberArn" in identity


def metadata(identity: dict[str, Any]) -> dict[str, Any]:
    """The identity as ListPoolOriginationIdentities shows it (OriginationIdentityMetadata)."""
    if _is_phone(identity):
        return {
            "OriginationIdentityArn": identity["PhoneNumberArn"],
            "OriginationIdentity": identity["PhoneNumberId"],
            "IsoCountryCode": identity["IsoCountryCode"],
            "NumberCapabilities": list(identity["NumberCapabilities"]),
            "PhoneNumber": identity["PhoneNumber"],
        }
    return {
        "OriginationIdentityArn": identity["SenderIdArn"],
        "OriginationIdentity": identity["SenderId"],
        "IsoCountryCode": identity["IsoCountryCode"],
        "NumberCapabilities": ["SMS"],  # a sender ID is one-way text only
    }


def attach(ctx: Context, pool_record: dict[str, Any], identity: dict[str, Any]) -> dict[str, Any]:
    row = {**metadata(identity), "PoolId": pool_record["PoolId"]}
    ctx.table("pool_identities").put(member_key(pool_record["PoolId"], identity_arn(identity)), row)
    if _is_phone(identity):
        ctx.table("phone_numbers").put(
            identity["PhoneNumberId"], {**identity, "PoolId": pool_record["PoolId"]}
        )
        identity["PoolId"] = pool_record["PoolId"]  # the caller's copy too (after the put saved the old row)
    return row


def detach(ctx: Context, pool_id: str, arn: str) -> None:
    ctx.table("pool_identities").delete(member_key(pool_id, arn))
    number = next((r for r in ctx.table("phone_numbers").values() if r["PhoneNumberArn"] == arn), None)
    if number is not None and number.get("PoolId") == pool_id:
        ctx.table("phone_numbers").put(
            number["PhoneNumberId"], {k: v for k, v in number.items() if k != "PoolId"}
        )


def _mismatch(reason: str, what: str, pool_record: dict[str, Any], identity: dict[str, Any]) -> ApiError:
    return conflict(
        reason,
        f"The {what} of origination identity {identity_arn(identity)} does not match pool "
        f"{pool_record['PoolId']}.",
        "pool",
        pool_record["PoolId"],
    )


def check_can_join(ctx: Context, pool_record: dict[str, Any], identity: dict[str, Any]) -> None:
    """AWS's checks before an identity joins a pool: free, active, and configured as the pool is."""
    arn = identity_arn(identity)
    if member_key(pool_record["PoolId"], arn) in ctx.table("pool_identities"):
        raise conflict(
            "RESOURCE_ALREADY_ASSOCIATED",
            f"{arn} is already associated with pool {pool_record['PoolId']}.",
            "pool",
            pool_record["PoolId"],
        )
    if not _is_phone(identity):
        if pool_record["MessageType"] not in identity.get("MessageTypes", []):
            raise _mismatch("MESSAGE_TYPE_MISMATCH", "message types", pool_record, identity)
        return
    if identity.get("PoolId"):
        raise conflict(
            "PHONE_NUMBER_ASSOCIATED_TO_POOL",
            f"The phone number {identity['PhoneNumberId']} is already associated with pool "
            f"{identity['PoolId']}; a phone number can be in one pool only.",
            "phone-number",
            identity["PhoneNumberId"],
        )
    if identity["Status"] != "ACTIVE":
        raise conflict(
            "RESOURCE_NOT_ACTIVE",
            f"The phone number {identity['PhoneNumberId']} is {identity['Status']}, not ACTIVE.",
            "phone-number",
            identity["PhoneNumberId"],
        )
    if identity["MessageType"] != pool_record["MessageType"]:
        raise _mismatch("MESSAGE_TYPE_MISMATCH", "message type", pool_record, identity)
    two_way = bool(identity.get("TwoWayEnabled"))
    if two_way != bool(pool_record.get("TwoWayEnabled")) or (
        two_way and identity.get("TwoWayChannelArn") != pool_record.get("TwoWayChannelArn")
    ):
        raise _mismatch("TWO_WAY_CONFIG_MISMATCH", "two-way configuration", pool_record, identity)
    if bool(identity.get("SelfManagedOptOutsEnabled")) != bool(pool_record.get("SelfManagedOptOutsEnabled")):
        raise _mismatch(
            "SELF_MANAGED_OPT_OUTS_MISMATCH", "self-managed opt-out setting", pool_record, identity
        )
    if identity.get("OptOutListName") != pool_record.get("OptOutListName"):
        raise _mismatch("OPT_OUT_LIST_MISMATCH", "opt-out list", pool_record, identity)
    if keyword_signature(ctx, identity["PhoneNumberArn"]) != keyword_signature(ctx, pool_record["PoolArn"]):
        raise _mismatch("KEYWORD_MISMATCH", "keywords", pool_record, identity)


def join_pool_as_new_number(
    ctx: Context, pool_record: dict[str, Any], number: dict[str, Any], *, list_named: bool
) -> None:
    """RequestPhoneNumber with a PoolId: the new number takes the pool's settings and keywords."""
    if number["MessageType"] != pool_record["MessageType"]:
        raise _mismatch("MESSAGE_TYPE_MISMATCH", "message type", pool_record, number)
    if list_named and number["OptOutListName"] != pool_record["OptOutListName"]:
        raise _mismatch("OPT_OUT_LIST_MISMATCH", "opt-out list", pool_record, number)
    for name in ("OptOutListName", "TwoWayEnabled", "TwoWayChannelArn", "TwoWayChannelRole"):
        if pool_record.get(name) is not None:
            number[name] = pool_record[name]
    number["SelfManagedOptOutsEnabled"] = pool_record.get("SelfManagedOptOutsEnabled", False)
    table = ctx.table("keywords")
    for record in keywords_of(ctx, number["PhoneNumberArn"]):
        table.delete(keyword_key(number["PhoneNumberArn"], record["Keyword"]))
    copy_keywords(ctx, pool_record["PoolArn"], number["PhoneNumberArn"])
    attach(ctx, pool_record, number)


def resolve_identity(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The identity an OriginationIdentity (+ IsoCountryCode) request names."""
    identity = origination_identity(ctx, params["OriginationIdentity"], params.get("IsoCountryCode"))
    country = params.get("IsoCountryCode")
    if country and country != identity["IsoCountryCode"]:
        raise validation(
            f"{params['OriginationIdentity']} is in {identity['IsoCountryCode']}, not {country}.",
            "COUNTRY_CODE_MISMATCH",
        )
    return identity


def _answer(pool_record: dict[str, Any], identity: dict[str, Any]) -> dict[str, Any]:
    row = metadata(identity)
    return {
        "PoolArn": pool_record["PoolArn"],
        "PoolId": pool_record["PoolId"],
        "OriginationIdentityArn": row["OriginationIdentityArn"],
        "OriginationIdentity": row["OriginationIdentity"],
        "IsoCountryCode": row["IsoCountryCode"],
    }


@operation(SERVICE, "AssociateOriginationIdentity")
def associate_origination_identity(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    if ":sender-id/" in params["OriginationIdentity"] and not params.get("IsoCountryCode"):
        # A sender ID exists per country: AWS refuses its ARN without IsoCountryCode as ValidationException
        # INVALID_ARN (AssociateOriginationIdentity API reference: IsoCountryCode is required for sender
        # IDs; terraform's pool.go always passes iso_country_code when it associates).
        raise validation(
            f"{params['OriginationIdentity']} names a sender ID: IsoCountryCode is required with it.",
            "INVALID_ARN",
        )
    pool_record = pool(ctx, params["PoolId"])
    if pool_record["Status"] != "ACTIVE":
        raise conflict(
            "RESOURCE_NOT_ACTIVE",
            f"Pool {pool_record['PoolId']} is not ACTIVE.",
            "pool",
            pool_record["PoolId"],
        )
    identity = resolve_identity(ctx, params)
    check_can_join(ctx, pool_record, identity)
    ctx.check_resource_quota("ORIGINATION_IDENTITIES_PER_POOL", len(members(ctx, pool_record["PoolId"])))
    attach(ctx, pool_record, identity)
    return remember(ctx, params, _answer(pool_record, identity))


@operation(SERVICE, "DisassociateOriginationIdentity")
def disassociate_origination_identity(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    pool_record = pool(ctx, params["PoolId"])
    identity = resolve_identity(ctx, params)
    arn = identity_arn(identity)
    if member_key(pool_record["PoolId"], arn) not in ctx.table("pool_identities"):
        raise conflict(
            "PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL",
            f"{arn} is not associated with pool {pool_record['PoolId']}.",
            "pool",
            pool_record["PoolId"],
        )
    if len(members(ctx, pool_record["PoolId"])) == 1:
        raise conflict(
            "LAST_PHONE_NUMBER",
            f"{arn} is the last origination identity of pool {pool_record['PoolId']}; delete the pool instead.",
            "pool",
            pool_record["PoolId"],
        )
    detach(ctx, pool_record["PoolId"], arn)
    return remember(ctx, params, _answer(pool_record, identity))


@operation(SERVICE, "ListPoolOriginationIdentities")
def list_pool_origination_identities(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    pool_record = pool(ctx, params["PoolId"])
    rows = apply_filters(
        members(ctx, pool_record["PoolId"]),
        params.get("Filters"),
        {
            "iso-country-code": lambda r: r["IsoCountryCode"],
            "number-capability": lambda r: r["NumberCapabilities"],
        },
    )
    chunk, token = page(rows, params)
    return {
        "PoolArn": pool_record["PoolArn"],
        "PoolId": pool_record["PoolId"],
        "OriginationIdentities": [fit(r, "OriginationIdentityMetadata") for r in chunk],
        "NextToken": token,
    }
