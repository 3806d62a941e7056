"""Pinpoint endpoints: one table per app (`endpoints:<app>`) plus a `users:<app>` index by UserId.

An update merges into the stored endpoint as AWS does: members not named are kept; `Attributes`,
`Metrics`, `User.UserAttributes`, `Demographic` and `Location` merge key by key (removing an attribute
takes RemoveAttributes). A user may own at most 15 endpoints: a 16th SMS/voice/email/custom/in-app one
is refused; a 16th push one deactivates the user's oldest push endpoint and detaches it from the user.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from migrate.emulator.context import Context
from migrate.emulator.errors import bad_request
from migrate.emulator.registry import operation
from migrate.emulator.services.pinpoint.model import (
    SERVICE,
    app,
    app_table,
    iso_now,
    pinpoint_not_found,
    public,
    request_id,
)
from migrate.emulator.services.pinpoint.retired import check_retired
from migrate.emulator.store import Table

MAX_ENDPOINTS_PER_USER = 15
MAX_BATCH = 100
PUSH_CHANNELS = frozenset({"ADM", "GCM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "BAIDU"})
_MERGED_MAPS = ("Attributes", "Metrics", "Demographic", "Location")


def endpoints_table(ctx: Context, application_id: str) -> Table:
    return app_table(ctx, "endpoints", application_id)


def users_table(ctx: Context, application_id: str) -> Table:
    return app_table(ctx, "users", application_id)


def user_endpoint_ids(ctx: Context, application_id: str, user_id: str) -> list[str]:
    return list((users_table(ctx, application_id).get(user_id) or {}).get("EndpointIds", []))


def endpoint(ctx: Context, application_id: str, endpoint_id: str) -> dict[str, Any]:
    """An endpoint as stored, or Pinpoint's NotFoundException."""
    found = endpoints_table(ctx, application_id).get(endpoint_id)
    if found is None:
        raise pinpoint_not_found()
    return dict(found)


def cohort_id(endpoint_id: str) -> str:
    """AWS assigns each endpoint to one of 100 cohorts (0-99) by a hash of its id."""
    return str(int(hashlib.sha256(endpoint_id.encode()).hexdigest(), 16) % 100)


def _link_user(ctx: Context, application_id: str, user_id: str, endpoint_id: str, add: bool) -> None:
    users = users_table(ctx, application_id)
    ids = user_endpoint_ids(ctx, application_id, user_id)
    if add and endpoint_id not in ids:
        ids.append(endpoint_id)
    elif not add and endpoint_id in ids:
        ids.remove(endpoint_id)
    else:
        return
    if ids:
        users.put(user_id, {"EndpointIds": ids})
    else:
        users.delete(user_id)


def _make_room(ctx: Context, application_id: str, user_id: str, endpoint_id: str, channel: str) -> None:
    """Enforce the 15-endpoints-per-user quota before `endpoint_id` joins `user_id`."""
    ids = [i for i in user_endpoint_ids(ctx, application_id, user_id) if i != endpoint_id]
    if len(ids) < MAX_ENDPOINTS_PER_USER:
        return
    table = endpoints_table(ctx, application_id)
    push = [r for r in (table.get(i) for i in ids) if r and r.get("ChannelType") in PUSH_CHANNELS]
    if channel not in PUSH_CHANNELS or not push:
        raise bad_request(
            f"User {user_id} already has the maximum of {MAX_ENDPOINTS_PER_USER} endpoints; "
            "delete one before adding another."
        )
    oldest = copy.deepcopy(min(push, key=lambda e: str(e.get("EffectiveDate", ""))))
    oldest["EndpointStatus"] = "INACTIVE"
    user = oldest.get("User") or {}
    user.pop("UserId", None)
    oldest["User"] = user
    table.put(oldest["Id"], oldest)
    _link_user(ctx, application_id, user_id, oldest["Id"], add=False)


def upsert_endpoint(
    ctx: Context, application_id: str, endpoint_id: str, request: dict[str, Any], req_id: str
) -> dict[str, Any]:
    """Create or merge-update one endpoint; returns the stored EndpointResponse."""
    if not endpoint_id:
        raise bad_request("Endpoint Id is required.")
    table = endpoints_table(ctx, application_id)
    previous = table.get(endpoint_id)
    now = iso_now(ctx)
    record: dict[str, Any] = (
        copy.deepcopy(previous)
        if previous is not None
        else {
            "ApplicationId": application_id,
            "Id": endpoint_id,
            "CohortId": cohort_id(endpoint_id),
            "CreationDate": now,
            "EndpointStatus": "ACTIVE",
            "OptOut": "NONE",
        }
    )
    for name in ("ChannelType", "Address"):
        if request.get(name) is not None:
            record[name] = request[name]
    if record.get("Address") and not record.get("ChannelType"):
        raise bad_request("ChannelType is required when an endpoint has an Address.")
    opt_out = request.get("OptOut")
    if opt_out is not None:
        if opt_out not in ("ALL", "NONE"):
            raise bad_request(f"OptOut must be ALL or NONE, got {opt_out!r}.")
        record["OptOut"] = opt_out
    status = request.get("EndpointStatus")
    if status is not None:
        if status not in ("ACTIVE", "INACTIVE"):
            raise bad_request(f"EndpointStatus must be ACTIVE or INACTIVE, got {status!r}.")
        record["EndpointStatus"] = status
    for name in _MERGED_MAPS:
        if request.get(name) is not None:
            record[name] = {**record.get(name, {}), **copy.deepcopy(request[name])}
    old_user = (record.get("User") or {}).get("UserId")
    if request.get("User") is not None:
        user = dict(record.get("User") or {})
        if "UserId" in request["User"]:
            user["UserId"] = request["User"]["UserId"]
        if request["User"].get("UserAttributes") is not None:
            user["UserAttributes"] = {**user.get("UserAttributes", {}), **request["User"]["UserAttributes"]}
        record["User"] = {k: v for k, v in user.items() if v not in (None, "")}
    new_user = (record.get("User") or {}).get("UserId")
    if new_user and new_user != old_user:
        _make_room(ctx, application_id, new_user, endpoint_id, str(record.get("ChannelType", "")))
    if old_user and old_user != new_user:
        _link_user(ctx, application_id, old_user, endpoint_id, add=False)
    if new_user:
        _link_user(ctx, application_id, new_user, endpoint_id, add=True)
    record["EffectiveDate"] = request.get("EffectiveDate") or now
    record["RequestId"] = request.get("RequestId") or req_id
    table.put(endpoint_id, record)
    return record


def remove_endpoint(ctx: Context, application_id: str, endpoint_id: str) -> dict[str, Any]:
    record = endpoint(ctx, application_id, endpoint_id)
    user_id = (record.get("User") or {}).get("UserId")
    if user_id:
        _link_user(ctx, application_id, user_id, endpoint_id, add=False)
    endpoints_table(ctx, application_id).delete(endpoint_id)
    return record


def _accepted(req_id: str) -> dict[str, Any]:
    return {"MessageBody": {"Message": "Accepted", "RequestID": req_id}}


@operation(SERVICE, "UpdateEndpoint")
def update_endpoint(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    req_id = request_id(ctx)
    upsert_endpoint(ctx, params["ApplicationId"], params["EndpointId"], params["EndpointRequest"], req_id)
    return _accepted(req_id)


@operation(SERVICE, "UpdateEndpointsBatch")
def update_endpoints_batch(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    items = params["EndpointBatchRequest"].get("Item") or []
    if not items:
        raise bad_request("The batch must contain at least one endpoint.")
    if len(items) > MAX_BATCH:
        raise bad_request(f"A batch can update at most {MAX_BATCH} endpoints; this one has {len(items)}.")
    req_id = request_id(ctx)
    for item in items:
        fields = {k: v for k, v in item.items() if k != "Id"}
        upsert_endpoint(ctx, params["ApplicationId"], str(item.get("Id") or ""), fields, req_id)
    return _accepted(req_id)


@operation(SERVICE, "GetEndpoint")
def get_endpoint(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    return {"EndpointResponse": public(endpoint(ctx, params["ApplicationId"], params["EndpointId"]))}


@operation(SERVICE, "DeleteEndpoint")
def delete_endpoint(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    return {"EndpointResponse": public(remove_endpoint(ctx, params["ApplicationId"], params["EndpointId"]))}


def _user_endpoints(ctx: Context, application_id: str, user_id: str) -> list[dict[str, Any]]:
    ids = user_endpoint_ids(ctx, application_id, user_id)
    if not ids:
        raise pinpoint_not_found()
    return [endpoint(ctx, application_id, i) for i in ids]


@operation(SERVICE, "GetUserEndpoints")
def get_user_endpoints(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    app(ctx, params["ApplicationId"])
    found = _user_endpoints(ctx, params["ApplicationId"], params["UserId"])
    return {"EndpointsResponse": {"Item": [public(e) for e in found]}}


@operation(SERVICE, "DeleteUserEndpoints")
def delete_user_endpoints(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    found = _user_endpoints(ctx, application_id, params["UserId"])
    for record in found:
        remove_endpoint(ctx, application_id, record["Id"])
    return {"EndpointsResponse": {"Item": [public(e) for e in found]}}


# RemoveAttributes' attribute types and where each lives in an endpoint.
_ATTRIBUTE_PATHS = {
    "endpoint-custom-attributes": ("Attributes",),
    "endpoint-metric-attributes": ("Metrics",),
    "endpoint-user-attributes": ("User", "UserAttributes"),
}


@operation(SERVICE, "RemoveAttributes")
def remove_attributes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_retired(ctx)
    application_id = params["ApplicationId"]
    app(ctx, application_id)
    kind = params["AttributeType"]
    path = _ATTRIBUTE_PATHS.get(kind)
    if path is None:
        raise bad_request(f"AttributeType must be one of {', '.join(_ATTRIBUTE_PATHS)}, got {kind!r}.")
    doomed = set((params.get("UpdateAttributesRequest") or {}).get("Blacklist") or [])
    removed: set[str] = set()
    table = endpoints_table(ctx, application_id)
    for key, record in table.items():
        holder: Any = record
        for part in path:
            holder = (holder or {}).get(part)
        hits = doomed & set(holder or {})
        if hits:
            updated = copy.deepcopy(record)
            target = updated
            for part in path:
                target = target[part]
            for name in hits:
                del target[name]
            table.put(key, updated)
            removed |= hits
    return {
        "AttributesResource": {
            "ApplicationId": application_id,
            "AttributeType": kind,
            "Attributes": sorted(removed),
        }
    }
