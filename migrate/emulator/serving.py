"""How the emulator answers one call it serves: faults, request quotas, parsing, validation against
botocore's model, the handler in one world transaction, the output check and the CloudTrail event."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.model import ServiceModel

from migrate.emulator import dispatch
from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError, EmulatorBug
from migrate.emulator.protocol import MalformedRequest, WireResponse, parse_request, render_output
from migrate.emulator.registry import before_hooks, handler_for
from migrate.emulator.services.cloudtrail import record_event
from migrate.emulator.validation import check_input, check_output

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator

@dataclass(frozen=True)
class Call:
    """One operation the emulator (or moto, behind it) was asked to serve."""

    service: str
    operation: str
    region: str
    account: str
    error: str | None = None
    served_by: str = "emulator"


# Every (service, operation) answered successfully in this process, strict-checked against its output
# shape; the test suite's conformance check reads it.
SERVED_OK: set[tuple[str, str]] = set()

# Generic error codes that faults may name, spelled as each service spells them.
ERROR_ALIASES = {
    "pinpoint": {
        "ThrottlingException": "TooManyRequestsException",
        "InternalServerException": "InternalServerErrorException",
        "AccessDeniedException": "ForbiddenException",
    },
    "pinpoint-sms-voice": {
        "ThrottlingException": "TooManyRequestsException",
        "InternalServerException": "InternalServiceErrorException",
    },
}


def answer(
    emu: Emulator, model: ServiceModel, service: str, operation: str, region: str, account: str, request: Any
) -> WireResponse:
    """Serve one call: faults, request quota, parse, check, handler (one transaction), output check,
    CloudTrail event; the wire response botocore parses."""
    delay = emu.faults.delay_for(operation)
    if delay:
        time.sleep(delay)
    injected = emu.faults.error_for(operation)
    if injected is not None:
        raise injected
    if not emu.quotas.admit(account, region, service, operation):
        raise ApiError("ThrottlingException", f"Rate exceeded for {operation}")
    op = model.operation_model(operation)
    body = request.body or b""
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode()
    try:
        params = parse_request(model, op, request.url, dict(request.headers), body)
    except MalformedRequest:
        raise
    except (ValueError, KeyError) as exc:
        raise _invalid(service, f"The request could not be parsed: {exc}", []) from None
    problems = check_input(op.input_shape, params)
    if problems:
        fields = [{"Name": p.path.split(".", 1)[-1], "Message": p.message} for p in problems]
        raise _invalid(service, "; ".join(f"{f['Name']} {f['Message']}" for f in fields), fields)
    handler = handler_for(service, operation)
    if handler is None:
        raise ApiError(
            "NotImplemented", f"pinpoint-migrate's emulator does not implement {operation}", status=501
        )
    ctx = Context(
        emu.world, service, operation, account, region, emu.quotas, emu.clock,
        emu.in_end_of_support(), retired_answer=emu.retired_answer,
    )  # fmt: skip
    with emu.world.lock:
        try:
            for hook in before_hooks(service):
                hook(ctx)
        except BaseException:
            emu.world.rollback()
            raise
        # What time made (a pool gone and its numbers freed, a number ACTIVE) happened whatever this call
        # answers: made durable now, so a refused call (a waiter's ResourceNotFoundException) cannot undo it.
        _stamp_clock(emu)
        emu.world.commit()
        try:
            output = handler(ctx, params)
        except BaseException:
            emu.world.rollback()
            raise
        if emu.strict:
            bad = check_output(op.output_shape, output)
            if bad:
                emu.world.rollback()
                raise EmulatorBug(f"{service}.{operation} answered outside its output shape: {bad[:5]}")
        if service not in ("cloudtrail", "service-quotas") and not is_read(operation):
            key = dispatch.request_origin(request)[0] or ""
            record_event(ctx, operation, request, key, emu._principals.get(key, ""), params)
        _stamp_clock(emu)
        emu.world.commit()
    emu._record(Call(service, operation, region, account))
    if emu.strict:
        SERVED_OK.add((service, operation))
    return render_output(model, op, output)


def _stamp_clock(emu: Emulator) -> None:
    """An emulated clock's time goes into every logged commit (the log line carries the world's meta), so a
    process killed after its waits moved the clock resumes at that time, not at the last full save: the
    clock never runs backwards past what the world already did."""
    now = getattr(emu.clock, "now", None)
    if "emulated_clock" in emu.world.meta and isinstance(now, float):
        emu.world.meta["emulated_clock"] = now


def _invalid(service: str, message: str, fields: list[dict[str, str]]) -> ApiError:
    if service == "pinpoint-sms-voice-v2":
        return ApiError(
            "ValidationException", message, Reason="FIELD_VALIDATION_FAILED", Fields=fields or None
        )
    return ApiError("BadRequestException", message)


_READ_PREFIXES = ("Describe", "Get", "List", "Head", "Lookup", "Search", "Query", "Scan", "Select")


def is_read(operation: str) -> bool:
    """Whether an operation only reads (by AWS's naming): it records no CloudTrail write event."""
    return operation.startswith(_READ_PREFIXES)
