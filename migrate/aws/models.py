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

What a shared loader cannot share is botocore's per-client work: `ClientCreator.create_client` builds a new
`ServiceModel` (whose operation and shape objects are then rebuilt on each client's first calls) and a new
client class with one method per operation (`_create_client_class`; Pinpoint has 122) for every client.
Both depend only on the service's model, so for sessions on the shared loader they are made once per
service and reused (`SharedModels.client_class`, `service_model`). botocore has no public hook for that:
the two `ClientCreator` methods are wrapped, and the wrappers act only for a creator whose loader is a
shared one (any other session, e.g. the old per-account way kept for A/B, is served as botocore does).
The class is the same for every session: boto3 registers the same `creating-client-class` handlers on each
(`boto3.session.Session._register_default_handlers`); the client's model, credentials, endpoint and event
hooks are its instance's own (`BaseClient.__init__`), so sharing the class shares none of them.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import boto3
import botocore.session
from botocore.client import BaseClient, ClientCreator
from botocore.credentials import Credentials
from botocore.errorfactory import ClientExceptionsFactory
from botocore.loaders import Loader, create_loader
from botocore.model import ServiceModel


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
        self._classes: dict[tuple[str, int], type[BaseClient]] = {}
        self._models: dict[tuple[str, str | None], ServiceModel] = {}
        # read by the wrappers of ClientCreator below
        self.loader._pinpoint_migrate_models = self
        _wrap_client_creator()

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

    def service_model(
        self, service: str, api_version: str | None, make: Callable[[], ServiceModel]
    ) -> ServiceModel:
        """One `ServiceModel` per service and API version for every client (its caches fill once)."""
        key = (service, api_version)
        found = self._models.get(key)
        if found is None:
            with self._lock:
                found = self._models.setdefault(key, make())
        return found

    def client_class(
        self, service: str, model: ServiceModel, make: Callable[[], type[BaseClient]]
    ) -> type[BaseClient]:
        """One client class per service model for every client."""
        key = (service, id(model))
        found = self._classes.get(key)
        if found is None:
            with self._lock:
                found = self._classes.setdefault(key, make())
        return found


_WRAPPED = False
_WRAP_LOCK = threading.Lock()


def _wrap_client_creator() -> None:
    """Wrap `ClientCreator._load_service_model` and `_create_client_class` once per process (see above)."""
    global _WRAPPED
    with _WRAP_LOCK:
        if _WRAPPED:
            return
        load_model = ClientCreator._load_service_model
        create_class = ClientCreator._create_client_class

        def _load_service_model(self: Any, service_name: str, api_version: str | None = None) -> Any:
            shared = getattr(self._loader, "_pinpoint_migrate_models", None)
            if shared is None:
                return load_model(self, service_name, api_version)
            return shared.service_model(
                service_name, api_version, lambda: load_model(self, service_name, api_version)
            )

        def _create_client_class(self: Any, service_name: str, service_model: Any) -> Any:
            shared = getattr(self._loader, "_pinpoint_migrate_models", None)
            if shared is None:
                return create_class(self, service_name, service_model)
            return shared.client_class(
                service_name, service_model, lambda: create_class(self, service_name, service_model)
            )

        ClientCreator._load_service_model = _load_service_model
        ClientCreator._create_client_class = _create_client_class
        _WRAPPED = True


_SHARED: SharedModels | None = None
_SHARED_LOCK = threading.Lock()


def shared_models() -> SharedModels:
    """The process's one `SharedModels` (models do not change while a process runs)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = SharedModels()
        return _SHARED
