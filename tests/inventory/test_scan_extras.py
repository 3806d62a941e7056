"""The optional parts of a scan: opt-outs from exports, export jobs, code call sites."""

from __future__ import annotations

import csv
import gzip
import json
import stat
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.emulator import demo_spec as spec
from migrate.inventory.run import ScanOptions, run_scan
from tests.clocks import BEFORE_END_OF_SUPPORT_ISO, clock_before_end_of_support

EXPORT_ROLE = f"arn:aws:iam::{spec.ACCOUNT}:role/pinpoint-export"


def test_export_jobs_feed_every_tenant_opt_outs(tmp_path: Path) -> None:
    emu = Emulator.demo()
    emu.clock = clock_before_end_of_support()  # export jobs run only before 2026-10-30
    with emu:
        outcome = run_scan(
            ScanOptions(
                out_dir=tmp_path,
                regions=spec.REGIONS,
                progress=False,
                now=BEFORE_END_OF_SUPPORT_ISO,
                export_endpoints=True,
                export_role=EXPORT_ROLE,
                export_bucket=f"s3://{spec.EXPORT_BUCKET}/exports/",
            ),
            emulator=emu,
        )
        mutating = {
            c.operation for c in emu.calls if c.service == "pinpoint" and c.operation.startswith("Create")
        }
    assert mutating == {"CreateExportJob"}  # the only write a scan makes, and only when asked
    exports = {e.app_id: e for e in outcome.inventory.of("optout_exports")}
    apps = {a.app_id: a.name for a in outcome.inventory.of("pinpoint_apps")}
    assert set(exports) == set(apps)
    by_name = {apps[a]: e for a, e in exports.items()}
    for tenant in spec.TENANTS:
        export = by_name[tenant.name]
        assert export.endpoints_read == tenant.endpoints
        if tenant.sms:
            assert export.rejected == 3  # the demo's three invalid numbers, never dropped
            assert export.sms_opted_out == export.normalised + export.rejected
        csv_path = tmp_path / export.file
        assert stat.S_IMODE(csv_path.stat().st_mode) == 0o600
        rows = list(csv.reader(csv_path.open()))
        assert len(rows) - 1 == export.normalised - export.duplicates
        assert all(r[0].startswith("+") for r in rows[1:])
    statuses = {s.name.split(":")[0] for s in outcome.inventory.sections if s.status != "ok"}
    assert statuses == set()


def _write_export(emu: Emulator, key: str, lines: list[object]) -> None:
    body = gzip.compress(("\n".join(json.dumps(x) for x in lines) + "\n").encode())
    boto3.client("s3", region_name="us-east-1").put_object(Bucket="exports-here", Key=key, Body=body)


def test_existing_export_named_per_app_and_missing_one_reported(tmp_path: Path) -> None:
    with Emulator() as emu:
        emu.quotas.request_enforced = False
        pinpoint = boto3.client("pinpoint", region_name="us-east-1")
        one = pinpoint.create_app(CreateApplicationRequest={"Name": "one"})["ApplicationResponse"]["Id"]
        two = pinpoint.create_app(CreateApplicationRequest={"Name": "two"})["ApplicationResponse"]["Id"]
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="exports-here")
        opted = {"ChannelType": "SMS", "Address": "+12065550100", "OptOut": "ALL", "Id": "a"}
        national = {
            "ChannelType": "SMS",
            "Address": "2065550101",
            "OptOut": "ALL",
            "Id": "b",
            "Location": {"Country": "US"},
        }
        _write_export(emu, "legacy/part-1.gz", [opted, national, "not an object"])
        outcome = run_scan(
            ScanOptions(
                out_dir=tmp_path,
                regions=("us-east-1",),
                progress=False,
                endpoints_exports=(f"{one}=s3://exports-here/legacy/", "s3://exports-here/per-app/"),
            ),
            emulator=emu,
        )
    exports = {e.app_id: e for e in outcome.inventory.of("optout_exports")}
    assert list(exports) == [one]
    assert exports[one].normalised == 2 and exports[one].rejected == 1
    sections = {s.name: s for s in outcome.inventory.sections}
    assert sections[f"optouts:{one}"].status == "ok"
    assert sections[f"optouts:{two}"].status == "error"
    assert "no export files" in sections[f"optouts:{two}"].reason


def test_bad_export_options_are_refused_before_reading(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["scan", "--emulator", "demo", "--endpoints-export", "https://x", "--out", str(tmp_path)]
    )
    assert result.exit_code == 1 and "expected [APP_ID=]s3://" in result.output
    result = runner.invoke(cli, ["scan", "--emulator", "demo", "--export-endpoints", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "needs --export-role" in result.output
    assert not (tmp_path / "inventory.json").exists()


def test_code_call_sites_are_recorded(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "notify.py").write_text(
        "import boto3\nclient = boto3.client('pinpoint')\n"
        "client.send_messages(ApplicationId='x', MessageRequest={'Addresses': {}, 'MessageConfiguration': "
        "{'SMSMessage': {'Body': 'hi'}}})\n"
    )
    with Emulator() as emu:
        outcome = run_scan(
            ScanOptions(out_dir=tmp_path / "out", regions=("us-east-1",), progress=False, code=(source,)),
            emulator=emu,
        )
    sites = outcome.inventory.of("call_sites")
    assert [(s.path.endswith("notify.py"), s.line, s.api) for s in sites] == [
        (True, 3, "pinpoint:SendMessages")
    ]
    assert "SendTextMessage" in sites[0].replacement
    assert sites[0].parameters


@pytest.mark.parametrize("bad", ["s3://", "APP=ftp://x"])
def test_parse_export_source_rejects(bad: str) -> None:
    from migrate.inventory.extras import ExtrasError, parse_export_source

    with pytest.raises(ExtrasError):
        parse_export_source(bad)


def test_cloudtrail_days_summarises_old_send_api_callers(tmp_path: Path) -> None:
    emu = Emulator.demo()
    with emu:
        outcome = run_scan(
            ScanOptions(
                out_dir=tmp_path, regions=spec.REGIONS, progress=False, cloudtrail_days=90, now=spec.DEMO_NOW
            ),
            emulator=emu,
        )
    usage = {(u.principal, u.event_name): u.count for u in outcome.inventory.of("api_usage")}
    assert usage == {
        (principal, "SendMessages"): count for _k, principal, _a, _t, count in spec.OLD_API_CALLERS
    }
    agents = sorted(u.user_agent.split()[0] for u in outcome.inventory.of("api_usage"))
    assert agents == ["Boto3/1.34.0", "aws-sdk-java/1.12.701"]
    sections = [s for s in outcome.inventory.sections if s.name == "cloudtrail.send_api_usage"]
    assert {s.region for s in sections} == set(spec.REGIONS) and all(s.status == "ok" for s in sections)
    with Emulator.demo() as emu:
        outside = run_scan(
            ScanOptions(
                out_dir=tmp_path / "b",
                regions=spec.REGIONS,
                progress=False,
                cloudtrail_days=1,
                now=spec.DEMO_NOW,
            ),
            emulator=emu,
        )
    assert outside.inventory.of("api_usage") == []
