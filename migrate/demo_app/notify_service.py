"""Reminders and announcements for two tenants, sent the way it was done before End User Messaging v2."""

from __future__ import annotations

from typing import Any

import boto3

ACME_CLINICS = "d7d825670b1595d0fb8e32e242109d52"  # the Pinpoint project of Acme Clinics
BLUEBIRD_RETAIL = "aebb5ab4b0cfa0f72bb1556109091398"
REGION = "us-east-1"

pinpoint = boto3.client("pinpoint", region_name=REGION)
voice = boto3.client("pinpoint-sms-voice", region_name=REGION)


def appointment_reminder(phone: str, text: str) -> str:
    """One SMS from the clinic's number; returns its delivery status."""
    response = pinpoint.send_messages(
        ApplicationId=ACME_CLINICS,
        MessageRequest={
            "Addresses": {phone: {"ChannelType": "SMS"}},
            "MessageConfiguration": {
                "SMSMessage": {
                    "Body": text,
                    "MessageType": "TRANSACTIONAL",
                    "OriginationNumber": "+12065550100",  # the clinic's 10DLC number
                }
            },
        },
    )
    return str(response["MessageResponse"]["Result"][phone]["DeliveryStatus"])


def sale_announcement(first: str, second: str, text: str) -> dict[str, Any]:
    """The same offer to two customers in one request; returns the status per number."""
    response = pinpoint.send_messages(
        ApplicationId=BLUEBIRD_RETAIL,
        MessageRequest={
            "Addresses": {
                first: {"ChannelType": "SMS"},
                second: {"ChannelType": "SMS", "BodyOverride": text + " (members: 10% more)"},
            },
            "MessageConfiguration": {
                "SMSMessage": {
                    "Body": text,
                    "MessageType": "PROMOTIONAL",
                    "OriginationNumber": "+18335550111",
                }
            },
        },
    )
    return {number: r["DeliveryStatus"] for number, r in response["MessageResponse"]["Result"].items()}


def reminder_call(phone: str, text: str) -> str:
    """A voice reminder read out by Joanna."""
    response = pinpoint.send_messages(
        ApplicationId=ACME_CLINICS,
        MessageRequest={
            "Addresses": {phone: {"ChannelType": "VOICE"}},
            "MessageConfiguration": {
                "VoiceMessage": {
                    "Body": text,
                    "VoiceId": "Joanna",
                    "LanguageCode": "en-US",
                    "OriginationNumber": "+12065550100",
                }
            },
        },
    )
    return str(response["MessageResponse"]["Result"][phone]["DeliveryStatus"])


def ivr_call(phone: str, ssml: str) -> str:
    """The IVR's outbound call through SMS and Voice v1; returns the MessageId."""
    response = voice.send_voice_message(
        DestinationPhoneNumber=phone,
        OriginationPhoneNumber="+12065550100",
        ConfigurationSetName="acme-voice-events",
        Content={"SSMLMessage": {"Text": ssml, "VoiceId": "Joanna", "LanguageCode": "en-US"}},
    )
    return str(response["MessageId"])
