"""v2 verified destination numbers: the sandbox's create → send code → verify flow, and its refusals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrate.emulator import Emulator
from migrate.emulator.services.v2.account import set_account_tier
from migrate.emulator.services.v2.model import in_sandbox, is_verified_destination, offline
from migrate.emulator.services.v2.verified import SENDS_PER_DAY, verification_code


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed(clock: Clock) -> Iterator[Emulator]:
    with Emulator(account_id="123456789012", clock=clock) as emulator:
        emulator.quotas.request_enforced = False
        yield emulator


def test_create_send_verify_delete(emu: Emulator) -> None:
    set_account_tier(emu, "us-east-1", "SANDBOX")
    sms = emu.session("us-east-1").client("pinpoint-sms-voice-v2")
    made = sms.create_verified_destination_number(
        DestinationPhoneNumber="12065550100", Tags=[{"Key": "k", "Value": "v"}], ClientToken="v-1"
    )
    number_id = made["VerifiedDestinationNumberId"]
    assert made["Status"] == "PENDING" and made["DestinationPhoneNumber"] == "+12065550100"
    assert number_id.startswith("verifieddestinationnumber-")
    replayed = sms.create_verified_destination_number(
        DestinationPhoneNumber="+12065550100", ClientToken="v-1"
    )
    assert replayed["VerifiedDestinationNumberId"] == number_id
    with pytest.raises(sms.exceptions.ConflictException) as dup:
        sms.create_verified_destination_number(DestinationPhoneNumber="+12065550100")
    assert dup.value.response["Reason"] == "RESOURCE_ALREADY_EXISTS"

    assert verification_code(emu, "us-east-1", number_id) is None
    with pytest.raises(sms.exceptions.ValidationException) as early:
        sms.verify_destination_number(VerifiedDestinationNumberId=number_id, VerificationCode="123456")
    assert early.value.response["Reason"] == "VERIFICATION_CODE_MISMATCH"

    sms.create_configuration_set(ConfigurationSetName="t")
    sent = sms.send_destination_number_verification_code(
        VerifiedDestinationNumberId=number_id, VerificationChannel="TEXT", ConfigurationSetName="t"
    )
    assert sent["MessageId"]
    first_code = verification_code(emu, "us-east-1", number_id)
    sms.send_destination_number_verification_code(
        VerifiedDestinationNumberId=made["VerifiedDestinationNumberArn"],
        VerificationChannel="VOICE",
        LanguageCode="EN_US",
    )
    code = verification_code(emu, "us-east-1", number_id)
    assert code is not None and code != first_code and len(code) == 6
    with pytest.raises(sms.exceptions.ValidationException) as wrong:
        sms.verify_destination_number(VerifiedDestinationNumberId=number_id, VerificationCode=str(first_code))
    assert wrong.value.response["Reason"] == "VERIFICATION_CODE_MISMATCH"  # only the newest code counts
    with offline(emu, "us-east-1") as ctx:
        assert in_sandbox(ctx) and not is_verified_destination(ctx, "+12065550100")

    verified = sms.verify_destination_number(VerifiedDestinationNumberId=number_id, VerificationCode=code)
    assert verified["Status"] == "VERIFIED"
    with offline(emu, "us-east-1") as ctx:
        assert is_verified_destination(ctx, "12065550100")
    with pytest.raises(sms.exceptions.ConflictException) as done:
        sms.verify_destination_number(VerifiedDestinationNumberId=number_id, VerificationCode=code)
    assert done.value.response["Reason"] == "VERIFICATION_ALREADY_COMPLETE"
    with pytest.raises(sms.exceptions.ConflictException) as resend:
        sms.send_destination_number_verification_code(
            VerifiedDestinationNumberId=number_id, VerificationChannel="TEXT"
        )
    assert resend.value.response["Reason"] == "VERIFICATION_ALREADY_COMPLETE"

    deleted = sms.delete_verified_destination_number(VerifiedDestinationNumberId=number_id)
    assert deleted["DestinationPhoneNumber"] == "+12065550100"
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as gone:
        sms.delete_verified_destination_number(VerifiedDestinationNumberId=number_id)
    assert gone.value.response["ResourceType"] == "verified-destination-number"


def test_describe_filters_and_paging(emu: Emulator) -> None:
    sms = emu.session("us-east-1").client("pinpoint-sms-voice-v2")
    ids = [
        sms.create_verified_destination_number(DestinationPhoneNumber=f"+1206555010{i}")[
            "VerifiedDestinationNumberId"
        ]
        for i in range(4)
    ]
    sms.send_destination_number_verification_code(
        VerifiedDestinationNumberId=ids[1], VerificationChannel="TEXT"
    )
    code = verification_code(emu, "us-east-1", ids[1])
    assert code is not None
    sms.verify_destination_number(VerifiedDestinationNumberId=ids[1], VerificationCode=code)

    pages = sms.get_paginator("describe_verified_destination_numbers").paginate(
        PaginationConfig={"PageSize": 3}
    )
    assert [n["VerifiedDestinationNumberId"] for p in pages for n in p["VerifiedDestinationNumbers"]] == ids
    verified = sms.describe_verified_destination_numbers(Filters=[{"Name": "status", "Values": ["VERIFIED"]}])
    assert [n["VerifiedDestinationNumberId"] for n in verified["VerifiedDestinationNumbers"]] == [ids[1]]
    pending = sms.describe_verified_destination_numbers(Filters=[{"Name": "status", "Values": ["PENDING"]}])
    assert len(pending["VerifiedDestinationNumbers"]) == 3
    by_number = sms.describe_verified_destination_numbers(DestinationPhoneNumbers=["+12065550102"])
    assert [n["VerifiedDestinationNumberId"] for n in by_number["VerifiedDestinationNumbers"]] == [ids[2]]
    by_id = sms.describe_verified_destination_numbers(VerifiedDestinationNumberIds=[ids[3]])
    assert by_id["VerifiedDestinationNumbers"][0]["DestinationPhoneNumber"] == "+12065550103"
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_verified_destination_numbers(
            VerifiedDestinationNumberIds=["verifieddestinationnumber-0"]
        )


def test_quota_and_bad_numbers(emu: Emulator) -> None:
    sms = emu.session("us-east-1").client("pinpoint-sms-voice-v2")
    emu.quotas.resource["VERIFIED_DESTINATION_NUMBERS"] = 1
    sms.create_verified_destination_number(DestinationPhoneNumber="+12065550100")
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException) as err:
        sms.create_verified_destination_number(DestinationPhoneNumber="+12065550101")
    assert err.value.response["Reason"] == "VERIFIED_DESTINATION_NUMBERS_PER_ACCOUNT"
    with pytest.raises(sms.exceptions.ValidationException) as bad:
        sms.create_verified_destination_number(DestinationPhoneNumber="+123")
    assert bad.value.response["Reason"] == "INVALID_PARAMETER"


def test_send_checks_its_references(emu: Emulator) -> None:
    sms = emu.session("us-east-1").client("pinpoint-sms-voice-v2")
    number_id = sms.create_verified_destination_number(DestinationPhoneNumber="+12065550100")[
        "VerifiedDestinationNumberId"
    ]
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as no_set:
        sms.send_destination_number_verification_code(
            VerifiedDestinationNumberId=number_id, VerificationChannel="TEXT", ConfigurationSetName="nope"
        )
    assert no_set.value.response["ResourceType"] == "configuration-set"
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as no_pool:
        sms.send_destination_number_verification_code(
            VerifiedDestinationNumberId=number_id, VerificationChannel="TEXT", OriginationIdentity="pool-nope"
        )
    assert no_pool.value.response["ResourceType"] == "pool"
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.send_destination_number_verification_code(
            VerifiedDestinationNumberId="verifieddestinationnumber-0", VerificationChannel="TEXT"
        )


def test_daily_send_limit_and_code_expiry(timed: Emulator, clock: Clock) -> None:
    sms = timed.session("us-east-1").client("pinpoint-sms-voice-v2")
    number_id = sms.create_verified_destination_number(DestinationPhoneNumber="+12065550100")[
        "VerifiedDestinationNumberId"
    ]
    for _ in range(SENDS_PER_DAY):
        sms.send_destination_number_verification_code(
            VerifiedDestinationNumberId=number_id, VerificationChannel="TEXT"
        )
        clock.now += 60
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException) as err:
        sms.send_destination_number_verification_code(
            VerifiedDestinationNumberId=number_id, VerificationChannel="TEXT"
        )
    assert err.value.response["Reason"] == "VERIFICATION_ATTEMPTS_PER_DAY"
    code = verification_code(timed, "us-east-1", number_id)
    assert code is not None
    clock.now += 25 * 3600  # a day later the code has expired, and new ones may be sent
    with pytest.raises(sms.exceptions.ConflictException) as expired:
        sms.verify_destination_number(VerifiedDestinationNumberId=number_id, VerificationCode=code)
    assert expired.value.response["Reason"] == "VERIFICATION_CODE_EXPIRED"
    sms.send_destination_number_verification_code(
        VerifiedDestinationNumberId=number_id, VerificationChannel="TEXT"
    )
    fresh = verification_code(timed, "us-east-1", number_id)
    assert fresh is not None
    assert sms.verify_destination_number(VerifiedDestinationNumberId=number_id, VerificationCode=fresh)[
        "Status"
    ] == ("VERIFIED")
