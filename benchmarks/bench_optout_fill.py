"""Benchmark: filling an opt-out list through apply's fill, against the quota and a plain boto3 loop.

Writes `--count` opted-out numbers (default 20,000) into a scan-style 0600 CSV, gives the emulator a
`PutOptedOutNumber` quota of `--rps` (default 200, a raised quota) and `--latency` seconds (default 0.02) on
every emulated call, then fills an empty opt-out list twice, in this one process:

- apply's fill: `migrate.apply.fill.fill_list`, as `apply` runs a `fill_opt_out_list` step (the CSV's
  sha256 checked, the target list read first, puts paced by the shared rate limiter told the quota with
  `--quota PutOptedOutNumber=RPS` as a user would, four in flight, a journal checkpoint every 250);
- a plain sequential loop of `put_opted_out_number` calls with a default boto3 client, the way a script
  or the AWS CLI would do it, into a second list.

It prints the achieved rate / quota (goal >= 0.95), the throttling answers the emulator gave and the errors
that reached the caller (goal: none), and the ratio of the two wall times.

    python benchmarks/bench_optout_fill.py           # 20,000 numbers: ~100 s fill + ~7 min loop
    python benchmarks/bench_optout_fill.py --quick   # 200 numbers
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import V2, enforce, errors, machine, reset_calls, throttles
from migrate.apply.clients import AwsOptions, Clients
from migrate.apply.fill import fill_list
from migrate.apply.journal import Journal
from migrate.apply.kinds.base import FillSettings, StepRun
from migrate.apply.state import plan_state
from migrate.emulator import Emulator

REGION = "us-east-1"
PLAN_ID = "bench-plan"


def numbers(count: int) -> list[str]:
    """Distinct valid US numbers: +1 206 3NN NNNN."""
    return [f"+1206{3_000_000 + n:07d}" for n in range(count)]


def write_source(folder: Path, found: list[str]) -> dict[str, Any]:
    """The scan's opt-outs file for one tenant and the plan's record of it (with its sha256)."""
    path = folder / "optouts" / "bench.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("phone_number\n" + "".join(f"{n}\n" for n in found))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"file": "optouts/bench.csv", "sha256": sha, "count": len(found), "app_id": "a", "tenant": "bench"}


def run_fill(
    emu: Emulator, folder: Path, list_name: str, source: dict[str, Any], rps: float, workers: int
) -> tuple[dict[str, Any], float]:
    """apply's fill of one list; the seconds are those of `fill_list` alone (sessions and clients are
    made before, once per apply)."""
    clients = Clients(AwsOptions(quotas=(f"PutOptedOutNumber={rps:g}",)), emu)
    api = clients.api(emu.account_id, REGION, "live", print)
    journal = Journal.open(folder / "journal.jsonl")
    step = {"id": f"{emu.account_id}/{REGION}/fill_opt_out_list/{list_name}"}
    params = {"OptOutListName": list_name, "sources": [source], "copy_from": []}
    run = StepRun(
        step, params, api, plan_state([], PLAN_ID), PLAN_ID, folder, print, journal.append,
        FillSettings(workers=workers, progress=False),
    )  # fmt: skip
    start = time.perf_counter()
    try:
        return fill_list(run), time.perf_counter() - start
    finally:
        journal.close()


def plain_loop(emu: Emulator, list_name: str, found: list[str]) -> int:
    """What a script does: one put after another, botocore's default client and retries."""
    client = emu.session(REGION).client(V2)
    surfaced = 0
    for number in found:
        try:
            client.put_opted_out_number(OptOutListName=list_name, OptedOutNumber=number)
        except client.exceptions.ClientError:
            surfaced += 1
    return surfaced


def held(emu: Emulator, list_name: str) -> int:
    """Numbers on the list (read with request quotas off: this check is not part of the work timed)."""
    emu.quotas.request_enforced = False
    try:
        pages = emu.session(REGION).client(V2).get_paginator("describe_opted_out_numbers")
        return sum(len(p["OptedOutNumbers"]) for p in pages.paginate(OptOutListName=list_name))
    finally:
        emu.quotas.request_enforced = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=20_000, help="opted-out numbers (20,000)")
    parser.add_argument("--rps", type=float, default=200.0, help="PutOptedOutNumber quota (200)")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds added to every call (0.02)")
    parser.add_argument(
        "--workers", type=int, default=FillSettings().workers,
        help=f"puts in flight (apply's default, {FillSettings().workers})",
    )  # fmt: skip
    parser.add_argument("--no-loop", action="store_true", help="skip the plain boto3 loop")
    parser.add_argument("--quick", action="store_true", help="200 numbers")
    args = parser.parse_args(argv)
    if args.quick:
        args.count = 200
    print(machine())
    print(
        f"work: {args.count:,} numbers, PutOptedOutNumber quota {args.rps:g} rps, "
        f"latency {args.latency * 1000:g} ms, {args.workers} puts in flight"
    )
    found = numbers(args.count)
    with tempfile.TemporaryDirectory(prefix="bench-fill-") as work, Emulator() as emu:
        folder = Path(work)
        source = write_source(folder, found)
        sms = emu.session(REGION).client(V2)
        emu.quotas.disable()
        for name in ("bench-fill", "bench-loop"):
            sms.create_opt_out_list(OptOutListName=name)
        enforce(emu, latency=args.latency)
        emu.quotas.set_rps("PutOptedOutNumber", args.rps)

        start = time.perf_counter()
        surfaced = 0
        try:
            result, fill_wall = run_fill(emu, folder, "bench-fill", source, args.rps, args.workers)
        except Exception as exc:  # a surfaced error is a finding of the benchmark, not a crash of it
            print(f"apply's fill raised {type(exc).__name__}: {exc}")
            result, surfaced, fill_wall = {"put": 0}, 1, time.perf_counter() - start
        calls = list(emu.calls)
        puts = sum(1 for c in calls if c.operation == "PutOptedOutNumber" and c.error is None)
        rate = puts / fill_wall
        print(
            f"apply's fill: {fill_wall:.2f}s, {puts:,} puts ({result.get('put', 0):,} reported), "
            f"{held(emu, 'bench-fill'):,} on the list"
        )
        print(
            f"  throttling answers: {throttles(calls)}, errors surfaced to the caller: {surfaced}"
            + "".join(f"; {p} x{n}" for p, n in sorted(errors(calls).items()))
        )
        print(
            f"ratio achieved rate / quota: {rate:.1f} / {args.rps:g} = {rate / args.rps:.3f} (goal >= 0.95)"
        )

        if not args.no_loop:
            reset_calls(emu)
            start = time.perf_counter()
            loop_surfaced = plain_loop(emu, "bench-loop", found)
            loop_wall = time.perf_counter() - start
            loop_calls = list(emu.calls)
            print(
                f"plain boto3 loop: {loop_wall:.2f}s, {args.count / loop_wall:.1f} puts/s, "
                f"{throttles(loop_calls)} throttling answers, {loop_surfaced} errors surfaced, "
                f"{held(emu, 'bench-loop'):,} on the list"
            )
            print(f"ratio plain loop / apply's fill wall time: {loop_wall / fill_wall:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
