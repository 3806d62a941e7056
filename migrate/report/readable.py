"""Plan values as people read them: names and counts, not Python reprs.

`[{'OptOutListName': 'Default', 'count': 10}]` reads `Default (10)`; `{'$step': '<id>', 'field': 'PoolId'}`
(a value another step makes) reads `PoolId made by step 12 (create pool pinpoint-acme)`; true reads yes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

LIMIT = 160
COUNT_KEYS = ("count", "Count")
STEP_REF = "$step"
NAME_KEYS = ("file", "OptOutListName", "name", "app_id")
_HEX = frozenset("0123456789abcdef")

StepLabel = Callable[[str], str]


def step_label(step_id: str, kind: str = "") -> str:
    """`<account>/<region>/create_pool/pinpoint-acme` → `create pool pinpoint-acme`."""
    parts = step_id.split("/")
    words = (kind or (parts[2] if len(parts) > 2 else step_id)).replace("_", " ")
    rest = "/".join(parts[3:]) if len(parts) > 3 else ""
    return f"{words} {rest}".strip()


def readable(value: Any, steps: StepLabel = step_label) -> str:
    text = _readable(value, steps)
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def _readable(value: Any, steps: StepLabel) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, str):
        return value[:12] + "…" if len(value) == 64 and set(value) <= _HEX else value  # a sha256
    if isinstance(value, Mapping):
        return _mapping(value, steps)
    if isinstance(value, list | tuple):
        if not value:
            return "none"
        return ", ".join(_readable(item, steps) for item in value)
    return str(value)


def _mapping(value: Mapping[str, Any], steps: StepLabel) -> str:
    if STEP_REF in value:
        field = value.get("field", "")
        return f"{field + ' ' if field else ''}made by step {steps(str(value[STEP_REF]))}"
    count = next((value[k] for k in COUNT_KEYS if k in value), None)
    name_key = next((k for k in NAME_KEYS if k in value), None) or next(
        (k for k in value if k.endswith(("Name", "name", "Arn", "Id"))), None
    )
    if count is not None and name_key is not None:
        others = [k for k in value if k not in (name_key, *COUNT_KEYS)]
        extra = "".join(f", {key_text(k)} {_readable(value[k], steps)}" for k in others)
        return f"{_readable(value[name_key], steps)} ({_readable(count, steps)}{extra})"
    if len(value) == 1:
        ((key, inner),) = value.items()
        return f"{key_text(key)} {_readable(inner, steps)}"
    return "; ".join(f"{key_text(k)}: {_readable(v, steps)}" for k, v in value.items())


def key_text(key: str) -> str:
    """AWS names (`DeliveryStreamArn`) stay as AWS writes them; the plan's own (`expected_minimum`) read
    as words."""
    return key.replace("_", " ") if "_" in key or key.islower() else key
