"""The wire protocols: parse a botocore request into an operation's input and render its output or error.

`pinpoint-sms-voice-v2` speaks AWS JSON 1.0 (POST /, `X-Amz-Target`); Pinpoint and SMS/Voice v1 speak
REST-JSON (the operation's `requestUri` template, query string, headers and a JSON body). Because the
emulator answers inside botocore's `before-send` event, botocore still parses these bytes exactly as it
parses AWS's, so its error mapping and retries behave as they do against the real service.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from botocore.model import OperationModel, ServiceModel, StructureShape

from migrate.emulator.errors import ApiError
from migrate.emulator.wire import from_text, from_wire, to_text, to_wire


@dataclass
class WireResponse:
    status: int
    headers: dict[str, str]
    body: bytes = b""
    extra: dict[str, Any] = field(default_factory=dict)


class MalformedRequest(ApiError):
    """The request's bytes could not be read as the operation's input."""


@lru_cache(maxsize=512)
def _uri_pattern(request_uri: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    path = request_uri.split("?", 1)[0]
    labels: list[str] = []
    regex = ""
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{") and part.endswith("}"):
            label = part[1:-1]
            greedy = label.endswith("+")
            labels.append(label.rstrip("+"))
            regex += "(.+)" if greedy else "([^/]+)"
        else:
            regex += re.escape(part)
    return re.compile("^" + regex + "/?$"), tuple(labels)


def parse_request(
    service: ServiceModel, op: OperationModel, url: str, headers: dict[str, str], body: bytes
) -> dict[str, Any]:
    """Rebuild the operation's input (as boto3 takes it) from the raw request."""
    shape = op.input_shape
    if shape is None:
        return {}
    if service.protocol == "json":
        return _parse_json_body(shape, body)
    return _parse_rest_json(op, shape, url, headers, body)


def _parse_json_body(shape: StructureShape, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedRequest("SerializationException", f"the request body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MalformedRequest("SerializationException", "the request body must be a JSON object")
    result = from_wire(shape, data)
    assert isinstance(result, dict)
    return result


def _parse_rest_json(
    op: OperationModel, shape: StructureShape, url: str, headers: dict[str, str], body: bytes
) -> dict[str, Any]:
    parts = urlsplit(url)
    pattern, _labels = _uri_pattern(op.http["requestUri"])
    match = pattern.match(parts.path)
    values: dict[str, Any] = {}
    uri_values: dict[str, str] = {}
    if match:
        names = _uri_pattern(op.http["requestUri"])[1]
        uri_values = {name: unquote(v) for name, v in zip(names, match.groups(), strict=True)}
    query = parse_qs(parts.query, keep_blank_values=True)
    lower_headers = {k.lower(): v for k, v in headers.items()}
    payload_name = shape.serialization.get("payload")
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire_name = member.serialization.get("name", name)
        if location == "uri" and wire_name in uri_values:
            values[name] = from_text(member, uri_values[wire_name])
        elif location == "querystring" and wire_name in query:
            if member.type_name == "list":
                values[name] = [from_text(member.member, v) for v in query[wire_name]]
            else:
                values[name] = from_text(member, query[wire_name][0])
        elif location == "header" and wire_name.lower() in lower_headers:
            values[name] = from_text(member, lower_headers[wire_name.lower()])
    if payload_name:
        member = shape.members[payload_name]
        if body:
            if member.type_name == "structure":
                values[payload_name] = _parse_json_body(member, body)
            else:
                values[payload_name] = body
    elif body:
        body_values = _parse_json_body(shape, body)
        for name, value in body_values.items():
            member = shape.members.get(name)
            if member is None or not member.serialization.get("location"):
                values[name] = value
    return values


def render_output(service: ServiceModel, op: OperationModel, output: dict[str, Any]) -> WireResponse:
    """Serialize a handler's output as the service would put it on the wire."""
    request_id = str(uuid.uuid4())
    shape = op.output_shape
    headers = {"x-amzn-RequestId": request_id, "Content-Type": "application/json"}
    if service.protocol == "json":
        headers["Content-Type"] = "application/x-amz-json-1.0"
        body = to_wire(shape, output) if shape is not None else {}
        return WireResponse(200, headers, json.dumps(body).encode())
    status = int(op.http.get("responseCode", 200))
    if shape is None:
        return WireResponse(status, headers, b"{}")
    body_values: dict[str, Any] = {}
    payload_name = shape.serialization.get("payload")
    for name, member in shape.members.items():
        if name not in output or output[name] is None:
            continue
        location = member.serialization.get("location")
        if location == "header":
            headers[member.serialization.get("name", name)] = to_text(member, output[name])
        elif location == "statusCode":
            status = int(output[name])
        elif name != payload_name:
            body_values[name] = output[name]
    if payload_name:
        payload = output.get(payload_name)
        member = shape.members[payload_name]
        if member.type_name == "structure":
            raw = json.dumps(to_wire(member, payload or {})).encode()
        else:
            raw = payload if isinstance(payload, bytes) else str(payload or "").encode()
        return WireResponse(status, headers, raw)
    return WireResponse(status, headers, json.dumps(to_wire(shape, body_values)).encode())


def render_error(service: ServiceModel, error: ApiError) -> WireResponse:
    """Serialize a modelled (or protocol-level) error the way the service does."""
    request_id = str(uuid.uuid4())
    error_shape = next((s for s in service.error_shapes if s.name == error.code), None)
    status = error.status
    if status is None and error_shape is not None:
        status = error_shape.metadata.get("error", {}).get("httpStatusCode")
    if status is None:
        status = 500 if error.code.startswith("InternalServer") else 400
    body: dict[str, Any] = {"__type": error.code}
    if service.protocol == "json":
        body["Message"] = error.message
        body["message"] = error.message
    else:
        body["Message"] = error.message
        body["RequestID"] = request_id
    if error_shape is not None:
        body.update(to_wire(error_shape, error.fields))
    else:
        body.update(error.fields)
    headers = {
        "x-amzn-RequestId": request_id,
        "x-amzn-ErrorType": error.code,
        "Content-Type": "application/x-amz-json-1.0" if service.protocol == "json" else "application/json",
    }
    return WireResponse(int(status), headers, json.dumps(body).encode())
