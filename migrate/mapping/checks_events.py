"""Event streams after Pinpoint's end of support: what stopped, and the inferred streams a person confirms.

Pinpoint event streams were discontinued on 2026-10-30 (terraform-provider-aws, `aws_pinpoint_event_stream`:
"event streams are being discontinued on October 30, 2026 ... For SMS/Voice event delivery, use
aws_pinpointsmsvoicev2_event_destination with a configuration set"). Since that day no delivery event of a
send made through Pinpoint reaches the customer's stream; v2 delivers events only for sends that name a
configuration set with an event destination, so they come back when the senders' code changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from migrate.mapping.findings import Finding, check, make
from migrate.mapping.rules import MapContext
from migrate.mapping.tenants import Tenant

END_OF_SUPPORT = dt.date(2026, 10, 30)


def days_since_end(on: dt.date) -> int:
    """Whole days from Pinpoint's end of support to `on` (negative before it)."""
    return (on - END_OF_SUPPORT).days


def scan_day(ctx: MapContext) -> dt.date:
    """The day the inventory was scanned: the mapping's only notion of "now" (it reads no clock)."""
    text = (ctx.inventory.scanned_at or "")[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return END_OF_SUPPORT


def former_stream(ctx: MapContext, tenant: Tenant) -> dict[str, Any] | None:
    """The tenant's event stream: read (before the deadline) or inferred (after it), with how it is known."""
    stream = ctx.index.one("event_streams", app_id=tenant.app_id)
    if stream is not None:
        return {"destination": stream.destination_arn, "known": "read with GetEventStream", "inferred": None}
    inferred = sorted(
        ctx.index.of_app("inferred_event_streams", tenant.app_id), key=lambda r: r.destination_arn
    )
    if not inferred:
        return None
    names = ", ".join(r.destination_arn for r in inferred)
    return {"destination": names, "known": "inferred from CloudTrail and IAM", "inferred": inferred}


@check("EVENTS_NOT_DELIVERED")
def events_not_delivered(ctx: MapContext) -> Iterator[Finding]:
    day = scan_day(ctx)
    days = days_since_end(day)
    for tenant in ctx.tenants.tenants:
        found = former_stream(ctx, tenant)
        if found is None:
            continue
        when = (
            f"have not been delivered since {END_OF_SUPPORT.isoformat()} ({days} days at {day.isoformat()})"
            if days >= 0
            else f"stop on {END_OF_SUPPORT.isoformat()} (in {-days} days from {day.isoformat()})"
        )
        yield make(
            "EVENTS_NOT_DELIVERED",
            account=tenant.account,
            region=tenant.region,
            tenant=tenant.slug,
            tenant_name=tenant.name,
            destination=found["destination"],
            known=found["known"],
            when=when,
            since=END_OF_SUPPORT.isoformat(),
            days=days,
            as_of=day.isoformat(),
            configuration_set=tenant.resource_name,
        )
