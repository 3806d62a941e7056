"""Benchmark: the v2 part of a scan at the emulator's default request quotas (issue 3's "done when").

Builds an account with `--numbers` long codes in each of `--regions` regions (default 25 x 3), with
request quotas off while building; then switches on the emulator's default request quotas (1 request/s
for most v2 operations, unscaled) and reads the v2 state of every region with `scan_live_v2`, the scan's
v2 sections run by the scan's scheduler and rate limiter (what `plan` reads live).

It prints the wall time, the quota-bound minimum computed from the calls made (max over (account, region,
service, operation) buckets of calls / rate, plus one latency), their ratio (goal <= 1.2) and the number
of ThrottlingException answers the emulator gave, each one a retry botocore had to make (goal: 0).

    python benchmarks/bench_scan_v2_quota.py           # 25 numbers x 3 regions, about 25 s
    python benchmarks/bench_scan_v2_quota.py --quick   # 3 numbers x 3 regions
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import REGIONS, V2, add_numbers, enforce, errors, machine, quota_floor, throttles
from migrate.emulator import Emulator
from migrate.inventory.run import ScanOptions, scan_live_v2
from migrate.inventory.snapshot import AccountInfo, Inventory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--numbers", type=int, default=25, help="phone numbers per region (25)")
    parser.add_argument("--regions", type=int, default=3, choices=range(1, len(REGIONS) + 1))
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every call (0)")
    parser.add_argument("--quick", action="store_true", help="3 numbers per region")
    args = parser.parse_args(argv)
    if args.quick:
        args.numbers = 3
    regions = REGIONS[: args.regions]
    print(machine())
    print(
        f"world: {args.numbers} numbers x {len(regions)} regions ({', '.join(regions)}); "
        f"default request quotas (v2: 1 rps per operation), latency {args.latency * 1000:g} ms"
    )
    with Emulator() as emu:
        emu.quotas.disable()
        for index, region in enumerate(regions):
            add_numbers(emu, region, index, args.numbers)
        enforce(emu, scale=1.0, latency=args.latency)
        inventory = Inventory(tool_version="bench", scanned_at="2026-01-01T00:00:00Z")
        inventory.accounts = [AccountInfo(emu.account_id, "default")]
        inventory.regions = list(regions)
        start = time.perf_counter()
        live = scan_live_v2(ScanOptions(progress=False), inventory, emulator=emu)
        wall = time.perf_counter() - start
        calls = list(emu.calls)

    v2_calls = [c for c in calls if c.service == V2]
    floor = quota_floor(emu, v2_calls, args.latency)
    found = len(live.of("phone_numbers"))
    bad = [s for s in live.sections if s.status != "ok"]
    print(
        f"v2 scan: {wall:.2f}s, {len(v2_calls)} v2 calls, {found} phone numbers found, "
        f"{len(bad)} sections not ok"
    )
    for problem, n in sorted(errors(calls).items()):
        print(f"  answered with an error: {problem} x{n}")
    print(f"quota-bound minimum: {floor.describe()}")
    print(f"ThrottlingException retries: {throttles(calls)} (goal 0)")
    print(f"ratio wall / quota-bound minimum: {wall / floor.seconds:.2f} (goal <= 1.2)")
    return 0 if found == args.numbers * len(regions) and not bad else 1


if __name__ == "__main__":
    raise SystemExit(main())
