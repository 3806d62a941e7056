"""The one session factory: which AWS accounts a command works on, and the clients it uses there.

Sources of credentials, as the CLI's shared options give them:

- `--profile NAME` (repeatable): one account per profile (botocore resolves `role_arn`/`source_profile`,
  SSO and `credential_process` profiles itself);
- `--role-arn ARN` (repeatable, with `--external-id`): assume each role from the base credentials;
- `--org-role NAME`: assume `NAME` in every ACTIVE account of the AWS Organization the base credentials
  belong to (listed with Organizations' `ListAccounts`); the caller's own account is used as it is;
- none of these: botocore's default credential chain.

With `--role-arn`/`--org-role`, the base credentials are the single `--profile` or the default chain.
Credentials stay in memory inside botocore: they are never written anywhere, logged or put in a repr.

The cost of an account is kept near zero: every session reads models through one shared botocore loader
(`migrate/aws/models.py`), roles are assumed concurrently through one STS client, and clients are made
once per (account, region, service). `SessionOptions(shared_models=False)` builds sessions the way this
module did before (a fresh botocore session per account, roles assumed one by one, an STS client per
role) so a benchmark can measure both in one run.
"""

from __future__ import annotations

import hashlib
import threading
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import RefreshableCredentials

from migrate import __version__
from migrate.aws.errors import SectionStatus, classify
from migrate.aws.models import SharedModels, shared_models
from migrate.aws.paging import enumerate_pages
from migrate.aws.ratelimit import RateLimiter

RetryMode = Literal["standard", "adaptive"]
DEFAULT_MAX_ATTEMPTS = 5
ASSUME_THREADS = 16  # STS's AssumeRole quota is per account and generous; 16 at once hides its latency
GLOBAL_REGION = "us-east-1"  # where STS and Organizations are called unless a region is given


class SessionError(RuntimeError):
    """The accounts to work on cannot be determined (bad option combination, organization not listable)."""


@dataclass(frozen=True)
class SessionOptions:
    profiles: tuple[str, ...] = ()
    role_arns: tuple[str, ...] = ()
    external_id: str | None = None
    org_role: str | None = None
    role_session_name: str = "pinpoint-migrate"
    region: str | None = None
    retry_mode: RetryMode = "standard"
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    shared_models: bool = True  # False: the per-account sessions of old, for A/B benchmarks only
    accounts: tuple[str, ...] = ()  # --account: only these account ids (empty: all)
    shard: tuple[int, int] | None = None  # --shard K/N: only the accounts whose stable hash falls in K of N

    def wants(self, account_id: str | None) -> bool:
        """Whether an account is in this run's share (an unknown id is kept: it is checked once known)."""
        if account_id is None:
            return True
        if self.accounts and account_id not in self.accounts:
            return False
        return self.shard is None or in_shard(account_id, *self.shard)


def in_shard(account_id: str, k: int, n: int) -> bool:
    """Account `account_id` belongs to shard `k` (1-based) of `n`: by sha256 of the id, so any job runner
    on any machine gives each account to the same shard, whatever else the Organization holds."""
    return int(hashlib.sha256(account_id.encode()).hexdigest(), 16) % n == k - 1


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` (1 <= K <= N) as given to --shard."""
    k, sep, n = text.partition("/")
    try:
        pair = (int(k), int(n)) if sep else None
    except ValueError:
        pair = None
    if pair is None or not 1 <= pair[0] <= pair[1]:
        raise SessionError(f"--shard {text!r}: expected K/N with 1 <= K <= N, e.g. 2/8")
    return pair


@dataclass(frozen=True)
class AccountSession:
    """One account to work on: its id, how it was reached, and a boto3 session with its credentials."""

    account_id: str
    label: str
    session: boto3.Session = field(repr=False, compare=False, hash=False)


@dataclass(frozen=True)
class SessionFailure:
    """An account that could not be reached (a role that could not be assumed, a broken profile)."""

    label: str
    account_id: str | None
    status: SectionStatus
    reason: str


@dataclass(frozen=True)
class SessionSet:
    accounts: tuple[AccountSession, ...]
    failures: tuple[SessionFailure, ...] = ()
    notes: tuple[str, ...] = ()


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


def open_sessions(options: SessionOptions, *, base_session: boto3.Session | None = None) -> SessionSet:
    """Resolve the options into one `AccountSession` per account (first source wins on duplicates)."""
    config = client_config(options.retry_mode, options.max_attempts)
    assumes = bool(options.role_arns or options.org_role)
    if assumes and len(options.profiles) > 1:
        raise SessionError(
            "--role-arn/--org-role assume roles from one set of base credentials: give at most one --profile"
        )
    region = options.region or GLOBAL_REGION
    models = shared_models() if options.shared_models else None
    accounts: list[AccountSession] = []
    failures: list[SessionFailure] = []
    if not assumes:
        sources: list[tuple[str, str | None]] = [(f"profile:{p}", p) for p in options.profiles]
        for label, profile in sources or [("default", None)]:
            try:
                session = (
                    _profile_session(profile, models) if profile else _base(base_session, models)
                )
                accounts.append(AccountSession(_caller_account(session, region, config), label, session))
            except Exception as exc:  # one broken profile must not stop the others
                verdict = classify(exc)
                failures.append(SessionFailure(label, None, verdict.status, verdict.reason))
        return _narrow(_dedupe(accounts, failures), options)

    try:
        base = _profile_session(options.profiles[0], models) if options.profiles else _base(base_session, models)
        base_account = _caller_account(base, region, config)
    except Exception as exc:
        raise SessionError(f"the base credentials do not work: {classify(exc).reason}") from None
    # (label, role ARN to assume, or None for the caller's own account), in the order the options give
    wanted: list[tuple[str, str | None]] = [
        (f"role:{arn}", arn) for arn in options.role_arns if options.wants(_account_of_arn(arn))
    ]
    if options.org_role:
        for account_id in _active_org_accounts(base, region, config):
            if not options.wants(account_id):
                continue
            label = f"org:{account_id}"
            if account_id == base_account:
                wanted.append((f"{label} (caller)", None))
            else:
                wanted.append((label, f"arn:{_partition(region)}:iam::{account_id}:role/{options.org_role}"))
    sts = base.client("sts", region_name=region, config=config) if models is not None else None

    def enter(item: tuple[str, str | None]) -> AccountSession | SessionFailure:
        label, arn = item
        if arn is None:
            return AccountSession(base_account, label, base)
        return _assume(base, arn, label, options, config, sts=sts, models=models)

    if models is None:  # the old way: one after another
        entered = [enter(item) for item in wanted]
    else:
        with ThreadPoolExecutor(max_workers=max(1, min(ASSUME_THREADS, len(wanted)))) as pool:
            entered = list(pool.map(enter, wanted))
    for found in entered:
        (accounts if isinstance(found, AccountSession) else failures).append(found)  # type: ignore[arg-type]
    return _narrow(_dedupe(accounts, failures), options)


def _narrow(found: SessionSet, options: SessionOptions) -> SessionSet:
    """Keep the accounts --account/--shard select (profiles' accounts are known only once reached)."""
    if not options.accounts and options.shard is None:
        return found
    kept = tuple(a for a in found.accounts if options.wants(a.account_id))
    return SessionSet(kept, tuple(f for f in found.failures if options.wants(f.account_id)), found.notes)


def _base(given: boto3.Session | None, models: SharedModels | None) -> boto3.Session:
    if given is not None:
        return models.adopt(given) if models is not None else given
    return models.session() if models is not None else boto3.Session()


def _assume(
    base: boto3.Session,
    role_arn: str,
    label: str,
    options: SessionOptions,
    config: Config,
    *,
    sts: Any = None,
    models: SharedModels | None = None,
) -> AccountSession | SessionFailure:
    try:
        session, account_id = assume_role_session(
            base,
            role_arn,
            external_id=options.external_id,
            session_name=options.role_session_name,
            region=options.region or GLOBAL_REGION,
            config=config,
            sts=sts,
            models=models,
        )
    except Exception as exc:  # one account that cannot be entered must not stop the others
        verdict = classify(exc)
        return SessionFailure(label, _account_of_arn(role_arn), verdict.status, verdict.reason)
    return AccountSession(account_id, label, session)


def assume_role_session(
    base: boto3.Session,
    role_arn: str,
    *,
    external_id: str | None = None,
    session_name: str = "pinpoint-migrate",
    region: str = GLOBAL_REGION,
    config: Config | None = None,
    sts: Any = None,
    models: SharedModels | None = None,
    time_fetcher: Callable[[], Any] | None = None,
) -> tuple[boto3.Session, str]:
    """A session whose credentials come from `sts:AssumeRole` and refresh themselves before expiry.

    The account id is read from the `AssumedRoleUser` ARN that AssumeRole returns: it is AWS's own
    statement of which account the credentials act in, and saves a GetCallerIdentity per account.
    botocore's `RefreshableCredentials` calls `fetch` again when the credentials are within 15 minutes
    of their `Expiration` (advisory; 10 minutes: mandatory, under its own lock), so a run longer than
    a role session (1 hour by default, AssumeRole `DurationSeconds`) keeps working; `time_fetcher` is
    botocore's clock, for tests. `sts` is a client shared by every assume of a run (clients are
    thread-safe); `models` the shared loader.
    """
    if sts is None:
        sts = base.client("sts", region_name=region, config=config or client_config())
    identity: dict[str, str] = {}

    def fetch() -> dict[str, str]:
        request: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": session_name}
        if external_id:
            request["ExternalId"] = external_id
        answer = sts.assume_role(**request)
        identity["arn"] = answer["AssumedRoleUser"]["Arn"]
        creds = answer["Credentials"]
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": creds["Expiration"].isoformat(),
        }

    metadata = fetch()
    if time_fetcher is not None:
        credentials = RefreshableCredentials(
            metadata["access_key"], metadata["secret_key"], metadata["token"],
            _parse_expiry(metadata["expiry_time"]), fetch, "sts-assume-role", time_fetcher=time_fetcher,
        )  # fmt: skip
    else:
        credentials = RefreshableCredentials.create_from_metadata(
            metadata=metadata, refresh_using=fetch, method="sts-assume-role"
        )
    account_id = _account_of_arn(identity["arn"]) or _account_of_arn(role_arn)
    if account_id is None:
        raise SessionError(f"cannot tell the account of assumed role {role_arn}")
    if models is not None:
        return models.session(credentials=credentials, region=region), account_id
    core = botocore.session.get_session()
    core._credentials = credentials  # botocore's documented-by-practice way to inject credentials
    core.set_config_variable("region", region)
    return boto3.Session(botocore_session=core), account_id


def _parse_expiry(text: str) -> Any:
    from botocore.credentials import _parse_if_needed

    return _parse_if_needed(text)


def _active_org_accounts(base: boto3.Session, region: str, config: Config) -> list[str]:
    org = base.client("organizations", region_name=region, config=config)
    try:
        found = list(enumerate_pages(org, "ListAccounts", "Accounts"))
    except Exception as exc:
        raise SessionError(
            f"--org-role: cannot list the Organization's accounts: {classify(exc).reason}"
        ) from None
    active = sorted({a["Id"] for a in found if (a.get("State") or a.get("Status")) == "ACTIVE"})
    if not active:
        raise SessionError("--org-role: the Organization lists no ACTIVE account (is this account in one?)")
    return active


def _caller_account(session: boto3.Session, region: str, config: Config) -> str:
    sts = session.client("sts", region_name=region, config=config)
    return str(sts.get_caller_identity()["Account"])


def _profile_session(profile: str, models: SharedModels | None = None) -> boto3.Session:
    if models is not None:
        return models.session(profile=profile)
    return boto3.Session(profile_name=profile)


def _dedupe(accounts: list[AccountSession], failures: list[SessionFailure]) -> SessionSet:
    kept: dict[str, AccountSession] = {}
    notes: list[str] = []
    for account in accounts:
        first = kept.setdefault(account.account_id, account)
        if first is not account:
            notes.append(f"{account.label} is account {account.account_id}, already reached as {first.label}")
    return SessionSet(tuple(kept.values()), tuple(failures), tuple(notes))


def _account_of_arn(arn: str) -> str | None:
    fields = arn.split(":")
    return fields[4] if len(fields) > 5 and fields[4].isdigit() else None


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


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
