"""A small, deterministic HCL writer: blocks, attributes, strings, lists, maps and raw expressions.

Strings are escaped so that nothing in them is read as HCL (`\\`, `"`, control characters, and the
template sequences `${` and `%{`, which HCL would interpolate). Consecutive one-line attributes have their
`=` aligned as `terraform fmt` aligns them, so the output needs no formatting pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class Expr:
    """A raw HCL expression, written as it is (a reference such as `aws_x.y.arn`, `var.z`)."""

    text: str


@dataclass
class Block:
    type: str
    labels: tuple[str, ...] = ()
    body: list[tuple[str, Any] | Block] = field(default_factory=list)

    def set(self, name: str, value: Any) -> Block:
        self.body.append((name, value))
        return self

    def add(self, block: Block) -> Block:
        self.body.append(block)
        return block


def quote(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    escaped = "".join(out).replace("${", "$${").replace("%{", "%%{")
    return f'"{escaped}"'


def _key(name: str) -> str:
    return name if _IDENTIFIER.match(name) else quote(name)


def value(item: Any, indent: int = 0) -> str:
    pad = "  " * (indent + 1)
    if isinstance(item, Expr):
        return item.text
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float):
        return repr(item)
    if isinstance(item, str):
        return quote(item)
    if isinstance(item, list | tuple):
        if not item:
            return "[]"
        if all(not isinstance(v, list | tuple | dict) for v in item) and len(item) <= 3:
            inline = "[" + ", ".join(value(v, indent) for v in item) + "]"
            if len(inline) <= 80:
                return inline
        lines = [f"{pad}{value(v, indent + 1)}," for v in item]
        return "[\n" + "\n".join(lines) + "\n" + "  " * indent + "]"
    if isinstance(item, dict):
        if not item:
            return "{}"
        width = max(len(_key(k)) for k in item)
        lines = [f"{pad}{_key(k).ljust(width)} = {value(v, indent + 1)}" for k, v in item.items()]
        return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"
    raise TypeError(f"cannot write {type(item).__name__} as HCL")


def block(item: Block, indent: int = 0) -> str:
    pad = "  " * indent
    head = " ".join([item.type, *(quote(label) for label in item.labels)])
    if not item.body:
        return f"{pad}{head} {{}}"
    lines = [f"{pad}{head} {{"]
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(n) for n, v in run if "\n" not in v), default=0)
        for name, text in run:
            lines.append(f"{pad}  {name.ljust(width) if chr(10) not in text else name} = {text}")
        run.clear()

    previous_block = False
    for entry in item.body:
        if isinstance(entry, Block):
            flush()
            if len(lines) > 1:
                lines.append("")
            lines.append(block(entry, indent + 1))
            previous_block = True
            continue
        if previous_block:
            lines.append("")
            previous_block = False
        name, raw = entry
        text = value(raw, indent + 1)
        if "\n" in text:
            flush()
            run.append((_key(name), text))
            flush()
        else:
            run.append((_key(name), text))
    flush()
    lines.append(f"{pad}}}")
    return "\n".join(lines)


def document(blocks: list[Block], header: str = "") -> str:
    parts = [header.rstrip("\n")] if header else []
    parts.extend(block(b) for b in blocks)
    return "\n\n".join(parts) + "\n"
