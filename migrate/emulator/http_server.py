"""`emulator serve`: the emulator over HTTP on 127.0.0.1, for clients in any language (as moto's server mode).

A request is routed as AWS's front door routes it:

- AWS JSON (`X-Amz-Target: <targetPrefix>.<Operation>`): SMS and Voice v2, and the CloudTrail / Service
  Quotas operations the emulator adds;
- REST-JSON by the SigV4 credential scope's service (`mobiletargeting` → Pinpoint, `sms-voice` without a
  target → SMS and Voice v1, `account` → Account Management's ListRegions) and the operation whose
  `requestUri` template and method match;
- everything else goes to moto's request handler (IAM, STS, S3, Firehose, …), as `mock_aws` would.

The answer is the same `WireResponse` the in-process botocore hook returns, so an SDK sees identical bytes.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from botocore.awsrequest import AWSPreparedRequest
from botocore.compat import HTTPHeaders

from migrate.emulator.dispatch import answer_sts, request_origin
from migrate.emulator.protocol import _uri_pattern
from migrate.emulator.regions import has_endpoint
from migrate.emulator.registry import PARTIAL_SERVICES, SERVICES, handler_for

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator

# REST-JSON services by their SigV4 signing name. Account Management's ListRegions is the emulator's
# (moto lacks it: services/account.py); its other operations go to moto.
_REST_SERVICES = {"mobiletargeting": "pinpoint", "sms-voice": "pinpoint-sms-voice", "account": "account"}
_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/]+)/([^/]+)/")


@dataclass
class HttpRequest:
    """What the emulator reads of a request: the same members as botocore's AWSPreparedRequest."""

    method: str
    url: str
    headers: HTTPHeaders
    body: bytes = b""
    context: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _targets() -> dict[str, str]:
    """targetPrefix → botocore service name, for the JSON-protocol services the emulator serves."""
    from migrate.emulator.emulator import service_model

    out = {}
    for service in SERVICES:
        model = service_model(service)
        prefix = model.metadata.get("targetPrefix")
        if model.protocol == "json" and prefix:
            out[prefix] = service
    return out


@lru_cache(maxsize=4)
def _routes(service: str) -> list[tuple[str, re.Pattern[str], str, int]]:
    """(method, path pattern, operation, literal characters) for a REST-JSON service, most specific first."""
    from migrate.emulator.emulator import service_model

    model = service_model(service)
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = http["requestUri"].split("?", 1)[0]
        literal = len(re.sub(r"\{[^}]+\}", "", uri))
        pattern, _labels = _uri_pattern(http["requestUri"])
        routes.append((http["method"], pattern, name, literal))
    routes.sort(key=lambda r: -r[3])
    return routes


def route(request: HttpRequest) -> tuple[str, str] | None:
    """(emulated service, operation) for a request, or None when moto should answer it."""
    target = request.headers.get("X-Amz-Target", "")
    if target:
        prefix, _, operation = target.rpartition(".")
        service = _targets().get(prefix)
        if service is None:
            return None
        if service in PARTIAL_SERVICES and handler_for(service, operation) is None:
            return None
        return service, operation
    scope = _SCOPE.search(request.headers.get("Authorization", ""))
    signing = scope.group(2) if scope else ""
    rest = _REST_SERVICES.get(signing)
    if rest is None:
        return None
    path = urlsplit(request.url).path
    for method, pattern, operation, _literal in _routes(rest):
        if method == request.method and pattern.match(path):
            if rest in PARTIAL_SERVICES and handler_for(rest, operation) is None:
                return None  # moto answers the rest of a service the emulator completes
            return rest, operation
    return None if rest in PARTIAL_SERVICES else (rest, "")


def _moto_url(request: HttpRequest) -> str:
    """The AWS URL moto's handler recognises for a request that reached us by the loopback endpoint."""
    scope = _SCOPE.search(request.headers.get("Authorization", ""))
    region, signing = (scope.group(1), scope.group(2)) if scope else ("us-east-1", "sts")
    parts = urlsplit(request.url)
    host = f"{signing}.amazonaws.com" if signing in ("iam", "sts") else f"{signing}.{region}.amazonaws.com"
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{host}{parts.path}{query}"


def _moto_operation(request: HttpRequest) -> str:
    target = request.headers.get("X-Amz-Target", "")
    if target:
        return target.rpartition(".")[2]
    fields = parse_qs(urlsplit(request.url).query)
    if not fields.get("Action"):
        try:
            fields = parse_qs(request.body.decode("utf-8", "replace"))
        except ValueError:
            fields = {}
    return (fields.get("Action") or [request.method])[0]


class NoEndpoint(Exception):
    """AWS has no endpoint for the service in the request's region: the connection is closed unanswered,
    so the client fails as it would to reach a host that does not exist (regions.py)."""


def handle(emu: Emulator, request: HttpRequest) -> tuple[int, dict[str, str], bytes]:
    """Answer one HTTP request: emulated services by the emulator, the rest by moto."""
    found = route(request)
    if found is not None and found[1]:
        region = request_origin(request)[1] or "us-east-1"
        if not has_endpoint(found[0], region):
            raise NoEndpoint(region)
        wire = emu._serve(found[0], found[1], request)
        return wire.status, wire.headers, wire.body
    if found is not None:
        body = b'{"__type":"UnknownOperationException","Message":"no operation has this method and path"}'
        return (
            404,
            {"Content-Type": "application/json", "x-amzn-ErrorType": "UnknownOperationException"},
            body,
        )
    operation = _moto_operation(request)
    scope = _SCOPE.search(request.headers.get("Authorization", ""))
    service_id = scope.group(2) if scope else "unknown"
    if service_id == "sts":
        answered = answer_sts(emu, operation, request)
        if answered is not None:
            return answered
    from moto.core.models import botocore_stubber

    prepared = AWSPreparedRequest(
        method=request.method, url=_moto_url(request), headers=request.headers, body=request.body,
        stream_output=False,
    )  # fmt: skip
    emu._record_foreign(service_id, operation, request)
    answer = botocore_stubber.process_request(prepared)
    if answer is None:
        body = b'{"__type":"NotImplemented","Message":"neither the emulator nor moto serves this request"}'
        return 501, {"Content-Type": "application/json"}, body
    status, headers, raw = answer
    data = raw.encode() if isinstance(raw, str) else bytes(raw or b"")
    if service_id == "sts" and operation.startswith("AssumeRole") and int(status) == 200:
        _learn_assumed_role(emu, data)
    return int(status), {str(k): str(v) for k, v in dict(headers).items()}, data


_ASSUMED_KEY = re.compile(rb"<AccessKeyId>([^<]+)</AccessKeyId>")
_ASSUMED_ARN = re.compile(rb"<AssumedRoleUser>.*?<Arn>([^<]+)</Arn>", re.S)


def _learn_assumed_role(emu: Emulator, body: bytes) -> None:
    """The served twin of dispatch's `after-call.sts.AssumeRole` hook: the emulator learns which account
    the credentials moto issued act in (the account of the AssumedRoleUser ARN, as AWS says), so calls
    signed with them over HTTP are that account's."""
    key, arn = _ASSUMED_KEY.search(body), _ASSUMED_ARN.search(body)
    if key is None or arn is None:
        return
    text = arn.group(1).decode("utf-8", "replace")
    fields = text.split(":")
    if len(fields) > 4 and fields[4].isdigit():
        emu.register_access_key(key.group(1).decode("ascii", "replace"), fields[4], text)


class _Handler(BaseHTTPRequestHandler):
    server_version = "pinpoint-migrate-emulator"
    protocol_version = "HTTP/1.1"
    # An answer is written as two segments (headers, then body). With Nagle's algorithm on, the body waits
    # for the ACK of the headers, which the client's kernel delays by up to 40 ms (delayed ACK): every call
    # over a kept-alive connection took >= 40 ms and a paced client saw answers arrive late. urllib3 sets
    # TCP_NODELAY on its side for the same reason (`HTTPConnection.default_socket_options`); this is the
    # server's half (`socketserver.StreamRequestHandler.disable_nagle_algorithm`).
    disable_nagle_algorithm = True
    emulator: Emulator

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = HTTPHeaders()
        for key, value in self.headers.items():
            headers[key] = value
        host = self.headers.get("Host", "127.0.0.1")
        request = HttpRequest(self.command, f"http://{host}{self.path}", headers, body)
        try:
            status, out_headers, out = handle(self.emulator, request)
        except NoEndpoint:
            self.close_connection = True
            return
        except Exception as exc:  # an emulator bug must reach the client as a 500, not kill the server
            status, out_headers = 500, {"Content-Type": "application/json", "x-amzn-ErrorType": "EmulatorBug"}
            out = json.dumps({"__type": "EmulatorBug", "Message": f"{type(exc).__name__}: {exc}"}).encode()
        self.send_response(status)
        for key, value in out_headers.items():
            if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _answer

    def log_message(self, format: str, *args: Any) -> None:
        return  # calls are in emu.calls; stderr stays quiet


class EmulatorServer:
    """The emulator answering HTTP on 127.0.0.1:`port` (0: a free port) until `stop()`."""

    def __init__(self, emu: Emulator, port: int = 0, host: str = "127.0.0.1") -> None:
        handler = type("Handler", (_Handler,), {"emulator": emu})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> EmulatorServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="emulator-http", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


__all__ = ["EmulatorServer", "HttpRequest", "handle", "request_origin", "route"]
