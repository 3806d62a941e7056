"""One way to write a file (issue 13): atomic, never through a symlink, 0600 where numbers can be,
CSV formula cells escaped in every CSV, the world file owned by one process at a time."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from migrate import fileio
from migrate.apply.errors import LockError
from migrate.apply.journal import Journal
from migrate.cli import cli
from migrate.emulator import Emulator, WorldFileError
from migrate.inventory.optouts_files import RejectWriter

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@given(st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_no_csv_cell_reads_back_as_a_formula(cells: list[str]) -> None:
    text = fileio.csv_text(None, [cells])
    row = next(csv.reader(io.StringIO(text, newline="")))
    for original, cell in zip(cells, row, strict=True):
        if cell.startswith(FORMULA):
            assert fileio._NUMBERISH.match(cell) and cell == original  # +12065550100, -3: data
        else:
            assert cell in (original, "'" + original)


def test_phone_numbers_and_plain_text_stay_as_they_are() -> None:
    assert fileio.safe_cell("+12065550100") == "+12065550100"
    assert fileio.safe_cell("+1206555****") == "+1206555****"
    assert fileio.safe_cell("Acme") == "Acme"
    assert fileio.safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert fileio.safe_cell("+SUM(A1)") == "'+SUM(A1)" and fileio.safe_cell("@cmd") == "'@cmd"


def test_atomic_writes_replace_a_planted_symlink_and_never_touch_its_target(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "out.json"
    link.symlink_to(victim)
    fileio.write_atomic(link, "new", private=True)
    assert victim.read_text() == "precious"
    assert not link.is_symlink() and link.read_text() == "new" and _mode(link) == 0o600


def test_a_private_file_is_never_wider_than_0600_not_even_its_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    real = os.replace

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        seen.append(_mode(Path(src)))
        real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    fileio.write_atomic(tmp_path / "a.csv", "x", private=True)
    fileio.write_csv(tmp_path / "b.csv", ["n"], [["+12065550100"]], private=True)
    assert seen == [0o600, 0o600]


def test_a_symlink_at_the_journal_lock_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    journal = tmp_path / "journal.jsonl"
    journal.with_name("journal.jsonl.lock").symlink_to(victim)
    with pytest.raises(LockError, match="symbolic link"):
        Journal.open(journal)
    assert victim.read_text() == "precious"


def test_a_symlink_at_the_journal_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    journal = tmp_path / "journal.jsonl"
    journal.symlink_to(victim)
    with pytest.raises(Exception, match="symbolic link"), Journal.open(journal) as j:
        j.append("x")
    assert victim.read_text() == "precious"


def test_rejects_csv_escapes_raw_values(tmp_path: Path) -> None:
    writer = RejectWriter(tmp_path / "rejects.csv")
    writer.add("export.json", 3, "=cmd|' /C calc'!A0", "@SUM(1+1)", "", "not a phone number")
    writer.commit()
    rows = list(csv.reader((tmp_path / "rejects.csv").read_text().splitlines(keepends=True)))
    assert (
        rows[1][2].startswith("'=")
        and rows[1][3].startswith("'@")
        and _mode(tmp_path / "rejects.csv") == 0o600
    )


def test_scan_csv_tables_escape_formula_cells_and_are_private(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    with Emulator() as emu:
        boto3.client("pinpoint", region_name="us-east-1").create_app(
            CreateApplicationRequest={"Name": '=HYPERLINK("http://evil","x")'}
        )
        emu.save(world)
    out = tmp_path / "out"
    (out / "csv").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "csv" / "pinpoint_apps.csv").symlink_to(victim)
    args = ["scan", "--emulator", str(world), "--region", "us-east-1", "--format", "csv", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious"
    apps = out / "csv" / "pinpoint_apps.csv"
    assert not apps.is_symlink() and _mode(apps) == 0o600
    names = [row["name"] for row in csv.DictReader(apps.read_text().splitlines(keepends=True))]
    assert names == ['\'=HYPERLINK("http://evil","x")']


def test_the_world_log_is_private(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    with Emulator() as emu:
        emu.save(world)
    with Emulator.load(world, persist=True):
        sms = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1")
        sms.create_opt_out_list(OptOutListName="l")
        sms.put_opted_out_number(OptOutListName="l", OptedOutNumber="+12065550100")
        log = world.with_name("world.json.log")
        assert log.exists() and _mode(log) == 0o600
    assert _mode(world) == 0o600


def test_a_second_process_cannot_own_a_world_file_another_one_owns(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    with Emulator() as emu:
        emu.save(world)
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom migrate.emulator import Emulator\n"
         f"emu = Emulator.load({str(world)!r}, persist=True)\nprint('ready', flush=True)\nsys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        with pytest.raises(WorldFileError, match=rf"{world.name} is in use by pid {child.pid}"):
            Emulator.load(world, persist=True)
        Emulator.load(world)  # reading it is fine
        result = CliRunner().invoke(cli, ["scan", "--emulator", str(world), "--region", "us-east-1",
                                          "--out", str(tmp_path / "o")])  # fmt: skip
        assert result.exit_code == 1 and "is in use by" in result.output and "Traceback" not in result.output
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=60)
    with Emulator.load(world, persist=True):  # the owner has gone: free again
        pass
