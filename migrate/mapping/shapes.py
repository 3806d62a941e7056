"""Read the nested values records carry (event destinations, keywords) in either shape they come in.

The scanner stores them flat (`{"name", "enabled", "event_types", "firehose", "log_group", "sns",
"role"}`, `{"keyword", "action", "message"}`); hand-made or older inventories may hold the API's own shape
(`EventDestinationName`/`Name`, `MatchingEventTypes`, `KinesisFirehoseDestination`, ...; `Keyword`,
`KeywordAction`, `KeywordMessage`). Everything that compares them reads them through here.
"""

from __future__ import annotations

from typing import Any

_API_MEMBERS = (
    ("KinesisFirehoseDestination", "firehose", "DeliveryStreamArn"),
    ("CloudWatchLogsDestination", "cloudwatch", "LogGroupArn"),
    ("SnsDestination", "sns", "TopicArn"),
)
_FLAT_MEMBERS = (("firehose", "firehose"), ("log_group", "cloudwatch"), ("sns", "sns"))


def destination(raw: dict[str, Any]) -> dict[str, Any]:
    """An event destination as `name`, `enabled`, `event_types`, `kind`, `target_arn`, `role_arn`."""
    out: dict[str, Any] = {
        "name": str(raw.get("name") or raw.get("EventDestinationName") or raw.get("Name") or ""),
        "enabled": bool(raw.get("enabled", raw.get("Enabled", True))),
        "event_types": tuple(sorted(raw.get("event_types") or raw.get("MatchingEventTypes") or ())),
        "kind": "none",
        "target_arn": "",
        "role_arn": "",
    }
    for member, kind, key in _API_MEMBERS:
        body = raw.get(member)
        if body:
            out.update(kind=kind, target_arn=str(body.get(key, "")), role_arn=str(body.get("IamRoleArn", "")))
            return out
    for key, kind in _FLAT_MEMBERS:
        if raw.get(key):
            role = "" if kind == "sns" else str(raw.get("role", ""))
            out.update(kind=kind, target_arn=str(raw[key]), role_arn=role)
            return out
    return out


def keyword_signature(
    keywords: tuple[dict[str, Any], ...] | list[dict[str, Any]],
) -> list[tuple[str, str, str]]:
    """Keywords as v2 compares them when an identity joins a pool: (KEYWORD, action, message), sorted."""
    return sorted(
        (
            str(k.get("keyword", k.get("Keyword", ""))).upper(),
            str(k.get("action", k.get("KeywordAction", ""))),
            str(k.get("message", k.get("KeywordMessage", ""))),
        )
        for k in keywords
    )


def api_destination(kind: str, target_arn: str, role_arn: str) -> dict[str, Any]:
    """The destination member CreateEventDestination / UpdateEventDestination take."""
    if kind == "firehose":
        return {"KinesisFirehoseDestination": {"DeliveryStreamArn": target_arn, "IamRoleArn": role_arn}}
    if kind == "cloudwatch":
        return {"CloudWatchLogsDestination": {"LogGroupArn": target_arn, "IamRoleArn": role_arn}}
    if kind == "sns":
        return {"SnsDestination": {"TopicArn": target_arn}}
    return {}
