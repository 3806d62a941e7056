"""The demo world (`migrate.emulator.demo_spec`) as a scan records it, built from records directly.

Used for the golden plan and for "resolving the blockers through overrides.toml". It mirrors the spec's
tenants, numbers, sender IDs, event streams, v1 configuration sets, Default list, sandbox region and the
incomplete 10DLC registration, plus what a scan of code and CloudTrail adds (call sites).
"""

from __future__ import annotations

from migrate.emulator import demo_spec as spec
from migrate.inventory import records as r
from plan.factories import ROLE, World, phone_id

EU = "eu-west-1"
US = "us-east-1"

# Overrides that settle every blocker a person can settle in overrides.toml.
RESOLVING_OVERRIDES = """\
prefix = "relay"

[numbers."+12065550100"]
owner = "Acme Clinics"

[tenants."Delta Logistics"]
identities = ["+13125550142"]

[tenants."Bluebird Retail"]
event_destination = "arn:aws:firehose:us-east-1:111122223333:deliverystream/bluebird-events-v2"
event_role = "arn:aws:iam::111122223333:role/pinpoint-events-shared"

[tenants."Acme Clinics"]
event_role = "arn:aws:iam::111122223333:role/pinpoint-events-shared"

[v1_configuration_sets.acme-voice-events]
event_role = "arn:aws:iam::111122223333:role/pinpoint-events-shared"

[v1_configuration_sets.legacy-ivr]
event_role = "arn:aws:iam::111122223333:role/pinpoint-events-shared"
"""

_SMS = "Hi {{User.UserAttributes.FirstName}}, {{Attributes.Message}} Reply STOP to opt out."
_VOICE = "<speak>Hello {{User.UserAttributes.FirstName}}. {{Attributes.Message}}</speak>"


def demo_inventory() -> World:
    world = World(regions=spec.REGIONS, account=spec.ACCOUNT, defaults=False)
    world.region_defaults(US, default_opt_outs=spec.DEFAULT_LIST_OPT_OUTS[US])
    world.region_defaults(EU, tier="SANDBOX", default_opt_outs=spec.DEFAULT_LIST_OPT_OUTS[EU])
    for region, numbers in spec.NUMBERS.items():
        for number in numbers:
            world.number(
                number.phone_number,
                region,
                number_type=number.number_type,
                message_type=number.message_type,
                country=number.country,
                capabilities=number.capabilities,
            )
    world.sender("EVEREST", "GB", EU)
    world.sender("FJORDEN", "IN", EU)
    reg_region, reg_type, reg_number = spec.INCOMPLETE_REGISTRATION
    world.add(
        r.Registration(
            account=spec.ACCOUNT,
            region=reg_region,
            registration_id="registration-0d5c1a2b3c4d5e6f",
            arn=world.arn(reg_region, "registration/registration-0d5c1a2b3c4d5e6f"),
            registration_type=reg_type,
            status="REQUIRES_UPDATES",
            version=1,
            associations=(phone_id(reg_number),),
        )
    )
    for tenant in spec.TENANTS:
        _tenant(world, tenant)
    for region, sets in spec.V1_CONFIGURATION_SETS.items():
        for name, destinations in sets.items():
            world.add(
                r.V1ConfigurationSet(
                    account=spec.ACCOUNT,
                    region=region,
                    name=name,
                    event_destinations=tuple(_v1(world, region, d) for d in destinations),
                )
            )
    world.add(
        r.CallSite(
            account="",
            region="",
            path="services/notify/send.py",
            line=42,
            language="python",
            api="pinpoint.send_messages",
            channel="SMS",
            replacement="pinpoint-sms-voice-v2.send_text_message",
        ),
        r.ApiUsage(
            account=spec.ACCOUNT,
            region=US,
            event_name="SendMessages",
            principal=f"arn:aws:iam::{spec.ACCOUNT}:role/notify-service",
            user_agent="Boto3/1.34.0",
            count=1840,
            last_seen="2026-11-20T10:00:00Z",
        ),
    )
    return world


def _tenant(world: World, tenant: spec.Tenant) -> None:
    channels = tuple(
        c for c, on in (("VOICE", tenant.voice), ("EMAIL", tenant.email), ("GCM", tenant.push)) if on
    )
    sms_endpoints = sum(1 for i in range(tenant.endpoints) if i % 5 != 4) if tenant.sms else 0
    rejected = 3 if tenant.sms else 0
    app = world.tenant(
        tenant.name,
        tenant.region,
        sms=tenant.sms,
        sender_id=tenant.sender_id or "",
        short_code=tenant.short_code or "",
        channels=channels,
        opt_outs=max(1, sms_endpoints // 25),
        rejected=rejected,
        tags=dict(tenant.tags),
    )
    if tenant.event_stream:
        kind, name, role = tenant.event_stream.split(":")
        world.stream(app, kind, name, role, spec.ROLES[role], tenant.region)
    world.settings(
        app,
        tenant.region,
        quiet_time={"Start": "21:00", "End": "08:00"} if tenant.quiet_time else {},
        limits={"Daily": 3, "MaximumDuration": 3600, "MessagesPerSecond": 50, "Total": 100}
        if tenant.limits
        else {},
        campaign_hook={"LambdaFunctionName": "bluebird-segment-filter", "Mode": "FILTER"}
        if tenant.campaign_hook
        else {},
    )
    origination = tenant.numbers[-1] if tenant.numbers else (tenant.short_code or "")
    for name in tenant.segments:
        world.segment(app, name, tenant.region)
    for name in tenant.campaigns:
        world.campaign(
            app, name, tenant.region, origination_number=origination, sender_id=tenant.sender_id or ""
        )
    for name in tenant.journeys:
        world.journey(app, name, tenant.region, origination_numbers=(origination,) if origination else ())
    defaults = '{"Attributes": {"Message": "your update is ready."}}'
    for name in tenant.sms_templates:
        world.template(name, "SMS", _SMS, tenant.region, DefaultSubstitutions=defaults)
    for name in tenant.voice_templates:
        world.template(name, "VOICE", _VOICE, tenant.region, LanguageCode="en-US", VoiceId="Joanna")
    for name in tenant.email_templates:
        world.template(name, "EMAIL", "", tenant.region, Subject="News from {{Attributes.Brand}}")


def _v1(world: World, region: str, destination: tuple[str, str, tuple[str, ...]]) -> dict[str, object]:
    """A v1 destination as the scanner records it (flat: name, enabled, event_types, target, role)."""
    name, kind, events = destination
    item: dict[str, object] = {
        "name": name,
        "enabled": True,
        "event_types": sorted(events),
        "firehose": "",
        "log_group": "",
        "sns": "",
        "role": "",
    }
    if kind == "firehose":
        item["firehose"] = world.arn(region, "deliverystream/acme-events", "firehose")
        item["role"] = ROLE + "pinpoint-events-acme"
    elif kind == "sns":
        item["sns"] = world.arn(region, "voice-failures", "sns")
    else:
        item["log_group"] = world.arn(region, "log-group:/relay/voice-events", "logs")
        item["role"] = ROLE + "pinpoint-events-shared"
    return item
