"""Streams and roles Pinpoint can write events to, made in moto (behind the emulator) by tests.

PutEventStream checks the role exists, trusts pinpoint.amazonaws.com and may put records into an existing
stream (Pinpoint developer guide, permissions-streams.html), so tests that put one make it properly.
"""

from __future__ import annotations

import json
from typing import Any

import boto3

ACTIONS = {"kinesis": ["kinesis:PutRecords", "kinesis:DescribeStream"],
           "firehose": ["firehose:PutRecordBatch", "firehose:DescribeDeliveryStream"]}  # fmt: skip


def trust(service: str = "pinpoint.amazonaws.com") -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})  # fmt: skip


def make_stream(kind: str, name: str, region: str = "us-east-1", session: Any = boto3) -> str:
    """A Kinesis data stream or Firehose delivery stream; its ARN."""
    if kind == "kinesis":
        client = session.client("kinesis", region_name=region)
        client.create_stream(StreamName=name, ShardCount=1)
        return str(client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"])
    client = session.client("firehose", region_name=region)
    account = session.client("sts", region_name=region).get_caller_identity()["Account"]
    client.create_delivery_stream(
        DeliveryStreamName=name,
        ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{account}:role/firehose", "BucketARN": "arn:aws:s3:::events",
        },
    )  # fmt: skip
    return str(client.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]["DeliveryStreamARN"])


def make_role(name: str, streams: list[str], *, service: str = "pinpoint.amazonaws.com", session: Any = boto3) -> str:
    """A role `service` may assume that may put records into `streams`; its ARN."""
    iam = session.client("iam", region_name="us-east-1")
    arn = str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(service))["Role"]["Arn"])
    statements = [
        {"Effect": "Allow", "Action": ACTIONS[s.split(":")[2]], "Resource": [s]} for s in streams
    ]
    if statements:
        policy = {"Version": "2012-10-17", "Statement": statements}
        iam.put_role_policy(RoleName=name, PolicyName="events", PolicyDocument=json.dumps(policy))
    return arn
