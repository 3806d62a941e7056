"""Inventory + overrides → desired v2 state and findings (pure functions; see `rules.map_inventory`)."""

from __future__ import annotations
