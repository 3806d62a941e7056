"""Helpers shared by the benchmark scripts: the machine, emulated worlds, and the quota-bound minimum.

The quota-bound minimum of a run is the time the service's request quotas alone impose: for every token
bucket the emulator keeps (account, region, service, operation), the calls made divided by the bucket's
rate; the slowest bucket sets the floor, plus one call's latency (the last answer still has to arrive).
The emulator's buckets let about one second's worth of calls through at once; the minimum ignores that
burst, as the tool's client-side limiter does not spend it (it paces from the first call).
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migrate.aws.ratelimit import QuotaTable
from migrate.emulator import Call, Emulator
from migrate.emulator.services.v2.provision import provision_phone_number

THROTTLE_CODES = frozenset({"ThrottlingException", "TooManyRequestsException"})
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")
V2 = "pinpoint-sms-voice-v2"


def machine() -> str:
    """One line naming what the figures were measured on."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"machine: nproc={os.cpu_count()}, CPU {model}, Python {platform.python_version()} "
        f"({platform.system()} {platform.machine()})"
    )


def phone_number(region_index: int, n: int) -> str:
    """A valid, distinct US number per (region, n): +1 206 2RN NNNN."""
    return f"+1206{2 + region_index}{n:06d}"


def add_numbers(emu: Emulator, region: str, region_index: int, count: int) -> list[str]:
    """`count` long codes in `region`, as AWS hands them over (each gets HELP and STOP keywords)."""
    numbers = [phone_number(region_index, n) for n in range(count)]
    for number in numbers:
        provision_phone_number(
            emu,
            region=region,
            phone_number=number,
            number_type="LONG_CODE",
            message_type="TRANSACTIONAL",
            capabilities=["SMS", "VOICE"],
            iso_country_code="US",
        )
    return numbers


def before_end_of_support() -> Callable[[], float]:
    """A clock reading 2026-09-01 now and moving with real time: a world (and the scan judging by it) before
    Pinpoint's end of support, whose full read is the heaviest a scan makes."""
    offset = 1788220800.0 - time.time()  # 2026-09-01T00:00:00Z
    return lambda: time.time() + offset


def add_tenants(emu: Emulator, region: str, numbers: list[str], count: int) -> None:
    """`count` Pinpoint projects in `region`, one per tenant, built with the Pinpoint API.

    Every project has its tags and an SMS channel; every third a voice channel; every fourth quiet-time
    settings and a campaign on a segment sending from the tenant's number (what a scan reads per project).
    The projects are made as they were before Pinpoint's end of support (settings, segments and campaigns
    are retired after 2026-10-30); the emulator's own setting is restored afterwards.
    """
    pinpoint = emu.session(region).client("pinpoint")
    forced, emu.end_of_support = emu.end_of_support, False
    try:
        _add_tenants(pinpoint, numbers, count)
    finally:
        emu.end_of_support = forced


def _add_tenants(pinpoint: Any, numbers: list[str], count: int) -> None:
    for n in range(count):
        slug = f"tenant-{n:04d}"
        app_id = pinpoint.create_app(
            CreateApplicationRequest={"Name": f"Tenant {n:04d}", "tags": {"tenant": slug}}
        )["ApplicationResponse"]["Id"]
        pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
        if n % 3 == 0:
            pinpoint.update_voice_channel(ApplicationId=app_id, VoiceChannelRequest={"Enabled": True})
        if n % 4 == 0:
            pinpoint.update_application_settings(
                ApplicationId=app_id,
                WriteApplicationSettingsRequest={"QuietTime": {"Start": "21:00", "End": "08:00"}},
            )
            segment = pinpoint.create_segment(
                ApplicationId=app_id,
                WriteSegmentRequest={
                    "Name": "sms-users",
                    "Dimensions": {
                        "Demographic": {"Channel": {"DimensionType": "INCLUSIVE", "Values": ["SMS"]}}
                    },
                },
            )["SegmentResponse"]["Id"]
            sms: dict[str, Any] = {"Body": "Your order shipped.", "MessageType": "TRANSACTIONAL"}
            if numbers:
                sms["OriginationNumber"] = numbers[n % len(numbers)]
            pinpoint.create_campaign(
                ApplicationId=app_id,
                WriteCampaignRequest={
                    "Name": "shipping",
                    "SegmentId": segment,
                    "SegmentVersion": 1,
                    "Schedule": {
                        "StartTime": "2026-06-02T09:00:00Z",
                        "Frequency": "WEEKLY",
                        "Timezone": "UTC",
                    },
                    "MessageConfiguration": {"SMSMessage": sms},
                },
            )


def enforce(emu: Emulator, *, scale: float = 1.0, latency: float = 0.0) -> None:
    """Quotas back on (scaled), injected latency on every emulated operation, a fresh call record."""
    emu.quotas.request_enforced = True
    emu.quotas.resource_enforced = True
    emu.quotas.scale_requests(scale)  # also empties the server's buckets: every run starts alike
    emu.faults.clear()
    if latency:
        emu.faults.latency("*", latency)
    reset_calls(emu)


def reset_calls(emu: Emulator) -> None:
    with emu._calls_lock:  # the emulator appends under this lock; a benchmark resets between runs
        emu.calls.clear()


@dataclass(frozen=True)
class Floor:
    """The quota-bound minimum of a run and the bucket that sets it."""

    seconds: float
    bucket: tuple[str, str, str, str]
    calls: int
    rate: float
    buckets: int

    def describe(self) -> str:
        _account, region, service, operation = self.bucket
        return (
            f"{self.seconds:.2f}s, set by {service}:{operation} in {region} "
            f"({self.calls} calls at {self.rate:g} rps; {self.buckets} buckets in all)"
        )


def quota_floor(emu: Emulator, calls: Iterable[Call], latency: float) -> Floor:
    """max over buckets of calls/rate, plus one latency (moto's services: the tool's assumed quotas)."""
    counts = Counter((c.account, c.region, c.service, c.operation, c.served_by) for c in calls)
    client_side = QuotaTable()
    best: Floor | None = None
    for (account, region, service, operation, served_by), n in counts.items():
        if served_by == "emulator":
            rate = emu.quotas.rate(service, operation, region)
        else:
            rate = client_side.rate(service, operation)
        seconds = n / rate + latency
        if best is None or seconds > best.seconds:
            best = Floor(seconds, (account, region, service, operation), n, rate, 0)
    if best is None:
        return Floor(latency, ("", "", "", ""), 0, 0.0, 0)
    return Floor(best.seconds, best.bucket, best.calls, best.rate, len(counts))


def throttles(calls: Iterable[Call]) -> int:
    """Calls the service refused for their rate (each one a retry botocore had to make)."""
    return sum(1 for c in calls if c.error in THROTTLE_CODES)


def errors(calls: Iterable[Call]) -> Counter[str]:
    return Counter(f"{c.operation}:{c.error}" for c in calls if c.error)
