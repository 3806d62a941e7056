"""`--cloudtrail-days N`: who still calls the old send APIs, from CloudTrail's LookupEvents.

LookupEvents takes one lookup attribute at a time and answers at most 2 requests/s per account and region,
so it is asked once per event name; events are summarised by (event, calling principal, user agent, Pinpoint
application) with a count and the last time seen. Only counts, principals and the application id (from
`requestParameters.application-id`, as CloudTrail records Pinpoint's path parameter) are kept: no other
request parameter, no numbers. `plan waves` reads the per-application counts as each tenant's activity.

AWS's page on Pinpoint and CloudTrail has listed SendMessages and SendUsersMessages among the actions it does
not log (https://docs.aws.amazon.com/pinpoint/latest/developerguide/logging-using-cloudtrail.html), so on a
real account these counts may be zero however busy a tenant is: what reads them says "seen", never "idle".
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from migrate.aws.errors import classify
from migrate.inventory.records import ApiUsage
from migrate.inventory.sections import RegionScan
from migrate.inventory.snapshot import Section

OLD_SEND_EVENTS = (
    ("pinpoint.amazonaws.com", "SendMessages"),
    ("pinpoint.amazonaws.com", "SendUsersMessages"),
    ("sms-voice.amazonaws.com", "SendVoiceMessage"),
)
PERMISSIONS = ("cloudtrail:LookupEvents",)


def send_api_usage(scan: RegionScan, days: int, now: dt.datetime) -> tuple[list[Any], Section]:
    start = now - dt.timedelta(days=days)
    tally: dict[tuple[str, str, str, str], list[Any]] = {}
    try:
        for source, name in OLD_SEND_EVENTS:
            events = scan.items(
                "cloudtrail", "LookupEvents", "Events",
                LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": name}],
                StartTime=start, EndTime=now,
            )  # fmt: skip
            for event in events:
                detail = json.loads(event.get("CloudTrailEvent") or "{}")
                if detail.get("eventSource", source) != source:
                    continue  # v2's SendVoiceMessage has the same name but is not an old API
                principal = (detail.get("userIdentity") or {}).get("arn") or event.get("Username", "")
                agent = str(detail.get("userAgent", ""))[:200]
                seen = event["EventTime"]
                app = str((detail.get("requestParameters") or {}).get("application-id", ""))[:64]
                key = (name, principal, agent, app)
                entry = tally.setdefault(key, [0, seen])
                entry[0] += 1
                entry[1] = max(entry[1], seen)
    except Exception as exc:
        verdict = classify(exc)
        return [], Section(
            scan.account_id, scan.region, "cloudtrail.send_api_usage", verdict.status, verdict.reason
        )
    records: list[Any] = [
        ApiUsage(
            account=scan.account_id,
            region=scan.region,
            event_name=name,
            principal=principal,
            user_agent=agent,
            count=count,
            last_seen=last.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            app_id=app,
        )
        for (name, principal, agent, app), (count, last) in sorted(tally.items())
    ]
    total = sum(r.count for r in records)
    reason = f"{total} call(s) of old send APIs in the last {days} day(s)"
    return records, Section(
        scan.account_id, scan.region, "cloudtrail.send_api_usage", "ok", reason, len(records)
    )
