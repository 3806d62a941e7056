"""Every finding code is raised by a world built for it, and none is raised on a clean world.

Each world is the clean world (one tenant, one number, production, export read) plus the one thing the
code is about. Findings are collected from the whole plan (mapping and diff), as a person sees them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from plan.factories import ACCOUNT, CLEAN_OVERRIDES, REGION, ROLE, World, app_id, clean_world, phone_id

from migrate.inventory import records as r
from migrate.inventory.snapshot import Inventory, Section
from migrate.mapping.catalog import CATALOG
from migrate.mapping.overrides import parse_overrides
from migrate.plan.commands import compute_plan

ACME = app_id("Acme Clinics")
World_ = tuple[Inventory, str]


def plan_findings(inventory: Inventory, overrides: str = CLEAN_OVERRIDES) -> list[dict]:
    plan = compute_plan(
        inventory, parse_overrides(overrides), inventory, inventory_sha256="0" * 64, offline=True
    )
    return plan.findings


def _clean(change: Callable[[World], None] = lambda w: None, overrides: str = CLEAN_OVERRIDES) -> World_:
    world = clean_world()
    change(world)
    return world.build(), overrides


def _second_tenant_on_same_number(world: World) -> None:
    world.tenant("Delta Logistics")
    world.campaign(app_id("Delta Logistics"), "deliveries", origination_number="+12065550100")


def _foreign_pool(world: World) -> None:
    world.replace_record("phone_numbers", {"phone_number": "+12065550100"}, pool_id="pool-foreign")
    world.add(
        r.Pool(
            account=ACCOUNT,
            region=REGION,
            pool_id="pool-foreign",
            arn=world.arn(REGION, "pool/pool-foreign"),
            status="ACTIVE",
            message_type="TRANSACTIONAL",
            opt_out_list="Default",
            identities=(world.arn(REGION, f"phone-number/{phone_id('+12065550100')}"),),
        )
    )


def _inferred_stream(world: World) -> None:
    world.add(
        r.InferredEventStream(
            account=ACCOUNT,
            region=REGION,
            app_id=ACME,
            destination_arn=world.arn(REGION, "deliverystream/acme-events", "firehose"),
            destination_kind="firehose",
            role_arn=ROLE + "events",
            role_trusts=("pinpoint.amazonaws.com", "sms-voice.amazonaws.com"),
            evidence=("CloudTrail: PutEventStream at 2026-09-01T10:00:00Z by arn:aws:iam::1:user/ops",),
        )
    )


def _v1_with_six(world: World) -> None:
    topic = world.arn(REGION, "voice-events", "sns")
    destinations = tuple(
        {
            "Name": f"d{i}",
            "Enabled": True,
            "MatchingEventTypes": ["FAILED"],
            "SnsDestination": {"TopicArn": topic},
        }
        for i in range(6)
    )
    world.add(
        r.V1ConfigurationSet(account=ACCOUNT, region=REGION, name="ivr", event_destinations=destinations)
    )


TWO_NUMBERS = '[tenants."Acme Clinics"]\nidentities = ["+12065550100", "+12065550101"]\n'

WORLDS: dict[str, Callable[[], World_]] = {
    "SECTION_UNAVAILABLE": lambda: _clean(
        lambda w: w.inventory.sections.append(
            Section(ACCOUNT, REGION, "pinpoint.journeys", "denied", "AccessDenied")
        )
    ),
    "ACCOUNT_IN_SANDBOX": lambda: _clean(
        lambda w: w.replace_record("account_attributes", {"name": "ACCOUNT_TIER"}, value="SANDBOX")
    ),
    "SPEND_LIMIT_LOW": lambda: _clean(
        lambda w: w.replace_record(
            "spend_limits",
            {"name": "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"},
            enforced=1,
            maximum=1,
            overridden=False,
        )
    ),
    "QUOTA_INSUFFICIENT": lambda: _clean(
        lambda w: w.replace_record("account_limits", {"name": "POOLS"}, used=25)
    ),
    "REGISTRATION_INCOMPLETE": lambda: _clean(
        lambda w: w.add(
            r.Registration(
                account=ACCOUNT,
                region=REGION,
                registration_id="registration-1",
                arn="arn:x",
                registration_type="US_TEN_DLC_CAMPAIGN_REGISTRATION",
                status="REQUIRES_UPDATES",
                associations=(phone_id("+12065550100"),),
            )
        )
    ),
    "SENDER_ID_REGISTRATION_REQUIRED": lambda: _clean(
        lambda w: (
            w.replace_record("channels", {"app_id": ACME}, sender_id="ACMEIN"),
            w.sender("ACMEIN", "IN"),
        )
    ),
    "SHORT_CODE_MIGRATION": lambda: _clean(
        lambda w: w.number("22233", number_type="SHORT_CODE"),
        '[tenants."Acme Clinics"]\nidentities = ["22233"]\n',
    ),
    "IDENTITY_UNAVAILABLE": lambda: _clean(
        overrides='[tenants."Acme Clinics"]\nidentities = ["+12065550199"]\n'
    ),
    "TENANT_HAS_NO_ORIGINATION": lambda: _clean(overrides=""),
    "ORIGINATION_IDENTITY_SHARED": lambda: _clean(_second_tenant_on_same_number),
    "OPTOUTS_MERGED_FOR_SHARED_NUMBER": lambda: _clean(
        _second_tenant_on_same_number, CLEAN_OVERRIDES + '[numbers."+12065550100"]\nowner = "Acme Clinics"\n'
    ),
    "NUMBER_IN_OTHER_POOL": lambda: _clean(_foreign_pool),
    "POOL_IDENTITY_MISMATCH": lambda: _clean(
        lambda w: w.number("+12065550101", two_way_enabled=True), TWO_NUMBERS
    ),
    "OPTOUT_EXPORT_MISSING": lambda: _clean(lambda w: w.inventory.records.pop("optout_exports")),
    "DEFAULT_OPTOUT_LIST_COPIED": lambda: _clean(
        lambda w: w.replace_record("opt_out_lists", {"name": "Default"}, size=5)
    ),
    "OPTOUT_NUMBER_INVALID": lambda: _clean(
        lambda w: w.replace_record("optout_exports", {"app_id": ACME}, rejected=2)
    ),
    "EVENT_STREAM_KINESIS_UNSUPPORTED": lambda: _clean(
        lambda w: w.stream(
            ACME, "kinesis", "acme", "events", ("pinpoint.amazonaws.com", "sms-voice.amazonaws.com")
        )
    ),
    "EVENT_ROLE_TRUST_MISSING": lambda: _clean(
        lambda w: w.stream(ACME, "firehose", "acme", "events", ("pinpoint.amazonaws.com",))
    ),
    "EVENT_SCHEMA_CHANGES": lambda: _clean(
        lambda w: w.stream(
            ACME, "firehose", "acme", "events", ("pinpoint.amazonaws.com", "sms-voice.amazonaws.com")
        )
    ),
    "EVENTS_NOT_DELIVERED": lambda: _clean(
        lambda w: w.stream(ACME, "firehose", "acme", "events", ("pinpoint.amazonaws.com",))
    ),
    "EVENT_DESTINATION_UNCONFIRMED": lambda: _clean(_inferred_stream),
    "V1_DESTINATIONS_OVER_LIMIT": lambda: _clean(_v1_with_six),
    "APP_SETTINGS_NO_EQUIVALENT": lambda: _clean(
        lambda w: w.settings(ACME, quiet_time={"Start": "21:00", "End": "08:00"})
    ),
    "CAMPAIGNS_NEED_REBUILD": lambda: _clean(lambda w: w.campaign(ACME, "reminders")),
    "JOURNEYS_NEED_REBUILD": lambda: _clean(lambda w: w.journey(ACME, "onboarding")),
    "SEGMENTS_NEED_REBUILD": lambda: _clean(lambda w: w.segment(ACME, "patients")),
    "TEMPLATES_EXPORTED": lambda: _clean(lambda w: w.template("reminder", "SMS", "Hi {{Attributes.Name}}")),
    "EMAIL_CHANNEL_TO_SES": lambda: _clean(
        lambda w: w.add(
            r.Channel(
                account=ACCOUNT,
                region=REGION,
                app_id=ACME,
                channel_type="EMAIL",
                enabled=True,
                from_address="hi@acme.example.com",
            )
        )
    ),
    "PUSH_CHANNEL_UNCHANGED": lambda: _clean(
        lambda w: w.add(
            r.Channel(account=ACCOUNT, region=REGION, app_id=ACME, channel_type="GCM", enabled=True)
        )
    ),
    "CODE_USES_OLD_SEND_API": lambda: _clean(
        lambda w: w.add(
            r.CallSite(
                account="",
                region="",
                path="app/send.py",
                line=7,
                language="python",
                api="pinpoint.send_messages",
                channel="SMS",
                replacement="",
            )
        )
    ),
}


def test_every_code_has_a_world() -> None:
    assert set(WORLDS) == set(CATALOG)


def test_the_clean_world_raises_nothing() -> None:
    assert plan_findings(*_clean()) == []


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_each_code_is_raised_on_its_world(code: str) -> None:
    findings = plan_findings(*WORLDS[code]())
    raised = [f for f in findings if f["code"] == code]
    assert raised, f"{code} not raised; got {[f['code'] for f in findings]}"
    for finding in raised:
        # Every placeholder of the catalog's words was filled from the finding's details.
        assert "{" not in finding["message"] and "{" not in finding["remedy"], finding
        assert finding["severity"] == CATALOG[code].severity and finding["how"] == CATALOG[code].how


def test_role_of_a_v1_destination_that_does_not_trust_v2_is_reported() -> None:
    world = clean_world()
    world.stream(ACME, "firehose", "acme", "pinpoint-only", ("pinpoint.amazonaws.com",))
    world.add(
        r.V1ConfigurationSet(
            account=ACCOUNT,
            region=REGION,
            name="ivr",
            event_destinations=(
                {
                    "Name": "fh",
                    "Enabled": True,
                    "MatchingEventTypes": ["ANSWERED"],
                    "KinesisFirehoseDestination": {
                        "DeliveryStreamArn": world.arn(REGION, "deliverystream/x", "firehose"),
                        "IamRoleArn": ROLE + "pinpoint-only",
                    },
                },
            ),
        )
    )
    trust = [f for f in plan_findings(world.build()) if f["code"] == "EVENT_ROLE_TRUST_MISSING"]
    assert {f["resource"] for f in trust} == {
        f"event_destination:{ACCOUNT}/{REGION}/ivr/fh",
        f"event_destination:{ACCOUNT}/{REGION}/pinpoint-acme-clinics/acme-clinics-events",
    }
    assert all(f["blocks"] == [f["resource"]] for f in trust)
