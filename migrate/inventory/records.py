"""The typed records a scan produces. Scanners return these frozen dataclasses, never raw dicts.

Every record names the account and region it was read in. `RECORD_TYPES` maps each record kind (the key it
has in `inventory.json`) to its class; `record_key()` gives the stable sort key used when writing.
Phone numbers of recipients never appear here: opt-outs live in their own 0600 files (see `optouts`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

RECORD_TYPES: dict[str, type[Any]] = {}
T = TypeVar("T")


def record(kind: str, *key: str) -> Callable[[type[T]], type[T]]:
    """Register a record class under `kind`; `key` names the fields that identify one record."""

    def register(cls: type[T]) -> type[T]:
        if kind in RECORD_TYPES:
            raise ValueError(f"record kind {kind!r} registered twice")
        cls.KIND = kind  # type: ignore[attr-defined]
        cls.KEY = ("account", "region", *key)  # type: ignore[attr-defined]
        RECORD_TYPES[kind] = cls
        return cls

    return register


def record_key(item: Any) -> tuple[str, ...]:
    return tuple(str(getattr(item, name)) for name in item.KEY)


Json = dict[str, Any]


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


# -- SMS and Voice v2 -------------------------------------------------------------------------------------
@record("phone_numbers", "phone_number_id")
@dataclass(frozen=True)
class PhoneNumber:
    account: str
    region: str
    phone_number_id: str
    arn: str
    phone_number: str  # an origination number the account owns, not a recipient
    status: str
    iso_country_code: str
    message_type: str
    number_type: str
    capabilities: tuple[str, ...] = ()
    two_way_enabled: bool = False
    self_managed_opt_outs: bool = False
    opt_out_list: str = ""
    pool_id: str = ""
    registration_id: str = ""
    deletion_protection: bool = False
    keywords: tuple[Json, ...] = ()


@record("sender_ids", "sender_id", "iso_country_code")
@dataclass(frozen=True)
class SenderId:
    account: str
    region: str
    sender_id: str
    iso_country_code: str
    arn: str
    message_types: tuple[str, ...] = ()
    registered: bool = False
    registration_id: str = ""
    deletion_protection: bool = False


@record("pools", "pool_id")
@dataclass(frozen=True)
class Pool:
    account: str
    region: str
    pool_id: str
    arn: str
    status: str
    message_type: str
    opt_out_list: str
    two_way_enabled: bool = False
    self_managed_opt_outs: bool = False
    shared_routes: bool = False
    deletion_protection: bool = False
    identities: tuple[str, ...] = ()  # ARNs
    tags: Json = field(default_factory=dict)
    keywords: tuple[Json, ...] = ()


@record("opt_out_lists", "name")
@dataclass(frozen=True)
class OptOutList:
    account: str
    region: str
    name: str
    arn: str
    size: int
    tags: Json = field(default_factory=dict)


@record("configuration_sets", "name")
@dataclass(frozen=True)
class ConfigurationSet:
    account: str
    region: str
    name: str
    arn: str
    default_sender_id: str = ""
    default_message_type: str = ""
    protect_configuration_id: str = ""
    event_destinations: tuple[Json, ...] = ()
    tags: Json = field(default_factory=dict)


@record("registrations", "registration_id")
@dataclass(frozen=True)
class Registration:
    account: str
    region: str
    registration_id: str
    arn: str
    registration_type: str
    status: str
    version: int = 0
    associations: tuple[str, ...] = ()  # resource ARNs or ids associated with it


@record("verified_numbers", "verified_id")
@dataclass(frozen=True)
class VerifiedNumber:
    account: str
    region: str
    verified_id: str
    status: str
    number_masked: str  # sandbox test numbers are recipients: kept masked


@record("spend_limits", "name")
@dataclass(frozen=True)
class SpendLimit:
    account: str
    region: str
    name: str
    enforced: int
    maximum: int
    overridden: bool


@record("account_attributes", "name")
@dataclass(frozen=True)
class AccountAttribute:
    account: str
    region: str
    name: str
    value: str


@record("account_limits", "name")
@dataclass(frozen=True)
class AccountLimit:
    account: str
    region: str
    name: str
    used: int
    maximum: int


@record("protect_configurations", "protect_configuration_id")
@dataclass(frozen=True)
class ProtectConfiguration:
    account: str
    region: str
    protect_configuration_id: str
    arn: str
    account_default: bool
    deletion_protection: bool


# -- Data and usage ---------------------------------------------------------------------------------------
@record("optout_exports", "app_id")
@dataclass(frozen=True)
class OptOutExport:
    account: str
    region: str
    app_id: str
    source: str  # s3://… of the export read
    file: str  # optouts/<tenant>.csv, relative to the output folder
    rejects_file: str
    sha256: str
    rejects_sha256: str
    endpoints_read: int
    sms_opted_out: int
    normalised: int
    duplicates: int
    rejected: int


@record("call_sites", "path", "line", "api")
@dataclass(frozen=True)
class CallSite:
    account: str  # "" : found in source code, not in an account
    region: str
    path: str
    line: int
    language: str
    api: str
    channel: str
    replacement: str
    kind: str = "call"  # call | request | cli | state-machine | iam | inline-code
    parameters: Json = field(default_factory=dict)  # old parameter -> its v2 counterpart


@record("api_usage", "event_name", "principal", "user_agent", "app_id")
@dataclass(frozen=True)
class ApiUsage:
    account: str
    region: str
    event_name: str
    principal: str
    user_agent: str
    count: int
    last_seen: str
    app_id: str = ""  # the Pinpoint application the calls name (CloudTrail requestParameters)


@record("optout_files", "path")
@dataclass(frozen=True)
class OptOutFile:
    """A customer's own suppression file read with `scan --optouts [APP_ID=]FILE` (numbers in `file`, 0600)."""

    account: str  # "" with region "" : applies to every tenant
    region: str
    app_id: str  # "" : every tenant
    path: str  # the customer's file, as given to the scan
    path_sha256: str  # of the customer's file: apply refuses when it changed since
    file: str  # optouts/<stem>.csv, relative to the output folder
    rejects_file: str
    sha256: str
    rejects_sha256: str
    values: int
    normalised: int
    duplicates: int
    rejected: int


@record("sns_opted_out")
@dataclass(frozen=True)
class SnsOptedOut:
    """The account's SNS opted-out numbers in one region (`ListPhoneNumbersOptedOut`), numbers in `file`."""

    account: str
    region: str
    file: str
    rejects_file: str
    sha256: str
    rejects_sha256: str
    values: int
    normalised: int
    duplicates: int
    rejected: int


@record("inferred_event_streams", "app_id", "destination_arn")
@dataclass(frozen=True)
class InferredEventStream:
    """A project's former event stream, inferred (GetEventStream refused) from CloudTrail and IAM roles."""

    account: str
    region: str
    app_id: str
    destination_arn: str
    destination_kind: str  # kinesis | firehose
    role_arn: str
    role_trusts: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # one line per piece of evidence, CloudTrail's first
