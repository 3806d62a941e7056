"""The desired v2 state of a plan as infrastructure-as-code sees it: neutral resources, references, imports.

`migrate.iac.reader.build_model` fills an `IacModel` from a plan (and the inventory it was computed from);
`cloudformation` and `terraform` render it; `readme` lists what neither can express. A resource is one of
`KINDS`, keyed `<kind>/<name>` inside its account and region, with `desired` properties (neutral snake_case
names, values plain or a `Ref` to another resource of the same place, or a `Param` a person must supply)
and, when it exists already (`imported`), `live`: its properties as they are now, all literal, and the
`import_id` that names it. Phone numbers and sender IDs are always imported, never created.

Desired properties per kind:
- opt_out_list: name, tags
- configuration_set: name, tags, default_sender_id, default_message_type, protect_configuration_id
- event_destination: configuration_set, name, enabled, event_types, kind (firehose|cloudwatch|sns),
  target_arn, role_arn
- phone_number: phone_number_id, arn, phone_number, iso_country_code, message_type, number_type,
  capabilities, opt_out_list, self_managed_opt_outs, two_way_enabled, deletion_protection,
  registration_id, keywords ({"STOP": message, "HELP": message}), optional_keywords
- sender_id: sender_id, iso_country_code, arn, message_types, deletion_protection
- pool: name, message_type, iso_country_code, opt_out_list, identities, deletion_protection,
  self_managed_opt_outs, two_way_enabled, shared_routes, keywords, optional_keywords, tags
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("opt_out_list", "configuration_set", "event_destination", "sender_id", "phone_number", "pool")
MANDATORY_KEYWORDS = ("STOP", "HELP")
FORMATS = ("cloudformation", "terraform")


@dataclass(frozen=True)
class Ref:
    """A property whose value is an attribute (`name`, `arn` or `id`) of another resource of the place."""

    key: str
    attribute: str
    literal: str = ""  # the value itself, used where the target is not in the template


@dataclass(frozen=True)
class Param:
    """A value the plan does not know: the template asks for it (a CloudFormation parameter, a variable)."""

    name: str  # snake_case, unique in the place
    description: str


@dataclass
class Resource:
    kind: str
    key: str
    name: str
    desired: dict[str, Any]
    imported: bool = False
    live: dict[str, Any] = field(default_factory=dict)
    import_id: str = ""  # name, PhoneNumberId, PoolId, "SENDERID,CC" or "SET,DESTINATION"
    address: str = ""  # the plan address ("" for numbers and sender IDs, which the plan does not address)
    parent: str = ""  # an event destination's configuration set key


@dataclass(frozen=True)
class LeftOut:
    """A planned change that is blocked: not in any template, listed in the README with its findings."""

    address: str
    resource_type: str
    name: str
    codes: tuple[str, ...]
    messages: tuple[str, ...]


@dataclass(frozen=True)
class Gap:
    """Something the templates do not express, and what to do about it."""

    topic: str
    subject: str
    text: str
    formats: tuple[str, ...] = FORMATS


@dataclass
class Place:
    """One account and region: one CloudFormation template, one Terraform root module."""

    account: str
    region: str
    resources: list[Resource] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    params: list[Param] = field(default_factory=list)
    unfilled: list[str] = field(default_factory=list)  # opt-out lists the plan has still to fill

    @property
    def slug(self) -> str:
        return f"{self.account}-{self.region}"

    def get(self, key: str) -> Resource | None:
        return next((r for r in self.resources if r.key == key), None)

    def of(self, kind: str) -> list[Resource]:
        return [r for r in self.resources if r.kind == kind]

    def add(self, resource: Resource) -> Resource:
        if self.get(resource.key) is not None:
            raise ValueError(f"{resource.key} added twice to {self.slug}")
        self.resources.append(resource)
        return resource

    def gap(self, topic: str, subject: str, text: str, formats: tuple[str, ...] = FORMATS) -> None:
        item = Gap(topic, subject, text, formats)
        if item not in self.gaps:
            self.gaps.append(item)

    def param(self, name: str, description: str) -> Param:
        found = next((p for p in self.params if p.name == name), None)
        if found is None:
            found = Param(name, description)
            self.params.append(found)
        return found

    def sort(self) -> None:
        """Kinds in dependency order, then by key: the same plan gives the same files."""
        self.resources.sort(key=lambda r: (KINDS.index(r.kind), r.key))
        self.left_out.sort(key=lambda x: x.address)
        self.params.sort(key=lambda p: p.name)


@dataclass
class IacModel:
    plan_id: str
    places: list[Place] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)  # blockers no template closes

    def place(self, account: str, region: str) -> Place:
        for place in self.places:
            if (place.account, place.region) == (account, region):
                return place
        place = Place(account, region)
        self.places.append(place)
        self.places.sort(key=lambda p: (p.account, p.region))
        return place


def refs(value: Any) -> list[Ref]:
    """Every `Ref` inside a property value (lists and dicts included)."""
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, dict):
        return [r for v in value.values() for r in refs(v)]
    if isinstance(value, list | tuple):
        return [r for v in value for r in refs(v)]
    return []


def params(value: Any) -> list[Param]:
    """Every `Param` inside a property value."""
    if isinstance(value, Param):
        return [value]
    if isinstance(value, dict):
        return [p for v in value.values() for p in params(v)]
    if isinstance(value, list | tuple):
        return [p for v in value for p in params(v)]
    return []
