"""v2 registration attachments and associations: toll-free, 10DLC brand/campaign/number, India sender ID."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from migrate.emulator import Emulator
from migrate.emulator.services.v2.provision import provision_phone_number
from migrate.emulator.services.v2.registrations import review_registration
from tests.emulator.test_v2_registrations import (
    BRAND,
    CAMPAIGN,
    INDIA,
    PNG,
    REGION,
    TOLL_FREE,
    client,
    complete_brand,
    created,
    error,
    fill,
    status,
)


def number(emu: Emulator, phone: str, number_type: str, country: str = "US", state: str = "ACTIVE") -> str:
    record = provision_phone_number(
        emu,
        region=REGION,
        phone_number=phone,
        number_type=number_type,
        message_type="TRANSACTIONAL",
        capabilities=["SMS", "VOICE"],
        iso_country_code=country,
        status=state,
    )
    return str(record["PhoneNumberId"])


def opt_in_image(sms: Any) -> dict[str, Any]:
    attachment = sms.create_registration_attachment(AttachmentBody=PNG)["RegistrationAttachmentId"]
    return {"messagingUseCase.optInImage": {"RegistrationAttachmentId": attachment}}


# -- attachments ----------------------------------------------------------------------------------------
def test_attachments(emu: Emulator) -> None:
    sms = client(emu)
    made = sms.create_registration_attachment(
        AttachmentBody=PNG, Tags=[{"Key": "k", "Value": "v"}], ClientToken="loa-1"
    )
    assert made["AttachmentStatus"] == "UPLOAD_COMPLETE"
    replayed = sms.create_registration_attachment(AttachmentBody=PNG, ClientToken="loa-1")
    assert replayed["RegistrationAttachmentId"] == made["RegistrationAttachmentId"]
    by_url = sms.create_registration_attachment(AttachmentUrl="s3://acme-docs/loa.pdf")
    listed = sms.describe_registration_attachments(
        RegistrationAttachmentIds=[by_url["RegistrationAttachmentId"]]
    )
    assert listed["RegistrationAttachments"][0]["AttachmentUrl"] == "s3://acme-docs/loa.pdf"
    complete = sms.describe_registration_attachments(
        Filters=[{"Name": "attachment-status", "Values": ["UPLOAD_COMPLETE"]}], MaxResults=1
    )
    assert len(complete["RegistrationAttachments"]) == 1 and complete["NextToken"]
    for params, reason in (
        ({"AttachmentBody": PNG, "AttachmentUrl": "s3://b/x.png"}, "PARAMETERS_CANNOT_BE_USED_TOGETHER"),
        ({}, "MISSING_PARAMETER"),
        ({"AttachmentBody": b"\x89PNG" + b"\0" * (500 * 1024)}, "MAXIMUM_SIZE_EXCEEDED"),
        ({"AttachmentBody": b"GIF89a..."}, "ATTACHMENT_TYPE_NOT_SUPPORTED"),
        ({"AttachmentUrl": "https://example.com/loa.pdf"}, "INVALID_PARAMETER"),
        ({"AttachmentUrl": "s3://acme-docs/loa.txt"}, "ATTACHMENT_TYPE_NOT_SUPPORTED"),
    ):
        with pytest.raises(ClientError) as exc:
            sms.create_registration_attachment(**params)
        assert error(exc) == ("ValidationException", reason)

    registration = created(sms, TOLL_FREE)
    sms.put_registration_field_value(
        RegistrationId=registration,
        FieldPath="messagingUseCase.optInImage",
        RegistrationAttachmentId=made["RegistrationAttachmentArn"],
    )
    with pytest.raises(ClientError) as exc:
        sms.delete_registration_attachment(RegistrationAttachmentId=made["RegistrationAttachmentId"])
    assert error(exc) == ("ConflictException", "RESOURCE_DELETION_NOT_ALLOWED")
    gone = sms.delete_registration_attachment(RegistrationAttachmentId=by_url["RegistrationAttachmentId"])
    assert gone["AttachmentStatus"] == "DELETED"
    with pytest.raises(ClientError) as exc:
        sms.describe_registration_attachments(RegistrationAttachmentIds=[by_url["RegistrationAttachmentId"]])
    assert error(exc)[0] == "ResourceNotFoundException"

    emu.quotas.resource["REGISTRATION_ATTACHMENTS"] = 2
    sms.create_registration_attachment(AttachmentBody=PNG)
    with pytest.raises(ClientError) as exc:
        sms.create_registration_attachment(AttachmentBody=PNG)
    assert error(exc) == ("ServiceQuotaExceededException", "REGISTRATION_ATTACHMENTS_PER_ACCOUNT")


# -- associations ---------------------------------------------------------------------------------------
def test_toll_free_registration_with_its_number(emu: Emulator) -> None:
    sms = client(emu)
    tfn = sms.request_phone_number(
        IsoCountryCode="US", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"], NumberType="TOLL_FREE"
    )
    assert tfn["Status"] == "PENDING"  # a US toll-free number cannot send until it is verified
    other_tfn = number(emu, "+18885550111", "TOLL_FREE", state="PENDING")
    canadian = number(emu, "+18445550122", "TOLL_FREE", country="CA")
    ten_dlc = number(emu, "+12065550133", "TEN_DLC")
    registration = created(sms, TOLL_FREE)
    fill(sms, registration, TOLL_FREE, **opt_in_image(sms))
    with pytest.raises(ClientError) as exc:
        sms.submit_registration_version(RegistrationId=registration)
    assert error(exc) == ("ConflictException", "SUBMIT_REGISTRATION_VERSION_NOT_ALLOWED")

    linked = sms.create_registration_association(
        RegistrationId=registration, ResourceId=tfn["PhoneNumberArn"]
    )
    assert linked["ResourceType"] == "phone-number" and linked["PhoneNumber"] == tfn["PhoneNumber"]
    assert linked["IsoCountryCode"] == "US"
    for resource, code, reason in (
        (ten_dlc, "ValidationException", "INVALID_REGISTRATION_ASSOCIATION"),
        (tfn["PhoneNumberId"], "ConflictException", "RESOURCE_ALREADY_ASSOCIATED"),
        (other_tfn, "ConflictException", "RESOURCE_ALREADY_ASSOCIATED"),
        (canadian, "ConflictException", "PHONE_NUMBER_NOT_IN_REGISTRATION_REGION"),
    ):
        with pytest.raises(ClientError) as exc:
            sms.create_registration_association(RegistrationId=registration, ResourceId=resource)
        assert error(exc) == (code, reason), resource
    listed = sms.list_registration_associations(RegistrationId=registration)
    assert [a["ResourceId"] for a in listed["RegistrationAssociations"]] == [tfn["PhoneNumberId"]]
    assert listed["RegistrationType"] == TOLL_FREE
    none = sms.list_registration_associations(
        RegistrationId=registration, Filters=[{"Name": "resource-type", "Values": ["sender-id"]}]
    )
    assert none["RegistrationAssociations"] == []
    described = sms.describe_phone_numbers(PhoneNumberIds=[tfn["PhoneNumberId"]])["PhoneNumbers"][0]
    assert described["RegistrationId"] == registration

    sms.submit_registration_version(RegistrationId=registration)
    with pytest.raises(ClientError) as exc:
        sms.create_registration_association(RegistrationId=registration, ResourceId=other_tfn)
    assert error(exc) == ("ConflictException", "REGISTRATION_ALREADY_SUBMITTED")
    review_registration(emu, REGION, registration, "COMPLETE")
    described = sms.describe_phone_numbers(PhoneNumberIds=[tfn["PhoneNumberId"]])["PhoneNumbers"][0]
    assert described["Status"] == "ACTIVE"

    with pytest.raises(ClientError) as exc:
        sms.delete_registration(RegistrationId=registration)
    assert error(exc) == ("ConflictException", "PHONE_NUMBER_ASSOCIATED_TO_REGISTRATION")
    assert exc.value.response["ResourceId"] == tfn["PhoneNumberId"]
    sms.release_phone_number(PhoneNumberId=tfn["PhoneNumberId"])
    assert status(sms, registration) == "CLOSED"
    with pytest.raises(ClientError) as exc:
        sms.create_registration_version(RegistrationId=registration)
    assert error(exc) == ("ConflictException", "CREATE_REGISTRATION_VERSION_NOT_ALLOWED")
    assert sms.delete_registration(RegistrationId=registration)["RegistrationStatus"] == "DELETED"


def test_ten_dlc_campaign_needs_a_complete_brand_and_takes_numbers_after_approval(emu: Emulator) -> None:
    sms = client(emu)
    draft_brand = created(sms, BRAND)
    campaign = created(sms, CAMPAIGN)
    with pytest.raises(ClientError) as exc:
        sms.create_registration_association(RegistrationId=campaign, ResourceId=draft_brand)
    assert error(exc) == ("ConflictException", "REGISTRATION_NOT_COMPLETE")
    assert exc.value.response["ResourceId"] == draft_brand
    brand = complete_brand(emu, sms)
    brand_arn = sms.describe_registrations(RegistrationIds=[brand])["Registrations"][0]["RegistrationArn"]
    linked = sms.create_registration_association(RegistrationId=campaign, ResourceId=brand_arn)
    assert linked["ResourceType"] == "registration" and linked["ResourceId"] == brand
    other_brand = complete_brand(emu, sms)
    with pytest.raises(ClientError) as exc:
        sms.create_registration_association(RegistrationId=campaign, ResourceId=other_brand)
    assert error(exc) == ("ConflictException", "RESOURCE_ALREADY_ASSOCIATED")
    ten_dlc = number(emu, "+12065550144", "TEN_DLC", state="PENDING")
    with pytest.raises(ClientError) as exc:
        sms.create_registration_association(RegistrationId=campaign, ResourceId=ten_dlc)
    assert error(exc) == ("ConflictException", "REGISTRATION_NOT_COMPLETE")

    fill(sms, campaign, CAMPAIGN)
    sms.submit_registration_version(RegistrationId=campaign)
    review_registration(emu, REGION, campaign, "COMPLETE")
    sms.create_registration_association(RegistrationId=campaign, ResourceId=ten_dlc)
    bought = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TEN_DLC",
        RegistrationId=campaign,
    )
    assert bought["Status"] == "ACTIVE"
    rows = sms.list_registration_associations(RegistrationId=campaign)["RegistrationAssociations"]
    assert {r["ResourceId"] for r in rows} == {brand, ten_dlc, bought["PhoneNumberId"]}
    numbers_only = sms.list_registration_associations(
        RegistrationId=campaign, Filters=[{"Name": "resource-type", "Values": ["phone-number"]}], MaxResults=1
    )
    assert len(numbers_only["RegistrationAssociations"]) == 1 and numbers_only["NextToken"]
    # the brand's other campaigns are not affected: a brand serves many campaigns
    second_campaign = created(sms, CAMPAIGN)
    sms.create_registration_association(RegistrationId=second_campaign, ResourceId=brand)


def test_india_sender_id_is_registered_on_approval(emu: Emulator) -> None:
    sms = client(emu, "ap-south-1")
    requested = sms.request_sender_id(SenderId="ACMEIN", IsoCountryCode="IN", MessageTypes=["TRANSACTIONAL"])
    assert requested["Registered"] is False
    registration = sms.create_registration(RegistrationType=INDIA)["RegistrationId"]
    with pytest.raises(ClientError) as exc:
        sms.create_registration_association(RegistrationId=registration, ResourceId=requested["SenderIdArn"])
    assert error(exc) == ("ValidationException", "INVALID_REGISTRATION_ASSOCIATION")
    fill(sms, registration, INDIA, **{"senderIdInfo.senderId": {"TextValue": "ACMEIN"}})
    sms.submit_registration_version(RegistrationId=registration)
    review_registration(emu, "ap-south-1", registration, "COMPLETE")
    sender = sms.describe_sender_ids(SenderIds=[{"SenderId": "ACMEIN", "IsoCountryCode": "IN"}])["SenderIds"][
        0
    ]
    assert sender["Registered"] is True and sender["RegistrationId"] == registration
    rows = sms.list_registration_associations(
        RegistrationId=registration, Filters=[{"Name": "iso-country-code", "Values": ["IN"]}]
    )["RegistrationAssociations"]
    assert [(r["ResourceType"], r["ResourceId"]) for r in rows] == [("sender-id", "ACMEIN")]

    # a sender ID not requested beforehand is provisioned by the approval
    other = sms.create_registration(RegistrationType=INDIA)["RegistrationId"]
    fill(sms, other, INDIA, **{"senderIdInfo.senderId": {"TextValue": "ACMEOT"}})
    sms.submit_registration_version(RegistrationId=other)
    review_registration(emu, "ap-south-1", other, "COMPLETE")
    made = sms.describe_sender_ids(SenderIds=[{"SenderId": "ACMEOT", "IsoCountryCode": "IN"}])["SenderIds"][0]
    assert made["Registered"] is True
    with pytest.raises(ClientError) as exc:
        sms.delete_registration(RegistrationId=other)
    assert error(exc) == ("ConflictException", "RESOURCE_DELETION_NOT_ALLOWED")
    sms.release_sender_id(SenderId="ACMEOT", IsoCountryCode="IN")
    assert status(sms, other) == "CLOSED"
