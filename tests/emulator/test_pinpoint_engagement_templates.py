"""Pinpoint message templates in the emulator: every type, versions, the active version, listing."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from migrate.emulator import Emulator

SMS_BODY = "Hi {{User.UserAttributes.FirstName}}, your code is {{Attributes.Code}}. {{Attributes.Missing}}"
SUBSTITUTIONS = json.dumps({"Attributes": {"Code": "000000"}})


@pytest.fixture
def pinpoint(emu: Emulator) -> Any:
    return boto3.client("pinpoint", region_name="us-east-1")


def test_sms_template_versions_and_active_version(pinpoint: Any) -> None:
    created = pinpoint.create_sms_template(
        TemplateName="otp",
        SMSTemplateRequest={
            "Body": SMS_BODY,
            "DefaultSubstitutions": SUBSTITUTIONS,
            "TemplateDescription": "one-time code",
            "tags": {"tenant": "a"},
        },
    )["CreateTemplateMessageBody"]
    assert created["Arn"] == "arn:aws:mobiletargeting:us-east-1:123456789012:templates/otp/SMS"
    assert created["Message"] == "Created"

    got = pinpoint.get_sms_template(TemplateName="otp")["SMSTemplateResponse"]
    assert got["Body"] == SMS_BODY  # placeholders kept verbatim
    assert got["Version"] == "1" and got["TemplateType"] == "SMS" and got["tags"] == {"tenant": "a"}
    assert got["DefaultSubstitutions"] == SUBSTITUTIONS

    # Without create-new-version an update overwrites the latest version.
    pinpoint.update_sms_template(TemplateName="otp", SMSTemplateRequest={"TemplateDescription": "codes"})
    again = pinpoint.get_sms_template(TemplateName="otp")["SMSTemplateResponse"]
    assert again["Version"] == "1" and again["TemplateDescription"] == "codes" and again["Body"] == SMS_BODY

    new_body = "Code {{Attributes.Code}} for {{User.UserAttributes.FirstName}}"
    answer = pinpoint.update_sms_template(
        TemplateName="otp", CreateNewVersion=True, Version="1", SMSTemplateRequest={"Body": new_body}
    )
    assert answer["MessageBody"]["Message"] == "Accepted"
    # The active version is still 1 until it is changed; version 2 is readable by its id.
    assert pinpoint.get_sms_template(TemplateName="otp")["SMSTemplateResponse"]["Body"] == SMS_BODY
    v2 = pinpoint.get_sms_template(TemplateName="otp", Version="2")["SMSTemplateResponse"]
    assert v2["Body"] == new_body and v2["TemplateDescription"] == "codes"
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.update_sms_template(TemplateName="otp", Version="1", SMSTemplateRequest={"Body": "stale"})

    listed = pinpoint.list_template_versions(TemplateName="otp", TemplateType="SMS")[
        "TemplateVersionsResponse"
    ]
    assert [v["Version"] for v in listed["Item"]] == ["1", "2"]
    assert all(v["TemplateType"] == "SMS" for v in listed["Item"])
    paged = pinpoint.list_template_versions(TemplateName="otp", TemplateType="sms", PageSize="1")
    rest = pinpoint.list_template_versions(
        TemplateName="otp", TemplateType="SMS", NextToken=paged["TemplateVersionsResponse"]["NextToken"]
    )
    assert [v["Version"] for v in rest["TemplateVersionsResponse"]["Item"]] == ["2"]

    pinpoint.update_template_active_version(
        TemplateName="otp", TemplateType="SMS", TemplateActiveVersionRequest={"Version": "latest"}
    )
    assert pinpoint.get_sms_template(TemplateName="otp")["SMSTemplateResponse"]["Version"] == "2"
    with pytest.raises(pinpoint.exceptions.BadRequestException):  # the active version stays
        pinpoint.delete_sms_template(TemplateName="otp", Version="2")
    pinpoint.delete_sms_template(TemplateName="otp", Version="1")
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.get_sms_template(TemplateName="otp", Version="1")
    pinpoint.update_template_active_version(
        TemplateName="otp", TemplateType="SMS", TemplateActiveVersionRequest={"Version": "2"}
    )
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.update_template_active_version(
            TemplateName="otp", TemplateType="SMS", TemplateActiveVersionRequest={"Version": "1"}
        )
    # Version ids are never reused.
    pinpoint.update_sms_template(TemplateName="otp", CreateNewVersion=True, SMSTemplateRequest={"Body": "v3"})
    assert pinpoint.get_sms_template(TemplateName="otp", Version="3")["SMSTemplateResponse"]["Body"] == "v3"
    deleted = pinpoint.delete_sms_template(TemplateName="otp")
    assert deleted["MessageBody"]["Message"] == "Accepted"
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.get_sms_template(TemplateName="otp")
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.list_template_versions(TemplateName="otp", TemplateType="SMS")


def test_template_errors(pinpoint: Any) -> None:
    pinpoint.create_sms_template(TemplateName="welcome", SMSTemplateRequest={"Body": "Hi"})
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.create_sms_template(TemplateName="welcome", SMSTemplateRequest={"Body": "Hi"})
    # The same name as another type is another template.
    pinpoint.create_voice_template(TemplateName="welcome", VoiceTemplateRequest={"Body": "Hi"})
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.create_sms_template(TemplateName="-bad name", SMSTemplateRequest={"Body": "Hi"})
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.create_sms_template(
            TemplateName="subs", SMSTemplateRequest={"Body": "Hi", "DefaultSubstitutions": "not json"}
        )
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.update_email_template(TemplateName="welcome", EmailTemplateRequest={"Subject": "x"})
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.delete_push_template(TemplateName="welcome")
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.list_template_versions(TemplateName="welcome", TemplateType="FAX")
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.update_template_active_version(
            TemplateName="welcome", TemplateType="SMS", TemplateActiveVersionRequest={}
        )


def test_every_template_type_round_trips(pinpoint: Any) -> None:
    voice = {
        "Body": "<speak>Hi {{User.UserAttributes.FirstName}}</speak>",
        "LanguageCode": "en-US",
        "VoiceId": "Joanna",
    }
    email = {
        "Subject": "News from {{Attributes.Brand}}",
        "HtmlPart": "<p>Hello {{User.UserAttributes.FirstName}}</p>",
        "TextPart": "Hello {{User.UserAttributes.FirstName}}",
        "Headers": [{"Name": "X-Tenant", "Value": "a"}],
        "DefaultSubstitutions": SUBSTITUTIONS,
    }
    push = {
        "Default": {"Title": "Hi", "Body": "{{Attributes.Message}}", "Action": "OPEN_APP"},
        "APNS": {"Body": "apns", "Sound": "default"},
        "GCM": {"Body": "gcm", "SmallImageIconUrl": "https://example.com/i.png"},
    }
    in_app = {
        "Layout": "TOP_BANNER",
        "Content": [
            {
                "BodyConfig": {"Alignment": "LEFT", "Body": "{{Attributes.Offer}}", "TextColor": "#000000"},
                "PrimaryBtn": {"DefaultConfig": {"ButtonAction": "CLOSE", "Text": "OK"}},
            }
        ],
        "CustomConfig": {"k": "v"},
    }
    arns = [
        pinpoint.create_voice_template(TemplateName="t-voice", VoiceTemplateRequest=voice)[
            "CreateTemplateMessageBody"
        ],
        pinpoint.create_email_template(TemplateName="t-email", EmailTemplateRequest=email)[
            "CreateTemplateMessageBody"
        ],
        pinpoint.create_push_template(TemplateName="t-push", PushNotificationTemplateRequest=push)[
            "CreateTemplateMessageBody"
        ],
        pinpoint.create_in_app_template(TemplateName="t-inapp", InAppTemplateRequest=in_app)[
            "TemplateCreateMessageBody"
        ],
    ]
    assert [a["Arn"].rsplit(":", 1)[1] for a in arns] == [
        "templates/t-voice/VOICE",
        "templates/t-email/EMAIL",
        "templates/t-push/PUSH",
        "templates/t-inapp/INAPP",
    ]
    got_voice = pinpoint.get_voice_template(TemplateName="t-voice")["VoiceTemplateResponse"]
    assert {k: got_voice[k] for k in voice} == voice
    got_email = pinpoint.get_email_template(TemplateName="t-email")["EmailTemplateResponse"]
    assert {k: got_email[k] for k in email} == email
    got_push = pinpoint.get_push_template(TemplateName="t-push")["PushNotificationTemplateResponse"]
    assert {k: got_push[k] for k in push} == push and got_push["TemplateType"] == "PUSH"
    got_in_app = pinpoint.get_in_app_template(TemplateName="t-inapp")["InAppTemplateResponse"]
    assert {k: got_in_app[k] for k in in_app} == in_app

    pinpoint.update_voice_template(
        TemplateName="t-voice", CreateNewVersion=True, VoiceTemplateRequest={"VoiceId": "Matthew"}
    )
    pinpoint.update_email_template(TemplateName="t-email", EmailTemplateRequest={"Subject": "Hi"})
    pinpoint.update_push_template(
        TemplateName="t-push", PushNotificationTemplateRequest={"Default": {"Body": "x"}}
    )
    pinpoint.update_in_app_template(TemplateName="t-inapp", InAppTemplateRequest={"Layout": "CAROUSEL"})
    assert (
        pinpoint.get_voice_template(TemplateName="t-voice", Version="2")["VoiceTemplateResponse"]["VoiceId"]
        == "Matthew"
    )
    assert (
        pinpoint.get_in_app_template(TemplateName="t-inapp")["InAppTemplateResponse"]["Layout"] == "CAROUSEL"
    )
    for delete in (
        pinpoint.delete_voice_template,
        pinpoint.delete_email_template,
        pinpoint.delete_push_template,
        pinpoint.delete_in_app_template,
    ):
        name = {
            pinpoint.delete_voice_template: "t-voice",
            pinpoint.delete_email_template: "t-email",
            pinpoint.delete_push_template: "t-push",
            pinpoint.delete_in_app_template: "t-inapp",
        }[delete]
        delete(TemplateName=name)
    assert pinpoint.list_templates()["TemplatesResponse"]["Item"] == []


def test_list_templates_filters_and_pages(pinpoint: Any) -> None:
    for n in range(3):
        pinpoint.create_sms_template(
            TemplateName=f"acme-{n}", SMSTemplateRequest={"Body": f"b{n}", "tags": {"n": str(n)}}
        )
    pinpoint.create_email_template(TemplateName="acme-mail", EmailTemplateRequest={"Subject": "s"})
    pinpoint.create_sms_template(TemplateName="other", SMSTemplateRequest={"Body": "o"})
    everything = pinpoint.list_templates()["TemplatesResponse"]["Item"]
    assert len(everything) == 5
    sms_acme = pinpoint.list_templates(Prefix="acme", TemplateType="SMS")["TemplatesResponse"]["Item"]
    assert [t["TemplateName"] for t in sms_acme] == ["acme-0", "acme-1", "acme-2"]
    assert sms_acme[1]["tags"] == {"n": "1"} and sms_acme[1]["Version"] == "1"
    assert "Body" not in sms_acme[0]  # the list shows summaries, not content
    first = pinpoint.list_templates(PageSize="2")["TemplatesResponse"]
    second = pinpoint.list_templates(PageSize="2", NextToken=first["NextToken"])["TemplatesResponse"]
    third = pinpoint.list_templates(PageSize="2", NextToken=second["NextToken"])["TemplatesResponse"]
    assert len(first["Item"]) == len(second["Item"]) == 2 and len(third["Item"]) == 1
    assert "NextToken" not in third
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.list_templates(TemplateType="FAX")
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.list_templates(PageSize="many")
