"""Benchmark: a scan of an Organization (default 50 accounts x 2 regions) at AWS's default request quotas.

The emulated Organization (per account and region: `--tenants` Pinpoint projects with an SMS channel and
`--numbers` v2 long codes with their keywords) is saved to a world file and served out of process by
`pinpoint-migrate emulator serve`, so what is measured is the client alone. The scan reaches every account
with `--role-arn` (one AssumeRole each, as `--org-role` does) and runs in child processes:

- new: the code as shipped (one shared model loader, roles assumed concurrently);
- old: the same scan with `SessionOptions(shared_models=False)`: a fresh botocore session per account and
  roles assumed one by one, as before issue 17 (`--no-old` skips it).

`--processes P` splits the accounts into P shards (`--shard K/P`) run at once, as a job runner would.
Each mode runs `--runs` times (default 3; this machine is shared, so medians are printed). Printed: wall
time against the quota-bound minimum (max over the client's buckets of calls / the emulator's rate),
throttling retries, and per-account CPU and peak RSS of each mode with their ratio old / new.

    python benchmarks/bench_org_scan.py
    python benchmarks/bench_org_scan.py --accounts 4 --regions 1 --runs 1   # a quick run
"""

from __future__ import annotations

import argparse
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

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")


def accounts(count: int) -> list[str]:
    return [f"{100000000000 + n * 7919:012d}" for n in range(count)]


def build(path: Path, ids: list[str], regions: tuple[str, ...], tenants: int, numbers: int) -> None:
    from migrate.aws.models import shared_models
    from migrate.emulator import Emulator
    from migrate.emulator.services.v2.provision import provision_phone_number

    with Emulator() as emu:
        emu.quotas.disable()
        for a, account in enumerate(ids):
            for r, region in enumerate(regions):
                pinpoint = shared_models().adopt(emu.session(region, account_id=account)).client("pinpoint")
                for t in range(tenants):
                    app = pinpoint.create_app(CreateApplicationRequest={"Name": f"tenant {t}"})
                    app_id = app["ApplicationResponse"]["Id"]
                    pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
                for n in range(numbers):
                    provision_phone_number(
                        emu, region=region, account=account, phone_number=f"+1206{r + 2}{a:03d}{n:03d}",
                        number_type="LONG_CODE", message_type="TRANSACTIONAL", capabilities=["SMS"],
                        iso_country_code="US",
                    )  # fmt: skip
        emu.quotas.request_enforced = True
        emu.quotas.resource_enforced = True
        emu.save(path)


def child(job: dict[str, Any]) -> None:
    """One scan (one shard) in this process; prints a JSON report on its last line."""
    import migrate.inventory.run as run
    from migrate.aws.ratelimit import QuotaTable
    from migrate.aws.sessions import SessionOptions
    from migrate.emulator.quotas import Quotas

    throttles = count_throttles()
    late = sleep_lateness()
    factories: list[Any] = []
    make = run.rate_limited_clients

    def capture(options: Any, emulator: Any) -> Any:
        factory = make(options, emulator)
        factories.append(factory)
        return factory

    run.rate_limited_clients = capture  # type: ignore[assignment]
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    before_rss, before_cpu, started = rss_mib(), time.process_time(), time.perf_counter()
    sessions = SessionOptions(
        role_arns=tuple(f"arn:aws:iam::{a}:role/Scanner" for a in job["accounts"]),
        shared_models=job["mode"] == "new",
        shard=tuple(job["shard"]) if job["shard"] else None,  # type: ignore[arg-type]
    )
    outcome = run.run_scan(
        run.ScanOptions(
            out_dir=Path(job["out"]),
            sessions=sessions,
            regions=tuple(job["regions"]),
            progress=False,
            now="2026-12-01T00:00:00Z",
            **({"max_workers": job["max_workers"]} if job.get("max_workers") else {}),
        )
    )
    wall, cpu = time.perf_counter() - started, time.process_time() - before_cpu
    emulator_quotas, client_quotas = Quotas(), QuotaTable()
    floor = 0.0
    for (_account, region, service, operation), (calls, _waited) in factories[0].limiter.stats().items():
        served_here = service in ("pinpoint", "pinpoint-sms-voice", "pinpoint-sms-voice-v2")
        rate = (
            emulator_quotas.rate(service, operation, region)
            if served_here
            else client_quotas.rate(service, operation)
        )
        floor = max(floor, calls / rate)
    bad = [s for s in outcome.inventory.sections if s.status not in ("ok", "retired")]  # retired: by date
    report = {
        "wall": wall, "cpu": cpu, "rss_before": before_rss, "peak": peak_rss_mib(), "floor": floor,
        "accounts": len(outcome.inventory.accounts), "throttles": throttles[0], "throttled": throttles.ops,
        "not_ok": len(bad), "late": sum(late) / max(1, len(late)),
        "records": sum(len(v) for v in outcome.inventory.records.values()),
    }  # fmt: skip
    print(json.dumps(report))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--regions", type=int, default=2, choices=range(1, len(REGIONS) + 1))
    parser.add_argument(
        "--tenants", type=int, default=2, help="small accounts: Pinpoint projects per region (2)"
    )
    parser.add_argument("--numbers", type=int, default=2, help="small accounts: v2 long codes per region (2)")
    parser.add_argument(
        "--quota-numbers",
        type=int,
        default=24,
        help="quota-bound accounts: v2 long codes per region (24; one DescribeKeywords each at 1 rps sets a "
        "24 s minimum), with one project; 0 skips that case",
    )
    parser.add_argument("--processes", type=int, default=2, help="shards scanned at once (2)")
    parser.add_argument(
        "--servers",
        type=int,
        default=0,
        help="emulator processes, one per shard of accounts (default: --processes)",
    )
    parser.add_argument(
        "--max-workers", type=int, default=0, help="scan's --max-workers (default: the scan's)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each mode; medians are printed (3)")
    parser.add_argument("--no-old", action="store_true", help="skip the old per-account sessions")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    if child_main(argv, child):
        return 0
    args = parser.parse_args(argv)
    from benchmarks._common import machine

    print(machine())
    cases = [("small accounts", args.tenants, args.numbers, ["new"] if args.no_old else ["new", "old"])]
    if args.quota_numbers > 0:
        cases.append(("quota-bound accounts", 1, args.quota_numbers, ["new"]))
    with tempfile.TemporaryDirectory(prefix="bench-org-scan-") as work:
        for case, tenants, numbers, modes in cases:
            results = run_case(args, case, tenants, numbers, modes, Path(work) / case.split()[0])
            summary(args, case, results)
    return 0


def run_case(
    args: argparse.Namespace, case: str, tenants: int, numbers: int, modes: list[str], folder: Path
) -> dict[str, list[dict[str, Any]]]:
    ids, regions = accounts(args.accounts), REGIONS[: args.regions]
    servers = args.servers or args.processes
    folder.mkdir()
    started = time.perf_counter()
    worlds = split_worlds(
        lambda path, some: build(path, some, regions, tenants, numbers), ids, servers, folder
    )
    print(
        f"{case}: built {args.accounts} accounts x {args.regions} regions ({tenants} projects, {numbers} "
        f"numbers each) in {time.perf_counter() - started:.1f}s; served by {servers} emulator process(es), "
        f"scanned by {args.processes} client process(es)"
    )
    results: dict[str, list[dict[str, Any]]] = {m: [] for m in modes}
    with served_many(worlds) as running:
        for run in range(args.runs):
            for mode in modes:
                if run or mode != modes[0]:
                    time.sleep(2.0)  # the service's buckets refill before the next run
                job = {
                    "accounts": ids,
                    "regions": list(regions),
                    "mode": mode,
                    "max_workers": args.max_workers,
                }
                found = measure(
                    Path(__file__),
                    shard_jobs(job, args.processes, folder / f"run{run}-{mode}", running),
                    running,
                )
                found["cpu_floor"] = cpu_floor(found)
                results[mode].append(found)
                print(
                    f"run {run + 1} {mode}: wall {found['wall']:.2f}s (scan {found['child_wall']:.2f}s), "
                    f"minimum {found['floor']:.2f}s, CPU floor {found['cpu_floor']:.2f}s (client "
                    f"{found['children_cpu']:.1f}s + servers {found['server_cpu']:.1f}s on {os.cpu_count()} "
                    f"cores), CPU/account {found['cpu_per_account'] * 1000:.0f} ms, RSS/account "
                    f"{found['rss_per_account']:.2f} MiB, peak {found['peak']:.0f} MiB, "
                    f"{found['throttles']} throttling retries {found['throttled'] or ''}, "
                    f"{found['not_ok']} sections not ok, sleeps woke {found['late'] * 1000:.0f} ms late "
                    f"(mean), load {found['load']:.1f}"
                )
    return results


def summary(args: argparse.Namespace, case: str, results: dict[str, list[dict[str, Any]]]) -> None:
    new = medians(results["new"])
    servers = args.servers or args.processes
    print(f"{case}: scan of {int(new['accounts'])} accounts x {args.regions} regions, {args.processes} "
          f"process(es), {servers} server(s), medians of {args.runs}:")  # fmt: skip
    bound = max(new["floor"], new["cpu_floor"])
    which = "the machine" if new["cpu_floor"] > new["floor"] else "the quotas"
    print(f"  ratio wall / quota-bound minimum: {new['wall'] / new['floor']:.2f} (goal <= 1.3; "
          f"{new['wall']:.2f}s / {new['floor']:.2f}s; the scan alone, without the processes' start: "
          f"{new['child_wall'] / new['floor']:.2f})")  # fmt: skip
    print(f"  ratio wall / max(minimum, CPU floor): {new['wall'] / bound:.2f} ({new['wall']:.2f}s / {bound:.2f}s: "
          f"{which} bound this run; the scan alone: {new['child_wall'] / bound:.2f})")  # fmt: skip
    print(f"  throttling retries: {int(new['throttles'])} (goal 0)")
    print(f"  per account: CPU {new['cpu_per_account'] * 1000:.0f} ms, RSS {new['rss_per_account']:.2f} MiB; "
          f"peak RSS {new['peak']:.0f} MiB; the client's sleeps woke {new['late'] * 1000:.0f} ms late on "
          f"average (the machine's load: {new['load']:.1f})")  # fmt: skip
    if "old" in results:
        old = medians(results["old"])
        print(f"  old sessions per account: CPU {old['cpu_per_account'] * 1000:.0f} ms, "
              f"RSS {old['rss_per_account']:.2f} MiB, wall {old['wall']:.2f}s")  # fmt: skip
        print(
            f"  ratio old / new per-account CPU: {old['cpu_per_account'] / new['cpu_per_account']:.2f}x (goal >= 5)"
        )
        rss_ratio = old["rss_per_account"] / max(new["rss_per_account"], 1e-6)
        print(f"  ratio old / new per-account RSS: {rss_ratio:.2f}x (goal >= 5)")


if __name__ == "__main__":
    raise SystemExit(main())
