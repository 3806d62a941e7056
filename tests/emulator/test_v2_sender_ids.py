"""v2 sender IDs: request (registration by country, refusals, quota, idempotency), describe (filters,
paging), update, release; and provisioning registered sender IDs."""

from __future__ import annotations

from typing import Any

import pytest

from migrate.emulator import Emulator
from migrate.emulator.services.v2.provision import complete_sender_id_registration, provision_sender_id

REGION = "us-east-1"


@pytest.fixture
def sms(emu: Emulator) -> Any:
    return emu.session(REGION).client("pinpoint-sms-voice-v2")


def reason(err: pytest.ExceptionInfo[Any]) -> str:
    return str(err.value.response["Reason"])


def test_sender_id_round_trip_registration_and_idempotency(sms: Any) -> None:
    tags = [{"Key": "tenant", "Value": "a"}]
    made = sms.request_sender_id(
        SenderId="ACME", IsoCountryCode="GB", MessageTypes=["TRANSACTIONAL"], Tags=tags, ClientToken="t1"
    )
    again = sms.request_sender_id(SenderId="ACME", IsoCountryCode="GB", ClientToken="t1")
    assert (
        again["SenderIdArn"]
        == made["SenderIdArn"]
        == "arn:aws:sms-voice:us-east-1:123456789012:sender-id/ACME/GB"
    )
    assert made["Registered"] is True and made["Tags"] == tags and made["MonthlyLeasingPrice"] == "0.00"
    india = sms.request_sender_id(SenderId="ACME", IsoCountryCode="IN", DeletionProtectionEnabled=True)
    assert india["Registered"] is False and india["MessageTypes"] == ["TRANSACTIONAL", "PROMOTIONAL"]
    (one,) = sms.describe_sender_ids(SenderIds=[{"SenderId": made["SenderIdArn"], "IsoCountryCode": "GB"}])[
        "SenderIds"
    ]
    assert one == {
        "SenderIdArn": made["SenderIdArn"],
        "SenderId": "ACME",
        "IsoCountryCode": "GB",
        "MessageTypes": ["TRANSACTIONAL"],
        "MonthlyLeasingPrice": "0.00",
        "DeletionProtectionEnabled": False,
        "Registered": True,
    }

    def matching(name: str, *values: str) -> list[str]:
        found = sms.describe_sender_ids(Filters=[{"Name": name, "Values": list(values)}])["SenderIds"]
        return [s["IsoCountryCode"] for s in found]

    assert matching("registered", "false") == ["IN"]
    assert matching("message-type", "PROMOTIONAL") == ["IN"]
    assert matching("sender-id", "ACME") == ["GB", "IN"]
    assert matching("deletion-protection-enabled", "true") == ["IN"]
    assert matching("iso-country-code", "GB") == ["GB"]
    page = sms.describe_sender_ids(MaxResults=1)
    assert len(page["SenderIds"]) == 1 and sms.describe_sender_ids(NextToken=page["NextToken"])["SenderIds"]
    assert sms.describe_sender_ids(Owner="SHARED")["SenderIds"] == []


def test_sender_id_refusals(sms: Any) -> None:
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.request_sender_id(SenderId="ACME", IsoCountryCode="US")
    assert reason(err) == "SENDER_ID_NOT_SUPPORTED"
    for bad in ("-ACME", "ACME-", "12345"):
        with pytest.raises(sms.exceptions.ValidationException) as err:
            sms.request_sender_id(SenderId=bad, IsoCountryCode="GB")
        assert reason(err) == "INVALID_PARAMETER"
    sms.request_sender_id(SenderId="ACME", IsoCountryCode="GB")
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.request_sender_id(SenderId="ACME", IsoCountryCode="GB")
    assert reason(err) == "RESOURCE_ALREADY_EXISTS"
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as missing:
        sms.describe_sender_ids(SenderIds=[{"SenderId": "ACME", "IsoCountryCode": "FR"}])
    assert missing.value.response["ResourceType"] == "sender-id"


def test_sender_id_quota(emu: Emulator, sms: Any) -> None:
    emu.quotas.resource["SENDER_IDS"] = 1
    sms.request_sender_id(SenderId="ONE", IsoCountryCode="GB")
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException) as err:
        sms.request_sender_id(SenderId="TWO", IsoCountryCode="GB")
    assert reason(err) == "SENDER_IDS_PER_ACCOUNT"


def test_update_and_release_sender_id(sms: Any) -> None:
    sms.request_sender_id(SenderId="ACME", IsoCountryCode="FR", MessageTypes=["TRANSACTIONAL"])
    updated = sms.update_sender_id(SenderId="ACME", IsoCountryCode="FR", DeletionProtectionEnabled=True)
    assert updated["DeletionProtectionEnabled"] is True
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.release_sender_id(SenderId="ACME", IsoCountryCode="FR")
    assert reason(err) == "DELETION_PROTECTION_ENABLED"
    sms.update_sender_id(SenderId="ACME", IsoCountryCode="FR", DeletionProtectionEnabled=False)
    pool = sms.create_pool(OriginationIdentity="ACME", IsoCountryCode="FR", MessageType="TRANSACTIONAL")
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.release_sender_id(SenderId="ACME", IsoCountryCode="FR")
    assert reason(err) == "SENDER_ID_ASSOCIATED_TO_POOL"
    sms.delete_pool(PoolId=pool["PoolId"])
    released = sms.release_sender_id(SenderId="ACME", IsoCountryCode="FR")
    assert released["SenderId"] == "ACME" and released["Registered"] is True
    assert sms.describe_sender_ids()["SenderIds"] == []


def test_provision_sender_ids_and_complete_a_registration(emu: Emulator, sms: Any) -> None:
    provision_sender_id(
        emu, region=REGION, sender_id="BANK", iso_country_code="IN", registration_id="registration-9"
    )
    (bank,) = sms.describe_sender_ids()["SenderIds"]
    assert bank["Registered"] is True and bank["RegistrationId"] == "registration-9"
    sms.request_sender_id(SenderId="SHOP", IsoCountryCode="SA")
    assert sms.describe_sender_ids(Filters=[{"Name": "registered", "Values": ["false"]}])["SenderIds"]
    complete_sender_id_registration(emu, region=REGION, sender_id="SHOP", iso_country_code="SA")
    assert not sms.describe_sender_ids(Filters=[{"Name": "registered", "Values": ["false"]}])["SenderIds"]
