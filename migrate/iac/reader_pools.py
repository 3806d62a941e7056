"""Pools, their origination identities (imported phone numbers and sender IDs), keywords, and the gaps of a place.

A pool lists its members by ARN; each member the inventory describes becomes an imported resource that
answers to the pool's opt-out list (as apply switches it). A created pool takes its keywords from its first
phone number (AWS copies them); a pool of sender IDs only has no number to copy from, so the template asks
for its STOP and HELP messages. A number type no template can hold (short codes) stays a literal ARN.
"""

from __future__ import annotations

from typing import Any

from migrate.iac.model import MANDATORY_KEYWORDS, Param, Place, Ref, Resource
from migrate.iac.reader import Reader, first_step, plain_tags
from migrate.plan.steps import sms_arn

# What AWS::SMSVOICE::PhoneNumber.NumberType and the provider's number_type accept (no SHORT_CODE).
REQUESTABLE_NUMBER_TYPES = ("LONG_CODE", "TOLL_FREE", "TEN_DLC", "SIMULATOR")


def keywords(
    raw: tuple[dict[str, Any], ...] | list[dict[str, Any]],
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """(mandatory {"STOP": message, "HELP": message}, optional keywords sorted) from scanned keywords."""
    mandatory: dict[str, Any] = {}
    optional = []
    for item in raw:  # the scan's shape (keyword, message, action) or the API's (Keyword, ...)
        word = str(item.get("keyword") or item.get("Keyword") or "")
        message = item.get("message") or item.get("KeywordMessage") or ""
        action = item.get("action") or item.get("KeywordAction") or "AUTOMATIC_RESPONSE"
        if word.upper() in MANDATORY_KEYWORDS:
            if message:
                mandatory[word.upper()] = message
        elif word:
            optional.append({"keyword": word, "message": message, "action": action})
    return {w: mandatory[w] for w in MANDATORY_KEYWORDS if w in mandatory}, sorted(
        optional, key=lambda k: k["keyword"]
    )


def _identity_id(change: dict[str, Any]) -> str:
    return change["address"].split(f"/{change['parent']}/", 1)[1]


def _member_arn(reader: Reader, place: Place, change: dict[str, Any]) -> str:
    for step in reader.steps_of(change):
        if step["kind"] in ("create_pool", "associate_origination_identity"):
            return str(step["parameters"]["OriginationIdentity"])
    identity = _identity_id(change)
    where = (place.account, place.region, identity)
    record = reader.live.numbers.get(where) or reader.live.senders.get(where)
    if record is not None:
        return str(record.arn)
    kind = "sender-id" if "/" in identity else "phone-number"
    return sms_arn(place.account, place.region, f"{kind}/{identity}")


def _identity(reader: Reader, place: Place, arn: str, list_ref: Ref) -> Ref | str:
    """The member as an imported resource of the place (a reference to its ARN), or its literal ARN."""
    record = reader.live.by_arn.get(arn)
    if record is None:
        place.gap(
            "not described",
            arn,
            "is a pool member the inventory does not describe: it stays a literal ARN, not managed by the template; scan again to include it.",
        )
        return arn
    if hasattr(record, "phone_number_id"):
        return _number(place, record, list_ref)
    key = f"sender_id/{record.sender_id}/{record.iso_country_code}"
    if place.get(key) is None:
        props = {
            "sender_id": record.sender_id,
            "iso_country_code": record.iso_country_code,
            "arn": record.arn,
            "message_types": sorted(record.message_types),
            "deletion_protection": bool(record.deletion_protection),
        }
        import_id = f"{record.sender_id},{record.iso_country_code}"
        place.add(
            Resource(
                "sender_id",
                key,
                f"{record.sender_id} ({record.iso_country_code})",
                props,
                True,
                dict(props),
                import_id,
            )
        )
    return Ref(key, "arn", arn)


def _number(place: Place, record: Any, list_ref: Ref) -> Ref | str:
    if record.number_type not in REQUESTABLE_NUMBER_TYPES:
        place.gap(
            "number type",
            f"{record.number_type.lower().replace('_', ' ')} {record.phone_number}",
            f"is a {record.number_type}, which neither AWS::SMSVOICE::PhoneNumber nor the Terraform provider can "
            "describe: it is not in the templates (the pool names it by ARN). `pinpoint-migrate apply` points it "
            f"at the opt-out list {list_ref.literal}.",
        )
        return str(record.arn)
    key = f"phone_number/{record.phone_number_id}"
    if place.get(key) is None:
        mandatory, optional = keywords(record.keywords)
        for word in MANDATORY_KEYWORDS:
            if word not in mandatory:  # AWS always has both: only an inventory edited by hand lacks one
                mandatory[word] = place.param(
                    f"{record.phone_number_id}_{word.lower()}_message",
                    f"{word} reply of {record.phone_number}",
                )
        live = {
            "phone_number_id": record.phone_number_id,
            "arn": record.arn,
            "phone_number": record.phone_number,
            "iso_country_code": record.iso_country_code,
            "message_type": record.message_type,
            "number_type": record.number_type,
            "capabilities": sorted(record.capabilities),
            "opt_out_list": record.opt_out_list or "Default",
            "self_managed_opt_outs": bool(record.self_managed_opt_outs),
            "two_way_enabled": bool(record.two_way_enabled),
            "deletion_protection": bool(record.deletion_protection),
            "registration_id": record.registration_id,
            "keywords": mandatory,
            "optional_keywords": optional,
        }
        place.add(
            Resource(
                "phone_number",
                key,
                record.phone_number,
                {**live, "opt_out_list": list_ref},
                True,
                live,
                record.phone_number_id,
            )
        )
        if record.two_way_enabled:
            place.gap(
                "two-way channel",
                record.phone_number,
                "has two-way SMS on, but the scan does not record its channel ARN or role: add them to the template, or the import reports drift.",
            )
    return Ref(key, "arn", str(record.arn))


def add_pool(reader: Reader, change: dict[str, Any], members: list[dict[str, Any]]) -> None:
    place, name, steps = reader.place(change), change["name"], reader.steps_of(change)
    after = {d["field"]: d["after"] for d in change["diff"]}
    live = reader.live.pools.get((place.account, place.region, name))
    if change["action"] == "create":
        create = first_step(steps, "create_pool")
        if create is None:
            reader.missing(change)
            return
        params = create["parameters"]
        update = first_step(steps, "update_pool")
        list_name = (
            (update or {}).get("parameters", {}).get("OptOutListName")
            or after.get("opt_out_list")
            or "Default"
        )
        desired: dict[str, Any] = {
            "name": name,
            "message_type": params["MessageType"],
            "iso_country_code": params.get("IsoCountryCode", ""),
            "deletion_protection": bool(params.get("DeletionProtectionEnabled")),
            "tags": plain_tags(params.get("Tags")),
        }
        founder = str(params["OriginationIdentity"])
        live_props: dict[str, Any] = {}
    elif live is None:
        reader.missing(change)
        return
    else:
        list_name = after.get("opt_out_list") or live.opt_out_list
        mandatory, optional = keywords(live.keywords)
        for word in MANDATORY_KEYWORDS:
            if word not in mandatory:  # AWS always has both: only an inventory edited by hand lacks one
                mandatory[word] = place.param(
                    f"pool_{name}_{word.lower()}_message", f"{word} reply of pool {name}"
                )
        live_props = {
            "name": name,
            "pool_id": live.pool_id,
            "message_type": live.message_type,
            "opt_out_list": live.opt_out_list,
            "identities": sorted(live.identities),
            "deletion_protection": bool(live.deletion_protection),
            "self_managed_opt_outs": bool(live.self_managed_opt_outs),
            "two_way_enabled": bool(live.two_way_enabled),
            "shared_routes": bool(live.shared_routes),
            "keywords": mandatory,
            "optional_keywords": optional,
            "tags": plain_tags(dict(live.tags)),
        }
        desired = {k: v for k, v in live_props.items() if k != "pool_id"}
        if "deletion_protection" in after:
            desired["deletion_protection"] = bool(after["deletion_protection"])
        founder = live.identities[0] if live.identities else ""
    list_ref = Ref(f"opt_out_list/{list_name}", "name", list_name)
    desired["opt_out_list"] = list_ref
    arns = [_member_arn(reader, place, m) for m in members]
    arns = sorted(set(arns), key=lambda a: (a != founder, arns.index(a)))
    desired["identities"] = [_identity(reader, place, arn, list_ref) for arn in arns]
    if change["action"] == "create":
        _copied_keywords(reader, place, name, desired, arns)
    imported = change["action"] != "create"
    place.add(
        Resource(
            "pool",
            f"pool/{name}",
            name,
            desired,
            imported,
            live_props,
            live_props.get("pool_id", ""),
            change["address"],
        )
    )


def _copied_keywords(
    reader: Reader, place: Place, name: str, desired: dict[str, Any], arns: list[str]
) -> None:
    """A new pool copies its first number's keywords and settings; with sender IDs only, AWS's defaults."""
    numbers = [reader.live.by_arn[a] for a in arns if hasattr(reader.live.by_arn.get(a), "phone_number_id")]
    source = numbers[0] if numbers else None
    mandatory, optional = keywords(source.keywords) if source is not None else ({}, [])
    for word in MANDATORY_KEYWORDS:
        if word not in mandatory:
            mandatory[word] = place.param(
                f"pool_{name}_{word.lower()}_message", f"{word} reply of pool {name}"
            )
    desired["keywords"], desired["optional_keywords"] = mandatory, optional
    if source is not None:
        desired["self_managed_opt_outs"] = bool(source.self_managed_opt_outs)
        desired["two_way_enabled"] = bool(source.two_way_enabled)
    if any(isinstance(v, Param) for v in mandatory.values()):
        place.gap(
            "keyword messages",
            f"pool {name}",
            "copies its STOP and HELP replies from its first phone number, and the inventory holds no such "
            "reply for it (a pool of sender IDs only gets AWS's default replies): the templates ask for "
            "them as parameters / variables.",
        )


def place_gaps(reader: Reader, place: Place) -> None:
    """What the place holds that no template expresses, beyond the resources' own gaps."""
    where = (place.account, place.region)
    for item in sorted(reader.live.registrations.get(where, []), key=lambda r: r.registration_id):
        place.gap(
            "registration",
            item.registration_id,
            f"{item.registration_type} (status {item.status}) is a registration: forms, attachments and carrier review, not a template resource. Finish it in the console.",
        )
    for item in sorted(reader.live.protect.get(where, []), key=lambda p: p.protect_configuration_id):
        if item.account_default:
            place.gap(
                "account default protect configuration",
                item.protect_configuration_id,
                "is the account default: an account setting (SetAccountDefaultProtectConfiguration), which no template holds.",
            )
        else:
            place.gap(
                "protect configuration",
                item.protect_configuration_id,
                "is not part of the plan, so it is not in the templates.",
            )
    for resource in place.of("configuration_set"):
        if resource.desired.get("default_message_type"):
            place.gap(
                "default message type",
                f"configuration set {resource.name}",
                f"defaults to {resource.desired['default_message_type']}: AWS::SMSVOICE::ConfigurationSet has no such property; `pinpoint-migrate apply` sets it (SetDefaultMessageType).",
                ("cloudformation",),
            )
        if resource.desired.get("protect_configuration_id"):
            place.gap(
                "protect configuration",
                f"configuration set {resource.name}",
                "is associated with a protect configuration, which the provider's configuration set cannot hold: the association stays as it is.",
                ("terraform",),
            )
    for resource in place.of("configuration_set"):
        planned = {r.name for r in place.of("event_destination") if r.parent == resource.key}
        for item in resource.live.get("event_destinations", []):
            if item["name"] not in planned:
                place.gap(
                    "event destination kept as it is",
                    f"{resource.name}/{item['name']}",
                    "exists and the plan leaves it as it is (blocked, or not planned): the CloudFormation "
                    "template keeps it unchanged so that no update deletes it; Terraform leaves it unmanaged.",
                )
    for resource in place.of("pool"):
        place.gap(
            "pool message type",
            f"pool {resource.name}",
            "AWS::SMSVOICE::Pool has no MessageType or IsoCountryCode: the pool takes them from its first identity.",
            ("cloudformation",),
        )
        if resource.imported:
            place.gap(
                "pool iso_country_code",
                f"pool {resource.name}",
                "AWS never returns a pool's iso_country_code, so the imported pool leaves it out: setting it would plan a replacement on import.",
                ("terraform",),
            )
    if place.of("phone_number") or place.of("sender_id"):
        place.gap(
            "tags of numbers and sender IDs",
            place.slug,
            "The scan does not record the tags of phone numbers and sender IDs: the templates leave them unmanaged (Terraform ignores changes to them).",
            ("terraform",),
        )
    unfilled = set(place.unfilled)
    users = [
        r.name
        for r in place.resources
        if r.kind in ("pool", "phone_number")
        and isinstance(r.desired.get("opt_out_list"), Ref)
        and r.desired["opt_out_list"].literal in unfilled
    ]
    if users:
        place.gap(
            "order of work",
            place.slug,
            f"The plan has still to fill opt-out list(s) {', '.join(sorted(unfilled))}, and the templates point "
            f"{', '.join(sorted(users))} at them: deployed before that, people who opted out could be messaged "
            "again. Run `pinpoint-migrate apply` first (it fills and verifies each list before any number "
            "answers to it), then scan, plan and export again: every resource is then imported.",
        )
