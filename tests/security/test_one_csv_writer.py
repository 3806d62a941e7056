"""One CSV writer for every CSV (issue 13): formula cells escaped and numbers' files 0600 whatever writes
them: `scan --format csv`, the opt-out files and their rejects, the report's tables, the demo's CRM export."""

from __future__ import annotations

import csv
import re
import stat
from pathlib import Path

import boto3
from click.testing import CliRunner

from migrate import fileio
from migrate.cli import cli
from migrate.emulator import Emulator

ROOT = Path(__file__).resolve().parents[2]
FORMULAS = ('=HYPERLINK("http://evil","x")', "+SUM(A1)", "-2+3", "@cmd|' /C calc'!A0")
# a CSV written any other way than through migrate/fileio.py (pandas, the csv module's writers)
OTHER_WRITERS = re.compile(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_no_module_writes_csv_except_through_fileio() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "migrate").rglob("*.py"))
        if path.name != "fileio.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OTHER_WRITERS.search(line)
    ]
    assert offenders == []


def test_the_streaming_writer_escapes_is_private_from_the_first_byte_and_leaves_nothing_on_failure(
    tmp_path: Path,
) -> None:
    target = tmp_path / "numbers.csv"
    out = fileio.CsvFile(target, ("phone", "note"), private=True)
    temporaries = [p for p in tmp_path.iterdir() if p != target]
    assert [_mode(p) for p in temporaries] == [0o600] and not target.exists()  # nothing visible yet
    for cell in FORMULAS:
        out.row(("+12065550100", cell))
    out.commit()
    rows = list(csv.reader(target.read_text(encoding="utf-8").splitlines(keepends=True)))
    assert [r[1] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    assert {r[0] for r in rows[1:]} == {"+12065550100"} and _mode(target) == 0o600
    try:
        with fileio.CsvFile(tmp_path / "broken.csv", ("a",)) as broken:
            broken.row(("x",))
            raise RuntimeError("killed mid-write")
    except RuntimeError:
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["numbers.csv"]


def _world(tmp_path: Path) -> Path:
    world = tmp_path / "world.json"
    with Emulator() as emu:
        pinpoint = boto3.client("pinpoint", region_name="us-east-1")
        for name in FORMULAS:
            app = pinpoint.create_app(CreateApplicationRequest={"Name": name})["ApplicationResponse"]["Id"]
            pinpoint.update_sms_channel(ApplicationId=app, SMSChannelRequest={"Enabled": True})
        emu.save(world)
    return world


def test_every_csv_the_cli_writes_escapes_formula_cells(tmp_path: Path) -> None:
    world = _world(tmp_path)
    optouts = tmp_path / "crm.csv"
    optouts.write_text("phone\n+12065550100\n=cmd|' /C calc'!A0\n@SUM(1+1)\n", encoding="utf-8")
    out = tmp_path / "migration"
    runner = CliRunner()
    scan = ["scan", "--emulator", str(world), "--region", "us-east-1", "--format", "csv", "--out", str(out)]
    result = runner.invoke(cli, [*scan, "--optouts", str(optouts)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli, ["plan", "--offline", "--inventory", str(out / "inventory.json"), "--out", str(out)]
    )
    assert result.exit_code in (0, 2), result.output
    reports = tmp_path / "reports"
    result = runner.invoke(
        cli, ["report", "--inventory", str(out / "inventory.json"), "--plan", str(out / "plan.json"),
              "--out", str(reports)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = sorted([*out.rglob("*.csv"), *reports.rglob("*.csv")])
    kinds = {p.parent.name if p.parent.name in ("csv", "optouts") else "report" for p in written}
    assert kinds == {"csv", "optouts", "report"}, written
    seen_formula_text = False
    for path in written:
        for row in csv.reader(path.read_text(encoding="utf-8").splitlines(keepends=True)):
            for cell in row:
                if cell.startswith(("=", "+", "-", "@")):
                    assert fileio._NUMBERISH.match(cell), f"{path.name}: {cell!r}"
                seen_formula_text |= cell.startswith("'=") or cell.startswith("'@")
    assert seen_formula_text  # the names and raw values are there, escaped
    rejects = next(p for p in written if p.name.endswith(".rejects.csv") and "crm" in p.name)
    raw = [r["raw_value"] for r in csv.DictReader(rejects.read_text(encoding="utf-8").splitlines(True))]
    assert sorted(raw) == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)"]


def test_every_csv_that_can_hold_a_number_is_0600(tmp_path: Path) -> None:
    world = _world(tmp_path)
    optouts = tmp_path / "crm.csv"
    optouts.write_text("phone\n+12065550100\nnot a number\n", encoding="utf-8")
    out = tmp_path / "migration"
    scan = ["scan", "--emulator", str(world), "--region", "us-east-1", "--format", "csv", "--out", str(out)]
    assert CliRunner().invoke(cli, [*scan, "--optouts", str(optouts)]).exit_code == 0
    files = [*out.rglob("*.csv"), out / "inventory.json"]
    assert files and {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert not [p for p in out.rglob("*.tmp")]  # no temporary file left behind


def test_the_scan_journal_is_private_even_over_an_older_wider_file_or_a_link(tmp_path: Path) -> None:
    from migrate.inventory.resume import Journal

    path = tmp_path / "scan.journal.jsonl"
    path.write_text("old\n")
    path.chmod(0o644)  # a truncating open would have kept this mode
    journal = Journal(path, "print", "2026-11-27T09:00:00Z", fresh=True)
    journal.close(remove=False)
    assert _mode(path) == 0o600 and path.read_text().startswith('{"fingerprint"')
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "linked.jsonl"
    link.symlink_to(victim)
    Journal(link, "print", "2026-11-27T09:00:00Z", fresh=True).close(remove=False)
    assert victim.read_text() == "precious" and not link.is_symlink() and _mode(link) == 0o600
