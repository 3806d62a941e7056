"""Pinpoint channels and event streams in the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore
import pytest

from migrate.emulator import Emulator
from tests.clocks import clock_before_end_of_support
from tests.event_targets import make_role, make_stream

ROLE = "arn:aws:iam::123456789012:role/pinpoint-events"
FIREHOSE = "arn:aws:firehose:us-east-1:123456789012:deliverystream/pinpoint-events"
KINESIS = "arn:aws:kinesis:us-east-1:123456789012:stream/pinpoint-events"

# (api stem, request/response shape stem, GetChannels key, a valid request, secrets that must not come back)
CHANNELS = [
    ("sms", "SMS", "SMS", {"Enabled": True, "SenderId": "ACME", "ShortCode": "12345"}, []),
    ("voice", "Voice", "VOICE", {"Enabled": True}, []),
    (
        "email",
        "Email",
        "EMAIL",
        {
            "Enabled": True,
            "FromAddress": "noreply@example.com",
            "Identity": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            "RoleArn": ROLE,
            "ConfigurationSet": "cs",
        },
        [],
    ),
    (
        "apns",
        "APNS",
        "APNS",
        {"Enabled": True, "Certificate": "PEM-1", "PrivateKey": "PK-1"},
        ["PEM-1", "PK-1"],
    ),
    (
        "apns_sandbox",
        "APNSSandbox",
        "APNS_SANDBOX",
        {"TokenKey": "P8-TOKEN", "TokenKeyId": "ABC", "BundleId": "com.example", "TeamId": "T1"},
        ["P8-TOKEN"],
    ),
    ("apns_voip", "APNSVoip", "APNS_VOIP", {"Certificate": "PEM-2", "PrivateKey": "PK-2"}, ["PEM-2", "PK-2"]),
    (
        "apns_voip_sandbox",
        "APNSVoipSandbox",
        "APNS_VOIP_SANDBOX",
        {"Certificate": "C", "PrivateKey": "K"},
        [],
    ),
    ("gcm", "GCM", "GCM", {"Enabled": True, "ServiceJson": '{"secret": "S3CR3T"}'}, ["S3CR3T"]),
    ("baidu", "Baidu", "BAIDU", {"ApiKey": "api-key", "SecretKey": "SECRETKEY"}, ["SECRETKEY"]),
    ("adm", "ADM", "ADM", {"ClientId": "client", "ClientSecret": "CLIENTSECRET"}, ["CLIENTSECRET"]),
]


@pytest.fixture(scope="module")
def pp() -> Iterator[Any]:
    """One emulator for the module (each test works in an app of its own): starting one costs ~0.5 s."""
    with Emulator(clock=clock_before_end_of_support()) as emulator:
        emulator.quotas.request_enforced = False
        yield emulator.session("us-east-1").client("pinpoint")


@pytest.fixture
def app_id(pp: Any) -> str:
    return str(pp.create_app(CreateApplicationRequest={"Name": "tenant"})["ApplicationResponse"]["Id"])


@pytest.mark.parametrize(
    ("api", "shape", "key", "request_", "secrets"), CHANNELS, ids=[c[0] for c in CHANNELS]
)
def test_channel_round_trip(
    pp: Any, app_id: str, api: str, shape: str, key: str, request_: dict[str, Any], secrets: list[str]
) -> None:
    get = getattr(pp, f"get_{api}_channel")
    with pytest.raises(pp.exceptions.NotFoundException):
        get(ApplicationId=app_id)
    update = getattr(pp, f"update_{api}_channel")
    first = update(ApplicationId=app_id, **{f"{shape}ChannelRequest": request_})[f"{shape}ChannelResponse"]
    assert first["Platform"] == key and first["ApplicationId"] == app_id and first["Version"] == 1
    assert first["Enabled"] is bool(request_.get("Enabled", False))
    for secret in secrets:
        assert secret not in str(first)
    second = update(ApplicationId=app_id, **{f"{shape}ChannelRequest": {**request_, "Enabled": False}})[
        f"{shape}ChannelResponse"
    ]
    assert second["Version"] == 2 and second["Enabled"] is False
    assert second["CreationDate"] == first["CreationDate"]
    assert get(ApplicationId=app_id)[f"{shape}ChannelResponse"] == second
    listed = pp.get_channels(ApplicationId=app_id)["ChannelsResponse"]["Channels"]
    assert list(listed) == [key] and listed[key]["Version"] == 2
    deleted = getattr(pp, f"delete_{api}_channel")(ApplicationId=app_id)[f"{shape}ChannelResponse"]
    assert deleted == second
    assert pp.get_channels(ApplicationId=app_id)["ChannelsResponse"]["Channels"] == {}
    with pytest.raises(pp.exceptions.NotFoundException):
        getattr(pp, f"delete_{api}_channel")(ApplicationId=app_id)


def test_sms_channel_fields(pp: Any, app_id: str) -> None:
    sms = pp.update_sms_channel(
        ApplicationId=app_id, SMSChannelRequest={"Enabled": True, "SenderId": "ACME"}
    )["SMSChannelResponse"]
    assert sms["PromotionalMessagesPerSecond"] == 20 and sms["TransactionalMessagesPerSecond"] == 20
    assert sms["SenderId"] == "ACME" and sms["Id"] == "sms" and sms["IsArchived"] is False
    # An update naming only Enabled keeps the sender ID, as AWS does.
    again = pp.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": False})[
        "SMSChannelResponse"
    ]
    assert again["SenderId"] == "ACME"


def test_credentials_are_kept_across_updates(pp: Any, app_id: str) -> None:
    pp.update_apns_channel(ApplicationId=app_id, APNSChannelRequest={"Certificate": "C", "PrivateKey": "K"})
    out = pp.update_apns_channel(ApplicationId=app_id, APNSChannelRequest={"Enabled": True})[
        "APNSChannelResponse"
    ]
    assert out["HasCredential"] is True and out["DefaultAuthenticationMethod"] == "CERTIFICATE"
    gcm = pp.update_gcm_channel(ApplicationId=app_id, GCMChannelRequest={"ApiKey": "k", "Enabled": True})[
        "GCMChannelResponse"
    ]
    assert (
        gcm["HasCredential"] is True and gcm["HasFcmServiceCredentials"] is False and "Credential" not in gcm
    )
    baidu = pp.update_baidu_channel(
        ApplicationId=app_id, BaiduChannelRequest={"ApiKey": "ak", "SecretKey": "sk"}
    )
    assert baidu["BaiduChannelResponse"]["Credential"] == "ak"


@pytest.mark.parametrize(
    ("api", "member", "request_"),
    [
        ("apns", "APNSChannelRequest", {"Enabled": True}),
        ("apns", "APNSChannelRequest", {"Certificate": "C"}),
        ("apns", "APNSChannelRequest", {"TokenKey": "T"}),
        ("gcm", "GCMChannelRequest", {"Enabled": True}),
        ("email", "EmailChannelRequest", {"FromAddress": "a@b.c", "Identity": "example.com"}),
        (
            "email",
            "EmailChannelRequest",
            {"FromAddress": "nobody", "Identity": "arn:aws:ses:us-east-1:1:identity/x"},
        ),
    ],
)
def test_channel_requests_are_validated(
    pp: Any, app_id: str, api: str, member: str, request_: dict[str, Any]
) -> None:
    with pytest.raises(pp.exceptions.BadRequestException):
        getattr(pp, f"update_{api}_channel")(ApplicationId=app_id, **{member: request_})


def test_channels_of_unknown_app(pp: Any) -> None:
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.get_channels(ApplicationId="0" * 32)
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.update_sms_channel(ApplicationId="0" * 32, SMSChannelRequest={"Enabled": True})


@pytest.fixture(scope="module")
def streams(pp: Any) -> None:
    """The streams and the role the event stream tests name, as PutEventStream needs them (event_targets)."""
    arns = [make_stream("firehose", "pinpoint-events"), make_stream("kinesis", "pinpoint-events")]
    assert arns == [FIREHOSE, KINESIS]
    assert make_role("pinpoint-events", arns) == ROLE


@pytest.mark.usefixtures("streams")
@pytest.mark.parametrize("destination", [FIREHOSE, KINESIS])
def test_event_stream_round_trip(pp: Any, app_id: str, destination: str) -> None:
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.get_event_stream(ApplicationId=app_id)
    put = pp.put_event_stream(
        ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": destination, "RoleArn": ROLE}
    )["EventStream"]
    assert (
        put["ApplicationId"] == app_id
        and put["DestinationStreamArn"] == destination
        and put["RoleArn"] == ROLE
    )
    assert put["LastModifiedDate"].endswith("Z")
    assert pp.get_event_stream(ApplicationId=app_id)["EventStream"] == put
    replaced = pp.put_event_stream(
        ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": KINESIS, "RoleArn": ROLE}
    )["EventStream"]
    assert replaced["DestinationStreamArn"] == KINESIS
    assert pp.delete_event_stream(ApplicationId=app_id)["EventStream"] == replaced
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.delete_event_stream(ApplicationId=app_id)


@pytest.mark.parametrize(
    "stream",
    [
        {"DestinationStreamArn": "arn:aws:sns:us-east-1:123456789012:topic", "RoleArn": ROLE},
        {"DestinationStreamArn": FIREHOSE, "RoleArn": "arn:aws:iam::123456789012:user/bob"},
    ],
)
@pytest.mark.usefixtures("streams")
def test_event_stream_arns_are_checked(pp: Any, app_id: str, stream: dict[str, str]) -> None:
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.put_event_stream(ApplicationId=app_id, WriteEventStream=stream)


def test_every_channel_operation_is_implemented() -> None:
    from migrate.emulator.registry import served_operations

    model = botocore.session.get_session().get_service_model("pinpoint")
    wanted = {op for op in model.operation_names if "Channel" in op}
    assert wanted <= set(served_operations()["pinpoint"])
