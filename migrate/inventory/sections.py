"""The registry of scan sections: what each reads, with which IAM permissions, into which records.

A section is a function `(RegionScan) -> list[record]` (region scope) or `(RegionScan, PinpointApp) ->
list[record]` (one call per Pinpoint project). Registering it with its permissions lets one test walk
the registry (STYLE.md rule 3) and lets `scan --print-policy` print the read-only policy a scan needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from migrate.aws.paging import enumerate_pages
from migrate.aws.sessions import AccountSession, ClientFactory

Scope = Literal["region", "app"]


@dataclass(frozen=True)
class RegionScan:
    """One account and region being scanned: hands out its rate-limited, cached clients."""

    account: AccountSession
    region: str
    clients: ClientFactory
    # When the scan judges Pinpoint's end of support (its `--now`, else the real time).
    moment: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def end_of_support(self) -> bool:
        """Whether Pinpoint's engagement APIs are retired at the scan's moment."""
        from migrate.aws.retirement import in_effect

        return in_effect(self.moment)

    def client(self, service: str) -> Any:
        return self.clients.client(self.account, service, self.region)

    def items(self, service: str, operation: str, result_key: str, **params: Any) -> list[Any]:
        return list(enumerate_pages(self.client(service), operation, result_key, **params))


@dataclass(frozen=True)
class SectionSpec:
    name: str
    scope: Scope
    permissions: tuple[str, ...]
    fn: Callable[..., list[Any]]
    optional: bool = False  # runs only when the scan options ask for it
    # One 1 rps call per item (a number's keywords, a list's pages): the longest section of a part, started for
    # every part before the others' sections so no part's chain of paced calls starts late (issue 17)
    early: bool = False


SECTIONS: dict[str, SectionSpec] = {}


def section(
    name: str,
    *,
    scope: Scope = "region",
    permissions: tuple[str, ...],
    optional: bool = False,
    early: bool = False,
) -> Callable[[Callable[..., list[Any]]], Callable[..., list[Any]]]:
    def register(fn: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
        if name in SECTIONS:
            raise ValueError(f"scan section {name!r} registered twice")
        SECTIONS[name] = SectionSpec(name, scope, permissions, fn, optional, early)
        return fn

    return register


def load_sections() -> dict[str, SectionSpec]:
    """Import the modules that register sections."""
    from migrate.inventory import scan_pinpoint, scan_v1, scan_v2  # noqa: F401

    return SECTIONS


def read_only_policy() -> dict[str, Any]:
    """The IAM policy a scan needs (all read-only actions)."""
    from migrate.inventory import cloudtrail, event_inference, optout_sources

    extras = (
        *cloudtrail.PERMISSIONS,
        *optout_sources.PERMISSIONS,
        *event_inference.PERMISSIONS,
    )  # parts of a scan outside the sections
    actions = sorted({p for spec in load_sections().values() for p in spec.permissions} | set(extras))
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "PinpointMigrateScan", "Effect": "Allow", "Action": actions, "Resource": "*"}],
    }
