"""Service Quotas' `ListServiceQuotas` for `sms-voice`: the emulator's own v2 request quotas, so apply can
read them as it would read an account's raised rates (moto serves the rest of Service Quotas)."""

from __future__ import annotations

from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError
from migrate.emulator.quotas import DEFAULT_RPS, V2
from migrate.emulator.registry import operation
from migrate.emulator.services.common import page


def _listed(ctx: Context) -> list[str]:
    """The operations with a rate of their own: AWS's non-default ones and any the test world raised."""
    named = {op for op in DEFAULT_RPS[V2] if op != "*"}
    named |= {
        op for (service, op, region) in ctx.quotas.rps if service == V2 and region in (None, ctx.region)
    }
    return sorted(named)


@operation("service-quotas", "ListServiceQuotas")
def list_service_quotas(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    if params["ServiceCode"] != "sms-voice":
        raise ApiError("NoSuchResourceException", f"The service {params['ServiceCode']} is not emulated.")
    quotas = [
        {
            "ServiceCode": "sms-voice",
            "ServiceName": "AWS End User Messaging SMS and Voice",
            "QuotaArn": ctx.arn(f"sms-voice/L-EMU{number:05d}", service="service-quotas"),
            "QuotaCode": f"L-EMU{number:05d}",
            "QuotaName": f"{op} requests per second",
            "Value": ctx.quotas.rate(V2, op, ctx.region),
            "Unit": "None",
            "Adjustable": True,
            "GlobalQuota": False,
        }
        for number, op in enumerate(_listed(ctx), start=1)
    ]
    chunk, token = page(quotas, params, default_size=100, v2=False)
    return {"Quotas": chunk, "NextToken": token}
