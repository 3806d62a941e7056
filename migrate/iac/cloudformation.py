"""CloudFormation: one template per account and region, and for what exists already an import template and
the `--resources-to-import` file of `aws cloudformation create-change-set --change-set-type IMPORT`.

An import change set may not create anything, so what exists is imported first with a template that holds
only those resources, described as they are live; an update with the full template then makes the changes
the plan makes. Imported resources, and opt-out lists (whose contents are data), carry `DeletionPolicy` and
`UpdateReplacePolicy` `Retain`: deleting the stack never releases a number or empties a list.
"""

from __future__ import annotations

import json
from typing import Any

from migrate.iac.model import MANDATORY_KEYWORDS, IacModel, Param, Place, Ref, Resource
from migrate.iac.names import Namer

TYPES = {
    "opt_out_list": "AWS::SMSVOICE::OptOutList",
    "configuration_set": "AWS::SMSVOICE::ConfigurationSet",
    "sender_id": "AWS::SMSVOICE::SenderId",
    "phone_number": "AWS::SMSVOICE::PhoneNumber",
    "pool": "AWS::SMSVOICE::Pool",
}
# The properties that identify an existing resource (the resource types' primaryIdentifier).
IDENTIFIERS = {
    "opt_out_list": ("OptOutListName",),
    "configuration_set": ("ConfigurationSetName",),
    "sender_id": ("SenderId", "IsoCountryCode"),
    "phone_number": ("PhoneNumberId",),
    "pool": ("PoolId",),
}
_DESTINATION_MEMBERS = {
    "firehose": ("KinesisFirehoseDestination", "DeliveryStreamArn"),
    "cloudwatch": ("CloudWatchLogsDestination", "LogGroupArn"),
    "sns": ("SnsDestination", "TopicArn"),
}


class _Template:
    def __init__(self, place: Place, ids: Namer, live: bool) -> None:
        self.place, self.ids, self.live = place, ids, live
        self.params: dict[str, Param] = {}

    def value(self, value: Any) -> Any:
        if isinstance(value, Ref):
            if self.live or self.place.get(value.key) is None:
                return value.literal
            if value.attribute == "arn":
                return {"Fn::GetAtt": [self.ids(value.key), "Arn"]}
            return {"Ref": self.ids(value.key)}
        if isinstance(value, Param):
            self.params[value.name] = value
            return {"Ref": self.ids("param/" + value.name, value.name)}
        return value

    def props(self, resource: Resource) -> dict[str, Any]:
        return resource.live if self.live else resource.desired

    def tags(self, tags: dict[str, str]) -> list[dict[str, str]]:
        return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]

    def keywords(self, props: dict[str, Any], out: dict[str, Any]) -> None:
        words = props.get("keywords", {})
        out["MandatoryKeywords"] = {w: {"Message": self.value(words[w])} for w in MANDATORY_KEYWORDS}
        optional = props.get("optional_keywords") or []
        if optional:
            out["OptionalKeywords"] = [
                {"Keyword": k["keyword"], "Message": k["message"], "Action": k["action"]} for k in optional
            ]

    def destination(self, props: dict[str, Any]) -> dict[str, Any]:
        member, target = _DESTINATION_MEMBERS[props["kind"]]
        body = {target: props["target_arn"]}
        if props["kind"] != "sns":
            body["IamRoleArn"] = props["role_arn"]
        return {
            "EventDestinationName": props["name"],
            "Enabled": bool(props.get("enabled", True)),
            "MatchingEventTypes": list(props["event_types"]),
            member: body,
        }

    def properties(self, resource: Resource) -> dict[str, Any]:
        p = self.props(resource)
        out: dict[str, Any] = {}
        if resource.kind == "opt_out_list":
            out["OptOutListName"] = p["name"]
        elif resource.kind == "configuration_set":
            out["ConfigurationSetName"] = p["name"]
            if p.get("default_sender_id"):
                out["DefaultSenderId"] = p["default_sender_id"]
            if p.get("protect_configuration_id"):
                out["ProtectConfigurationId"] = p["protect_configuration_id"]
            destinations = (
                []
                if self.live
                else [self.props(r) for r in self.place.of("event_destination") if r.parent == resource.key]
            )
            named = {d["name"] for d in destinations}
            # Live ones the plan leaves as they are stay, or an update of the stack would delete them.
            destinations += [d for d in resource.live.get("event_destinations", []) if d["name"] not in named]
            if destinations:
                out["EventDestinations"] = [
                    self.destination(d) for d in sorted(destinations, key=lambda d: d["name"])
                ]
        elif resource.kind == "sender_id":
            out["SenderId"], out["IsoCountryCode"] = p["sender_id"], p["iso_country_code"]
            out["DeletionProtectionEnabled"] = bool(p["deletion_protection"])
        elif resource.kind == "phone_number":
            out["IsoCountryCode"], out["NumberType"] = p["iso_country_code"], p["number_type"]
            out["NumberCapabilities"] = list(p["capabilities"])
            self.keywords(p, out)
            out["OptOutListName"] = self.value(p["opt_out_list"])
            out["SelfManagedOptOutsEnabled"] = bool(p["self_managed_opt_outs"])
            out["DeletionProtectionEnabled"] = bool(p["deletion_protection"])
            if p.get("two_way_enabled"):
                out["TwoWay"] = {"Enabled": True}
        elif resource.kind == "pool":
            out["OriginationIdentities"] = [self.value(v) for v in p["identities"]]
            self.keywords(p, out)
            out["OptOutListName"] = self.value(p["opt_out_list"])
            out["DeletionProtectionEnabled"] = bool(p["deletion_protection"])
            for key, name in (
                ("self_managed_opt_outs", "SelfManagedOptOutsEnabled"),
                ("shared_routes", "SharedRoutesEnabled"),
            ):
                if p.get(key):
                    out[name] = True
            if p.get("two_way_enabled"):
                out["TwoWay"] = {"Enabled": True}
        if p.get("tags"):
            out["Tags"] = self.tags(p["tags"])
        return out

    def resource(self, resource: Resource) -> dict[str, Any]:
        body: dict[str, Any] = {"Type": TYPES[resource.kind]}
        if resource.imported or resource.kind == "opt_out_list":
            body["DeletionPolicy"] = "Retain"
            body["UpdateReplacePolicy"] = "Retain"
        body["Properties"] = self.properties(resource)
        return body

    def render(self, plan_id: str) -> dict[str, Any]:
        chosen = [r for r in self.place.resources if r.kind in TYPES and (r.imported or not self.live)]
        resources = {self.ids(r.key): self.resource(r) for r in chosen}
        what = "existing resources to import" if self.live else "resources"
        template: dict[str, Any] = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": (
                f"AWS End User Messaging SMS and Voice v2 {what} of {self.place.account} in "
                f"{self.place.region}, from pinpoint-migrate plan {plan_id}"
            ),
        }
        if self.params:
            template["Parameters"] = {
                self.ids("param/" + p.name, p.name): {
                    "Type": "String",
                    "MinLength": 1,
                    "MaxLength": 1600,
                    "Description": p.description,
                }
                for p in sorted(self.params.values(), key=lambda p: p.name)
            }
        template["Resources"] = resources
        return template


def import_resources(place: Place, ids: Namer) -> list[dict[str, Any]]:
    """The `--resources-to-import` entries: type, logical id and identifier of each existing resource."""
    out = []
    for resource in place.resources:
        if resource.kind not in TYPES or not resource.imported:
            continue
        values = resource.import_id.split(",") if resource.kind == "sender_id" else [resource.import_id]
        out.append(
            {
                "ResourceType": TYPES[resource.kind],
                "LogicalResourceId": ids(resource.key),
                "ResourceIdentifier": dict(zip(IDENTIFIERS[resource.kind], values, strict=True)),
            }
        )
    return out


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_place(place: Place, plan_id: str) -> dict[str, str]:
    """File name → text for one place: the template, and when anything exists, the import pair."""
    ids = Namer("camel")
    for resource in place.resources:  # names given in resource order, before any reference asks
        ids(resource.key)
    files = {f"{place.slug}.template.json": dumps(_Template(place, ids, live=False).render(plan_id))}
    to_import = import_resources(place, ids)
    if to_import:
        files[f"{place.slug}.import.template.json"] = dumps(_Template(place, ids, live=True).render(plan_id))
        files[f"{place.slug}.resources-to-import.json"] = dumps(to_import)
    return files


def render(model: IacModel) -> dict[str, str]:
    files: dict[str, str] = {}
    for place in model.places:
        files.update(render_place(place, model.plan_id))
    return files
