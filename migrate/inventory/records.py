"""The typed records a scan produces. Scanners return these frozen dataclasses, never raw dicts.

Every record names the account and region it was read in. `RECORD_TYPES` maps each record kind (the key it
has in `inventory.json`) to its class; `record_key()` gives the stable sort key used when writing.
Phone numbers of recipients never appear here: opt-outs live in their own 0600 files (see `optouts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from migrate.inventory.record_base import RECORD_TYPES, Json, record, record_key

__all__ = [
    "RECORD_TYPES",
    "AccountAttribute",
    "AccountLimit",
    "ApiUsage",
    "AppSettings",
    "CallSite",
    "Campaign",
    "Channel",
    "ConfigurationSet",
    "DefaultListSnapshot",
    "EventStream",
    "InferredEventStream",
    "Journey",
    "Json",
    "OptOutExport",
    "OptOutFile",
    "OptOutList",
    "PhoneNumber",
    "PinpointApp",
    "Pool",
    "ProtectConfiguration",
    "Recommender",
    "Registration",
    "Segment",
    "SenderId",
    "SnsOptedOut",
    "SpendLimit",
    "Template",
    "V1ConfigurationSet",
    "VerifiedNumber",
    "record",
    "record_key",
]


# -- Pinpoint -------------------------------------------------------------------------------------------
@record("pinpoint_apps", "app_id")
@dataclass(frozen=True)
class PinpointApp:
    account: str
    region: str
    app_id: str
    name: str
    arn: str
    creation_date: str = ""
    tags: Json = field(default_factory=dict)


@record("app_settings", "app_id")
@dataclass(frozen=True)
class AppSettings:
    account: str
    region: str
    app_id: str
    quiet_time: Json = field(default_factory=dict)
    limits: Json = field(default_factory=dict)
    campaign_hook: Json = field(default_factory=dict)
    journey_limits: Json = field(default_factory=dict)


@record("channels", "app_id", "channel_type")
@dataclass(frozen=True)
class Channel:
    account: str
    region: str
    app_id: str
    channel_type: (
        str  # SMS | VOICE | EMAIL | GCM | APNS | APNS_SANDBOX | APNS_VOIP | APNS_VOIP_SANDBOX | BAIDU | ADM
    )
    enabled: bool
    sender_id: str = ""
    short_code: str = ""
    from_address: str = ""
    identity: str = ""
    promotional_mps: int = 0
    transactional_mps: int = 0


@record("event_streams", "app_id")
@dataclass(frozen=True)
class EventStream:
    account: str
    region: str
    app_id: str
    destination_arn: str
    destination_kind: str  # kinesis | firehose | unknown
    destination_found: bool | None  # None: could not be checked
    role_arn: str
    role_found: bool | None
    role_trusts: tuple[str, ...] = ()  # service principals the role's trust policy allows


@record("campaigns", "app_id", "campaign_id")
@dataclass(frozen=True)
class Campaign:
    account: str
    region: str
    app_id: str
    campaign_id: str
    name: str
    state: str
    version: int
    channels: tuple[str, ...] = ()
    origination_number: str = ""
    sender_id: str = ""
    message_type: str = ""
    segment_id: str = ""
    templates: tuple[str, ...] = ()
    schedule: Json = field(default_factory=dict)
    definition: Json = field(default_factory=dict)


@record("journeys", "app_id", "journey_id")
@dataclass(frozen=True)
class Journey:
    account: str
    region: str
    app_id: str
    journey_id: str
    name: str
    state: str
    origination_numbers: tuple[str, ...] = ()
    sender_ids: tuple[str, ...] = ()
    templates: tuple[str, ...] = ()
    definition: Json = field(default_factory=dict)


@record("segments", "app_id", "segment_id")
@dataclass(frozen=True)
class Segment:
    account: str
    region: str
    app_id: str
    segment_id: str
    name: str
    segment_type: str
    version: int
    definition: Json = field(default_factory=dict)


@record("templates", "template_type", "name")
@dataclass(frozen=True)
class Template:
    account: str
    region: str
    name: str
    template_type: str  # SMS | VOICE | EMAIL | PUSH | INAPP
    version: str
    arn: str
    content: Json = field(default_factory=dict)  # body, subject, parts, language, voice...


@record("recommenders", "recommender_id")
@dataclass(frozen=True)
class Recommender:
    account: str
    region: str
    recommender_id: str
    name: str
    definition: Json = field(default_factory=dict)


# -- SMS and Voice v1 -------------------------------------------------------------------------------------
@record("v1_configuration_sets", "name")
@dataclass(frozen=True)
class V1ConfigurationSet:
    account: str
    region: str
    name: str
    event_destinations: tuple[Json, ...] = ()


# v2's records and the data records live in their own modules; importing them here registers their kinds
from migrate.inventory.records_data import (  # noqa: E402
    ApiUsage,
    CallSite,
    DefaultListSnapshot,
    InferredEventStream,
    OptOutExport,
    OptOutFile,
    SnsOptedOut,
)
from migrate.inventory.records_v2 import (  # noqa: E402
    AccountAttribute,
    AccountLimit,
    ConfigurationSet,
    OptOutList,
    PhoneNumber,
    Pool,
    ProtectConfiguration,
    Registration,
    SenderId,
    SpendLimit,
    VerifiedNumber,
)
