"""Benchmark: apply's opt-out fills across an Organization (default 50 accounts x 2 regions x 2 lists).

Every (account, region) has its own `PutOptedOutNumber` bucket (AWS's default 10/s), so the summed quota
of the run is buckets x 10/s. The emulated Organization (the lists exist, empty) is served out of process
by `pinpoint-migrate emulator serve`; apply's executor runs the fill steps (`--numbers` per list, read from
0600 CSV files as the scan writes them) in child processes, `--processes` shards of the accounts at once.
Printed: puts/s against the summed bucket quotas (goal >= 0.9), throttling retries (goal 0), per-account
CPU and peak RSS of the client. Each configuration runs `--runs` times (default 3); medians are printed.

    python benchmarks/bench_org_apply.py
    python benchmarks/bench_org_apply.py --accounts 3 --regions 1 --numbers 20 --runs 1   # a quick run
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._served import (
    child_main,
    count_throttles,
    cpu_floor,
    measure,
    medians,
    peak_rss_mib,
    rss_mib,
    served_many,
    shard_jobs,
    sleep_lateness,
    split_worlds,
)
from benchmarks.bench_org_scan import REGIONS, accounts

RATE = 10.0  # AWS's default PutOptedOutNumber quota per account and region (and the emulator's)


def build(path: Path, ids: list[str], regions: tuple[str, ...], lists: int) -> None:
    from migrate.aws.models import shared_models
    from migrate.emulator import Emulator

    with Emulator() as emu:
        emu.quotas.disable()
        for account in ids:
            for region in regions:
                v2 = (
                    shared_models()
                    .adopt(emu.session(region, account_id=account))
                    .client("pinpoint-sms-voice-v2")
                )
                for n in range(lists):
                    v2.create_opt_out_list(OptOutListName=f"tenant-{n}")
        emu.quotas.request_enforced = True
        emu.quotas.resource_enforced = True
        emu.save(path)


def child(job: dict[str, Any]) -> None:
    from migrate.apply.clients import AwsOptions, Clients
    from migrate.apply.executor import Executor
    from migrate.apply.kinds.base import FillSettings, StepRun
    from migrate.apply.state import plan_state
    from migrate.aws.sessions import SessionOptions

    throttles = count_throttles()
    late = sleep_lateness()
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    before_rss, before_cpu = rss_mib(), time.process_time()
    data = Path(job["out"])
    (data / "optouts").mkdir(parents=True, exist_ok=True)
    shard = tuple(job["shard"]) if job["shard"] else None
    sessions = SessionOptions(
        role_arns=tuple(f"arn:aws:iam::{a}:role/Applier" for a in job["accounts"]),
        shard=shard,  # type: ignore[arg-type]
    )
    clients = Clients(AwsOptions(sessions=sessions), None)
    steps = []
    for a, account in enumerate(sorted(clients.accounts)):
        for r, region in enumerate(job["regions"]):
            for n in range(job["lists"]):
                csv = data / "optouts" / f"{account}-{region}-{n}.csv"
                numbers = [f"+1{206 + n}{r + 2}{a:03d}{k:03d}" for k in range(job["numbers"])]
                csv.write_text("phone_number\n" + "".join(f"{x}\n" for x in numbers))
                source = {"file": f"optouts/{csv.name}", "sha256": hashlib.sha256(csv.read_bytes()).hexdigest(),
                          "count": len(numbers)}  # fmt: skip
                steps.append({
                    "id": f"{account}/{region}/fill_opt_out_list/tenant-{n}", "kind": "fill_opt_out_list",
                    "account": account, "region": region, "depends_on": [],
                    "parameters": {"OptOutListName": f"tenant-{n}", "sources": [source], "copy_from": []},
                })  # fmt: skip
    state = plan_state([], "bench")
    fill = FillSettings(progress=False)

    def make_run(step: dict[str, Any], params: dict[str, Any]) -> StepRun:
        api = clients.api(step["account"], step["region"], "live", lambda _t: None)
        return StepRun(step, params, api, state, "bench", data, lambda _t: None, None, fill)

    started = time.perf_counter()
    outcome = Executor(make_run, {}, write=None, plan_id="bench", echo=lambda _t: None).run(steps)
    wall = time.perf_counter() - started
    puts = sum(int(o.result.get("put", 0)) for o in outcome.outcomes)
    print(json.dumps({
        "wall": wall, "puts": puts, "buckets": len({(s["account"], s["region"]) for s in steps}),
        "failed": outcome.count("failed"), "throttles": throttles[0], "throttled": throttles.ops,
        "accounts": len(clients.accounts), "late": sum(late) / max(1, len(late)),
        "cpu": time.process_time() - before_cpu, "rss_before": before_rss, "peak": peak_rss_mib(),
    }))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--regions", type=int, default=2, choices=range(1, len(REGIONS) + 1))
    parser.add_argument("--lists", type=int, default=2, help="opt-out lists per account and region (2)")
    parser.add_argument("--numbers", type=int, default=100, help="numbers per list (100: 20 s at 10/s)")
    parser.add_argument("--processes", type=int, default=2, help="shards filled at once (2)")
    parser.add_argument(
        "--servers",
        type=int,
        default=0,
        help="emulator processes, one per shard of accounts (default: --processes)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    if child_main(argv, child):
        return 0
    args = parser.parse_args(argv)
    from benchmarks._common import machine

    print(machine())
    ids, regions = accounts(args.accounts), REGIONS[: args.regions]
    servers = args.servers or args.processes
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-org-apply-") as work:
        for run in range(args.runs):
            folder = Path(work) / f"run{run}"  # every run fills empty lists
            folder.mkdir()
            worlds = split_worlds(
                lambda path, some: build(path, some, regions, args.lists), ids, servers, folder
            )
            with served_many(worlds) as running:
                job = {
                    "accounts": ids,
                    "regions": list(regions),
                    "lists": args.lists,
                    "numbers": args.numbers,
                }
                found = measure(Path(__file__), shard_jobs(job, args.processes, folder, running), running)
            found["rate"] = (
                found["puts"] / found["child_wall"]
            )  # the fills' own time (the shards run at once)
            found["quota"] = found["buckets"] * RATE
            found["cpu_floor"] = cpu_floor(found)
            results.append(found)
            print(
                f"run {run + 1}: {found['rate']:.1f} puts/s of {found['quota']:.0f} in {found['child_wall']:.2f}s, "
                f"{found['throttles']} throttling retries {found['throttled'] or ''}, {found['failed']} failed "
                f"steps, sleeps woke {found['late'] * 1000:.0f} ms late (mean), CPU/account "
                f"{found['cpu_per_account'] * 1000:.0f} ms, peak RSS {found['peak']:.0f} MiB; CPU floor "
                f"{found['cpu_floor']:.2f}s (client {found['children_cpu']:.1f}s + servers "
                f"{found['server_cpu']:.1f}s on {os.cpu_count()} cores), load {found['load']:.1f}"
            )
    mid = medians(results)
    print(f"apply of {args.accounts} accounts x {args.regions} regions x {args.lists} lists, "
          f"{args.processes} process(es), {servers} server(s), medians of {args.runs}:")  # fmt: skip
    print(f"ratio achieved rate / summed bucket quotas: {mid['rate']:.1f} / {mid['quota']:.0f} = "
          f"{mid['rate'] / mid['quota']:.3f} (goal >= 0.9)")  # fmt: skip
    quota_time = mid["puts"] / mid["quota"]
    print(f"quota-bound fill time {quota_time:.2f}s, CPU floor {mid['cpu_floor']:.2f}s: "
          f"{'the machine' if mid['cpu_floor'] > quota_time else 'the quotas'} bound this run")  # fmt: skip
    drivable = mid["puts"] / mid["cpu_floor"]
    print(f"what {os.cpu_count()} cores can drive with the emulator on them: {drivable:.0f} puts/s = "
          f"{drivable / mid['quota']:.3f} of the summed quotas; the client alone "
          f"({mid['children_cpu'] / mid['puts'] * 1000:.2f} ms of CPU a put, start-up included): "
          f"{mid['puts'] / mid['children_cpu'] * (os.cpu_count() or 1):.0f} puts/s; ratio achieved / drivable: "
          f"{mid['rate'] / min(drivable, mid['quota']):.3f}")  # fmt: skip
    print(f"throttling retries: {int(mid['throttles'])} (goal 0)")
    print(f"per account: CPU {mid['cpu_per_account'] * 1000:.0f} ms, RSS {mid['rss_per_account']:.2f} MiB; "
          f"peak RSS {mid['peak']:.0f} MiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
