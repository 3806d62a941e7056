"""Which regions a scan covers in one account.

`--region` (repeatable) names them. Otherwise they are discovered: the regions where Pinpoint or
End User Messaging SMS and Voice v2 exist according to botocore's endpoint data, intersected with the
regions the account has enabled, as the Account Management API's `ListRegions` reports them.

EC2's `DescribeRegions` would also tell enabled regions but needs EC2 permissions a messaging scan has
no other use for. When `ListRegions` cannot be called (denied, or not served: moto does not implement
it, so the emulator always lands here), discovery falls back to botocore's data alone and says so in
`RegionSelection.note`; a region that is in the data but not enabled then shows as `unavailable`
sections (an opt-in region refuses the credentials), never as a crash.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import boto3
import botocore.loaders

from migrate.aws.errors import classify
from migrate.aws.paging import enumerate_pages

MESSAGING_SERVICES = ("pinpoint", "pinpoint-sms-voice-v2")
ENABLED_STATES = ("ENABLED", "ENABLED_BY_DEFAULT")

RegionSource = Literal["requested", "discovered", "botocore-only"]


@dataclass(frozen=True)
class RegionSelection:
    """The regions of one account, how they were chosen, and anything the user should know about it."""

    regions: tuple[str, ...]
    source: RegionSource
    note: str = ""


def service_regions(
    services: Iterable[str] = MESSAGING_SERVICES, partition: str = "aws", session: boto3.Session | None = None
) -> tuple[str, ...]:
    """Regions where any of `services` has an endpoint, per botocore's bundled endpoint data."""
    probe = session or boto3.Session()
    found: set[str] = set()
    for service in services:
        found.update(probe.get_available_regions(service, partition_name=partition))
    return tuple(sorted(found))


class RegionNameError(ValueError):
    """A region name that no AWS partition knows (a typo, a comma list, the wrong case)."""


@functools.lru_cache(maxsize=1)
def partition_regions() -> frozenset[str]:
    """Every region of every partition in botocore's bundled endpoint data (`endpoints.json`, the
    `partitions[].regions` maps: the same data `Session.get_available_regions` reads). A name matching a
    partition's `regionRegex` but absent here (`us-east-9`) is not a region anyone can call."""
    # the loader alone: a session would read AWS_PROFILE's config, which need not exist (--emulator)
    data = botocore.loaders.create_loader().load_data("endpoints")
    return frozenset(name for part in data.get("partitions", []) for name in part.get("regions", {}))


def check_region_names(values: Iterable[str]) -> tuple[str, ...]:
    """The region names of `--region` values, a comma list split into its names, each one checked
    against botocore's partition data; raises RegionNameError naming the close valid names."""
    known = partition_regions()
    names: list[str] = []
    for value in values:
        names.extend(part.strip() for part in str(value).replace(" ", ",").split(",") if part.strip())
    for name in names:
        if name in known:
            continue
        close = difflib.get_close_matches(name.lower(), sorted(known), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; see `aws account list-regions`"
        raise RegionNameError(f"--region {name!r} is not an AWS region (per botocore's partition data){hint}")
    return tuple(dict.fromkeys(names))


def enabled_regions(account_client: Any) -> tuple[str, ...]:
    """The regions enabled in the account (`account:ListRegions`). Raises what botocore raises."""
    regions = enumerate_pages(
        account_client, "ListRegions", "Regions", RegionOptStatusContains=list(ENABLED_STATES)
    )
    return tuple(sorted({r["RegionName"] for r in regions if r.get("RegionOptStatus") in ENABLED_STATES}))


def select_regions(
    requested: Sequence[str] | None,
    *,
    account_client: Any | None = None,
    partition: str = "aws",
    services: Iterable[str] = MESSAGING_SERVICES,
) -> RegionSelection:
    """The regions to scan: the requested ones (deduplicated, in a stable order) or the discovered ones.

    `account_client` is an `account` client of the account being scanned (from `ClientFactory`).
    """
    known = service_regions(services, partition)
    if requested:
        chosen = tuple(sorted({r.strip() for r in requested if r.strip()}))
        unknown = [r for r in chosen if r not in known]
        note = (
            f"no Pinpoint or SMS/Voice v2 endpoint is known in {', '.join(unknown)}; those sections will "
            "show as unavailable"
            if unknown
            else ""
        )
        return RegionSelection(chosen, "requested", note)
    if account_client is None:
        return RegionSelection(known, "botocore-only", "enabled regions were not checked (no account client)")
    try:
        enabled = set(enabled_regions(account_client))
    except Exception as exc:
        reason = classify(exc).reason
        return RegionSelection(
            known,
            "botocore-only",
            f"could not list the account's enabled regions ({reason}); scanning every region where "
            "the services exist, and regions that are not enabled will show as unavailable",
        )
    return RegionSelection(tuple(r for r in known if r in enabled), "discovered")
