"""Pinpoint export jobs: write an app's (or a segment's) endpoints to S3 as gzip NDJSON.

The format is AWS's: each file is gzip-compressed newline-delimited JSON, one EndpointResponse (the JSON
GetEndpoint returns) per line, opted-out and inactive endpoints included. Files are written below the
job's `S3UrlPrefix`; AWS does not document the names below it (its samples list every `.gz` object
under the prefix), so the emulator writes `<prefix><JobId>/part-<n>.gz`, `ENDPOINTS_PER_FILE` endpoints
each: one file is one "piece" of the job.

The job runs inside the CreateExportJob call through moto's S3 (boto3 with the caller's account), so it
is finished when the call returns: CreateExportJob answers `CREATED`, as AWS does, and GetExportJob then
reports `COMPLETED` (or `FAILED` with the reason in `Failures` when the bucket is missing or refuses the
write, as AWS reports a failed job rather than failing the call).
"""

from __future__ import annotations

import gzip
import json
import re
import weakref
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from migrate.emulator import dispatch
from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.engagement import version_of
from migrate.emulator.services.pinpoint.model import (
    SERVICE,
    app,
    app_table,
    iso_now,
    pinpoint_not_found,
    pinpoint_page,
    public,
)
from migrate.emulator.services.pinpoint.retired import check_retired
from migrate.emulator.services.pinpoint.segment_members import segment_endpoint_ids
from migrate.emulator.services.pinpoint.segments import segment

ENDPOINTS_PER_FILE = 10_000
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_S3_URL = re.compile(r"^s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(.*))?$")


def parse_s3_url(url: str, member: str) -> tuple[str, str]:
    """(bucket, key or prefix) of an `s3://bucket/...` URL, or BadRequestException."""
    match = _S3_URL.match(url or "")
    if not match:
        raise bad_request(
            f"{member} must be an Amazon S3 URL such as s3://bucket-name/folder-name/, got {url!r}."
        )
    return match.group(1), match.group(2) or ""


def check_role(role_arn: str) -> None:
    if not ROLE_ARN.match(role_arn or ""):
        raise bad_request(f"RoleArn must be the ARN of an IAM role, got {role_arn!r}.")


# Building a boto3 client costs more than the S3 calls of a small job: keep one per emulator and account.
_S3_CLIENTS: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], Any]] = weakref.WeakKeyDictionary()


def s3_client(ctx: Context) -> Any:
    """An S3 client of the caller's account, served by moto behind the running emulator."""
    emulator = dispatch.active()
    if emulator is None:  # pragma: no cover - handlers only run inside a running emulator
        raise RuntimeError("no emulator is running")
    clients = _S3_CLIENTS.setdefault(emulator, {})
    key = (ctx.region, ctx.account)
    if key not in clients:
        clients[key] = emulator.session(ctx.region, account_id=ctx.account).client("s3")
    return clients[key]


def s3_failure(error: Exception, bucket: str) -> str:
    """The failure line AWS-style jobs report for an S3 error."""
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchBucket", "404", "NotFound"):
            return f"The Amazon S3 bucket {bucket} does not exist (NoSuchBucket)."
        if code in ("AccessDenied", "403", "Forbidden"):
            return f"Amazon Pinpoint is not allowed to access the Amazon S3 bucket {bucket} (AccessDenied)."
        return f"Amazon S3 refused the request for bucket {bucket} ({code})."
    return f"Amazon S3 could not be reached for bucket {bucket} ({error})."


def _endpoints_to_export(ctx: Context, application_id: str, request: dict[str, Any]) -> list[dict[str, Any]]:
    endpoints = app_table(ctx, "endpoints", application_id)
    segment_id = request.get("SegmentId")
    if not segment_id:
        return endpoints.values()
    target = segment(ctx, application_id, segment_id)
    if request.get("SegmentVersion") is not None:
        target = version_of(ctx, "segments", application_id, segment_id, str(request["SegmentVersion"]))
    return [endpoints.get(i) for i in segment_endpoint_ids(ctx, application_id, target)]


def _write(ctx: Context, bucket: str, prefix: str, job_id: str, records: list[dict[str, Any]]) -> int:
    """Write the records as gzip NDJSON pieces; returns the number of pieces written."""
    s3 = s3_client(ctx)
    s3.head_bucket(Bucket=bucket)
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    pieces = 0
    for start in range(0, len(records), ENDPOINTS_PER_FILE):
        lines = [
            json.dumps(public(r), separators=(",", ":")) for r in records[start : start + ENDPOINTS_PER_FILE]
        ]
        body = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
        pieces += 1
        s3.put_object(Bucket=bucket, Key=f"{prefix}{job_id}/part-{pieces:05d}.gz", Body=body)
    return pieces


@operation(SERVICE, "CreateExportJob")
def create_export_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    request = params["ExportJobRequest"]
    bucket, prefix = parse_s3_url(str(request.get("S3UrlPrefix") or ""), "S3UrlPrefix")
    check_role(str(request.get("RoleArn") or ""))
    records = _endpoints_to_export(ctx, application_id, request)
    job_id = ctx.new_id()
    definition = {
        k: request[k]
        for k in ("RoleArn", "S3UrlPrefix", "SegmentId", "SegmentVersion")
        if request.get(k) is not None
    }
    job: dict[str, Any] = {
        "ApplicationId": application_id,
        "CreationDate": iso_now(ctx),
        "Definition": definition,
        "Id": job_id,
        "JobStatus": "CREATED",
        "Type": "EXPORT",
    }
    created = dict(job)
    expected = -(-len(records) // ENDPOINTS_PER_FILE)
    try:
        pieces = _write(ctx, bucket, prefix, job_id, records)
    except (ClientError, BotoCoreError) as error:
        job.update(
            JobStatus="FAILED",
            TotalPieces=expected,
            CompletedPieces=0,
            FailedPieces=expected,
            TotalProcessed=0,
            TotalFailures=len(records),
            Failures=[s3_failure(error, bucket)],
        )
    else:
        job.update(
            JobStatus="COMPLETED",
            TotalPieces=pieces,
            CompletedPieces=pieces,
            FailedPieces=0,
            TotalProcessed=len(records),
            TotalFailures=0,
        )
    job["CompletionDate"] = iso_now(ctx)
    app_table(ctx, "export_jobs", application_id).put(job_id, job)
    return {"ExportJobResponse": created}


@operation(SERVICE, "GetExportJob")
def get_export_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    found = app_table(ctx, "export_jobs", params["ApplicationId"]).get(params["JobId"])
    if found is None:
        raise pinpoint_not_found("Job")
    return {"ExportJobResponse": public(found)}


@operation(SERVICE, "GetExportJobs")
def get_export_jobs(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    # Newest first, as Pinpoint lists jobs.
    jobs = [public(j) for j in reversed(app_table(ctx, "export_jobs", params["ApplicationId"]).values())]
    return {"ExportJobsResponse": pinpoint_page(jobs, params)}


@operation(SERVICE, "GetSegmentExportJobs")
def get_segment_export_jobs(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    target = segment(ctx, params["ApplicationId"], params["SegmentId"])
    jobs = [
        public(j)
        for j in reversed(app_table(ctx, "export_jobs", params["ApplicationId"]).values())
        if j["Definition"].get("SegmentId") == target["Id"]
    ]
    return {"ExportJobsResponse": pinpoint_page(jobs, params)}
