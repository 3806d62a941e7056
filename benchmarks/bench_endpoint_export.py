"""Benchmark: opt-outs from a Pinpoint endpoint export versus a plain `json.loads` loop.

Generates `--count` endpoints (default 1,000,000) as a Pinpoint export writes them (gzip NDJSON, one
EndpointResponse per line), then, in this one process, reads them twice:

- baseline: gunzip and `json.loads` every line, nothing else;
- optouts: `migrate.inventory.optouts.read_endpoint_export` (filter, E.164 normalisation, rejects,
  bounded-memory de-duplication, 0600 files, sha256).

It prints records/s and peak RSS of each and their ratios. Peak RSS is measured per phase by resetting
the kernel's high-water mark (`/proc/self/clear_refs`, Linux) before each. With `--s3` the export is put in
the emulator's (moto's) S3 and both phases stream it with `GetObject`, as a scan does.

    python benchmarks/bench_endpoint_export.py --count 200000
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migrate.inventory.optouts import (
    ExportFile,
    local_export_files,
    read_endpoint_export,
    s3_export_files,
)

_ROW = (
    '{"ApplicationId":"6e0b7591a4d24d2b9b5fb9b4b8e1e6b2","Id":"ep-%(n)d","ChannelType":"%(channel)s",'
    '"Address":"%(address)s","EndpointStatus":"ACTIVE","OptOut":"%(opt_out)s","RequestId":"r-%(n)d",'
    '"Location":{"Country":"%(country)s","City":"Seattle","PostalCode":"98101"},'
    '"Demographic":{"Platform":"sms","Timezone":"America/Los_Angeles","Locale":"en_US"},'
    '"EffectiveDate":"2026-05-01T12:00:00.000Z","CreationDate":"2025-01-01T00:00:00.000Z",'
    '"CohortId":"%(cohort)d","Attributes":{"plan":["gold"]},"Metrics":{},'
    '"User":{"UserId":"user-%(n)d","UserAttributes":{}}}\n'
)


def generate(path: Path, count: int, opted_out_share: float) -> None:
    """Endpoints of many channels; about `opted_out_share` of them SMS with OptOut ALL, some duplicates,
    some without a leading + (read in their Location.Country) and a few invalid."""
    every = max(1, round(1 / opted_out_share)) if opted_out_share > 0 else count + 1
    with gzip.open(path, "wb", compresslevel=1) as fh:
        for start in range(0, count, 20_000):
            rows = []
            for n in range(start, min(count, start + 20_000)):
                opted = n % every == 0
                kind = n % 97
                if kind == 0:
                    address, country = f"206555{n % 10_000:04d}", "US"  # national format, no +
                elif kind == 1:
                    address, country = "12345", "US"  # invalid: goes to rejects
                else:
                    key = n - every if n % (4 * every) == 0 and n else n  # a quarter of opt-outs repeat
                    address, country = f"+1206{(key * 7919) % 9_000_000 + 1_000_000:07d}", "US"
                channel = "EMAIL" if n % 5 == 1 else "SMS"
                if channel == "EMAIL":
                    address = f"user{n}@example.com"
                row = _ROW % {
                    "n": n,
                    "channel": channel,
                    "address": address,
                    "opt_out": "ALL" if opted else "NONE",
                    "country": country,
                    "cohort": n % 100,
                }
                rows.append(row)
            fh.write("".join(rows).encode())


def reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Phase:
    name: str
    records: int
    seconds: float
    peak_mib: float

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else float("inf")


def measure(name: str, run: Callable[[], int]) -> Phase:
    reset_peak_rss()
    start = time.perf_counter()
    records = run()
    seconds = time.perf_counter() - start
    return Phase(name, records, seconds, peak_rss_mib())


def _median(phases: list[Phase]) -> Phase:
    ordered = sorted(phases, key=lambda p: p.seconds)
    middle = ordered[len(ordered) // 2]
    return Phase(middle.name, middle.records, middle.seconds, max(p.peak_mib for p in phases))


def baseline(files: list[ExportFile]) -> int:
    records = 0
    for export in files:
        with export.open() as raw, gzip.GzipFile(fileobj=raw) as lines:
            for line in lines:
                json.loads(line)
                records += 1
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--count", type=int, default=1_000_000, help="endpoints to generate (default 1,000,000)"
    )
    parser.add_argument("--opted-out-share", type=float, default=0.02, help="share of SMS opt-outs (0.02)")
    parser.add_argument("--s3", action="store_true", help="stream from the emulator's S3 instead of a file")
    parser.add_argument("--runs", type=int, default=3, help="runs of each phase; medians are printed (3)")
    args = parser.parse_args(argv)
    if not reset_peak_rss():
        print("note: /proc/self/clear_refs is not writable; peak RSS is the process high-water mark")

    with tempfile.TemporaryDirectory(prefix="bench-export-") as work:
        export = Path(work) / "part-00001.gz"
        start = time.perf_counter()
        generate(export, args.count, args.opted_out_share)
        size = export.stat().st_size / 2**20
        print(
            f"generated {args.count:,} endpoints ({size:.1f} MiB gzip) in {time.perf_counter() - start:.1f}s"
        )
        emulator = None
        if args.s3:
            from migrate.emulator import Emulator

            emulator = Emulator()
            emulator.start()
            s3 = emulator.session().client("s3")
            s3.create_bucket(Bucket="bench-exports")
            s3.upload_file(str(export), "bench-exports", "job/part-00001.gz")
            files = s3_export_files(s3, "s3://bench-exports/job/")
        else:
            files = local_export_files(export)
        try:
            out = Path(work) / "out"
            result = None

            def run_optouts() -> int:
                nonlocal result
                result = read_endpoint_export(files, tenant="bench", out_dir=out, source="bench")
                return result.lines

            bases, ourses = [], []
            for _ in range(max(1, args.runs)):  # alternated, so load on a shared machine hits both alike
                bases.append(measure("json.loads baseline", lambda: baseline(files)))
                ourses.append(measure("optouts.read_endpoint_export", run_optouts))
            base, ours = _median(bases), _median(ourses)
            if args.runs > 1:
                print(f"medians of {args.runs} runs (this machine is shared: runs vary)")
        finally:
            if emulator is not None:
                emulator.stop()

    print(f"{'phase':32} {'records':>10} {'seconds':>8} {'records/s':>11} {'peak RSS MiB':>13}")
    for phase in (base, ours):
        print(
            f"{phase.name:32} {phase.records:>10,} {phase.seconds:>8.2f} {phase.rate:>11,.0f} {phase.peak_mib:>13.1f}"
        )
    assert result is not None
    print(
        f"opt-outs: {result.sms_opted_out:,} opted-out SMS endpoints, {result.written:,} unique numbers, "
        f"{result.duplicates:,} duplicates, {result.rejected:,} rejected"
    )
    print(f"throughput ratio (optouts / baseline): {ours.rate / base.rate:.2f}x")
    print(f"peak RSS ratio (optouts / baseline):   {ours.peak_mib / base.peak_mib:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
