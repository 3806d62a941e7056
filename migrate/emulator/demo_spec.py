"""The demo world, as data: an ISV ("Relay Cloud") with one Pinpoint project per tenant over two regions.

Every part of the product has something to show here: 10DLC, toll-free and short-code numbers, sender IDs
(one in India, where sender IDs must be registered), a number two tenants use, event streams to Firehose and
to a Kinesis Data Stream, a role that trusts only `pinpoint.amazonaws.com`, thousands of endpoints with SMS
opt-outs and a few invalid numbers, v1 configuration sets with voice event destinations (one with more than v2
allows), campaigns, journeys, segments, SMS and voice templates, quiet time and limits, the account in the
SMS sandbox in eu-west-1, and one 10DLC registration that needs updates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACCOUNT = "111122223333"
REGIONS = ("us-east-1", "eu-west-1")
SANDBOX_REGIONS = ("eu-west-1",)
EXPORT_BUCKET = "relay-pinpoint-exports"
BUILD_EPOCH = 1780272000.0  # 2026-06-01T00:00:00Z: the demo world's resources were made "then"
SENDS_EPOCH = 1792497600.0  # 2026-10-20T12:00:00Z: the last sends through the old APIs, before end of support
DEMO_NOW = "2026-11-20T12:00:00Z"  # the time the demo command pins, so its outputs are reproducible
# `demo --before-end-of-support`: the same account two days before Pinpoint's end of support (2026-10-30)
DEMO_BEFORE_NOW = "2026-10-28T12:00:00Z"
# The endpoint exports every project made before the deadline, still in S3 (see demo_sources.py)
PRE_DEADLINE_EXPORT_EPOCH = 1792054800.0  # 2026-10-15T09:00:00Z
PRE_DEADLINE_EXPORT_PREFIX = "exports/2026-10-15/"
# How many SNS opted-out numbers (ListPhoneNumbersOptedOut) the account has per region
SNS_OPTED_OUT = {"us-east-1": 12, "eu-west-1": 4}
REQUEST_QUOTA_SCALE = 50.0  # the demo runs in seconds, not the hours AWS's 1 rps quotas would take


@dataclass(frozen=True)
class Number:
    phone_number: str
    number_type: str  # TEN_DLC | TOLL_FREE | SHORT_CODE | LONG_CODE
    message_type: str
    country: str
    capabilities: tuple[str, ...] = ("SMS",)
    status: str = "ACTIVE"


@dataclass(frozen=True)
class Tenant:
    name: str
    region: str
    numbers: tuple[str, ...] = ()  # phone numbers the SMS channel / campaigns use
    sender_id: str | None = None
    sender_country: str | None = None
    short_code: str | None = None
    voice: bool = False
    email: bool = False
    push: bool = False
    sms: bool = True
    event_stream: str | None = None  # "firehose:<name>:<role>" or "kinesis:<name>:<role>"
    endpoints: int = 0
    country: str = "US"
    area_codes: tuple[str, ...] = ("206", "425", "312", "415", "503", "617", "702", "808", "917", "212")
    quiet_time: bool = False
    limits: bool = False
    campaign_hook: bool = False
    campaigns: tuple[str, ...] = ()
    journeys: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    sms_templates: tuple[str, ...] = ()
    voice_templates: tuple[str, ...] = ()
    email_templates: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)


NUMBERS = {
    "us-east-1": (
        Number("+12065550100", "TEN_DLC", "TRANSACTIONAL", "US", ("SMS", "VOICE")),
        Number("+18335550111", "TOLL_FREE", "PROMOTIONAL", "US"),
        Number("22233", "SHORT_CODE", "TRANSACTIONAL", "US"),
        Number("+13125550142", "TEN_DLC", "TRANSACTIONAL", "US", ("SMS", "VOICE")),
    ),
    "eu-west-1": (Number("+447911123456", "LONG_CODE", "TRANSACTIONAL", "GB", ("SMS", "VOICE")),),
}

TENANTS = (
    Tenant(
        "Acme Clinics",
        "us-east-1",
        numbers=("+12065550100",),
        voice=True,
        event_stream="firehose:acme-events:pinpoint-events-acme",
        endpoints=2000,
        quiet_time=True,
        limits=True,
        campaigns=("appointment-reminders",),
        journeys=("new-patient-onboarding",),
        segments=("active-patients",),
        sms_templates=("acme-reminder",),
        voice_templates=("acme-reminder-call",),
        tags={"tenant": "acme", "tier": "gold"},
    ),
    Tenant(
        "Bluebird Retail",
        "us-east-1",
        numbers=("+18335550111",),
        email=True,
        event_stream="kinesis:bluebird-events:pinpoint-events-shared",
        endpoints=1500,
        campaign_hook=True,
        campaigns=("spring-sale", "cart-reminder"),
        segments=("loyalty-members",),
        sms_templates=("bluebird-promo",),
        email_templates=("bluebird-newsletter",),
        tags={"tenant": "bluebird"},
    ),
    Tenant(
        "Cobalt Bank",
        "us-east-1",
        short_code="22233",
        event_stream="firehose:cobalt-events:pinpoint-events-shared",
        endpoints=1200,
        limits=True,
        journeys=("fraud-alerts",),
        sms_templates=("cobalt-otp",),
        tags={"tenant": "cobalt"},
    ),
    Tenant(
        # Its campaign still sends from Acme's number: a number two tenants use.
        "Delta Logistics",
        "us-east-1",
        numbers=("+13125550142", "+12065550100"),
        voice=True,
        endpoints=1000,
        quiet_time=True,
        campaigns=("delivery-updates",),
        voice_templates=("delta-delivery-call",),
        tags={"tenant": "delta"},
    ),
    Tenant(
        "Everest Travel",
        "eu-west-1",
        numbers=("+447911123456",),
        sender_id="EVEREST",
        sender_country="GB",
        email=True,
        event_stream="firehose:everest-events:pinpoint-events-shared",
        endpoints=1500,
        country="GB",
        campaigns=("trip-reminders",),
        segments=("upcoming-travellers",),
        sms_templates=("everest-itinerary",),
        tags={"tenant": "everest"},
    ),
    Tenant(
        "Fjord Energy",
        "eu-west-1",
        sender_id="FJORDEN",
        sender_country="IN",
        push=True,
        endpoints=1000,
        country="IN",
        campaigns=("outage-alerts",),
        sms_templates=("fjord-outage",),
        tags={"tenant": "fjord"},
    ),
    Tenant(
        # Email and push only: a Pinpoint project, but not an SMS/voice tenant.
        "Gamma Marketing",
        "us-east-1",
        sms=False,
        email=True,
        push=True,
        endpoints=300,
        email_templates=("gamma-welcome",),
        tags={"tenant": "gamma"},
    ),
)

# v1 (pinpoint-sms-voice) configuration sets: name -> [(destination name, kind, event types)]
V1Destination = tuple[str, str, tuple[str, ...]]
V1_CONFIGURATION_SETS: dict[str, dict[str, list[V1Destination]]] = {
    "us-east-1": {
        "acme-voice-events": [
            ("voice-to-firehose", "firehose", ("INITIATED_CALL", "ANSWERED", "COMPLETED_CALL")),
            ("voice-failures", "sns", ("FAILED", "BUSY", "NO_ANSWER")),
        ],
        "legacy-ivr": [
            (f"ivr-dest-{i}", "firehose" if i % 2 else "cloudwatch", ("INITIATED_CALL", "COMPLETED_CALL"))
            for i in range(1, 7)
        ],
    },
}

# Numbers already on each region's account-wide `Default` opt-out list.
DEFAULT_LIST_OPT_OUTS = {"us-east-1": 40, "eu-west-1": 10}

# An incomplete 10DLC campaign registration for Delta's number.
INCOMPLETE_REGISTRATION = ("us-east-1", "US_TEN_DLC_CAMPAIGN_REGISTRATION", "+13125550142")

ROLES = {
    "pinpoint-events-acme": ("pinpoint.amazonaws.com",),
    "pinpoint-events-shared": ("pinpoint.amazonaws.com", "sms-voice.amazonaws.com"),
    "pinpoint-export": ("pinpoint.amazonaws.com",),
}

# Callers of the old send APIs that CloudTrail shows: (access key, principal ARN, user agent, tenant, count).
OLD_API_CALLERS = (
    ("AKIADEMONOTIFYSVC001", f"arn:aws:iam::{ACCOUNT}:user/notify-service", "aws-sdk-java/1.12.701 Linux/5.10",
     "Acme Clinics", 3),
    ("AKIADEMOBILLINGJOB01", f"arn:aws:iam::{ACCOUNT}:role/billing-reminders", "Boto3/1.34.0 Python/3.9.18",
     "Bluebird Retail", 2),
)  # fmt: skip
