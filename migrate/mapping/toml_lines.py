"""Where a key sits in a TOML text, so that an error can name its line (tomllib keeps no positions).

A light scan of the text, not a second parser: table headers (`[a."b c"]`, `[[a]]`) and `key = ` lines
(dotted keys included) are indexed by their full key path; a key inside an inline table maps to the line of
the key holding the table. Multi-line strings and arrays are skipped over by tracking brackets and quotes.
"""

from __future__ import annotations

import re

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _parse_key(text: str, pos: int) -> tuple[list[str], int] | None:
    """Parse a (dotted) key at `pos`; return its parts and the position after it."""
    parts: list[str] = []
    while True:
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if pos >= len(text):
            return None
        if text[pos] in "\"'":
            quote = text[pos]
            end = pos + 1
            value = []
            while end < len(text) and text[end] != quote:
                if quote == '"' and text[end] == "\\" and end + 1 < len(text):
                    value.append(text[end + 1])
                    end += 2
                    continue
                value.append(text[end])
                end += 1
            if end >= len(text):
                return None
            parts.append("".join(value))
            pos = end + 1
        else:
            match = _BARE.match(text, pos)
            if not match:
                return None
            parts.append(match.group())
            pos = match.end()
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if pos < len(text) and text[pos] == ".":
            pos += 1
            continue
        return parts, pos


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map every key path found in `text` to the (1-based) line it is first written on."""
    found: dict[tuple[str, ...], int] = {}
    table: list[str] = []
    depth = 0  # open brackets/braces of a value spanning lines
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if in_multiline in line:
                in_multiline = None
            continue
        stripped = line.strip()
        if depth == 0 and stripped.startswith("["):
            header = stripped[2:] if stripped.startswith("[[") else stripped[1:]
            parsed = _parse_key(header, 0)
            if parsed:
                table = parsed[0]
                for i in range(1, len(table) + 1):
                    found.setdefault(tuple(table[:i]), number)
            continue
        if depth == 0 and stripped and not stripped.startswith("#"):
            parsed = _parse_key(line, 0)
            if parsed and parsed[1] < len(line) and line[parsed[1]] == "=":
                path = table + parsed[0]
                for i in range(len(table) + 1, len(path) + 1):
                    found.setdefault(tuple(path[:i]), number)
                value = line[parsed[1] + 1 :]
                for quote in ('"""', "'''"):
                    if value.count(quote) % 2 == 1:
                        in_multiline = quote
                depth = _balance(value)
                continue
        if depth:
            depth = max(0, depth + _balance(line))
    return found


def _balance(value: str) -> int:
    """Net open brackets in a value, ignoring brackets inside strings and comments."""
    depth = 0
    quote: str | None = None
    for char in value:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth


def line_of(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int:
    """The line of `path`, or of its longest known prefix, or 0 when nothing of it is found."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 0
