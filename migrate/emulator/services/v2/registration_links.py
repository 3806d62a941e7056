"""v2 registration attachments (the documents a form points to) and associations (what a registration
registers: a phone number, a sender ID, or the brand a 10DLC campaign belongs to).

CreateRegistrationAttachment, DescribeRegistrationAttachments, DeleteRegistrationAttachment,
CreateRegistrationAssociation, ListRegistrationAssociations. When an association may be made is the
registration type's `AssociationBehavior`: before submitting (toll-free number, 10DLC brand), after the
registration is complete (10DLC numbers), or by AWS on approval (sender IDs).
"""

from __future__ import annotations

import hashlib
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import conflict, validation
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2.model import (
    SERVICE,
    drop_tags,
    phone_number,
    public,
    registration,
    remember,
    replay,
    sender_id,
    set_tags,
)
from migrate.emulator.services.v2.registration_forms import attachment
from migrate.emulator.services.v2.registration_store import (
    ASSOCIATIONS,
    IN_REVIEW,
    associations,
    definition_of,
    live_registration,
    phone_association,
    registration_association,
    sender_association,
    store_association,
    version,
)

MAX_ATTACHMENT_BYTES = 500 * 1024
# What AWS accepts: PDF, JPEG and PNG, recognised by their first bytes (or, for S3 objects, their names).
_MAGIC = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg"}
_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg")


# -- attachments ----------------------------------------------------------------------------------------
def _check_body(body: bytes) -> None:
    if len(body) > MAX_ATTACHMENT_BYTES:
        raise validation(
            f"The attachment has {len(body)} bytes; the maximum is 500 KB.", "MAXIMUM_SIZE_EXCEEDED"
        )
    if not any(body.startswith(magic) for magic in _MAGIC):
        raise validation("Attachments must be PDF, JPEG or PNG files.", "ATTACHMENT_TYPE_NOT_SUPPORTED")


def _check_url(url: str) -> None:
    bucket, _, key = url.removeprefix("s3://").partition("/")
    if not url.startswith("s3://") or not bucket or not key:
        raise validation(
            f"{url} is not an S3 URL (s3://bucket/key).",
            "INVALID_PARAMETER",
            [{"Name": "AttachmentUrl", "Message": "must be s3://bucket/key"}],
        )
    if not key.lower().endswith(_EXTENSIONS):
        raise validation("Attachments must be PDF, JPEG or PNG files.", "ATTACHMENT_TYPE_NOT_SUPPORTED")


@operation(SERVICE, "CreateRegistrationAttachment")
def create_registration_attachment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    body, url = params.get("AttachmentBody"), params.get("AttachmentUrl")
    if body is not None and url:
        raise validation(
            "Give AttachmentBody or AttachmentUrl, not both.",
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            [{"Name": n, "Message": "cannot be used together"} for n in ("AttachmentBody", "AttachmentUrl")],
        )
    if body is None and not url:
        raise validation(
            "An attachment needs AttachmentBody or AttachmentUrl.",
            "MISSING_PARAMETER",
            [{"Name": n, "Message": "one of these is required"} for n in ("AttachmentBody", "AttachmentUrl")],
        )
    if body is not None:
        raw = body if isinstance(body, bytes) else str(body).encode()
        _check_body(raw)
        digest, size = hashlib.sha256(raw).hexdigest(), len(raw)
    else:
        _check_url(str(url))
        digest, size = "", 0
    table = ctx.table("registration_attachments")
    ctx.check_resource_quota("REGISTRATION_ATTACHMENTS", len(table))
    attachment_id = ctx.new_id("attachment-")
    record: dict[str, Any] = {
        "RegistrationAttachmentArn": ctx.arn(f"registration-attachment/{attachment_id}"),
        "RegistrationAttachmentId": attachment_id,
        "AttachmentStatus": "UPLOAD_COMPLETE",
        "CreatedTimestamp": ctx.now(),
        "_Sha256": digest,
        "_Size": size,
    }
    if url:
        record["AttachmentUrl"] = url
    table.put(attachment_id, record)
    set_tags(ctx, record["RegistrationAttachmentArn"], params.get("Tags"))
    out = {k: v for k, v in public(record).items() if k != "AttachmentUrl"}
    return remember(ctx, params, {**out, "Tags": params.get("Tags") or []})


@operation(SERVICE, "DescribeRegistrationAttachments")
def describe_registration_attachments(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    wanted = params.get("RegistrationAttachmentIds")
    records = (
        [attachment(ctx, i) for i in wanted] if wanted else ctx.table("registration_attachments").values()
    )
    records = apply_filters(
        records, params.get("Filters"), {"attachment-status": lambda r: r["AttachmentStatus"]}
    )
    chunk, token = page(records, params)
    return {"RegistrationAttachments": [public(r) for r in chunk], "NextToken": token}


def _attachment_users(ctx: Context, attachment_id: str) -> list[str]:
    """Registrations whose draft or in-review version points at the attachment."""
    users = []
    for key, ver in ctx.table("registration_versions").items():
        if ver["RegistrationVersionStatus"] != "DRAFT" and ver["RegistrationVersionStatus"] not in IN_REVIEW:
            continue
        if any(v.get("RegistrationAttachmentId") == attachment_id for v in ver["_Fields"].values()):
            users.append(key.split("|", 1)[0])
    return sorted(set(users))


@operation(SERVICE, "DeleteRegistrationAttachment")
def delete_registration_attachment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = attachment(ctx, params["RegistrationAttachmentId"])
    attachment_id = record["RegistrationAttachmentId"]
    users = _attachment_users(ctx, attachment_id)
    if users:
        raise conflict(
            "RESOURCE_DELETION_NOT_ALLOWED",
            f"Attachment {attachment_id} is a field value of registration(s) {', '.join(users)}.",
            "registration-attachment",
            attachment_id,
        )
    ctx.table("registration_attachments").delete(attachment_id)
    drop_tags(ctx, record["RegistrationAttachmentArn"])
    out = {k: v for k, v in public(record).items() if k != "AttachmentUrl"}
    return {**out, "AttachmentStatus": "DELETED"}


# -- associations ---------------------------------------------------------------------------------------
def _resource(ctx: Context, resource_id: str) -> dict[str, Any]:
    """What a ResourceId names, as an association row (with `_Kind`, the SupportedAssociation type)."""
    tail = resource_id.split(":", 5)[-1] if resource_id.startswith("arn:") else resource_id
    if tail.startswith("registration/") or tail.startswith("registration-"):
        return registration_association(registration(ctx, resource_id))
    if tail.startswith("sender-id/"):
        return sender_association(sender_id(ctx, resource_id))
    return phone_association(phone_number(ctx, resource_id))


def _behaviour_allows(ctx: Context, reg: dict[str, Any], need: dict[str, str], row: dict[str, Any]) -> None:
    rid = reg["RegistrationId"]
    behaviour = need["AssociationBehavior"]
    if behaviour == "ASSOCIATE_ON_APPROVAL":
        raise validation(
            f"A {row['_Kind']} is associated with a {reg['RegistrationType']} by AWS when it is approved.",
            "INVALID_REGISTRATION_ASSOCIATION",
        )
    if behaviour == "ASSOCIATE_AFTER_COMPLETE" and reg["RegistrationStatus"] != "COMPLETE":
        raise conflict(
            "REGISTRATION_NOT_COMPLETE",
            f"A {row['_Kind']} can be associated with registration {rid} once it is COMPLETE; it is "
            f"{reg['RegistrationStatus']}.",
            "registration",
            rid,
        )
    if behaviour == "ASSOCIATE_BEFORE_SUBMIT":
        status = version(ctx, reg)["RegistrationVersionStatus"]
        if status in IN_REVIEW:
            raise conflict(
                "REGISTRATION_ALREADY_SUBMITTED",
                f"Registration {rid} is {status}; associations cannot change until it is reviewed.",
                "registration",
                rid,
            )
        if status != "DRAFT":
            raise conflict(
                "RESOURCE_MODIFICATION_NOT_ALLOWED",
                f"A {row['_Kind']} is associated with a {reg['RegistrationType']} before it is submitted.",
                "registration",
                rid,
            )


def _check_resource(ctx: Context, reg: dict[str, Any], need: dict[str, str], row: dict[str, Any]) -> None:
    if row["ResourceType"] == "registration":
        other = registration(ctx, row["ResourceId"])
        if other["RegistrationStatus"] != "COMPLETE":
            raise conflict(
                "REGISTRATION_NOT_COMPLETE",
                f"Registration {other['RegistrationId']} is {other['RegistrationStatus']}; only a COMPLETE "
                f"{other['RegistrationType']} can be associated.",
                "registration",
                other["RegistrationId"],
            )
    if row.get("IsoCountryCode") and need.get("IsoCountryCode") not in (None, row["IsoCountryCode"]):
        raise conflict(
            "PHONE_NUMBER_NOT_IN_REGISTRATION_REGION",
            f"{row['ResourceId']} is in {row['IsoCountryCode']}; a {reg['RegistrationType']} registers "
            f"{need['IsoCountryCode']} resources.",
            row["ResourceType"],
            row["ResourceId"],
        )
    rid = reg["RegistrationId"]
    mine = associations(ctx, reg)  # also takes in numbers requested with this RegistrationId
    for key, other in ctx.table(ASSOCIATIONS).items():
        if other["ResourceArn"] == row["ResourceArn"] and (
            row["ResourceType"] != "registration" or key.startswith(rid + "|")
        ):
            raise conflict(
                "RESOURCE_ALREADY_ASSOCIATED",
                f"{row['ResourceId']} is already associated with registration {other['RegistrationId']}.",
                row["ResourceType"],
                row["ResourceId"],
            )
    if row["ResourceType"] == "phone-number":
        owner = ctx.table("phone_numbers").get(row["ResourceId"]).get("RegistrationId")
        if owner and owner != rid:
            raise conflict(
                "RESOURCE_ALREADY_ASSOCIATED",
                f"{row['ResourceId']} belongs to registration {owner}.",
                "phone-number",
                row["ResourceId"],
            )
    # A campaign has one brand; a toll-free registration verifies one number.
    if row["ResourceType"] == "registration" or row["_Kind"] == "TOLL_FREE":
        taken = [r for r in mine if r["_Kind"] == row["_Kind"]]
        if taken and taken[0]["ResourceArn"] != row["ResourceArn"]:
            raise conflict(
                "RESOURCE_ALREADY_ASSOCIATED",
                f"Registration {rid} already has its {row['_Kind']}: {taken[0]['ResourceId']}.",
                "registration",
                rid,
            )


@operation(SERVICE, "CreateRegistrationAssociation")
def create_registration_association(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    reg = live_registration(ctx, params["RegistrationId"])
    row = _resource(ctx, params["ResourceId"])
    need = definition_of(reg).association(row["_Kind"])
    if need is None:
        raise validation(
            f"A {reg['RegistrationType']} cannot be associated with a {row['_Kind']}.",
            "INVALID_REGISTRATION_ASSOCIATION",
            [{"Name": "ResourceId", "Message": f"{row['_Kind']} is not a supported association"}],
        )
    _behaviour_allows(ctx, reg, need, row)
    _check_resource(ctx, reg, need, row)
    store_association(ctx, reg, row)
    if row["ResourceType"] == "phone-number":
        numbers = ctx.table("phone_numbers")
        numbers.put(
            row["ResourceId"], {**numbers.get(row["ResourceId"]), "RegistrationId": reg["RegistrationId"]}
        )
    return {
        "RegistrationArn": reg["RegistrationArn"],
        "RegistrationId": reg["RegistrationId"],
        "RegistrationType": reg["RegistrationType"],
        **_metadata(row),
    }


def _metadata(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("ResourceArn", "ResourceId", "ResourceType", "IsoCountryCode", "PhoneNumber")
    return {k: row[k] for k in keys if row.get(k) is not None}


@operation(SERVICE, "ListRegistrationAssociations")
def list_registration_associations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    reg = live_registration(ctx, params["RegistrationId"])
    rows = apply_filters(
        associations(ctx, reg),
        params.get("Filters"),
        {
            "resource-type": lambda r: r["ResourceType"],
            "iso-country-code": lambda r: r.get("IsoCountryCode"),
        },
    )
    chunk, token = page(rows, params)
    return {
        "RegistrationArn": reg["RegistrationArn"],
        "RegistrationId": reg["RegistrationId"],
        "RegistrationType": reg["RegistrationType"],
        "RegistrationAssociations": [_metadata(r) for r in chunk],
        "NextToken": token,
    }
