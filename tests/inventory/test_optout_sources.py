"""Opt-outs from the customer's own files (`scan --optouts`) and from SNS, into every tenant's list."""

from __future__ import annotations

import csv
import hashlib
import stat
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner

from migrate.apply.errors import StepError
from migrate.apply.fill import source_file
from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.emulator import demo_spec as spec
from migrate.inventory.run import ScanOptions, run_scan
from migrate.inventory.suppression import SuppressionFileError, read_suppression_file
from migrate.plan.commands import run_plan

CRM = (
    "Customer,Mobile Phone,Phone,country\n"
    "Ada,x,+44 7700 900123,\n"
    "Bob,x,2065550187,US\n"
    'Cy,x,"+1 (206) 555-0187",\n'  # the same person as Bob, written differently
    "Di,x,not a number,\n"
    "Ed,x,,GB\n"
)


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize(
    "text, numbers, rejected",
    [
        (CRM, ["+12065550187", "+447700900123"], 2),
        ("+447700900123\n\n+12065550187\n2065550187\n", ["+12065550187", "+447700900123"], 1),
        ("PHONE_NUMBER\n+12065550187\n", ["+12065550187"], 0),
        ("id;Destination\n1;+12065550187\n2;+12065550187\n", ["+12065550187"], 0),
        ("\ufeffnumber\n+12065550187\r\n", ["+12065550187"], 0),
    ],
)
def test_a_customer_file_is_normalised_and_rejected_as_exports_are(
    tmp_path: Path, text: str, numbers: list[str], rejected: int
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    found, sha = read_suppression_file(source, stem="crm", out_dir=tmp_path / "out")
    assert sha == hashlib.sha256(source.read_bytes()).hexdigest()
    written = tmp_path / "out" / found.file
    rejects = tmp_path / "out" / found.rejects_file
    assert [r[0] for r in _rows(written)[1:]] == numbers
    assert found.rejected == rejected == len(_rows(rejects)) - 1
    assert _rows(rejects)[0] == ["file", "line", "endpoint_id", "raw_value", "country", "reason"]
    # every non-blank value is accounted for: written, a duplicate, or rejected with a reason
    assert found.values == found.normalised + found.rejected
    for path in (written, rejects):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_rejects_say_where_and_why(tmp_path: Path) -> None:
    source = tmp_path / "crm.csv"
    source.write_text(CRM, encoding="utf-8")
    found, _ = read_suppression_file(source, stem="crm", out_dir=tmp_path / "out")
    reasons = {r[1]: r[5] for r in _rows(tmp_path / "out" / found.rejects_file)[1:]}
    assert set(reasons) == {"5", "6"}
    assert "not a phone number" in reasons["5"] or "no leading +" in reasons["5"]
    assert reasons["6"] == "no number in column 'phone'"


@pytest.mark.parametrize("header", ["name,email\n", "Customer;Mobile\n", "msisdn\tcountry\n"])
def test_a_csv_without_a_number_column_is_a_clear_error(tmp_path: Path, header: str) -> None:
    source = tmp_path / "list.csv"
    source.write_text(header + "a,b\n", encoding="utf-8")
    with pytest.raises(SuppressionFileError, match=r"list\.csv: its CSV header has no column named phone"):
        read_suppression_file(source, stem="x", out_dir=tmp_path / "out")
    assert not (tmp_path / "out" / "optouts" / "x.csv").exists()


def test_scan_refuses_a_bad_file_before_reading_anything(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    with Emulator.demo() as emu:
        emu.save(world)
    bad = tmp_path / "crm.csv"
    bad.write_text("name,email\nx,y\n", encoding="utf-8")
    args = ["scan", "--emulator", str(world), "--region", "us-east-1", "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(cli, [*args, "--optouts", str(bad)])
    assert result.exit_code == 1
    assert "crm.csv: its CSV header has no column named phone" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o" / "inventory.json").exists()
    missing = CliRunner().invoke(cli, [*args, "--optouts", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "nope.csv: no such file" in missing.output


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("sources")
    every = root / "crm.csv"
    every.write_text(CRM, encoding="utf-8")
    with Emulator.demo() as emu:
        apps = boto3.client("pinpoint", region_name=spec.REGIONS[0]).get_apps()["ApplicationsResponse"][
            "Item"
        ]
        first = sorted(apps, key=lambda a: a["Name"])[0]
        own = root / "one.txt"
        own.write_text("+12065550142\n", encoding="utf-8")
        sns_numbers = boto3.client("sns", region_name=spec.REGIONS[0]).list_phone_numbers_opted_out()["phoneNumbers"]
        per_region = {  # SNS opt-outs are kept per region (the demo world's differ)
            r: boto3.client("sns", region_name=r).list_phone_numbers_opted_out()["phoneNumbers"] for r in spec.REGIONS
        }
        outcome = run_scan(
            ScanOptions(
                out_dir=root / "out", regions=spec.REGIONS, progress=False,
                optouts=(str(every), f"{first['Id']}={own}"),
            ),
            emulator=emu,
        )  # fmt: skip
    plan = run_plan(outcome.path, None, root / "out" / "plan.json", offline=True)
    return {"root": root, "outcome": outcome, "plan": plan.plan.data, "first": first, "sns": sns_numbers,
            "sns_per_region": per_region}  # fmt: skip


def test_the_scan_records_each_source_with_its_sha256(scanned: dict[str, Any]) -> None:
    inventory = scanned["outcome"].inventory
    files = {Path(f.path).name: f for f in inventory.of("optout_files")}
    assert set(files) == {"crm.csv", "one.txt"}
    assert files["crm.csv"].app_id == "" and files["one.txt"].app_id == scanned["first"]["Id"]
    assert (
        files["crm.csv"].path_sha256 == hashlib.sha256(Path(files["crm.csv"].path).read_bytes()).hexdigest()
    )
    sns = {(s.account, s.region): s for s in inventory.of("sns_opted_out")}
    assert set(sns) == {(spec.ACCOUNT, r) for r in spec.REGIONS}
    written = _rows(scanned["root"] / "out" / sns[(spec.ACCOUNT, spec.REGIONS[0])].file)
    assert sorted(r[0] for r in written[1:]) == sorted(set(scanned["sns"]))
    sections = {s.name: s.status for s in inventory.sections if s.name.startswith(("sns.", "optouts.file"))}
    assert set(sections.values()) == {"ok"} and "sns.opted_out" in sections
    assert inventory.options["optouts"][0].endswith("crm.csv")


def test_every_list_is_fed_by_sns_and_the_files_that_apply_to_it(scanned: dict[str, Any]) -> None:
    plan = scanned["plan"]
    fills = {s["parameters"]["OptOutListName"]: s for s in plan["steps"] if s["kind"] == "fill_opt_out_list"}
    assert fills
    for tenant in plan["tenants"]:
        kinds = {s["source"]: s for s in tenant["optout_sources"]}
        assert kinds["SNS"]["count"] == len(set(scanned["sns_per_region"][tenant["region"]])) > 0
        assert kinds["suppression file"]["items"] == (2 if tenant["app_id"] == scanned["first"]["Id"] else 1)
        fill = fills.get(tenant["opt_out_list"])
        if fill is None:
            continue  # blocked for another reason; its view still says what would feed it
        by_kind = {s["kind"] for s in fill["parameters"]["sources"]}
        assert {"SNS", "suppression file"} <= by_kind
        for source in fill["parameters"]["sources"]:
            assert len(source["sha256"]) == 64
            if source["kind"] == "suppression file":
                assert source["origin_sha256"] and source["origin"].endswith((".csv", ".txt"))
    # no export was read: the tenant with a file of its own is not blocked for it, the others are
    unread = {t["app_id"]: t["optout_unread"] for t in plan["tenants"]}
    assert all(any(u["source"] == "endpoint export" for u in v) for v in unread.values())
    missing = {f["tenant"] for f in plan["findings"] if f["code"] == "OPTOUT_EXPORT_MISSING"}
    first_slug = next(t["slug"] for t in plan["tenants"] if t["app_id"] == scanned["first"]["Id"])
    assert first_slug not in missing and missing


def test_fill_refuses_when_the_customer_file_changed(scanned: dict[str, Any], tmp_path: Path) -> None:
    fill = next(s for s in scanned["plan"]["steps"] if s["kind"] == "fill_opt_out_list")
    source = next(s for s in fill["parameters"]["sources"] if s["kind"] == "suppression file")
    data_dir = scanned["root"] / "out"
    assert source_file(data_dir, source).is_file()
    origin = Path(source["origin"])
    kept = origin.read_bytes()
    try:
        origin.write_bytes(kept + b"Fay,x,+12065550199,\n")
        with pytest.raises(StepError, match="changed since the scan read it"):
            source_file(data_dir, source)
        origin.unlink()
        with pytest.raises(StepError, match="is missing"):
            source_file(data_dir, source)
    finally:
        origin.write_bytes(kept)


def test_plan_show_says_per_tenant_what_fed_its_list(scanned: dict[str, Any]) -> None:
    from migrate.plan.planfile import load_plan
    from migrate.plan.show import render_plan

    text = render_plan(load_plan(scanned["root"] / "out" / "plan.json"))
    block = text.split("Opt-out sources", 1)[1].split("\nPlan:", 1)[0]
    for tenant in scanned["plan"]["tenants"]:
        assert f"  {tenant['slug']} -> list {tenant['opt_out_list']}: " in block
    assert f"SNS {len(set(scanned['sns']))}" in block
    assert "not read: endpoint export: no endpoint export was given to the scan" in block
    assert "+1206" not in block and "+44" not in block  # counts, never recipients


def test_sns_access_denied_is_a_section_and_the_scan_goes_on(tmp_path: Path) -> None:
    with Emulator.demo() as emu:
        emu.faults.fail(
            "sns.ListPhoneNumbersOptedOut", "AuthorizationError", times=1, status=403,
            message="User is not authorized to perform: SNS:ListPhoneNumbersOptedOut",
        )  # fmt: skip
        outcome = run_scan(ScanOptions(out_dir=tmp_path, regions=spec.REGIONS, progress=False), emulator=emu)
    sns = {s.region: s for s in outcome.inventory.sections if s.name == "sns.opted_out"}
    assert sorted(s.status for s in sns.values()) == ["denied", "ok"]
    denied = next(s for s in sns.values() if s.status == "denied")
    assert "not authorized" in denied.reason
    assert {r.region for r in outcome.inventory.of("sns_opted_out")} == set(spec.REGIONS) - {denied.region}
    assert outcome.inventory.of("pinpoint_apps")  # the rest of the scan went on
    plan = run_plan(outcome.path, None, tmp_path / "plan.json", offline=True).plan.data
    for tenant in plan["tenants"]:
        unread = [u for u in tenant["optout_unread"] if u["source"] == "SNS"]
        assert bool(unread) == (tenant["region"] == denied.region)
        if unread:
            assert unread[0]["reason"].startswith("denied: ")
