"""A truncated plain NDJSON endpoint export is an error, as a truncated gzip is (issue 12, case 6)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from migrate.inventory.optouts import ExportError, ExportFile, local_export_files, read_endpoint_export


def _endpoints(count: int) -> bytes:
    lines = [
        json.dumps({"Id": f"e{i}", "ChannelType": "SMS", "OptOut": "ALL", "Address": f"+1206555{i:04d}"})
        for i in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def _read(files: list[ExportFile], out: Path) -> int:
    return read_endpoint_export(files, tenant="t", out_dir=out, source="test").written


@pytest.mark.parametrize("cut", [7, 100, 1003 * 40, -5])
def test_a_plain_export_cut_mid_line_is_refused_and_writes_nothing(tmp_path: Path, cut: int) -> None:
    data = _endpoints(1003)
    body = data[:cut]
    if body.endswith(b"\n"):
        body = body[:-3]
    path = tmp_path / "export.json"
    path.write_bytes(body)
    with pytest.raises(ExportError, match="truncated"):
        _read(local_export_files(path), tmp_path / "out")
    assert not (tmp_path / "out" / "optouts" / "t.csv").exists()


def test_a_last_line_without_newline_that_parses_is_whole(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(_endpoints(10).rstrip(b"\n"))
    assert _read(local_export_files(path), tmp_path / "out") == 10


def test_a_partial_read_is_refused(tmp_path: Path) -> None:
    data = _endpoints(20)
    short = ExportFile("s3://bucket/export.json", lambda: io.BytesIO(data[: len(data) // 2 + 1]), len(data))
    with pytest.raises(ExportError, match=r"truncated|partial read"):
        _read([short], tmp_path / "out")
    cut_at_newline = data[: data.index(b"\n", len(data) // 2) + 1]
    lost = ExportFile("s3://bucket/export.json", lambda: io.BytesIO(cut_at_newline), len(data))
    with pytest.raises(ExportError, match="partial read"):
        _read([lost], tmp_path / "out")
