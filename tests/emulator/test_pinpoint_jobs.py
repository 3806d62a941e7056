"""Pinpoint export and import jobs in the emulator: endpoints to and from moto's S3."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

import pytest

from migrate.emulator import Emulator
from migrate.emulator.services.pinpoint import export_jobs
from tests.clocks import clock_before_end_of_support

ROLE = "arn:aws:iam::123456789012:role/pinpoint-export"


@pytest.fixture(scope="module")
def module_emu() -> Iterator[Emulator]:
    """One emulator for the module (each test works in an app and an S3 prefix of its own)."""
    with Emulator(clock=clock_before_end_of_support()) as emulator:
        emulator.quotas.request_enforced = False
        emulator.session("us-east-1").client("s3").create_bucket(Bucket="exports")
        yield emulator


@pytest.fixture(scope="module")
def pp(module_emu: Emulator) -> Any:
    return module_emu.session("us-east-1").client("pinpoint")


@pytest.fixture(scope="module")
def s3(module_emu: Emulator) -> Any:
    return module_emu.session("us-east-1").client("s3")


@pytest.fixture
def app_id(pp: Any) -> str:
    return str(pp.create_app(CreateApplicationRequest={"Name": "tenant"})["ApplicationResponse"]["Id"])


def _endpoints(pp: Any, app_id: str) -> dict[str, dict[str, Any]]:
    items = [
        {"Id": "sms-in", "ChannelType": "SMS", "Address": "+12065550100", "Location": {"Country": "US"}},
        {"Id": "sms-out", "ChannelType": "SMS", "Address": "+12065550101", "OptOut": "ALL"},
        {"Id": "sms-out-2", "ChannelType": "SMS", "Address": "+447700900123", "OptOut": "ALL"},
        {"Id": "mail", "ChannelType": "EMAIL", "Address": "a@example.com", "EndpointStatus": "INACTIVE"},
        {"Id": "push", "ChannelType": "GCM", "Address": "tok", "User": {"UserId": "u1"}},
    ]
    pp.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    return {
        i["Id"]: pp.get_endpoint(ApplicationId=app_id, EndpointId=i["Id"])["EndpointResponse"] for i in items
    }


def _read_export(s3: Any, bucket: str, prefix: str) -> tuple[list[str], list[dict[str, Any]]]:
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]
    rows: list[dict[str, Any]] = []
    for key in keys:
        text = gzip.decompress(s3.get_object(Bucket=bucket, Key=key)["Body"].read()).decode("utf-8")
        rows += [json.loads(line) for line in text.splitlines() if line]
    return keys, rows


def _export(pp: Any, app_id: str, **request: Any) -> dict[str, Any]:
    created = pp.create_export_job(ApplicationId=app_id, ExportJobRequest={"RoleArn": ROLE, **request})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    job = created["ExportJobResponse"]
    assert job["JobStatus"] == "CREATED" and job["Type"] == "EXPORT"
    return dict(pp.get_export_job(ApplicationId=app_id, JobId=job["Id"])["ExportJobResponse"])


def test_export_writes_every_endpoint_as_gzip_ndjson(pp: Any, s3: Any, app_id: str) -> None:
    endpoints = _endpoints(pp, app_id)
    job = _export(pp, app_id, S3UrlPrefix="s3://exports/pinpoint/run-1/")
    assert job["JobStatus"] == "COMPLETED"
    assert job["TotalProcessed"] == 5 and job["TotalPieces"] == job["CompletedPieces"] == 1
    assert job["FailedPieces"] == 0 and job["Definition"]["S3UrlPrefix"] == "s3://exports/pinpoint/run-1/"
    keys, rows = _read_export(s3, "exports", "pinpoint/run-1/")
    assert all(k.endswith(".gz") for k in keys)
    assert {r["Id"]: r for r in rows} == endpoints
    opted_out_sms = sorted(r["Address"] for r in rows if r["ChannelType"] == "SMS" and r["OptOut"] == "ALL")
    assert opted_out_sms == ["+12065550101", "+447700900123"]


def test_large_exports_are_split_into_pieces(
    pp: Any, s3: Any, app_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_jobs, "ENDPOINTS_PER_FILE", 2)
    endpoints = _endpoints(pp, app_id)
    job = _export(pp, app_id, S3UrlPrefix="s3://exports/split")
    assert job["TotalPieces"] == job["CompletedPieces"] == 3 and job["TotalProcessed"] == 5
    keys, rows = _read_export(s3, "exports", "split/")
    assert len(keys) == 3
    assert sorted(r["Id"] for r in rows) == sorted(endpoints)


def test_export_of_an_empty_app_completes_with_no_files(pp: Any, s3: Any, app_id: str) -> None:
    job = _export(pp, app_id, S3UrlPrefix="s3://exports/empty/")
    assert job["JobStatus"] == "COMPLETED" and job["TotalProcessed"] == 0 and job["TotalPieces"] == 0
    assert _read_export(s3, "exports", "empty/") == ([], [])


def test_export_to_a_missing_bucket_fails_the_job_not_the_call(pp: Any, app_id: str) -> None:
    _endpoints(pp, app_id)
    job = _export(pp, app_id, S3UrlPrefix="s3://no-such-bucket/x/")
    assert job["JobStatus"] == "FAILED"
    assert job["CompletedPieces"] == 0 and job["TotalFailures"] == 5
    assert "no-such-bucket" in job["Failures"][0] and "NoSuchBucket" in job["Failures"][0]


@pytest.mark.parametrize(
    "request_",
    [
        {"S3UrlPrefix": "https://exports.s3.amazonaws.com/x", "RoleArn": ROLE},
        {"S3UrlPrefix": "s3://exports/x/", "RoleArn": "not-a-role"},
    ],
)
def test_export_request_is_validated(pp: Any, app_id: str, request_: dict[str, str]) -> None:
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.create_export_job(ApplicationId=app_id, ExportJobRequest=request_)


def test_export_job_look_ups(pp: Any, s3: Any, app_id: str) -> None:
    first = _export(pp, app_id, S3UrlPrefix="s3://exports/a/")
    second = _export(pp, app_id, S3UrlPrefix="s3://exports/b/")
    third = _export(pp, app_id, S3UrlPrefix="s3://exports/c/")
    page = pp.get_export_jobs(ApplicationId=app_id, PageSize="2")["ExportJobsResponse"]
    assert [j["Id"] for j in page["Item"]] == [third["Id"], second["Id"]]
    rest = pp.get_export_jobs(ApplicationId=app_id, PageSize="2", Token=page["NextToken"])[
        "ExportJobsResponse"
    ]
    assert [j["Id"] for j in rest["Item"]] == [first["Id"]] and "NextToken" not in rest
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.get_export_job(ApplicationId=app_id, JobId="f" * 32)


def test_export_of_a_segment(pp: Any, s3: Any, app_id: str) -> None:
    _endpoints(pp, app_id)
    segment = pp.create_segment(
        ApplicationId=app_id,
        WriteSegmentRequest={
            "Name": "sms users",
            "Dimensions": {"Demographic": {"Channel": {"DimensionType": "INCLUSIVE", "Values": ["SMS"]}}},
        },
    )["SegmentResponse"]
    job = _export(pp, app_id, S3UrlPrefix="s3://exports/seg/", SegmentId=segment["Id"])
    assert job["Definition"]["SegmentId"] == segment["Id"] and job["TotalProcessed"] == 3
    _, rows = _read_export(s3, "exports", "seg/")
    assert sorted(r["Id"] for r in rows) == ["sms-in", "sms-out", "sms-out-2"]
    listed = pp.get_segment_export_jobs(ApplicationId=app_id, SegmentId=segment["Id"])["ExportJobsResponse"]
    assert [j["Id"] for j in listed["Item"]] == [job["Id"]]
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.create_export_job(
            ApplicationId=app_id,
            ExportJobRequest={"RoleArn": ROLE, "S3UrlPrefix": "s3://exports/x/", "SegmentId": "0" * 32},
        )


def _import(pp: Any, app_id: str, **request: Any) -> dict[str, Any]:
    created = pp.create_import_job(ApplicationId=app_id, ImportJobRequest={"RoleArn": ROLE, **request})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["ImportJobResponse"]["JobStatus"] == "CREATED"
    job_id = created["ImportJobResponse"]["Id"]
    return dict(pp.get_import_job(ApplicationId=app_id, JobId=job_id)["ImportJobResponse"])


def test_import_json_and_csv_then_export_the_imported_segment(pp: Any, s3: Any, app_id: str) -> None:
    lines = [
        {"Id": "j1", "ChannelType": "SMS", "Address": "+12065550111", "OptOut": "ALL"},
        {"Id": "j2", "ChannelType": "SMS", "Address": "+12065550112", "Attributes": {"plan": ["gold"]}},
        {"Id": "bad", "ChannelType": "SMS"},
    ]
    body = "\n".join(json.dumps(line) for line in lines) + "\n"
    s3.put_object(Bucket="exports", Key="in/json/part1.json", Body=body.encode())
    s3.put_object(
        Bucket="exports", Key="in/json/ignored.csv", Body=b"Id,ChannelType,Address\nz,SMS,+12065550000\n"
    )
    job = _import(
        pp, app_id, Format="JSON", S3Url="s3://exports/in/json/", DefineSegment=True, SegmentName="imp"
    )
    assert job["JobStatus"] == "COMPLETED" and job["TotalPieces"] == 1
    assert job["TotalProcessed"] == 3 and job["TotalFailures"] == 1 and "line 3" in job["Failures"][0]
    assert pp.get_endpoint(ApplicationId=app_id, EndpointId="j1")["EndpointResponse"]["OptOut"] == "ALL"
    segment_id = job["Definition"]["SegmentId"]
    segment = pp.get_segment(ApplicationId=app_id, SegmentId=segment_id)["SegmentResponse"]
    assert segment["SegmentType"] == "IMPORT" and segment["ImportDefinition"]["Size"] == 2

    csv_body = "Id,ChannelType,Address,User.UserId,Attributes.plan,Location.Country\nc1,SMS,+12065550121,u9,gold,US\n"
    s3.put_object(Bucket="exports", Key="in/file.csv.gz", Body=gzip.compress(csv_body.encode()))
    csv_job = _import(pp, app_id, Format="CSV", S3Url="s3://exports/in/file.csv.gz")
    assert csv_job["JobStatus"] == "COMPLETED" and csv_job["TotalProcessed"] == 1
    c1 = pp.get_endpoint(ApplicationId=app_id, EndpointId="c1")["EndpointResponse"]
    assert c1["User"]["UserId"] == "u9" and c1["Attributes"] == {"plan": ["gold"]}
    assert c1["Location"] == {"Country": "US"}

    export = _export(pp, app_id, S3UrlPrefix="s3://exports/imported/", SegmentId=segment_id)
    _, rows = _read_export(s3, "exports", "imported/")
    assert sorted(r["Id"] for r in rows) == ["j1", "j2"] and export["TotalProcessed"] == 2

    listed = pp.get_import_jobs(ApplicationId=app_id)["ImportJobsResponse"]["Item"]
    assert [j["Id"] for j in listed] == [csv_job["Id"], job["Id"]]
    by_segment = pp.get_segment_import_jobs(ApplicationId=app_id, SegmentId=segment_id)["ImportJobsResponse"]
    assert [j["Id"] for j in by_segment["Item"]] == [job["Id"]]
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.get_segment_import_jobs(ApplicationId=app_id, SegmentId="0" * 32)


def test_import_failures(pp: Any, s3: Any, app_id: str) -> None:
    nothing = _import(pp, app_id, Format="CSV", S3Url="s3://exports/none/")
    assert nothing["JobStatus"] == "FAILED" and "No CSV files" in nothing["Failures"][0]
    missing = _import(pp, app_id, Format="JSON", S3Url="s3://absent-bucket/x.json")
    assert missing["JobStatus"] == "FAILED" and "absent-bucket" in missing["Failures"][0]
    with pytest.raises(pp.exceptions.BadRequestException):
        pp.create_import_job(
            ApplicationId=app_id,
            ImportJobRequest={
                "RoleArn": ROLE,
                "Format": "JSON",
                "S3Url": "s3://exports/x",
                "DefineSegment": True,
            },
        )
    with pytest.raises(pp.exceptions.NotFoundException):
        pp.get_import_job(ApplicationId=app_id, JobId="0" * 32)
