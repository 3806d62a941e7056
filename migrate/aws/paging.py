"""One paginating enumerator for every list/describe call of a scan.

`enumerate_pages(client, "DescribePhoneNumbers", "PhoneNumbers")` yields the items of every page. It
uses botocore's paginator where the service model has one (all of v2, Organizations, S3, ...) and a
token loop otherwise: Pinpoint's list operations take `Token` (or `NextToken`) and answer inside a
payload member (`GetApps` -> `ApplicationsResponse.Item` / `ApplicationsResponse.NextToken`), v1's take
`NextToken` at the top level. Clients made by `ClientFactory` are rate limited per request by a hook
(see `ratelimit.RateLimiter.attach`), so every page waits for its turn.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import OperationNotPageableError

_INPUT_TOKENS = ("NextToken", "Token", "nextToken")
_OUTPUT_TOKENS = ("NextToken", "nextToken")


class PagingError(RuntimeError):
    """The service answered a page that cannot be followed (a token that repeats, an unknown key)."""


def api_name(client: Any, operation: str) -> str:
    """The API name (`DescribePhoneNumbers`) of an API or Python name (`describe_phone_numbers`)."""
    mapping: dict[str, str] = client.meta.method_to_api_mapping
    if operation in mapping:
        return mapping[operation]
    if operation in client.meta.service_model.operation_names:
        return operation
    raise PagingError(f"{client.meta.service_model.service_name} has no operation {operation!r}")


def python_name(client: Any, operation: str) -> str:
    api = api_name(client, operation)
    for method, name in client.meta.method_to_api_mapping.items():
        if name == api:
            return str(method)
    raise PagingError(f"no client method for {api}")  # pragma: no cover - botocore always has one


def iter_pages(client: Any, operation: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every page (the parsed response, `ResponseMetadata` removed) of a list/describe call."""
    method = python_name(client, operation)
    if client.can_paginate(method):
        try:
            paginator = client.get_paginator(method)
        except OperationNotPageableError:  # pragma: no cover - can_paginate said it was
            paginator = None
        if paginator is not None:
            for page in paginator.paginate(**params):
                page.pop("ResponseMetadata", None)
                yield page
            return
    yield from _token_loop(client, method, api_name(client, operation), params)


def enumerate_pages(client: Any, operation: str, result_key: str, **params: Any) -> Iterator[Any]:
    """Every item under `result_key` across all pages.

    `result_key` may be a dotted path (`ApplicationsResponse.Item`); a plain key that is not at the top
    of a page is looked up inside the operation's payload member (so `Item` works for `GetApps` too).
    A page without the key (an empty list that the service omitted) yields nothing.
    """
    payload = _payload_member(client, operation)
    for page in iter_pages(client, operation, **params):
        items = _dig(page, result_key)
        if items is _MISSING and payload and "." not in result_key:
            items = _dig(page.get(payload) or {}, result_key)
        if items is _MISSING or items is None:
            continue
        if isinstance(items, list):
            yield from items
        else:
            yield items


_MISSING: Any = object()


def _dig(page: dict[str, Any], path: str) -> Any:
    node: Any = page
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _payload_member(client: Any, operation: str) -> str | None:
    model = client.meta.service_model.operation_model(api_name(client, operation))
    output = model.output_shape
    if output is None:
        return None
    payload = output.serialization.get("payload")
    return str(payload) if payload else None


def _token_loop(client: Any, method: str, operation: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    model = client.meta.service_model.operation_model(operation)
    input_members = model.input_shape.members if model.input_shape is not None else {}
    token_in = next((name for name in _INPUT_TOKENS if name in input_members), None)
    payload = _payload_member(client, operation)
    call = getattr(client, method)
    request = dict(params)
    seen: set[str] = set()
    while True:
        page = call(**request)
        page.pop("ResponseMetadata", None)
        yield page
        token = _next_token(page, payload)
        if not token or token_in is None:
            return
        if token in seen:
            raise PagingError(f"{operation} returned the same pagination token twice; stopping")
        seen.add(token)
        request[token_in] = token


def _next_token(page: dict[str, Any], payload: str | None) -> str | None:
    holders = [page]
    if payload and isinstance(page.get(payload), dict):
        holders.append(page[payload])
    for holder in holders:
        for name in _OUTPUT_TOKENS:
            value = holder.get(name)
            if value:
                return str(value)
    return None
