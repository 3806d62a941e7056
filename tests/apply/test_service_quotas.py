"""apply paces the opt-out fill at the rate Service Quotas reports, unless --quota says otherwise."""

from __future__ import annotations

from migrate.apply.clients import AwsOptions, Clients
from migrate.emulator import Emulator

PLACES = {("123456789012", "us-east-1")}
OPS = ["PutOptedOutNumber", "DescribeOptedOutNumbers"]


def test_raised_rate_is_adopted() -> None:
    with Emulator() as emu:
        emu.quotas.set_rps("PutOptedOutNumber", 40)
        clients = Clients(AwsOptions(), emu)
        notes = clients.adopt_service_quotas(PLACES, OPS)
        assert notes == ["request rates from Service Quotas: PutOptedOutNumber=40/s"]
        assert clients.limiter.quotas.rate("pinpoint-sms-voice-v2", "PutOptedOutNumber") == 40.0
        assert clients.factory.limiter is clients.limiter


def test_quota_option_wins_and_denied_read_keeps_defaults() -> None:
    with Emulator() as emu:
        emu.quotas.set_rps("PutOptedOutNumber", 40)
        given = Clients(AwsOptions(quotas=("PutOptedOutNumber=12",)), emu)
        given.adopt_service_quotas(PLACES, OPS)
        assert given.limiter.quotas.rate("pinpoint-sms-voice-v2", "PutOptedOutNumber") == 12.0
        emu.faults.fail("ListServiceQuotas", "AccessDeniedException", times=10)
        denied = Clients(AwsOptions(), emu)
        notes = denied.adopt_service_quotas(PLACES, OPS)
        assert len(notes) == 1 and "Service Quotas not read" in notes[0] and "--quota" in notes[0]
        assert denied.limiter.quotas.rate("pinpoint-sms-voice-v2", "PutOptedOutNumber") == 10.0
