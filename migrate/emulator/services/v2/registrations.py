"""v2 registrations and their versions, and `review_registration`, the reviewer AWS hands them to.

CreateRegistration, DescribeRegistrations, DeleteRegistration, CreateRegistrationVersion,
SubmitRegistrationVersion, DiscardRegistrationVersion, DescribeRegistrationVersions. The lifecycle is
described in `registration_store`; the forms in `registration_defs`; field values in `registration_forms`;
attachments and associations in `registration_links`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migrate.emulator.context import Context
from migrate.emulator.errors import conflict, validation
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2.model import (
    SERVICE,
    drop_tags,
    offline,
    public,
    remember,
    replay,
    set_tags,
)
from migrate.emulator.services.v2.registration_defs import TypeDef, type_def
from migrate.emulator.services.v2.registration_store import (
    IDENTITY_TYPES,
    IN_REVIEW,
    all_registrations,
    associations,
    definition_of,
    drop_associations,
    drop_versions,
    has_value,
    live_registration,
    move_version,
    new_version,
    save,
    sender_association,
    store_association,
    version,
    version_answer,
    version_info,
    versions,
)
from migrate.emulator.services.v2.sender_ids import new_sender_id_record

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator


@operation(SERVICE, "CreateRegistration")
def create_registration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    tdef = type_def(params["RegistrationType"])
    table = ctx.table("registrations")
    ctx.check_resource_quota("REGISTRATIONS", len(table))
    registration_id = ctx.new_id("registration-")
    reg: dict[str, Any] = {
        "RegistrationArn": ctx.arn(f"registration/{registration_id}"),
        "RegistrationId": registration_id,
        "RegistrationType": tdef.name,
        "RegistrationStatus": "CREATED",
        "CurrentVersionNumber": 1,
        "CreatedTimestamp": ctx.now(),
    }
    save(ctx, reg)
    new_version(ctx, reg, 1, {})
    set_tags(ctx, reg["RegistrationArn"], params.get("Tags"))
    return remember(ctx, params, {**public(reg), "Tags": params.get("Tags") or []})


@operation(SERVICE, "DescribeRegistrations")
def describe_registrations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    wanted = params.get("RegistrationIds")
    records = [live_registration(ctx, i) for i in wanted] if wanted else all_registrations(ctx)
    records = apply_filters(
        records,
        params.get("Filters"),
        {
            "registration-type": lambda r: r["RegistrationType"],
            "registration-status": lambda r: r["RegistrationStatus"],
        },
    )
    chunk, token = page(records, params)
    return {"Registrations": [public(r) for r in chunk], "NextToken": token}


@operation(SERVICE, "DeleteRegistration")
def delete_registration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    reg = live_registration(ctx, params["RegistrationId"])
    rid = reg["RegistrationId"]
    if version(ctx, reg)["RegistrationVersionStatus"] in IN_REVIEW:
        raise conflict(
            "RESOURCE_DELETION_NOT_ALLOWED",
            f"Registration {rid} is being reviewed; it can be deleted once the review is finished.",
            "registration",
            rid,
        )
    for row in associations(ctx, reg):
        if row["ResourceType"] not in IDENTITY_TYPES:
            continue  # a brand association goes with the campaign (DELETE_REGISTRATION_DISASSOCIATES)
        if row["ResourceType"] == "phone-number":
            raise conflict(
                "PHONE_NUMBER_ASSOCIATED_TO_REGISTRATION",
                f"Phone number {row['ResourceId']} is still associated with registration {rid}; release it "
                "first.",
                "phone-number",
                row["ResourceId"],
            )
        raise conflict(
            "RESOURCE_DELETION_NOT_ALLOWED",
            f"Sender ID {row['ResourceId']} is still associated with registration {rid}; release it first.",
            "sender-id",
            row["ResourceId"],
        )
    ctx.table("registrations").delete(rid)
    drop_versions(ctx, rid)
    drop_associations(ctx, rid)
    drop_tags(ctx, reg["RegistrationArn"])
    return {**public(reg), "RegistrationStatus": "DELETED"}


# -- versions -------------------------------------------------------------------------------------------
@operation(SERVICE, "CreateRegistrationVersion")
def create_registration_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    reg = live_registration(ctx, params["RegistrationId"])
    current = version(ctx, reg)
    status = current["RegistrationVersionStatus"]
    if status == "DRAFT" or status in IN_REVIEW or reg["RegistrationStatus"] == "CLOSED":
        raise conflict(
            "CREATE_REGISTRATION_VERSION_NOT_ALLOWED",
            f"Registration {reg['RegistrationId']} is {reg['RegistrationStatus']} with version "
            f"{current['VersionNumber']} {status}; a new version can follow only an approved, denied or "
            "discarded one.",
            "registration",
            reg["RegistrationId"],
        )
    # The new draft starts from the values of the version it replaces, without the reviewer's notes.
    fields = {
        path: {k: v for k, v in value.items() if k not in ("DeniedReason", "Feedback")}
        for path, value in current["_Fields"].items()
        if has_value(value)
    }
    reg["CurrentVersionNumber"] = current["VersionNumber"] + 1
    save(ctx, reg)
    ver = new_version(ctx, reg, reg["CurrentVersionNumber"], fields)
    return version_answer(reg, ver)


def missing_fields(tdef: TypeDef, values: dict[str, dict[str, Any]]) -> list[str]:
    """Paths of REQUIRED fields without a value, and of CONDITIONAL ones whose condition holds."""
    missing = []
    for item in tdef.fields:
        if has_value(values.get(item.path)):
            continue
        if item.requirement == "REQUIRED":
            missing.append(item.path)
        elif item.requirement == "CONDITIONAL" and item.required_when:
            depends_on, wanted = item.required_when
            given = values.get(depends_on, {})
            chosen = set(given.get("SelectChoices") or []) | {given.get("TextValue")}
            if chosen & set(wanted):
                missing.append(item.path)
    return missing


@operation(SERVICE, "SubmitRegistrationVersion")
def submit_registration_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    reg = live_registration(ctx, params["RegistrationId"])
    rid = reg["RegistrationId"]
    ver = version(ctx, reg)
    status = ver["RegistrationVersionStatus"]
    if status in IN_REVIEW:
        raise conflict(
            "REGISTRATION_ALREADY_SUBMITTED",
            f"Version {ver['VersionNumber']} of registration {rid} is already {status}.",
            "registration",
            rid,
        )
    if status != "DRAFT":
        raise conflict(
            "SUBMIT_REGISTRATION_VERSION_NOT_ALLOWED",
            f"Version {ver['VersionNumber']} of registration {rid} is {status}; create a new version to "
            "submit changes.",
            "registration",
            rid,
        )
    tdef = definition_of(reg)
    missing = missing_fields(tdef, ver["_Fields"])
    if missing:
        raise validation(
            f"Registration {rid} is missing required field values: {', '.join(missing)}.",
            "FIELD_VALIDATION_FAILED",
            [{"Name": path, "Message": "is required"} for path in missing],
        )
    kinds = {row["_Kind"] for row in associations(ctx, reg)}
    for need in tdef.associations:
        if need["AssociationBehavior"] == "ASSOCIATE_BEFORE_SUBMIT" and need["ResourceType"] not in kinds:
            raise conflict(
                "SUBMIT_REGISTRATION_VERSION_NOT_ALLOWED",
                f"A {tdef.name} must be associated with a {need['ResourceType']} before it is submitted "
                "(CreateRegistrationAssociation).",
                "registration",
                rid,
            )
    aws_review = bool(params.get("AwsReview", False))
    ver["_AwsReview"] = aws_review
    ver["RegistrationVersionStatusHistory"]["SubmittedTimestamp"] = ctx.now()
    move_version(ctx, reg, ver, "AWS_REVIEWING" if aws_review else "SUBMITTED")
    return {**version_answer(reg, ver), "AwsReview": aws_review}


@operation(SERVICE, "DiscardRegistrationVersion")
def discard_registration_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    reg = live_registration(ctx, params["RegistrationId"])
    ver = version(ctx, reg)
    status = ver["RegistrationVersionStatus"]
    # A submitted version can be withdrawn before review; a draft only when it is an update of an earlier
    # version (the first draft has nothing to fall back to: delete the registration instead).
    if not (status == "SUBMITTED" or (status == "DRAFT" and ver["VersionNumber"] > 1)):
        raise conflict(
            "DISCARD_REGISTRATION_VERSION_NOT_ALLOWED",
            f"Version {ver['VersionNumber']} of registration {reg['RegistrationId']} is {status} and cannot "
            "be discarded.",
            "registration",
            reg["RegistrationId"],
        )
    move_version(ctx, reg, ver, "DISCARDED")
    return version_answer(reg, ver)


@operation(SERVICE, "DescribeRegistrationVersions")
def describe_registration_versions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    reg = live_registration(ctx, params["RegistrationId"])
    numbers = params.get("VersionNumbers")
    found = [version(ctx, reg, int(n)) for n in numbers] if numbers else versions(ctx, reg)
    found = apply_filters(
        found,
        params.get("Filters"),
        {"registration-version-status": lambda v: v["RegistrationVersionStatus"]},
    )
    chunk, token = page(found, params)
    return {
        "RegistrationArn": reg["RegistrationArn"],
        "RegistrationId": reg["RegistrationId"],
        "RegistrationVersions": [version_info(v) for v in chunk],
        "NextToken": token,
    }


# -- the reviewer ---------------------------------------------------------------------------------------
OUTCOMES = ("REVIEWING", "COMPLETE", "REQUIRES_UPDATES")


def review_registration(
    emu: Emulator,
    region: str,
    registration_id: str,
    outcome: str = "COMPLETE",
    account: str | None = None,
    *,
    feedback: str | None = None,
    denied_fields: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Play AWS's reviewer (or the carrier registry behind it) on a submitted registration.

    `REVIEWING` takes the submitted version into review; `COMPLETE` approves it (provisioning the sender
    ID of a sender-ID registration and activating numbers that waited for it); `REQUIRES_UPDATES` denies
    it, with `feedback` and per-field reasons (`denied_fields`: field path -> reason). Returns the
    registration as DescribeRegistrations shows it.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    with offline(emu, region, account) as ctx:
        reg = live_registration(ctx, registration_id)
        ver = version(ctx, reg)
        if ver["RegistrationVersionStatus"] not in IN_REVIEW:
            raise ValueError(
                f"registration {registration_id} is not waiting for review "
                f"(version {ver['VersionNumber']} is {ver['RegistrationVersionStatus']})"
            )
        if outcome == "REVIEWING" or "ReviewingTimestamp" not in ver["RegistrationVersionStatusHistory"]:
            move_version(ctx, reg, ver, "REVIEWING")
        if outcome == "COMPLETE":
            _approve(ctx, reg, ver)
        elif outcome == "REQUIRES_UPDATES":
            _deny(ctx, reg, ver, feedback, denied_fields or {})
        return public(reg)


def _approve(ctx: Context, reg: dict[str, Any], ver: dict[str, Any]) -> None:
    for earlier in versions(ctx, reg):
        if earlier["RegistrationVersionStatus"] == "APPROVED":
            move_version(ctx, reg, earlier, "ARCHIVED")
    reg["ApprovedVersionNumber"] = ver["VersionNumber"]
    move_version(ctx, reg, ver, "APPROVED")
    tdef = definition_of(reg)
    for need in tdef.associations:
        if need["ResourceType"] == "SENDER_ID" and need["AssociationBehavior"] == "ASSOCIATE_ON_APPROVAL":
            _provision_sender_id(ctx, reg, ver, need["IsoCountryCode"])
    numbers = ctx.table("phone_numbers")
    for row in associations(ctx, reg):
        number = numbers.get(row["ResourceId"]) if row["ResourceType"] == "phone-number" else None
        if number is not None and number.get("Status") == "PENDING":
            numbers.put(row["ResourceId"], {**number, "Status": "ACTIVE"})


def _provision_sender_id(ctx: Context, reg: dict[str, Any], ver: dict[str, Any], country: str) -> None:
    """Sender-ID registrations are ASSOCIATE_ON_APPROVAL: AWS creates (or registers) the sender ID."""
    value = ver["_Fields"].get("senderIdInfo.senderId", {}).get("TextValue")
    if not value:
        return
    table = ctx.table("sender_ids")
    key = f"{value}/{country}"
    sender = table.get(key)
    if sender is None:
        sender = new_sender_id_record(
            ctx,
            sender=value,
            iso_country_code=country,
            message_types=["TRANSACTIONAL"],
            registered=True,
            registration_id=reg["RegistrationId"],
        )
    else:
        sender = {**sender, "Registered": True, "RegistrationId": reg["RegistrationId"]}
        table.put(key, sender)
    store_association(ctx, reg, sender_association(sender))


def _deny(
    ctx: Context,
    reg: dict[str, Any],
    ver: dict[str, Any],
    feedback: str | None,
    denied_fields: dict[str, str],
) -> None:
    tdef = definition_of(reg)
    note = feedback or "The reviewer could not verify the information in this registration."
    for path, reason in denied_fields.items():
        tdef.field(path)
        value = ver["_Fields"].setdefault(path, {"FieldPath": path})
        value["DeniedReason"] = reason
        value["Feedback"] = note
    ver["DeniedReasons"] = [
        {
            "Reason": "Incomplete or inconsistent information",
            "ShortDescription": note,
            "DocumentationTitle": tdef.title,
            "DocumentationLink": tdef.link,
        }
    ]
    ver["Feedback"] = note
    reg["LatestDeniedVersionNumber"] = ver["VersionNumber"]
    move_version(ctx, reg, ver, "DENIED")
