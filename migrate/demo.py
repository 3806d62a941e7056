"""`pinpoint-migrate demo`: the whole flow on the built-in demo account, in under a minute.

The demo world is written to `OUT/world.json` and every stage runs against it as it would against AWS:
scan, plan (with the export of what v2 cannot hold), plan waves (a canary, then the rest), apply --dry-run
of the whole plan and of each wave, rewrite (a patch for the sample application's old send calls; no file
is changed), and the readiness report, whose call sites link to their rewrite.

The waves are shown as dry runs, not applied: the demo's promise is that it changes none of the demo
world's resources, and a dry run per wave shows exactly what `apply --wave waves.toml:NAME` would do
(its tenants' steps plus the shared steps they need), call by call, in apply-dry-run-NAME.txt. Time is pinned to the demo's
date, so the same version of the tool always writes the same report (the one in `reports/example/`).

The demo's date is 2026-11-20, after Pinpoint's end of support: campaigns, journeys, segments, endpoints,
export jobs, event streams and app settings are retired, and the scan reads the sources of truth that are
left: the endpoint exports the account made on 2026-10-15 (`--endpoints-export`), the `Default` opt-out
list, the SNS opted-out numbers, CloudTrail and the sample application's code. `before_end_of_support`
runs the earlier story on 2026-10-28: the scan starts export jobs, campaigns and journeys are exported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from migrate.demo_crm import write_crm_csv
from migrate.emulator import Emulator
from migrate.emulator import demo_spec as spec
from migrate.fileio import write_atomic

# A small application that still calls the old send APIs: the scan's --code finds these call sites.
SAMPLE_CODE = {
    "notify_service/send_reminder.py": (
        "import boto3\n\n"
        "pinpoint = boto3.client('pinpoint')\n\n\n"
        "def send_reminder(app_id: str, phone: str, text: str) -> None:\n"
        "    pinpoint.send_messages(\n"
        "        ApplicationId=app_id,\n"
        "        MessageRequest={\n"
        "            'Addresses': {phone: {'ChannelType': 'SMS'}},\n"
        "            'MessageConfiguration': {'SMSMessage': {'Body': text, 'MessageType': 'TRANSACTIONAL',\n"
        "                                                    'OriginationNumber': '+12065550100'}},\n"
        "        },\n"
        "    )\n"
    ),
    "billing/src/reminders.js": (
        "const { PinpointClient, SendMessagesCommand } = require('@aws-sdk/client-pinpoint');\n"
        "const client = new PinpointClient({});\n\n"
        "async function remind(appId, phone, body) {\n"
        "  await client.send(new SendMessagesCommand({\n"
        "    ApplicationId: appId,\n"
        "    MessageRequest: { Addresses: { [phone]: { ChannelType: 'SMS' } },\n"
        "      MessageConfiguration: { SMSMessage: { Body: body, MessageType: 'PROMOTIONAL' } } },\n"
        "  }));\n"
        "}\n"
        "module.exports = { remind };\n"
    ),
    "ivr/call.sh": (
        "#!/bin/sh\n"
        "aws pinpoint-sms-voice send-voice-message --origination-phone-number +12065550100 \\\n"
        '  --destination-phone-number "$1" --content file://message.json\n'
    ),
}


@dataclass(frozen=True)
class DemoResult:
    world: Path
    inventory: Path
    plan: Path
    report: Path


def run_demo(
    out_dir: Path,
    echo: Callable[[str], None] = print,
    *,
    before_end_of_support: bool = False,
    progress: bool | None = False,
) -> DemoResult:
    """The whole flow on the demo world; `progress` (None: on a terminal only) shows every stage's units
    done/total as it runs (the world's parts, the scan's sections, the dry runs' steps), cleared before the
    stage's line is echoed."""
    from migrate.inventory.run import ScanOptions, retirement_lines, run_scan, scan_live_v2
    from migrate.plan.commands import run_plan
    from migrate.plan.waves_command import write_waves
    from migrate.report.commands import run_report
    from migrate.rewrite.run import run_rewrite

    out_dir.mkdir(parents=True, exist_ok=True)
    migration = out_dir / "migration"
    world_path = out_dir / "world.json"
    now = spec.DEMO_BEFORE_NOW if before_end_of_support else spec.DEMO_NOW
    from migrate.emulator.demo_world import build_demo

    with build_demo(Emulator, progress) as emu:
        emu.save(world_path)
    when = "before" if before_end_of_support else "after"
    echo(
        f"world:  built-in demo account {spec.ACCOUNT} ({len(spec.TENANTS)} Pinpoint projects) on {now[:10]}, "
        f"{when} Pinpoint's end of support -> {world_path}"
    )

    code_root = _write_sample_code(out_dir / "sample-app")
    with _load_at(world_path, now) as emu:
        crm = write_crm_csv(emu, out_dir / "crm-suppression.csv")  # the customer's own opt-outs
        if before_end_of_support:  # export jobs still run: the scan starts one per project
            sources: dict[str, object] = {
                "export_endpoints": True,
                "export_role": f"arn:aws:iam::{spec.ACCOUNT}:role/pinpoint-export",
                "export_bucket": f"s3://{spec.EXPORT_BUCKET}/exports/",
            }
        else:  # export jobs are retired: read the exports the account made before the deadline
            sources = {"endpoints_exports": (f"s3://{spec.EXPORT_BUCKET}/{spec.PRE_DEADLINE_EXPORT_PREFIX}",)}
        options = ScanOptions(
            out_dir=migration, regions=spec.REGIONS, now=now, progress=progress, code=(code_root,),
            cloudtrail_days=90, optouts=(str(crm),), **sources,  # type: ignore[arg-type]
        )  # fmt: skip
        scanned = run_scan(options, emulator=emu)
        problems = len(scanned.problems())
        echo(
            f"scan:   {sum(len(v) for v in scanned.inventory.records.values())} records from "
            f"{len(scanned.inventory.sections)} sections ({problems} not ok) -> {scanned.path}"
        )
        for line in retirement_lines(scanned):
            echo(f"        {line}")
        live = scan_live_v2(options, scanned.inventory, emulator=emu)
    planned = run_plan(scanned.path, None, migration / "plan.json", False, live_inventory=live,
                       export_dir=migration / "exports")  # fmt: skip
    summary = planned.plan.data["summary"]
    echo(f"plan:   {_counts(summary)} -> {planned.path}")
    waves = write_waves(planned.path, scanned.path, force=True, now=now)
    echo(f"waves:  {'; then '.join(waves.lines)} -> {waves.path}")
    dry_run = _apply_dry_run(world_path, planned.path, now, progress=progress)
    echo(f"apply:  --dry-run: {dry_run[1]} call(s) apply would make, none made -> {dry_run[0]}")
    for name, _note, members in waves.proposal.waves:
        target, calls = _apply_dry_run(world_path, planned.path, now, f"{waves.path}:{name}", progress)
        echo(
            f"        --dry-run --wave {waves.path.name}:{name} ({len(members)} tenant(s)): {calls} call(s) -> {target}"
        )
    rewritten = run_rewrite(
        [code_root], planned.path, migration / "rewrite.patch"
    )  # a patch; no file changed
    echo(f"rewrite: {rewritten.summary()[0].removeprefix('rewrite: ')}")
    reported = run_report(
        scanned.path, planned.path, out_dir / "reports", now=now,
        rewrite_path=rewritten.patch.with_name("rewrite.json"), waves_path=waves.path,
    )  # fmt: skip
    echo(f"report: {reported.html}")
    return DemoResult(world_path, scanned.path, planned.path, reported.html)


def _load_at(world_path: Path, now: str) -> Emulator:
    """The demo world, persisted, its clock stopped at the demo's date (so end of support follows it)."""
    from migrate.clock import now_utc

    emu = Emulator.load(world_path, persist=True)
    moment = now_utc(now).timestamp()
    emu.clock = lambda: moment
    return emu


def _apply_dry_run(
    world_path: Path, plan_path: Path, now: str, wave: str | None = None, progress: bool | None = False
) -> tuple[Path, int]:
    """`apply --dry-run [--wave FILE:NAME]` against the demo world: every call written to a file, none made."""
    from migrate.apply.commands import ApplyOptions, run_apply
    from migrate.apply.kinds.base import FillSettings

    lines: list[str] = []
    with _load_at(world_path, now) as emu:
        options = ApplyOptions(
            plan_path=plan_path, dry_run=True, yes=True, echo=lines.append, wave=wave,
            fill=FillSettings(progress=progress),
        )  # fmt: skip
        run_apply(options, emulator=emu)
    name = f"apply-dry-run-{wave.rpartition(':')[2]}.txt" if wave else "apply-dry-run.txt"
    target = plan_path.with_name(name)
    write_atomic(target, "\n".join(lines) + "\n", private=True)  # it lists opted-out numbers
    return target, sum(1 for line in lines if line.lstrip().startswith("would call"))


def _counts(summary: dict[str, object]) -> str:
    parts = []
    for key in ("create", "update", "no-op", "blocked", "steps"):
        if key in summary:
            parts.append(f"{summary[key]} {key}")
    findings = summary.get("findings")
    if isinstance(findings, dict):
        parts.append(", ".join(f"{n} {sev}" for sev, n in findings.items()) + " finding(s)")
    return "; ".join(parts) or "planned"


def _write_sample_code(root: Path) -> Path:
    for relative, text in SAMPLE_CODE.items():
        target = root / relative
        write_atomic(target, text)
    return root
