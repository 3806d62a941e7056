"""Conversion between wire values and boto3-style values, driven by botocore shapes.

`to_wire` turns a handler's output (datetimes or epoch floats, bytes) into JSON-able values; `from_wire`
turns a parsed JSON request body into what boto3 would have passed (datetimes stay epoch floats: handlers
store time as epoch seconds).
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape


def epoch(value: Any) -> float:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.timestamp()
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    raise TypeError(f"not a timestamp: {value!r}")


def iso(value: float) -> str:
    return dt.datetime.fromtimestamp(value, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def to_wire(shape: Shape, value: Any) -> Any:
    """Serialize a boto3-style value into its JSON body form."""
    if value is None:
        return None
    if isinstance(shape, StructureShape):
        out = {}
        for name, member in shape.members.items():
            if name in value and value[name] is not None:
                out[member.serialization.get("name", name)] = to_wire(member, value[name])
        return out
    if isinstance(shape, ListShape):
        return [to_wire(shape.member, v) for v in value]
    if isinstance(shape, MapShape):
        return {k: to_wire(shape.value, v) for k, v in value.items()}
    if shape.type_name == "timestamp":
        fmt = shape.serialization.get("timestampFormat", "unixTimestamp")
        seconds = epoch(value)
        return iso(seconds) if fmt == "iso8601" else seconds
    if shape.type_name == "blob":
        raw = value if isinstance(value, bytes) else str(value).encode()
        return base64.b64encode(raw).decode()
    return value


def from_wire(shape: Shape, value: Any) -> Any:
    """Deserialize a JSON body value into the boto3-style input a handler receives."""
    if value is None:
        return None
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            return value  # left for validation to report
        out = {}
        by_wire = {m.serialization.get("name", n): n for n, m in shape.members.items()}
        for key, item in value.items():
            name = by_wire.get(key, key)
            member = shape.members.get(name)
            out[name] = from_wire(member, item) if member is not None else item
        return out
    if isinstance(shape, ListShape):
        return [from_wire(shape.member, v) for v in value] if isinstance(value, list) else value
    if isinstance(shape, MapShape):
        return {k: from_wire(shape.value, v) for k, v in value.items()} if isinstance(value, dict) else value
    if shape.type_name == "timestamp":
        try:
            return epoch(value)
        except (TypeError, ValueError):
            return value
    if shape.type_name == "blob" and isinstance(value, str):
        return base64.b64decode(value)
    return value


def from_text(shape: Shape, text: str) -> Any:
    """Convert a URI label, query string value or header into the member's type."""
    kind = shape.type_name
    if kind in ("integer", "long"):
        return int(text)
    if kind in ("double", "float"):
        return float(text)
    if kind == "boolean":
        return text.lower() == "true"
    if kind == "timestamp":
        return epoch(text)
    return text


def to_text(shape: Shape, value: Any) -> str:
    if shape.type_name == "boolean":
        return "true" if value else "false"
    if shape.type_name == "timestamp":
        return iso(epoch(value))
    return str(value)
