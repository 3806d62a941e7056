"""Runbook text for the report: `runbooks/<CODE>.md`, read once per code and parsed into safe blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from migrate.report.markdown import Block, Span, parse, parse_inline
from migrate.resources import data_dir, runbook_pointer

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,80}$")
# A runbook's `#` is its title (shown in the summary line); its `##` sections become h5, under the
# checklist's h2 (section), h3 (how) and h4 (code).
HEADING_OFFSET = 3


@dataclass(frozen=True)
class Runbook:
    code: str
    path: str  # how to print it wherever installed: `pinpoint-migrate runbook CODE`
    title: tuple[Span, ...]
    blocks: tuple[Block, ...]


def load_runbook(code: str, folder: Path | None = None) -> Runbook | None:
    """The runbook of a finding code, or None when there is none (the report then says so)."""
    if not _CODE.match(code):
        return None  # never turn a code into an arbitrary path
    return _load(code, str(folder or data_dir("runbooks")))


@lru_cache(maxsize=256)
def _load(code: str, folder: str) -> Runbook | None:
    path = Path(folder) / f"{code}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, UnicodeDecodeError):
        return None
    blocks = parse(text, heading_offset=HEADING_OFFSET)
    title: tuple[Span, ...] = (Span("text", code),)
    if blocks and blocks[0].kind == "heading":
        # The first heading is the runbook's title; the checklist shows it in the group's summary line.
        title, blocks = blocks[0].spans, blocks[1:]
    elif not blocks:
        title = parse_inline(code)
    return Runbook(code=code, path=runbook_pointer(code), title=title, blocks=blocks)


def clear_cache() -> None:
    _load.cache_clear()
