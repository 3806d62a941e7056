"""Roles assumed with `sts:AssumeRole`, their credentials refreshed before they expire."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import RefreshableCredentials

from migrate.aws.clients import client_config
from migrate.aws.errors import SessionError
from migrate.aws.models import SharedModels

GLOBAL_REGION = "us-east-1"  # where STS and Organizations are called unless a region is given


def assume_role_session(
    base: boto3.Session,
    role_arn: str,
    *,
    external_id: str | None = None,
    session_name: str = "pinpoint-migrate",
    region: str = GLOBAL_REGION,
    config: Config | None = None,
    sts: Any = None,
    models: SharedModels | None = None,
    time_fetcher: Callable[[], Any] | None = None,
) -> tuple[boto3.Session, str]:
    """A session whose credentials come from `sts:AssumeRole` and refresh themselves before expiry.

    The account id is read from the `AssumedRoleUser` ARN that AssumeRole returns: it is AWS's own
    statement of which account the credentials act in, and saves a GetCallerIdentity per account.
    botocore's `RefreshableCredentials` calls `fetch` again when the credentials are within 15 minutes
    of their `Expiration` (advisory; 10 minutes: mandatory, under its own lock), so a run longer than
    a role session (1 hour by default, AssumeRole `DurationSeconds`) keeps working; `time_fetcher` is
    botocore's clock, for tests. `sts` is a client shared by every assume of a run (clients are
    thread-safe); `models` the shared loader.
    """
    if sts is None:
        sts = base.client("sts", region_name=region, config=config or client_config())
    identity: dict[str, str] = {}

    def fetch() -> dict[str, str]:
        request: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": session_name}
        if external_id:
            request["ExternalId"] = external_id
        answer = sts.assume_role(**request)
        identity["arn"] = answer["AssumedRoleUser"]["Arn"]
        creds = answer["Credentials"]
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": creds["Expiration"].isoformat(),
        }

    metadata = fetch()
    if time_fetcher is not None:
        credentials = RefreshableCredentials(
            metadata["access_key"], metadata["secret_key"], metadata["token"],
            _parse_expiry(metadata["expiry_time"]), fetch, "sts-assume-role", time_fetcher=time_fetcher,
        )  # fmt: skip
    else:
        credentials = RefreshableCredentials.create_from_metadata(
            metadata=metadata, refresh_using=fetch, method="sts-assume-role"
        )
    account_id = _account_of_arn(identity["arn"]) or _account_of_arn(role_arn)
    if account_id is None:
        raise SessionError(f"cannot tell the account of assumed role {role_arn}")
    if models is not None:
        return models.session(credentials=credentials, region=region), account_id
    core = botocore.session.get_session()
    core._credentials = credentials  # botocore's documented-by-practice way to inject credentials
    core.set_config_variable("region", region)
    return boto3.Session(botocore_session=core), account_id


def _parse_expiry(text: str) -> Any:
    from botocore.credentials import _parse_if_needed

    return _parse_if_needed(text)


def _account_of_arn(arn: str) -> str | None:
    fields = arn.split(":")
    return fields[4] if len(fields) > 5 and fields[4].isdigit() else None


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"
