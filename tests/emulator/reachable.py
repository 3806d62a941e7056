"""Make the IAM roles, SNS topics and Firehose streams a test's v2 settings name exist (in moto), as AWS
requires of them (migrate/emulator/services/v2/access.py)."""

from __future__ import annotations

import json

from migrate.emulator import Emulator

TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sms-voice.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def make_reachable(emu: Emulator, *arns: str) -> None:
    for arn in arns:
        parts = arn.split(":", 5)
        region, resource = parts[3] or "us-east-1", parts[5]
        session = emu.session(region or "us-east-1")
        if parts[2] == "iam":
            session.client("iam").create_role(
                RoleName=resource.split("/")[-1], AssumeRolePolicyDocument=json.dumps(TRUST)
            )
        elif parts[2] == "sns":
            session.client("sns").create_topic(Name=resource)
        elif parts[2] == "firehose":
            role = f"arn:aws:iam::{parts[4]}:role/firehose-delivery"
            session.client("firehose").create_delivery_stream(
                DeliveryStreamName=resource.split("/")[-1],
                ExtendedS3DestinationConfiguration={"RoleARN": role, "BucketARN": "arn:aws:s3:::emulated-events"},
            )
