"""Errors the emulator answers with. Each becomes the service's modelled error on the wire."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A modelled AWS error: `code` is the error shape's name, `fields` its extra members.

    `status` overrides the HTTP status (defaults come from the error shape, or 400 / 500).
    """

    def __init__(self, code: str, message: str, *, status: int | None = None, **fields: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.fields = {k: v for k, v in fields.items() if v is not None}


class EmulatorBug(AssertionError):
    """The emulator produced a response that does not fit botocore's output shape (strict mode)."""


def not_found(resource_type: str, resource_id: str, service: str = "v2") -> ApiError:
    """The service's not-found error for a resource."""
    if service == "v2":
        return ApiError(
            "ResourceNotFoundException",
            f"The {resource_type} {resource_id} does not exist.",
            ResourceType=resource_type,
            ResourceId=resource_id,
        )
    return ApiError("NotFoundException", f"Resource not found: {resource_type} {resource_id}")


def conflict(
    reason: str, message: str, resource_type: str | None = None, resource_id: str | None = None
) -> ApiError:
    """A v2 `ConflictException` with its modelled `Reason`."""
    return ApiError(
        "ConflictException", message, Reason=reason, ResourceType=resource_type, ResourceId=resource_id
    )


def validation(message: str, reason: str = "OTHER", fields: list[dict[str, str]] | None = None) -> ApiError:
    """A v2 `ValidationException` with its modelled `Reason` and `Fields`."""
    return ApiError("ValidationException", message, Reason=reason, Fields=fields)


def bad_request(message: str) -> ApiError:
    """The REST services' (Pinpoint, v1) `BadRequestException`."""
    return ApiError("BadRequestException", message)
