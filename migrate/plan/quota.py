"""Resource quotas, checked before anything is planned beyond them (DescribeAccountLimits, scanned).

For each account, region and limited resource, the creates the plan needs are counted against
`maximum - used`; the ones past the quota (the last by name, so the choice is stable) are blocked by one
`QUOTA_INSUFFICIENT` finding. Event destinations are limited per configuration set (five in v2): desired
destinations that would push a live set past five are blocked the same way.
"""

from __future__ import annotations

from collections import defaultdict

from migrate.mapping.desired import DesiredState
from migrate.mapping.findings import Finding, make
from migrate.mapping.shapes import destination
from migrate.plan.live import LiveState

DESTINATIONS_PER_SET = 5


def check_quotas(desired: DesiredState, live: LiveState) -> list[Finding]:
    wanted: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for item in desired.opt_out_lists:
        if not item.blocked_by and live.opt_out_list(item.account, item.region, item.name) is None:
            wanted[(item.account, item.region, "OPT_OUT_LISTS")].append((item.name, item.address))
    for cs in desired.configuration_sets:
        if not cs.blocked_by and live.config_set(cs.account, cs.region, cs.name) is None:
            wanted[(cs.account, cs.region, "CONFIGURATION_SETS")].append((cs.name, cs.address))
    for pool in desired.pools:
        usable = any(not i.blocked_by for i in pool.identities)
        if not pool.blocked_by and usable and live.pool_named(pool.account, pool.region, pool.name) is None:
            wanted[(pool.account, pool.region, "POOLS")].append((pool.name, pool.address))
    findings = []
    for (account, region, limit), items in sorted(wanted.items()):
        used, maximum = live.limit(account, region, limit)
        room = max(0, maximum - used)
        if len(items) <= room:
            continue
        blocked = sorted(items)[room:]
        findings.append(
            make(
                "QUOTA_INSUFFICIENT",
                account=account,
                region=region,
                resource=limit,
                limit=limit,
                used=used,
                needed=len(items),
                maximum=maximum,
                blocked_count=len(blocked),
                blocked=[n for n, _ in blocked],
                blocks=[a for _, a in blocked],
            )
        )
    findings.extend(_destinations(desired, live))
    return findings


def _destinations(desired: DesiredState, live: LiveState) -> list[Finding]:
    findings = []
    for cs in desired.configuration_sets:
        current = live.config_set(cs.account, cs.region, cs.name)
        names = {destination(d)["name"] for d in (current.event_destinations if current else ())}
        new = sorted(
            (d.name, d.address) for d in cs.event_destinations if d.name not in names and not d.blocked_by
        )
        room = max(0, DESTINATIONS_PER_SET - len(names))
        if len(new) > room:
            blocked = new[room:]
            findings.append(
                make(
                    "QUOTA_INSUFFICIENT",
                    account=cs.account,
                    region=cs.region,
                    resource=f"EVENT_DESTINATIONS:{cs.name}",
                    limit=f"Event destinations of {cs.name}",
                    used=len(names),
                    needed=len(new),
                    maximum=DESTINATIONS_PER_SET,
                    blocked_count=len(blocked),
                    blocked=[n for n, _ in blocked],
                    blocks=[a for _, a in blocked],
                )
            )
    return findings
