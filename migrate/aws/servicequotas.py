"""Request-rate quotas as Service Quotas reports them for End User Messaging SMS (`sms-voice`).

AWS documents the v2 API rates per operation (1 rps, 10 for the opt-out writes) and raises them on
request; where an account's raised rate is visible in Service Quotas, apply paces at it. Quotas are
matched to operations by the operation's name appearing in the quota's name. Anything that cannot be read
(AccessDenied, no such service in that region) leaves the defaults and `--quota` in charge.
"""

from __future__ import annotations

import re
from typing import Any

from migrate.aws.paging import enumerate_pages

SERVICE_CODE = "sms-voice"


def sms_voice_rates(client: Any, operations: list[str]) -> dict[str, float]:
    """{operation: requests per second} for the operations Service Quotas names (lowest if listed twice)."""
    found: dict[str, float] = {}
    patterns = {op: re.compile(rf"\b{re.escape(op)}\b") for op in operations}
    for quota in enumerate_pages(client, "ListServiceQuotas", "Quotas", ServiceCode=SERVICE_CODE):
        name = str(quota.get("QuotaName", ""))
        value = quota.get("Value")
        if not isinstance(value, int | float) or value <= 0:
            continue
        for op, pattern in patterns.items():
            if pattern.search(name):
                found[op] = min(found.get(op, float(value)), float(value))
    return found
