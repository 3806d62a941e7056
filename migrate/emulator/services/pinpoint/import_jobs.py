"""Pinpoint import jobs: read endpoint definitions (CSV or newline-delimited JSON) from S3.

`S3Url` names one object or a folder (every object below it whose name ends in the job's format,
`.csv` or `.json`, optionally gzipped as `.gz` after it); each file is one piece. JSON lines are
EndpointRequest objects with an `Id`; CSV headers use dotted paths (`ChannelType`, `Address`, `Id`,
`User.UserId`, `Attributes.Interests`, `Location.Country`, `Demographic.Platform`, `Metrics.score`, ...).
A definition without an address or channel type is a failure of that row; the others are imported.
With `DefineSegment`, the job creates an `IMPORT` segment (named `SegmentName`) holding exactly the
imported endpoints. Like export jobs, the job runs within the call: Create answers `CREATED`,
GetImportJob then `COMPLETED` or `FAILED`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.endpoints import upsert_endpoint
from migrate.emulator.services.pinpoint.export_jobs import check_role, parse_s3_url, s3_client, s3_failure
from migrate.emulator.services.pinpoint.model import (
    SERVICE,
    app,
    app_table,
    iso_now,
    pinpoint_not_found,
    pinpoint_page,
    public,
    request_id,
)
from migrate.emulator.services.pinpoint.retired import check_retired
from migrate.emulator.services.pinpoint.segment_members import record_import_members
from migrate.emulator.services.pinpoint.segments import put_imported_segment, segment

MAX_LISTED_FAILURES = 100  # AWS lists the first 100 failed entries


def _files(s3: Any, bucket: str, key: str, fmt: str) -> list[str]:
    suffixes = (f".{fmt.lower()}", f".{fmt.lower()}.gz")
    keys: list[str] = []
    for listing in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key):
        keys += [o["Key"] for o in listing.get("Contents", []) if o["Key"].lower().endswith(suffixes)]
    return keys


def _csv_row(row: dict[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for header, value in row.items():
        if header is None or value in (None, ""):
            continue
        path = header.strip().split(".")
        if path[0] in ("Attributes", "UserAttributes") or path[:2] == ["User", "UserAttributes"]:
            leaf: Any = [value]
        elif path[0] == "Metrics" or path[-1] in ("Latitude", "Longitude"):
            leaf = float(value)
        else:
            leaf = value
        target = record
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = leaf
    return record


def _definitions(raw: bytes, key: str, fmt: str) -> list[Any]:
    text = (gzip.decompress(raw) if key.lower().endswith(".gz") else raw).decode("utf-8-sig")
    if fmt == "CSV":
        return [_csv_row(row) for row in csv.DictReader(io.StringIO(text))]
    rows: list[Any] = []
    for line in text.splitlines():
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError:
                rows.append(line)
    return rows


def _import(ctx: Context, application_id: str, request: dict[str, Any], job: dict[str, Any]) -> list[str]:
    """Run the job's import into `job`'s counters; returns the ids of the endpoints imported."""
    bucket, key = parse_s3_url(str(request["S3Url"]), "S3Url")
    fmt = str(request["Format"])
    s3 = s3_client(ctx)
    keys = _files(s3, bucket, key, fmt)
    if not keys:
        raise LookupError(f"No {fmt} files were found at {request['S3Url']}.")
    register = request.get("RegisterEndpoints", True) is not False
    req_id = request_id(ctx)
    imported: list[str] = []
    failures: list[str] = []
    failed_pieces = 0
    for file_key in keys:
        rows = _definitions(s3.get_object(Bucket=bucket, Key=file_key)["Body"].read(), file_key, fmt)
        bad_before = len(failures)
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or not row.get("Address") or not row.get("ChannelType"):
                failures.append(
                    f"s3://{bucket}/{file_key} line {number}: an endpoint needs ChannelType and Address"
                )
                continue
            endpoint_id = str(row.get("Id") or ctx.new_id())
            fields = {k: v for k, v in row.items() if k != "Id"}
            try:
                if register:
                    upsert_endpoint(ctx, application_id, endpoint_id, fields, req_id)
            except ApiError as error:  # a bad row is a failure of that row, as on AWS
                failures.append(f"s3://{bucket}/{file_key} line {number}: {error.message}")
                continue
            imported.append(endpoint_id)
        failed_pieces += int(len(failures) > bad_before and len(rows) == len(failures) - bad_before)
    job.update(
        TotalPieces=len(keys),
        CompletedPieces=len(keys) - failed_pieces,
        FailedPieces=failed_pieces,
        TotalProcessed=len(imported) + len(failures),
        TotalFailures=len(failures),
    )
    if failures:
        job["Failures"] = failures[:MAX_LISTED_FAILURES]
    job["JobStatus"] = "FAILED" if failed_pieces == len(keys) else "COMPLETED"
    return imported


def _define_segment(ctx: Context, application_id: str, request: dict[str, Any], imported: list[str]) -> str:
    definition = {
        "ExternalId": request.get("ExternalId") or ctx.account,
        "Format": request["Format"],
        "RoleArn": request["RoleArn"],
        "S3Url": request["S3Url"],
        "Size": len(imported),
    }
    if request.get("SegmentId"):
        target = segment(ctx, application_id, request["SegmentId"])
        segment_id = str(target["Id"])
    else:
        segment_id = str(put_imported_segment(ctx, application_id, request["SegmentName"], definition)["Id"])
    record_import_members(ctx, application_id, segment_id, imported)
    return segment_id


@operation(SERVICE, "CreateImportJob")
def create_import_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    request = dict(params["ImportJobRequest"])
    parse_s3_url(str(request.get("S3Url") or ""), "S3Url")
    check_role(str(request.get("RoleArn") or ""))
    if request.get("DefineSegment") and not (request.get("SegmentName") or request.get("SegmentId")):
        raise bad_request("SegmentName is required when DefineSegment is true.")
    if request.get("SegmentId"):
        segment(ctx, application_id, request["SegmentId"])
    job_id = ctx.new_id()
    job: dict[str, Any] = {
        "ApplicationId": application_id,
        "CreationDate": iso_now(ctx),
        "Definition": request,
        "Id": job_id,
        "JobStatus": "CREATED",
        "Type": "IMPORT",
    }
    created = {**job, "Definition": dict(request)}
    try:
        imported = _import(ctx, application_id, request, job)
    except (ClientError, BotoCoreError) as error:
        job.update(
            JobStatus="FAILED", Failures=[s3_failure(error, parse_s3_url(request["S3Url"], "S3Url")[0])]
        )
    except LookupError as error:
        job.update(JobStatus="FAILED", Failures=[str(error)])
    else:
        if request.get("DefineSegment") and job["JobStatus"] == "COMPLETED":
            request["SegmentId"] = _define_segment(ctx, application_id, request, imported)
    job["CompletionDate"] = iso_now(ctx)
    app_table(ctx, "import_jobs", application_id).put(job_id, job)
    return {"ImportJobResponse": created}


@operation(SERVICE, "GetImportJob")
def get_import_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    found = app_table(ctx, "import_jobs", params["ApplicationId"]).get(params["JobId"])
    if found is None:
        raise pinpoint_not_found("Job")
    return {"ImportJobResponse": public(found)}


@operation(SERVICE, "GetImportJobs")
def get_import_jobs(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    jobs = [public(j) for j in reversed(app_table(ctx, "import_jobs", params["ApplicationId"]).values())]
    return {"ImportJobsResponse": pinpoint_page(jobs, params)}


@operation(SERVICE, "GetSegmentImportJobs")
def get_segment_import_jobs(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    target = segment(ctx, params["ApplicationId"], params["SegmentId"])
    jobs = [
        public(j)
        for j in reversed(app_table(ctx, "import_jobs", params["ApplicationId"]).values())
        if j["Definition"].get("SegmentId") == target["Id"]
    ]
    return {"ImportJobsResponse": pinpoint_page(jobs, params)}
