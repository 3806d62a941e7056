"""What phone numbers, sender IDs and pools share: output shapes, default keywords, two-way rules, clean-up.

Used by `numbers.py`, `sender_ids.py`, `pools.py`, `pool_members.py`, `keywords.py` and `provision.py`.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

import botocore.session

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, validation
from migrate.emulator.services.v2.model import SERVICE, drop_tags, registration

# AWS gives every new dedicated number (and so every pool built from one) these two keywords; they can be
# re-worded but never deleted, and their actions never change (API reference, DeleteKeyword).
MANDATORY_KEYWORDS = {"HELP": "AUTOMATIC_RESPONSE", "STOP": "OPT_OUT"}
# The texts AWS puts on a new long code until the owner rewords them (what a reply to such a number gets).
DEFAULT_KEYWORD_MESSAGES = {"HELP": "Default Help Message", "STOP": "Default Stop Message"}

# Countries whose alphanumeric sender IDs must be registered before they deliver (the registration forms
# of the End User Messaging SMS user guide); a sender ID requested there stays `Registered: false` until a
# registration completes.
SENDER_ID_REGISTRATION_COUNTRIES = frozenset(
    {
        "AE",
        "AU",
        "BY",
        "EG",
        "ID",
        "IN",
        "JO",
        "KE",
        "KW",
        "KZ",
        "LK",
        "PH",
        "QA",
        "RU",
        "SA",
        "SG",
        "TH",
        "TR",
        "VN",
        "ZM",
    }
)
# Countries where carriers do not deliver alphanumeric sender IDs at all.
SENDER_ID_UNSUPPORTED_COUNTRIES = frozenset({"US", "CA", "PR", "BR", "CN"})


@lru_cache(maxsize=256)
def _members(shape_name: str) -> frozenset[str]:
    model = botocore.session.get_session().get_service_model(SERVICE)
    return frozenset(model.shape_for(shape_name).members)


def fit(record: dict[str, Any], shape_name: str, **extra: Any) -> dict[str, Any]:
    """The record's members that the output shape has (internal `_` keys and `None`s dropped), plus `extra`."""
    members = _members(shape_name)
    out = {k: copy.deepcopy(v) for k, v in record.items() if k in members and v is not None}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


# -- keywords -----------------------------------------------------------------------------------------
def keyword_key(identity_arn: str, keyword: str) -> str:
    return f"{identity_arn}|{keyword.upper()}"


def keywords_of(ctx: Context, identity_arn: str) -> list[dict[str, Any]]:
    prefix = identity_arn + "|"
    return [r for k, r in ctx.table("keywords").items() if k.startswith(prefix)]


def put_keyword_record(
    ctx: Context, identity_arn: str, keyword: str, message: str, action: str
) -> dict[str, Any]:
    record = {
        "Keyword": keyword.upper(),
        "KeywordMessage": message,
        "KeywordAction": action,
        "_Arn": identity_arn,
    }
    ctx.table("keywords").put(keyword_key(identity_arn, keyword), record)
    return record


def give_default_keywords(ctx: Context, identity_arn: str) -> None:
    for word, action in MANDATORY_KEYWORDS.items():
        put_keyword_record(ctx, identity_arn, word, DEFAULT_KEYWORD_MESSAGES[word], action)


def copy_keywords(ctx: Context, source_arn: str, target_arn: str) -> None:
    for record in keywords_of(ctx, source_arn):
        put_keyword_record(
            ctx, target_arn, record["Keyword"], record["KeywordMessage"], record["KeywordAction"]
        )


def keyword_signature(ctx: Context, identity_arn: str) -> dict[str, tuple[str, str]]:
    return {r["Keyword"]: (r["KeywordMessage"], r["KeywordAction"]) for r in keywords_of(ctx, identity_arn)}


def forget_resource(ctx: Context, arn: str) -> None:
    """Drop what hangs off a deleted resource: its keywords, tags and resource policy."""
    table = ctx.table("keywords")
    for key in [k for k, _ in table.items() if k.startswith(arn + "|")]:
        table.delete(key)
    drop_tags(ctx, arn)
    ctx.table("resource_policies").delete(arn)


# -- settings shared by numbers and pools -------------------------------------------------------------
def apply_two_way_settings(record: dict[str, Any], params: dict[str, Any]) -> None:
    """Merge the two-way and self-managed opt-out members of an Update* request, checking AWS's rules."""
    for name in ("TwoWayEnabled", "TwoWayChannelArn", "TwoWayChannelRole", "SelfManagedOptOutsEnabled"):
        if params.get(name) is not None:
            record[name] = params[name]
    if record.get("TwoWayEnabled") and not record.get("TwoWayChannelArn"):
        raise validation(
            "Two-way messaging needs a TwoWayChannelArn (an SNS topic or connect.<region>.amazonaws.com).",
            "TWO_WAY_CHANNEL_NOT_PRESENT",
            [{"Name": "TwoWayChannelArn", "Message": "is required when TwoWayEnabled is true"}],
        )
    if record.get("SelfManagedOptOutsEnabled") and not record.get("TwoWayEnabled"):
        # The user guide: "To enable self-managed opt-outs ... you must first enable two-way SMS messaging."
        raise validation(
            "Self-managed opt-outs need two-way messaging to be enabled first.", "TWO_WAY_NOT_ENABLED"
        )


def registration_complete(ctx: Context, id_or_arn: str | None) -> bool:
    if not id_or_arn:
        return False
    return registration(ctx, id_or_arn).get("RegistrationStatus") == "COMPLETE"


def invalid_parameter(message: str, field: str | None = None) -> ApiError:
    fields = [{"Name": field, "Message": message}] if field else None
    return validation(message, "INVALID_PARAMETER", fields)
