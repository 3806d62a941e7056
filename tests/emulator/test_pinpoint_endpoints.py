"""Pinpoint endpoints in the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from migrate.emulator import Emulator
from tests.clocks import clock_before_end_of_support


@pytest.fixture(scope="module")
def module_emu() -> Iterator[Emulator]:
    """One emulator for the module (each test works in an app of its own): starting one costs ~0.5 s."""
    with Emulator(clock=clock_before_end_of_support()) as emulator:
        emulator.quotas.request_enforced = False
        yield emulator


@pytest.fixture(scope="module")
def pp(module_emu: Emulator) -> Any:
    return module_emu.session("us-east-1").client("pinpoint")


@pytest.fixture
def app_id(pp: Any) -> str:
    return str(pp.create_app(CreateApplicationRequest={"Name": "tenant"})["ApplicationResponse"]["Id"])


def _get(pp: Any, app_id: str, endpoint_id: str) -> dict[str, Any]:
    return dict(pp.get_endpoint(ApplicationId=app_id, EndpointId=endpoint_id)["EndpointResponse"])


def test_update_endpoint_creates_then_merges(pp: Any, app_id: str) -> None:
    out = pp.update_endpoint(
        ApplicationId=app_id,
        EndpointId="ep-1",
        EndpointRequest={
            "ChannelType": "SMS",
            "Address": "+12065550100",
            "Attributes": {"plan": ["gold"], "tags": ["a", "b"]},
            "Demographic": {"Platform": "ios", "Timezone": "America/Los_Angeles"},
            "Location": {"Country": "US", "City": "Seattle", "Latitude": 47.6},
            "Metrics": {"score": 1.5},
            "User": {"UserId": "user-1", "UserAttributes": {"name": ["Ann"]}},
        },
    )
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert out["MessageBody"]["Message"] == "Accepted"
    first = _get(pp, app_id, "ep-1")
    assert first["EndpointStatus"] == "ACTIVE" and first["OptOut"] == "NONE"
    assert first["ApplicationId"] == app_id and 0 <= int(first["CohortId"]) < 100
    assert first["RequestId"] == out["MessageBody"]["RequestID"]
    pp.update_endpoint(
        ApplicationId=app_id,
        EndpointId="ep-1",
        EndpointRequest={
            "OptOut": "ALL",
            "Attributes": {"plan": ["silver"]},
            "Demographic": {"Make": "apple"},
            "User": {"UserAttributes": {"age": ["40"]}},
            "EffectiveDate": "2024-01-01T00:00:00.000Z",
        },
    )
    second = _get(pp, app_id, "ep-1")
    assert second["OptOut"] == "ALL" and second["Address"] == "+12065550100"
    assert second["Attributes"] == {"plan": ["silver"], "tags": ["a", "b"]}
    assert second["Demographic"] == {"Platform": "ios", "Timezone": "America/Los_Angeles", "Make": "apple"}
    assert second["Location"]["City"] == "Seattle" and second["Metrics"] == {"score": 1.5}
    assert second["User"] == {"UserId": "user-1", "UserAttributes": {"name": ["Ann"], "age": ["40"]}}
    assert second["EffectiveDate"] == "2024-01-01T00:00:00.000Z"
    assert second["CreationDate"] == first["CreationDate"]


@pytest.mark.parametrize(
    "request_",
    [
        {"Address": "+12065550100"},
        {"ChannelType": "SMS", "Address": "+12065550100", "OptOut": "SOME"},
        {"ChannelType": "SMS", "Address": "+12065550100", "EndpointStatus": "GONE"},
    ],
)
def test_update_endpoint_validates(pp: Any, app_id: str, request_: dict[str, Any]) -> None:
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.update_endpoint(ApplicationId=app_id, EndpointId="ep", EndpointRequest=request_)
    with pytest.raises(pp.exceptions.NotFoundException):
        _get(pp, app_id, "ep")


def test_endpoints_of_unknown_app_or_endpoint(pp: Any, app_id: str) -> None:
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.update_endpoint(ApplicationId="0" * 32, EndpointId="e", EndpointRequest={"ChannelType": "SMS"})
    with pytest.raises(pp.exceptions.NotFoundException):
        _get(pp, app_id, "missing")
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.delete_endpoint(ApplicationId=app_id, EndpointId="missing")
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.get_user_endpoints(ApplicationId=app_id, UserId="nobody")
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.delete_user_endpoints(ApplicationId=app_id, UserId="nobody")


def test_batch_update(pp: Any, app_id: str) -> None:
    items = [
        {
            "Id": f"ep-{i}",
            "ChannelType": "SMS",
            "Address": f"+1206555{i:04d}",
            "User": {"UserId": f"u{i % 10}"},
        }
        for i in range(100)
    ]
    out = pp.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert _get(pp, app_id, "ep-42")["Address"] == "+12065550042"
    users = pp.get_user_endpoints(ApplicationId=app_id, UserId="u0")["EndpointsResponse"]["Item"]
    assert [u["Id"] for u in users] == [f"ep-{i}" for i in range(0, 100, 10)]
    too_many = [*items, {"Id": "ep-x", "ChannelType": "SMS", "Address": "+12065559999"}]
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": too_many})
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.update_endpoints_batch(
            ApplicationId=app_id, EndpointBatchRequest={"Item": [{"ChannelType": "SMS", "Address": "+1"}]}
        )


def test_a_user_keeps_at_most_15_sms_endpoints(pp: Any, app_id: str) -> None:
    for i in range(15):
        pp.update_endpoint(
            ApplicationId=app_id,
            EndpointId=f"e{i}",
            EndpointRequest={"ChannelType": "SMS", "Address": f"+1206555{i:04d}", "User": {"UserId": "u"}},
        )
    with pytest.raises(pp.exceptions.BadRequestException) as err:
        pp.update_endpoint(
            ApplicationId=app_id,
            EndpointId="e15",
            EndpointRequest={"ChannelType": "SMS", "Address": "+12065550999", "User": {"UserId": "u"}},
        )
    assert "maximum of 15" in str(err.value)
    # re-updating an endpoint the user already has is fine
    pp.update_endpoint(ApplicationId=app_id, EndpointId="e3", EndpointRequest={"User": {"UserId": "u"}})
    assert len(pp.get_user_endpoints(ApplicationId=app_id, UserId="u")["EndpointsResponse"]["Item"]) == 15


def test_a_16th_push_endpoint_retires_the_oldest_push_one(pp: Any, app_id: str) -> None:
    for i in range(15):
        pp.update_endpoint(
            ApplicationId=app_id,
            EndpointId=f"p{i}",
            EndpointRequest={
                "ChannelType": "GCM" if i % 2 else "SMS",
                "Address": f"token-{i}" if i % 2 else f"+1206555{i:04d}",
                "User": {"UserId": "u"},
                "EffectiveDate": f"2024-01-{i + 1:02d}T00:00:00.000Z",
            },
        )
    pp.update_endpoint(
        ApplicationId=app_id,
        EndpointId="p15",
        EndpointRequest={"ChannelType": "APNS", "Address": "token-new", "User": {"UserId": "u"}},
    )
    oldest_push = _get(pp, app_id, "p1")
    assert oldest_push["EndpointStatus"] == "INACTIVE" and "UserId" not in oldest_push.get("User", {})
    ids = [
        e["Id"] for e in pp.get_user_endpoints(ApplicationId=app_id, UserId="u")["EndpointsResponse"]["Item"]
    ]
    assert len(ids) == 15 and "p1" not in ids and "p15" in ids


def test_moving_an_endpoint_between_users(pp: Any, app_id: str) -> None:
    request = {"ChannelType": "EMAIL", "Address": "a@example.com", "User": {"UserId": "u1"}}
    pp.update_endpoint(ApplicationId=app_id, EndpointId="e", EndpointRequest=request)
    pp.update_endpoint(ApplicationId=app_id, EndpointId="e", EndpointRequest={"User": {"UserId": "u2"}})
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.get_user_endpoints(ApplicationId=app_id, UserId="u1")
    assert (
        pp.get_user_endpoints(ApplicationId=app_id, UserId="u2")["EndpointsResponse"]["Item"][0]["Id"] == "e"
    )


def test_delete_endpoint_and_user_endpoints(pp: Any, app_id: str) -> None:
    for i, user in enumerate(["u1", "u1", "u2"]):
        pp.update_endpoint(
            ApplicationId=app_id,
            EndpointId=f"e{i}",
            EndpointRequest={"ChannelType": "SMS", "Address": f"+1206555000{i}", "User": {"UserId": user}},
        )
    deleted = pp.delete_endpoint(ApplicationId=app_id, EndpointId="e0")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202 and deleted["EndpointResponse"]["Id"] == "e0"
    assert [
        e["Id"] for e in pp.get_user_endpoints(ApplicationId=app_id, UserId="u1")["EndpointsResponse"]["Item"]
    ] == ["e1"]
    gone = pp.delete_user_endpoints(ApplicationId=app_id, UserId="u1")["EndpointsResponse"]["Item"]
    assert [e["Id"] for e in gone] == ["e1"]
    with pytest.raises(pp.exceptions.NotFoundException):
        _get(pp, app_id, "e1")
    assert _get(pp, app_id, "e2")["User"]["UserId"] == "u2"


def test_remove_attributes_from_every_endpoint(pp: Any, app_id: str) -> None:
    items = [
        {
            "Id": f"e{i}",
            "ChannelType": "SMS",
            "Address": f"+1206555010{i}",
            "Attributes": {"plan": ["gold"], "keep": ["x"]},
            "Metrics": {"score": 1.0},
            "User": {"UserId": f"u{i}", "UserAttributes": {"age": ["40"], "name": ["n"]}},
        }
        for i in range(3)
    ]
    pp.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    out = pp.remove_attributes(
        ApplicationId=app_id,
        AttributeType="endpoint-custom-attributes",
        UpdateAttributesRequest={"Blacklist": ["plan", "absent"]},
    )["AttributesResource"]
    assert out == {
        "ApplicationId": app_id,
        "AttributeType": "endpoint-custom-attributes",
        "Attributes": ["plan"],
    }
    pp.remove_attributes(
        ApplicationId=app_id,
        AttributeType="endpoint-user-attributes",
        UpdateAttributesRequest={"Blacklist": ["age"]},
    )
    pp.remove_attributes(
        ApplicationId=app_id,
        AttributeType="endpoint-metric-attributes",
        UpdateAttributesRequest={"Blacklist": ["score"]},
    )
    e1 = _get(pp, app_id, "e1")
    assert e1["Attributes"] == {"keep": ["x"]} and e1["Metrics"] == {}
    assert e1["User"]["UserAttributes"] == {"name": ["n"]}
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.remove_attributes(
            ApplicationId=app_id, AttributeType="colour", UpdateAttributesRequest={"Blacklist": ["a"]}
        )
