"""Issue 13: a remedy the report prints can be pasted as it is. The account's own origination number is
printed in full (masking is for recipients), in `plan` and `plan show` alike, and the `[numbers."..."]`
table of the remedy, pasted into overrides.toml, is accepted and resolves the finding."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import boto3
from click.testing import CliRunner

from migrate.cli import cli
from migrate.emulator import Emulator


def test_the_shared_number_remedy_pastes_into_overrides_and_resolves_the_finding(tmp_path: Path) -> None:
    with Emulator() as emu:
        emu.quotas.request_enforced = False
        sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
        number = sms.request_phone_number(
            IsoCountryCode="US",
            MessageType="TRANSACTIONAL",
            NumberCapabilities=["SMS"],
            NumberType="TOLL_FREE",
        )["PhoneNumber"]
        pinpoint = boto3.client("pinpoint", region_name="us-east-1")
        for name in ("alpha", "beta"):
            app = pinpoint.create_app(CreateApplicationRequest={"Name": name})["ApplicationResponse"]["Id"]
            pinpoint.update_sms_channel(
                ApplicationId=app, SMSChannelRequest={"Enabled": True, "ShortCode": number}
            )
        emu.save(tmp_path / "world.json")
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        runner = CliRunner()
        assert (
            runner.invoke(cli, ["scan", "--emulator", "world.json", "--region", "us-east-1", "-q"]).exit_code
            == 0
        )
        planned = runner.invoke(cli, ["plan", "--offline"])
        shown = runner.invoke(cli, ["plan", "show"])
        for output in (planned.output, shown.output):
            assert "ORIGINATION_IDENTITY_SHARED" in output
            assert number in output and "*" not in "".join(
                ln for ln in output.splitlines() if number[:6] in ln
            )
        assert runner.invoke(cli, ["report", "--out", "reports"]).exit_code == 0
        text = (tmp_path / "reports" / "findings.csv").read_text(encoding="utf-8")
        findings = " ".join(row["remedy"] for row in csv.DictReader(text.splitlines(keepends=True)))
        remedy = re.search(r'\[numbers\."([^"]+)"\] owner = "<project>"', findings)
        assert remedy is not None and remedy[1] == number, findings  # the report's remedy, unmasked
        (tmp_path / "overrides.toml").write_text(
            remedy[0].replace("<project>", "alpha").replace("] owner", "]\nowner") + "\n"
        )
        fixed = runner.invoke(
            cli, ["plan", "--offline", "--overrides", "overrides.toml", "--plan-file", "p2.json"]
        )
        assert fixed.exit_code == 0, fixed.output
        assert "ORIGINATION_IDENTITY_SHARED" not in fixed.output
    finally:
        os.chdir(before)
