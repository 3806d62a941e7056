"""`Emulator`: an in-process AWS account serving Pinpoint, SMS/Voice v1 and v2, with moto for the rest."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import boto3
import botocore.session
from botocore.model import ServiceModel
from moto import mock_aws

from migrate.emulator import credentials, dispatch
from migrate.emulator.errors import ApiError
from migrate.emulator.faults import Faults
from migrate.emulator.protocol import WireResponse, render_error
from migrate.emulator.quotas import Quotas
from migrate.emulator.services.pinpoint.retired import (
    DEFAULT_RETIRED_ANSWER,
    RETIRED_ANSWERS,
    end_of_support_at,
)
from migrate.emulator.serving import ERROR_ALIASES, Call, answer, is_read
from migrate.emulator.serving import (
    SERVED_OK as SERVED_OK,  # re-exported: the suite's conformance check reads it
)
from migrate.emulator.store import World
from migrate.emulator.worldfile import (
    WORLD_FORMAT,
    WORLD_VERSION,
    WorldFileError,
    check_document,
    lock_world,
    log_path,
    read_document,
    write_private,
)

DEFAULT_ACCOUNT = "123456789012"
_FAKE_KEY = "AKIAEMULATOR"  # credentials that sessions from `emu.session()` sign with; never real


@lru_cache(maxsize=8)
def service_model(service: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(service)


class Emulator:
    """An emulated AWS account. Use as a context manager; see `migrate/emulator/README.md`."""

    def __init__(
        self,
        account_id: str = DEFAULT_ACCOUNT,
        *,
        strict: bool = True,
        end_of_support: bool | None = None,
        clock: Callable[[], float] | None = None,
        world: World | None = None,
        quotas: Quotas | None = None,
        retired_answer: int = DEFAULT_RETIRED_ANSWER,
    ) -> None:
        self.account_id = account_id
        self.strict = strict
        # None: follow the clock into Pinpoint's end of support; True/False: force it on or off.
        self.end_of_support = end_of_support
        self.retired_answer = retired_answer
        self.clock: Callable[[], float] = clock or time.time
        self.world = world or World()
        self.quotas = quotas or Quotas()
        self.faults = Faults()
        self.calls: list[Call] = []
        self._calls_lock = threading.Lock()
        self._keys: dict[str, str] = {}
        self.credentials_expire = False  # assumed roles' credentials expire on `clock` (emulator/credentials.py)
        self.credential_expiry: dict[str, float] = {}  # access key -> when, on `clock`
        self._principals: dict[str, str] = {}
        self._mock: Any = None
        self._moto_pending: dict[str, Any] | None = None
        self._path: Path | None = None
        self._source = "world"  # where the world came from, for messages (a file's path once loaded)
        self._world_lock: int | None = None  # the flock on `<world>.lock` while this emulator owns the file
        self._regions_seen: set[str] = set()
        self._saved_env: dict[str, str | None] = {}
        self._sessions: dict[tuple[str, str], boto3.Session] = {}
        self._roles_created: dict[str, float] = {}
        self._internal = threading.local()  # set while the emulator itself calls moto (save/restore)
        # SNS opted-out numbers per (account, region), put into moto lazily (see sns_optouts.py)
        self._sns_opted_out: dict[tuple[str, str], list[str]] = {}
        self._sns_prepared: set[tuple[str, str]] = set()

    # -- lifecycle ----------------------------------------------------------------------------------
    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        dispatch.activate(self)
        self._saved_env = {k: os.environ.get(k) for k in ("MOTO_ACCOUNT_ID",)}
        os.environ["MOTO_ACCOUNT_ID"] = self.account_id
        self._mock = mock_aws()
        self._mock.start()
        if self._moto_pending is not None:
            from migrate.emulator.moto_state import restore_moto

            try:
                with self.internal():
                    restore_moto(self, self._moto_pending)
            except Exception as exc:
                self._path = None  # nothing was served: never write a half-restored world back
                self.stop()
                raise WorldFileError(
                    f"{self._source}: the world's moto section cannot be restored ({type(exc).__name__}: {exc})"
                ) from None
            self._moto_pending = None

    def stop(self) -> None:
        self._sns_prepared.clear()  # moto's state goes with its mock: a restart prepares again
        try:
            if self._path is not None and self.changed:
                self.save(self._path)
                log = log_path(self._path)
                if log.exists():
                    log.unlink()
        finally:
            if self._world_lock is not None:
                os.close(self._world_lock)  # closing the descriptor releases the flock
                self._world_lock = None
            if self._mock is not None:
                self._mock.stop()
                self._mock = None
            for key, value in self._saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            dispatch.deactivate(self)

    @property
    def changed(self) -> bool:
        """Whether anything in the world changed since it was created or loaded (emulated or moto side)."""
        if self.world.commits:
            return True
        return any(
            c.served_by == "moto" and c.error is None and not is_read(c.operation) for c in self.calls
        )

    def set_profile(self, name: str) -> None:
        """How long asynchronous states last: `instant`, `default` or `realistic` (see `timing.py`)."""
        from migrate.emulator.timing import PROFILES

        if name not in PROFILES:
            raise ValueError(f"unknown emulator profile {name!r}; expected one of {', '.join(PROFILES)}")
        self.world.meta["profile"] = name

    def use_emulated_clock(self, start: float | None = None) -> None:
        """Run on an emulated clock that moves only when something sleeps on it (`emu.clock.sleep`, which
        apply's waiters use) or a test advances it; a saved world keeps its time (`emulated_clock`)."""
        from migrate.emulator.timing import EmulatedClock

        self.clock = EmulatedClock(start)
        self.world.meta["emulated_clock"] = self.clock.now

    @property
    def retired_answer(self) -> int:
        """The HTTP status (403, 404 or 400) a retired Pinpoint operation answers in this world."""
        return self._retired_answer

    @retired_answer.setter
    def retired_answer(self, status: int) -> None:
        if status not in RETIRED_ANSWERS:
            raise ValueError(
                f"a retired operation answers one of {', '.join(map(str, RETIRED_ANSWERS))}, not {status!r}"
            )
        self._retired_answer = status

    def in_end_of_support(self) -> bool:
        """Whether Pinpoint's engagement APIs are retired now: forced, or by the world's clock."""
        if self.end_of_support is not None:
            return bool(self.end_of_support)
        return end_of_support_at(self.clock())

    @property
    def running(self) -> bool:
        return self._mock is not None

    def session(self, region_name: str = "us-east-1", account_id: str | None = None) -> boto3.Session:
        """A boto3 session bound to this emulator (for `account_id`, default the emulator's account)."""
        account = account_id or self.account_id
        key = f"{_FAKE_KEY}{account}"
        self._keys[key] = account
        with self._calls_lock:
            # One session per (account, region), on the process's shared model loader (migrate/aws/models.py):
            # botocore caches service models per loader, and reading them anew for every session (every test
            # makes a new emulator) costs more than most emulated calls: ~150 -> ~25 ms of CPU for a session
            # and three clients.
            found = self._sessions.get((account, region_name))
            if found is None:
                from migrate.aws.models import shared_models

                found = self._sessions[(account, region_name)] = shared_models().adopt(
                    boto3.Session(
                        aws_access_key_id=key, aws_secret_access_key="emulated-secret", region_name=region_name
                    )
                )
            return found

    def register_access_key(self, access_key_id: str, account_id: str, principal: str = "") -> None:
        """Calls signed with `access_key_id` are `account_id`'s; `principal` (an ARN) names the caller in
        the CloudTrail events the emulator records."""
        self._keys[access_key_id] = account_id
        if principal:
            self._principals[access_key_id] = principal

    # -- persistence --------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        from migrate.emulator.moto_state import dump_moto

        with self.world.lock:
            snapshot = self.world.snapshot()
        if self.running:
            with self.internal():
                moto = dump_moto(self)
        else:
            moto = self._moto_pending or {}
        return {
            "format": WORLD_FORMAT,
            "version": WORLD_VERSION,
            "account_id": self.account_id,
            "end_of_support": self.end_of_support,
            "retired_answer": self.retired_answer,
            "quotas": self.quotas.to_json(),
            "meta": self._meta_with_clock(snapshot["meta"]),
            "tables": snapshot["tables"],
            "moto": moto,
        }

    def _meta_with_clock(self, meta: dict[str, Any]) -> dict[str, Any]:
        now = getattr(self.clock, "now", None)
        if "emulated_clock" in meta and isinstance(now, float):
            return {**meta, "emulated_clock": now}
        return meta

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the whole world to `path` atomically (temp file, fsync, rename)."""
        with self.world.lock:  # to_json() is a view of live tables: serialise it before anything changes
            data = json.dumps(self.to_json(), indent=1, sort_keys=False)
        return write_private(Path(path), data)

    @classmethod
    def from_json(cls, data: Any, *, source: str = "world", owned: bool = False) -> Emulator:
        meta, tables, quotas = check_document(data, source)
        world = World.from_snapshot({"meta": meta, "tables": tables}, owned=owned)
        # A world saved before end of support followed the clock wrote `false` meaning "off": it keeps
        # that meaning (forced off); a world without the key, or with null, follows the clock.
        forced = data.get("end_of_support")
        emu = cls(
            account_id=str(data.get("account_id", DEFAULT_ACCOUNT)),
            end_of_support=None if forced is None else bool(forced),
            world=world,
            quotas=quotas,
            retired_answer=int(data.get("retired_answer", DEFAULT_RETIRED_ANSWER)),
        )
        emu._moto_pending = data.get("moto") or {}
        emu._source = source  # a damaged moto section is only found when it is restored (start)
        if isinstance(meta.get("emulated_clock"), (int, float)):
            emu.use_emulated_clock(float(meta["emulated_clock"]))
        return emu

    def _resume_clock(self) -> None:
        """After a log replay: an emulated clock resumes at the latest time the log recorded."""
        logged = self.world.meta.get("emulated_clock")
        now = getattr(self.clock, "now", None)
        if isinstance(logged, (int, float)) and isinstance(now, float) and logged > now:
            self.clock.now = float(logged)  # type: ignore[attr-defined]

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, persist: bool = False) -> Emulator:
        """Load a saved world. With `persist`, every mutating call is made durable in `<path>.log` and
        the file is rewritten (compacted) when the emulator stops."""
        source = Path(path)
        lock = lock_world(source) if persist else None  # one owner at a time: no "last writer wins"
        try:
            data = read_document(source)
            emu = cls.from_json(data, source=str(source), owned=True)
            if emu.world.replay_log(log_path(source)):
                emu._resume_clock()
        except BaseException:
            if lock is not None:
                os.close(lock)
            raise
        if persist:
            emu._path = source
            emu._world_lock = lock
            emu.world.bind_log(log_path(source))
        return emu

    @classmethod
    def demo(cls) -> Emulator:
        """The built-in demo world: an ISV account with tenants over two regions (see `demo_world`)."""
        from migrate.emulator.demo_world import build_demo

        return build_demo(cls)

    # -- serving ------------------------------------------------------------------------------------
    def _account_for(self, access_key: str | None) -> str:
        if access_key is None:
            return self.account_id
        return self._keys.get(access_key, self.account_id)

    @contextlib.contextmanager
    def internal(self) -> Iterator[None]:
        """Calls made inside are the emulator's own bookkeeping: not recorded in `calls`."""
        depth = getattr(self._internal, "depth", 0)
        self._internal.depth = depth + 1
        try:
            yield
        finally:
            self._internal.depth = depth

    def _record(self, call: Call) -> None:
        if getattr(self._internal, "depth", 0):
            return
        with self._calls_lock:
            self.calls.append(call)
            self._regions_seen.add(call.region)

    def set_sns_opted_out(self, region: str, numbers: list[str], account_id: str | None = None) -> None:
        """Set the SNS opted-out phone numbers (`ListPhoneNumbersOptedOut`) of an account in a region."""
        from migrate.emulator.sns_optouts import set_sns_opted_out

        set_sns_opted_out(self, region, numbers, account_id)

    def _record_foreign(self, service_id: str, operation: str, request: Any) -> None:
        key, region = dispatch.request_origin(request)
        if service_id == "sns":
            from migrate.emulator.sns_optouts import prepare

            prepare(self, self._account_for(key), region or "us-east-1")
        self._record(Call(service_id, operation, region or "us-east-1", self._account_for(key), None, "moto"))
        if service_id == "iam" and operation == "CreateRole" and not getattr(self._internal, "depth", 0):
            self._note_role(self._account_for(key), request)

    def _note_role(self, account: str, request: Any) -> None:
        """When a role was made (emulator clock): v2 cannot assume it until it propagated (access.py)."""
        from urllib.parse import parse_qs

        body = request.body or b""
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        name = (parse_qs(str(body)).get("RoleName") or [""])[0]
        path = (parse_qs(str(body)).get("Path") or ["/"])[0]
        if name:
            self._roles_created[f"arn:aws:iam::{account}:role{path}{name}"] = self.clock()

    def role_created(self, arn: str) -> float | None:
        """When this process saw `arn` created (None: before, or not by a call the emulator saw)."""
        return self._roles_created.get(arn)

    def _record_unanswered(self, service: str, operation: str, request: Any, region: str) -> None:
        key = dispatch.request_origin(request)[0]
        self._record(Call(service, operation, region, self._account_for(key), "EndpointConnectionError"))

    def _serve(self, service: str, operation: str, request: Any) -> WireResponse:
        model = service_model(service)
        key, region = dispatch.request_origin(request)
        region = region or "us-east-1"
        account = self._account_for(key)
        try:
            credentials.check(self, key)
            return answer(self, model, service, operation, region, account, request)
        except ApiError as error:
            code = ERROR_ALIASES.get(service, {}).get(error.code, error.code)
            if code != error.code:
                error = ApiError(code, error.message, status=error.status, **error.fields)
            self._record(Call(service, operation, region, account, error.code))
            return render_error(model, error)
