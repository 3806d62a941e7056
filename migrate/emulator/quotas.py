"""Request quotas (token buckets per account, region, service and operation) and resource quotas.

Defaults follow AWS's documentation for End User Messaging SMS and Voice v2: 1 request/s for most
operations, 10/s for `PutOptedOutNumber` and `DeleteOptedOutNumber`; 25 pools, configuration sets and
opt-out lists per region; 5 event destinations per configuration set. A call over its request quota gets
the service's throttling error at once, in real time, as AWS answers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

V2 = "pinpoint-sms-voice-v2"

DEFAULT_RPS: dict[str, dict[str, float]] = {
    V2: {
        "*": 1.0,
        "PutOptedOutNumber": 10.0,
        "DeleteOptedOutNumber": 10.0,
        # The send APIs are bounded by messages-per-second per identity rather than by a 1 rps API quota.
        "SendTextMessage": 20.0,
        "SendVoiceMessage": 20.0,
        "SendMediaMessage": 20.0,
    },
    # Pinpoint's and v1's API quotas are not published per operation; these are conservative figures.
    "pinpoint": {"*": 10.0},
    "pinpoint-sms-voice": {"*": 10.0},
}

# Names as DescribeAccountLimits reports them (AccountLimitName enum) with AWS's default maxima.
DEFAULT_RESOURCE_LIMITS: dict[str, int] = {
    "PHONE_NUMBERS": 3,
    "POOLS": 25,
    "CONFIGURATION_SETS": 25,
    "OPT_OUT_LISTS": 25,
    "SENDER_IDS": 25,
    "REGISTRATIONS": 100,
    "REGISTRATION_ATTACHMENTS": 10,
    "VERIFIED_DESTINATION_NUMBERS": 10,
    "PROTECT_CONFIGURATIONS": 5,
}
EVENT_DESTINATIONS_PER_CONFIGURATION_SET = 5


@dataclass
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    stamp: float

    def take(self, now: float) -> bool:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass
class Quotas:
    """The emulator's quota switches. All changes take effect on the next call."""

    request_enforced: bool = True
    resource_enforced: bool = True
    scale: float = 1.0
    rps: dict[tuple[str, str, str | None], float] = field(default_factory=dict)
    resource: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_RESOURCE_LIMITS))
    event_destinations_per_configuration_set: int = EVENT_DESTINATIONS_PER_CONFIGURATION_SET
    _buckets: dict[tuple[str, str, str, str], _Bucket] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def set_rps(self, operation: str, rps: float, *, service: str = V2, region: str | None = None) -> None:
        """Set the request quota of one operation (in one region, or all regions)."""
        with self._lock:
            self.rps[(service, operation, region)] = float(rps)
            self._buckets.clear()

    def scale_requests(self, factor: float) -> None:
        """Multiply every request quota (the demo world runs at 50x so it finishes in seconds)."""
        with self._lock:
            self.scale = float(factor)
            self._buckets.clear()

    def disable(self) -> None:
        """Switch off request and resource quotas (for tests that measure something else)."""
        self.request_enforced = False
        self.resource_enforced = False

    def rate(self, service: str, operation: str, region: str) -> float:
        for key in ((service, operation, region), (service, operation, None)):
            if key in self.rps:
                return self.rps[key]
        table = DEFAULT_RPS.get(service, {"*": 10.0})
        return table.get(operation, table["*"]) * self.scale

    def admit(self, account: str, region: str, service: str, operation: str) -> bool:
        """Take one request token; False means the caller is throttled."""
        if not self.request_enforced:
            return True
        now = time.monotonic()
        with self._lock:
            key = (account, region, service, operation)
            bucket = self._buckets.get(key)
            if bucket is None:
                rate = self.rate(service, operation, region)
                # AWS lets a burst of about one second's worth through; never less than one request.
                capacity = max(1.0, rate)
                bucket = self._buckets[key] = _Bucket(rate, capacity, capacity, now)
            return bucket.take(now)

    def limit(self, name: str) -> int:
        return self.resource.get(name, 10**9)

    def to_json(self) -> dict[str, object]:
        return {
            "request_enforced": self.request_enforced,
            "resource_enforced": self.resource_enforced,
            "scale": self.scale,
            "rps": [[s, o, r, v] for (s, o, r), v in sorted(self.rps.items(), key=str)],
            "resource": dict(sorted(self.resource.items())),
            "event_destinations_per_configuration_set": self.event_destinations_per_configuration_set,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Quotas:
        """Quotas from a saved world; raises ValueError/TypeError on values that are not quotas."""
        if not isinstance(data, dict):
            raise TypeError("quotas must be a JSON object")
        q = cls()
        q.request_enforced = bool(data.get("request_enforced", True))
        q.resource_enforced = bool(data.get("resource_enforced", True))
        q.scale = float(data.get("scale", 1.0))
        for s, o, r, v in data.get("rps", []):
            q.rps[(s, o, r)] = float(v)
        for name, limit in dict(data.get("resource", {})).items():
            q.resource[str(name)] = int(limit)
        q.event_destinations_per_configuration_set = int(
            data.get("event_destinations_per_configuration_set", EVENT_DESTINATIONS_PER_CONFIGURATION_SET)
        )
        return q
