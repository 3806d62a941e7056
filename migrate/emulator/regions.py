"""Which regions the emulated services have an endpoint in, as botocore's partition data says.

On AWS a region with no endpoint for a service is not an error the service returns: nothing answers.
botocore builds a host name (`sms-voice.xx-fake-9.amazonaws.com`) and fails to connect, raising
`EndpointConnectionError` after its retries. The emulator does the same for a region that botocore's
`endpoints.json` does not list for the service (`Session.get_available_regions`, every partition): a typo
in `--region` fails here as it fails on AWS. SMS and Voice v1 and v2 share the `sms-voice` endpoint prefix.
"""

from __future__ import annotations

from functools import lru_cache

import botocore.session

# v1 shares v2's `sms-voice` endpoints (botocore lists them under the v2 service name only).
_SAME_ENDPOINTS = {"pinpoint-sms-voice": "pinpoint-sms-voice-v2"}


@lru_cache(maxsize=16)
def _regions(service: str) -> frozenset[str]:
    session = botocore.session.get_session()
    prefix = _SAME_ENDPOINTS.get(service, service)
    found: set[str] = set()
    for partition in session.get_available_partitions():
        found.update(session.get_available_regions(prefix, partition_name=partition))
    return frozenset(found)


def has_endpoint(service: str, region: str) -> bool:
    """Whether AWS has an endpoint for `service` in `region` (unknown services: assume yes)."""
    regions = _regions(service)
    return not regions or region in regions
