"""Fault injection: make chosen operations fail, slow down, or throttle at random (seeded)."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from migrate.emulator.errors import ApiError


@dataclass
class _Failure:
    code: str
    remaining: int
    message: str
    status: int | None
    fields: dict[str, str]


@dataclass
class _Chaos:
    probability: float
    codes: tuple[str, ...]
    rng: random.Random


@dataclass
class Faults:
    """Per-operation faults. `operation` may be `"*"` for every operation of the emulated services."""

    _fail: dict[str, list[_Failure]] = field(default_factory=dict)
    _latency: dict[str, float] = field(default_factory=dict)
    _chaos: dict[str, _Chaos] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(
        self,
        operation: str,
        code: str,
        *,
        times: int = 1,
        message: str = "injected fault",
        status: int | None = None,
        **fields: str,
    ) -> None:
        """The next `times` calls of `operation` fail with the modelled error `code` (and its fields)."""
        with self._lock:
            self._fail.setdefault(operation, []).append(_Failure(code, times, message, status, fields))

    def latency(self, operation: str, seconds: float) -> None:
        """Add `seconds` of latency to every call of `operation` (`"*"`: all)."""
        with self._lock:
            self._latency[operation] = float(seconds)

    def chaos(
        self,
        operation: str,
        probability: float,
        *,
        seed: int = 0,
        codes: tuple[str, ...] = ("ThrottlingException", "InternalServerException"),
    ) -> None:
        """Each call of `operation` fails with probability `p`, with one of `codes` (seeded, repeatable)."""
        with self._lock:
            self._chaos[operation] = _Chaos(float(probability), tuple(codes), random.Random(seed))

    def clear(self) -> None:
        with self._lock:
            self._fail.clear()
            self._latency.clear()
            self._chaos.clear()

    def delay_for(self, operation: str) -> float:
        with self._lock:
            return self._latency.get(operation, self._latency.get("*", 0.0))

    def error_for_exactly(self, operation: str) -> ApiError | None:
        """An injected error for exactly `operation` (no `"*"`): how a test fails a call moto answers, named
        `<service id>.<Operation>` (e.g. `sns.ListPhoneNumbersOptedOut`)."""
        with self._lock:
            queue = self._fail.get(operation)
            while queue:
                head = queue[0]
                if head.remaining <= 0:
                    queue.pop(0)
                    continue
                head.remaining -= 1
                return ApiError(head.code, head.message, status=head.status, **head.fields)
        return None

    def error_for(self, operation: str) -> ApiError | None:
        """The injected error this call gets, if any (consumes one of `fail`'s N)."""
        with self._lock:
            for key in (operation, "*"):
                queue = self._fail.get(key)
                while queue:
                    head = queue[0]
                    if head.remaining <= 0:
                        queue.pop(0)
                        continue
                    head.remaining -= 1
                    return ApiError(head.code, head.message, status=head.status, **head.fields)
            for key in (operation, "*"):
                chaos = self._chaos.get(key)
                if chaos and chaos.rng.random() < chaos.probability:
                    code = chaos.rng.choice(chaos.codes)
                    return ApiError(code, "injected random fault")
        return None
