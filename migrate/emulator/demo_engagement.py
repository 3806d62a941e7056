"""The demo world's engagement resources per tenant: segments, templates, campaigns, journeys."""

from __future__ import annotations

import json
from typing import Any

from migrate.emulator import demo_spec as spec

_SMS_BODY = "Hi {{User.UserAttributes.FirstName}}, {{Attributes.Message}} Reply STOP to opt out."
_VOICE_BODY = "<speak>Hello {{User.UserAttributes.FirstName}}. {{Attributes.Message}}</speak>"


def engagement(pinpoint: Any, app_id: str, tenant: spec.Tenant) -> None:
    segment_ids = [_segment(pinpoint, app_id, name) for name in tenant.segments]
    if (tenant.campaigns or tenant.journeys) and not segment_ids:
        segment_ids.append(_segment(pinpoint, app_id, "all-sms-users"))
    for name in tenant.sms_templates:
        pinpoint.create_sms_template(
            TemplateName=name,
            SMSTemplateRequest={
                "Body": _SMS_BODY,
                "DefaultSubstitutions": json.dumps({"Attributes": {"Message": "your update is ready."}}),
                "TemplateDescription": f"{tenant.name} SMS",
                "tags": {"tenant": tenant.tags.get("tenant", "")},
            },
        )
    for name in tenant.voice_templates:
        pinpoint.create_voice_template(
            TemplateName=name,
            VoiceTemplateRequest={"Body": _VOICE_BODY, "LanguageCode": "en-US", "VoiceId": "Joanna"},
        )
    for name in tenant.email_templates:
        pinpoint.create_email_template(
            TemplateName=name,
            EmailTemplateRequest={
                "Subject": "News from {{Attributes.Brand}}",
                "HtmlPart": "<p>Hello {{User.UserAttributes.FirstName}}</p>",
                "TextPart": "Hello {{User.UserAttributes.FirstName}}",
            },
        )
    origination = tenant.numbers[-1] if tenant.numbers else tenant.short_code
    for name in tenant.campaigns:
        sms: dict[str, Any] = {"Body": _SMS_BODY, "MessageType": "TRANSACTIONAL"}
        if origination:
            sms["OriginationNumber"] = origination
        if tenant.sender_id:
            sms["SenderId"] = tenant.sender_id
        request: dict[str, Any] = {
            "Name": name,
            "SegmentId": segment_ids[0],
            "SegmentVersion": 1,
            "Schedule": {"StartTime": "2026-06-02T09:00:00Z", "Frequency": "WEEKLY", "Timezone": "UTC"},
            "MessageConfiguration": {"SMSMessage": sms},
            "tags": {"tenant": tenant.tags.get("tenant", "")},
        }
        if tenant.sms_templates:
            request["TemplateConfiguration"] = {"SMSTemplate": {"Name": tenant.sms_templates[0]}}
        pinpoint.create_campaign(ApplicationId=app_id, WriteCampaignRequest=request)
    for name in tenant.journeys:
        message_config: dict[str, Any] = {"MessageType": "TRANSACTIONAL"}
        if origination:
            message_config["OriginationNumber"] = origination
        activity: dict[str, Any] = {"SMS": {"MessageConfig": message_config, "NextActivity": "wait"}}
        if tenant.sms_templates:
            activity["SMS"]["TemplateName"] = tenant.sms_templates[0]
        pinpoint.create_journey(
            ApplicationId=app_id,
            WriteJourneyRequest={
                "Name": name,
                "StartActivity": "send-sms",
                "StartCondition": {"SegmentStartCondition": {"SegmentId": segment_ids[0]}},
                "Activities": {
                    "send-sms": activity,
                    "wait": {"Wait": {"WaitTime": {"WaitFor": "P1D"}}},
                },
                "State": "ACTIVE",
            },
        )


def _segment(pinpoint: Any, app_id: str, name: str) -> str:
    created = pinpoint.create_segment(
        ApplicationId=app_id,
        WriteSegmentRequest={
            "Name": name,
            "Dimensions": {
                "Demographic": {"Channel": {"DimensionType": "INCLUSIVE", "Values": ["SMS"]}},
            },
        },
    )
    return str(created["SegmentResponse"]["Id"])
