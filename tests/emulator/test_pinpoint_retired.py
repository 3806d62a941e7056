"""Pinpoint after its end of support: retired operations fail, SMS/voice/app operations go on."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from migrate.emulator import Emulator
from migrate.emulator.registry import served_operations
from migrate.emulator.services.pinpoint.retired import RETIRED_OPERATIONS

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})
ROLE = "arn:aws:iam::123456789012:role/r"


def _client(emu: Emulator) -> Any:
    return emu.session("us-east-1").client("pinpoint", config=NO_RETRY)


def _retired_calls(app_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (
            "update_endpoint",
            {"ApplicationId": app_id, "EndpointId": "e", "EndpointRequest": {"ChannelType": "SMS"}},
        ),
        (
            "update_endpoints_batch",
            {"ApplicationId": app_id, "EndpointBatchRequest": {"Item": [{"Id": "e", "ChannelType": "SMS"}]}},
        ),
        ("get_endpoint", {"ApplicationId": app_id, "EndpointId": "e"}),
        ("delete_endpoint", {"ApplicationId": app_id, "EndpointId": "e"}),
        ("get_user_endpoints", {"ApplicationId": app_id, "UserId": "u"}),
        ("delete_user_endpoints", {"ApplicationId": app_id, "UserId": "u"}),
        (
            "create_export_job",
            {"ApplicationId": app_id, "ExportJobRequest": {"RoleArn": ROLE, "S3UrlPrefix": "s3://b/p/"}},
        ),
        ("get_export_job", {"ApplicationId": app_id, "JobId": "j"}),
        ("get_export_jobs", {"ApplicationId": app_id}),
        (
            "create_import_job",
            {
                "ApplicationId": app_id,
                "ImportJobRequest": {"RoleArn": ROLE, "S3Url": "s3://b/p", "Format": "CSV"},
            },
        ),
        ("get_import_job", {"ApplicationId": app_id, "JobId": "j"}),
        ("get_import_jobs", {"ApplicationId": app_id}),
        ("get_segment_export_jobs", {"ApplicationId": app_id, "SegmentId": "s"}),
        ("get_segment_import_jobs", {"ApplicationId": app_id, "SegmentId": "s"}),
        (
            "remove_attributes",
            {
                "ApplicationId": app_id,
                "AttributeType": "endpoint-custom-attributes",
                "UpdateAttributesRequest": {"Blacklist": ["a"]},
            },
        ),
        (
            "send_users_messages",
            {
                "ApplicationId": app_id,
                "SendUsersMessageRequest": {"MessageConfiguration": {}, "Users": {"u": {}}},
            },
        ),
        (
            "send_messages",
            {
                "ApplicationId": app_id,
                "MessageRequest": {"MessageConfiguration": {}, "Endpoints": {"e": {}}},
            },
        ),
    ]


def _kept(pp: Any, app_id: str) -> None:
    pp.get_app(ApplicationId=app_id)
    pp.get_apps()
    pp.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
    pp.update_voice_channel(ApplicationId=app_id, VoiceChannelRequest={"Enabled": True})
    pp.get_channels(ApplicationId=app_id)
    pp.update_application_settings(
        ApplicationId=app_id, WriteApplicationSettingsRequest={"Limits": {"Daily": 1}}
    )
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
    pp.put_event_stream(
        ApplicationId=app_id,
        WriteEventStream={
            "DestinationStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/s",
            "RoleArn": ROLE,
        },
    )


def test_after_end_of_support_retired_operations_are_forbidden() -> None:
    with Emulator(end_of_support=True) as emu:
        emu.quotas.request_enforced = False
        pp = _client(emu)
        app_id = pp.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"]["Id"]
        _kept(pp, app_id)
        for method, kwargs in _retired_calls(app_id):
            with pytest.raises(ClientError) as err:
                getattr(pp, method)(**kwargs)
            error = err.value.response
            assert error["Error"]["Code"] == "ForbiddenException", method
            assert error["ResponseMetadata"]["HTTPStatusCode"] == 403, method
            assert "end of support" in error["Error"]["Message"], method
        # a refused call leaves nothing behind and is not retried
        assert not [n for n in emu.world.table_names() if n.startswith("pinpoint:") and ":endpoints:" in n]
        assert sum(1 for c in emu.calls if c.operation == "GetEndpoint") == 1


def test_before_end_of_support_the_same_operations_work(emu: Emulator) -> None:
    pp = _client(emu)
    app_id = pp.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"]["Id"]
    _kept(pp, app_id)
    pp.update_endpoint(
        ApplicationId=app_id,
        EndpointId="e",
        EndpointRequest={"ChannelType": "SMS", "Address": "+12065550100"},
    )
    assert pp.get_endpoint(ApplicationId=app_id, EndpointId="e")["EndpointResponse"]["Id"] == "e"
    assert pp.get_export_jobs(ApplicationId=app_id)["ExportJobsResponse"]["Item"] == []


def test_the_retired_list_names_real_operations_and_keeps_the_messaging_apis() -> None:
    model = botocore.session.get_session().get_service_model("pinpoint")
    assert set(model.operation_names) >= RETIRED_OPERATIONS
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
    }
    assert not kept & RETIRED_OPERATIONS
    # every retired operation the emulator serves is refused by its handler (the test above calls ours)
    ours = {
        "UpdateEndpoint",
        "UpdateEndpointsBatch",
        "GetEndpoint",
        "DeleteEndpoint",
        "GetUserEndpoints",
        "DeleteUserEndpoints",
        "CreateExportJob",
        "GetExportJob",
        "GetExportJobs",
        "CreateImportJob",
        "GetImportJob",
        "GetImportJobs",
        "SendUsersMessages",
        "GetSegmentExportJobs",
        "GetSegmentImportJobs",
        "RemoveAttributes",
    }
    assert ours <= RETIRED_OPERATIONS and ours <= set(served_operations()["pinpoint"])
