"""The optional parts of a scan: opt-outs from endpoint exports, export jobs, code call sites, CloudTrail.

Opt-outs are the data that must not be lost. `--endpoints-export s3://bucket/prefix/` reads an export
already made: `[APP_ID=]s3://…` names the project it belongs to; without `APP_ID=` each project's files are
looked for under `<prefix><app id>/`. `--export-endpoints` starts an export job per project into
`<bucket/prefix>/<app id>/` (the only mutating call a scan can make, and only when asked) and waits for it.
Either way every project gets a section saying what was read, and nothing fails silently.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.aws.errors import classify
from migrate.aws.sessions import AccountSession, ClientFactory
from migrate.inventory.codescan import scan_code
from migrate.inventory.numbers_record import numbers_record, numbers_section
from migrate.inventory.optouts import ExportError, read_s3_endpoint_export
from migrate.inventory.records import CallSite, OptOutExport, PinpointApp
from migrate.inventory.snapshot import Section
from migrate.progress import Progress

EXPORT_POLL_SECONDS = 2.0
EXPORT_TIMEOUT_SECONDS = 3600.0


class ExtrasError(ValueError):
    """An option of the optional scan parts that cannot be used (a malformed URL or app id)."""


@dataclass(frozen=True)
class ExportSource:
    url: str  # s3://bucket/prefix/ (always ends with "/")
    app_id: str = ""  # "" : one folder per app id under the prefix


def parse_export_source(text: str) -> ExportSource:
    app_id, sep, url = text.partition("=")
    if not sep:
        app_id, url = "", text
    if not url.startswith("s3://") or len(url) <= len("s3://"):
        raise ExtrasError(f"--endpoints-export {text!r}: expected [APP_ID=]s3://bucket/prefix/")
    return ExportSource(url if url.endswith("/") else url + "/", app_id.strip())


@dataclass
class ExtrasResult:
    records: list[Any]
    sections: list[Section]


def read_exports(
    apps: list[PinpointApp],
    sources: list[ExportSource],
    sessions: dict[str, AccountSession],
    clients: ClientFactory,
    out_dir: Path,
    progress: Progress | None = None,
) -> ExtrasResult:
    """Read each project's endpoint export into its 0600 opt-outs file."""
    result = ExtrasResult([], [])
    named = {s.app_id: s for s in sources if s.app_id}
    unknown = sorted(set(named) - {a.app_id for a in apps})
    for app_id in unknown:
        result.sections.append(
            Section(
                "",
                "",
                f"optouts:{app_id}",
                "error",
                f"--endpoints-export names app {app_id}, not found by the scan",
            )
        )
    shared = [s for s in sources if not s.app_id]
    work = [
        (app, [named[app.app_id].url] if app.app_id in named else [f"{s.url}{app.app_id}/" for s in shared])
        for app in apps
    ]
    work = [(app, urls) for app, urls in work if urls]
    if progress:  # one unit per project's export, fixed before the first is read; lines read as the detail
        progress.add_total(len(work))
    for app, urls in work:
        s3 = clients.client(sessions[app.account], "s3", app.region)
        _read_one(app, urls, s3, out_dir, result, progress)
        if progress:
            progress.advance(1, f"{app.name}: done")
    return result


def _read_one(
    app: PinpointApp, urls: list[str], s3: Any, out_dir: Path, result: ExtrasResult, progress: Progress | None
) -> None:
    name = f"optouts:{app.app_id}"
    for url in urls:
        try:
            found = read_s3_endpoint_export(
                s3, url, tenant=app.app_id, out_dir=out_dir,
                progress=(lambda n: progress.advance(0, f"{app.name}: {n} lines")) if progress else None,
            )  # fmt: skip
        except ExportError as exc:
            result.sections.append(Section(app.account, app.region, name, "error", str(exc)))
            continue
        except Exception as exc:
            verdict = classify(exc)
            result.sections.append(Section(app.account, app.region, name, verdict.status, verdict.reason))
            continue
        result.records.append(
            numbers_record(OptOutExport, found, account=app.account, region=app.region, app_id=app.app_id)
        )
        result.sections.append(numbers_section(app.account, app.region, name, found))
        return


def start_exports(
    apps: list[PinpointApp],
    *,
    role_arn: str,
    bucket_url: str,
    sessions: dict[str, AccountSession],
    clients: ClientFactory,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    moment: dt.datetime | None = None,
) -> tuple[list[ExportSource], list[Section]]:
    """Start an endpoint export job per project and wait for all of them; returns where each one wrote."""
    base = parse_export_source(bucket_url).url
    jobs: dict[str, tuple[PinpointApp, str]] = {}
    sections: list[Section] = []
    for app in apps:
        pinpoint = clients.client(sessions[app.account], "pinpoint", app.region)
        target = f"{base}{app.app_id}/"
        try:
            job = pinpoint.create_export_job(
                ApplicationId=app.app_id, ExportJobRequest={"RoleArn": role_arn, "S3UrlPrefix": target}
            )["ExportJobResponse"]
        except Exception as exc:  # after 2026-10-30 CreateExportJob is retired: `retired`, by op and date
            verdict = classify(exc, service="pinpoint", moment=moment or dt.datetime.now(dt.UTC))
            sections.append(
                Section(app.account, app.region, f"export:{app.app_id}", verdict.status, verdict.reason)
            )
            continue
        jobs[job["Id"]] = (app, target)
    if progress:
        progress.add_total(len(jobs))
    sources: list[ExportSource] = []
    deadline = clock() + EXPORT_TIMEOUT_SECONDS
    pending = dict(jobs)
    while pending:
        for job_id, (app, target) in list(pending.items()):
            pinpoint = clients.client(sessions[app.account], "pinpoint", app.region)
            job = pinpoint.get_export_job(ApplicationId=app.app_id, JobId=job_id)["ExportJobResponse"]
            status = job.get("JobStatus", "")
            if status in ("COMPLETED", "FAILED"):
                del pending[job_id]
                if progress:
                    progress.advance(1, f"export {app.name}: {status}")
                if status == "COMPLETED":
                    sources.append(ExportSource(target, app.app_id))
                    sections.append(
                        Section(
                            app.account,
                            app.region,
                            f"export:{app.app_id}",
                            "ok",
                            f"export job {job_id} completed",
                            int(job.get("TotalProcessed", 0)),
                        )
                    )
                else:
                    why = "; ".join(job.get("Failures") or []) or "no reason given"
                    sections.append(
                        Section(
                            app.account,
                            app.region,
                            f"export:{app.app_id}",
                            "error",
                            f"export job {job_id} failed: {why}",
                        )
                    )
        if pending:
            if clock() > deadline:
                for job_id, (app, _target) in pending.items():
                    sections.append(
                        Section(
                            app.account,
                            app.region,
                            f"export:{app.app_id}",
                            "error",
                            f"export job {job_id} did not finish within {EXPORT_TIMEOUT_SECONDS:.0f} s",
                        )
                    )
                break
            sleep(EXPORT_POLL_SECONDS)
    return sources, sections


def code_call_sites(paths: list[Path]) -> ExtrasResult:
    """Call sites of the old send APIs in source trees (records with no account: they are in code)."""
    found = scan_code(paths)
    records: list[Any] = [
        CallSite(
            account="",
            region="",
            path=hit.path,
            line=hit.line,
            language=hit.language,
            api=hit.api,
            channel=hit.channel,
            replacement=hit.replacement,
            kind=hit.kind,
            parameters=dict(hit.parameters),
        )
        for hit in found.hits
    ]
    reason = f"{found.files_scanned} files scanned"
    if found.skipped:
        reason += f", {len(found.skipped)} skipped (first: {found.skipped[0][0]}: {found.skipped[0][1]})"
    return ExtrasResult(records, [Section("", "", "code", "ok", reason, len(records))])
