"""Pinpoint segments: dimensional and segment-group definitions, imported segments, and their versions.

Every `UpdateSegment` makes a new version (1, 2, ...); `GetSegmentVersion(s)` read the kept copies.
Imported segments (`SegmentType` `IMPORT`) come from import jobs that define a segment, through
`put_imported_segment`. Segments are retired with Pinpoint's end of support (see `retired.py`).
"""

from __future__ import annotations

from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.engagement import (
    drop_versions,
    listing,
    merge,
    save_version,
    version_of,
    versions_of,
    with_tags,
)
from migrate.emulator.services.pinpoint.model import (
    SERVICE,
    app,
    app_table,
    drop_tags,
    iso_now,
    pinpoint_not_found,
    set_tags,
)
from migrate.emulator.services.pinpoint.retired import check_retired

KIND = "segments"
_WRITABLE = ("Name", "Dimensions", "SegmentGroups")


def segment_arn(ctx: Context, application_id: str, segment_id: str) -> str:
    return ctx.arn(f"apps/{application_id}/segments/{segment_id}")


def segment(ctx: Context, application_id: str, segment_id: str) -> dict[str, Any]:
    """The current version of a segment of an existing app, or NotFoundException."""
    app(ctx, application_id)
    found = app_table(ctx, KIND, application_id).get(segment_id)
    if found is None:
        raise pinpoint_not_found("Segment")
    return found


def _check_groups(ctx: Context, application_id: str, request: dict[str, Any]) -> None:
    """Segment groups may only name segments (and versions) that exist in the same app."""
    groups = (request.get("SegmentGroups") or {}).get("Groups") or []
    table = app_table(ctx, KIND, application_id)
    for group in groups:
        for ref in group.get("SourceSegments") or []:
            source = table.get(ref["Id"])
            if source is None:
                raise bad_request(
                    f"Source segment {ref['Id']} does not exist in application {application_id}"
                )
            version = ref.get("Version")
            if version is not None and not 1 <= int(version) <= int(source["Version"]):
                raise bad_request(f"Source segment {ref['Id']} has no version {version}")


def _new_segment(
    ctx: Context, application_id: str, request: dict[str, Any], segment_type: str
) -> dict[str, Any]:
    segment_id = ctx.new_id()
    now = iso_now(ctx)
    record: dict[str, Any] = {
        "ApplicationId": application_id,
        "Arn": segment_arn(ctx, application_id, segment_id),
        "CreationDate": now,
        "Id": segment_id,
        "LastModifiedDate": now,
        "SegmentType": segment_type,
        "Version": 1,
    }
    record = merge(record, request, _WRITABLE)
    save_version(ctx, KIND, application_id, record)
    set_tags(ctx, record["Arn"], request.get("tags"))
    return record


def put_imported_segment(
    ctx: Context,
    application_id: str,
    name: str,
    import_definition: dict[str, Any],
    tags: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Create the `IMPORT` segment an import job defines (`DefineSegment`); returns the stored record.

    `import_definition` is a SegmentImportResource (ExternalId, Format, RoleArn, S3Url, Size, ...).
    """
    app(ctx, application_id)
    record = _new_segment(ctx, application_id, {"Name": name}, "IMPORT")
    record["ImportDefinition"] = dict(import_definition)
    save_version(ctx, KIND, application_id, record)
    set_tags(ctx, record["Arn"], tags)
    return record


@operation(SERVICE, "CreateSegment")
def create_segment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    request = params["WriteSegmentRequest"]
    _check_groups(ctx, application_id, request)
    record = _new_segment(ctx, application_id, request, "DIMENSIONAL")
    return {"SegmentResponse": with_tags(ctx, record)}


@operation(SERVICE, "GetSegment")
def get_segment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    record = segment(ctx, params["ApplicationId"], params["SegmentId"])
    return {"SegmentResponse": with_tags(ctx, record)}


@operation(SERVICE, "GetSegments")
def get_segments(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    records = app_table(ctx, KIND, application_id).values()
    return {"SegmentsResponse": listing(records, params, lambda r: with_tags(ctx, r))}


@operation(SERVICE, "UpdateSegment")
def update_segment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    current = segment(ctx, application_id, params["SegmentId"])
    request = params["WriteSegmentRequest"]
    _check_groups(ctx, application_id, request)
    # Since May 2023 Pinpoint ignores `tags` in update requests (TagResource manages them).
    record = merge(current, request, _WRITABLE)
    record["Version"] = int(current["Version"]) + 1
    record["LastModifiedDate"] = iso_now(ctx)
    save_version(ctx, KIND, application_id, record)
    return {"SegmentResponse": with_tags(ctx, record)}


@operation(SERVICE, "DeleteSegment")
def delete_segment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    record = segment(ctx, application_id, params["SegmentId"])
    response = with_tags(ctx, record)
    app_table(ctx, KIND, application_id).delete(record["Id"])
    drop_versions(ctx, KIND, application_id, record["Id"])
    drop_tags(ctx, record["Arn"])
    return {"SegmentResponse": response}


@operation(SERVICE, "GetSegmentVersion")
def get_segment_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    current = segment(ctx, application_id, params["SegmentId"])
    record = version_of(ctx, KIND, application_id, current["Id"], params["Version"])
    return {"SegmentResponse": with_tags(ctx, record)}


@operation(SERVICE, "GetSegmentVersions")
def get_segment_versions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    current = segment(ctx, application_id, params["SegmentId"])
    records = versions_of(ctx, KIND, application_id, current["Id"])
    return {"SegmentsResponse": listing(records, params, lambda r: with_tags(ctx, r))}
