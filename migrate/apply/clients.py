"""The AWS side of apply, verify and rollback: sessions per account, rate-limited v2 clients, `Api`s.

Clients come from the one `ClientFactory` (standard retries: throttling, 5xx and dropped connections are
retried by botocore, with backoff) and share one `RateLimiter`, so every operation is paced at its quota
per account and region however many steps run at once (`--quota OP=RPS` overrides; against an emulator
world the emulator's scaled quotas are used).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from migrate.apply.dryrun import Api, Mode
from migrate.apply.waiters import Waits
from migrate.aws.errors import classify
from migrate.aws.ratelimit import RateLimiter
from migrate.aws.servicequotas import sms_voice_rates
from migrate.aws.sessions import AccountSession, SessionOptions, open_sessions
from migrate.emulator import Emulator
from migrate.emulator.credentials import session_clock
from migrate.inventory.run import ScanOptions, rate_limited_clients

V2 = "pinpoint-sms-voice-v2"


@dataclass(frozen=True)
class AwsOptions:
    sessions: SessionOptions = field(default_factory=SessionOptions)
    quotas: tuple[str, ...] = ()
    now: str | None = None

    def scan_options(self) -> ScanOptions:
        return ScanOptions(sessions=self.sessions, quotas=self.quotas, now=self.now, progress=False)


class Clients:
    def __init__(self, options: AwsOptions, emulator: Emulator | None) -> None:
        self.options = options
        session_set = open_sessions(options.sessions, clock=session_clock(emulator))
        self.accounts: dict[str, AccountSession] = {a.account_id: a for a in session_set.accounts}
        self.failures = session_set.failures
        self.factory = rate_limited_clients(options.scan_options(), emulator)
        assert self.factory.limiter is not None
        self.limiter: RateLimiter = self.factory.limiter
        self.emulator = emulator

    def waits(self, echo: Callable[[str], None]) -> Waits:
        """How to wait for AWS: in real time, or on the emulator's clock when it is an emulated one."""
        clock = getattr(self.emulator, "clock", None)
        if clock is not None and hasattr(clock, "sleep"):
            return Waits(sleep=clock.sleep, clock=clock, echo=echo)
        if self.emulator is not None:  # the emulator's delays are short in real time: poll often
            return Waits(first_poll=0.05, longest_poll=0.5, echo=echo)
        return Waits(echo=echo)

    def adopt_service_quotas(self, places: set[tuple[str, str]], operations: list[str]) -> list[str]:
        """Pace `operations` at the rates Service Quotas reports for them (the lowest over `places`), unless
        `--quota` names them; call before any v2 client is made. Returns notes for the person."""
        given = {op for (_svc, op) in self.limiter.quotas.overrides}
        wanted = [op for op in operations if op not in given]
        if not wanted:
            return []
        rates: dict[str, float] = {}
        for account, region in sorted(places):
            if account not in self.accounts:
                continue
            client = self.factory.client(self.accounts[account], "service-quotas", region)
            try:
                found = sms_voice_rates(client, wanted)
            except Exception as exc:  # no permission, no such service code: AWS's defaults stay
                return [f"Service Quotas not read in {account}/{region} ({classify(exc).reason}); "
                        "using AWS's default rates (set them with --quota OP=RPS)"]  # fmt: skip
            for op, rate in found.items():
                rates[op] = min(rates.get(op, rate), rate)
        if not rates:
            return []
        overrides = dict(self.limiter.quotas.overrides)
        overrides.update({(V2, op): rate for op, rate in rates.items()})
        self.limiter = RateLimiter(replace(self.limiter.quotas, overrides=overrides))
        self.factory.limiter = self.limiter
        shown = ", ".join(f"{op}={rate:g}/s" for op, rate in sorted(rates.items()))
        return [f"request rates from Service Quotas: {shown}"]

    def api(self, account: str, region: str, mode: Mode, echo: Callable[[str], None]) -> Api:
        client = self.factory.client(self.accounts[account], V2, region)
        return Api(client, mode, echo, f"{account}/{region}", self.limiter, self.waits(echo))
