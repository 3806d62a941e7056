"""One botocore data loader (service models, endpoints, paginators) shared by every session of a run.

A botocore session reads its JSON models through its own `Loader`, which caches what it read per
instance. A scan that gives every account a new session therefore re-reads and re-parses each model once
per account, and botocore's `Loader.list_available_services` (called by `load_service_model`, so by
`client.can_paginate` and by every client created) walks the data directory again per session: the
cost of an account was ~1.3 s of CPU and ~20 MiB before this module (issue 17).

botocore lets sessions share one loader: `Session.register_component('data_loader', loader)` is the
public hook its own `create_client` reads (`self.get_component('data_loader')`), and the endpoint
resolver and default-config resolver are built from the same component. Sharing it makes the model cost
once per run; what is left per account is the session object and its credentials.

The loader's `instance_cache` is a plain dict without a lock, so two threads asking for the same model
at once would both parse it; `prime` loads what a client needs under a lock before threads use it.
"""

from __future__ import annotations

import contextlib
import threading

import boto3
import botocore.session
from botocore.credentials import Credentials
from botocore.errorfactory import ClientExceptionsFactory
from botocore.loaders import Loader, create_loader


class _Paths(list[str]):
    """A loader's search path that ignores a path it already holds: `boto3.Session()` appends boto3's own
    data folder to its loader's path every time one is made (boto3 `Session._setup_loader`), which on a
    shared loader would lengthen every later search by one folder per account."""

    def append(self, path: str) -> None:
        if path not in self:
            super().append(path)


class SharedModels:
    """The loader (and the per-service exception classes) every session made here shares."""

    def __init__(self, loader: Loader | None = None) -> None:
        self.loader = loader or create_loader()
        self.loader._search_paths = _Paths(self.loader.search_paths)
        self.exceptions = ClientExceptionsFactory()
        self._lock = threading.Lock()
        self._primed: set[str] = set()

    def botocore_session(self, *, profile: str | None = None) -> botocore.session.Session:
        core = botocore.session.Session(profile=profile)
        core.register_component("data_loader", self.loader)
        # One set of modelled exception classes per service, not per account: `exceptions_factory` is an
        # internal component in botocore (no public setter), so it is shared only where that hook exists.
        register = getattr(core, "_register_internal_component", None)
        if register is not None:
            register("exceptions_factory", self.exceptions)
        return core

    def session(
        self, *, profile: str | None = None, credentials: Credentials | None = None, region: str | None = None
    ) -> boto3.Session:
        core = self.botocore_session(profile=profile)
        if credentials is not None:
            core._credentials = credentials  # botocore's documented-by-practice way to inject credentials
        if region is not None:
            core.set_config_variable("region", region)
        return boto3.Session(botocore_session=core)

    def adopt(self, session: boto3.Session) -> boto3.Session:
        """`session`, reading models through the shared loader from now on (clients it made keep theirs)."""
        session._session.register_component("data_loader", self.loader)
        return session

    def prime(self, service: str) -> None:
        """Read `service`'s models into the shared loader once, before threads create its clients."""
        if service in self._primed:
            return
        with self._lock:
            if service in self._primed:
                return
            loader = self.loader
            loader.list_available_services("service-2")
            loader.list_available_services("paginators-1")
            for type_name in ("service-2", "paginators-1", "waiters-2"):
                with contextlib.suppress(Exception):  # a service without paginators or waiters
                    loader.load_service_model(service, type_name)
            loader.load_data_with_path("endpoints")
            self._primed.add(service)


_SHARED: SharedModels | None = None
_SHARED_LOCK = threading.Lock()


def shared_models() -> SharedModels:
    """The process's one `SharedModels` (models do not change while a process runs)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = SharedModels()
        return _SHARED

