"""Terraform: one root module per account and region (`<account>-<region>/main.tf`), hashicorp/aws 6.x.

Resources of the provider's `aws_pinpointsmsvoicev2_*` types (configuration set, event destination, opt-out
list, phone number, sender ID, pool, keyword); an `import {}` block for each that exists already, so that
`terraform plan` adopts it rather than creating a second one. Numbers, sender IDs and opt-out lists are
`prevent_destroy`: a plan that would replace one (and so release a number, or drop a list's opt-outs) fails.
The scan does not see the tags of numbers and sender IDs, so Terraform ignores them there.
"""

from __future__ import annotations

from typing import Any

from migrate.iac.hcl import Block, Expr, document
from migrate.iac.model import MANDATORY_KEYWORDS, IacModel, Param, Place, Ref, Resource
from migrate.iac.names import Namer

PROVIDER_VERSION = ">= 6.62.0, < 7.0.0"  # pool, keyword and event_destination are all there from 6.62
TERRAFORM_VERSION = ">= 1.5.0"  # import blocks
TYPES = {
    "opt_out_list": "aws_pinpointsmsvoicev2_opt_out_list",
    "configuration_set": "aws_pinpointsmsvoicev2_configuration_set",
    "event_destination": "aws_pinpointsmsvoicev2_event_destination",
    "sender_id": "aws_pinpointsmsvoicev2_sender_id",
    "phone_number": "aws_pinpointsmsvoicev2_phone_number",
    "pool": "aws_pinpointsmsvoicev2_pool",
    "keyword": "aws_pinpointsmsvoicev2_keyword",
}
_DESTINATIONS = {
    "firehose": ("kinesis_firehose_destination", "delivery_stream_arn"),
    "cloudwatch": ("cloudwatch_logs_destination", "log_group_arn"),
    "sns": ("sns_destination", "topic_arn"),
}
_KEEP = ("opt_out_list", "sender_id", "phone_number")  # prevent_destroy


class _Module:
    def __init__(self, place: Place) -> None:
        self.place = place
        self.names: dict[str, Namer] = {kind: Namer("snake") for kind in TYPES}
        self.names["var"] = Namer("snake")
        for resource in place.resources:
            self.name(resource)
        self.resources: list[Block] = []
        self.imports: list[Block] = []

    def name(self, resource: Resource) -> str:
        return self.names[resource.kind](resource.key, resource.key.split("/", 1)[1])

    def address(self, resource: Resource) -> str:
        return f"{TYPES[resource.kind]}.{self.name(resource)}"

    def value(self, item: Any) -> Any:
        if isinstance(item, Ref):
            target = self.place.get(item.key)
            if target is None:
                return item.literal
            return Expr(f"{self.address(target)}.{item.attribute}")
        if isinstance(item, Param):
            return Expr(f"var.{self.names['var'](item.name)}")
        return item

    def add(self, resource: Resource, body: Block) -> None:
        if resource.kind in _KEEP:
            life = Block("lifecycle").set("prevent_destroy", True)
            if resource.kind != "opt_out_list":
                life.set("ignore_changes", [Expr("tags")])
            body.add(life)
        self.resources.append(body)
        if resource.imported:
            self.import_block(self.address(resource), resource.import_id)

    def import_block(self, to: str, import_id: str) -> None:
        self.imports.append(Block("import").set("to", Expr(to)).set("id", import_id))

    def keywords(self, owner: Resource, owner_id: str) -> None:
        props = owner.desired
        words = [(w, props["keywords"][w], "") for w in MANDATORY_KEYWORDS]
        words += [(k["keyword"], k["message"], k["action"]) for k in props.get("optional_keywords", [])]
        for word, message, action in words:
            key = f"keyword/{owner.key}/{word}"
            name = self.names["keyword"](key, f"{owner.key.split('/', 1)[1]} {word}")
            body = Block("resource", (TYPES["keyword"], name))
            body.set("origination_identity", Expr(f"{self.address(owner)}.id"))
            body.set("keyword", word)
            body.set("keyword_message", self.value(message))
            if action:  # the provider refuses an action on HELP and STOP: AWS manages theirs
                body.set("keyword_action", action)
            self.resources.append(body)
            if owner.imported:
                self.import_block(f"{TYPES['keyword']}.{name}", f"{owner_id},{word}")

    def resource(self, resource: Resource) -> None:
        p = resource.desired
        body = Block("resource", (TYPES[resource.kind], self.name(resource)))
        if resource.kind == "opt_out_list":
            body.set("name", p["name"])
        elif resource.kind == "configuration_set":
            body.set("name", p["name"])
            for key in ("default_sender_id", "default_message_type"):
                if p.get(key):
                    body.set(key, p[key])
        elif resource.kind == "event_destination":
            body.set("configuration_set_name", self.value(p["configuration_set"]))
            body.set("event_destination_name", p["name"])
            body.set("enabled", bool(p.get("enabled", True)))
            body.set("matching_event_types", list(p["event_types"]))
            member, target = _DESTINATIONS[p["kind"]]
            sink = body.add(Block(member)).set(target, p["target_arn"])
            if p["kind"] != "sns":
                sink.set("iam_role_arn", p["role_arn"])
        elif resource.kind == "sender_id":
            body.set("sender_id", p["sender_id"]).set("iso_country_code", p["iso_country_code"])
            body.set("message_types", list(p["message_types"]))
            body.set("deletion_protection_enabled", bool(p["deletion_protection"]))
        elif resource.kind == "phone_number":
            for key in ("iso_country_code", "message_type", "number_type"):
                body.set(key, p[key])
            body.set("number_capabilities", list(p["capabilities"]))
            body.set("opt_out_list_name", self.value(p["opt_out_list"]))
            body.set("self_managed_opt_outs_enabled", bool(p["self_managed_opt_outs"]))
            body.set("deletion_protection_enabled", bool(p["deletion_protection"]))
            if p.get("two_way_enabled"):
                body.set("two_way_channel_enabled", True)
            if p.get("registration_id"):
                body.set("registration_id", p["registration_id"])
        elif resource.kind == "pool":
            body.set("message_type", p["message_type"])
            if not resource.imported and p.get("iso_country_code"):
                body.set("iso_country_code", p["iso_country_code"])  # never returned: import leaves it out
            body.set("origination_identities", [self.value(v) for v in p["identities"]])
            body.set("opt_out_list_name", self.value(p["opt_out_list"]))
            body.set("deletion_protection_enabled", bool(p["deletion_protection"]))
            for key, name in (
                ("self_managed_opt_outs", "self_managed_opt_outs_enabled"),
                ("shared_routes", "shared_routes_enabled"),
                ("two_way_enabled", "two_way_enabled"),
            ):
                if key in p:
                    body.set(name, bool(p[key]))
        if p.get("tags"):
            body.set("tags", dict(p["tags"]))
        self.add(resource, body)
        if resource.kind in ("phone_number", "pool"):
            self.keywords(resource, resource.import_id)

    def render(self, plan_id: str) -> str:
        for resource in self.place.resources:
            self.resource(resource)
        settings = Block("terraform").set("required_version", TERRAFORM_VERSION)
        settings.add(Block("required_providers")).set(
            "aws", {"source": "hashicorp/aws", "version": PROVIDER_VERSION}
        )
        provider = Block("provider", ("aws",)).set("region", self.place.region)
        provider.set("allowed_account_ids", [self.place.account])
        variables = [
            Block("variable", (self.names["var"](p.name),))
            .set("type", Expr("string"))
            .set("description", p.description)
            for p in self.place.params
        ]
        header = (
            f"# AWS End User Messaging SMS and Voice v2 resources of {self.place.account} in "
            f"{self.place.region}.\n# Written by `pinpoint-migrate export-iac` from plan {plan_id}: "
            "read ../README.md before `terraform plan`."
        )
        return document([settings, provider, *variables, *self.resources, *self.imports], header)


def render_place(place: Place, plan_id: str) -> dict[str, str]:
    return {f"{place.slug}/main.tf": _Module(place).render(plan_id)}


def render(model: IacModel) -> dict[str, str]:
    files: dict[str, str] = {}
    for place in model.places:
        files.update(render_place(place, model.plan_id))
    return files
