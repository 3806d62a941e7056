"""What the registration handlers share: versions, the status they give their registration, associations.

Lifecycle, as AWS runs it (a registration shows its current version's state):

    CreateRegistration            -> CREATED           version 1 DRAFT
    SubmitRegistrationVersion     -> SUBMITTED         SUBMITTED   (AwsReview=True: AWS_REVIEWING)
    (reviewer)                    -> REVIEWING         REVIEWING
    (reviewer approves)           -> COMPLETE          APPROVED    (an earlier approved version: ARCHIVED)
    (reviewer denies)             -> REQUIRES_UPDATES  DENIED
    CreateRegistrationVersion     -> status kept       next version DRAFT, a copy of the current values
    DiscardRegistrationVersion    -> status of the last approved/denied version, else CREATED
    every origination identity of a COMPLETE registration released -> CLOSED

Field values can change only while the current version is a DRAFT. The reviewer is played by
`registrations.review_registration`.
"""

from __future__ import annotations

import copy
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import conflict, validation
from migrate.emulator.services.v2.model import registration
from migrate.emulator.services.v2.registration_defs import TYPES, TypeDef, type_def

VERSIONS = "registration_versions"
ASSOCIATIONS = "registration_associations"
IN_REVIEW = frozenset({"SUBMITTED", "AWS_REVIEWING", "REVIEWING", "REQUIRES_AUTHENTICATION"})
HISTORY_KEY = {
    "DRAFT": "DraftTimestamp",
    "SUBMITTED": "SubmittedTimestamp",
    "AWS_REVIEWING": "AwsReviewingTimestamp",
    "REVIEWING": "ReviewingTimestamp",
    "REQUIRES_AUTHENTICATION": "RequiresAuthenticationTimestamp",
    "APPROVED": "ApprovedTimestamp",
    "DISCARDED": "DiscardedTimestamp",
    "DENIED": "DeniedTimestamp",
    "REVOKED": "RevokedTimestamp",
    "ARCHIVED": "ArchivedTimestamp",
}
# The registration status a version status puts its registration in.
REGISTRATION_STATUS = {
    "SUBMITTED": "SUBMITTED",
    "AWS_REVIEWING": "AWS_REVIEWING",
    "REVIEWING": "REVIEWING",
    "REQUIRES_AUTHENTICATION": "REQUIRES_AUTHENTICATION",
    "APPROVED": "COMPLETE",
    "DENIED": "REQUIRES_UPDATES",
}
IDENTITY_TYPES = ("phone-number", "sender-id")
VALUE_KEYS = ("SelectChoices", "TextValue", "RegistrationAttachmentId")


def definition_of(reg: dict[str, Any]) -> TypeDef:
    return type_def(reg["RegistrationType"])


def save(ctx: Context, reg: dict[str, Any]) -> None:
    ctx.table("registrations").put(reg["RegistrationId"], reg)


# -- versions -------------------------------------------------------------------------------------------
def _key(registration_id: str, number: int) -> str:
    return f"{registration_id}|{number}"


def new_version(ctx: Context, reg: dict[str, Any], number: int, fields: dict[str, Any]) -> dict[str, Any]:
    ver = {
        "VersionNumber": number,
        "RegistrationVersionStatus": "DRAFT",
        "RegistrationVersionStatusHistory": {"DraftTimestamp": ctx.now()},
        "_Fields": fields,
    }
    save_version(ctx, reg, ver)
    return ver


def save_version(ctx: Context, reg: dict[str, Any], ver: dict[str, Any]) -> None:
    ctx.table(VERSIONS).put(_key(reg["RegistrationId"], ver["VersionNumber"]), ver)


def version(ctx: Context, reg: dict[str, Any], number: int | None = None) -> dict[str, Any]:
    """A version of the registration (default: its current one)."""
    wanted = reg["CurrentVersionNumber"] if number is None else number
    found = ctx.table(VERSIONS).get(_key(reg["RegistrationId"], wanted))
    if found is None:
        raise validation(
            f"Registration {reg['RegistrationId']} has no version {wanted}.",
            "UNKNOWN_REGISTRATION_VERSION",
            [{"Name": "VersionNumber", "Message": f"unknown version {wanted}"}],
        )
    return copy.deepcopy(found)


def versions(ctx: Context, reg: dict[str, Any]) -> list[dict[str, Any]]:
    """Every version of the registration, newest first."""
    prefix = reg["RegistrationId"] + "|"
    found = [copy.deepcopy(v) for k, v in ctx.table(VERSIONS).items() if k.startswith(prefix)]
    return sorted(found, key=lambda v: -int(v["VersionNumber"]))


def drop_versions(ctx: Context, registration_id: str) -> None:
    table = ctx.table(VERSIONS)
    for key in [k for k, _ in table.items() if k.startswith(registration_id + "|")]:
        table.delete(key)


def move_version(ctx: Context, reg: dict[str, Any], ver: dict[str, Any], status: str) -> None:
    """Put a version in `status`, stamp its history, and give the registration the matching status."""
    ver["RegistrationVersionStatus"] = status
    ver["RegistrationVersionStatusHistory"][HISTORY_KEY[status]] = ctx.now()
    save_version(ctx, reg, ver)
    if ver["VersionNumber"] == reg["CurrentVersionNumber"]:
        reg["RegistrationStatus"] = REGISTRATION_STATUS.get(status) or _settled_status(reg)
        save(ctx, reg)


def _settled_status(reg: dict[str, Any]) -> str:
    """What a registration shows when its current version is a draft or was discarded."""
    if reg.get("ApprovedVersionNumber"):
        return "COMPLETE"
    if reg.get("LatestDeniedVersionNumber"):
        return "REQUIRES_UPDATES"
    return "CREATED"


def has_value(field_value: dict[str, Any] | None) -> bool:
    """Whether a stored field value holds a value (and not only a reviewer's note)."""
    return field_value is not None and any(k in field_value for k in VALUE_KEYS)


def version_answer(reg: dict[str, Any], ver: dict[str, Any]) -> dict[str, Any]:
    """The output of Create/Submit/DiscardRegistrationVersion."""
    return {
        "RegistrationArn": reg["RegistrationArn"],
        "RegistrationId": reg["RegistrationId"],
        "VersionNumber": ver["VersionNumber"],
        "RegistrationVersionStatus": ver["RegistrationVersionStatus"],
        "RegistrationVersionStatusHistory": dict(ver["RegistrationVersionStatusHistory"]),
    }


def version_info(ver: dict[str, Any]) -> dict[str, Any]:
    """RegistrationVersionInformation."""
    out = {k: copy.deepcopy(v) for k, v in ver.items() if not k.startswith("_")}
    return out


def editable_version(ctx: Context, reg: dict[str, Any]) -> dict[str, Any]:
    """The current version, which must be a DRAFT for its field values to change."""
    ver = version(ctx, reg)
    if ver["RegistrationVersionStatus"] != "DRAFT":
        raise conflict(
            "EDIT_REGISTRATION_FIELD_VALUES_NOT_ALLOWED",
            f"Version {ver['VersionNumber']} of registration {reg['RegistrationId']} is "
            f"{ver['RegistrationVersionStatus']}; create a new version to change its values.",
            "registration",
            reg["RegistrationId"],
        )
    return ver


# -- associations ---------------------------------------------------------------------------------------
def association_key(registration_id: str, resource_arn: str) -> str:
    return f"{registration_id}|{resource_arn}"


def phone_association(number: dict[str, Any]) -> dict[str, Any]:
    return {
        "ResourceArn": number["PhoneNumberArn"],
        "ResourceId": number["PhoneNumberId"],
        "ResourceType": "phone-number",
        "IsoCountryCode": number["IsoCountryCode"],
        "PhoneNumber": number["PhoneNumber"],
        "_Kind": number["NumberType"],
    }


def sender_association(sender: dict[str, Any]) -> dict[str, Any]:
    return {
        "ResourceArn": sender["SenderIdArn"],
        "ResourceId": sender["SenderId"],
        "ResourceType": "sender-id",
        "IsoCountryCode": sender["IsoCountryCode"],
        "_Kind": "SENDER_ID",
    }


def registration_association(other: dict[str, Any]) -> dict[str, Any]:
    return {
        "ResourceArn": other["RegistrationArn"],
        "ResourceId": other["RegistrationId"],
        "ResourceType": "registration",
        "_Kind": other["RegistrationType"],
    }


def store_association(ctx: Context, reg: dict[str, Any], row: dict[str, Any]) -> None:
    record = {**row, "RegistrationId": reg["RegistrationId"]}
    ctx.table(ASSOCIATIONS).put(association_key(reg["RegistrationId"], row["ResourceArn"]), record)


def _stored(ctx: Context, registration_id: str) -> list[dict[str, Any]]:
    prefix = registration_id + "|"
    return [r for k, r in ctx.table(ASSOCIATIONS).items() if k.startswith(prefix)]


def _adopt_linked_identities(ctx: Context, reg: dict[str, Any]) -> None:
    """Numbers and sender IDs that name this registration (RequestPhoneNumber's RegistrationId) are its
    associations too; they are recorded so the registration still knows them once they are released."""
    known = {r["ResourceArn"] for r in _stored(ctx, reg["RegistrationId"])}
    for number in ctx.table("phone_numbers").values():
        if number.get("RegistrationId") == reg["RegistrationId"] and number["PhoneNumberArn"] not in known:
            store_association(ctx, reg, phone_association(number))
    for sender in ctx.table("sender_ids").values():
        if sender.get("RegistrationId") == reg["RegistrationId"] and sender["SenderIdArn"] not in known:
            store_association(ctx, reg, sender_association(sender))


def resource_exists(ctx: Context, row: dict[str, Any]) -> bool:
    kind = row["ResourceType"]
    if kind == "phone-number":
        number = ctx.table("phone_numbers").get(row["ResourceId"])
        return number is not None and number.get("Status") != "DELETED"
    if kind == "sender-id":
        return f"{row['ResourceId']}/{row.get('IsoCountryCode')}" in ctx.table("sender_ids")
    return row["ResourceId"] in ctx.table("registrations")


def associations(ctx: Context, reg: dict[str, Any]) -> list[dict[str, Any]]:
    """The registration's associations whose resource still exists (with the internal `_Kind`)."""
    _adopt_linked_identities(ctx, reg)
    return [copy.deepcopy(r) for r in _stored(ctx, reg["RegistrationId"]) if resource_exists(ctx, r)]


def drop_associations(ctx: Context, registration_id: str) -> None:
    table = ctx.table(ASSOCIATIONS)
    for key in [k for k, _ in table.items() if k.startswith(registration_id + "|")]:
        table.delete(key)


def refreshed(ctx: Context, reg: dict[str, Any]) -> dict[str, Any]:
    """The registration as AWS would show it now: CLOSED once every identity it registered is released."""
    reg = copy.deepcopy(reg)
    if reg["RegistrationStatus"] != "COMPLETE":
        return reg
    closes = any(
        a["DisassociationBehavior"] == "DISASSOCIATE_ALL_CLOSES_REGISTRATION"
        for a in definition_of(reg).associations
    )
    if not closes:
        return reg
    _adopt_linked_identities(ctx, reg)
    identities = [r for r in _stored(ctx, reg["RegistrationId"]) if r["ResourceType"] in IDENTITY_TYPES]
    if identities and not any(resource_exists(ctx, r) for r in identities):
        reg["RegistrationStatus"] = "CLOSED"
        save(ctx, reg)
    return reg


def live_registration(ctx: Context, id_or_arn: str) -> dict[str, Any]:
    """A registration by id or ARN, refreshed, as a copy safe to change and `save()`."""
    return refreshed(ctx, registration(ctx, id_or_arn))


def all_registrations(ctx: Context) -> list[dict[str, Any]]:
    return [refreshed(ctx, r) for r in ctx.table("registrations").values() if r["RegistrationType"] in TYPES]
