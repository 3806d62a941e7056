"""Desired vs live v2 state → `plan.json` (diff, steps, plan file, summary, IAM policy)."""

from __future__ import annotations
