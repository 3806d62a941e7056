"""Clients: botocore's own retries, our user agent, and one client per (account, region, service).

`ClientFactory` caches clients so that every part of a run shares them (clients are thread-safe, their
creation is not); with a `RateLimiter`, each client gets the per-operation token buckets of its account.
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from botocore.config import Config

from migrate import __version__
from migrate.aws.errors import SessionError
from migrate.aws.models import shared_models
from migrate.aws.ratelimit import RateLimiter

if TYPE_CHECKING:
    from migrate.aws.sessions import AccountSession

RetryMode = Literal["standard", "adaptive"]
DEFAULT_MAX_ATTEMPTS = 5


def client_config(retry_mode: RetryMode = "standard", max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> Config:
    """botocore's own retries (no home-made loops) and a user agent that CloudTrail shows for our calls.

    `max_attempts` counts every attempt, the first included, as `AWS_MAX_ATTEMPTS` and the AWS CLI do;
    it is passed as botocore's `total_max_attempts` because botocore's `max_attempts` key counts retries.
    """
    if retry_mode not in ("standard", "adaptive"):
        raise SessionError(f"retry mode must be 'standard' or 'adaptive', not {retry_mode!r}")
    if max_attempts < 1:
        raise SessionError("max attempts must be at least 1")
    # Without proxy variables in the environment, say so once: botocore otherwise scans the whole environment
    # twice for every client it makes (`EndpointCreator._get_proxies`, only when `proxies` is None), a tenth
    # of an account's client cost in a profile. With any proxy variable set, botocore's own lookup (which
    # honours NO_PROXY per endpoint) is kept.
    no_proxies: dict[str, str] | None = {} if not urllib.request.getproxies() else None
    return Config(
        retries={"mode": retry_mode, "total_max_attempts": max_attempts},
        user_agent_extra=f"pinpoint-migrate/{__version__}",
        proxies=no_proxies,
    )


ClientKey = tuple[str, str, str]  # (account, region, service)


class ClientFactory:
    """boto3 clients cached per (account, region, service), safe to share between threads.

    Every client gets standard/adaptive retries and, with a `RateLimiter`, a per-operation token
    bucket hooked on each request attempt.
    """

    def __init__(
        self,
        *,
        retry_mode: RetryMode = "standard",
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        limiter: RateLimiter | None = None,
        on_create: Callable[[ClientKey], None] | None = None,
    ) -> None:
        self.config = client_config(retry_mode, max_attempts)
        self.limiter = limiter
        self._on_create = on_create
        self._clients: dict[ClientKey, Any] = {}
        self._lock = threading.Lock()  # boto3 sessions are not safe to create clients from concurrently

    def client(self, account: AccountSession, service: str, region: str) -> Any:
        key = (account.account_id, region, service)
        found = self._clients.get(key)  # a dict read is atomic: the lock is only for creating
        if found is not None:
            return found
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                shared_models().prime(service)
                found = account.session.client(service, region_name=region, config=self.config)
                if self.limiter is not None:
                    self.limiter.attach(found, account.account_id)
                self._clients[key] = found
                if self._on_create is not None:
                    self._on_create(key)
            return found

    def __len__(self) -> int:
        with self._lock:
            return len(self._clients)
