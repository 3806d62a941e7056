"""The records of SMS and Voice v2 (End User Messaging): what a tenant migrates onto, and the live state a plan
is diffed against."""

from __future__ import annotations

from dataclasses import dataclass, field

from migrate.inventory.record_base import Json, record


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
    # Entries no newer than the list's `pinpoint-migrate:verified-through` tag (the newest entry apply's
    # verify saw there), counted from the same pages as `size`; -1 without the tag. Fewer than the
    # verified count: entries were lost, however many STOPs came since (see `migrate.plan.drift`).
    verified_kept: int = -1
    copy_kept: int = -1  # the same against `pinpoint-migrate:default-copy-through` (a copy onto Default)


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
