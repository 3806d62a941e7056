"""v2 registration forms and the values filled into them.

DescribeRegistrationTypeDefinitions, DescribeRegistrationSectionDefinitions,
DescribeRegistrationFieldDefinitions (the forms, from `registration_defs`); PutRegistrationFieldValue,
DeleteRegistrationFieldValue, DescribeRegistrationFieldValues (a version's values, checked against the form:
text length and pattern, select options and choice count, attachments that exist and finished uploading).
`example_values` fills a form with values that pass, for tests and demo worlds.
"""

from __future__ import annotations

import re
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, conflict, not_found, validation
from migrate.emulator.registry import operation
from migrate.emulator.services.common import apply_filters, page
from migrate.emulator.services.v2.model import SERVICE, arn_tail, check_arn
from migrate.emulator.services.v2.registration_defs import (
    COUNTRY,
    E164,
    EMAIL,
    TYPES,
    URL,
    FieldDef,
    TypeDef,
    type_def,
)
from migrate.emulator.services.v2.registration_store import (
    VALUE_KEYS,
    definition_of,
    editable_version,
    has_value,
    live_registration,
    save_version,
    version,
)


# -- the forms ------------------------------------------------------------------------------------------
@operation(SERVICE, "DescribeRegistrationTypeDefinitions")
def describe_registration_type_definitions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    wanted = params.get("RegistrationTypes")
    types = [type_def(name) for name in wanted] if wanted else list(TYPES.values())
    types = apply_filters(
        types,
        params.get("Filters"),
        {
            "supported-association-resource-type": lambda t: [a["ResourceType"] for a in t.associations],
            "supported-association-iso-country-code": lambda t: [a["IsoCountryCode"] for a in t.associations],
        },
    )
    chunk, token = page(types, params)
    return {"RegistrationTypeDefinitions": [t.describe() for t in chunk], "NextToken": token}


def _section(tdef: TypeDef, path: str) -> str:
    if path not in tdef.section_paths():
        raise validation(
            f"{path} is not a section of {tdef.name}",
            "UNKNOWN_REGISTRATION_SECTION",
            [{"Name": "SectionPath", "Message": f"unknown section {path}"}],
        )
    return path


@operation(SERVICE, "DescribeRegistrationSectionDefinitions")
def describe_registration_section_definitions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    tdef = type_def(params["RegistrationType"])
    wanted = {_section(tdef, p) for p in params.get("SectionPaths") or []}
    sections = [
        {"SectionPath": path, "DisplayHints": {"Title": title, "ShortDescription": desc}}
        for path, title, desc in tdef.sections
        if not wanted or path in wanted
    ]
    chunk, token = page(sections, params)
    return {"RegistrationType": tdef.name, "RegistrationSectionDefinitions": chunk, "NextToken": token}


def _chosen_fields(tdef: TypeDef, params: dict[str, Any]) -> list[FieldDef]:
    section = _section(tdef, params["SectionPath"]) if params.get("SectionPath") else None
    paths = {tdef.field(p).path for p in params.get("FieldPaths") or []}
    return [
        f for f in tdef.fields if (section is None or f.section == section) and (not paths or f.path in paths)
    ]


@operation(SERVICE, "DescribeRegistrationFieldDefinitions")
def describe_registration_field_definitions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    tdef = type_def(params["RegistrationType"])
    chunk, token = page(_chosen_fields(tdef, params), params)
    return {
        "RegistrationType": tdef.name,
        "RegistrationFieldDefinitions": [f.describe() for f in chunk],
        "NextToken": token,
    }


# -- values ---------------------------------------------------------------------------------------------
def _invalid(item: FieldDef, message: str) -> ApiError:
    return validation(
        f"{item.path}: {message}", "FIELD_VALIDATION_FAILED", [{"Name": item.path, "Message": message}]
    )


def attachment(ctx: Context, id_or_arn: str) -> dict[str, Any]:
    check_arn(ctx, id_or_arn, "registration-attachment")
    found = ctx.table("registration_attachments").get(arn_tail(id_or_arn))
    if found is None:
        raise not_found("registration-attachment", id_or_arn)
    return found


def _checked_value(ctx: Context, item: FieldDef, params: dict[str, Any]) -> dict[str, Any]:
    given = [k for k in VALUE_KEYS if params.get(k) not in (None, [])]
    if not given:
        raise validation(
            f"{item.path} needs one of SelectChoices, TextValue or RegistrationAttachmentId.",
            "MISSING_PARAMETER",
            [{"Name": k, "Message": "one of these is required"} for k in VALUE_KEYS],
        )
    if len(given) > 1:
        raise validation(
            f"Only one of {', '.join(given)} may be given.",
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            [{"Name": k, "Message": "cannot be used together"} for k in given],
        )
    expected = {"TEXT": "TextValue", "SELECT": "SelectChoices", "ATTACHMENT": "RegistrationAttachmentId"}
    key = given[0]
    if key != expected[item.kind]:
        raise _invalid(item, f"is a {item.kind} field; give {expected[item.kind]}, not {key}")
    value = params[key]
    if item.kind == "TEXT":
        if not item.min_length <= len(value) <= item.max_length:
            raise _invalid(item, f"must have {item.min_length} to {item.max_length} characters")
        if not re.search(item.pattern, value):
            raise _invalid(item, f"does not match the pattern {item.pattern}")
    elif item.kind == "SELECT":
        unknown = [c for c in value if c not in item.options]
        if unknown:
            raise _invalid(item, f"{', '.join(unknown)} not among the options {', '.join(item.options)}")
        if not 1 <= len(value) <= item.max_choices:
            raise _invalid(item, f"takes 1 to {item.max_choices} choices")
    else:
        found = attachment(ctx, value)
        if found["AttachmentStatus"] != "UPLOAD_COMPLETE":
            raise conflict(
                "RESOURCE_NOT_ACTIVE",
                f"Attachment {found['RegistrationAttachmentId']} is {found['AttachmentStatus']}.",
                "registration-attachment",
                found["RegistrationAttachmentId"],
            )
        value = found["RegistrationAttachmentId"]
    return {"FieldPath": item.path, key: value}


def _value_answer(reg: dict[str, Any], ver: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    return {
        "RegistrationArn": reg["RegistrationArn"],
        "RegistrationId": reg["RegistrationId"],
        "VersionNumber": ver["VersionNumber"],
        **{k: value[k] for k in ("FieldPath", *VALUE_KEYS) if k in value},
    }


@operation(SERVICE, "PutRegistrationFieldValue")
def put_registration_field_value(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    reg = live_registration(ctx, params["RegistrationId"])
    item = definition_of(reg).field(params["FieldPath"])
    ver = editable_version(ctx, reg)
    value = _checked_value(ctx, item, params)
    ver["_Fields"][item.path] = value
    save_version(ctx, reg, ver)
    return _value_answer(reg, ver, value)


@operation(SERVICE, "DeleteRegistrationFieldValue")
def delete_registration_field_value(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    reg = live_registration(ctx, params["RegistrationId"])
    item = definition_of(reg).field(params["FieldPath"])
    ver = editable_version(ctx, reg)
    value = ver["_Fields"].get(item.path)
    if not has_value(value):
        raise validation(
            f"{item.path} has no value to delete in version {ver['VersionNumber']}.",
            "REGISTRATION_FIELD_CANNOT_BE_DELETED",
            [{"Name": "FieldPath", "Message": "has no value"}],
        )
    assert value is not None
    del ver["_Fields"][item.path]
    save_version(ctx, reg, ver)
    return _value_answer(reg, ver, value)


@operation(SERVICE, "DescribeRegistrationFieldValues")
def describe_registration_field_values(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    reg = live_registration(ctx, params["RegistrationId"])
    number = params.get("VersionNumber")
    ver = version(ctx, reg, int(number) if number is not None else None)
    values = ver["_Fields"]
    chosen = [values[f.path] for f in _chosen_fields(definition_of(reg), params) if f.path in values]
    chunk, token = page(chosen, params)
    return {
        "RegistrationArn": reg["RegistrationArn"],
        "RegistrationId": reg["RegistrationId"],
        "VersionNumber": ver["VersionNumber"],
        "RegistrationFieldValues": chunk,
        "NextToken": token,
    }


# -- examples (for tests and the demo world) ----------------------------------------------------------

_PATTERN_EXAMPLES = {
    COUNTRY: "US",
    E164: "+12065550100",
    EMAIL: "support@example.com",
    URL: "https://www.example.com",
    r"^[0-9]{1,30}$": "1201159100000000001",
    r"^[A-Za-z0-9]{1,30}$": "EX123456",
}


def example_value(item: FieldDef) -> dict[str, Any]:
    """A value that passes the field's checks (the PutRegistrationFieldValue members), for tests and demos.
    Attachment fields have none: they need an attachment created first."""
    if item.kind == "SELECT":
        return {"SelectChoices": [item.options[0]]}
    if item.kind != "TEXT":
        raise ValueError(f"{item.path} is an {item.kind} field")
    text = item.example or _PATTERN_EXAMPLES.get(item.pattern)
    if text is None:
        text = f"Example {item.title.lower()} for Example Corp, sent to recipients who opted in."
        text = (text * (1 + item.min_length // len(text)))[: item.max_length]
    return {"TextValue": text}


def example_values(registration_type: str, *, with_optional: bool = False) -> dict[str, dict[str, Any]]:
    """Field path -> example value for the text and select fields a form needs (REQUIRED ones, and
    CONDITIONAL ones whose condition the chosen values meet; with `with_optional`, all): enough to submit
    a form whose type needs no attachment."""
    tdef = type_def(registration_type)
    chosen = {
        f.path: example_value(f)
        for f in tdef.fields
        if f.requirement == "REQUIRED" and f.kind != "ATTACHMENT"
    }
    for f in tdef.fields:
        if f.kind == "ATTACHMENT" or f.path in chosen:
            continue
        depends_on, wanted = f.required_when or ("", ())
        if with_optional or set(chosen.get(depends_on, {}).get("SelectChoices", [])) & set(wanted):
            chosen[f.path] = example_value(f)
    return chosen
