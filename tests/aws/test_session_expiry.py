"""Runs longer than a role session: credentials refreshed before they expire, on the world's clock.

The emulator, with `credentials_expire` on, restates each AssumeRole's `Expiration` on its own clock and
refuses the emulated services' calls signed with expired credentials (ExpiredTokenException, 403, as
AWS's Common Errors give it); the world's clock is an `EmulatedClock` moved by the test: hours pass with
no real sleep. moto serves STS.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError

from migrate.aws.sessions import ClientFactory, SessionOptions, open_sessions
from migrate.emulator import Emulator
from migrate.emulator.credentials import session_clock
from migrate.emulator.timing import EmulatedClock
from migrate.inventory.run import ScanOptions, run_scan

ACCOUNTS = tuple(f"{n}" * 12 for n in range(1, 4))
ROLES = tuple(f"arn:aws:iam::{a}:role/Scanner" for a in ACCOUNTS)
START = dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()
HOUR = 3600.0  # AssumeRole's default DurationSeconds (STS API reference)


@pytest.fixture
def world() -> Any:
    with Emulator(account_id="999999999999", clock=EmulatedClock(START)) as emu:
        emu.quotas.request_enforced = False
        emu.credentials_expire = True
        yield emu


def _assumes(emu: Emulator) -> int:
    return sum(1 for c in emu.calls if c.operation == "AssumeRole")


def _lists(factory: ClientFactory, accounts: Any) -> set[str]:
    return {
        x["OptOutListArn"].split(":")[4]
        for a in accounts
        for x in factory.client(a, "pinpoint-sms-voice-v2", "us-east-1").describe_opt_out_lists()[
            "OptOutLists"
        ]
    }


def test_credentials_expire_on_the_worlds_clock_and_are_refreshed_before(world: Emulator) -> None:
    found = open_sessions(
        SessionOptions(role_arns=ROLES), base_session=world.session(), clock=session_clock(world)
    )
    assert len(found.accounts) == len(ROLES) and not found.failures
    expiry = found.accounts[0].session.get_credentials()._expiry_time
    assert expiry == dt.datetime.fromtimestamp(START + HOUR, dt.UTC)  # on the world's clock, not moto's
    factory = ClientFactory()
    assert _lists(factory, found.accounts) == set(ACCOUNTS)
    assert _assumes(world) == len(ROLES)
    for _ in range(9):  # six hours, 40 minutes at a time: every session outlived, every call still served
        world.clock.advance(40 * 60)  # type: ignore[attr-defined]
        assert _lists(factory, found.accounts) == set(ACCOUNTS)
    # botocore refreshes when less than 15 minutes are left (10: mandatory): at 40-minute steps, every other
    # step finds a session near its end, so each role was assumed anew at 80, 160, 240 and 320 minutes
    assert _assumes(world) == len(ROLES) * 5
    assert not [c for c in world.calls if c.error == "ExpiredTokenException"]


def test_without_the_refresh_the_world_refuses_expired_credentials() -> None:
    # a world starting now, and botocore's own (real) clock: it never sees the world's hour pass, so the
    # credentials are not refreshed, and the world refuses them once its clock passed their expiry
    with Emulator(account_id="999999999999", clock=EmulatedClock()) as world:
        world.quotas.request_enforced = False
        world.credentials_expire = True
        found = open_sessions(SessionOptions(role_arns=ROLES[:1]), base_session=world.session())
        v2 = ClientFactory().client(found.accounts[0], "pinpoint-sms-voice-v2", "us-east-1")
        v2.describe_opt_out_lists()
        world.clock.advance(HOUR + 1)  # type: ignore[attr-defined]
        with pytest.raises(ClientError) as caught:
            v2.describe_opt_out_lists()
    assert caught.value.response["Error"]["Code"] == "ExpiredTokenException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


class _Ticking(EmulatedClock):
    """A world whose time runs fast: every read of its clock is `step` seconds later (thread-safe)."""

    def __init__(self, start: float, step: float) -> None:
        super().__init__(start)
        self._ticks = itertools.count()
        self._lock = threading.Lock()
        self.step = step

    def __call__(self) -> float:
        with self._lock:
            self.now += self.step
            return self.now


def test_a_scan_longer_than_a_session_keeps_working(tmp_path: Any) -> None:
    clock = _Ticking(START, step=0.0)
    with Emulator(account_id="999999999999", clock=clock) as emu:
        emu.quotas.request_enforced = False
        for account in ACCOUNTS:  # something to read in every account
            emu.session("us-east-1", account_id=account).client("pinpoint-sms-voice-v2").create_opt_out_list(
                OptOutListName=f"list-{account}"
            )
        emu.credentials_expire = True
        # each read of the world's clock is 40 s later: the scan spans several sessions. One worker: with
        # many, the others' reads between a request's signing and its arrival would pass botocore's
        # 10-minute margin, which a request never takes on AWS.
        clock.step = 40.0
        options = ScanOptions(
            out_dir=tmp_path, regions=("us-east-1",), now="2026-12-01T00:00:00Z", progress=False,
            sessions=SessionOptions(role_arns=ROLES), max_workers=1,
        )  # fmt: skip
        outcome = run_scan(options, emulator=emu)
        assert clock.now - START > 2 * HOUR, "the scan must outlive the first sessions"
        assert _assumes(emu) > len(ROLES)  # refreshed on the way
        assert not [c for c in emu.calls if c.error == "ExpiredTokenException"]
    problems = [s for s in outcome.inventory.sections if s.status not in ("ok", "retired")]
    assert not problems, problems
    lists = {x.name for x in outcome.inventory.of("opt_out_lists")}
    assert {f"list-{a}" for a in ACCOUNTS} <= lists


def test_threads_sharing_an_expired_session_refresh_it_once(world: Emulator) -> None:
    found = open_sessions(
        SessionOptions(role_arns=ROLES[:1]), base_session=world.session(), clock=session_clock(world)
    )
    v2 = ClientFactory().client(found.accounts[0], "pinpoint-sms-voice-v2", "us-east-1")
    world.clock.advance(HOUR + 60)  # type: ignore[attr-defined]
    gate = threading.Barrier(8, timeout=10)
    answers: list[int] = []

    def call() -> None:
        gate.wait()  # eight calls on the expired session at the same moment
        answers.append(len(v2.describe_opt_out_lists()["OptOutLists"]))

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8
    assert _assumes(world) == 2  # the first, then one refresh for all eight (botocore's refresh lock)
