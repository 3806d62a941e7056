"""Classify what went wrong with an AWS call into the section statuses of an inventory.

Every section of every account x region ends as `ok`, `retired`, `denied`, `unavailable` or `error`,
with a short human reason; a scan never shows a traceback for one failing section (STYLE.md rule 7).
`retired` is a refusal Pinpoint's end of support explains, judged by operation and date (see
`retirement.py`), whichever error code AWS answers it with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    ReadTimeoutError,
    UnknownEndpointError,
    UnknownServiceError,
)

SectionStatus = Literal["ok", "retired", "denied", "unavailable", "error"]
STATUSES: tuple[SectionStatus, ...] = ("ok", "retired", "denied", "unavailable", "error")

DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AuthorizationError",
        "AuthorizationErrorException",
        "Forbidden",
        "ForbiddenException",
        "NotAuthorized",
        "NotAuthorizedException",
        "UnauthorizedException",
        "UnauthorizedOperation",
    }
)

# UnrecognizedClientException / InvalidClientTokenId / AuthFailure: credentials that worked for STS when
# the session was opened are refused in one region only when that region is an opt-in region the
# account has not enabled, so they mean "unavailable" here, not "denied".
UNAVAILABLE_CODES = frozenset(
    {
        "NotImplemented",
        "NotImplementedException",
        "UnknownOperationException",
        "InvalidAction",
        "OptInRequired",
        "RegionDisabledException",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "AuthFailure",
        "SubscriptionRequiredException",
    }
)

THROTTLING_CODES = frozenset(
    {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"}
)

# A refusal whose message names an end of support, from an operation `retirement.py` does not list (or
# before the date): gone for everybody, which is "unavailable", not a permission the caller lacks.
_RETIRED_HINTS = ("end of support", "no longer available", "no longer supported")


class SessionError(RuntimeError):
    """The accounts to work on cannot be determined (bad option combination, organization not listable)."""


@dataclass(frozen=True)
class Classified:
    """The outcome of one failed call as a section sees it."""

    status: SectionStatus
    reason: str
    code: str


def classify(exc: BaseException, *, service: str = "", moment: dt.datetime | None = None) -> Classified:
    """Map an exception from botocore (or anything else) to a section status and a one-line reason.

    `service` (botocore's name) and `moment` (when the scan judges end of support) let a refusal of an
    operation Pinpoint's end of support retired be told apart from any other refusal."""
    if isinstance(exc, ClientError):
        if service and moment is not None:
            retired = _retired(exc, service, moment)
            if retired is not None:
                return retired
        return _classify_client_error(exc)
    if isinstance(exc, UnknownEndpointError):
        return Classified(
            "unavailable", f"no endpoint for this service in this region ({_one_line(exc)})", "NoEndpoint"
        )
    if isinstance(exc, EndpointConnectionError):
        # a connection that could not be made (DNS, proxy, firewall, no network): region names are
        # checked against botocore's data before anything runs, so this is the network, not the region
        url = getattr(exc, "kwargs", {}).get("endpoint_url", "") or _one_line(exc)
        return Classified(
            "unavailable",
            f"could not connect to {url}: check the network (DNS, proxy, firewall, VPC endpoints) and the "
            "credentials' region",
            "NoConnection",
        )
    if isinstance(exc, UnknownServiceError):
        return Classified(
            "unavailable", f"service not known to this botocore ({_one_line(exc)})", "UnknownService"
        )
    if isinstance(exc, NoCredentialsError):
        return Classified("error", "no AWS credentials were found for this session", "NoCredentials")
    if isinstance(exc, NoRegionError):
        return Classified("error", "no region was given for this client", "NoRegion")
    if isinstance(exc, ParamValidationError):
        return Classified(
            "error", f"invalid request built by the scanner: {_one_line(exc)}", "ParamValidation"
        )
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError):
        return Classified("error", f"network timeout: {_one_line(exc)}", "Timeout")
    return Classified("error", f"{type(exc).__name__}: {_one_line(exc)}", type(exc).__name__)


def _retired(exc: ClientError, service: str, moment: dt.datetime) -> Classified | None:
    from migrate.aws.retirement import END_OF_SUPPORT_DATE, is_retired_refusal

    error = exc.response.get("Error", {}) or {}
    code = str(error.get("Code") or "Unknown")
    status = (exc.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
    operation = getattr(exc, "operation_name", "") or ""
    if not is_retired_refusal(service, operation, status, code, moment):
        return None
    return Classified("retired", f"{operation} retired at Pinpoint's end of support ({END_OF_SUPPORT_DATE})", code)


def _classify_client_error(exc: ClientError) -> Classified:
    error = exc.response.get("Error", {}) or {}
    code = str(error.get("Code") or "Unknown")
    message = _one_line(error.get("Message") or "")
    status_code = (exc.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
    operation = getattr(exc, "operation_name", "") or "the call"
    said = f"{code} on {operation}" + (f": {message}" if message else "")
    lowered = message.lower()
    if any(hint in lowered for hint in _RETIRED_HINTS):
        return Classified("unavailable", f"retired API: {said}", code)
    if code in DENIED_CODES or code.startswith(("AccessDenied", "Forbidden", "Unauthorized")):
        return Classified("denied", said, code)
    if code in UNAVAILABLE_CODES or status_code == 501:
        return Classified("unavailable", said, code)
    # moto answers an operation it lacks with a bare 404 "Not yet implemented".
    if code == "404" and "not yet implemented" in lowered:
        return Classified("unavailable", f"operation not implemented by the endpoint: {said}", code)
    if code in THROTTLING_CODES:
        attempts = ((exc.response.get("ResponseMetadata") or {}).get("RetryAttempts") or 0) + 1
        return Classified("error", f"throttled after {attempts} attempt(s): {said}", code)
    return Classified("error", said, code)


def _one_line(value: object, limit: int = 300) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
