from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.aws.ratelimit import QuotaError, QuotaTable, RateLimiter, SendGate, TokenBucket, paced_rate
from migrate.aws.sessions import AccountSession, ClientFactory
from migrate.emulator import Emulator

V2 = "pinpoint-sms-voice-v2"


class FakeClock:
    """Time moves only when somebody sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


class FrozenClock(FakeClock):
    """Time never moves: sleeps are recorded only (to read the schedule a bucket hands out)."""

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)


def test_sustained_rate_is_exact() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=10.0, burst=1.0, clock=clock)
    start = clock.now
    for _ in range(101):
        bucket.acquire()
    assert clock.now - start == pytest.approx(10.0, abs=1e-9)
    # one sleep per blocked request, each exactly one interval: no polling
    assert len(clock.sleeps) == 100
    assert all(s == pytest.approx(0.1, abs=1e-9) for s in clock.sleeps)


def test_burst_then_rate_and_refill_is_capped() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=2.0, burst=5.0, clock=clock)
    waits = [bucket.acquire() for _ in range(7)]
    assert waits[:5] == [0.0] * 5
    assert waits[5:] == pytest.approx([0.5, 0.5])
    clock.now += 3600  # a long idle refills to the burst, not beyond
    assert [bucket.acquire() for _ in range(6)] == pytest.approx([0, 0, 0, 0, 0, 0.5])


def test_concurrent_callers_get_evenly_spaced_slots() -> None:
    clock = FrozenClock()
    bucket = TokenBucket(rate=4.0, burst=1.0, clock=clock)
    barrier = threading.Barrier(20)
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        waited = bucket.acquire()
        with lock:
            waits.append(waited)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(waits) == pytest.approx([k / 4.0 for k in range(20)], abs=1e-9)


def test_quota_table_defaults_and_overrides() -> None:
    table = QuotaTable()
    assert table.rate(V2, "DescribePhoneNumbers") == 1.0
    assert table.rate(V2, "PutOptedOutNumber") == 10.0
    assert table.rate(V2, "DeleteOptedOutNumber") == 10.0
    assert table.rate("pinpoint", "GetApps") == 10.0
    assert table.rate("pinpoint-sms-voice", "ListConfigurationSets") == 10.0
    assert table.rate("s3", "GetObject") >= 10.0
    table = QuotaTable.from_overrides(
        ["DescribePhoneNumbers=2", f"{V2}:DescribePools=3.5", "pinpoint:*=20", f"{V2}:DescribePhoneNumbers=4"]
    )
    assert table.rate(V2, "DescribePhoneNumbers") == 4.0  # the service-qualified override wins
    assert table.rate("pinpoint-sms-voice", "DescribePhoneNumbers") == 2.0
    assert table.rate(V2, "DescribePools") == 3.5
    assert table.rate("pinpoint", "GetApps") == 20.0
    assert table.rate(V2, "DescribeKeywords") == 1.0


@pytest.mark.parametrize(
    "spec", ["DescribePools", "=3", "DescribePools=fast", "DescribePools=0", "x:=1", "DescribePools=-2"]
)
def test_bad_quota_overrides(spec: str) -> None:
    with pytest.raises(QuotaError):
        QuotaTable.from_overrides([spec])


def test_limiter_keeps_one_bucket_per_account_region_service_operation() -> None:
    clock = FakeClock()
    limiter = RateLimiter(QuotaTable.from_overrides(["DescribePools=2"]), clock=clock, headroom=1.0)
    for _ in range(3):
        limiter.acquire("111111111111", "us-east-1", V2, "DescribePools")
    limiter.acquire("111111111111", "eu-west-1", V2, "DescribePools")  # another region: its own bucket
    limiter.acquire("222222222222", "us-east-1", V2, "DescribePools")  # another account: its own bucket
    limiter.acquire("111111111111", "us-east-1", V2, "DescribeKeywords")
    assert clock.now - 1000.0 == pytest.approx(1.0)  # only the 2nd and 3rd DescribePools waited
    stats = limiter.stats()
    assert stats[("111111111111", "us-east-1", V2, "DescribePools")] == (3, pytest.approx(1.0))
    assert len(stats) == 4
    assert limiter.bucket("1", "r", V2, "DescribePools") is limiter.bucket("1", "r", V2, "DescribePools")


def test_headroom_paces_slightly_below_the_quota() -> None:
    limiter = RateLimiter(clock=FakeClock())
    assert limiter.bucket("1", "r", V2, "PutOptedOutNumber").rate == pytest.approx(9.8)
    assert limiter.bucket("1", "r", V2, "DescribePools").rate == pytest.approx(0.98)
    # at 1 rps the service's bucket absorbs no jitter: a request also waits for the previous answer (gate)
    gate = limiter.gate("1", "r", V2, "DescribePools")
    assert gate is not None and gate.interval == pytest.approx(1 / 0.98)
    assert limiter.gate("1", "r", V2, "PutOptedOutNumber") is None  # 10/s: the service's burst absorbs it
    with pytest.raises(ValueError):
        RateLimiter(headroom=1.5)


def test_attached_limiter_paces_every_attempt_retries_included(emu: Emulator) -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, headroom=1.0)
    factory = ClientFactory(limiter=limiter, max_attempts=3)
    v2 = factory.client(AccountSession("123456789012", "default", emu.session()), V2, "us-east-1")
    for _ in range(3):
        v2.describe_opt_out_lists()
    emu.faults.fail("DescribeOptOutLists", "ThrottlingException")
    v2.describe_opt_out_lists()  # one throttled attempt, then botocore's standard retry succeeds
    key = ("123456789012", "us-east-1", V2, "DescribeOptOutLists")
    count, waited = limiter.stats()[key]
    assert count == 5
    # 1 rps: every attempt after the first waited one second, the retry longer: the throttled bucket slowed
    # to 0.8 rps (its second of debt, reserved at 1 rps, is repaid at 0.8: 1 - 0.8 = 0.2 left, +1 token)
    assert waited == pytest.approx(3.0 + 1.2 / 0.8)


@settings(max_examples=150, deadline=None)
@given(
    rate=st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0]),
    delays=st.lists(st.floats(min_value=0.0, max_value=0.09), min_size=2, max_size=40),
)
def test_pacing_survives_jitter_at_every_quota(rate: float, delays: list[float]) -> None:
    """Requests paced by our bucket, each delayed by up to 90 ms on its way (a loaded machine, the
    network), never meet an empty service bucket (the emulator's: AWS's one second of burst, at least one
    request) at quotas of 2 rps and more; below, the gate takes over (next test)."""
    from migrate.emulator.quotas import _Bucket

    clock = FakeClock()
    paced = TokenBucket(paced_rate(rate), clock=clock)
    slots = [clock.now + paced.reserve() for _ in delays]  # each reservation queues behind the last
    arrivals = sorted(slot + delay for slot, delay in zip(slots, delays, strict=True))
    capacity = max(1.0, rate)
    server = _Bucket(rate, capacity, capacity, arrivals[0] - 10.0)  # idle for a while: full
    if rate >= 2.0:
        assert all(server.take(t) for t in arrivals)


late = st.floats(min_value=0.0, max_value=0.6)


@settings(max_examples=150, deadline=None)
@given(
    rate=st.sampled_from([0.2, 0.5, 1.0, 1.5, 1.9]),
    trips=st.lists(st.tuples(late, late, late), min_size=2, max_size=30),
)
def test_low_rate_buckets_are_never_throttled_however_late_either_side_runs(
    rate: float, trips: list[tuple[float, float, float]]
) -> None:
    """Below 2 rps, each request (slots reserved up front, as threads queued on one bucket do) may leave up
    to 0.6 s after its slot (a descheduled client), reach the service's admission up to 0.6 s later (a busy
    server: issue 17's "answering late") and be answered up to 0.6 s after that: the emulator's bucket
    (capacity one request) admits every one, because the gate waits for the previous answer."""
    from migrate.emulator.quotas import _Bucket

    clock = FakeClock()
    limiter = RateLimiter(QuotaTable.from_overrides([f"DescribeKeywords={rate}"]), clock=clock)
    bucket = limiter.bucket("1", "r", V2, "DescribeKeywords")
    gate = limiter.gate("1", "r", V2, "DescribeKeywords")
    assert gate is not None
    slots = [clock.now + bucket.reserve() for _ in trips]
    server = _Bucket(rate, 1.0, 1.0, clock.now - 10.0)
    for slot, (leaves, admitted, answered) in zip(slots, trips, strict=True):
        clock.now = max(clock.now, slot) + leaves  # our slot, then however late this thread gets to send
        gate.enter()
        clock.now += admitted
        assert server.take(clock.now), "throttled"
        clock.now += answered
        gate.leave()


def test_gate_and_slow_down_are_wired_to_every_attempt(emu: Emulator) -> None:
    """Through a real client: each attempt of a low-rate operation enters the gate before it is sent and
    leaves it once answered (the next one is held 1/rate after that answer); a throttling answer slows its
    bucket (and its gate) down for the rest of the run, never below a quarter of the quota."""
    clock = FakeClock()
    limiter = RateLimiter(clock=clock)
    factory = ClientFactory(limiter=limiter, max_attempts=3)
    v2 = factory.client(AccountSession("123456789012", "default", emu.session()), V2, "us-east-1")
    v2.describe_opt_out_lists()
    gate = limiter.gate("123456789012", "us-east-1", V2, "DescribeOptOutLists")
    assert gate is not None and not gate._busy and gate._answered == clock.now
    before = clock.now
    v2.describe_opt_out_lists()
    assert clock.now - before == pytest.approx(1 / 0.98)  # one slot; the gate found it already waited
    emu.faults.fail("DescribeOptOutLists", "ThrottlingException")
    v2.describe_opt_out_lists()  # throttled once, retried by botocore
    key = ("123456789012", "us-east-1", V2, "DescribeOptOutLists")
    assert limiter.throttles() == {key: 1}
    assert limiter.bucket(*key).rate == pytest.approx(0.98 * 0.8)
    assert gate.interval == pytest.approx(1 / (0.98 * 0.8)) and not gate._busy
    for _ in range(20):
        limiter.throttled(*key)
    assert limiter.bucket(*key).rate == pytest.approx(0.25)
    assert limiter.gate("123456789012", "us-east-1", V2, "PutOptedOutNumber") is None


def test_gate_lets_one_request_through_at_a_time() -> None:
    gate = SendGate(0.0, FakeClock())
    gate.enter()
    entered = threading.Event()

    def second() -> None:
        gate.enter()
        entered.set()
        gate.leave()

    thread = threading.Thread(target=second)
    thread.start()
    assert not entered.wait(0.05)  # held while the first is in flight
    gate.leave()
    assert entered.wait(5)
    thread.join()


stall = st.floats(min_value=0.0, max_value=2.5)


@settings(max_examples=150, deadline=None)
@given(rate=st.sampled_from([2.0, 3.0, 5.0, 10.0, 20.0]), lates=st.lists(stall, min_size=2, max_size=80))
def test_requests_that_leave_late_never_burst_past_the_service_bucket(rate: float, lates: list[float]) -> None:
    """From 2 rps up, requests whose threads get to send up to 2.5 s after their slot (a stalled client:
    every late one would go at once) reach the emulator's bucket (a second's worth) with none throttled:
    the send window holds back the one that would make a second hold more than the quota."""
    from migrate.emulator.quotas import _Bucket

    clock = FakeClock()
    limiter = RateLimiter(QuotaTable.from_overrides([f"PutOptedOutNumber={rate}"]), clock=clock)
    bucket = limiter.bucket("1", "r", V2, "PutOptedOutNumber")
    assert limiter.gate("1", "r", V2, "PutOptedOutNumber") is None
    window = limiter.window("1", "r", V2, "PutOptedOutNumber")
    ready = sorted(clock.now + bucket.reserve() + late for late in lates)  # the order threads reach the wire
    server = _Bucket(rate, rate, rate, clock.now - 10.0)
    for at in ready:
        clock.now = max(clock.now, at)
        window.enter()
        assert server.take(clock.now), "throttled"


def test_window_costs_nothing_at_the_paced_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock)
    bucket = limiter.bucket("1", "r", V2, "PutOptedOutNumber")
    window = limiter.window("1", "r", V2, "PutOptedOutNumber")
    for _ in range(50):
        bucket.acquire()
        assert window.enter() == 0.0  # sent on their slots (9.8/s): never held back
