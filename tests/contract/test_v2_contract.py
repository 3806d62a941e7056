"""What pinpoint-migrate relies on SMS and Voice v2 to do. Each test cites where AWS says so; each runs
against the emulator and, with PINPOINT_MIGRATE_LIVE_PROFILE set, against a real account (conftest.py)."""

from __future__ import annotations

import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from contract.conftest import Target, reason

# A US destination of the SMS simulator (AWS End User Messaging SMS user guide, "Simulator phone numbers":
# +14254147755 is the successful-delivery destination).
DESTINATION = "+14254147755"


def test_pool_inherits_its_first_identitys_opt_out_list(target: Target) -> None:
    # CreatePool: "The new pool inherits its configuration from the specified origination identity. This
    # includes keywords, message type, opt-out list, two-way configuration, and self-managed opt-out
    # configuration." (SMS and Voice v2 API reference, CreatePool)
    listed = target.opt_out_list("inherit")
    number = target.simulator_number(listed)
    pool = target.pool(number["PhoneNumberArn"])
    assert pool["OptOutListName"] == listed
    assert pool["DeletionProtectionEnabled"] is False  # "Deletion protection isn't inherited"


def test_later_identity_must_match_the_pool(target: Target) -> None:
    # AssociateOriginationIdentity: "... the origination identity's configuration must match the pool's"
    # (API reference); the modelled reasons include OPT_OUT_LIST_MISMATCH.
    founder = target.simulator_number(target.opt_out_list("a"))
    other = target.simulator_number(target.opt_out_list("b"))
    pool = target.pool(founder["PhoneNumberArn"])
    target.wait_pool(pool["PoolId"])
    sms = target.v2()
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.associate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=other["PhoneNumberArn"])
    assert reason(err) == "OPT_OUT_LIST_MISMATCH"


def test_a_number_is_in_one_pool_only(target: Target) -> None:
    # "A phone number can only be associated with one pool" (user guide, phone pools); terraform's
    # phone_number.go meets PHONE_NUMBER_ASSOCIATED_TO_POOL when a pooled number is released.
    number = target.simulator_number()
    pool = target.pool(number["PhoneNumberArn"])
    target.wait_pool(pool["PoolId"])
    sms = target.v2()
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.create_pool(OriginationIdentity=number["PhoneNumberArn"], MessageType="TRANSACTIONAL")
    assert reason(err) == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.release_phone_number(PhoneNumberId=number["PhoneNumberId"])
    assert reason(err) == "PHONE_NUMBER_ASSOCIATED_TO_POOL"


@pytest.mark.parametrize("path", ["pool-id", "number-id", "number-arn", "number-e164"])
def test_opt_out_is_checked_on_every_send_path(target: Target, path: str) -> None:
    # SendTextMessage refuses an opted-out destination with ConflictException
    # DESTINATION_PHONE_NUMBER_OPTED_OUT, whichever form OriginationIdentity takes (API reference:
    # "OriginationIdentity ... can be the PhoneNumber, PhoneNumberId, PhoneNumberArn, SenderId,
    # SenderIdArn, PoolId, or PoolArn"). DryRun: nothing is sent.
    listed = target.opt_out_list("send")
    number = target.simulator_number(listed)
    sms = target.v2()
    sms.put_opted_out_number(OptOutListName=listed, OptedOutNumber=DESTINATION)
    origination = {
        "number-id": number["PhoneNumberId"],
        "number-arn": number["PhoneNumberArn"],
        "number-e164": number["PhoneNumber"],
    }.get(path)
    if origination is None:
        pool = target.pool(number["PhoneNumberArn"])
        target.wait_pool(pool["PoolId"])
        origination = pool["PoolId"]
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.send_text_message(
            DestinationPhoneNumber=DESTINATION, OriginationIdentity=origination, MessageBody="contract",
            MessageType="TRANSACTIONAL", DryRun=True,
        )  # fmt: skip
    assert reason(err) == "DESTINATION_PHONE_NUMBER_OPTED_OUT"


def test_pagination_bounds(target: Target) -> None:
    # DescribeOptOutLists MaxResults is 1..100 (botocore's model); a page of one hands back a NextToken.
    sms = target.v2()
    target.opt_out_list("page-1")
    target.opt_out_list("page-2")
    first = sms.describe_opt_out_lists(MaxResults=1)
    assert len(first["OptOutLists"]) == 1 and first.get("NextToken")
    with pytest.raises(sms.exceptions.ValidationException):
        sms.describe_opt_out_lists(MaxResults=101)


def test_resource_quotas_are_reported(target: Target) -> None:
    # DescribeAccountLimits reports POOLS, CONFIGURATION_SETS, OPT_OUT_LISTS ... with Used and Max (API
    # reference); the product reads the real quotas there instead of assuming the defaults (25).
    limits = {a["Name"]: a for a in target.v2().describe_account_limits()["AccountLimits"]}
    for name in ("POOLS", "CONFIGURATION_SETS", "OPT_OUT_LISTS", "PHONE_NUMBERS"):
        assert limits[name]["Max"] >= 1 and 0 <= limits[name]["Used"] <= limits[name]["Max"]


def test_pool_states(target: Target) -> None:
    # terraform-provider-aws pool.go: waitPoolActive (CREATING -> ACTIVE), waitPoolDeleted (DELETING -> gone).
    number = target.simulator_number()
    pool = target.pool(number["PhoneNumberArn"])
    assert pool["Status"] in ("CREATING", "ACTIVE")
    target.wait_pool(pool["PoolId"])
    sms = target.v2()
    assert sms.delete_pool(PoolId=pool["PoolId"])["Status"] == "DELETING"
    if target.pool_status(pool["PoolId"]) == "DELETING":
        # Its numbers are freed only once it is gone (terraform's phone_number.go retries the release).
        with pytest.raises(sms.exceptions.ConflictException) as err:
            sms.release_phone_number(PhoneNumberId=number["PhoneNumberId"])
        assert reason(err) == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    target.wait_pool_gone(pool["PoolId"])


def test_sender_id_arn_needs_a_country(target: Target) -> None:
    # A sender ID ARN without IsoCountryCode: ValidationException INVALID_ARN (issue 14's AWS observation;
    # AssociateOriginationIdentity API reference: IsoCountryCode names the sender ID's country).
    number = target.simulator_number()
    pool = target.pool(number["PhoneNumberArn"])
    target.wait_pool(pool["PoolId"])
    sms = target.v2()
    account = number["PhoneNumberArn"].split(":")[4]
    arn = f"arn:aws:sms-voice:{target.region}:{account}:sender-id/CONTRACT/GB"
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.associate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=arn)
    assert reason(err) == "INVALID_ARN"


def test_an_opted_out_number_is_deleted_once_in_30_days(target: Target) -> None:
    # DeleteOptedOutNumber: "Each destination phone number can only be deleted once every 30 days."
    listed = target.opt_out_list("thirty")
    sms = target.v2()
    sms.put_opted_out_number(OptOutListName=listed, OptedOutNumber=DESTINATION)
    sms.delete_opted_out_number(OptOutListName=listed, OptedOutNumber=DESTINATION)
    sms.put_opted_out_number(OptOutListName=listed, OptedOutNumber=DESTINATION)
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.delete_opted_out_number(OptOutListName=listed, OptedOutNumber=DESTINATION)
    assert reason(err) == "PHONE_NUMBER_CANNOT_BE_OPTED_IN"


def test_no_promotional_simulator_numbers(target: Target) -> None:
    # terraform-provider-aws's simulator numbers are all TRANSACTIONAL (phone_number_test.go); PROMOTIONAL
    # was answered ResourceNotFoundException in its runs.
    sms = target.v2()
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.request_phone_number(
            IsoCountryCode="US", MessageType="PROMOTIONAL", NumberCapabilities=["SMS"], NumberType="SIMULATOR",
            Tags=target.tags,
        )  # fmt: skip


def test_no_endpoint_in_a_region_that_does_not_exist(target: Target) -> None:
    # botocore builds sms-voice.xx-fake-9.amazonaws.com, which does not resolve: EndpointConnectionError.
    client = target.session("xx-fake-9").client(
        "pinpoint-sms-voice-v2", config=Config(retries={"max_attempts": 1}, connect_timeout=5)
    )
    with pytest.raises(EndpointConnectionError):
        client.describe_pools()


def test_caller_identity_is_the_accounts_own(target: Target) -> None:
    # STS GetCallerIdentity answers the account the credentials belong to (STS API reference); the
    # product's per-account scan trusts it.
    number = target.simulator_number()
    account = number["PhoneNumberArn"].split(":")[4]
    assert target.session(target.region).client("sts").get_caller_identity()["Account"] == account
