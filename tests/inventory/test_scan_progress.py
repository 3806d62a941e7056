"""The scan's progress (issue 13): the total is fixed before the first section runs (an honest ETA), the
count reaches it exactly, and the line is cleared when done so later lines start clean."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import boto3
import pytest

from migrate import progress as progress_module
from migrate.emulator import Emulator
from migrate.inventory import run as run_module
from migrate.inventory.run import ScanOptions, run_scan


class _Recording(progress_module.Progress):
    made: list[_Recording] = []

    def __init__(self, label: str, total: int = 0, **kwargs: Any) -> None:
        kwargs["stream"] = io.StringIO()
        kwargs["enabled"] = True
        super().__init__(label, total, **kwargs)
        self.seen: list[tuple[int, int]] = []
        _Recording.made.append(self)

    def _draw(self, force: bool = False) -> None:
        self.seen.append((self.done, self.total))
        super()._draw(force=True)


@pytest.mark.parametrize("projects", [0, 3])
def test_the_scan_total_is_fixed_before_it_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, projects: int) -> None:
    monkeypatch.setattr(run_module, "Progress", _Recording)
    _Recording.made = []
    with Emulator() as emu:
        emu.quotas.request_enforced = False
        pinpoint = boto3.client("pinpoint", region_name="us-east-1")
        for n in range(projects):
            pinpoint.create_app(CreateApplicationRequest={"Name": f"p{n}"})
        run_scan(ScanOptions(out_dir=tmp_path, regions=("us-east-1", "eu-west-1"), progress=True), emulator=emu)
    scan = next(p for p in _Recording.made if p.label == "scan")
    totals = {total for _done, total in scan.seen}
    assert len(totals) == 1 and scan.seen[0][0] == 0  # fixed before the first section finished
    assert scan.done == scan.total == totals.pop()
    out = scan._stream.getvalue()  # type: ignore[attr-defined]
    assert out.endswith("\r\x1b[2K")  # cleared at the end, not left for other lines to run into
