"""`overrides.toml`: what a person decides that the inventory cannot tell (read with tomllib, validated).

    prefix = "pm"                         # resource names are <prefix>-<slug>; default "pinpoint"
    deletion_protection = false           # for the pools the tool creates
    include = ["Acme Clinics"]            # only these projects (name or application id)
    exclude = ["Gamma Marketing"]
    [tags]                                # on every resource the tool creates
    cost-center = "messaging"
    [tenants."Acme Clinics"]              # a project by name or application id
    name = "Acme"                         # display name
    slug = "acme"
    strategy = "dedicated"                # or "shared:<group>": one pool, list and config set per group
    identities = ["+12065550199", "ACME/GB"]   # extra numbers (E.164, short code) or SENDERID/COUNTRY
    event_destination = "arn:aws:firehose:us-east-1:111122223333:deliverystream/acme"  # or logs, sns
    event_role = "arn:aws:iam::111122223333:role/acme-events"
    deletion_protection = true
    tags = { tier = "gold" }
    [numbers."+12065550100"]              # a number several tenants use
    owner = "Acme Clinics"
    [v1_configuration_sets.legacy-ivr]    # a v1 set whose destinations' role does not trust v2
    event_role = "arn:aws:iam::111122223333:role/voice-events-v2"
    [progress.REGISTRATION_INCOMPLETE]    # dates a team has recorded (see mapping/progress.py); also
    submitted_on = 2026-11-20             # [tenants."Acme Clinics".progress.CODE] for one tenant

Every error names the file, the line and the key. Checks that need the inventory (does the project exist,
does the number exist) are made by `tenants.resolve_overrides`, with the same kind of message.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.mapping.desired import RESERVED_TAG_KEYS
from migrate.mapping.progress import Progress, parse_progress
from migrate.mapping.toml_lines import key_lines, line_of

MAX_BYTES = 1 << 20
DEFAULT_PREFIX = "pinpoint"
PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
STRATEGY = re.compile(r"^(dedicated|shared:[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)$")
PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
SHORT_CODE = re.compile(r"^[0-9]{3,8}$")
SENDER = re.compile(r"^[A-Za-z0-9_-]{1,11}/[A-Z]{2}$")
_ARN = r"arn:aws[a-z-]*:{svc}:[a-z0-9-]+:[0-9]{{12}}:{res}"
DESTINATION_ARNS = {
    "firehose": re.compile(
        "^" + _ARN.format(svc="firehose", res=r"deliverystream/[A-Za-z0-9_.-]{1,64}") + "$"
    ),
    "cloudwatch": re.compile(
        "^" + _ARN.format(svc="logs", res=r"log-group:[A-Za-z0-9_./#-]{1,512}(:\*)?") + "$"
    ),
    "sns": re.compile("^" + _ARN.format(svc="sns", res=r"[A-Za-z0-9_-]{1,256}(\.fifo)?") + "$"),
}
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$")

_TOP = {
    "prefix",
    "deletion_protection",
    "include",
    "exclude",
    "tags",
    "tenants",
    "numbers",
    "v1_configuration_sets",
    "progress",
}
_TENANT = {
    "name",
    "slug",
    "strategy",
    "identities",
    "event_destination",
    "event_role",
    "deletion_protection",
    "tags",
    "progress",
}
_NUMBER = {"owner"}
_V1_SET = {"event_role"}


class OverridesError(ValueError):
    """A problem in overrides.toml, with the file, line and key it is about."""

    def __init__(self, file: str, line: int, key: str, problem: str) -> None:
        self.file, self.line, self.key, self.problem = file, line, key, problem
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")


@dataclass(frozen=True)
class TenantOverride:
    key: str  # as written: a project name or application id
    line: int
    name: str = ""
    slug: str = ""
    strategy: str = ""
    identities: tuple[str, ...] = ()
    event_destination: str = ""
    event_role: str = ""
    deletion_protection: bool | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def destination_kind(self) -> str:
        return next((k for k, rx in DESTINATION_ARNS.items() if rx.match(self.event_destination)), "")


@dataclass(frozen=True)
class NumberOverride:
    number: str
    line: int
    owner: str


NO_OVERRIDES_SHA256 = hashlib.sha256(b"").hexdigest()  # no file reads like an empty one


@dataclass(frozen=True)
class V1SetOverride:
    name: str
    line: int
    event_role: str


@dataclass(frozen=True)
class Overrides:
    file: str = ""
    sha256: str = NO_OVERRIDES_SHA256
    prefix: str = DEFAULT_PREFIX
    deletion_protection: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    tenants: tuple[TenantOverride, ...] = ()
    numbers: tuple[NumberOverride, ...] = ()
    v1_sets: tuple[V1SetOverride, ...] = ()
    progress: tuple[Progress, ...] = ()  # dates recorded per finding code (and tenant), read by the report
    lines: dict[tuple[str, ...], int] = field(default_factory=dict, compare=False, repr=False)

    def error(self, path: tuple[str, ...], problem: str) -> OverridesError:
        return OverridesError(
            self.file or "overrides.toml", line_of(self.lines, path), _dotted(path), problem
        )


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(p if re.fullmatch(r"[A-Za-z0-9_-]+", p) else f'"{p}"' for p in path)


def load_overrides(path: Path | None) -> Overrides:
    """Read and validate an overrides file; no file means the defaults."""
    if path is None:
        return Overrides()
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise OverridesError(name, 0, "", "no such overrides file") from None
    except OSError as exc:
        raise OverridesError(name, 0, "", f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise OverridesError(name, 0, "", f"is {len(data)} bytes; an overrides file is at most {MAX_BYTES}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OverridesError(name, 0, "", f"is not UTF-8 text (byte {exc.start})") from None
    return parse_overrides(text, name, sha256=hashlib.sha256(data).hexdigest())


def parse_overrides(text: str, file: str = "overrides.toml", *, sha256: str = "") -> Overrides:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        raise OverridesError(file, line, "", f"not valid TOML ({exc})") from None
    lines = key_lines(text)
    base = Overrides(file=file, sha256=sha256 or hashlib.sha256(text.encode()).hexdigest(), lines=lines)
    _known(base, (), raw, _TOP)
    prefix = _string(base, ("prefix",), raw.get("prefix", DEFAULT_PREFIX))
    if not PREFIX.match(prefix):
        raise base.error(("prefix",), f"{prefix!r} is not a name prefix (letters, digits, - and _, 1-20)")
    return Overrides(
        file=file,
        sha256=base.sha256,
        prefix=prefix,
        deletion_protection=_bool(base, ("deletion_protection",), raw.get("deletion_protection", False)),
        include=_strings(base, ("include",), raw.get("include", [])),
        exclude=_strings(base, ("exclude",), raw.get("exclude", [])),
        tags=_tags(base, ("tags",), raw.get("tags", {})),
        tenants=tuple(
            _tenant(base, k, v) for k, v in _table(base, ("tenants",), raw.get("tenants", {})).items()
        ),
        numbers=tuple(
            _number(base, k, v) for k, v in _table(base, ("numbers",), raw.get("numbers", {})).items()
        ),
        v1_sets=tuple(
            _v1_set(base, k, v)
            for k, v in _table(base, ("v1_configuration_sets",), raw.get("v1_configuration_sets", {})).items()
        ),
        progress=_progress(base, raw),
        lines=lines,
    )


def _tenant(base: Overrides, key: str, raw: Any) -> TenantOverride:
    path = ("tenants", key)
    raw = _table(base, path, raw)
    _known(base, path, raw, _TENANT)
    slug = _string(base, (*path, "slug"), raw.get("slug", ""))
    if slug and not SLUG.match(slug):
        raise base.error((*path, "slug"), f"{slug!r} is not a slug (a-z, 0-9 and -, at most 40)")
    strategy = _string(base, (*path, "strategy"), raw.get("strategy", ""))
    if strategy and not STRATEGY.match(strategy):
        raise base.error((*path, "strategy"), f'{strategy!r}: expected "dedicated" or "shared:<group>"')
    identities = _strings(base, (*path, "identities"), raw.get("identities", []))
    for value in identities:
        if not (PHONE.match(value) or SHORT_CODE.match(value) or SENDER.match(value)):
            raise base.error(
                (*path, "identities"),
                f"{value!r} is not an E.164 number, a short code or SENDERID/COUNTRY (e.g. ACME/GB)",
            )
    destination = _string(base, (*path, "event_destination"), raw.get("event_destination", ""))
    if destination and not any(rx.match(destination) for rx in DESTINATION_ARNS.values()):
        raise base.error(
            (*path, "event_destination"),
            f"{destination!r} is not the ARN of a Firehose stream, a CloudWatch log group or an SNS topic",
        )
    role = _string(base, (*path, "event_role"), raw.get("event_role", ""))
    if role and not ROLE_ARN.match(role):
        raise base.error((*path, "event_role"), f"{role!r} is not an IAM role ARN")
    protection = raw.get("deletion_protection")
    return TenantOverride(
        key=key,
        line=line_of(base.lines, path),
        name=_string(base, (*path, "name"), raw.get("name", "")),
        slug=slug,
        strategy=strategy,
        identities=identities,
        event_destination=destination,
        event_role=role,
        deletion_protection=None
        if protection is None
        else _bool(base, (*path, "deletion_protection"), protection),
        tags=_tags(base, (*path, "tags"), raw.get("tags", {})),
    )


def _progress(base: Overrides, raw: dict[str, Any]) -> tuple[Progress, ...]:
    def where(path: tuple[str, ...]) -> int:
        return line_of(base.lines, path)

    found = list(parse_progress(raw.get("progress", {}), ("progress",), "", base.error, where))
    for key, tenant in _table(base, ("tenants",), raw.get("tenants", {})).items():
        if isinstance(tenant, dict) and "progress" in tenant:
            path = ("tenants", key, "progress")
            found.extend(parse_progress(tenant["progress"], path, key, base.error, where))
    return tuple(found)


def _number(base: Overrides, key: str, raw: Any) -> NumberOverride:
    path = ("numbers", key)
    if not (PHONE.match(key) or SHORT_CODE.match(key)):
        raise base.error(path, f"{key!r} is not an E.164 phone number or a short code")
    raw = _table(base, path, raw)
    _known(base, path, raw, _NUMBER)
    if "owner" not in raw:
        raise base.error(path, "missing `owner` (the project the number belongs to)")
    return NumberOverride(key, line_of(base.lines, path), _string(base, (*path, "owner"), raw["owner"]))


def _v1_set(base: Overrides, key: str, raw: Any) -> V1SetOverride:
    path = ("v1_configuration_sets", key)
    raw = _table(base, path, raw)
    _known(base, path, raw, _V1_SET)
    role = _string(base, (*path, "event_role"), raw.get("event_role", ""))
    if not ROLE_ARN.match(role):
        raise base.error((*path, "event_role"), f"{role!r} is not an IAM role ARN")
    return V1SetOverride(key, line_of(base.lines, path), role)


# -- typed readers -----------------------------------------------------------------------------------------
def _known(base: Overrides, path: tuple[str, ...], raw: dict[str, Any], allowed: set[str]) -> None:
    for key in raw:
        if key not in allowed:
            raise base.error((*path, key), f"unknown key (expected one of: {', '.join(sorted(allowed))})")


def _table(base: Overrides, path: tuple[str, ...], value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise base.error(path, f"expected a table, found {type(value).__name__}")
    return value


def _string(base: Overrides, path: tuple[str, ...], value: Any) -> str:
    if not isinstance(value, str):
        raise base.error(path, f"expected a string, found {type(value).__name__}")
    if len(value) > 512 or any(ord(c) < 32 for c in value):
        raise base.error(path, "too long or holds control characters")
    return value


def _bool(base: Overrides, path: tuple[str, ...], value: Any) -> bool:
    if not isinstance(value, bool):
        raise base.error(path, f"expected true or false, found {value!r}")
    return value


def _strings(base: Overrides, path: tuple[str, ...], value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise base.error(path, f"expected a list of strings, found {type(value).__name__}")
    return tuple(_string(base, path, v) for v in value)


def _tags(base: Overrides, path: tuple[str, ...], value: Any) -> dict[str, str]:
    tags = _table(base, path, value)
    for key, tag_value in tags.items():
        _string(base, (*path, key), tag_value)
        if key in RESERVED_TAG_KEYS or key.lower().startswith("aws:"):
            raise base.error((*path, key), "this tag key is reserved")
        if not 1 <= len(key) <= 128 or len(tag_value) > 256:
            raise base.error((*path, key), "tag keys are 1-128 characters, values at most 256")
    if len(tags) > 40:
        raise base.error(path, f"{len(tags)} tags; the tool adds its own and AWS allows 50 per resource")
    return dict(tags)
