"""v2 keywords on phone numbers and pools: PutKeyword, DeleteKeyword, DescribeKeywords.

Keywords are case-insensitive and stored upper-case in `keywords`, keyed `"<identity arn>|<KEYWORD>"`.
HELP and STOP exist on every number and pool: they can be reworded but not deleted, and their actions are
fixed. US toll-free numbers take opt-outs at the carrier: STOP's reply cannot change there and no other
opt-out keyword can be added.
"""

from __future__ import annotations

from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, conflict, not_found
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2 import lifecycle
from migrate.emulator.services.v2.model import SERVICE, phone_number, pool
from migrate.emulator.services.v2.origination import (
    MANDATORY_KEYWORDS,
    invalid_parameter,
    keyword_key,
    keywords_of,
    put_keyword_record,
)


def _target(ctx: Context, value: str) -> tuple[dict[str, Any], str, str]:
    """The phone number or pool a keyword call names: (record, its ARN, its id)."""
    if value.startswith("pool-") or ":pool/" in value:
        record = pool(ctx, value)
        return record, record["PoolArn"], record["PoolId"]
    record = phone_number(ctx, value)
    return record, record["PhoneNumberArn"], record["PhoneNumberId"]


def _refuse_if_pooled(record: dict[str, Any]) -> None:
    # A pooled number answers with its pool's keywords; AWS has them changed on the pool.
    if record.get("PoolId") and "PhoneNumberId" in record:
        raise conflict(
            "PHONE_NUMBER_ASSOCIATED_TO_POOL",
            f"The phone number {record['PhoneNumberId']} is in pool {record['PoolId']}; change the pool's keywords.",
            "phone-number",
            record["PhoneNumberId"],
        )


def _answer(arn: str, identity_id: str, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "OriginationIdentityArn": arn,
        "OriginationIdentity": identity_id,
        "Keyword": record["Keyword"],
        "KeywordMessage": record["KeywordMessage"],
        "KeywordAction": record["KeywordAction"],
    }


def _not_modifiable(word: str, why: str) -> ApiError:
    return conflict("RESOURCE_MODIFICATION_NOT_ALLOWED", f"The keyword {word} {why}.", "keyword", word)


@operation(SERVICE, "PutKeyword")
def put_keyword(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    target, arn, identity_id = _target(ctx, params["OriginationIdentity"])
    _refuse_if_pooled(target)
    raw = params["Keyword"]
    if raw != raw.strip():
        raise invalid_parameter("A keyword cannot start or end with a space.", "Keyword")
    word = raw.upper()
    action = params.get("KeywordAction")
    if word in MANDATORY_KEYWORDS:
        if action is not None and action != MANDATORY_KEYWORDS[word]:
            raise _not_modifiable(word, f"always has the action {MANDATORY_KEYWORDS[word]}")
        action = MANDATORY_KEYWORDS[word]
    action = action or "AUTOMATIC_RESPONSE"
    if target.get("NumberType") == "TOLL_FREE" and target.get("IsoCountryCode") == "US":
        if word == "STOP":
            raise _not_modifiable(word, "of a US toll-free number is handled by the carrier")
        if action == "OPT_OUT":
            raise _not_modifiable(word, "cannot opt out on a US toll-free number: STOP is its only opt-out")
    table = ctx.table("keywords")
    if keyword_key(arn, word) not in table:
        quota = "KEYWORDS_PER_POOL" if "PoolArn" in target else "KEYWORDS_PER_PHONE_NUMBER"
        ctx.check_resource_quota(quota, len(keywords_of(ctx, arn)))
    record = put_keyword_record(ctx, arn, word, params["KeywordMessage"], action)
    return _answer(arn, identity_id, record)


@operation(SERVICE, "DeleteKeyword")
def delete_keyword(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    target, arn, identity_id = _target(ctx, params["OriginationIdentity"])
    _refuse_if_pooled(target)
    word = params["Keyword"].upper()
    if word in MANDATORY_KEYWORDS:
        raise conflict(
            "RESOURCE_DELETION_NOT_ALLOWED", f"The keyword {word} cannot be deleted.", "keyword", word
        )
    table = ctx.table("keywords")
    record = table.get(keyword_key(arn, word))
    if record is None:
        raise not_found("keyword", params["Keyword"])
    # Gone from DescribeKeywords only after a while (lifecycle.py): the delete is eventually consistent.
    key = keyword_key(arn, word)
    table.put(key, {**record, "_Deleted": True})
    lifecycle.schedule(ctx, "keyword_deleted", key)
    return _answer(arn, identity_id, record)


@operation(SERVICE, "DescribeKeywords")
def describe_keywords(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    _, arn, identity_id = _target(ctx, params["OriginationIdentity"])
    wanted = params.get("Keywords")
    if wanted:
        table = ctx.table("keywords")
        records = []
        for word in wanted:
            found = table.get(keyword_key(arn, word))
            if found is None:
                raise not_found("keyword", word)
            records.append(found)
    else:
        records = keywords_of(ctx, arn)
    records = apply_filters(records, params.get("Filters"), {"keyword-action": lambda r: r["KeywordAction"]})
    chunk, token = page(records, params)
    return {
        "OriginationIdentityArn": arn,
        "OriginationIdentity": identity_id,
        "Keywords": [
            {
                "Keyword": r["Keyword"],
                "KeywordMessage": r["KeywordMessage"],
                "KeywordAction": r["KeywordAction"],
            }
            for r in chunk
        ],
        "NextToken": token,
    }
