"""Findings as data, and the registry of the predicates that raise them.

A `Finding` names its code (see `catalog`), where it applies (account, region, tenant, resource), the
details its message is written from, and the desired resources it blocks (addresses). A predicate is a
small function registered with `@check("CODE")`: it reads the mapping context and yields findings.
Findings raised while the rules decide something (a shared number, a pool an identity cannot join) are
made with `make()` by the rule itself.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from migrate.mapping.catalog import CATALOG, SEVERITIES, FindingSpec

if TYPE_CHECKING:
    from migrate.mapping.rules import MapContext

CheckFn = Callable[["MapContext"], Iterable["Finding"]]
CHECKS: dict[str, CheckFn] = {}


def check(code: str) -> Callable[[CheckFn], CheckFn]:
    """Register the predicate that raises `code` (one predicate per code)."""

    def register(fn: CheckFn) -> CheckFn:
        if code not in CATALOG:
            raise ValueError(f"check for unknown finding code {code!r}")
        if code in CHECKS:
            raise ValueError(f"two checks for {code}")
        CHECKS[code] = fn
        return fn

    return register


@dataclass(frozen=True)
class Finding:
    code: str
    account: str = ""
    region: str = ""
    tenant: str = ""  # slug
    resource: str = ""  # address, ARN or identity the finding is about
    details: Mapping[str, Any] = field(default_factory=dict)
    blocks: tuple[str, ...] = ()  # addresses of desired resources it stops

    def __post_init__(self) -> None:
        if self.code not in CATALOG:
            raise ValueError(f"unknown finding code {self.code!r}")

    @property
    def spec(self) -> FindingSpec:
        return CATALOG[self.code]

    @property
    def severity(self) -> str:
        return self.spec.severity

    @property
    def how(self) -> str:
        return self.spec.how

    @property
    def id(self) -> str:
        where = "/".join(p for p in (self.account, self.region, self.tenant, self.resource) if p)
        return f"{self.code}@{where}" if where else self.code

    @property
    def scope(self) -> str:
        if self.resource:
            return "resource"
        if self.tenant:
            return "tenant"
        if self.region:
            return "region"
        return "account" if self.account else "global"

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (
            SEVERITIES.index(self.severity),
            self.code,
            self.account,
            self.region,
            self.tenant,
            self.resource,
        )

    def _fields(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "account": self.account,
            "region": self.region,
            "tenant": self.tenant,
            "tenant_name": self.details.get("tenant_name", self.tenant),
            "resource": self.resource,
        }
        for key, value in self.details.items():
            values[key] = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else value
        return values

    @property
    def message(self) -> str:
        return render(self.spec.message, self._fields())

    @property
    def remedy(self) -> str:
        return render(self.spec.remedy, self._fields())

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "code": self.code,
            "severity": self.severity,
            "how": self.how,
            "scope": self.scope,
            "account": self.account,
            "region": self.region,
            "tenant": self.tenant,
            "resource": self.resource,
            "title": self.spec.title,
            "message": self.message,
            "remedy": self.remedy,
            "runbook": self.spec.runbook,
            "docs": self.spec.docs,
            "details": _plain(self.details),
            "blocks": sorted(self.blocks),
        }


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, values: Mapping[str, Any]) -> str:
    """`str.format_map` that leaves an unknown placeholder visible instead of raising."""
    return string.Formatter().vformat(template, (), _Missing(values))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def make(code: str, *, blocks: Iterable[str] = (), **kwargs: Any) -> Finding:
    """A finding; keyword arguments other than the scope fields go into `details`."""
    scope = {k: kwargs.pop(k) for k in ("account", "region", "tenant", "resource") if k in kwargs}
    return Finding(code, details=kwargs, blocks=tuple(sorted(set(blocks))), **scope)
