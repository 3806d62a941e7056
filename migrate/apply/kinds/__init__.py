"""One class per plan step kind, registered in `KINDS` (a test walks `STEP_KINDS` and fails on a gap)."""

from __future__ import annotations

from migrate.apply.kinds import configsets, lists, numbers, pools, refill
from migrate.apply.kinds.base import KINDS, Check, Kind, StepRun, Undone, UndoRun

__all__ = [
    "KINDS",
    "Check",
    "Kind",
    "StepRun",
    "UndoRun",
    "Undone",
    "configsets",
    "lists",
    "numbers",
    "pools",
    "refill",
]
