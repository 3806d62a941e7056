"""The section that reads Pinpoint SMS and Voice v1 (`pinpoint-sms-voice`)."""

from __future__ import annotations

from typing import Any

from migrate.inventory.records import V1ConfigurationSet
from migrate.inventory.scan_v2 import destination
from migrate.inventory.sections import RegionScan, section

V1 = "pinpoint-sms-voice"


@section(
    "v1.configuration_sets",
    permissions=("sms-voice:ListConfigurationSets", "sms-voice:GetConfigurationSetEventDestinations"),
)
def configuration_sets(scan: RegionScan) -> list[Any]:
    client = scan.client(V1)
    out = []
    for name in scan.items(V1, "ListConfigurationSets", "ConfigurationSets"):
        found = client.get_configuration_set_event_destinations(ConfigurationSetName=name)
        destinations = tuple(
            sorted(
                (destination(d, d["Name"]) for d in found.get("EventDestinations", [])),
                key=lambda d: d["name"],
            )
        )
        out.append(
            V1ConfigurationSet(
                account=scan.account_id, region=scan.region, name=name, event_destinations=destinations
            )
        )
    return out
