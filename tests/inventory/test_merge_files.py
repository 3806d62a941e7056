"""Merging shards gathers the numbers files their records name; every bad case is one clear error."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest

from migrate import __version__
from migrate.aws.sessions import SessionOptions
from migrate.inventory.merge import merge_into
from migrate.inventory.records import SnsOptedOut
from migrate.inventory.run import ScanOptions, run_scan
from migrate.inventory.snapshot import AccountInfo, Inventory, InventoryError


def _shard(folder: Path, k: int, n: int, account: str, numbers: bytes, name: str | None = None) -> Path:
    """An inventory of shard k/n in `folder` whose SNS record names its numbers file (written 0600)."""
    file = name or f"optouts/sns-{account}-us-east-1.csv"
    rejects = file.replace(".csv", ".rejects.csv")
    for relative, data in ((file, numbers), (rejects, b"file,line\n")):
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        target.chmod(0o600)
    inventory = Inventory(
        tool_version=__version__, scanned_at="2026-12-01T00:00:00Z", options={"shard": f"{k}/{n}"}
    )
    inventory.accounts.append(AccountInfo(account, f"role:{account}"))
    inventory.add(
        SnsOptedOut(account, "us-east-1", file, rejects, hashlib.sha256(numbers).hexdigest(),
                    hashlib.sha256(b"file,line\n").hexdigest(), 1, 1, 0, 0)
    )  # fmt: skip
    return inventory.write(folder / "inventory.json")


def test_files_are_gathered_private_and_a_second_merge_keeps_them(tmp_path: Path) -> None:
    a = _shard(tmp_path / "a", 1, 2, "111111111111", b"phone\n+12065550100\n")
    b = _shard(tmp_path / "b", 2, 2, "222222222222", b"phone\n+12065550101\n")
    target = tmp_path / "merged" / "inventory.json"
    _merged, files = merge_into([b, a], target)
    assert sorted(p.name for p in files) == [
        "sns-111111111111-us-east-1.csv",
        "sns-111111111111-us-east-1.rejects.csv",
        "sns-222222222222-us-east-1.csv",
        "sns-222222222222-us-east-1.rejects.csv",
    ]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert stat.S_IMODE((tmp_path / "merged" / "optouts").stat().st_mode) == 0o700
    before = {p: p.stat().st_ino for p in files}
    merge_into([a, b], target)  # already there, same bytes: kept, not rewritten
    assert {p: p.stat().st_ino for p in files} == before


def test_a_file_left_behind_or_changed_is_refused_naming_it(tmp_path: Path) -> None:
    a = _shard(tmp_path / "a", 1, 2, "111111111111", b"phone\n+12065550100\n")
    b = _shard(tmp_path / "b", 2, 2, "222222222222", b"phone\n+12065550101\n")
    lost = tmp_path / "b" / "optouts" / "sns-222222222222-us-east-1.csv"
    lost.unlink()
    with pytest.raises(InventoryError, match=re.escape(f"{lost}: missing, and {b} names it")):
        merge_into([a, b], tmp_path / "m1" / "inventory.json")
    assert not (tmp_path / "m1" / "inventory.json").exists()  # no inventory naming a file that is not there
    lost.write_bytes(b"phone\n+12065550199\n")
    with pytest.raises(InventoryError, match="sha256 differs"):
        merge_into([a, b], tmp_path / "m2" / "inventory.json")
    assert not list((tmp_path / "m2" / "optouts").glob("*222222222222*"))  # nothing half copied


def test_a_link_or_a_name_outside_the_folder_is_refused(tmp_path: Path) -> None:
    a = _shard(tmp_path / "a", 1, 2, "111111111111", b"phone\n+12065550100\n")
    b = _shard(tmp_path / "b", 2, 2, "222222222222", b"x\n", name="../outside.csv")
    with pytest.raises(InventoryError, match="outside its folder"):
        merge_into([a, b], tmp_path / "m" / "inventory.json")
    c = _shard(tmp_path / "c", 2, 2, "222222222222", b"phone\n+12065550101\n")
    real = tmp_path / "c" / "optouts" / "sns-222222222222-us-east-1.csv"
    real.rename(tmp_path / "elsewhere.csv")
    os.symlink(tmp_path / "elsewhere.csv", real)
    with pytest.raises(InventoryError, match="cannot read the numbers file"):
        merge_into([a, c], tmp_path / "m" / "inventory.json")


def test_two_shards_naming_one_file_with_other_bytes_are_refused(tmp_path: Path) -> None:
    a = _shard(tmp_path / "a", 1, 2, "111111111111", b"phone\n+12065550100\n", name="optouts/same.csv")
    b = _shard(tmp_path / "b", 2, 2, "222222222222", b"phone\n+12065550101\n", name="optouts/same.csv")
    with pytest.raises(InventoryError, match=re.escape("optouts/same.csv with other contents")):
        merge_into([a, b], tmp_path / "m" / "inventory.json")


def test_a_profile_no_shard_reaches_is_one_failure_in_the_merge(
    emu: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile prod]\naws_access_key_id = AKIAPROD0000000000\naws_secret_access_key = s1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    emu.register_access_key("AKIAPROD0000000000", "111111111111")
    sessions = SessionOptions(profiles=("prod", "missing"))
    options = ScanOptions(
        regions=("us-east-1",), now="2026-12-01T00:00:00Z", progress=False, sessions=sessions
    )
    one = run_scan(dataclasses.replace(options, out_dir=tmp_path / "one"), emulator=emu).path
    shards = [
        run_scan(
            dataclasses.replace(
                options, out_dir=tmp_path / f"s{k}", sessions=dataclasses.replace(sessions, shard=(k, 3))
            ),
            emulator=emu,
        ).path
        for k in (1, 2, 3)
    ]
    merged, _files = merge_into(shards, tmp_path / "merged" / "inventory.json")
    assert [s.name for s in merged.sections if s.name.startswith("session:")] == ["session:profile:missing"]
    assert (tmp_path / "merged" / "inventory.json").read_bytes() == one.read_bytes()
