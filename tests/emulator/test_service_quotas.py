"""Service Quotas' ListServiceQuotas for sms-voice reports the emulator's own request quotas."""

from __future__ import annotations

import boto3
import pytest

from migrate.emulator import Emulator


def test_sms_voice_rates_are_listed_and_follow_the_switches(emu: Emulator) -> None:
    quotas = boto3.client("service-quotas", region_name="eu-west-1")
    listed = {
        q["QuotaName"]: q["Value"] for q in quotas.list_service_quotas(ServiceCode="sms-voice")["Quotas"]
    }
    assert listed["PutOptedOutNumber requests per second"] == 10.0
    emu.quotas.set_rps("PutOptedOutNumber", 40, region="eu-west-1")
    emu.quotas.set_rps("DescribePools", 3)
    listed = {
        q["QuotaName"]: q["Value"] for q in quotas.list_service_quotas(ServiceCode="sms-voice")["Quotas"]
    }
    assert listed["PutOptedOutNumber requests per second"] == 40.0
    assert listed["DescribePools requests per second"] == 3.0
    with pytest.raises(quotas.exceptions.NoSuchResourceException):
        quotas.list_service_quotas(ServiceCode="lambda")
    # moto still answers the rest of Service Quotas
    assert quotas.list_aws_default_service_quotas(ServiceCode="vpc")["Quotas"]
