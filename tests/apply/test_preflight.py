"""Preflight before the first write (issue 12, case 6): a missing or changed opt-outs file found at its
fill step came after other steps had written; apply must refuse before any mutating call."""

from __future__ import annotations

import pytest

from apply.world import Demo, mutating
from migrate.apply.errors import ApplyError


@pytest.mark.parametrize("damage", ["missing", "changed"])
def test_a_missing_or_changed_source_file_is_refused_before_any_write(demo: Demo, damage: str) -> None:
    files = sorted((demo.root / "migration" / "optouts").glob("*.csv"))
    target = next(f for f in files if not f.name.endswith(".rejects.csv"))
    if damage == "missing":
        target.unlink()
    else:
        target.write_text(target.read_text() + "+12065550999\n")
    with demo.emulator() as emu:
        mark = len(emu.calls)
        with pytest.raises(ApplyError, match=target.name):
            demo.apply(emu)
        assert mutating(emu.calls[mark:]) == []
    assert not demo.journal.exists() or "apply-start" not in demo.journal.read_text()
