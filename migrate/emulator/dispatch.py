"""The botocore hook: answer requests for the emulated services at `before-send`, before moto does.

The hook is installed once, at import, at the head of botocore's built-in handlers, so every session
created afterwards (boto3's default session included) carries it; it is dormant unless an `Emulator` is
running. Requests to other services are recorded in `emu.calls` and left to moto.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import botocore.handlers
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from migrate.emulator import credentials
from migrate.emulator.regions import has_endpoint
from migrate.emulator.registry import PARTIAL_SERVICES, SERVICES, handler_for

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator

# The emulated services' ids in before-send event names are their botocore names.
_SERVICE_BY_ID = {service: service for service in SERVICES}
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/")
_HOST_REGION = re.compile(r"https?://[^./]+\.([a-z]{2}(?:-[a-z]+)+-\d)\.")

_ANSWERED_URL = "http://answered-by-pinpoint-migrate-emulator.invalid/"

_active: Emulator | None = None
_active_lock = threading.Lock()


class _RawBody(io.BytesIO):
    """The raw stream botocore reads a response body from."""

    def stream(self, **_kwargs: Any) -> Iterator[bytes]:
        chunk = self.read()
        while chunk:
            yield chunk
            chunk = self.read()


def activate(emulator: Emulator) -> None:
    global _active
    with _active_lock:
        if _active is not None and _active is not emulator:
            raise RuntimeError("another Emulator is already running in this process; stop it first")
        _active = emulator


def deactivate(emulator: Emulator) -> None:
    global _active
    with _active_lock:
        if _active is emulator:
            _active = None


def active() -> Emulator | None:
    return _active


def request_origin(request: Any) -> tuple[str | None, str | None]:
    """(access key id, region) of a signed request."""
    auth = request.headers.get("Authorization", b"")
    if isinstance(auth, bytes):
        auth = auth.decode("utf-8", "replace")
    match = _CREDENTIAL.search(auth)
    if match:
        return match.group(1), match.group(2)
    host = _HOST_REGION.match(request.url)
    return None, host.group(1) if host else None


def _foreign_error(error: Any, request: Any) -> AWSResponse:
    """An injected error of a service moto serves, in its protocol's shape: JSON for `X-Amz-Target`
    services (Firehose, Kinesis, Logs), the Query protocol's XML otherwise (SNS, IAM, STS)."""
    from xml.sax.saxutils import escape

    status = error.status or 400
    if request.headers.get("X-Amz-Target"):
        body = json.dumps({"__type": error.code, "message": error.message}).encode()
        headers = {"Content-Type": "application/x-amz-json-1.1"}
    else:
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{escape(error.code)}</Code>"
            f"<Message>{escape(error.message)}</Message></Error><RequestId>injected</RequestId></ErrorResponse>"
        ).encode()
        headers = {"Content-Type": "text/xml"}
    return AWSResponse(_ANSWERED_URL, status, headers, _RawBody(body))


def _before_send(request: Any, event_name: str = "", **_kwargs: Any) -> AWSResponse | None:
    emulator = _active
    if emulator is None:
        return None
    parts = event_name.split(".")
    if len(parts) < 3:
        return None
    service_id, operation = parts[1], parts[2]
    if service_id == "sts":
        answered = answer_sts(emulator, operation, request)
        if answered is not None:
            request.url = _ANSWERED_URL
            return AWSResponse(_ANSWERED_URL, answered[0], answered[1], _RawBody(answered[2]))
    service = _SERVICE_BY_ID.get(service_id)
    if service in PARTIAL_SERVICES and handler_for(service, operation) is None:
        service = None  # moto answers the operations the emulator does not add
    if service is None:
        injected = emulator.faults.error_for_exactly(f"{service_id}.{operation}")
        if injected is not None:
            request.url = _ANSWERED_URL
            return _foreign_error(injected, request)
        emulator._record_foreign(service_id, operation, request)
        return None
    region = request_origin(request)[1] or "us-east-1"
    if not has_endpoint(service, region):
        # No endpoint in that region: nothing answers on AWS (regions.py). Recorded, then what botocore
        # raises when it cannot connect.
        emulator._record_unanswered(service, operation, request, region)
        raise EndpointConnectionError(endpoint_url=request.url)
    wire = emulator._serve(service, operation, request)
    response = AWSResponse(request.url, wire.status, wire.headers, _RawBody(wire.body))
    # botocore emits before-send to every handler and keeps the first answer, so moto's handler still
    # sees this request: point it somewhere moto does not serve, so it neither works on it nor raises
    # (moto raises NotImplementedError for operations it lacks, such as CloudTrail's LookupEvents).
    request.url = _ANSWERED_URL
    return response


def _after_assume_role(parsed: dict[str, Any] | None = None, **_kwargs: Any) -> None:
    """Learn which account an assumed role's credentials belong to (moto answers STS itself)."""
    emulator = _active
    if emulator is None or not parsed:
        return
    creds = parsed.get("Credentials") or {}
    arn = (parsed.get("AssumedRoleUser") or {}).get("Arn", "")
    fields = arn.split(":")
    if creds.get("AccessKeyId") and len(fields) > 4 and fields[4].isdigit():
        emulator.register_access_key(creds["AccessKeyId"], fields[4], arn)
    credentials.on_assumed(emulator, parsed)


def answer_sts(emulator: Emulator, operation: str, request: Any) -> tuple[int, dict[str, str], bytes] | None:
    """GetCallerIdentity for credentials the emulator knows to be another account's (an assumed role, or
    `emu.session(account_id=...)`): moto, with MOTO_ACCOUNT_ID set to the emulator's account, would
    answer them as `<emulator account>:user/moto` and merge two accounts into one. AWS answers the
    credentials' own account and principal (STS API reference, GetCallerIdentity)."""
    if operation != "GetCallerIdentity":
        return None
    key, _region = request_origin(request)
    if key is None or key not in emulator._keys:
        return None
    account = emulator._keys[key]
    principal = emulator._principals.get(key, "")
    if not principal and account == emulator.account_id:
        return None  # moto's own answer is right for the emulator's account
    arn = principal or f"arn:aws:iam::{account}:root"
    user_id = (
        account
        if not principal
        else f"AROA{hashlib.sha256(arn.encode()).hexdigest()[:17].upper()}:{arn.rsplit('/', 1)[-1]}"
    )
    body = (
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<GetCallerIdentityResult><Arn>{_xml(arn)}</Arn><UserId>{_xml(user_id)}</UserId>"
        f"<Account>{account}</Account></GetCallerIdentityResult>"
        "<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>"
        "</GetCallerIdentityResponse>"
    ).encode()
    emulator._record_foreign("sts", operation, request)
    return 200, {"Content-Type": "text/xml"}, body


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _install() -> None:
    # moto appends its own before-send handler to this list when it is imported; ours goes first so
    # that the emulated services are answered here and never reach moto's "Not yet implemented".
    from moto import mock_aws  # noqa: F401  (importing it registers moto's handler; ours then goes first)

    handlers = botocore.handlers.BUILTIN_HANDLERS
    if ("before-send", _before_send) not in handlers:
        handlers.insert(0, ("before-send", _before_send))
        handlers.append(("after-call.sts.AssumeRole", _after_assume_role))
        handlers.append(("after-call.sts.AssumeRoleWithWebIdentity", _after_assume_role))


_install()
