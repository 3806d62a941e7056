"""overrides.toml: any text gives `Overrides` or an `OverridesError` naming the file (and line and key).

Three sources: random bytes (through `load_overrides`, as a file), random text, and well-formed TOML
documents shaped like an overrides file whose keys and values are drawn at random (written by a small
TOML writer below: tomllib only reads), so the validators behind the TOML parser are reached.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from migrate.mapping.overrides import Overrides, OverridesError, load_overrides, parse_overrides
from reliability.strategies import RELIABLE, any_bytes

EXAMPLE = """\
prefix = "pm"
deletion_protection = false
include = ["Acme Clinics"]
[tags]
cost-center = "messaging"
[tenants."Acme Clinics"]
slug = "acme"
strategy = "shared:clinics"
identities = ["+12065550199", "ACME/GB"]
event_destination = "arn:aws:firehose:us-east-1:111122223333:deliverystream/acme"
event_role = "arn:aws:iam::111122223333:role/acme-events"
tags = { tier = "gold" }
[numbers."+12065550100"]
owner = "Acme Clinics"
[v1_configuration_sets.legacy-ivr]
event_role = "arn:aws:iam::111122223333:role/voice-events-v2"
"""

# Values that pass some validators and not others.
_TEXTS = st.one_of(
    st.text(max_size=24),
    st.sampled_from(
        [
            "acme", "shared:clinics", "dedicated", "+12065550199", "ACME/GB", "12345", "", "aws:x",
            "arn:aws:firehose:us-east-1:111122223333:deliverystream/acme",
            "arn:aws:iam::111122223333:role/acme-events", "x" * 600, "tab\there",
        ]
    ),
)  # fmt: skip
_SCALARS = st.one_of(
    _TEXTS, st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXTS, inner, max_size=3)),
    max_leaves=8,
)
_TENANT_KEYS = st.sampled_from(
    ["name", "slug", "strategy", "identities", "event_destination", "event_role", "deletion_protection",
     "tags", "unknown"]
)  # fmt: skip
_TOP_KEYS = st.sampled_from(["prefix", "deletion_protection", "include", "exclude", "tags", "other"])


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def _toml(doc: dict[str, Any]) -> str:
    """Top-level scalars first, then one `[a."b"]` table per nested table (TOML's own order rule)."""
    lines = [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in doc.items() if not isinstance(v, dict)]
    for name, table in doc.items():
        if not isinstance(table, dict):
            continue
        if name in ("tenants", "numbers", "v1_configuration_sets") and all(
            isinstance(v, dict) for v in table.values()
        ):
            for key, inner in table.items():
                lines.append(f"[{json.dumps(name)}.{json.dumps(key)}]")
                lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in inner.items()]
        else:
            lines.append(f"{json.dumps(name)} = {_toml_value(table)}")
    return "\n".join(lines) + "\n"


def _flatten_top(doc: dict[str, Any]) -> dict[str, Any]:
    top: dict[str, Any] = doc.pop("top", {})
    return {**top, **doc}


overrides_docs = st.fixed_dictionaries(
    {},
    optional={
        "top": st.dictionaries(_TOP_KEYS, _VALUES, max_size=3),
        "tenants": st.dictionaries(_TEXTS, st.dictionaries(_TENANT_KEYS, _VALUES, max_size=4), max_size=2),
        "numbers": st.dictionaries(
            _TEXTS, st.dictionaries(st.sampled_from(["owner", "x"]), _VALUES, max_size=2), max_size=2
        ),
        "v1_configuration_sets": st.dictionaries(
            _TEXTS, st.dictionaries(st.sampled_from(["event_role", "x"]), _VALUES, max_size=2), max_size=2
        ),
    },
).map(_flatten_top)


def _result_or_error(text: str) -> None:
    try:
        found = parse_overrides(text, "overrides.toml")
    except OverridesError as exc:
        assert str(exc).startswith("overrides.toml")
        assert exc.line >= 0
        return
    assert isinstance(found, Overrides)


def test_the_documented_example_parses() -> None:
    found = parse_overrides(EXAMPLE)
    assert found.prefix == "pm" and found.tenants[0].strategy == "shared:clinics"


@RELIABLE
@given(data=any_bytes)
def test_any_file(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("overrides")) / "overrides.toml"
    path.write_bytes(data)
    try:
        load_overrides(path)
    except OverridesError as exc:
        assert str(exc).startswith(str(path))


@RELIABLE
@given(text=st.text(max_size=300))
def test_any_text(text: str) -> None:
    _result_or_error(text)


@RELIABLE
@given(text=st.lists(st.sampled_from(EXAMPLE.splitlines()) | st.text(max_size=40), max_size=12))
def test_lines_of_the_example_shuffled_and_mixed_with_noise(text: list[str]) -> None:
    _result_or_error("\n".join(text))


@RELIABLE
@given(doc=overrides_docs)
def test_well_formed_toml_with_any_keys_and_values(doc: dict[str, Any]) -> None:
    _result_or_error(_toml(doc))
