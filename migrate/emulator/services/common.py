"""Helpers shared by the emulated services: paging, filters, tags."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from migrate.emulator.errors import ApiError, bad_request, validation

T = TypeVar("T")


def _decode_token(token: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(token.encode()).decode()
        if not raw.startswith("offset:"):
            raise ValueError(raw)
        offset = int(raw.split(":", 1)[1])
        if offset < 0:
            raise ValueError(raw)
        return offset
    except (ValueError, UnicodeDecodeError):
        raise ValueError(token) from None


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def page(
    items: Sequence[T],
    params: dict[str, Any],
    *,
    default_size: int = 100,
    token_key: str = "NextToken",
    size_key: str = "MaxResults",
    v2: bool = True,
) -> tuple[list[T], str | None]:
    """One page of `items` as AWS pages: `MaxResults` at most, an opaque `NextToken` when more remain."""
    size = params.get(size_key)
    try:
        size = int(size) if size not in (None, "") else default_size
    except (TypeError, ValueError):
        raise (
            validation(f"{size_key} must be a number") if v2 else bad_request(f"{size_key} must be a number")
        ) from None
    token = params.get(token_key)
    offset = 0
    if token:
        try:
            offset = _decode_token(str(token))
        except ValueError:
            if v2:
                raise validation("The NextToken is not valid.", "INVALID_NEXT_TOKEN") from None
            raise bad_request("The token is not valid.") from None
    chunk = list(items[offset : offset + size])
    nxt = _encode_token(offset + size) if offset + size < len(items) else None
    return chunk, nxt


def apply_filters(
    items: Sequence[T],
    filters: list[dict[str, Any]] | None,
    fields: dict[str, Callable[[T], Any]],
) -> list[T]:
    """v2's `Filters`: every filter must match; a filter matches when the field equals any of its values."""
    chosen = list(items)
    for flt in filters or []:
        name = flt.get("Name")
        getter = fields.get(str(name))
        if getter is None:
            raise validation(f"Unknown filter name {name}", "INVALID_FILTER_VALUES")
        wanted = {str(v) for v in flt.get("Values", [])}
        chosen = [item for item in chosen if _as_text(getter(item)) & wanted]
    return chosen


def _as_text(value: Any) -> set[str]:
    if isinstance(value, list | tuple | set):
        return {_one(v) for v in value}
    return {_one(value)}


def _one(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def tags_from_list(tags: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in tags or []}


def require(params: dict[str, Any], *names: str) -> None:
    missing = [n for n in names if params.get(n) in (None, "")]
    if missing:
        raise ApiError(
            "ValidationException",
            f"Missing required parameter(s): {', '.join(missing)}",
            Reason="MISSING_PARAMETER",
            Fields=[{"Name": n, "Message": "is required"} for n in missing],
        )
