"""The numbers files of a sharded scan, gathered beside the merged inventory.

A scan writes its opted-out numbers beside `inventory.json` (`optouts/*.csv` and their rejects files: the
endpoint exports, the suppression files, the SNS and `Default` snapshots), and its records name them
relative to that folder with their sha256. The plan copies those names and hashes, and apply and verify read
the files from the plan's folder (or `--data-dir`). The shards of a scan (`scan --shard K/N` on several
machines, or `scan --processes N`) each keep their files in their own folder, so the merge gathers them
into the merged inventory's folder under the same names: the merged folder then holds what one scan's
folder holds, and the plan made from it is the single run's, byte for byte.

Every file is checked against the sha256 its record gives before it is used, copied privately (0600 from
the first byte, under a temporary name, renamed into place) and never read through a symbolic link.
Refused, naming the file: a file a record names that is missing or whose bytes differ from its record, a
name that leaves the folder, and one name that two shards give different contents.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from migrate.inventory.optouts_files import create_private, private_dir, sha256_of, temp_name
from migrate.inventory.snapshot import Inventory, InventoryError

# (field naming the file, field holding its sha256), on every record of a numbers file
FILE_FIELDS = (("file", "sha256"), ("rejects_file", "rejects_sha256"))
_BLOCK = 1 << 20


def numbers_files(inventory: Inventory) -> Iterator[tuple[str, str]]:
    """(file relative to the inventory's folder, its sha256) for every numbers file a record names."""
    for items in inventory.records.values():
        for item in items:
            for name_field, sha_field in FILE_FIELDS:
                name, sha = getattr(item, name_field, ""), getattr(item, sha_field, "")
                if isinstance(name, str) and name and isinstance(sha, str) and sha:
                    yield name, sha


def gather_files(loaded: Sequence[tuple[Path, Inventory]], folder: Path) -> list[Path]:
    """Copy every numbers file the inventories (read from the paths given) name into `folder`, under the
    same relative names; a file already there with the right bytes and mode is kept. Returns the files."""
    wanted: dict[str, tuple[str, Path]] = {}  # relative name -> (sha256, the inventory that names it)
    for path, inventory in loaded:
        for name, sha in numbers_files(inventory):
            _check_name(name, path)
            first = wanted.setdefault(name, (sha, path))
            if first[0] != sha:
                raise InventoryError(
                    f"{path}: names {name} with other contents than {first[1]} does (sha256 differs): shards of "
                    "one scan never write the same file; scan every shard again into its own folder"
                )
    gathered = []
    for name, (sha, path) in sorted(wanted.items()):
        source, target = Path(path).parent / name, Path(folder) / name
        if _same_file(source, target) or _already(target, sha):
            gathered.append(target)
            continue
        private_dir(target.parent)
        _copy_checked(source, target, sha, path)
        gathered.append(target)
    return gathered


def _check_name(name: str, inventory_path: Path) -> None:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name:
        raise InventoryError(f"{inventory_path}: names numbers file {name!r} outside its folder")


def _same_file(source: Path, target: Path) -> bool:
    try:
        return os.path.samefile(source, target)
    except OSError:
        return False


def _already(target: Path, sha: str) -> bool:
    """`target` is a regular file (not a link), private, with the bytes its record names."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(info.st_mode) or stat.S_IMODE(info.st_mode) != 0o600:
        return False
    return sha256_of(target) == sha


def _copy_checked(source: Path, target: Path, sha: str, inventory_path: Path) -> None:
    tmp = temp_name(target)
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InventoryError(
            f"{source}: missing, and {inventory_path} names it: bring each shard's whole scan folder "
            "(inventory.json with its optouts/) to where you plan"
        ) from None
    except OSError as exc:
        raise InventoryError(f"{source}: cannot read the numbers file ({exc.strerror or exc})") from None
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "rb") as reader, create_private(tmp) as writer:
            for block in iter(lambda: reader.read(_BLOCK), b""):
                digest.update(block)
                writer.write(block)
            writer.flush()
            os.fsync(writer.fileno())
        if digest.hexdigest() != sha:
            raise InventoryError(
                f"{source}: not the file {inventory_path} names (sha256 differs from its record): it changed "
                "after the scan; scan that shard again"
            )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
