"""Client-side request quotas: one token bucket per (account, region, service, operation).

The buckets are shared by every thread of a scan, so a scan runs as fast as the service quotas allow and
is never throttled. `acquire()` reserves the next free slot under a lock and then sleeps exactly until
that slot (no polling), so waiting threads are served in arrival order and the rate is exact.

Below 2 requests/s the service's bucket holds a single request (AWS lets about one second's worth through
at once), so it absorbs no jitter: a request that leaves late, or that a busy service admits late, followed
by one on time, arrive less than 1/rate apart and the second is throttled (issue 17: 1-16 retries per org
scan on a loaded machine, with a 0.1 s margin). There our own slots are not enough, and a `SendGate` also
paces on what the service can have seen: a request is sent only after the previous one of its bucket was
answered, and 1/rate after that answer (the service admitted the previous request before answering it).
That holds however late either side runs, and costs nothing while the latency is below the margin.
A bucket that is throttled anyway (the quota is lower than we were told, or another client shares it)
slows down: `RateLimiter.throttled`.

Rates come from `DEFAULT_RPS` (AWS's published defaults where there are any) and `--quota OP=RPS`
overrides (`OP` is `Operation` or `service:Operation`; `*` stands for every operation of a service).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from migrate.aws.errors import THROTTLING_CODES

V2 = "pinpoint-sms-voice-v2"

DEFAULT_RPS: dict[str, dict[str, float]] = {
    # End User Messaging SMS and Voice v2: 1 request/s per operation, 10/s for the opt-out writes.
    V2: {
        "*": 1.0,
        "PutOptedOutNumber": 10.0,
        "DeleteOptedOutNumber": 10.0,
        # The send APIs are paced by messages per second per identity, not by the 1 rps API default; the
        # emulator uses the same figure (an assumption: AWS's table does not list the send operations).
        "SendTextMessage": 20.0,
        "SendVoiceMessage": 20.0,
        "SendMediaMessage": 20.0,
    },
    # Pinpoint and SMS/Voice v1 publish no per-operation API quota; 10/s stays clear of throttling.
    "pinpoint": {"*": 10.0},
    "pinpoint-sms-voice": {"*": 10.0},
    # Services served by moto in tests and read only lightly by a scan.
    "sts": {"*": 20.0},
    "organizations": {"*": 5.0},
    "account": {"*": 5.0},
}
FALLBACK_RPS = 20.0

# The server's bucket and ours start at different instants and requests take a few milliseconds to
# arrive, so two requests sent exactly 1/rate apart may land slightly closer together. Pacing a little
# below the quota keeps a scan at zero throttles for a ~2% longer run. Below LOW_RATE (2 rps: the service's
# bucket holds one request) that is not enough under load, and each bucket also has a `SendGate`. A fixed
# wider slot (0.1 s at 1 rps, before the gate) cost 10% of every 1 rps bucket and still saw 1-16
# throttling retries per org scan on a loaded machine (issue 17).
DEFAULT_HEADROOM = 0.98
LOW_RATE = 2.0
# A throttled bucket keeps this share of its rate from then on (for the rest of the run), down to MIN_SHARE
# of the quota: the quota is lower than the table says, or something else in the account spends it.
SLOW_DOWN = 0.8
MIN_SHARE = 0.25
# How long a request waits for the answer to the previous one of a low-rate bucket before it goes anyway
# (a request that hangs until botocore's read timeout must not stall its bucket for a minute).
GATE_PATIENCE = 5.0


def paced_rate(rate: float, headroom: float = DEFAULT_HEADROOM) -> float:
    """The rate the client's slots keep for a service quota of `rate` requests/s (1 rps -> 0.98 rps)."""
    return rate * headroom


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class QuotaError(ValueError):
    """A `--quota` override that cannot be understood."""


@dataclass(frozen=True)
class QuotaTable:
    """Requests per second by service and operation, with user overrides on top of the defaults."""

    overrides: Mapping[tuple[str | None, str], float] = field(default_factory=dict)
    defaults: Mapping[str, Mapping[str, float]] = field(default_factory=lambda: DEFAULT_RPS)

    def rate(self, service: str, operation: str) -> float:
        for key in ((service, operation), (None, operation), (service, "*")):
            if key in self.overrides:
                return self.overrides[key]
        table = self.defaults.get(service)
        if table is None:
            return FALLBACK_RPS
        return table.get(operation, table.get("*", FALLBACK_RPS))

    @classmethod
    def from_overrides(cls, specs: Iterable[str]) -> QuotaTable:
        """Parse `OP=RPS` / `service:OP=RPS` strings (as `--quota` takes them)."""
        overrides: dict[tuple[str | None, str], float] = {}
        for spec in specs:
            name, sep, value = spec.partition("=")
            name = name.strip()
            if not sep or not name:
                raise QuotaError(f"--quota {spec!r}: expected OPERATION=RPS, e.g. DescribePhoneNumbers=2")
            try:
                rps = float(value)
            except ValueError:
                raise QuotaError(f"--quota {spec!r}: {value!r} is not a number") from None
            if not rps > 0 or rps == float("inf"):
                raise QuotaError(f"--quota {spec!r}: the rate must be a positive number of requests/s")
            service, colon, operation = name.rpartition(":")
            if colon and (not service or not operation):
                raise QuotaError(f"--quota {spec!r}: expected service:Operation=RPS")
            overrides[(service or None, operation)] = rps
        return cls(overrides=overrides)


class TokenBucket:
    """A token bucket of `rate` tokens/s holding at most `burst` tokens; starts full."""

    def __init__(self, rate: float, burst: float = 1.0, clock: Clock | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst)
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._tokens = self.burst
        self._stamp = self._clock.monotonic()

    def reserve(self) -> float:
        """Take one token and return how long the caller must wait before using it (0 if available).

        Tokens may go negative: each reservation queues behind the ones before it.
        """
        with self._lock:
            now = self._clock.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def acquire(self) -> float:
        """Block until a request may be sent; returns the seconds waited."""
        wait = self.reserve()
        if wait > 0:
            self._clock.sleep(wait)
        return wait


class SendGate:
    """One request of a low-rate bucket at a time, sent at least `interval` after the previous answer.

    `enter()` is called just before a request goes on the wire (after our slot, signing and anything else
    that can delay it), `leave()` when its answer (or its failure) is in. The service admitted the previous
    request at the latest when it answered, so a request sent `interval` after that answer reaches a
    service bucket that has refilled, whatever the delays on either side.
    """

    def __init__(self, interval: float, clock: Clock) -> None:
        self.interval = interval
        self._clock = clock
        self._cond = threading.Condition()
        self._busy = False
        self._answered = float("-inf")

    def enter(self) -> float:
        """Wait for the previous request's answer and the interval after it; returns the seconds slept."""
        with self._cond:
            if self._busy:
                self._cond.wait_for(lambda: not self._busy, timeout=GATE_PATIENCE)
            self._busy = True
            wait = self._answered + self.interval - self._clock.monotonic()
        if wait > 0:
            self._clock.sleep(wait)
            return wait
        return 0.0

    def leave(self) -> None:
        with self._cond:
            self._busy = False
            self._answered = self._clock.monotonic()
            self._cond.notify()


class SendWindow:
    """At most `size` requests of a bucket leave in any one second, counted when they go on the wire.

    From 2 rps up the service's bucket holds a second's worth of requests, so the slots' own pacing is safe
    while requests leave on time. They do not on a loaded machine: a thread that wakes late sends at once
    beside the ones on time, and after a stall of the whole client every thread whose slot passed sends
    together, more than the service's bucket holds (issue 17: 12-83 throttling retries of
    PutOptedOutNumber in an org apply at load 11-12). A token bucket of `size` a second admits any sequence
    with at most `size` requests in every second, so a request that would be the `size + 1`-th waits.
    """

    def __init__(self, size: int, clock: Clock, span: float = 1.0) -> None:
        self.size = max(1, size)
        self.span = span
        self._clock = clock
        self._lock = threading.Lock()
        self._sent: deque[float] = deque()

    def enter(self) -> float:
        """Wait until a request may leave without making a second hold more than `size`; the seconds slept."""
        with self._lock:
            now = self._clock.monotonic()
            at = max(now, self._sent[-1]) if self._sent else now
            while len(self._sent) >= self.size:
                at = max(at, self._sent.popleft() + self.span)
            self._sent.append(at)
        if at > now:
            self._clock.sleep(at - now)
        return at - now


BucketKey = tuple[str, str, str, str]  # (account, region, service, operation)


class RateLimiter:
    """The shared registry of buckets: one per (account, region, service, operation)."""

    def __init__(
        self,
        quotas: QuotaTable | None = None,
        *,
        clock: Clock | None = None,
        headroom: float = DEFAULT_HEADROOM,
        burst: float = 1.0,
    ) -> None:
        if not 0 < headroom <= 1:
            raise ValueError("headroom must be in (0, 1]")
        self.quotas = quotas or QuotaTable()
        self.headroom = headroom
        self.burst = burst
        self._clock = clock or SystemClock()
        self._buckets: dict[BucketKey, TokenBucket] = {}
        self._lock = threading.Lock()
        self._waited: dict[BucketKey, float] = {}
        self._counts: dict[BucketKey, int] = {}
        self._gates: dict[BucketKey, SendGate | None] = {}
        self._windows: dict[BucketKey, SendWindow] = {}
        self._throttled: dict[BucketKey, int] = {}
        self._local = threading.local()

    def bucket(self, account: str, region: str, service: str, operation: str) -> TokenBucket:
        key = (account, region, service, operation)
        with self._lock:
            found = self._buckets.get(key)
            if found is None:
                rate = paced_rate(self.quotas.rate(service, operation), self.headroom)
                found = self._buckets[key] = TokenBucket(rate, self.burst, self._clock)
            return found

    def acquire(self, account: str, region: str, service: str, operation: str) -> float:
        """Wait for one request's turn; returns the seconds waited (also kept for this thread, so a caller
        can tell the service's latency from the time it spent waiting here: see `last_wait`)."""
        key = (account, region, service, operation)
        waited = self.bucket(*key).acquire()
        self._local.waited = waited
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + 1
            self._waited[key] = self._waited.get(key, 0.0) + waited
        return waited

    def gate(self, account: str, region: str, service: str, operation: str) -> SendGate | None:
        """The bucket's `SendGate` when its quota is below `LOW_RATE` (None above: the service's bucket
        holds a second's worth of requests and absorbs the jitter)."""
        key = (account, region, service, operation)
        found = self._gates.get(key, False)  # a dict read is atomic: the lock is only for creating
        if found is not False:
            return found  # type: ignore[return-value]
        with self._lock:
            if key not in self._gates:
                quota = self.quotas.rate(service, operation)
                gate = SendGate(1.0 / paced_rate(quota, self.headroom), self._clock)
                self._gates[key] = gate if quota < LOW_RATE else None
            return self._gates[key]

    def window(self, account: str, region: str, service: str, operation: str) -> SendWindow:
        """The bucket's `SendWindow`: at most a second's worth of its quota leaves in any second."""
        key = (account, region, service, operation)
        found = self._windows.get(key)
        if found is not None:
            return found
        with self._lock:
            if key not in self._windows:
                size = math.floor(self.quotas.rate(service, operation) + 1e-9)
                self._windows[key] = SendWindow(size, self._clock)
            return self._windows[key]

    def throttled(self, account: str, region: str, service: str, operation: str) -> None:
        """The service throttled a request of this bucket: pace it at `SLOW_DOWN` of its rate from now on,
        never below `MIN_SHARE` of its quota (and count it: `throttles`)."""
        key = (account, region, service, operation)
        bucket = self.bucket(*key)
        floor = self.quotas.rate(service, operation) * MIN_SHARE
        with self._lock:
            self._throttled[key] = self._throttled.get(key, 0) + 1
        with bucket._lock:
            bucket.rate = max(floor, bucket.rate * SLOW_DOWN)
        gate = self.gate(*key)
        if gate is not None:
            gate.interval = max(gate.interval, 1.0 / bucket.rate)
        else:
            window = self.window(*key)
            window.size = max(1, min(window.size, math.floor(bucket.rate)))

    def throttles(self) -> dict[BucketKey, int]:
        """Throttling answers seen, per bucket."""
        with self._lock:
            return dict(sorted(self._throttled.items()))

    def last_wait(self) -> float:
        """Seconds this thread's latest request waited for its turn."""
        return float(getattr(self._local, "waited", 0.0))

    def stats(self) -> dict[BucketKey, tuple[int, float]]:
        """Requests admitted and seconds waited, per bucket (for progress and benchmarks)."""
        with self._lock:
            return {key: (count, self._waited.get(key, 0.0)) for key, count in sorted(self._counts.items())}

    def attach(self, client: Any, account: str) -> None:
        """Pace every HTTP attempt `client` makes (retries included) through this limiter.

        Hooked at `request-created`, which botocore emits once per attempt, before signing; the hook
        runs before the emulator (or moto, or the network) sees the request. A low-rate bucket's
        `SendGate` is entered at `before-send` (the last event before the request goes out; first, so
        before the in-process emulator answers there) and left at `needs-retry`, which botocore emits
        after every attempt, answered or failed; a throttling answer there slows the bucket down.
        """
        region = client.meta.region_name or "us-east-1"
        service = client.meta.service_model.service_name

        def _pace(event_name: str = "", **_kwargs: Any) -> None:
            operation = event_name.rsplit(".", 1)[-1]
            self.acquire(account, region, service, operation)

        def _enter(event_name: str = "", **_kwargs: Any) -> None:
            operation = event_name.rsplit(".", 1)[-1]
            gate = self.gate(account, region, service, operation)
            if gate is not None:
                gate.enter()
            else:
                self.window(account, region, service, operation).enter()

        def _answered(event_name: str = "", response: Any = None, **_kwargs: Any) -> None:
            operation = event_name.rsplit(".", 1)[-1]
            gate = self.gate(account, region, service, operation)
            if gate is not None:
                gate.leave()
            if response is not None and isinstance(response[1], dict):
                code = (response[1].get("Error") or {}).get("Code")
                if code in THROTTLING_CODES:
                    self.throttled(account, region, service, operation)

        service_id = client.meta.service_model.service_id.hyphenize()
        client.meta.events.register_first(f"request-created.{service_id}", _pace)
        client.meta.events.register_first(f"before-send.{service_id}", _enter)
        client.meta.events.register_first(f"needs-retry.{service_id}", _answered)
