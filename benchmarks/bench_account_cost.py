"""Benchmark: what one more account costs a run (CPU and memory), old and new code side by side.

The fixed cost of an account is what a run pays before its first useful call there: entering it
(AssumeRole), its session, and the clients a scan makes in it (per region: Pinpoint, SMS and Voice v1,
v2, each asked `can_paginate` as the scanner does). The calls a scan then makes cost the same per call
old and new, so they are left out here (`bench_org_scan.py` measures whole scans).

Each mode runs in its own child process (clean RSS), against an in-process emulated Organization whose
STS (moto) answers AssumeRole; the emulator's CPU is the same in both modes. Modes:

- old: `SessionOptions(shared_models=False)`: a botocore session, model loader and client classes per
  account, roles assumed one by one (the code before issue 17);
- new: the code as shipped: one shared loader, shared client classes and service models
  (`migrate/aws/models.py`), roles assumed concurrently.

    python benchmarks/bench_account_cost.py                 # 20 accounts x 2 regions, medians of 3
    python benchmarks/bench_account_cost.py --accounts 4 --runs 1
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._served import median, peak_rss_mib, rss_mib

SERVICES = {
    "pinpoint": "get_apps",
    "pinpoint-sms-voice": "list_configuration_sets",
    "pinpoint-sms-voice-v2": "describe_phone_numbers",
}
REGIONS = ("us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2")


def child(job: dict[str, Any]) -> None:
    from migrate.aws.sessions import ClientFactory, SessionOptions, open_sessions
    from migrate.emulator import Emulator

    roles = tuple(f"arn:aws:iam::{100000000000 + n * 7919:012d}:role/Scanner" for n in range(job["accounts"]))
    with Emulator() as emu:
        emu.quotas.disable()
        base = emu.session()
        # warm what both modes share (the emulator, moto's STS, botocore's imports): one account first
        warm = open_sessions(
            SessionOptions(role_arns=roles[:1], shared_models=job["mode"] == "new"), base_session=base
        )
        ClientFactory().client(warm.accounts[0], "sts", "us-east-1")
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        rss, cpu, started = rss_mib(), time.process_time(), time.perf_counter()
        found = open_sessions(
            SessionOptions(role_arns=roles[1:], shared_models=job["mode"] == "new"), base_session=base
        )
        factory = ClientFactory()
        for account in found.accounts:
            for region in REGIONS[: job["regions"]]:
                for service, operation in SERVICES.items():
                    factory.client(account, service, region).can_paginate(operation)
        report = {
            "cpu": time.process_time() - cpu,
            "wall": time.perf_counter() - started,
            "rss": peak_rss_mib() - rss,
            "accounts": len(found.accounts),
            "failures": len(found.failures),
        }
    print(json.dumps(report))


def run_child(job: dict[str, Any]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(job)], capture_output=True, text=True, check=True
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--regions", type=int, default=2, choices=range(1, len(REGIONS) + 1))
    parser.add_argument("--runs", type=int, default=3, help="runs of each mode, alternated; medians (3)")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(json.loads(args.child))
        return 0
    from benchmarks._common import machine

    print(machine())
    results: dict[str, list[dict[str, Any]]] = {"old": [], "new": []}
    for run in range(args.runs):
        for mode in ("old", "new"):
            found = run_child({"mode": mode, "accounts": args.accounts + 1, "regions": args.regions})
            results[mode].append(found)
            n = max(1, found["accounts"])
            print(
                f"run {run + 1} {mode}: {found['accounts']} accounts ({found['failures']} failed), "
                f"CPU/account {found['cpu'] / n * 1000:.1f} ms, RSS/account {found['rss'] / n:.2f} MiB, "
                f"wall {found['wall']:.2f}s"
            )
            time.sleep(0.5)
    per = {
        mode: {
            "cpu": median([r["cpu"] / max(1, r["accounts"]) for r in rs]),
            "rss": median([r["rss"] / max(1, r["accounts"]) for r in rs]),
            "wall": median([r["wall"] for r in rs]),
        }
        for mode, rs in results.items()
    }
    old, new = per["old"], per["new"]
    print(
        f"{args.accounts} accounts x {args.regions} regions x {len(SERVICES)} services, medians of {args.runs}:"
    )
    print(
        f"old: CPU/account {old['cpu'] * 1000:.1f} ms, RSS/account {old['rss']:.2f} MiB, wall {old['wall']:.2f}s"
    )
    print(
        f"new: CPU/account {new['cpu'] * 1000:.1f} ms, RSS/account {new['rss']:.2f} MiB, wall {new['wall']:.2f}s"
    )
    print(f"ratio old / new per-account CPU: {old['cpu'] / max(new['cpu'], 1e-9):.2f}x (goal >= 5)")
    print(f"ratio old / new per-account RSS: {old['rss'] / max(new['rss'], 1e-9):.2f}x (goal >= 5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
