"""v2 registrations through boto3: forms, lifecycle, versions, field values, and AWS's conflict reasons."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from migrate.emulator import Emulator
from migrate.emulator.services.v2.registration_forms import example_values
from migrate.emulator.services.v2.registrations import review_registration

REGION = "us-east-1"
BRAND = "US_TEN_DLC_BRAND_REGISTRATION"
CAMPAIGN = "US_TEN_DLC_CAMPAIGN_REGISTRATION"
TOLL_FREE = "US_TOLL_FREE_REGISTRATION"
INDIA = "IN_SENDER_ID_REGISTRATION"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def client(emu: Emulator, region: str = REGION) -> Any:
    return emu.session(region).client("pinpoint-sms-voice-v2")


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str | None]:
    return exc.value.response["Error"]["Code"], exc.value.response.get("Reason")


def fill(sms: Any, registration_id: str, registration_type: str, **overrides: dict[str, Any]) -> None:
    for path, value in {**example_values(registration_type), **overrides}.items():
        sms.put_registration_field_value(RegistrationId=registration_id, FieldPath=path, **value)


def created(sms: Any, registration_type: str) -> str:
    return str(sms.create_registration(RegistrationType=registration_type)["RegistrationId"])


def complete_brand(emu: Emulator, sms: Any) -> str:
    brand = created(sms, BRAND)
    fill(sms, brand, BRAND)
    sms.submit_registration_version(RegistrationId=brand)
    review_registration(emu, REGION, brand, "COMPLETE")
    return brand


def status(sms: Any, registration_id: str) -> str:
    found = sms.describe_registrations(RegistrationIds=[registration_id])["Registrations"][0]
    return str(found["RegistrationStatus"])


# -- the forms ------------------------------------------------------------------------------------------
def test_type_section_and_field_definitions(emu: Emulator) -> None:
    sms = client(emu)
    types = sms.describe_registration_type_definitions()["RegistrationTypeDefinitions"]
    assert {t["RegistrationType"] for t in types} == {BRAND, CAMPAIGN, TOLL_FREE, INDIA}
    toll_free = sms.describe_registration_type_definitions(
        Filters=[{"Name": "supported-association-resource-type", "Values": ["TOLL_FREE"]}]
    )["RegistrationTypeDefinitions"]
    assert [t["RegistrationType"] for t in toll_free] == [TOLL_FREE]
    assert toll_free[0]["SupportedAssociations"][0]["AssociationBehavior"] == "ASSOCIATE_BEFORE_SUBMIT"
    india = sms.describe_registration_type_definitions(
        Filters=[{"Name": "supported-association-iso-country-code", "Values": ["IN"]}]
    )["RegistrationTypeDefinitions"]
    assert [t["RegistrationType"] for t in india] == [INDIA]
    pages = sms.get_paginator("describe_registration_type_definitions").paginate(
        PaginationConfig={"PageSize": 1}
    )
    assert sum(len(p["RegistrationTypeDefinitions"]) for p in pages) == 4
    with pytest.raises(ClientError) as exc:
        sms.describe_registration_type_definitions(RegistrationTypes=["XX_NO_SUCH_REGISTRATION"])
    assert error(exc) == ("ValidationException", "UNKNOWN_REGISTRATION_TYPE")

    sections = sms.describe_registration_section_definitions(RegistrationType=CAMPAIGN)
    assert sections["RegistrationSectionDefinitions"][0]["SectionPath"] == "campaignInfo"
    one = sms.describe_registration_section_definitions(
        RegistrationType=CAMPAIGN, SectionPaths=["messageSamples"]
    )
    assert [s["SectionPath"] for s in one["RegistrationSectionDefinitions"]] == ["messageSamples"]
    with pytest.raises(ClientError) as exc:
        sms.describe_registration_section_definitions(RegistrationType=CAMPAIGN, SectionPaths=["nope"])
    assert error(exc) == ("ValidationException", "UNKNOWN_REGISTRATION_SECTION")

    fields = sms.describe_registration_field_definitions(RegistrationType=BRAND, SectionPath="contactInfo")
    assert {f["SectionPath"] for f in fields["RegistrationFieldDefinitions"]} == {"contactInfo"}
    symbol = sms.describe_registration_field_definitions(
        RegistrationType=BRAND, FieldPaths=["companyInfo.stockSymbol"]
    )["RegistrationFieldDefinitions"][0]
    assert symbol["FieldRequirement"] == "CONDITIONAL"
    assert symbol["ConditionalBehavior"]["Rules"][0]["Conditions"][0]["Values"] == ["PUBLIC_PROFIT"]
    volume = sms.describe_registration_field_definitions(
        RegistrationType=TOLL_FREE, FieldPaths=["messagingUseCase.monthlyMessageVolume"]
    )["RegistrationFieldDefinitions"][0]
    assert volume["SelectValidation"]["Options"][:3] == ["10", "100", "1,000"]
    pages = sms.get_paginator("describe_registration_field_definitions").paginate(
        RegistrationType=TOLL_FREE, PaginationConfig={"PageSize": 5}
    )
    assert len([p for p in pages]) > 1
    with pytest.raises(ClientError) as exc:
        sms.describe_registration_field_definitions(RegistrationType=BRAND, FieldPaths=["companyInfo.nope"])
    assert error(exc) == ("ValidationException", "UNKNOWN_REGISTRATION_FIELD")


# -- registrations --------------------------------------------------------------------------------------
def test_create_describe_delete_with_tags_filters_and_client_token(emu: Emulator) -> None:
    sms = client(emu)
    first = sms.create_registration(
        RegistrationType=BRAND, Tags=[{"Key": "Name", "Value": "acme"}], ClientToken="brand-1"
    )
    again = sms.create_registration(RegistrationType=BRAND, ClientToken="brand-1")
    assert again["RegistrationId"] == first["RegistrationId"]
    assert first["RegistrationStatus"] == "CREATED" and first["CurrentVersionNumber"] == 1
    assert first["RegistrationArn"].endswith(f":registration/{first['RegistrationId']}")
    second = created(sms, TOLL_FREE)
    everything = sms.describe_registrations()["Registrations"]
    assert [r["RegistrationId"] for r in everything] == [first["RegistrationId"], second]
    by_arn = sms.describe_registrations(RegistrationIds=[first["RegistrationArn"]])["Registrations"]
    assert by_arn[0]["RegistrationType"] == BRAND
    filtered = sms.describe_registrations(Filters=[{"Name": "registration-type", "Values": [TOLL_FREE]}])
    assert [r["RegistrationId"] for r in filtered["Registrations"]] == [second]
    paged = sms.describe_registrations(MaxResults=1)
    assert len(paged["Registrations"]) == 1 and paged["NextToken"]
    tags = sms.list_tags_for_resource(ResourceArn=first["RegistrationArn"])["Tags"]
    assert tags == [{"Key": "Name", "Value": "acme"}]

    gone = sms.delete_registration(RegistrationId=first["RegistrationId"])
    assert gone["RegistrationStatus"] == "DELETED"
    with pytest.raises(ClientError) as exc:
        sms.describe_registrations(RegistrationIds=[first["RegistrationId"]])
    assert error(exc)[0] == "ResourceNotFoundException"
    assert exc.value.response["ResourceType"] == "registration"
    with pytest.raises(ClientError) as exc:
        sms.create_registration(RegistrationType="XX_NO_SUCH_REGISTRATION")
    assert error(exc) == ("ValidationException", "UNKNOWN_REGISTRATION_TYPE")


def test_registrations_quota(emu: Emulator) -> None:
    sms = client(emu)
    emu.quotas.resource["REGISTRATIONS"] = 1
    created(sms, BRAND)
    with pytest.raises(ClientError) as exc:
        created(sms, BRAND)
    assert error(exc) == ("ServiceQuotaExceededException", "REGISTRATIONS_PER_ACCOUNT")


def test_submit_review_approve_update_and_archive(emu: Emulator) -> None:
    sms = client(emu)
    brand = created(sms, BRAND)
    fill(sms, brand, BRAND)
    submitted = sms.submit_registration_version(RegistrationId=brand)
    assert submitted["RegistrationVersionStatus"] == "SUBMITTED" and submitted["AwsReview"] is False
    assert "SubmittedTimestamp" in submitted["RegistrationVersionStatusHistory"]
    assert status(sms, brand) == "SUBMITTED"
    for call, reason in (
        (lambda: sms.submit_registration_version(RegistrationId=brand), "REGISTRATION_ALREADY_SUBMITTED"),
        (
            lambda: sms.put_registration_field_value(
                RegistrationId=brand, FieldPath="companyInfo.city", TextValue="Seattle"
            ),
            "EDIT_REGISTRATION_FIELD_VALUES_NOT_ALLOWED",
        ),
        (
            lambda: sms.delete_registration_field_value(RegistrationId=brand, FieldPath="companyInfo.city"),
            "EDIT_REGISTRATION_FIELD_VALUES_NOT_ALLOWED",
        ),
        (
            lambda: sms.create_registration_version(RegistrationId=brand),
            "CREATE_REGISTRATION_VERSION_NOT_ALLOWED",
        ),
        (lambda: sms.delete_registration(RegistrationId=brand), "RESOURCE_DELETION_NOT_ALLOWED"),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert error(exc) == ("ConflictException", reason)
        assert exc.value.response["ResourceType"] == "registration"

    review_registration(emu, REGION, brand, "REVIEWING")
    assert status(sms, brand) == "REVIEWING"
    with pytest.raises(ClientError) as exc:
        sms.discard_registration_version(RegistrationId=brand)
    assert error(exc) == ("ConflictException", "DISCARD_REGISTRATION_VERSION_NOT_ALLOWED")
    info = review_registration(emu, REGION, brand, "COMPLETE")
    assert info["RegistrationStatus"] == "COMPLETE" and info["ApprovedVersionNumber"] == 1

    update = sms.create_registration_version(RegistrationId=brand)
    assert update["VersionNumber"] == 2 and update["RegistrationVersionStatus"] == "DRAFT"
    assert status(sms, brand) == "COMPLETE"  # the approved version stays in force meanwhile
    copied = sms.describe_registration_field_values(RegistrationId=brand)["RegistrationFieldValues"]
    assert {v["FieldPath"] for v in copied} == set(example_values(BRAND))
    discarded = sms.discard_registration_version(RegistrationId=brand)
    assert discarded["RegistrationVersionStatus"] == "DISCARDED"
    assert status(sms, brand) == "COMPLETE"

    assert sms.create_registration_version(RegistrationId=brand)["VersionNumber"] == 3
    sms.put_registration_field_value(RegistrationId=brand, FieldPath="companyInfo.city", TextValue="Tacoma")
    sms.submit_registration_version(RegistrationId=brand)
    review_registration(emu, REGION, brand, "COMPLETE")
    described = sms.describe_registration_versions(RegistrationId=brand)["RegistrationVersions"]
    assert [(v["VersionNumber"], v["RegistrationVersionStatus"]) for v in described] == [
        (3, "APPROVED"),
        (2, "DISCARDED"),
        (1, "ARCHIVED"),
    ]
    assert "ArchivedTimestamp" in described[2]["RegistrationVersionStatusHistory"]
    approved = sms.describe_registration_versions(
        RegistrationId=brand, Filters=[{"Name": "registration-version-status", "Values": ["APPROVED"]}]
    )["RegistrationVersions"]
    assert [v["VersionNumber"] for v in approved] == [3]
    first = sms.describe_registration_versions(RegistrationId=brand, VersionNumbers=[1])
    assert first["RegistrationVersions"][0]["RegistrationVersionStatus"] == "ARCHIVED"
    old_city = sms.describe_registration_field_values(
        RegistrationId=brand, VersionNumber=1, FieldPaths=["companyInfo.city"]
    )["RegistrationFieldValues"]
    assert old_city[0]["TextValue"] != "Tacoma"
    with pytest.raises(ClientError) as exc:
        sms.describe_registration_versions(RegistrationId=brand, VersionNumbers=[9])
    assert error(exc) == ("ValidationException", "UNKNOWN_REGISTRATION_VERSION")
    with pytest.raises(ClientError) as exc:
        sms.describe_registration_field_values(RegistrationId=brand, VersionNumber=9)
    assert error(exc) == ("ValidationException", "UNKNOWN_REGISTRATION_VERSION")
    assert sms.delete_registration(RegistrationId=brand)["RegistrationStatus"] == "DELETED"


def test_requires_updates_and_resubmission(emu: Emulator) -> None:
    sms = client(emu)
    brand = created(sms, BRAND)
    fill(sms, brand, BRAND)
    aws_review = sms.submit_registration_version(RegistrationId=brand, AwsReview=True)
    assert aws_review["RegistrationVersionStatus"] == "AWS_REVIEWING" and aws_review["AwsReview"] is True
    review_registration(
        emu,
        REGION,
        brand,
        "REQUIRES_UPDATES",
        feedback="The website does not name the company.",
        denied_fields={"contactInfo.website": "Website not reachable"},
    )
    assert status(sms, brand) == "REQUIRES_UPDATES"
    reg = sms.describe_registrations(RegistrationIds=[brand])["Registrations"][0]
    assert reg["LatestDeniedVersionNumber"] == 1 and "ApprovedVersionNumber" not in reg
    denied = sms.describe_registration_versions(RegistrationId=brand)["RegistrationVersions"][0]
    assert denied["RegistrationVersionStatus"] == "DENIED"
    assert denied["Feedback"] == "The website does not name the company."
    assert denied["DeniedReasons"][0]["Reason"]
    flagged = sms.describe_registration_field_values(RegistrationId=brand, FieldPaths=["contactInfo.website"])
    assert flagged["RegistrationFieldValues"][0]["DeniedReason"] == "Website not reachable"

    with pytest.raises(ClientError) as exc:
        sms.submit_registration_version(RegistrationId=brand)
    assert error(exc) == ("ConflictException", "SUBMIT_REGISTRATION_VERSION_NOT_ALLOWED")
    sms.create_registration_version(RegistrationId=brand)
    fresh = sms.describe_registration_field_values(RegistrationId=brand, FieldPaths=["contactInfo.website"])
    assert "DeniedReason" not in fresh["RegistrationFieldValues"][0]
    assert status(sms, brand) == "REQUIRES_UPDATES"
    sms.put_registration_field_value(
        RegistrationId=brand, FieldPath="contactInfo.website", TextValue="https://acme.example.com"
    )
    sms.submit_registration_version(RegistrationId=brand)
    assert status(sms, brand) == "SUBMITTED"
    review_registration(emu, REGION, brand, "COMPLETE")
    assert status(sms, brand) == "COMPLETE"


def test_discard_a_submitted_first_version(emu: Emulator) -> None:
    sms = client(emu)
    brand = created(sms, BRAND)
    with pytest.raises(ClientError) as exc:
        sms.discard_registration_version(RegistrationId=brand)  # nothing to go back to
    assert error(exc) == ("ConflictException", "DISCARD_REGISTRATION_VERSION_NOT_ALLOWED")
    fill(sms, brand, BRAND)
    sms.submit_registration_version(RegistrationId=brand)
    sms.discard_registration_version(RegistrationId=brand)
    assert status(sms, brand) == "CREATED"
    with pytest.raises(ClientError) as exc:
        sms.put_registration_field_value(
            RegistrationId=brand, FieldPath="companyInfo.city", TextValue="Tacoma"
        )
    assert error(exc) == ("ConflictException", "EDIT_REGISTRATION_FIELD_VALUES_NOT_ALLOWED")
    assert sms.create_registration_version(RegistrationId=brand)["VersionNumber"] == 2
    sms.put_registration_field_value(RegistrationId=brand, FieldPath="companyInfo.city", TextValue="Tacoma")
    with pytest.raises(ValueError):
        review_registration(emu, REGION, brand, "COMPLETE")  # a draft is not waiting for review
    with pytest.raises(ValueError):
        review_registration(emu, REGION, brand, "APPROVED")


def test_field_values_are_checked_against_the_form(emu: Emulator) -> None:
    sms = client(emu)
    brand = created(sms, BRAND)
    put = sms.put_registration_field_value(
        RegistrationId=brand, FieldPath="companyInfo.legalType", SelectChoices=["PUBLIC_PROFIT"]
    )
    assert put["SelectChoices"] == ["PUBLIC_PROFIT"] and put["VersionNumber"] == 1
    cases: list[tuple[dict[str, Any], str]] = [
        ({"FieldPath": "companyInfo.city"}, "MISSING_PARAMETER"),
        (
            {"FieldPath": "companyInfo.city", "TextValue": "x", "SelectChoices": ["x"]},
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
        ),
        ({"FieldPath": "companyInfo.city", "SelectChoices": ["Seattle"]}, "FIELD_VALIDATION_FAILED"),
        ({"FieldPath": "companyInfo.zipCode", "TextValue": "1" * 11}, "FIELD_VALIDATION_FAILED"),
        ({"FieldPath": "companyInfo.isoCountryCode", "TextValue": "us"}, "FIELD_VALIDATION_FAILED"),
        ({"FieldPath": "contactInfo.vertical", "SelectChoices": ["PETS"]}, "FIELD_VALIDATION_FAILED"),
        (
            {"FieldPath": "contactInfo.vertical", "SelectChoices": ["RETAIL", "LEGAL"]},
            "FIELD_VALIDATION_FAILED",
        ),
        ({"FieldPath": "companyInfo.nope", "TextValue": "x"}, "UNKNOWN_REGISTRATION_FIELD"),
    ]
    for params, reason in cases:
        with pytest.raises(ClientError) as exc:
            sms.put_registration_field_value(RegistrationId=brand, **params)
        assert error(exc) == ("ValidationException", reason), params
    with pytest.raises(ClientError) as exc:
        sms.put_registration_field_value(
            RegistrationId=created(sms, TOLL_FREE),
            FieldPath="messagingUseCase.optInImage",
            RegistrationAttachmentId="attachment-missing",
        )
    assert error(exc)[0] == "ResourceNotFoundException"
    assert exc.value.response["ResourceType"] == "registration-attachment"

    fill(sms, brand, BRAND, **{"companyInfo.legalType": {"SelectChoices": ["PUBLIC_PROFIT"]}})
    with pytest.raises(ClientError) as exc:
        sms.submit_registration_version(RegistrationId=brand)
    assert error(exc) == ("ValidationException", "FIELD_VALIDATION_FAILED")
    missing = {f["Name"] for f in exc.value.response["Fields"]}
    assert missing == {
        "companyInfo.stockSymbol",
        "companyInfo.stockExchange",
        "companyInfo.businessContactEmail",
    }

    values = sms.describe_registration_field_values(RegistrationId=brand, SectionPath="contactInfo")
    assert {v["FieldPath"].split(".")[0] for v in values["RegistrationFieldValues"]} == {"contactInfo"}
    pages = sms.get_paginator("describe_registration_field_values").paginate(
        RegistrationId=brand, PaginationConfig={"PageSize": 4}
    )
    assert sum(len(p["RegistrationFieldValues"]) for p in pages) == len(example_values(BRAND))
    deleted = sms.delete_registration_field_value(RegistrationId=brand, FieldPath="companyInfo.city")
    assert deleted["TextValue"] and deleted["FieldPath"] == "companyInfo.city"
    with pytest.raises(ClientError) as exc:
        sms.delete_registration_field_value(RegistrationId=brand, FieldPath="companyInfo.city")
    assert error(exc) == ("ValidationException", "REGISTRATION_FIELD_CANNOT_BE_DELETED")
