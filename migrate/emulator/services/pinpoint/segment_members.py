"""Which endpoints belong to a segment: what export jobs need to export a segment.

Imported segments hold exactly the endpoints their import job registered (`segment_members:<app>`).
Dimensional segments are evaluated against the endpoints for the dimensions that depend only on stored
endpoint data (demographics, country, attributes, user attributes, metrics). Behaviour (recency), GPS
points and segment groups need event history or geometry the emulator does not keep: it answers
`NotImplemented` for them rather than guess a membership.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError
from migrate.emulator.services.pinpoint.model import app_table

Predicate = Callable[[dict[str, Any]], bool]
_DEMOGRAPHIC_FIELD = {
    "AppVersion": "AppVersion",
    "Make": "Make",
    "Model": "Model",
    "Platform": "Platform",
    "DeviceType": "Platform",
}
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "GREATER_THAN": lambda a, b: a > b,
    "LESS_THAN": lambda a, b: a < b,
    "GREATER_THAN_OR_EQUAL": lambda a, b: a >= b,
    "LESS_THAN_OR_EQUAL": lambda a, b: a <= b,
    "EQUAL": lambda a, b: a == b,
}


def record_import_members(
    ctx: Context, application_id: str, segment_id: str, endpoint_ids: list[str]
) -> None:
    app_table(ctx, "segment_members", application_id).put(segment_id, {"EndpointIds": list(endpoint_ids)})


def _unsupported(what: str) -> ApiError:
    return ApiError(
        "NotImplemented",
        f"pinpoint-migrate's emulator cannot evaluate segments with {what}",
        status=501,
    )


def _set_match(dimension: dict[str, Any], value: Any) -> bool:
    values = {str(v).lower() for v in dimension.get("Values", [])}
    found = str(value).lower() in values if value is not None else False
    return found if dimension.get("DimensionType", "INCLUSIVE") == "INCLUSIVE" else not found


def _attribute_match(dimension: dict[str, Any], present: list[str] | None) -> bool:
    kind = dimension.get("AttributeType", "INCLUSIVE")
    wanted = [str(v) for v in dimension.get("Values", [])]
    have = [str(v) for v in present or []]
    if kind == "INCLUSIVE":
        return any(v in have for v in wanted)
    if kind == "EXCLUSIVE":
        return not any(v in have for v in wanted)
    if kind == "CONTAINS":
        return any(w in h for w in wanted for h in have)
    raise _unsupported(f"attribute comparisons of type {kind}")


def _path(record: dict[str, Any], *keys: str) -> Any:
    value: Any = record
    for key in keys:
        value = (value or {}).get(key)
    return value


def _set_check(dimension: dict[str, Any], *keys: str) -> Predicate:
    return lambda e: _set_match(dimension, _path(e, *keys))


def _attribute_check(dimension: dict[str, Any], *keys: str) -> Predicate:
    return lambda e: _attribute_match(dimension, _path(e, *keys))


def _metric_check(key: str, dimension: dict[str, Any]) -> Predicate:
    compare = _COMPARE.get(str(dimension.get("ComparisonOperator")))
    if compare is None:
        raise _unsupported(f"metric comparison {dimension.get('ComparisonOperator')}")
    wanted = float(dimension["Value"])

    def check(endpoint: dict[str, Any]) -> bool:
        value = _path(endpoint, "Metrics", key)
        return value is not None and compare(float(value), wanted)

    return check


def _predicates(dimensions: dict[str, Any]) -> list[Predicate]:
    checks: list[Predicate] = []
    if dimensions.get("Behavior"):
        raise _unsupported("behaviour (recency) dimensions")
    for name, dimension in (dimensions.get("Demographic") or {}).items():
        if name == "Channel":
            checks.append(_set_check(dimension, "ChannelType"))
        else:
            checks.append(_set_check(dimension, "Demographic", _DEMOGRAPHIC_FIELD[name]))
    location = dimensions.get("Location") or {}
    if location.get("GPSPoint"):
        raise _unsupported("GPS point dimensions")
    if location.get("Country"):
        checks.append(_set_check(location["Country"], "Location", "Country"))
    for key, dimension in (dimensions.get("Attributes") or {}).items():
        checks.append(_attribute_check(dimension, "Attributes", key))
    for key, dimension in (dimensions.get("UserAttributes") or {}).items():
        checks.append(_attribute_check(dimension, "User", "UserAttributes", key))
    for key, dimension in (dimensions.get("Metrics") or {}).items():
        checks.append(_metric_check(key, dimension))
    return checks


def segment_endpoint_ids(ctx: Context, application_id: str, segment: dict[str, Any]) -> list[str]:
    """The ids of the endpoints in `segment` (a stored SegmentResponse), in the app's endpoint order."""
    endpoints = app_table(ctx, "endpoints", application_id)
    if segment.get("SegmentType") == "IMPORT":
        members = app_table(ctx, "segment_members", application_id).get(segment["Id"]) or {}
        return [i for i in members.get("EndpointIds", []) if i in endpoints]
    if (segment.get("SegmentGroups") or {}).get("Groups"):
        raise _unsupported("segment groups")
    checks = _predicates(segment.get("Dimensions") or {})
    return [key for key, record in endpoints.items() if all(check(record) for check in checks)]
