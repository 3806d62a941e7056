"""The cost of an account stays near zero: one shared model loader, concurrent AssumeRole, refresh."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from typing import Any

import boto3
from botocore.credentials import RefreshableCredentials

from migrate.aws.models import SharedModels, shared_models
from migrate.aws.sessions import ClientFactory, SessionOptions, assume_role_session, open_sessions
from migrate.emulator import Emulator

ROLES = tuple(f"arn:aws:iam::{n:012d}:role/Scanner" for n in range(111111111111, 111111111111 + 6))


def _loader(session: boto3.Session) -> Any:
    return session._session.get_component("data_loader")


def test_every_account_reads_models_through_one_loader(emu: Emulator) -> None:
    found = open_sessions(SessionOptions(role_arns=ROLES), base_session=emu.session())
    assert len(found.accounts) == len(ROLES) and not found.failures
    loaders = {id(_loader(a.session)) for a in found.accounts}
    assert loaders == {id(shared_models().loader)}
    factory = ClientFactory()
    for account in found.accounts:  # the shared loader serves working clients of each account
        v2 = factory.client(account, "pinpoint-sms-voice-v2", "eu-west-1")
        lists = v2.describe_opt_out_lists()["OptOutLists"]
        assert lists and {x["OptOutListArn"].split(":")[4] for x in lists} == {account.account_id}
        assert v2.can_paginate("describe_opt_out_lists")
    assert len(factory) == len(ROLES)


def test_the_old_way_gives_each_account_its_own_loader(emu: Emulator) -> None:
    found = open_sessions(
        SessionOptions(role_arns=ROLES[:3], shared_models=False), base_session=emu.session()
    )
    loaders = {id(_loader(a.session)) for a in found.accounts}
    assert len(loaders) == 3 and id(shared_models().loader) not in loaders


def test_boto3_sessions_do_not_lengthen_the_shared_search_path() -> None:
    models = SharedModels()
    before = list(models.loader.search_paths)
    for _ in range(20):
        models.session()
    after = list(models.loader.search_paths)
    assert len(after) <= len(before) + 1 and len(set(after)) == len(after)


def test_roles_are_assumed_concurrently_in_option_order(emu: Emulator) -> None:
    base = emu.session()
    threads: set[str] = set()
    gate = threading.Barrier(2, timeout=10)

    def seen(**_kwargs: Any) -> None:
        threads.add(threading.current_thread().name)
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()  # two AssumeRole calls must be in flight at the same moment

    base.events.register("before-call.sts.AssumeRole", seen)
    found = open_sessions(SessionOptions(role_arns=ROLES), base_session=base)
    base.events.unregister("before-call.sts.AssumeRole", seen)
    assert len(threads) >= 2 and not gate.broken
    assert [a.label for a in found.accounts] == [f"role:{arn}" for arn in ROLES]
    assert [a.account_id for a in found.accounts] == [arn.split(":")[4] for arn in ROLES]


def test_credentials_refresh_before_they_expire(emu: Emulator) -> None:
    now = [dt.datetime.now(dt.UTC)]
    assumes: list[str] = []
    base = emu.session()
    base.events.register("before-call.sts.AssumeRole", lambda **_k: assumes.append("x"))
    session, account = assume_role_session(
        base, ROLES[0], models=shared_models(), time_fetcher=lambda: now[0]
    )
    credentials = session.get_credentials()
    assert isinstance(credentials, RefreshableCredentials) and account == ROLES[0].split(":")[4]
    first = credentials.get_frozen_credentials().access_key
    assert len(assumes) == 1
    now[0] += dt.timedelta(minutes=50)  # moto's sessions last an hour: 10 minutes left, refresh is due
    refreshed = credentials.get_frozen_credentials()
    assert len(assumes) == 2 and refreshed.access_key != first
    v2 = session.client("pinpoint-sms-voice-v2", region_name="us-east-1")
    lists = v2.describe_opt_out_lists()["OptOutLists"]  # the new credentials act in the same account
    assert lists and {x["OptOutListArn"].split(":")[4] for x in lists} == {account}


def test_clients_of_every_account_share_one_class_and_model_per_service(emu: Emulator) -> None:
    found = open_sessions(SessionOptions(role_arns=ROLES[:3]), base_session=emu.session())
    factory = ClientFactory()
    clients = [
        factory.client(a, "pinpoint-sms-voice-v2", r)
        for a in found.accounts
        for r in ("us-east-1", "eu-west-1")
    ]
    assert len({type(c) for c in clients}) == 1
    assert len({id(c.meta.service_model) for c in clients}) == 1
    # what is an account's own stays its own: credentials, and the answers they get
    keys = {c._request_signer._credentials.access_key for c in clients}
    assert len(keys) == 3
    owners = {c.describe_opt_out_lists()["OptOutLists"][0]["OptOutListArn"].split(":")[4] for c in clients}
    assert owners == {a.account_id for a in found.accounts}
    # the old per-account sessions are served as botocore does: a class per client
    old = open_sessions(SessionOptions(role_arns=ROLES[:2], shared_models=False), base_session=emu.session())
    old_clients = [ClientFactory().client(a, "pinpoint-sms-voice-v2", "us-east-1") for a in old.accounts]
    assert len({type(c) for c in old_clients}) == 2 and type(old_clients[0]) is not type(clients[0])
