"""A small Markdown reader for runbooks: text in, blocks and spans (plain data) out, never HTML.

Runbooks are Markdown written by people; the report embeds them. Rather than turning Markdown into HTML
here (and trusting whatever HTML a runbook holds), this reads the few constructs runbooks use — headings,
paragraphs, bullet and numbered lists, fenced code, inline code, bold, emphasis and links — into data that
the autoescaping template renders. Raw HTML in a runbook therefore shows as text. Links keep only
`https:`, `http:` and `mailto:` targets; anything else (`javascript:`, `data:`) is shown as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SAFE_SCHEMES = ("https://", "http://", "mailto:")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s{0,3}\d{1,3}[.)]\s+(.*)$")
_CONTINUATION = re.compile(r"^\s{2,}(\S.*)$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)\s*([\w+-]*)\s*$")
# Inline constructs, tried left to right: code first, so `**` inside code stays literal.
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|\*\*(?P<strong>[^*]+)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s][^*]*)\*(?![\w*])"
    r"|(?P<url>https://[^\s)<>]+[^\s)<>.,;:])"
)


@dataclass(frozen=True)
class Span:
    kind: str  # text | code | strong | em | link
    text: str
    href: str = ""


@dataclass(frozen=True)
class Block:
    kind: str  # heading | paragraph | bullets | numbers | code
    level: int = 0
    spans: tuple[Span, ...] = ()
    items: tuple[tuple[Span, ...], ...] = ()
    text: str = ""  # code blocks: the literal text
    language: str = ""


def parse_inline(text: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            spans.append(Span("text", text[position : match.start()]))
        position = match.end()
        if match.group("code") is not None:
            spans.append(Span("code", match.group("code")))
        elif match.group("label") is not None:
            href = match.group("href")
            if href.lower().startswith(SAFE_SCHEMES):
                spans.append(Span("link", match.group("label"), href))
            else:
                spans.append(Span("text", match.group(0)))
        elif match.group("strong") is not None:
            spans.append(Span("strong", match.group("strong")))
        elif match.group("em") is not None:
            spans.append(Span("em", match.group("em")))
        else:
            spans.append(Span("link", match.group("url"), match.group("url")))
    if position < len(text):
        spans.append(Span("text", text[position:]))
    return _merge_text(spans)


def _merge_text(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in spans:
        if merged and span.kind == "text" and merged[-1].kind == "text":
            merged[-1] = Span("text", merged[-1].text + span.text)
        else:
            merged.append(span)
    return tuple(merged)


def parse(markdown: str, *, heading_offset: int = 0) -> tuple[Block, ...]:
    """Blocks of `markdown`; `heading_offset` pushes heading levels down so they nest in the page (max 6)."""
    blocks: list[Block] = []
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", spans=parse_inline(" ".join(s.strip() for s in paragraph))))
            paragraph.clear()

    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence:
            flush()
            body, index = _read_fence(lines, index + 1, fence.group(1))
            blocks.append(Block("code", text=body, language=fence.group(2)))
            continue
        heading = _HEADING.match(line)
        list_kind = "bullets" if _BULLET.match(line) else "numbers" if _NUMBERED.match(line) else ""
        if not line.strip():
            flush()
        elif heading:
            flush()
            level = min(6, len(heading.group(1)) + heading_offset)
            blocks.append(Block("heading", level=level, spans=parse_inline(heading.group(2))))
        elif list_kind:
            flush()
            items, index = _read_list(lines, index, list_kind)
            blocks.append(Block(list_kind, items=items))
            continue
        else:
            paragraph.append(line)
        index += 1
    flush()
    return tuple(blocks)


def _read_fence(lines: list[str], index: int, marker: str) -> tuple[str, int]:
    body: list[str] = []
    while index < len(lines) and not lines[index].strip().startswith(marker):
        body.append(lines[index])
        index += 1
    return "\n".join(body), index + 1


def _read_list(lines: list[str], index: int, kind: str) -> tuple[tuple[tuple[Span, ...], ...], int]:
    pattern = _BULLET if kind == "bullets" else _NUMBERED
    items: list[list[str]] = []
    while index < len(lines):
        line = lines[index]
        item = pattern.match(line)
        if item:
            items.append([item.group(1)])
        elif items and _CONTINUATION.match(line) and not _FENCE.match(line):
            # An indented line continues the item above (nested lists are read as continued text).
            nested = _BULLET.match(line) or _NUMBERED.match(line)
            items[-1].append(nested.group(1) if nested else line.strip())
        else:
            break
        index += 1
    return tuple(parse_inline(" ".join(part.strip() for part in parts)) for parts in items), index


def plain_text(blocks: tuple[Block, ...]) -> str:
    """The runbook as plain text (for CSV cells and search)."""
    out: list[str] = []
    for block in blocks:
        if block.kind == "code":
            out.append(block.text)
        elif block.kind in ("bullets", "numbers"):
            out.extend("- " + "".join(s.text for s in item) for item in block.items)
        else:
            out.append("".join(s.text for s in block.spans))
    return "\n".join(out)
