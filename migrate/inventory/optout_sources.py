"""The scan's opt-out sources beside endpoint exports: `--optouts [APP_ID=]FILE` and SNS opted-out numbers.

Each source gets a section in the inventory (`optouts.file:<path>`, `sns.opted_out`) saying what was read
or why it could not be, and a record naming its 0600 numbers file and that file's sha256. A source that
cannot be read never stops the scan (STYLE.md rule 7): the planner reports it per tenant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.aws.errors import classify
from migrate.aws.paging import enumerate_pages
from migrate.inventory.numbers_record import numbers_record, numbers_section
from migrate.inventory.records import DefaultListSnapshot, OptOutFile, PinpointApp, SnsOptedOut
from migrate.inventory.records_data import RegionNumbers
from migrate.inventory.sections import RegionScan
from migrate.inventory.snapshot import Section
from migrate.inventory.suppression import (
    check_suppression_file,
    file_stem,
    read_suppression_file,
    write_numbers,
)

# sns:ListPhoneNumbersOptedOut answers at most 100 numbers a page with `nextToken`
# (https://docs.aws.amazon.com/sns/latest/api/API_ListPhoneNumbersOptedOut.html).
PERMISSIONS = ("sns:ListPhoneNumbersOptedOut", "sms-voice:DescribeOptedOutNumbers")
V2 = "pinpoint-sms-voice-v2"
SNS_SECTION = "sns.opted_out"
FILE_SECTION = "optouts.file:"  # + the file's path as given
EXPORT_SECTION = "optouts:"  # + the project's id: its endpoint export (migrate.inventory.extras)


@dataclass(frozen=True)
class OptOutsSource:
    path: Path
    app_id: str = ""  # "" : every tenant


def parse_optouts_source(text: str) -> OptOutsSource:
    """`[APP_ID=]FILE`: an app id is 32 hex digits, so a path holding "=" is read as a path."""
    app_id, sep, rest = text.partition("=")
    if sep and app_id and "/" not in app_id and "\\" not in app_id and rest:
        return OptOutsSource(Path(rest), app_id.strip())
    return OptOutsSource(Path(text))


def check_optouts_sources(sources: tuple[str, ...]) -> None:
    """Refuse a missing file or a CSV without a number column before anything is scanned."""
    for text in sources:
        check_suppression_file(parse_optouts_source(text).path)


def read_optouts_files(
    apps: list[PinpointApp], sources: tuple[str, ...], out_dir: Path, shard: tuple[int, int] | None = None
) -> tuple[list[Any], list[Section]]:
    """Read every `--optouts` file once; a file with APP_ID= is scoped to that project's account/region.

    In shard K of a sharded scan (`shard`), a file with APP_ID= is read by the shard that found the project
    and a file for every project by shard 1, so the merged shards hold each file once, as one scan does; a
    shard that did not find the project says so, and the merge keeps that only when no shard found it
    (`merge_file_sections`), so a project no shard found is reported once, as by one scan."""
    records: list[Any] = []
    sections: list[Section] = []
    by_id = {a.app_id: a for a in apps}
    for index, text in enumerate(sources, 1):
        source = parse_optouts_source(text)
        name = f"{FILE_SECTION}{source.path}"
        app = by_id.get(source.app_id) if source.app_id else None
        if shard is not None and not source.app_id and shard[0] != 1:
            continue
        account, region = (app.account, app.region) if app else ("", "")
        if source.app_id and app is None:
            reason = f"--optouts names app {source.app_id}, not found by the scan; file not read"
            sections.append(Section("", "", name, "error", reason))
            continue
        stem = f"file-{index:02d}-{file_stem(source.path.stem)}"
        found, origin_sha = read_suppression_file(source.path, stem=stem, out_dir=out_dir)
        where = {"account": account, "region": region, "app_id": source.app_id}
        records.append(
            numbers_record(OptOutFile, found, **where, path=str(source.path), path_sha256=origin_sha)
        )
        sections.append(numbers_section(account, region, name, found))
    return records, sections


def merge_file_sections(sections: list[Section]) -> list[Section]:
    """The sections of project-scoped sources (`--optouts APP_ID=FILE`, `--endpoints-export APP_ID=URL`) of
    merged shards as one scan writes them: each shard that did not find the project recorded "not found"
    (no account); that verdict goes when a shard found the project (its section, read or not, has the
    project's account), and is kept once when none did."""
    scoped = (FILE_SECTION, EXPORT_SECTION)
    found = {s.name for s in sections if s.name.startswith(scoped) and s.account}
    kept: list[Section] = []
    for section in sections:
        unplaced = section.name.startswith(scoped) and not section.account and section.status == "error"
        if unplaced and (section.name in found or section in kept):
            continue
        kept.append(section)
    return kept


def read_sns_opted_out(scan: RegionScan, out_dir: Path) -> tuple[list[Any], Section]:
    """The account's SNS opted-out numbers in one region into `optouts/sns-<account>-<region>.csv`."""
    return _region_numbers(
        scan, out_dir, SNS_SECTION, SnsOptedOut, label=f"SNS {scan.account_id}/{scan.region}", stem="sns",
        default_reason="SNS gave a number without a leading +",
        read=lambda: (
            str(n) for n in enumerate_pages(scan.client("sns"), "ListPhoneNumbersOptedOut", "phoneNumbers")
        ),
    )  # fmt: skip


DEFAULT_SECTION = "v2.default_list"


def read_default_list(scan: RegionScan, out_dir: Path) -> tuple[list[Any], Section]:
    """The region's v2 `Default` list, read whole (DescribeOptedOutNumbers, at most 100 a page: `MaxResults`
    max 100 in botocore's pinpoint-sms-voice-v2 model), into `optouts/default-<account>-<region>.csv`.

    Tenant lists copy Default, and the tool later copies the lists of tenants that send from a sender ID onto
    Default (those sends are checked against it): this file is what Default held before, so a check of a
    tenant list never mistakes a number it must hold for one the tool put there for another tenant."""
    return _region_numbers(
        scan, out_dir, DEFAULT_SECTION, DefaultListSnapshot,
        label=f"Default list {scan.account_id}/{scan.region}", stem="default",
        default_reason="the Default list gave a number without a leading +",
        read=lambda: (
            str(e["OptedOutNumber"])
            for e in scan.items(V2, "DescribeOptedOutNumbers", "OptedOutNumbers", OptOutListName="Default")
        ),
    )  # fmt: skip


def _region_numbers(
    scan: RegionScan,
    out_dir: Path,
    section: str,
    kind: type[RegionNumbers],
    *,
    label: str,
    stem: str,
    default_reason: str,
    read: Callable[[], Iterable[str]],
) -> tuple[list[Any], Section]:
    """One region's list of numbers read whole into `optouts/<stem>-<account>-<region>.csv` (0600), recorded
    as `kind`; a read that fails leaves the section with its verdict and no record."""
    try:
        numbers = sorted(read())
    except Exception as exc:
        verdict = classify(exc)
        return [], Section(scan.account_id, scan.region, section, verdict.status, verdict.reason)
    found = write_numbers(
        ((i, n, "", "") for i, n in enumerate(numbers, 1)),
        label=label,
        stem=f"{stem}-{scan.account_id}-{scan.region}",
        out_dir=out_dir,
        default_reason=default_reason,
    )
    record = numbers_record(kind, found, account=scan.account_id, region=scan.region)
    return [record], numbers_section(scan.account_id, scan.region, section, found)
