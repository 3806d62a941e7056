"""Build the demo world (see `demo_spec`) through the emulator's own API, deterministically.

Everything a customer could create is created with boto3 calls, so the demo world is also a long
conformance run; the few things only AWS does (short codes, numbers with chosen values, the sandbox tier,
a registration's review outcome) use the emulator's provisioning helpers.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3
import phonenumbers

from migrate.emulator import demo_sources
from migrate.emulator import demo_spec as spec

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator

_CACHE: dict[str, Any] = {}


class _Clock:
    """A clock that starts at the demo epoch and ticks one second per reading: same world every build."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def build_demo(cls: type[Emulator], progress: bool | None = False) -> Emulator:
    """A new, not yet started Emulator holding the demo world (built once per process, then copied);
    `progress` shows the build's parts done/total (None: on a terminal only)."""
    if "world" not in _CACHE:
        builder = cls(account_id=spec.ACCOUNT, clock=_Clock(spec.BUILD_EPOCH))
        # Built in the instant profile whatever the environment says: its clock ticks on every reading, and
        # a wait on a state (a role's propagation) would read it more often in one profile than another.
        builder.world.meta["profile"] = "instant"
        with builder:
            builder.quotas.disable()
            _build(builder, progress)
            builder.world.meta.pop("profile")
            builder.quotas.request_enforced = True
            builder.quotas.resource_enforced = True
            builder.quotas.scale_requests(spec.REQUEST_QUOTA_SCALE)
            _CACHE["world"] = json.dumps(builder.to_json())
    return cls.from_json(json.loads(_CACHE["world"]), source="the built-in demo world", owned=True)


def _build(emu: Emulator, progress: bool | None = False) -> None:
    from functools import partial

    from migrate.progress import Progress

    parts: list[tuple[str, Callable[[], object]]] = [("AWS services", partial(_moto_side, emu))]
    parts += [(f"v2 {region}", partial(_v2_side, emu, region)) for region in spec.REGIONS]
    parts += [(t.name, partial(_tenant, emu, t)) for t in spec.TENANTS]
    parts += [(f"v1 {r}", partial(_v1_side, emu, r, sets)) for r, sets in spec.V1_CONFIGURATION_SETS.items()]
    parts += [
        ("SNS opt-outs", partial(demo_sources.sns_opted_out, emu, _number)),
        ("endpoint exports", partial(demo_sources.pre_deadline_exports, emu, emu.clock)),
        ("CloudTrail", partial(_old_api_sends, emu)),
    ]
    shown = Progress("demo world", len(parts), enabled=progress)  # the parts are listed first: a fixed total
    try:
        for name, part in parts:
            part()
            shown.advance(1, name)
    finally:
        shown.close()


def _old_api_sends(emu: Emulator) -> None:
    """Some applications still call Pinpoint's SendMessages: CloudTrail remembers them."""
    from botocore.config import Config

    if isinstance(emu.clock, _Clock):
        emu.clock.now = spec.SENDS_EPOCH
    for key, principal, agent, tenant_name, count in spec.OLD_API_CALLERS:
        tenant = next(t for t in spec.TENANTS if t.name == tenant_name)
        emu.register_access_key(key, spec.ACCOUNT, principal)
        session = boto3.Session(
            aws_access_key_id=key, aws_secret_access_key="demo", region_name=tenant.region
        )
        pinpoint = session.client("pinpoint", config=Config(user_agent=agent))
        app_id = next(
            a["Id"] for a in pinpoint.get_apps()["ApplicationsResponse"]["Item"] if a["Name"] == tenant.name
        )
        for i in range(count):
            pinpoint.send_messages(
                ApplicationId=app_id,
                MessageRequest={
                    "Addresses": {f"+1206555{170 + i:04d}": {"ChannelType": "SMS"}},
                    "MessageConfiguration": {"SMSMessage": {"Body": "Your appointment is tomorrow.",
                                                            "MessageType": "TRANSACTIONAL"}},
                },
            )  # fmt: skip


# -- moto: roles, buckets, streams, topics -------------------------------------------------------------
def _arn(service: str, region: str, resource: str) -> str:
    return f"arn:aws:{service}:{region}:{spec.ACCOUNT}:{resource}"


def _moto_side(emu: Emulator) -> None:
    session = emu.session("us-east-1")
    iam = session.client("iam")
    for role, principals in spec.ROLES.items():
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": list(principals)}, "Action": "sts:AssumeRole"}
            ],
        }
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
    session.client("s3").create_bucket(Bucket=spec.EXPORT_BUCKET)
    _event_role_policies(iam)
    for tenant in spec.TENANTS:
        if not tenant.event_stream:
            continue
        kind, name, role = tenant.event_stream.split(":")
        regional = emu.session(tenant.region)
        if kind == "kinesis":
            regional.client("kinesis").create_stream(StreamName=name, ShardCount=1)
        else:
            regional.client("firehose").create_delivery_stream(
                DeliveryStreamName=name,
                ExtendedS3DestinationConfiguration={
                    "RoleARN": f"arn:aws:iam::{spec.ACCOUNT}:role/{role}",
                    "BucketARN": f"arn:aws:s3:::{spec.EXPORT_BUCKET}",
                    "Prefix": f"events/{name}/",
                },
            )
    for region in spec.V1_CONFIGURATION_SETS:
        emu.session(region).client("sns").create_topic(Name="voice-failures")
        emu.session(region).client("logs").create_log_group(logGroupName="/relay/voice-events")


# -- v2: numbers, sender IDs, sandbox, Default opt-outs, registration ----------------------------------
def _v2_side(emu: Emulator, region: str) -> None:
    from migrate.emulator.services.v2.account import set_account_tier
    from migrate.emulator.services.v2.provision import provision_phone_number

    for number in spec.NUMBERS.get(region, ()):
        provision_phone_number(
            emu,
            region=region,
            phone_number=number.phone_number,
            number_type=number.number_type,
            message_type=number.message_type,
            capabilities=list(number.capabilities),
            iso_country_code=number.country,
            status=number.status,
        )
    sms = emu.session(region).client("pinpoint-sms-voice-v2")
    for tenant in spec.TENANTS:
        if tenant.region == region and tenant.sender_id:
            sms.request_sender_id(
                ClientToken=f"demo-sender-{tenant.sender_id}",  # botocore would make a random one
                SenderId=tenant.sender_id,
                IsoCountryCode=tenant.sender_country or tenant.country,
                MessageTypes=["TRANSACTIONAL"],
            )
    rng = random.Random(f"default-list-{region}")
    country = "GB" if region == "eu-west-1" else "US"
    chosen: set[str] = set()
    while len(chosen) < spec.DEFAULT_LIST_OPT_OUTS.get(region, 0):
        chosen.add(_number(rng, country))
    for chosen_number in sorted(chosen):
        sms.put_opted_out_number(OptOutListName="Default", OptedOutNumber=chosen_number)
    if region in spec.SANDBOX_REGIONS:
        set_account_tier(emu, region, "SANDBOX", account=spec.ACCOUNT)
    reg_region, reg_type, _number_waiting = spec.INCOMPLETE_REGISTRATION
    if region == reg_region:
        _incomplete_registration(emu, region, reg_type)


_REGISTRATION_TEXT = "Delta Logistics LLC: customers opt in at checkout on delta.example.com by ticking a box for delivery texts."


def _incomplete_registration(emu: Emulator, region: str, reg_type: str) -> None:
    sms = emu.session(region).client("pinpoint-sms-voice-v2")
    reg = sms.create_registration(
        ClientToken=f"demo-registration-{reg_type}",
        RegistrationType=reg_type,
        Tags=[{"Key": "tenant", "Value": "delta"}],
    )
    reg_id = reg["RegistrationId"]
    fields = sms.describe_registration_field_definitions(RegistrationType=reg_type)[
        "RegistrationFieldDefinitions"
    ]
    for definition in fields:
        if definition.get("FieldRequirement") != "REQUIRED":
            continue
        path = definition["FieldPath"]
        if definition.get("FieldType") == "SELECT":
            options = (definition.get("SelectValidation") or {}).get("Options", [])
            choice = next(
                (
                    o
                    for o in ("DELIVERY_NOTIFICATION", "TRANSACTIONAL", "SMS", "TRANSPORTATION", "Yes")
                    if o in options
                ),
                options[0],
            )
            if path.endswith("embeddedLink"):
                choice = "No"  # "Yes" would require a sample link as well
            sms.put_registration_field_value(RegistrationId=reg_id, FieldPath=path, SelectChoices=[choice])
        elif definition.get("FieldType") == "TEXT":
            limits = definition.get("TextValidation") or {}
            text = _REGISTRATION_TEXT.ljust(int(limits.get("MinLength", 1)), ".")
            sms.put_registration_field_value(
                RegistrationId=reg_id, FieldPath=path, TextValue=text[: int(limits.get("MaxLength", 100))]
            )
    # Left as a draft: a campaign registration can be submitted only once a brand registration is
    # associated, and a 10DLC number joins it only when it is COMPLETE (as on AWS). Delta's number waits.


def _event_role_policies(iam: Any) -> None:
    """What lets Pinpoint write to each stream: the evidence a scan infers a stream from once it is gone."""
    streams: dict[str, list[str]] = {}
    for tenant in spec.TENANTS:
        if tenant.event_stream:
            kind, name, role = tenant.event_stream.split(":")
            service, resource = ("kinesis", "stream") if kind == "kinesis" else ("firehose", "deliverystream")
            streams.setdefault(role, []).append(_arn(service, tenant.region, f"{resource}/{name}"))
    for role, arns in sorted(streams.items()):
        statements = [
            {"Effect": "Allow", "Action": ["firehose:PutRecord", "firehose:PutRecordBatch"],
             "Resource": sorted(a for a in arns if ":firehose:" in a)},
            {"Effect": "Allow", "Action": ["kinesis:PutRecords", "kinesis:DescribeStream"],
             "Resource": sorted(a for a in arns if ":kinesis:" in a)},
        ]  # fmt: skip
        document = {"Version": "2012-10-17", "Statement": [s for s in statements if s["Resource"]]}
        iam.put_role_policy(
            RoleName=role, PolicyName="pinpoint-event-stream", PolicyDocument=json.dumps(document)
        )


# -- Pinpoint projects ---------------------------------------------------------------------------------
def _tenant(emu: Emulator, tenant: spec.Tenant) -> None:
    pinpoint = emu.session(tenant.region).client("pinpoint")
    app = pinpoint.create_app(CreateApplicationRequest={"Name": tenant.name, "tags": dict(tenant.tags)})
    app_id = app["ApplicationResponse"]["Id"]
    _settings(pinpoint, app_id, tenant)
    _channels(pinpoint, app_id, tenant)
    if tenant.event_stream:
        kind, name, role = tenant.event_stream.split(":")
        service = "kinesis" if kind == "kinesis" else "firehose"
        resource = f"stream/{name}" if kind == "kinesis" else f"deliverystream/{name}"
        pinpoint.put_event_stream(
            ApplicationId=app_id,
            WriteEventStream={
                "DestinationStreamArn": _arn(service, tenant.region, resource),
                "RoleArn": f"arn:aws:iam::{spec.ACCOUNT}:role/{role}",
            },
        )
    _endpoints(pinpoint, app_id, tenant)
    from migrate.emulator.demo_engagement import engagement

    engagement(pinpoint, app_id, tenant)


def _settings(pinpoint: Any, app_id: str, tenant: spec.Tenant) -> None:
    settings: dict[str, Any] = {}
    if tenant.quiet_time:
        settings["QuietTime"] = {"Start": "21:00", "End": "08:00"}
    if tenant.limits:
        settings["Limits"] = {"Daily": 3, "MaximumDuration": 3600, "MessagesPerSecond": 50, "Total": 100}
    if tenant.campaign_hook:
        settings["CampaignHook"] = {
            "LambdaFunctionName": _arn("lambda", tenant.region, "function:bluebird-segment-filter"),
            "Mode": "FILTER",
        }
    if settings:
        pinpoint.update_application_settings(ApplicationId=app_id, WriteApplicationSettingsRequest=settings)


def _channels(pinpoint: Any, app_id: str, tenant: spec.Tenant) -> None:
    if tenant.sms:
        request: dict[str, Any] = {"Enabled": True}
        if tenant.sender_id:
            request["SenderId"] = tenant.sender_id
        if tenant.short_code:
            request["ShortCode"] = tenant.short_code
        pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest=request)
    if tenant.voice:
        pinpoint.update_voice_channel(ApplicationId=app_id, VoiceChannelRequest={"Enabled": True})
    if tenant.email:
        slug = tenant.name.split()[0].lower()
        pinpoint.update_email_channel(
            ApplicationId=app_id,
            EmailChannelRequest={
                "Enabled": True,
                "FromAddress": f"notifications@{slug}.example.com",
                "Identity": _arn("ses", tenant.region, f"identity/{slug}.example.com"),
            },
        )
    if tenant.push:
        pinpoint.update_gcm_channel(
            ApplicationId=app_id, GCMChannelRequest={"Enabled": True, "ApiKey": "demo-not-a-real-key"}
        )


def _number(rng: random.Random, country: str) -> str:
    if country == "US":
        area = rng.choice(spec.TENANTS[0].area_codes)
        return f"+1{area}55501{rng.randrange(100):02d}"
    if country == "IN":
        return f"+919{rng.randrange(10**9):09d}"
    while True:
        candidate = f"+447{rng.randrange(100, 999)}{rng.randrange(10**6):06d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate)):
            return candidate


# A few addresses that cannot be normalised: what real exports contain.
_INVALID = ("+1555", "not-a-number", "+99912345")


def _endpoints(pinpoint: Any, app_id: str, tenant: spec.Tenant) -> None:
    rng = random.Random(f"endpoints-{tenant.name}")
    batch: list[dict[str, Any]] = []
    for i in range(tenant.endpoints):
        user = f"user-{i:05d}"
        if tenant.sms and i % 5 != 4:
            address = _number(rng, tenant.country)
            if i < len(_INVALID):
                address = _INVALID[i]
            elif i % 97 == 13 and tenant.country == "US":
                address = address[2:]  # national format, no +1: normalised with the endpoint's country
            # the invalid ones texted STOP too: the rejects file must show them, not lose them
            opted_out = rng.random() < 0.04 or address in _INVALID
            item = {
                "Id": f"sms-{i:05d}",
                "ChannelType": "SMS",
                "Address": address,
                "OptOut": "ALL" if opted_out else "NONE",
                "Location": {"Country": tenant.country},
                "User": {"UserId": user, "UserAttributes": {"FirstName": [f"Person{i}"]}},
            }
        else:
            item = {
                "Id": f"email-{i:05d}",
                "ChannelType": "EMAIL",
                "Address": f"{user}@example.com",
                "OptOut": "NONE",
                "User": {"UserId": user},
            }
        batch.append(item)
        if len(batch) == 100:
            pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": batch})
            batch = []
    if batch:
        pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": batch})


# -- v1 -------------------------------------------------------------------------------------------------
def _v1_side(emu: Emulator, region: str, sets: dict[str, list[tuple[str, str, tuple[str, ...]]]]) -> None:
    v1 = emu.session(region).client("pinpoint-sms-voice")
    for name, destinations in sets.items():
        v1.create_configuration_set(ConfigurationSetName=name)
        for dest_name, kind, events in destinations:
            destination: dict[str, Any] = {"Enabled": True, "MatchingEventTypes": list(events)}
            if kind == "firehose":
                destination["KinesisFirehoseDestination"] = {
                    "DeliveryStreamArn": _arn("firehose", region, "deliverystream/acme-events"),
                    "IamRoleArn": f"arn:aws:iam::{spec.ACCOUNT}:role/pinpoint-events-acme",
                }
            elif kind == "sns":
                destination["SnsDestination"] = {"TopicArn": _arn("sns", region, "voice-failures")}
            else:
                destination["CloudWatchLogsDestination"] = {
                    "IamRoleArn": f"arn:aws:iam::{spec.ACCOUNT}:role/pinpoint-events-shared",
                    "LogGroupArn": _arn("logs", region, "log-group:/relay/voice-events"),
                }
            v1.create_configuration_set_event_destination(
                ConfigurationSetName=name, EventDestinationName=dest_name, EventDestination=destination
            )
