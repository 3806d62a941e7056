"""The records of data and usage: opt-out sources (exports, files, SNS), call sites in code, CloudTrail usage
and inferred event streams. Numbers of recipients are never here: they live in their own 0600 files."""

from __future__ import annotations

from dataclasses import dataclass, field

from migrate.inventory.record_base import Json, record


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


@dataclass(frozen=True)
class RegionNumbers:
    """The fields shared by a region's snapshot of numbers kept in a 0600 file (`file`) with its rejects: not a
    record kind itself, the base of `SnsOptedOut` and `DefaultListSnapshot` (same fields, same order)."""

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


@record("sns_opted_out")
@dataclass(frozen=True)
class SnsOptedOut(RegionNumbers):
    """The account's SNS opted-out numbers in one region (`ListPhoneNumbersOptedOut`), numbers in `file`."""


@record("default_list_snapshots")
@dataclass(frozen=True)
class DefaultListSnapshot(RegionNumbers):
    """The v2 `Default` opt-out list of one region as the scan found it (numbers in `file`, 0600): what every
    tenant list must hold from Default, told apart from numbers the tool copies onto Default later."""


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
