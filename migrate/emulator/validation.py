"""Validate requests and responses against botocore's service models.

botocore's client-side validation checks types, required members and minimums only; AWS also enforces
maximum lengths, patterns, enums and ranges. `check_input` does all of them and reports every problem,
the way AWS's `ValidationException` lists `Fields`; `check_output` proves a response fits its shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


@lru_cache(maxsize=2048)
def _compile(pattern: str) -> re.Pattern[str] | None:
    # The models carry Java/ECMA regexes; the few Python cannot compile are skipped, not guessed at.
    try:
        return re.compile(pattern)
    except re.error:
        return None


def check_input(shape: Shape | None, value: Any) -> list[Problem]:
    if shape is None:
        return []
    problems: list[Problem] = []
    _check(shape, value, shape.name, problems, output=False)
    return problems


def check_output(shape: Shape | None, value: Any) -> list[Problem]:
    if shape is None:
        return []
    problems: list[Problem] = []
    _check(shape, value, shape.name, problems, output=True)
    return problems


def _check(shape: Shape, value: Any, path: str, problems: list[Problem], *, output: bool) -> None:
    kind = shape.type_name
    meta = shape.metadata
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            problems.append(Problem(path, f"expected a structure, got {type(value).__name__}"))
            return
        for name in shape.required_members:
            member = shape.members[name]
            # Response members bound to headers or the status code may legitimately be absent.
            if value.get(name) is None and not (output and member.serialization.get("location")):
                problems.append(Problem(f"{path}.{name}", "is required"))
        for name, item in value.items():
            if name == "ResponseMetadata" and output:
                continue
            member = shape.members.get(name)
            if member is None:
                problems.append(Problem(f"{path}.{name}", "is not a member of the shape"))
            elif item is not None:
                _check(member, item, f"{path}.{name}", problems, output=output)
        return
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            problems.append(Problem(path, f"expected a list, got {type(value).__name__}"))
            return
        _check_size(meta, len(value), path, problems, "items")
        for i, item in enumerate(value):
            _check(shape.member, item, f"{path}[{i}]", problems, output=output)
        return
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            problems.append(Problem(path, f"expected a map, got {type(value).__name__}"))
            return
        _check_size(meta, len(value), path, problems, "entries")
        for key, item in value.items():
            _check(shape.key, key, f"{path}<{key}>", problems, output=output)
            _check(shape.value, item, f"{path}[{key}]", problems, output=output)
        return
    if kind == "string":
        if not isinstance(value, str):
            problems.append(Problem(path, f"expected a string, got {type(value).__name__}"))
            return
        _check_size(meta, len(value), path, problems, "characters")
        enum = shape.enum
        if enum and value not in enum:
            problems.append(Problem(path, f"value {value!r} is not one of {', '.join(enum)}"))
        pattern = meta.get("pattern")
        if pattern and not output:
            compiled = _compile(pattern)
            if compiled is not None and not compiled.fullmatch(value):
                problems.append(Problem(path, f"value does not match the pattern {pattern}"))
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem(path, f"expected an integer, got {type(value).__name__}"))
            return
        _check_range(meta, value, path, problems)
        return
    if kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(Problem(path, f"expected a number, got {type(value).__name__}"))
            return
        _check_range(meta, value, path, problems)
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            problems.append(Problem(path, f"expected a boolean, got {type(value).__name__}"))
        return
    if kind == "timestamp":
        import datetime as dt

        if isinstance(value, bool) or not isinstance(value, int | float | dt.datetime):
            problems.append(Problem(path, f"expected a timestamp, got {type(value).__name__}"))
        return
    if kind == "blob":
        if not isinstance(value, bytes | bytearray | str):
            problems.append(Problem(path, f"expected bytes, got {type(value).__name__}"))
        return


def _check_size(meta: dict[str, Any], size: int, path: str, problems: list[Problem], unit: str) -> None:
    low, high = meta.get("min"), meta.get("max")
    if low is not None and size < low:
        problems.append(Problem(path, f"has {size} {unit}, fewer than the minimum {low}"))
    if high is not None and size > high:
        problems.append(Problem(path, f"has {size} {unit}, more than the maximum {high}"))


def _check_range(meta: dict[str, Any], value: float, path: str, problems: list[Problem]) -> None:
    low, high = meta.get("min"), meta.get("max")
    if low is not None and value < low:
        problems.append(Problem(path, f"value {value} is below the minimum {low}"))
    if high is not None and value > high:
        problems.append(Problem(path, f"value {value} is above the maximum {high}"))
