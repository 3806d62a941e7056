"""Pinpoint after its end of support: retired operations fail, SMS/voice/OTP/app operations go on.

End of support follows the world's clock (on at or after 2026-10-30T00:00:00Z) unless forced; what a
retired operation answers is a setting of the world (403 by default, 404 or 400 on demand).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from migrate.emulator import Emulator
from migrate.emulator.registry import served_operations
from migrate.emulator.services.pinpoint.retired import END_OF_SUPPORT_EPOCH, RETIRED_OPERATIONS
from migrate.emulator.worldfile import WorldFileError

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})
ROLE = "arn:aws:iam::123456789012:role/r"
ANSWERS = {403: "ForbiddenException", 404: "NotFoundException", 400: "BadRequestException"}
MODEL = botocore.session.get_session().get_service_model("pinpoint")


def _client(emu: Emulator) -> Any:
    return emu.session("us-east-1").client("pinpoint", config=NO_RETRY)


def _minimal(shape: Any, app_id: str, name: str = "") -> Any:
    """The smallest input botocore accepts for `shape` (required members only)."""
    kind = shape.type_name
    if kind == "structure":
        return {m: _minimal(shape.members[m], app_id, m) for m in shape.required_members}
    if kind == "list":
        return [_minimal(shape.member, app_id)]
    if kind == "map":
        return {"k": _minimal(shape.value, app_id)}
    if kind in ("integer", "long"):
        return 1
    if kind == "double":
        return 1.0
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    if kind == "blob":
        return b"x"
    enum = shape.metadata.get("enum")
    if enum:
        return enum[0]
    return app_id if name == "ApplicationId" else "x"


def _call(pp: Any, operation: str, app_id: str) -> Any:
    params = _minimal(MODEL.operation_model(operation).input_shape, app_id)
    return getattr(pp, botocore.xform_name(operation))(**params)


def _kept(pp: Any, app_id: str) -> None:
    pp.get_app(ApplicationId=app_id)
    pp.get_apps()
    pp.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
    pp.update_voice_channel(ApplicationId=app_id, VoiceChannelRequest={"Enabled": True})
    pp.get_channels(ApplicationId=app_id)
    pp.phone_number_validate(NumberValidateRequest={"PhoneNumber": "+12065550100"})
    sent = pp.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "MessageConfiguration": {"SMSMessage": {"Body": "hi"}},
            "Addresses": {"+12065550100": {"ChannelType": "SMS"}},
        },
    )["MessageResponse"]["Result"]["+12065550100"]
    assert sent["DeliveryStatus"] == "SUCCESSFUL"
    app = pp.get_app(ApplicationId=app_id)["ApplicationResponse"]
    pp.tag_resource(ResourceArn=app["Arn"], TagsModel={"tags": {"k": "v"}})
    otp = _otp(pp, app_id)
    assert otp["DeliveryStatus"] == "SUCCESSFUL"


def _otp(pp: Any, app_id: str, **extra: Any) -> dict[str, Any]:
    request = {
        "BrandName": "Example",
        "Channel": "SMS",
        "DestinationIdentity": "+12065550111",
        "OriginationIdentity": "+12065550100",
        "ReferenceId": "login-1",
        **extra,
    }
    response = pp.send_otp_message(ApplicationId=app_id, SendOTPMessageRequestParameters=request)
    return dict(response["MessageResponse"]["Result"][request["DestinationIdentity"]])


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_after_end_of_support_every_retired_operation_answers_the_worlds_setting(answer: int) -> None:
    with Emulator(end_of_support=True, retired_answer=answer) as emu:
        emu.quotas.request_enforced = False
        pp = _client(emu)
        app_id = pp.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"]["Id"]
        _kept(pp, app_id)
        for operation in sorted(RETIRED_OPERATIONS):
            with pytest.raises(ClientError) as err:
                _call(pp, operation, app_id)
            error = err.value.response
            assert error["Error"]["Code"] == ANSWERS[answer], operation
            assert error["ResponseMetadata"]["HTTPStatusCode"] == answer, operation
            assert "end of support" in error["Error"]["Message"], operation
        # SendMessages lives on, but not its endpoint targeting
        with pytest.raises(ClientError) as err:
            pp.send_messages(
                ApplicationId=app_id,
                MessageRequest={"MessageConfiguration": {}, "Endpoints": {"e": {}}},
            )
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == answer
        # a refused call leaves nothing behind and is not retried
        assert not [n for n in emu.world.table_names() if n.startswith("pinpoint:") and ":endpoints:" in n]
        assert sum(1 for c in emu.calls if c.operation == "GetEndpoint") == 1


def test_before_end_of_support_every_pinpoint_operation_is_served(emu_before_eos: Emulator) -> None:
    """No Pinpoint operation answers 501 (a foreign SDK retries a 5xx as a server error)."""
    pp = _client(emu_before_eos)
    app_id = pp.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"]["Id"]
    _kept(pp, app_id)
    assert set(served_operations()["pinpoint"]) == set(MODEL.operation_names)
    for operation in sorted(RETIRED_OPERATIONS):
        try:
            _call(pp, operation, app_id)
        except ClientError as err:  # a made-up id is not found, a made-up body may be refused
            status = err.response["ResponseMetadata"]["HTTPStatusCode"]
            assert status in (400, 404), (operation, err.response["Error"])
            assert "end of support" not in err.response["Error"]["Message"], operation


def test_end_of_support_follows_the_clock_unless_forced() -> None:
    now = {"t": END_OF_SUPPORT_EPOCH - 1.0}
    with Emulator(clock=lambda: now["t"]) as emu:
        emu.quotas.request_enforced = False
        pp = _client(emu)
        app_id = pp.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"]["Id"]
        assert pp.get_segments(ApplicationId=app_id)["SegmentsResponse"]["Item"] == []
        now["t"] = END_OF_SUPPORT_EPOCH  # midnight UTC, 2026-10-30: retired from that second
        with pytest.raises(pp.exceptions.ForbiddenException):
            pp.get_segments(ApplicationId=app_id)
        emu.end_of_support = False
        assert pp.get_segments(ApplicationId=app_id)["SegmentsResponse"]["Item"] == []
        now["t"] = END_OF_SUPPORT_EPOCH - 86400.0
        emu.end_of_support = True
        with pytest.raises(pp.exceptions.ForbiddenException):
            pp.get_segments(ApplicationId=app_id)


def test_the_world_file_keeps_both_settings_and_old_files_still_load(tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    with Emulator(retired_answer=404) as emu:
        emu.save(path)
    saved = json.loads(path.read_text())
    assert saved["end_of_support"] is None and saved["retired_answer"] == 404
    assert Emulator.load(path).retired_answer == 404
    assert Emulator.load(path).end_of_support is None
    # a world written before these settings: no retired_answer, end_of_support false meant "off"
    old = {k: v for k, v in saved.items() if k != "retired_answer"}
    old["end_of_support"] = False
    path.write_text(json.dumps(old))
    loaded = Emulator.load(path)
    assert (loaded.end_of_support, loaded.retired_answer) == (False, 403)
    del old["end_of_support"]
    path.write_text(json.dumps(old))
    assert Emulator.load(path).end_of_support is None
    for bad in ({"retired_answer": 500}, {"retired_answer": True}, {"end_of_support": "yes"}):
        path.write_text(json.dumps({**old, **bad}))
        with pytest.raises(WorldFileError, match=next(iter(bad))):
            Emulator.load(path)
    with pytest.raises(ValueError, match="403, 404, 400"):
        Emulator(retired_answer=401)


def test_otp_codes_verify_once_and_expire(emu: Emulator) -> None:
    now = {"t": END_OF_SUPPORT_EPOCH + 86400.0}
    emu.clock = lambda: now["t"]
    pp = _client(emu)
    app_id = pp.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"]["Id"]
    with pytest.raises(pp.exceptions.BadRequestException, match="SMS channel"):
        _otp(pp, app_id)
    pp.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})

    def code_sent() -> str:
        bodies = [m["Body"] for m in emu.world.table(_messages_table(emu)).values()]
        return str(bodies[-1].split(": ")[1].split(" ")[0])

    def verify(code: str, reference: str = "login-1") -> bool:
        request = {"DestinationIdentity": "+12065550111", "Otp": code, "ReferenceId": reference}
        answer = pp.verify_otp_message(ApplicationId=app_id, VerifyOTPMessageRequestParameters=request)
        return bool(answer["VerificationResponse"]["Valid"])

    _otp(pp, app_id, CodeLength=8)
    code = code_sent()
    assert len(code) == 8 and code.isdigit()
    assert not verify(code, reference="another")
    assert not verify("0" * 8 if code != "0" * 8 else "1" * 8)  # a wrong code uses one attempt
    assert verify(code)
    assert not verify(code)  # once only
    _otp(pp, app_id, ValidityPeriod=5, AllowedAttempts=1)
    code = code_sent()
    assert not verify("x")
    assert not verify(code)  # out of attempts
    _otp(pp, app_id, ValidityPeriod=5)
    code = code_sent()
    now["t"] += 5 * 60 + 1
    assert not verify(code)  # expired
    for bad in ({"CodeLength": 4}, {"ValidityPeriod": 61}, {"AllowedAttempts": 6}, {"Channel": "EMAIL"},
                {"BrandName": "B" * 21}):  # fmt: skip
        with pytest.raises(pp.exceptions.BadRequestException):
            _otp(pp, app_id, **bad)


def _messages_table(emu: Emulator) -> str:
    return next(n for n in emu.world.table_names() if n.startswith("pinpoint:") and n.endswith(":messages"))


def test_analytics_reads_are_empty_before_end_of_support(emu_before_eos: Emulator) -> None:
    pp = _client(emu_before_eos)
    app_id = pp.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"]["Id"]
    segment = pp.create_segment(ApplicationId=app_id, WriteSegmentRequest={"Name": "all"})["SegmentResponse"]
    kpi = pp.get_application_date_range_kpi(ApplicationId=app_id, KpiName="successful-delivery-rate")
    assert kpi["ApplicationDateRangeKpiResponse"]["KpiResult"]["Rows"] == []
    campaign = pp.create_campaign(
        ApplicationId=app_id,
        WriteCampaignRequest={
            "Name": "c", "SegmentId": segment["Id"], "Schedule": {"StartTime": "IMMEDIATE"},
            "MessageConfiguration": {"SMSMessage": {"Body": "hi", "MessageType": "TRANSACTIONAL"}},
        },
    )["CampaignResponse"]  # fmt: skip
    kpi = pp.get_campaign_date_range_kpi(
        ApplicationId=app_id, CampaignId=campaign["Id"], KpiName="successful-delivery-rate"
    )
    assert kpi["CampaignDateRangeKpiResponse"]["KpiResult"]["Rows"] == []
    journey = pp.create_journey(
        ApplicationId=app_id,
        WriteJourneyRequest={
            "Name": "j",
            "StartCondition": {"SegmentStartCondition": {"SegmentId": segment["Id"]}},
            "Activities": {"w": {"Wait": {"WaitTime": {"WaitFor": "PT1H"}}}},
            "StartActivity": "w",
            "State": "ACTIVE",
        },
    )["JourneyResponse"]
    runs = pp.get_journey_runs(ApplicationId=app_id, JourneyId=journey["Id"])["JourneyRunsResponse"]["Item"]
    assert [r["Status"] for r in runs] == ["RUNNING"]
    ids = {"ApplicationId": app_id, "JourneyId": journey["Id"]}
    assert pp.get_journey_execution_metrics(**ids)["JourneyExecutionMetricsResponse"]["Metrics"] == {}
    activity = pp.get_journey_run_execution_activity_metrics(
        **ids, RunId=runs[0]["RunId"], JourneyActivityId="w"
    )["JourneyRunExecutionActivityMetricsResponse"]
    assert activity["ActivityType"] == "WAIT"
    pp.get_journey_execution_activity_metrics(**ids, JourneyActivityId="w")
    pp.get_journey_run_execution_metrics(**ids, RunId=runs[0]["RunId"])
    pp.get_journey_date_range_kpi(**ids, KpiName="journey-runs")
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.get_journey_run_execution_metrics(**ids, RunId="nope")
    events = pp.put_events(
        ApplicationId=app_id,
        EventsRequest={"BatchItem": {"e1": {"Endpoint": {}, "Events": {
            "ev1": {"EventType": "_session.start", "Timestamp": "2026-09-01T00:00:00Z"}}}}},
    )["EventsResponse"]["Results"]  # fmt: skip
    assert events["e1"]["EventsItemResponse"]["ev1"]["StatusCode"] == 202
    in_app = pp.get_in_app_messages(ApplicationId=app_id, EndpointId="e1")["InAppMessagesResponse"]
    assert in_app["InAppMessageCampaigns"] == []


def test_the_retired_list_names_real_operations_and_keeps_the_messaging_apis() -> None:
    assert set(MODEL.operation_names) >= RETIRED_OPERATIONS
    kept = {
        "CreateApp",
        "GetApp",
        "GetApps",
        "DeleteApp",
        "SendMessages",
        "SendOTPMessage",
        "VerifyOTPMessage",
        "PhoneNumberValidate",
        "UpdateSmsChannel",
        "GetSmsChannel",
        "UpdateVoiceChannel",
        "UpdateApnsChannel",
        "UpdateGcmChannel",
        "TagResource",
        "GetSmsTemplate",
    }
    assert not kept & RETIRED_OPERATIONS
    gone = {"PutEventStream", "GetEventStream", "DeleteEventStream", "GetApplicationSettings",
            "UpdateApplicationSettings", "PutEvents", "GetApplicationDateRangeKpi", "GetInAppMessages"}  # fmt: skip
    assert gone <= RETIRED_OPERATIONS
