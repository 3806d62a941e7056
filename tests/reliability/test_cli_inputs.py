"""Every file the CLI reads, damaged, through the CLI (issue 13): the command either works or exits 1 with a
line that names the file and says what is wrong, never a traceback and never "unexpected <Type>".

Files: inventory, plan, journal, verify.json, overrides.toml, checklist record, wave file, rewrite.json,
world file, `--optouts` CSV, endpoint exports (plain and gzip NDJSON in S3), a `--code` tree and
`rewrite --code` inputs. Each is fed random bytes, and the JSON ones valid documents damaged in a few places
(tests/reliability/strategies.py). Commands that need a scan run fewer examples (each is a scan).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.cli import cli
from migrate.emulator import Emulator
from reliability.strategies import RELIABLE, any_bytes, damaged, json_values

# the CLI's last-resort handler: "unexpected <Type>: ..." (a codec saying "unexpected end of data" is fine)
UNEXPECTED = re.compile(r"\bunexpected [A-Z][A-Za-z0-9_]*:|PINPOINT_MIGRATE_DEBUG")

NOW = "2026-11-27T09:00:00Z"
BUCKET = "exports-bucket"
# a scan is seconds on a busy machine: a few examples each by default (RELIABILITY_EXAMPLES raises them too)
SCANS = settings(RELIABLE, max_examples=max(4, RELIABLE.max_examples // 15))
FILES = settings(RELIABLE, max_examples=min(RELIABLE.max_examples, 40))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small world (two projects, one with an endpoint export in S3), scanned and planned offline."""
    folder = tmp_path_factory.mktemp("cli-inputs")
    with Emulator() as emu:
        emu.quotas.request_enforced = False
        pinpoint = boto3.client("pinpoint", region_name="us-east-1")
        for name in ("alpha", "beta"):
            app = pinpoint.create_app(CreateApplicationRequest={"Name": name})["ApplicationResponse"]["Id"]
            pinpoint.update_sms_channel(ApplicationId=app, SMSChannelRequest={"Enabled": True})
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        emu.save(folder / "world.json")
    migration = folder / "migration"
    scan = [
        "scan",
        "--emulator",
        str(folder / "world.json"),
        "--region",
        "us-east-1",
        "--out",
        str(migration),
    ]
    assert CliRunner().invoke(cli, [*scan, "--now", NOW]).exit_code == 0
    result = CliRunner().invoke(cli, ["plan", "--offline", "--out", str(migration), "--inventory",
                                      str(migration / "inventory.json"), "--now", NOW])  # fmt: skip
    assert result.exit_code == 0, result.output
    return folder


def _fresh(base: Path, tmp: Path) -> Path:
    target = tmp / "case"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(base, target)
    return target


def _check(args: list[str], named: Path) -> None:
    result = CliRunner().invoke(cli, args)
    text = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in text and not UNEXPECTED.search(text), text
    if result.exit_code not in (0, 2, 3):
        assert result.exit_code == 1, text
        assert str(named) in text or named.name in text, f"the message does not name {named}: {text}"


def _report(case: Path, **files: Path) -> list[str]:
    migration = case / "migration"
    args = ["report", "--inventory", str(migration / "inventory.json"), "--plan", str(migration / "plan.json"),
            "--out", str(case / "reports"), "--now", NOW]  # fmt: skip
    for option, path in files.items():
        args += [f"--{option}", str(path)]
    return args


def _doc(base: Path, name: str) -> Any:
    return json.loads((base / "migration" / name).read_text(encoding="utf-8"))


# -- files read without AWS ---------------------------------------------------------------------------------
@FILES
@given(data=st.data())
def test_a_damaged_inventory(
    base: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    case = _fresh(base, tmp_path_factory.mktemp("inv"))
    target = case / "migration" / "inventory.json"
    if data.draw(st.booleans()):
        target.write_bytes(data.draw(any_bytes))
    else:
        target.write_text(json.dumps(data.draw(damaged(_doc(base, "inventory.json")))), encoding="utf-8")
    _check(
        ["plan", "--offline", "--inventory", str(target), "--out", str(case / "out"), "--now", NOW], target
    )


@FILES
@given(data=st.data())
def test_a_damaged_plan(base: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    case = _fresh(base, tmp_path_factory.mktemp("plan"))
    target = case / "migration" / "plan.json"
    if data.draw(st.booleans()):
        target.write_bytes(data.draw(any_bytes))
    else:
        target.write_text(json.dumps(data.draw(damaged(_doc(base, "plan.json")))), encoding="utf-8")
    command = data.draw(st.sampled_from([["plan", "show"], ["plan", "permissions"], ["export-iac"]]))
    extra = ["--out", str(case / "iac"), "--format", "terraform"] if command == ["export-iac"] else []
    _check([*command, str(target), *extra], target)


@FILES
@given(data=st.data())
def test_damaged_files_given_to_report(
    base: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    case = _fresh(base, tmp_path_factory.mktemp("report"))
    option = data.draw(st.sampled_from(["journal", "verify", "checklist", "waves", "rewrite", "overrides"]))
    target = case / f"input-{option}"
    if option == "journal" and data.draw(st.booleans()):  # JSON lines, some of them damaged
        lines = data.draw(st.lists(json_values, min_size=1, max_size=4))
        target.write_text("".join(json.dumps(v) + "\n" for v in lines), encoding="utf-8")
    else:
        target.write_bytes(data.draw(any_bytes))
    _check(_report(case, **{option: target}), target)


@FILES
@given(data=any_bytes)
def test_damaged_overrides_given_to_plan(
    base: Path, tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    case = _fresh(base, tmp_path_factory.mktemp("overrides"))
    target = case / "overrides.toml"
    target.write_bytes(data)
    migration = case / "migration"
    _check(["plan", "--offline", "--inventory", str(migration / "inventory.json"), "--overrides", str(target),
            "--out", str(case / "out"), "--now", NOW], target)  # fmt: skip


@FILES
@given(data=any_bytes, name=st.sampled_from(["send.py", "send.js", "send.sh"]))
def test_code_given_to_rewrite(
    base: Path, tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str
) -> None:
    case = _fresh(base, tmp_path_factory.mktemp("rewrite"))
    code = case / "app"
    code.mkdir()
    (code / name).write_bytes(
        b"import boto3\nboto3.client('pinpoint').send_messages(ApplicationId='x')\n" + data
    )
    plan = case / "migration" / "plan.json"
    _check(
        ["rewrite", "--code", str(code), "--plan", str(plan), "--patch", str(case / "r.patch")], code / name
    )


# -- files read by a scan -----------------------------------------------------------------------------------
def _scan(case: Path, *extra: str) -> list[str]:
    return ["scan", "--emulator", str(case / "world.json"), "--region", "us-east-1", "--out",
            str(case / "scanned"), "--now", NOW, *extra]  # fmt: skip


@SCANS
@given(data=st.data())
def test_a_damaged_world_file(
    base: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    case = _fresh(base, tmp_path_factory.mktemp("world"))
    world = case / "world.json"
    if data.draw(st.booleans()):
        world.write_bytes(data.draw(any_bytes))
    else:
        doc = json.loads(world.read_text(encoding="utf-8"))
        world.write_text(json.dumps(data.draw(damaged(doc, mutations=2))), encoding="utf-8")
    _check(_scan(case), world)


@SCANS
@given(data=any_bytes)
def test_damaged_optouts_and_code(base: Path, tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    case = _fresh(base, tmp_path_factory.mktemp("optouts"))
    optouts = case / "crm.csv"
    optouts.write_bytes(data)
    code = case / "app"
    code.mkdir()
    (code / "send.py").write_bytes(data)
    _check(_scan(case, "--optouts", str(optouts), "--code", str(code)), optouts)


def _put_export(world: Path, body: bytes, app_id: str) -> None:
    with Emulator.load(world, persist=True):
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.put_object(Bucket=BUCKET, Key=f"exports/{app_id}/part-0.gz", Body=body)


@SCANS
@given(data=any_bytes, compress=st.booleans())
def test_a_damaged_endpoint_export(
    base: Path, tmp_path_factory: pytest.TempPathFactory, data: bytes, compress: bool
) -> None:
    case = _fresh(base, tmp_path_factory.mktemp("export"))
    inventory = json.loads((case / "migration" / "inventory.json").read_text(encoding="utf-8"))
    app_id = next(r["app_id"] for r in inventory["records"]["pinpoint_apps"])
    body = gzip.compress(data) if compress else data
    _put_export(case / "world.json", body, app_id)
    source = f"s3://{BUCKET}/exports/"
    result = CliRunner().invoke(cli, _scan(case, "--endpoints-export", source))
    assert "Traceback" not in result.output and not UNEXPECTED.search(result.output), result.output
    assert result.exit_code in (0, 1), result.output
    # a damaged export is the section's error (the rest of the scan goes on), naming the object
    sections = json.loads((case / "scanned" / "inventory.json").read_text(encoding="utf-8"))["sections"]
    failed = [s for s in sections if s["name"] == f"optouts:{app_id}" and s["status"] != "ok"]
    for section in failed:
        assert "part-0.gz" in section["reason"] or "s3://" in section["reason"], section
