"""A region AWS has no endpoint in for a service gets none from the emulator either (regions.py)."""

from __future__ import annotations

import botocore.config
import pytest
from botocore.exceptions import EndpointConnectionError

from migrate.emulator import Emulator

ONCE = botocore.config.Config(retries={"max_attempts": 1})


@pytest.mark.parametrize(
    ("service", "region", "call"),
    [
        ("pinpoint-sms-voice-v2", "xx-fake-9", "describe_pools"),
        ("pinpoint", "xx-fake-9", "get_apps"),
        ("pinpoint", "sa-east-1", "get_apps"),  # v2 is there, Pinpoint never launched there
        ("pinpoint-sms-voice", "xx-fake-9", "list_configuration_sets"),
    ],
)
def test_no_endpoint(emu: Emulator, service: str, region: str, call: str) -> None:
    client = emu.session(region).client(service, config=ONCE)
    with pytest.raises(EndpointConnectionError):
        getattr(client, call)()
    assert emu.calls[-1].error == "EndpointConnectionError"


def test_served_where_aws_has_the_service(emu: Emulator) -> None:
    assert emu.session("sa-east-1").client("pinpoint-sms-voice-v2").describe_pools()["Pools"] == []
    assert emu.session("us-gov-west-1").client("pinpoint-sms-voice-v2").describe_pools()["Pools"] == []
