"""Text from AWS (project names, tags, messages) made safe for where it is printed.

Anyone who can name a Pinpoint project controls that text. In a terminal, an escape sequence (ESC, CSI,
OSC: `\\x1b]8;;...` hyperlinks, title changes, cursor moves that hide lines) must print as visible text,
never act. In Markdown (the IaC README, rendered by GitHub and other viewers), HTML (`<script>`), links
(`[x](javascript:...)`, `<javascript:...>`) and emphasis must print as the characters they are.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the bidirectional
# overrides that make text read differently from what it is (Trojan Source, CVE-2021-42574).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()|~])")  # inline specials (block markers only act at a line's start)


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group(0)):02x}" if ord(match.group(0)) < 0x100 else f"\\u{ord(match.group(0)):04x}"


def terminal_text(text: str) -> str:
    """`text` with every control character shown as `\\xNN` (newlines and tabs kept)."""
    return _CONTROL.sub(_visible, text)


def terminal_line(text: str) -> str:
    """One line: newlines shown too (a name cannot start a fake line of output)."""
    return terminal_text(text).replace("\n", "\\n").replace("\r", "\\r")


def markdown_text(text: str) -> str:
    """Plain text inside a Markdown paragraph or table cell: no HTML, no link, no emphasis, one line."""
    one_line = terminal_line(text)
    escaped = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # with `[`, `]`, `(`, `)` and `<` escaped no link can form (`javascript:` is no GFM autolink scheme)
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def markdown_sentence(text: str) -> str:
    """A sentence the tool wrote around text from AWS: its own `code` and **emphasis** kept, but no HTML
    and no link can form (`& < > [ ]` and the table bar escaped), on one line."""
    one_line = terminal_line(text)
    escaped = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\\[\]|])", r"\\\1", escaped)


def markdown_code(text: str) -> str:
    """A Markdown code span holding `text` as is (HTML inside a code span is never interpreted)."""
    one_line = terminal_line(text)
    longest = max((len(run) for run in re.findall(r"`+", one_line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest or one_line.startswith(" ") else ""
    return f"{fence}{pad}{one_line}{pad}{fence}"
