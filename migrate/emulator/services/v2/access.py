"""Whether v2 can reach what a setting points at: an IAM role it must assume, a Firehose stream, an SNS topic.

AWS checks when the setting is made. terraform-provider-aws retries UpdatePool/UpdatePhoneNumber while
they fail with ValidationException "RESOURCE_NOT_ACCESSIBLE" / "Could not assume IAM role" because "IAM
roles can take time to propagate in AWS" (`pinpointsmsvoicev2/phone_number.go`, `pool.go`,
`iamPropagationTimeout = 2 * time.Minute`); a role that does not exist fails the same way for good. A
two-way SNS topic that does not exist is the modelled TWO_WAY_TOPIC_NOT_PRESENT. The resources live in
moto (IAM, Firehose, SNS), read here without an API call; a role the world created moments ago (the
emulator notes when it served CreateRole) is refused until the profile's `iam_propagation` delay passed
(`moto_view.py`).
"""

from __future__ import annotations

from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import validation
from migrate.emulator.services import moto_view


def _not_accessible(arn: str) -> Any:
    return validation(f"Could not assume IAM role {arn}: RESOURCE_NOT_ACCESSIBLE.", "RESOURCE_NOT_ACCESSIBLE")


def check_role(ctx: Context, arn: str) -> None:
    """Refuse a role that does not exist, or that was created less than the propagation delay ago."""
    if moto_view.role(arn) is None or not moto_view.propagated(ctx, arn):
        raise _not_accessible(arn)


def check_firehose(arn: str) -> None:
    if not arn.startswith("arn:") or ":firehose:" not in arn or not moto_view.stream_exists(arn):
        raise validation(f"Firehose delivery stream {arn} does not exist.", "RESOURCE_NOT_ACCESSIBLE")


def sns_topic_exists(arn: str) -> bool:
    from moto.sns.models import sns_backends

    parts = moto_view.arn_parts(arn)
    try:
        return arn in sns_backends[parts[4]][parts[3]].topics
    except Exception:
        return False


def check_destination(ctx: Context, params: dict[str, Any]) -> None:
    """An event destination's role, stream and topic (CreateEventDestination, UpdateEventDestination)."""
    for kind in ("KinesisFirehoseDestination", "CloudWatchLogsDestination"):
        body = params.get(kind) or {}
        if body.get("IamRoleArn"):
            check_role(ctx, body["IamRoleArn"])
    firehose = (params.get("KinesisFirehoseDestination") or {}).get("DeliveryStreamArn")
    if firehose:
        check_firehose(firehose)
    topic = (params.get("SnsDestination") or {}).get("TopicArn")
    if topic and not sns_topic_exists(topic):
        raise validation(f"SNS topic {topic} does not exist.", "RESOURCE_NOT_ACCESSIBLE")


def check_two_way(ctx: Context, params: dict[str, Any]) -> None:
    """Two-way settings of UpdatePhoneNumber/UpdatePool: the channel role and an SNS channel's topic."""
    if params.get("TwoWayChannelRole"):
        check_role(ctx, params["TwoWayChannelRole"])
    channel = params.get("TwoWayChannelArn") or ""
    if channel.startswith("arn:") and ":sns:" in channel and not sns_topic_exists(channel):
        raise validation(f"Two-way SNS topic {channel} does not exist.", "TWO_WAY_TOPIC_NOT_PRESENT")
