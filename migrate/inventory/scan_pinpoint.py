"""Sections that read Amazon Pinpoint: projects and everything per project, templates, recommenders."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import ClientError

from migrate.inventory.records import (
    AppSettings,
    Campaign,
    Channel,
    EventStream,
    Journey,
    PinpointApp,
    Recommender,
    Segment,
    Template,
)
from migrate.inventory.sections import RegionScan, section

PP = "pinpoint"
_TEMPLATE_GETTERS = {
    "SMS": ("get_sms_template", "SMSTemplateResponse", ("Body", "DefaultSubstitutions")),
    "VOICE": (
        "get_voice_template",
        "VoiceTemplateResponse",
        ("Body", "LanguageCode", "VoiceId", "DefaultSubstitutions"),
    ),
    "EMAIL": (
        "get_email_template",
        "EmailTemplateResponse",
        ("Subject", "HtmlPart", "TextPart", "DefaultSubstitutions"),
    ),
    "PUSH": ("get_push_template", "PushNotificationTemplateResponse", ("Default", "DefaultSubstitutions")),
    "INAPP": ("get_in_app_template", "InAppTemplateResponse", ("Content", "Layout")),
}


@section("pinpoint.apps", permissions=("mobiletargeting:GetApps",))
def apps(scan: RegionScan) -> list[Any]:
    return [
        PinpointApp(
            account=scan.account_id,
            region=scan.region,
            app_id=a["Id"],
            name=a["Name"],
            arn=a["Arn"],
            creation_date=a.get("CreationDate", ""),
            tags=dict(sorted((a.get("tags") or {}).items())),
        )
        for a in scan.items(PP, "GetApps", "Item")
    ]


@section(
    "pinpoint.templates",
    permissions=(
        "mobiletargeting:ListTemplates",
        "mobiletargeting:GetSmsTemplate",
        "mobiletargeting:GetVoiceTemplate",
        "mobiletargeting:GetEmailTemplate",
        "mobiletargeting:GetPushTemplate",
        "mobiletargeting:GetInAppTemplate",
    ),
)
def templates(scan: RegionScan) -> list[Any]:
    client = scan.client(PP)
    out = []
    for t in scan.items(PP, "ListTemplates", "Item"):
        kind = t["TemplateType"]
        method, key, fields = _TEMPLATE_GETTERS.get(kind, ("", "", ()))
        content: dict[str, Any] = {}
        if method:
            body = getattr(client, method)(TemplateName=t["TemplateName"])[key]
            content = {f: body[f] for f in fields if body.get(f) not in (None, "")}
        out.append(
            Template(
                account=scan.account_id,
                region=scan.region,
                name=t["TemplateName"],
                template_type=kind,
                version=str(t.get("Version", "")),
                arn=t.get("Arn", ""),
                content=content,
            )
        )
    return out


@section("pinpoint.recommenders", permissions=("mobiletargeting:GetRecommenderConfigurations",))
def recommenders(scan: RegionScan) -> list[Any]:
    return [
        Recommender(
            account=scan.account_id,
            region=scan.region,
            recommender_id=r["Id"],
            name=r.get("Name", ""),
            definition={k: v for k, v in sorted(r.items()) if k not in ("CreationDate", "LastModifiedDate")},
        )
        for r in scan.items(PP, "GetRecommenderConfigurations", "Item")
    ]


# -- per project ------------------------------------------------------------------------------------------
@section("pinpoint.settings", scope="app", permissions=("mobiletargeting:GetApplicationSettings",))
def settings(scan: RegionScan, app: PinpointApp) -> list[Any]:
    found = scan.client(PP).get_application_settings(ApplicationId=app.app_id)["ApplicationSettingsResource"]
    return [
        AppSettings(
            account=scan.account_id,
            region=scan.region,
            app_id=app.app_id,
            quiet_time=_clean(found.get("QuietTime")),
            limits=_clean(found.get("Limits")),
            campaign_hook=_clean(found.get("CampaignHook")),
            journey_limits=_clean(found.get("JourneyLimits")),
        )
    ]


def _clean(value: Any) -> dict[str, Any]:
    return {k: v for k, v in sorted((value or {}).items()) if v not in (None, "", {})}


@section(
    "pinpoint.channels",
    scope="app",
    permissions=(
        "mobiletargeting:GetChannels",
        "mobiletargeting:GetSmsChannel",
        "mobiletargeting:GetEmailChannel",
    ),
)
def channels(scan: RegionScan, app: PinpointApp) -> list[Any]:
    client = scan.client(PP)
    found = client.get_channels(ApplicationId=app.app_id)["ChannelsResponse"].get("Channels", {})
    out = []
    for kind, info in sorted(found.items()):
        extra: dict[str, Any] = {}
        if kind == "SMS":
            sms = client.get_sms_channel(ApplicationId=app.app_id)["SMSChannelResponse"]
            extra = {
                "sender_id": sms.get("SenderId", ""),
                "short_code": sms.get("ShortCode", ""),
                "promotional_mps": int(sms.get("PromotionalMessagesPerSecond", 0)),
                "transactional_mps": int(sms.get("TransactionalMessagesPerSecond", 0)),
            }
        elif kind == "EMAIL":
            email = client.get_email_channel(ApplicationId=app.app_id)["EmailChannelResponse"]
            extra = {"from_address": email.get("FromAddress", ""), "identity": email.get("Identity", "")}
        out.append(
            Channel(
                account=scan.account_id,
                region=scan.region,
                app_id=app.app_id,
                channel_type=kind,
                enabled=bool(info.get("Enabled")),
                **extra,
            )
        )
    return out


@section(
    "pinpoint.event_stream",
    scope="app",
    permissions=(
        "mobiletargeting:GetEventStream",
        "kinesis:DescribeStreamSummary",
        "firehose:DescribeDeliveryStream",
        "iam:GetRole",
    ),
)
def event_stream(scan: RegionScan, app: PinpointApp) -> list[Any]:
    try:
        found = scan.client(PP).get_event_stream(ApplicationId=app.app_id)["EventStream"]
    except ClientError as exc:
        # Before the end of support, not found means the project has no event stream; after it, the
        # operation is retired and a 404 may be its refusal: the scanner classifies that (never "none").
        not_found = exc.response.get("Error", {}).get("Code") in ("NotFoundException", "NotFound")
        if not_found and not scan.end_of_support:
            return []
        raise
    arn = found["DestinationStreamArn"]
    kind = "kinesis" if ":kinesis:" in arn else "firehose" if ":firehose:" in arn else "unknown"
    role_arn = found.get("RoleArn", "")
    role_found, trusts = _role_trust(scan, role_arn)
    return [
        EventStream(
            account=scan.account_id,
            region=scan.region,
            app_id=app.app_id,
            destination_arn=arn,
            destination_kind=kind,
            destination_found=_destination_exists(scan, kind, arn),
            role_arn=role_arn,
            role_found=role_found,
            role_trusts=trusts,
        )
    ]


def _destination_exists(scan: RegionScan, kind: str, arn: str) -> bool | None:
    name = arn.rsplit("/", 1)[-1]
    region = arn.split(":")[3] if arn.count(":") >= 5 else scan.region
    try:
        if kind == "kinesis":
            scan.clients.client(scan.account, "kinesis", region).describe_stream_summary(StreamName=name)
        elif kind == "firehose":
            scan.clients.client(scan.account, "firehose", region).describe_delivery_stream(
                DeliveryStreamName=name
            )
        else:
            return None
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return False
        return None  # denied or failed: unknown, not absent
    return True


def _role_trust(scan: RegionScan, role_arn: str) -> tuple[bool | None, tuple[str, ...]]:
    if not role_arn:
        return None, ()
    try:
        role = scan.clients.client(scan.account, "iam", "us-east-1").get_role(
            RoleName=role_arn.rsplit("/", 1)[-1]
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "NoSuchEntity":
            return False, ()
        return None, ()
    document = role["Role"].get("AssumeRolePolicyDocument", {})
    if isinstance(document, str):
        document = json.loads(unquote(document))
    services: set[str] = set()
    for statement in document.get("Statement", []):
        if statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal", {})
        found = principal.get("Service", []) if isinstance(principal, dict) else []
        services.update([found] if isinstance(found, str) else found)
    return True, tuple(sorted(services))


@section("pinpoint.campaigns", scope="app", permissions=("mobiletargeting:GetCampaigns",))
def campaigns(scan: RegionScan, app: PinpointApp) -> list[Any]:
    out = []
    for c in scan.items(PP, "GetCampaigns", "Item", ApplicationId=app.app_id):
        config = c.get("MessageConfiguration") or {}
        sms = config.get("SMSMessage") or {}
        channels = sorted(k.replace("Message", "").upper() for k, v in config.items() if v)
        templates = sorted(
            v["Name"]
            for v in (c.get("TemplateConfiguration") or {}).values()
            if isinstance(v, dict) and v.get("Name")
        )
        out.append(
            Campaign(
                account=scan.account_id,
                region=scan.region,
                app_id=app.app_id,
                campaign_id=c["Id"],
                name=c.get("Name", ""),
                state=(c.get("State") or {}).get("CampaignStatus", ""),
                version=int(c.get("Version", 0)),
                channels=tuple(channels),
                origination_number=sms.get("OriginationNumber", ""),
                sender_id=sms.get("SenderId", ""),
                message_type=sms.get("MessageType", ""),
                segment_id=c.get("SegmentId", ""),
                templates=tuple(templates),
                schedule=dict(sorted((c.get("Schedule") or {}).items())),
                definition=_definition(c),
            )
        )
    return out


def _definition(item: dict[str, Any]) -> dict[str, Any]:
    """The resource as Pinpoint returned it, minus volatile fields: what `plan --export-dir` writes."""
    return json.loads(json.dumps({k: v for k, v in item.items() if k != "ResponseMetadata"}, default=str))


@section("pinpoint.journeys", scope="app", permissions=("mobiletargeting:ListJourneys",))
def journeys(scan: RegionScan, app: PinpointApp) -> list[Any]:
    out = []
    for j in scan.items(PP, "ListJourneys", "Item", ApplicationId=app.app_id):
        numbers, senders, templates = set(), set(), set()
        for activity in (j.get("Activities") or {}).values():
            sms = activity.get("SMS") or {}
            config = sms.get("MessageConfig") or {}
            if config.get("OriginationNumber"):
                numbers.add(config["OriginationNumber"])
            if config.get("SenderId"):
                senders.add(config["SenderId"])
            if sms.get("TemplateName"):
                templates.add(sms["TemplateName"])
        out.append(
            Journey(
                account=scan.account_id,
                region=scan.region,
                app_id=app.app_id,
                journey_id=j["Id"],
                name=j.get("Name", ""),
                state=j.get("State", ""),
                origination_numbers=tuple(sorted(numbers)),
                sender_ids=tuple(sorted(senders)),
                templates=tuple(sorted(templates)),
                definition=_definition(j),
            )
        )
    return out


@section("pinpoint.segments", scope="app", permissions=("mobiletargeting:GetSegments",))
def segments(scan: RegionScan, app: PinpointApp) -> list[Any]:
    return [
        Segment(
            account=scan.account_id,
            region=scan.region,
            app_id=app.app_id,
            segment_id=s["Id"],
            name=s.get("Name", ""),
            segment_type=s.get("SegmentType", ""),
            version=int(s.get("Version", 0)),
            definition=_definition(s),
        )
        for s in scan.items(PP, "GetSegments", "Item", ApplicationId=app.app_id)
    ]
