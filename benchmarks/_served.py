"""Helpers of the org-scale benchmarks: an emulated Organization served out of process, and child runs.

The emulator runs in its own processes (`pinpoint-migrate emulator serve --world FILE`), so the CPU and
memory a benchmark reports are the client's alone, as they would be against AWS. One server is one Python
process, and its CPU per request is several times the client's: with every account behind one server the
server is what a run measures. So the Organization can be split into one world per shard of accounts
(`split_worlds`), each served by its own process (`served_many`), shard K's client talking to server K
(quota buckets are per account and region: nothing is shared between servers). Client runs are child
processes too (`run_children`): each starts clean, so its peak RSS is its own, and old and new code can be
measured side by side. `summarise` adds up the children's reports; the servers' CPU is read from /proc, so
a run can say what bounded it: the quota-bound minimum, or the CPU the machine had (`cpu_floor`).
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
THROTTLES = ("ThrottlingException", "TooManyRequestsException")


@dataclass(frozen=True)
class Server:
    url: str
    pid: int

    def cpu(self) -> float:
        """CPU seconds (user + system) the server process has used so far."""
        with open(f"/proc/{self.pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def served(world: Path, *, quotas: bool = True) -> Iterator[str]:
    """`emulator serve` of `world` on a free port; yields its URL."""
    with served_many([world], quotas=quotas) as servers:
        yield servers[0].url


@contextmanager
def served_many(worlds: list[Path], *, quotas: bool = True) -> Iterator[list[Server]]:
    """One `emulator serve` process per world, each on a free port."""
    procs: list[subprocess.Popen[str]] = []
    try:
        servers = []
        for world in worlds:
            args = [sys.executable, "-c", "from migrate.cli import main; main()", "emulator", "serve"]
            args += ["--world", str(world), "--port", "0"]
            if not quotas:
                args.append("--no-request-quotas")
            proc = subprocess.Popen(
                args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
            )
            procs.append(proc)
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if "http://" not in line:
                raise RuntimeError(f"emulator serve did not start: {line!r}")
            servers.append(Server("http://" + line.split("http://", 1)[1].split()[0], proc.pid))
        for server in servers:
            warm(server.url)
        yield servers
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def warm(url: str) -> None:
    """One call per service the benchmarks use, before anything is measured: a server reads a service's
    model (Pinpoint's is large) and imports moto's backends on its first request of that service, seconds of
    CPU that belong to no run."""
    import boto3

    session = boto3.Session(
        aws_access_key_id="AKIDWARMUP", aws_secret_access_key="x", region_name="us-east-1"
    )
    calls = {
        "sts": "get_caller_identity", "pinpoint": "get_apps", "pinpoint-sms-voice": "list_configuration_sets",
        "pinpoint-sms-voice-v2": "describe_opt_out_lists", "iam": "list_roles", "sns": "list_phone_numbers_opted_out",
    }  # fmt: skip
    for service, operation in calls.items():
        with contextlib.suppress(Exception):  # a refusal warms the server as well as an answer does
            getattr(session.client(service, endpoint_url=url), operation)()


def split_worlds(
    build: Callable[[Path, list[str]], None], ids: list[str], servers: int, folder: Path
) -> list[Path]:
    """`build(path, accounts)` once per shard of `ids` (the tool's own split, `in_shard`): the worlds to
    serve one per process, so shard K of a run talks to server K alone."""
    from migrate.aws.sessions import in_shard

    paths = []
    for k in range(1, servers + 1):
        path = folder / f"world-{k}-of-{servers}.json"
        build(path, [a for a in ids if servers == 1 or in_shard(a, k, servers)])
        paths.append(path)
    return paths


def shard_jobs(job: dict[str, Any], processes: int, out: Path, servers: list[Server]) -> list[dict[str, Any]]:
    """`job` once per shard of the accounts, each with its shard, its own folder and its server's URL (with
    fewer servers than shards, shard K uses server K mod S)."""
    return [
        {**job, "shard": [k, processes] if processes > 1 else None, "out": str(out / str(k)),
         "url": servers[(k - 1) % len(servers)].url}
        for k in range(1, processes + 1)
    ]  # fmt: skip


def client_env(url: str) -> dict[str, str]:
    """Environment of a client run against `url`: any keys (the server accepts them), no user config."""
    env = dict(os.environ)
    env.update(
        AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="AKIDBENCHMARK", AWS_SECRET_ACCESS_KEY="x",
        AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        PYTHONPATH=str(ROOT),
    )  # fmt: skip
    return env


def run_children(
    script: Path, jobs: list[dict[str, Any]], url: str | None = None
) -> tuple[float, list[dict[str, Any]]]:
    """Run `script --child JOB` for every job at once (against the job's "url", else `url`); (wall
    seconds, each child's JSON report)."""
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), "--child", json.dumps(job)],
            cwd=ROOT,
            env=client_env(job.get("url") or url or ""),
            stdout=subprocess.PIPE,
            text=True,
        )
        for job in jobs
    ]
    reports = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"a child run failed (exit {proc.returncode})")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return time.perf_counter() - started, reports


def measure(script: Path, jobs: list[dict[str, Any]], servers: list[Server]) -> dict[str, Any]:
    """Run the jobs at once; their reports summed (`summarise`), with the wall time and the servers' CPU."""
    before = [s.cpu() for s in servers]
    started = os.times()
    wall, reports = run_children(script, jobs)
    after = os.times()
    found = summarise(reports)
    found["wall"] = wall
    found["server_cpu"] = sum(s.cpu() for s in servers) - sum(before)
    found["children_cpu"] = (after.children_user - started.children_user) + (
        after.children_system - started.children_system
    )
    found["load"] = os.getloadavg()[0]
    return found


def summarise(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The children's reports as one run: sums, per-account CPU and RSS, the largest peak."""
    n = max(1, sum(int(r["accounts"]) for r in reports))
    found: dict[str, Any] = {
        "accounts": n,
        "child_wall": max(r["wall"] for r in reports),
        "cpu": sum(r["cpu"] for r in reports),
        "cpu_per_account": sum(r["cpu"] for r in reports) / n,
        "rss_per_account": sum(r["peak"] - r["rss_before"] for r in reports) / n,
        "peak": max(r["peak"] for r in reports),
    }
    for key in ("throttles", "not_ok", "records", "puts", "buckets", "failed"):
        if key in reports[0]:
            found[key] = sum(r[key] for r in reports)
    if "floor" in reports[0]:
        found["floor"] = max(r["floor"] for r in reports)
    if "late" in reports[0]:
        found["late"] = sum(r["late"] for r in reports) / len(reports)
    throttled: dict[str, int] = {}
    for r in reports:
        for op, count in r.get("throttled", {}).items():
            throttled[op] = throttled.get(op, 0) + count
    found["throttled"] = throttled
    return found


def cpu_floor(found: dict[str, Any]) -> float:
    """The shortest wall time the machine's cores allow for the CPU a run used (client and servers)."""
    return (found["children_cpu"] + found["server_cpu"]) / (os.cpu_count() or 1)


def medians(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {k: median([r[k] for r in results]) for k in results[0] if isinstance(results[0][k], int | float)}


def child_main(argv: list[str] | None, child: Callable[[dict[str, Any]], None]) -> bool:
    """`--child JOB`: run `child(JOB)` and say so (the benchmark's main then returns)."""
    if argv is None:
        argv = sys.argv[1:]
    if len(argv) == 2 and argv[0] == "--child":
        child(json.loads(argv[1]))
        return True
    return False


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Throttles:
    """Throttling answers botocore retried, counted per operation (`ops`: "service.Operation" -> count)."""

    def __init__(self) -> None:
        self.ops: dict[str, int] = {}

    def __getitem__(self, _index: int) -> int:  # throttles[0]: the total, as the scripts read it
        return sum(self.ops.values())

    def seen(self, event_name: str) -> None:
        name = event_name.split(".", 1)[-1]
        self.ops[name] = self.ops.get(name, 0) + 1


def count_throttles() -> Throttles:
    """A counter of throttling answers botocore retried, installed for every session made afterwards."""
    import botocore.handlers

    seen = Throttles()

    def count(response: Any = None, event_name: str = "", **_kwargs: Any) -> None:
        if (
            response
            and isinstance(response[1], dict)
            and (response[1].get("Error") or {}).get("Code") in THROTTLES
        ):
            seen.seen(event_name)

    botocore.handlers.BUILTIN_HANDLERS.append(("needs-retry", count))
    return seen


def sleep_lateness() -> list[float]:
    """How late the rate limiter's sleeps wake up (seconds past the time asked for), recorded from now on:
    on a loaded machine a thread that sleeps until its slot runs well after it, which no scheduler fixes."""
    from migrate.aws import ratelimit

    seen: list[float] = []
    plain = ratelimit.SystemClock.sleep

    def sleep(self: ratelimit.SystemClock, seconds: float) -> None:
        due = time.monotonic() + seconds
        plain(self, seconds)
        seen.append(max(0.0, time.monotonic() - due))

    ratelimit.SystemClock.sleep = sleep  # type: ignore[method-assign]
    return seen


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
