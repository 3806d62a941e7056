"""v2 pools and their origination identities: what a new pool copies, the one-pool-per-number rule, every
mismatch AWS refuses, last-identity protection, opt-out list moves, deletion protection and paging."""

from __future__ import annotations

from typing import Any

import pytest
from emulator.reachable import make_reachable

from migrate.emulator import Emulator
from migrate.emulator.services.v2.model import offline
from migrate.emulator.services.v2.provision import provision_phone_number

REGION = "us-east-1"
TOPIC = "arn:aws:sns:us-east-1:123456789012:inbound-sms"
OTHER_TOPIC = "arn:aws:sns:us-east-1:123456789012:other-inbound"
ROLE = "arn:aws:iam::123456789012:role/two-way"


@pytest.fixture(autouse=True)
def _reachable(emu: Emulator) -> None:
    make_reachable(emu, ROLE, TOPIC, OTHER_TOPIC)


@pytest.fixture
def sms(emu: Emulator) -> Any:
    emu.quotas.resource["PHONE_NUMBERS"] = 50
    return emu.session(REGION).client("pinpoint-sms-voice-v2")


def number(sms: Any, message_type: str = "TRANSACTIONAL", country: str = "GB", **update: Any) -> str:
    made = sms.request_phone_number(
        IsoCountryCode=country, MessageType=message_type, NumberCapabilities=["SMS"], NumberType="LONG_CODE"
    )
    if update:
        sms.update_phone_number(PhoneNumberId=made["PhoneNumberId"], **update)
    return str(made["PhoneNumberId"])


def reason(err: pytest.ExceptionInfo[Any]) -> str:
    return str(err.value.response["Reason"])


def pool_of(sms: Any, phone_number_id: str) -> str | None:
    (found,) = sms.describe_phone_numbers(PhoneNumberIds=[phone_number_id])["PhoneNumbers"]
    return found.get("PoolId")


def members(emu: Emulator, pool_id: str) -> list[str]:
    with offline(emu, REGION) as ctx:
        return [k.split("|", 1)[1] for k, _ in ctx.table("pool_identities").items() if k.startswith(pool_id)]


def test_new_pool_copies_its_first_identity_but_not_deletion_protection(emu: Emulator, sms: Any) -> None:
    sms.create_opt_out_list(OptOutListName="tenant-a")
    first = number(
        sms,
        TwoWayEnabled=True,
        TwoWayChannelArn=TOPIC,
        TwoWayChannelRole=ROLE,
        SelfManagedOptOutsEnabled=True,
        OptOutListName="tenant-a",
        DeletionProtectionEnabled=True,
    )
    sms.put_keyword(
        OriginationIdentity=first, Keyword="join", KeywordMessage="Welcome!", KeywordAction="OPT_IN"
    )
    tags = [{"Key": "tenant", "Value": "a"}]
    pool = sms.create_pool(
        OriginationIdentity=first, MessageType="TRANSACTIONAL", Tags=tags, ClientToken="p1"
    )
    assert pool["Status"] == "ACTIVE" and pool["Tags"] == tags
    assert (pool["TwoWayEnabled"], pool["TwoWayChannelArn"], pool["TwoWayChannelRole"]) == (True, TOPIC, ROLE)
    assert pool["SelfManagedOptOutsEnabled"] is True and pool["OptOutListName"] == "tenant-a"
    assert pool["DeletionProtectionEnabled"] is False and pool["SharedRoutesEnabled"] is False
    assert pool["MessageType"] == "TRANSACTIONAL"
    words = sms.describe_keywords(OriginationIdentity=pool["PoolArn"])["Keywords"]
    assert {w["Keyword"] for w in words} == {"HELP", "STOP", "JOIN"}
    assert pool_of(sms, first) == pool["PoolId"]
    assert members(emu, pool["PoolId"]) == [f"arn:aws:sms-voice:{REGION}:123456789012:phone-number/{first}"]
    again = sms.create_pool(OriginationIdentity=first, MessageType="TRANSACTIONAL", ClientToken="p1")
    assert again["PoolId"] == pool["PoolId"]
    assert len(sms.describe_pools()["Pools"]) == 1


def test_pool_from_a_sender_id_starts_from_defaults(sms: Any) -> None:
    sms.request_sender_id(SenderId="ACME", IsoCountryCode="DE", MessageTypes=["TRANSACTIONAL"])
    arn = "arn:aws:sms-voice:us-east-1:123456789012:sender-id/ACME/DE"
    pool = sms.create_pool(OriginationIdentity=arn, MessageType="TRANSACTIONAL")
    assert pool["OptOutListName"] == "Default" and pool["TwoWayEnabled"] is False
    listed = sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]
    assert listed == [
        {
            "OriginationIdentityArn": arn,
            "OriginationIdentity": "ACME",
            "IsoCountryCode": "DE",
            "NumberCapabilities": ["SMS"],
        }
    ]
    # A sender ID may sit in several pools, unlike a phone number.
    second = sms.create_pool(OriginationIdentity="ACME", IsoCountryCode="DE", MessageType="TRANSACTIONAL")
    assert second["PoolId"] != pool["PoolId"]
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.create_pool(OriginationIdentity="ACME", IsoCountryCode="DE", MessageType="PROMOTIONAL")
    assert reason(err) == "MESSAGE_TYPE_MISMATCH"


def test_create_pool_refusals(emu: Emulator, sms: Any) -> None:
    first = number(sms)
    sms.create_pool(OriginationIdentity=first, MessageType="TRANSACTIONAL")
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.create_pool(OriginationIdentity=first, MessageType="TRANSACTIONAL")
    assert reason(err) == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.create_pool(OriginationIdentity=number(sms), MessageType="PROMOTIONAL")
    assert reason(err) == "MESSAGE_TYPE_MISMATCH"
    pending = sms.request_phone_number(
        IsoCountryCode="US", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"], NumberType="TOLL_FREE"
    )
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.create_pool(OriginationIdentity=pending["PhoneNumberArn"], MessageType="TRANSACTIONAL")
    assert reason(err) == "RESOURCE_NOT_ACTIVE"
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.create_pool(OriginationIdentity="phone-404", MessageType="TRANSACTIONAL")
    assert len(sms.describe_pools()["Pools"]) == 1  # the refused creates left nothing behind
    emu.quotas.resource["POOLS"] = 1
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException) as quota:
        sms.create_pool(OriginationIdentity=number(sms), MessageType="TRANSACTIONAL")
    assert reason(quota) == "POOLS_PER_ACCOUNT"


def test_a_number_belongs_to_one_pool_only(sms: Any) -> None:
    a = sms.create_pool(OriginationIdentity=number(sms), MessageType="TRANSACTIONAL")["PoolId"]
    b = sms.create_pool(OriginationIdentity=number(sms), MessageType="TRANSACTIONAL")["PoolId"]
    shared = number(sms)
    out = sms.associate_origination_identity(PoolId=a, OriginationIdentity=shared, ClientToken="a1")
    assert out["PoolId"] == a and out["OriginationIdentity"] == shared and out["IsoCountryCode"] == "GB"
    replayed = sms.associate_origination_identity(PoolId=a, OriginationIdentity=shared, ClientToken="a1")
    assert replayed["OriginationIdentityArn"] == out["OriginationIdentityArn"]
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.associate_origination_identity(PoolId=b, OriginationIdentity=shared)
    assert reason(err) == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.associate_origination_identity(PoolId=a, OriginationIdentity=shared)
    assert reason(err) == "RESOURCE_ALREADY_ASSOCIATED"
    with pytest.raises(sms.exceptions.ValidationException) as bad:
        sms.associate_origination_identity(PoolId=b, OriginationIdentity=number(sms), IsoCountryCode="US")
    assert reason(bad) == "COUNTRY_CODE_MISMATCH"
    assert pool_of(sms, shared) == a


@pytest.mark.parametrize(
    ("expected", "setup"),
    [
        ("TWO_WAY_CONFIG_MISMATCH", {"TwoWayEnabled": True, "TwoWayChannelArn": TOPIC}),
        ("SELF_MANAGED_OPT_OUTS_MISMATCH", "self-managed"),
        ("OPT_OUT_LIST_MISMATCH", {"OptOutListName": "other"}),
        ("KEYWORD_MISMATCH", "keyword"),
        ("MESSAGE_TYPE_MISMATCH", "promotional"),
    ],
)
def test_associate_refuses_an_identity_configured_unlike_the_pool(
    sms: Any, expected: str, setup: dict[str, Any] | str
) -> None:
    sms.create_opt_out_list(OptOutListName="other")
    two_way = {"TwoWayEnabled": True, "TwoWayChannelArn": TOPIC}
    seed = number(sms, **(two_way if setup == "self-managed" else {}))
    pool = sms.create_pool(OriginationIdentity=seed, MessageType="TRANSACTIONAL")["PoolId"]
    if setup == "self-managed":
        candidate = number(sms, **two_way, SelfManagedOptOutsEnabled=True)
    elif setup == "keyword":
        candidate = number(sms)
        sms.put_keyword(OriginationIdentity=candidate, Keyword="INFO", KeywordMessage="Acme alerts.")
    elif setup == "promotional":
        candidate = number(sms, "PROMOTIONAL")
    else:
        assert isinstance(setup, dict)
        candidate = number(sms, **setup)
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.associate_origination_identity(PoolId=pool, OriginationIdentity=candidate)
    assert reason(err) == expected
    assert err.value.response["ResourceType"] == "pool" and err.value.response["ResourceId"] == pool
    assert pool_of(sms, candidate) is None


def test_two_way_channel_must_match_too(sms: Any) -> None:
    two_way = {"TwoWayEnabled": True, "TwoWayChannelArn": TOPIC}
    pool = sms.create_pool(OriginationIdentity=number(sms, **two_way), MessageType="TRANSACTIONAL")["PoolId"]
    sms.associate_origination_identity(PoolId=pool, OriginationIdentity=number(sms, **two_way))
    elsewhere = number(sms, TwoWayEnabled=True, TwoWayChannelArn=OTHER_TOPIC)
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.associate_origination_identity(PoolId=pool, OriginationIdentity=elsewhere)
    assert reason(err) == "TWO_WAY_CONFIG_MISMATCH"


def test_disassociate_and_the_last_identity(emu: Emulator, sms: Any) -> None:
    seed, other = number(sms), number(sms)
    pool = sms.create_pool(OriginationIdentity=seed, MessageType="TRANSACTIONAL")["PoolId"]
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.disassociate_origination_identity(PoolId=pool, OriginationIdentity=other)
    assert reason(err) == "PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL"
    sms.associate_origination_identity(PoolId=pool, OriginationIdentity=other)
    out = sms.disassociate_origination_identity(PoolId=pool, OriginationIdentity=seed, ClientToken="d1")
    assert out["OriginationIdentity"] == seed and pool_of(sms, seed) is None
    again = sms.disassociate_origination_identity(PoolId=pool, OriginationIdentity=seed, ClientToken="d1")
    again.pop("ResponseMetadata")
    out.pop("ResponseMetadata")
    assert again == out  # a retried call with its token is answered as before
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.disassociate_origination_identity(PoolId=pool, OriginationIdentity=other)
    assert reason(err) == "LAST_PHONE_NUMBER"
    assert members(emu, pool) == [f"arn:aws:sms-voice:{REGION}:123456789012:phone-number/{other}"]
    sms.release_phone_number(PhoneNumberId=seed)  # out of the pool, it can go


def test_list_pool_identities_pages_and_filters(sms: Any) -> None:
    pool = sms.create_pool(OriginationIdentity=number(sms), MessageType="TRANSACTIONAL")["PoolId"]
    for _ in range(2):
        sms.associate_origination_identity(PoolId=pool, OriginationIdentity=number(sms))
    sms.request_sender_id(SenderId="ACME", IsoCountryCode="FR", MessageTypes=["TRANSACTIONAL"])
    sms.associate_origination_identity(PoolId=pool, OriginationIdentity="ACME", IsoCountryCode="FR")
    first = sms.list_pool_origination_identities(PoolId=pool, MaxResults=3)
    rest = sms.list_pool_origination_identities(PoolId=pool, MaxResults=3, NextToken=first["NextToken"])
    assert len(first["OriginationIdentities"]) == 3 and len(rest["OriginationIdentities"]) == 1
    assert all(i.get("PhoneNumber") for i in first["OriginationIdentities"])
    french = sms.list_pool_origination_identities(
        PoolId=pool, Filters=[{"Name": "iso-country-code", "Values": ["FR"]}]
    )["OriginationIdentities"]
    assert [i["OriginationIdentity"] for i in french] == ["ACME"]
    sms_capable = sms.list_pool_origination_identities(
        PoolId=pool, Filters=[{"Name": "number-capability", "Values": ["SMS"]}]
    )
    assert len(sms_capable["OriginationIdentities"]) == 4


def test_describe_pools_by_id_arn_filters_and_pages(sms: Any) -> None:
    pools = [sms.create_pool(OriginationIdentity=number(sms), MessageType="TRANSACTIONAL") for _ in range(3)]
    sms.update_pool(PoolId=pools[1]["PoolId"], SharedRoutesEnabled=True, DeletionProtectionEnabled=True)
    by_id = sms.describe_pools(PoolIds=[pools[0]["PoolId"], pools[2]["PoolArn"]])["Pools"]
    assert [p["PoolId"] for p in by_id] == [pools[0]["PoolId"], pools[2]["PoolId"]]
    first = sms.describe_pools(MaxResults=2)
    second = sms.describe_pools(MaxResults=2, NextToken=first["NextToken"])
    assert len(first["Pools"]) == 2 and len(second["Pools"]) == 1 and "NextToken" not in second

    def matching(name: str, value: str) -> list[str]:
        return [p["PoolId"] for p in sms.describe_pools(Filters=[{"Name": name, "Values": [value]}])["Pools"]]

    assert matching("shared-routes-enabled", "true") == [pools[1]["PoolId"]]
    assert matching("deletion-protection-enabled", "true") == [pools[1]["PoolId"]]
    assert len(matching("status", "ACTIVE")) == 3 and matching("message-type", "PROMOTIONAL") == []
    assert len(matching("opt-out-list-name", "Default")) == 3
    assert sms.describe_pools(Owner="SHARED")["Pools"] == []
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as err:
        sms.describe_pools(PoolIds=["pool-404"])
    assert err.value.response["ResourceType"] == "pool"


def test_update_pool_moves_its_numbers_to_the_new_list(sms: Any) -> None:
    seed, other, outside = number(sms), number(sms), number(sms)
    pool = sms.create_pool(OriginationIdentity=seed, MessageType="TRANSACTIONAL")["PoolId"]
    sms.associate_origination_identity(PoolId=pool, OriginationIdentity=other)
    sms.create_opt_out_list(OptOutListName="tenant-a")
    out = sms.update_pool(
        PoolId=pool,
        OptOutListName="tenant-a",
        TwoWayEnabled=True,
        TwoWayChannelArn=TOPIC,
        TwoWayChannelRole=ROLE,
    )
    assert out["OptOutListName"] == "tenant-a" and out["TwoWayChannelRole"] == ROLE
    lists = {
        n["PhoneNumberId"]: n["OptOutListName"]
        for n in sms.describe_phone_numbers(PhoneNumberIds=[seed, other, outside])["PhoneNumbers"]
    }
    assert lists == {seed: "tenant-a", other: "tenant-a", outside: "Default"}
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.update_pool(PoolId=pool, TwoWayEnabled=False, SelfManagedOptOutsEnabled=True)
    assert reason(err) == "TWO_WAY_NOT_ENABLED"
    (stored,) = sms.describe_pools(PoolIds=[pool])["Pools"]
    assert stored["TwoWayEnabled"] is True  # the refused update changed nothing
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.update_pool(PoolId=pool, OptOutListName="missing")


def test_delete_pool_honours_protection_and_frees_its_identities(emu: Emulator, sms: Any) -> None:
    seed, other = number(sms), number(sms)
    made = sms.create_pool(
        OriginationIdentity=seed, MessageType="TRANSACTIONAL", DeletionProtectionEnabled=True
    )
    pool = made["PoolId"]
    sms.associate_origination_identity(PoolId=pool, OriginationIdentity=other)
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.delete_pool(PoolId=pool)
    assert reason(err) == "DELETION_PROTECTION_ENABLED"
    sms.update_pool(PoolId=pool, DeletionProtectionEnabled=False)
    deleted = sms.delete_pool(PoolId=made["PoolArn"])
    assert deleted["Status"] == "DELETING" and deleted["PoolId"] == pool
    assert pool_of(sms, seed) is None and pool_of(sms, other) is None
    assert members(emu, pool) == []
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_keywords(OriginationIdentity=pool)
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.delete_pool(PoolId=pool)


def test_request_a_number_into_a_pool(sms: Any) -> None:
    two_way = {"TwoWayEnabled": True, "TwoWayChannelArn": TOPIC}
    pool = sms.create_pool(OriginationIdentity=number(sms, **two_way), MessageType="TRANSACTIONAL")
    made = sms.request_phone_number(
        IsoCountryCode="GB",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="LONG_CODE",
        PoolId=pool["PoolArn"],
    )
    assert made["PoolId"] == pool["PoolId"] and made["TwoWayEnabled"] is True
    assert len(sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]) == 2
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.request_phone_number(
            IsoCountryCode="GB",
            MessageType="PROMOTIONAL",
            NumberCapabilities=["SMS"],
            NumberType="LONG_CODE",
            PoolId=pool["PoolId"],
        )
    assert reason(err) == "MESSAGE_TYPE_MISMATCH"


def test_provision_a_number_into_a_pool(emu: Emulator, sms: Any) -> None:
    pool = sms.create_pool(OriginationIdentity=number(sms), MessageType="TRANSACTIONAL")["PoolId"]
    record = provision_phone_number(
        emu,
        region=REGION,
        phone_number="+447700900555",
        number_type="LONG_CODE",
        message_type="TRANSACTIONAL",
        capabilities=["SMS"],
        iso_country_code="GB",
        PoolId=pool,
    )
    assert record["PoolId"] == pool and pool_of(sms, record["PhoneNumberId"]) == pool
