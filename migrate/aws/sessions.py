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

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from migrate.aws.assume import GLOBAL_REGION, _account_of_arn, _partition, assume_role_session
from migrate.aws.clients import (
    DEFAULT_MAX_ATTEMPTS,
    ClientFactory,
    ClientKey,
    RetryMode,
    client_config,
)
from migrate.aws.errors import SectionStatus, SessionError, classify
from migrate.aws.models import SharedModels, shared_models
from migrate.aws.paging import enumerate_pages
from migrate.aws.shard import in_shard, parse_shard

# What callers have always imported from here: the session factory's parts live in clients.py (client
# config, the client cache), assume.py (roles and their refresh) and shard.py (--shard K/N).
__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "GLOBAL_REGION",
    "AccountSession",
    "ClientFactory",
    "ClientKey",
    "RetryMode",
    "SessionError",
    "SessionFailure",
    "SessionOptions",
    "SessionSet",
    "assume_role_session",
    "client_config",
    "in_shard",
    "open_sessions",
    "parse_shard",
]

ASSUME_THREADS = 16  # STS's AssumeRole quota is per account and generous; 16 at once hides its latency


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


def open_sessions(
    options: SessionOptions,
    *,
    base_session: boto3.Session | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> SessionSet:
    """Resolve the options into one `AccountSession` per account (first source wins on duplicates).

    `clock`: what assumed roles' credentials judge their expiry by (botocore's clock when None; an
    emulated world's clock in tests: `migrate.emulator.credentials.session_clock`)."""
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
                session = _profile_session(profile, models) if profile else _base(base_session, models)
                accounts.append(AccountSession(_caller_account(session, region, config), label, session))
            except Exception as exc:  # one broken profile must not stop the others
                verdict = classify(exc)
                failures.append(SessionFailure(label, None, verdict.status, verdict.reason))
        return _narrow(_dedupe(accounts, failures), options)

    try:
        base = (
            _profile_session(options.profiles[0], models) if options.profiles else _base(base_session, models)
        )
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
        return _assume(base, arn, label, options, config, sts=sts, models=models, clock=clock)

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
    clock: Callable[[], dt.datetime] | None = None,
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
            time_fetcher=clock,
        )
    except Exception as exc:  # one account that cannot be entered must not stop the others
        verdict = classify(exc)
        return SessionFailure(label, _account_of_arn(role_arn), verdict.status, verdict.reason)
    return AccountSession(account_id, label, session)


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
