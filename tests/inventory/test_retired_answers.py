"""After Pinpoint's end of support the scan classifies a refusal by operation and date, never by its code.

AWS has published no error for a retired API, so the emulator's world chooses (403, 404 or 400). The whole
flow (scan -> plan -> report, through the CLI) must give the same inventory statuses under each; before the
deadline the same world scans with every section `ok`.
"""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.inventory.snapshot import load_inventory
from tests.clocks import BEFORE_END_OF_SUPPORT_ISO, clock_before_end_of_support
from tests.event_targets import make_role, make_stream

ACCOUNT = "123456789012"
AFTER = "2026-11-27T00:00:00Z"
RETIRED_SECTIONS = {
    "pinpoint.campaigns", "pinpoint.journeys", "pinpoint.segments", "pinpoint.settings",
    "pinpoint.event_stream", "pinpoint.recommenders",
}  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two projects made before 2026-10-30 (one with an event stream, settings, a campaign); the world
    follows its clock, so loaded today it is past the deadline."""
    path = tmp_path_factory.mktemp("world") / "world.json"
    with Emulator(clock=clock_before_end_of_support()) as emu:
        emu.quotas.request_enforced = False
        stream = make_stream("firehose", "events")
        role = make_role("events", [stream])
        pinpoint = boto3.client("pinpoint", region_name="us-east-1")
        for name in ("tenant one", "tenant two"):
            app_id = pinpoint.create_app(CreateApplicationRequest={"Name": name})["ApplicationResponse"]["Id"]
            pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
            if name == "tenant one":
                pinpoint.put_event_stream(
                    ApplicationId=app_id,
                    WriteEventStream={
                        "DestinationStreamArn": stream,
                        "RoleArn": role,
                    },
                )
                pinpoint.update_application_settings(
                    ApplicationId=app_id,
                    WriteApplicationSettingsRequest={"QuietTime": {"Start": "22:00", "End": "07:00"}},
                )
                segment = pinpoint.create_segment(ApplicationId=app_id, WriteSegmentRequest={"Name": "all"})
                pinpoint.create_campaign(
                    ApplicationId=app_id,
                    WriteCampaignRequest={"Name": "promo", "SegmentId": segment["SegmentResponse"]["Id"]},
                )
        emu.save(path)
    assert json.loads(path.read_text())["end_of_support"] is None
    return path


def _flow(world: Path, out: Path, answer: int, now: str) -> tuple[dict[tuple[str, str], str], str]:
    """scan -> plan -> report through the CLI against a copy of `world` answering `answer`."""
    data = json.loads(world.read_text())
    data["retired_answer"] = answer
    copy = out / "world.json"
    out.mkdir(parents=True)
    copy.write_text(json.dumps(data))
    runner = CliRunner()
    scan = runner.invoke(cli, ["scan", "--emulator", str(copy), "--region", "us-east-1", "--now", now,
                               "--out", str(out / "m"), "--quiet"])  # fmt: skip
    assert scan.exit_code == 0, scan.output
    plan = runner.invoke(cli, ["plan", "--inventory", str(out / "m" / "inventory.json"), "--offline",
                               "--out", str(out / "m" / "plan.json")])  # fmt: skip
    assert plan.exit_code in (0, 2), plan.output
    report = runner.invoke(cli, ["report", "--inventory", str(out / "m" / "inventory.json"), "--plan",
                                 str(out / "m" / "plan.json"), "--out", str(out / "r"), "--now", now])  # fmt: skip
    assert report.exit_code == 0, report.output
    inventory = load_inventory(out / "m" / "inventory.json")
    return {(s.region, s.name): s.status for s in inventory.sections}, scan.output


def test_the_three_answers_give_the_same_inventory_statuses(world: Path, tmp_path: Path) -> None:
    results = {answer: _flow(world, tmp_path / str(answer), answer, AFTER) for answer in (403, 404, 400)}
    statuses = {answer: found[0] for answer, found in results.items()}
    assert statuses[403] == statuses[404] == statuses[400]
    retired = {name for (_region, name), status in statuses[403].items() if status == "retired"}
    assert retired == RETIRED_SECTIONS
    assert set(statuses[403].values()) == {"ok", "retired"}
    # the same inventory and plan bytes, whichever code the world answered with
    first = (tmp_path / "403" / "m")
    for answer in (404, 400):
        other = tmp_path / str(answer) / "m"
        assert (other / "inventory.json").read_bytes() == (first / "inventory.json").read_bytes()
        assert (other / "plan.json").read_bytes() == (first / "plan.json").read_bytes()
    inventory = json.loads((first / "inventory.json").read_text())
    assert inventory["schema_version"] == 2
    assert inventory["end_of_support"] == {"date": "2026-10-30", "in_effect": True, "judged_at": AFTER}


def test_a_post_deadline_scan_prints_one_line_about_retirement(world: Path, tmp_path: Path) -> None:
    _statuses, output = _flow(world, tmp_path / "a", 403, AFTER)
    about = [line for line in output.splitlines() if "retired" in line or "end of support" in line.lower()]
    assert len(about) == 1, output
    assert about[0].startswith("retired: since 2026-10-30")
    for part in ("app settings", "campaigns", "event streams", "journeys", "segments", "2 project(s)",
                 "1 region(s)", "--verbose"):  # fmt: skip
        assert part in about[0], about[0]
    assert "skipped" not in output and "Not yet implemented" not in output and "404" not in output
    assert len(output.splitlines()) <= 5, output


def test_verbose_lists_each_retired_call(world: Path, tmp_path: Path) -> None:
    data = json.loads(world.read_text())
    (tmp_path / "w.json").write_text(json.dumps(data))
    result = CliRunner().invoke(cli, ["scan", "--emulator", str(tmp_path / "w.json"), "--region", "us-east-1",
                                      "--now", AFTER, "--out", str(tmp_path / "m"), "--verbose"])  # fmt: skip
    assert result.exit_code == 0, result.output
    calls = [line for line in result.output.splitlines() if line.startswith("  retired ")]
    # 5 per-project sections x 2 projects, and the region's recommenders
    assert len(calls) == 11, result.output
    assert any("pinpoint.event_stream" in line and "GetEventStream" in line for line in calls)


def test_before_the_deadline_the_same_world_reads_whole(world: Path, tmp_path: Path) -> None:
    data = json.loads(world.read_text())
    data["end_of_support"] = False  # the account as it was in September 2026
    (tmp_path / "w.json").write_text(json.dumps(data))
    result = CliRunner().invoke(cli, ["scan", "--emulator", str(tmp_path / "w.json"), "--region", "us-east-1",
                                      "--now", BEFORE_END_OF_SUPPORT_ISO, "--out", str(tmp_path / "m"),
                                      "--quiet"])  # fmt: skip
    assert result.exit_code == 0, result.output
    inventory = load_inventory(tmp_path / "m" / "inventory.json")
    assert {s.status for s in inventory.sections} == {"ok"}
    assert inventory.end_of_support["in_effect"] is False
    assert len(inventory.of("event_streams")) == 1 and len(inventory.of("campaigns")) == 1
    assert "retired" not in result.output
