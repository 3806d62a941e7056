"""Benchmark: a whole scan against the quota-bound minimum, and against a sequential scan.

Builds an emulated account of `--tenants` Pinpoint projects in each of `--regions` regions (default
200 x 4; per tenant: a project with tags and an SMS channel, a v2 long code with its keywords, and for
every fourth tenant quiet-time settings, a segment and a campaign), with request quotas off while building.
Then it switches the emulator's default request quotas on, scaled up `--scale` times (default 50: v2 at
50 rps per operation, Pinpoint and v1 at 500 rps), injects `--latency` seconds (default 0.02) into every
emulated call, and runs `run_scan` twice over the same world:

- parallel: the scan as shipped (`--workers`, default 32, the CLI's default);
- sequential: the same scan with `max_workers=1`.

It prints the wall time of each, the quota-bound minimum computed from the calls the parallel scan made
(max over (account, region, service, operation) buckets of calls / rate, plus one latency), and the ratios
wall / minimum (goal <= 1.2) and sequential / parallel. Throttling answers are counted from the
emulator's call record (goal: none).

    python benchmarks/bench_scan.py            # 200 tenants x 4 regions
    python benchmarks/bench_scan.py --quick    # 10 tenants x 2 regions
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    REGIONS,
    add_numbers,
    add_tenants,
    before_end_of_support,
    enforce,
    errors,
    machine,
    quota_floor,
    throttles,
)
from migrate.emulator import Emulator
from migrate.inventory.run import ScanOptions, ScanOutcome, run_scan


def build(emu: Emulator, tenants: int, regions: tuple[str, ...]) -> None:
    emu.quotas.disable()
    for index, region in enumerate(regions):
        numbers = add_numbers(emu, region, index, tenants)
        add_tenants(emu, region, numbers, tenants)


def scan(
    emu: Emulator, out: Path, regions: tuple[str, ...], workers: int
) -> tuple[ScanOutcome, float, float]:
    """The scan's outcome, wall seconds and the process's CPU seconds (client and emulator together)."""
    options = ScanOptions(out_dir=out, regions=regions, max_workers=workers, progress=False)
    start, cpu = time.perf_counter(), time.process_time()
    outcome = run_scan(options, emulator=emu)
    return outcome, time.perf_counter() - start, time.process_time() - cpu


def records(outcome: ScanOutcome) -> int:
    return sum(len(items) for items in outcome.inventory.records.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tenants", type=int, default=200, help="tenants per region (200)")
    parser.add_argument("--regions", type=int, default=4, choices=range(1, len(REGIONS) + 1))
    parser.add_argument("--scale", type=float, default=50.0, help="request quota multiplier (50)")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds added to every call (0.02)")
    parser.add_argument("--workers", type=int, default=32, help="scan threads (32)")
    parser.add_argument("--no-sequential", action="store_true", help="skip the max_workers=1 scan")
    parser.add_argument("--quick", action="store_true", help="10 tenants x 2 regions")
    args = parser.parse_args(argv)
    if args.quick:
        args.tenants, args.regions = 10, 2
    regions = REGIONS[: args.regions]
    print(machine())
    print(
        f"world: {args.tenants} tenants x {len(regions)} regions ({', '.join(regions)}); "
        f"quotas x{args.scale:g}, latency {args.latency * 1000:g} ms, {args.workers} workers"
    )
    with (
        tempfile.TemporaryDirectory(prefix="bench-scan-") as work,
        Emulator(clock=before_end_of_support()) as emu,
    ):
        start = time.perf_counter()
        build(emu, args.tenants, regions)
        print(f"built the world in {time.perf_counter() - start:.1f}s (request quotas off)")

        enforce(emu, scale=args.scale, latency=args.latency)
        parallel, wall, cpu = scan(emu, Path(work) / "parallel", regions, args.workers)
        calls = list(emu.calls)
        floor = quota_floor(emu, calls, args.latency)
        bad = [s for s in parallel.inventory.sections if s.status != "ok"]
        print(
            f"parallel scan: {wall:.2f}s, {len(calls)} calls, {records(parallel)} records, "
            f"{len(bad)} sections not ok, {throttles(calls)} throttling retries"
        )
        print(
            f"  process CPU {cpu:.2f}s = {cpu / wall:.2f} of the wall time "
            f"({cpu / max(1, len(calls)) * 1000:.2f} ms per call, client and emulator in one process)"
        )
        for problem, n in sorted(errors(calls).items()):
            print(f"  answered with an error: {problem} x{n}")
        print(f"quota-bound minimum: {floor.describe()}")
        print(f"ratio wall / quota-bound minimum: {wall / floor.seconds:.2f} (goal <= 1.2)")
        # Client and emulator share one interpreter: its CPU time is a floor of its own (one core, GIL).
        tighter = max(floor.seconds, cpu)
        print(f"ratio wall / max(quota-bound minimum, process CPU {cpu:.2f}s): {wall / tighter:.2f}")

        if not args.no_sequential:
            enforce(emu, scale=args.scale, latency=args.latency)
            sequential, seq_wall, seq_cpu = scan(emu, Path(work) / "sequential", regions, 1)
            seq_calls = list(emu.calls)
            print(
                f"sequential scan (max_workers=1): {seq_wall:.2f}s, {len(seq_calls)} calls, "
                f"{records(sequential)} records, {throttles(seq_calls)} throttling retries, "
                f"process CPU {seq_cpu:.2f}s"
            )
            print(f"ratio sequential / parallel wall time: {seq_wall / wall:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
