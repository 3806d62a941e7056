"""The registry of emulated operations: `@operation(service, name)` binds a handler to a modelled API call.

Handlers take a `Context` and the request's input (as boto3 would have built it) and return the output
(as boto3 would return it, without `ResponseMetadata`). Modules under `services/` register on import.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migrate.emulator.context import Context

Handler = Callable[["Context", dict[str, Any]], dict[str, Any]]

# botocore service name -> operation name -> handler
_HANDLERS: dict[str, dict[str, Handler]] = {}
# botocore service names served here; their service ids (hyphenated) appear in before-send event names
SERVICES = (
    "pinpoint", "pinpoint-sms-voice", "pinpoint-sms-voice-v2", "cloudtrail", "service-quotas", "account"
)  # fmt: skip
# Services of which the emulator answers only the operations it implements; moto answers the rest.
PARTIAL_SERVICES = ("cloudtrail", "service-quotas", "account")
_loaded = False
# botocore service name -> functions run before every handler of that service (inside the call's transaction)
_BEFORE: dict[str, list[Callable[[Context], None]]] = {}


def operation(service: str, name: str) -> Callable[[Handler], Handler]:
    """Register `fn` as the emulator's implementation of `service`'s operation `name`."""
    if service not in SERVICES:
        raise ValueError(f"the emulator does not serve {service!r}")

    def register(fn: Handler) -> Handler:
        ops = _HANDLERS.setdefault(service, {})
        if name in ops:
            raise ValueError(f"{service}.{name} registered twice")
        ops[name] = fn
        return fn

    return register


def before_call(service: str) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Run `fn(ctx)` before every handler of `service` (the asynchronous states settle there)."""

    def register(fn: Callable[[Context], None]) -> Callable[[Context], None]:
        _BEFORE.setdefault(service, []).append(fn)
        return fn

    return register


def before_hooks(service: str) -> list[Callable[[Context], None]]:
    load_services()
    return _BEFORE.get(service, [])


def load_services() -> None:
    """Import every module under `migrate.emulator.services` so their handlers register."""
    global _loaded
    if _loaded:
        return
    from migrate.emulator import services

    for info in pkgutil.walk_packages(services.__path__, services.__name__ + "."):
        importlib.import_module(info.name)
    _loaded = True


def handler_for(service: str, name: str) -> Handler | None:
    load_services()
    return _HANDLERS.get(service, {}).get(name)


def served_operations() -> dict[str, list[str]]:
    """Every operation the emulator implements, per botocore service name."""
    load_services()
    return {svc: sorted(ops) for svc, ops in _HANDLERS.items()}
