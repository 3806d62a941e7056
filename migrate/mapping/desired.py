"""The desired v2 state: what the mapping rules say should exist, before anything is compared with AWS.

Plain frozen dataclasses, built by `migrate.mapping.rules` and read by `migrate.plan.diff`. Every resource
has an `address` (stable, unique, readable: `<type>:<account>/<region>/<name>`) that plan changes, steps and
findings refer to, and `blocked_by`: the ids of the findings that stop it from being planned.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

MANAGED_BY_KEY = "managed-by"
MANAGED_BY_VALUE = "pinpoint-migrate"
PLAN_ID_KEY = "pinpoint-migrate:plan-id"
NAME_KEY = "Name"  # pools have no name in v2: the tool finds its pools again by this tag
CONTENTS_KEY = "pinpoint-migrate:contents"  # set on an opt-out list once its contents are verified
# Drift: the entries a list held when verified, and (on a list whose tenant sends from a sender ID) how many
# of its entries were last copied onto Default. A later scan counting fewer (or, for the copy, more) plans a
# refill: the live v2 scan pages every list anyway (no count API), so comparing counts costs no call.
VERIFIED_COUNT_KEY = "pinpoint-migrate:verified-count"
# ... and the time of the newest of those entries (epoch ms): entries no newer are the verified ones, so a
# list that lost N and gained N STOPs since still counts N fewer of them (`OptOutList.verified_kept`).
VERIFIED_THROUGH_KEY = "pinpoint-migrate:verified-through"
DEFAULT_COPY_KEY = "pinpoint-migrate:default-copy"
DEFAULT_COPY_THROUGH_KEY = "pinpoint-migrate:default-copy-through"  # the newest of those (epoch ms)
DEFAULT_OPT_OUT_LIST = "Default"
RESERVED_TAG_KEYS = (
    MANAGED_BY_KEY,
    PLAN_ID_KEY,
    NAME_KEY,
    CONTENTS_KEY,
    VERIFIED_COUNT_KEY,
    VERIFIED_THROUGH_KEY,
    DEFAULT_COPY_KEY,
    DEFAULT_COPY_THROUGH_KEY,
)


def address(kind: str, account: str, region: str, *names: str) -> str:
    return f"{kind}:{account}/{region}/" + "/".join(names)


@dataclass(frozen=True)
class OptOutSource:
    """One 0600 file of opted-out numbers written by the scan (`optouts/*.csv`), as the inventory saw it.

    Every file apply reads is here with its sha256; a customer's suppression file also names the file the
    customer gave (`origin`) and its sha256, which apply checks too (see `migrate.mapping.optout_sources`).
    """

    app_id: str  # "" : not one project's (SNS, a suppression file for every tenant)
    tenant: str  # slug, or ""
    file: str
    count: int  # unique numbers in the file
    sha256: str
    kind: str = "endpoint export"  # endpoint export | suppression file | SNS
    origin: str = ""  # what the file was made from: s3://… export, the customer's file, the SNS call
    origin_sha256: str = ""  # of the customer's file, when apply can check it


@dataclass(frozen=True)
class OptOutListSpec:
    account: str
    region: str
    name: str
    tenants: tuple[str, ...]  # slugs of the tenants whose pools answer to this list
    sources: tuple[OptOutSource, ...] = ()
    copy_default: int = 0  # entries on the account's Default list at scan time, copied in too
    # Every other list any of the list's identities (phone numbers, pools they are in) answers to now, with
    # its size at scan time: copied in too, so nobody who opted out there is exposed by the switch.
    copy_lists: tuple[tuple[str, int], ...] = ()
    # A tenant of the list sends from a sender ID (in its pool, or as its configuration set's default
    # sender). Sent straight from the sender ID, or with the configuration set and no identity, a message is
    # checked against the account's Default list, not the pool's: Default must hold the list's opt-outs too.
    senders: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    blocked_by: tuple[str, ...] = ()

    @property
    def address(self) -> str:
        return address("opt_out_list", self.account, self.region, self.name)

    @property
    def expected_minimum(self) -> int:
        """The list holds at least this many numbers once filled (sources can overlap, so not their sum)."""
        return max(
            [s.count for s in self.sources] + [self.copy_default, 0] + [n for _l, n in self.copy_lists]
        )

    @property
    def copy_from(self) -> list[dict[str, Any]]:
        """The lists the fill reads (data: one entry per list, whatever source kinds are added later)."""
        found = (
            [{"OptOutListName": DEFAULT_OPT_OUT_LIST, "count": self.copy_default}]
            if self.copy_default
            else []
        )
        return found + [{"OptOutListName": name, "count": count} for name, count in self.copy_lists]

    @property
    def contents_sha256(self) -> str:
        """A fingerprint of what the list must contain; apply tags the verified list with it."""
        body = {
            "sources": sorted([s.sha256, s.count] for s in self.sources),
            "copy_default": self.copy_default,
        }
        # `copy_lists` is left out: once applied, the identities answer to this list and a re-plan finds no
        # other list to copy, which must not read as a change (re-running apply changes nothing).
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class EventDestinationSpec:
    account: str
    region: str
    configuration_set: str
    name: str
    event_types: tuple[str, ...]
    kind: str  # firehose | cloudwatch | sns | none (nothing v2 can deliver to yet)
    target_arn: str = ""
    role_arn: str = ""
    source: str = ""  # what it replaces, e.g. "event stream of <app id>" or "v1 <set>/<destination>"
    blocked_by: tuple[str, ...] = ()

    @property
    def address(self) -> str:
        return address("event_destination", self.account, self.region, self.configuration_set, self.name)

    def api_destination(self) -> dict[str, Any]:
        """The destination member CreateEventDestination / UpdateEventDestination take."""
        from migrate.mapping.shapes import api_destination

        return api_destination(self.kind, self.target_arn, self.role_arn)


@dataclass(frozen=True)
class ConfigurationSetSpec:
    account: str
    region: str
    name: str
    tenants: tuple[str, ...] = ()
    source: str = ""  # "tenant" or "v1:<name>"
    default_sender_id: str = ""
    default_message_type: str = ""
    event_destinations: tuple[EventDestinationSpec, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    blocked_by: tuple[str, ...] = ()

    @property
    def address(self) -> str:
        return address("configuration_set", self.account, self.region, self.name)


@dataclass(frozen=True)
class IdentitySpec:
    """An origination identity a tenant pool should hold: a phone number (incl. short codes) or a sender ID."""

    kind: str  # phone_number | sender_id
    identity_id: str  # PhoneNumberId, or SenderId
    arn: str
    value: str  # the phone number or sender ID as people know it
    iso_country_code: str
    message_types: tuple[str, ...]
    used_by: tuple[str, ...] = ()  # where the inventory saw it: "channel", "campaign:<id>", "override", ...
    blocked_by: tuple[str, ...] = ()

    @property
    def is_phone(self) -> bool:
        return self.kind == "phone_number"

    def membership_address(self, account: str, region: str, pool: str) -> str:
        return address("pool_identity", account, region, pool, self.identity_id)


@dataclass(frozen=True)
class PoolSpec:
    account: str
    region: str
    name: str  # carried as the `Name` tag
    message_type: str
    opt_out_list: str
    tenants: tuple[str, ...]
    identities: tuple[IdentitySpec, ...] = ()  # in the order the first usable one becomes CreatePool's origin
    deletion_protection: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    blocked_by: tuple[str, ...] = ()

    @property
    def address(self) -> str:
        return address("pool", self.account, self.region, self.name)

    @property
    def opt_out_list_address(self) -> str:
        return address("opt_out_list", self.account, self.region, self.opt_out_list)


@dataclass(frozen=True)
class TenantView:
    """One tenant as the plan and the report show it: where it comes from and where it goes."""

    account: str
    region: str
    app_id: str
    project: str
    name: str
    slug: str
    strategy: str
    configuration_set: str
    opt_out_list: str
    pools: tuple[str, ...]
    channels: tuple[str, ...]
    opt_outs: int
    # what fed its opt-out list: [{"source": kind, "items": files or lists, "count": numbers}], and what
    # could not be read: [{"source": kind, "reason": ...}] (see migrate.mapping.optout_sources)
    optout_sources: tuple[dict[str, Any], ...] = ()
    optout_unread: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class ExportFile:
    """A file holding what v2 cannot: written under `--export-dir`, listed (path, sha256) in the plan."""

    path: str  # relative, forward slashes
    kind: str  # campaign | journey | segment | app_settings | template | template_source
    source: str  # what it was exported from
    content: str = field(repr=False, compare=False)
    notes: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content.encode("utf-8")).hexdigest()


@dataclass
class DesiredState:
    """Everything `map_inventory` decided, in a deterministic order."""

    tenants: list[TenantView] = field(default_factory=list)
    opt_out_lists: list[OptOutListSpec] = field(default_factory=list)
    configuration_sets: list[ConfigurationSetSpec] = field(default_factory=list)
    pools: list[PoolSpec] = field(default_factory=list)
    findings: list[Any] = field(default_factory=list)  # mapping.findings.Finding
    exports: list[ExportFile] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # projects not migrated, with the reason

    def sort(self) -> None:
        self.tenants.sort(key=lambda t: (t.account, t.region, t.slug))
        self.opt_out_lists.sort(key=lambda r: (r.account, r.region, r.name))
        self.configuration_sets.sort(key=lambda r: (r.account, r.region, r.name))
        self.pools.sort(key=lambda r: (r.account, r.region, r.name))
        self.findings.sort(key=lambda f: f.sort_key)
        self.exports.sort(key=lambda e: e.path)
        self.skipped.sort(key=lambda s: (s.get("account", ""), s.get("region", ""), s.get("app_id", "")))
