"""Hypothesis strategies shared by the parser property tests: any JSON, and damage done to a valid document.

Random bytes and random JSON mostly exercise a parser's first checks; the deep checks are reached by
taking a valid document and damaging it in a few places (a value replaced by any JSON value, a key
dropped, a container emptied), which is what hand edits, truncation and bugs in other tools do.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Modest counts: the whole reliability suite runs in CI on two cores in well under five minutes.
# RELIABILITY_EXAMPLES=2000 searches harder (locally, before a release).
settings.register_profile(
    "reliability",
    max_examples=int(os.environ.get("RELIABILITY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
RELIABLE = settings.get_profile("reliability")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
json_bytes = json_values.map(lambda v: json.dumps(v).encode())
any_bytes = st.one_of(st.binary(max_size=400), json_bytes, st.text(max_size=200).map(str.encode))

Path_ = tuple[Any, ...]


def paths(doc: Any, prefix: Path_ = (), limit: int = 4000) -> list[Path_]:
    """Every path to a value inside `doc` (dict keys and list indexes), breadth first, at most `limit`."""
    found: list[Path_] = []
    queue: list[tuple[Path_, Any]] = [(prefix, doc)]
    while queue and len(found) < limit:
        path, value = queue.pop(0)
        if isinstance(value, dict):
            children = list(value.items())
        elif isinstance(value, list):
            children = list(enumerate(value))
        else:
            continue
        for key, child in children:
            found.append((*path, key))
            queue.append(((*path, key), child))
    return found


def _parent(doc: Any, path: Path_) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


def _replace(doc: Any, path: Path_, value: Any) -> None:
    _parent(doc, path)[path[-1]] = value


def _drop(doc: Any, path: Path_, _value: Any) -> None:
    parent = _parent(doc, path)
    del parent[path[-1]]


def _empty(doc: Any, path: Path_, _value: Any) -> None:
    parent = _parent(doc, path)
    current = parent[path[-1]]
    parent[path[-1]] = type(current)() if isinstance(current, dict | list | str) else None


def _wrap(doc: Any, path: Path_, _value: Any) -> None:
    parent = _parent(doc, path)
    parent[path[-1]] = [parent[path[-1]]]


_ACTIONS: tuple[Callable[[Any, Path_, Any], None], ...] = (_replace, _drop, _empty, _wrap)


@st.composite
def damaged(
    draw: st.DrawFn, doc: Any, *, mutations: int = 3, near: tuple[str, ...] = (), min_depth: int = 1
) -> Any:
    """A deep copy of `doc` with 1..`mutations` random changes (paths under one of `near`, if given, and
    at least `min_depth` keys deep)."""
    out = copy.deepcopy(doc)
    for _ in range(draw(st.integers(min_value=1, max_value=mutations))):
        candidates = [p for p in paths(out) if len(p) >= min_depth]
        if near:
            candidates = [p for p in candidates if p and p[0] in near] or candidates
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        action = draw(st.sampled_from(_ACTIONS))
        action(out, path, draw(json_values))
    return out
