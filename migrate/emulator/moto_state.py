"""Save and restore the moto-side resources of a world, using only AWS's public API (through boto3).

Covered: S3 buckets and objects, IAM roles (trust policy, inline policies, tags), Firehose delivery
streams (S3 / extended S3 destinations), Kinesis streams, CloudWatch Logs log groups, SNS topics and SNS
opted-out phone numbers (read with `ListPhoneNumbersOptedOut`; put back through `sns_optouts.py`). Other
moto resources are not saved; `migrate/emulator/README.md` says so.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator

GLOBAL_REGION = "us-east-1"


def _regions(emu: Emulator) -> list[str]:
    regions = {GLOBAL_REGION, *emu._regions_seen}
    for name in emu.world.table_names():
        parts = name.split(":")
        if len(parts) >= 3:
            regions.add(parts[2])
    return sorted(r for r in regions if r and r != "global")


def dump_moto(emu: Emulator) -> dict[str, Any]:
    session = emu.session(GLOBAL_REGION)
    out: dict[str, Any] = {"s3": _dump_s3(session), "iam": _dump_iam(session), "regions": {}}
    for region in _regions(emu):
        regional = emu.session(region)
        section = {
            "firehose": _dump_firehose(regional),
            "kinesis": _dump_kinesis(regional),
            "logs": _dump_logs(regional),
            "sns": _dump_sns(regional),
            "sns_opted_out": _dump_sns_opted_out(regional),
        }
        if any(section.values()):
            out["regions"][region] = section
    return out


def restore_moto(emu: Emulator, data: dict[str, Any]) -> None:
    session = emu.session(GLOBAL_REGION)
    _restore_iam(session, data.get("iam", []))
    _restore_s3(emu, data.get("s3", []))
    for region, section in sorted(data.get("regions", {}).items()):
        regional = emu.session(region)
        _restore_kinesis(regional, section.get("kinesis", []))
        _restore_firehose(regional, section.get("firehose", []))
        _restore_logs(regional, section.get("logs", []))
        _restore_sns(regional, section.get("sns", []))
        emu.set_sns_opted_out(region, list(section.get("sns_opted_out", [])))


# -- S3 ---------------------------------------------------------------------------------------------
def _dump_s3(session: Any) -> list[dict[str, Any]]:
    s3 = session.client("s3")
    buckets = []
    for bucket in sorted(b["Name"] for b in s3.list_buckets().get("Buckets", [])):
        location = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint") or GLOBAL_REGION
        objects = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                got = s3.get_object(Bucket=bucket, Key=item["Key"])
                objects.append(
                    {
                        "key": item["Key"],
                        "body": base64.b64encode(got["Body"].read()).decode(),
                        "content_type": got.get("ContentType"),
                        "metadata": got.get("Metadata", {}),
                    }
                )
        buckets.append({"name": bucket, "region": location, "objects": objects})
    return buckets


def _restore_s3(emu: Emulator, buckets: list[dict[str, Any]]) -> None:
    for bucket in buckets:
        s3 = emu.session(bucket.get("region", GLOBAL_REGION)).client("s3")
        if bucket.get("region", GLOBAL_REGION) == GLOBAL_REGION:
            s3.create_bucket(Bucket=bucket["name"])
        else:
            s3.create_bucket(
                Bucket=bucket["name"], CreateBucketConfiguration={"LocationConstraint": bucket["region"]}
            )
        for obj in bucket.get("objects", []):
            extra: dict[str, Any] = {"Metadata": obj.get("metadata") or {}}
            if obj.get("content_type"):
                extra["ContentType"] = obj["content_type"]
            s3.put_object(Bucket=bucket["name"], Key=obj["key"], Body=base64.b64decode(obj["body"]), **extra)


# -- IAM --------------------------------------------------------------------------------------------
def _policy_doc(doc: Any) -> Any:
    if isinstance(doc, str):
        return json.loads(unquote(doc))
    return doc


def _dump_iam(session: Any) -> list[dict[str, Any]]:
    iam = session.client("iam")
    roles = []
    for page in iam.get_paginator("list_roles").paginate():
        for role in page["Roles"]:
            name = role["RoleName"]
            inline = {}
            for policy_name in iam.list_role_policies(RoleName=name).get("PolicyNames", []):
                got = iam.get_role_policy(RoleName=name, PolicyName=policy_name)
                inline[policy_name] = _policy_doc(got["PolicyDocument"])
            roles.append(
                {
                    "name": name,
                    "path": role.get("Path", "/"),
                    "trust": _policy_doc(role["AssumeRolePolicyDocument"]),
                    "description": role.get("Description", ""),
                    "inline": inline,
                    "tags": iam.list_role_tags(RoleName=name).get("Tags", []),
                }
            )
    return sorted(roles, key=lambda r: r["name"])


def _restore_iam(session: Any, roles: list[dict[str, Any]]) -> None:
    iam = session.client("iam")
    for role in roles:
        kwargs: dict[str, Any] = {
            "RoleName": role["name"],
            "Path": role.get("path", "/"),
            "AssumeRolePolicyDocument": json.dumps(role["trust"]),
        }
        if role.get("description"):
            kwargs["Description"] = role["description"]
        if role.get("tags"):
            kwargs["Tags"] = role["tags"]
        iam.create_role(**kwargs)
        for policy_name, doc in sorted(role.get("inline", {}).items()):
            iam.put_role_policy(RoleName=role["name"], PolicyName=policy_name, PolicyDocument=json.dumps(doc))


# -- Firehose, Kinesis, Logs, SNS -------------------------------------------------------------------
def _dump_firehose(session: Any) -> list[dict[str, Any]]:
    firehose = session.client("firehose")
    streams = []
    for name in sorted(firehose.list_delivery_streams().get("DeliveryStreamNames", [])):
        desc = firehose.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
        dest = (desc.get("Destinations") or [{}])[0]
        s3 = dest.get("ExtendedS3DestinationDescription") or dest.get("S3DestinationDescription") or {}
        streams.append(
            {
                "name": name,
                "type": desc.get("DeliveryStreamType", "DirectPut"),
                "role_arn": s3.get("RoleARN"),
                "bucket_arn": s3.get("BucketARN"),
                "prefix": s3.get("Prefix"),
            }
        )
    return streams


def _restore_firehose(session: Any, streams: list[dict[str, Any]]) -> None:
    firehose = session.client("firehose")
    for stream in streams:
        config: dict[str, Any] = {"RoleARN": stream["role_arn"], "BucketARN": stream["bucket_arn"]}
        if stream.get("prefix"):
            config["Prefix"] = stream["prefix"]
        firehose.create_delivery_stream(
            DeliveryStreamName=stream["name"],
            DeliveryStreamType=stream.get("type", "DirectPut"),
            ExtendedS3DestinationConfiguration=config,
        )


def _dump_kinesis(session: Any) -> list[dict[str, Any]]:
    kinesis = session.client("kinesis")
    streams = []
    for name in sorted(kinesis.list_streams().get("StreamNames", [])):
        summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        streams.append({"name": name, "shards": summary.get("OpenShardCount", 1)})
    return streams


def _restore_kinesis(session: Any, streams: list[dict[str, Any]]) -> None:
    kinesis = session.client("kinesis")
    for stream in streams:
        kinesis.create_stream(StreamName=stream["name"], ShardCount=int(stream.get("shards", 1)))


def _dump_logs(session: Any) -> list[dict[str, Any]]:
    logs = session.client("logs")
    groups = []
    for page in logs.get_paginator("describe_log_groups").paginate():
        for group in page.get("logGroups", []):
            groups.append({"name": group["logGroupName"], "retention": group.get("retentionInDays")})
    return sorted(groups, key=lambda g: g["name"])


def _restore_logs(session: Any, groups: list[dict[str, Any]]) -> None:
    logs = session.client("logs")
    for group in groups:
        logs.create_log_group(logGroupName=group["name"])
        if group.get("retention"):
            logs.put_retention_policy(logGroupName=group["name"], retentionInDays=int(group["retention"]))


def _dump_sns(session: Any) -> list[dict[str, Any]]:
    sns = session.client("sns")
    topics = []
    for page in sns.get_paginator("list_topics").paginate():
        for topic in page.get("Topics", []):
            arn = topic["TopicArn"]
            attrs = sns.get_topic_attributes(TopicArn=arn).get("Attributes", {})
            kept = {k: attrs[k] for k in ("DisplayName", "Policy") if attrs.get(k)}
            topics.append({"name": arn.rsplit(":", 1)[-1], "attributes": kept})
    return sorted(topics, key=lambda t: t["name"])


def _restore_sns(session: Any, topics: list[dict[str, Any]]) -> None:
    sns = session.client("sns")
    for topic in topics:
        sns.create_topic(Name=topic["name"], Attributes=topic.get("attributes") or {})


def _dump_sns_opted_out(session: Any) -> list[str]:
    sns = session.client("sns")
    numbers: list[str] = []
    token = None
    while True:
        page = sns.list_phone_numbers_opted_out(**({"nextToken": token} if token else {}))
        numbers.extend(page.get("phoneNumbers", []))
        token = page.get("nextToken")
        if not token:
            return sorted(numbers)
