"""Mapping rules on small worlds: tenants and slugs, pools under the v2 rules, lists, strategies, v1 sets."""

from __future__ import annotations

from plan.factories import ACCOUNT, REGION, World, app_id, phone_id

from migrate.inventory import records as r
from migrate.mapping.overrides import Overrides, parse_overrides
from migrate.mapping.rules import RULES, map_inventory
from migrate.mapping.tenants import slugify


def _codes(desired) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(f.code for f in desired.findings)


def test_tenants_are_projects_with_sms_or_voice_and_get_safe_unique_slugs() -> None:
    world = World()
    world.tenant("Acme Clinics")
    world.tenant("<img src=x onerror=alert(1)>")
    world.tenant("Gamma Marketing", sms=False, channels=("EMAIL",))
    world.tenant("Voice Only", sms=False, channels=("VOICE",))
    world.tenant("acme clinics!")  # slugifies like the first one
    world.tenant("日本語")
    desired = map_inventory(world.build())
    slugs = {t.project: t.slug for t in desired.tenants}
    later = max(app_id("Acme Clinics"), app_id("acme clinics!"))  # the later id takes the suffix
    assert sorted(slugs.values()) == sorted(
        [
            "acme-clinics",
            "img-src-x-onerror-alert-1",
            "voice-only",
            f"acme-clinics-{later[:6]}",
            f"project-{app_id('日本語')[:8]}",
        ]
    )
    assert [s["name"] for s in desired.skipped] == ["Gamma Marketing"]
    assert desired.skipped[0]["reason"] == "no SMS or voice channel enabled"
    assert slugify("  --Ünïcödé Name--  ") == "unicode-name"


def test_include_and_exclude() -> None:
    world = World()
    for name in ("Acme Clinics", "Bluebird Retail", "Cobalt Bank"):
        world.tenant(name)
    only = map_inventory(world.build(), parse_overrides('include = ["Acme Clinics", "Cobalt Bank"]\n'))
    assert [t.project for t in only.tenants] == ["Acme Clinics", "Cobalt Bank"]
    without = map_inventory(world.build(), parse_overrides(f'exclude = ["{app_id("Cobalt Bank")}"]\n'))
    assert sorted(t.project for t in without.tenants) == ["Acme Clinics", "Bluebird Retail"]
    assert [s["reason"] for s in without.skipped] == ["in `exclude` of overrides.toml"]


def test_identities_come_from_channel_campaigns_journeys_and_overrides_phone_numbers_first() -> None:
    world = World()
    acme = world.tenant("Acme Clinics", short_code="22233", sender_id="ACME")
    world.number("22233", number_type="SHORT_CODE")
    world.number("+12065550100")
    world.number("+12065550101")
    world.sender("ACME", "GB")
    world.campaign(acme, "reminders", origination_number="+12065550100")
    world.journey(acme, "onboarding", origination_numbers=("+12065550101",))
    overrides = parse_overrides('[tenants."Acme Clinics"]\nidentities = ["ACME/GB"]\n')
    (pool,) = map_inventory(world.build(), overrides).pools
    assert [i.value for i in pool.identities] == ["22233", "+12065550100", "+12065550101", "ACME"]
    assert pool.identities[0].used_by == ("channel",)
    assert pool.identities[1].used_by == ("campaign:reminders",)
    assert pool.identities[3].identity_id == "ACME/GB" and pool.identities[3].used_by == (
        "channel",
        "override",
    )


def test_numbers_of_another_message_type_get_a_second_pool_with_the_same_list() -> None:
    world = World()
    world.tenant("Acme Clinics")
    world.number("+12065550100")
    world.number("+18335550111", number_type="TOLL_FREE", message_type="PROMOTIONAL")
    overrides = parse_overrides('[tenants."Acme Clinics"]\nidentities = ["+12065550100", "+18335550111"]\n')
    desired = map_inventory(world.build(), overrides)
    assert [(p.name, p.message_type, p.opt_out_list) for p in desired.pools] == [
        ("pinpoint-acme-clinics", "TRANSACTIONAL", "pinpoint-acme-clinics"),
        ("pinpoint-acme-clinics-promotional", "PROMOTIONAL", "pinpoint-acme-clinics"),
    ]
    assert len(desired.opt_out_lists) == 1 and _codes(desired) == []
    assert desired.tenants[0].pools == ("pinpoint-acme-clinics", "pinpoint-acme-clinics-promotional")


def test_an_identity_whose_settings_differ_is_left_out_and_reported() -> None:
    world = World()
    world.tenant("Acme Clinics")
    world.number("+12065550100")
    world.number(
        "+12065550101", keywords=({"Keyword": "JOIN", "KeywordAction": "OPT_IN", "KeywordMessage": "Hi"},)
    )
    overrides = parse_overrides('[tenants."Acme Clinics"]\nidentities = ["+12065550100", "+12065550101"]\n')
    desired = map_inventory(world.build(), overrides)
    (finding,) = desired.findings
    assert finding.code == "POOL_IDENTITY_MISMATCH" and finding.details["fields"] == ["keywords"]
    blocked = [i for i in desired.pools[0].identities if i.blocked_by]
    assert [i.value for i in blocked] == ["+12065550101"] and blocked[0].blocked_by == (finding.id,)
    assert finding.blocks == (
        f"pool_identity:{ACCOUNT}/{REGION}/pinpoint-acme-clinics/{phone_id('+12065550101')}",
    )


def test_a_shared_number_is_blocked_everywhere_until_an_owner_is_named() -> None:
    world = World()
    acme = world.tenant("Acme Clinics", opt_outs=7)
    delta = world.tenant("Delta Logistics", opt_outs=5)
    world.number("+12065550100")
    world.campaign(acme, "a", origination_number="+12065550100")
    world.campaign(delta, "d", origination_number="+12065550100")
    desired = map_inventory(world.build())
    shared = next(f for f in desired.findings if f.code == "ORIGINATION_IDENTITY_SHARED")
    assert shared.details["tenants"] == ["Acme Clinics", "Delta Logistics"]
    assert len(shared.blocks) == 2
    assert all(i.blocked_by == (shared.id,) for p in desired.pools for i in p.identities)

    owned = map_inventory(
        world.build(), parse_overrides('[numbers."+12065550100"]\nowner = "Acme Clinics"\n')
    )
    pools = {p.name: p for p in owned.pools}
    assert [i.value for i in pools["pinpoint-acme-clinics"].identities] == ["+12065550100"]
    assert pools["pinpoint-delta-logistics"].identities == ()
    lists = {x.name: x for x in owned.opt_out_lists}
    assert [s.tenant for s in lists["pinpoint-acme-clinics"].sources] == ["acme-clinics", "delta-logistics"]
    assert [s.tenant for s in lists["pinpoint-delta-logistics"].sources] == ["delta-logistics"]
    assert "OPTOUTS_MERGED_FOR_SHARED_NUMBER" in _codes(owned) and "TENANT_HAS_NO_ORIGINATION" in _codes(
        owned
    )


def test_a_shared_strategy_puts_a_group_on_one_list_pool_and_configuration_set() -> None:
    world = World()
    for name, number in (("Acme Clinics", "+12065550100"), ("Bluebird Retail", "+12065550101")):
        aid = world.tenant(name)
        world.number(number)
        world.campaign(aid, "c", origination_number=number)
    text = '[tenants."Acme Clinics"]\nstrategy = "shared:retail"\n[tenants."Bluebird Retail"]\nstrategy = "shared:retail"\n'
    desired = map_inventory(world.build(), parse_overrides(text))
    assert [x.name for x in desired.opt_out_lists] == ["pinpoint-retail"]
    assert [s.tenant for s in desired.opt_out_lists[0].sources] == ["acme-clinics", "bluebird-retail"]
    (pool,) = desired.pools
    assert [i.value for i in pool.identities] == ["+12065550100", "+12065550101"]
    assert [c.name for c in desired.configuration_sets] == ["pinpoint-retail"]
    assert {t.strategy for t in desired.tenants} == {"shared:retail"}


def test_opt_out_list_copies_the_default_list_and_blocks_without_an_export() -> None:
    world = World()
    world.tenant("Acme Clinics", opt_outs=12, export=False)
    world.replace_record("opt_out_lists", {"name": "Default"}, size=40)
    desired = map_inventory(world.build())
    (spec,) = desired.opt_out_lists
    assert spec.copy_default == 40 and spec.sources == () and spec.blocked_by
    assert {f.code for f in desired.findings} >= {"OPTOUT_EXPORT_MISSING", "DEFAULT_OPTOUT_LIST_COPIED"}


def test_configuration_set_takes_channel_sender_id_pool_message_type_and_event_stream() -> None:
    world = World()
    acme = world.tenant("Acme Clinics", sender_id="ACME")
    world.number("+18335550111", number_type="TOLL_FREE", message_type="PROMOTIONAL")
    world.campaign(acme, "c", origination_number="+18335550111")
    world.stream(acme, "firehose", "acme", "events", ("sms-voice.amazonaws.com",))
    (cs,) = map_inventory(world.build()).configuration_sets
    assert (cs.default_sender_id, cs.default_message_type) == ("ACME", "PROMOTIONAL")
    (destination,) = cs.event_destinations
    assert (destination.kind, destination.event_types) == ("firehose", ("TEXT_ALL",))
    assert destination.api_destination()["KinesisFirehoseDestination"]["IamRoleArn"].endswith("role/events")


def test_a_kinesis_stream_is_redirected_by_overrides() -> None:
    world = World()
    acme = world.tenant("Acme Clinics")
    world.stream(acme, "kinesis", "acme", "events", ("sms-voice.amazonaws.com",))
    blocked = map_inventory(world.build()).configuration_sets[0].event_destinations[0]
    assert blocked.kind == "none" and blocked.blocked_by
    topic = "arn:aws:sns:us-east-1:111122223333:acme-events"
    fixed = map_inventory(
        world.build(), parse_overrides(f'[tenants."Acme Clinics"]\nevent_destination = "{topic}"\n')
    )
    destination = fixed.configuration_sets[0].event_destinations[0]
    assert (
        destination.api_destination() == {"SnsDestination": {"TopicArn": topic}}
        and not destination.blocked_by
    )


def test_v1_sets_keep_their_name_translate_events_and_drop_disabled_destinations() -> None:
    world = World()
    topic = world.arn(REGION, "t", "sns")
    world.add(
        r.V1ConfigurationSet(
            account=ACCOUNT,
            region=REGION,
            name="ivr",
            event_destinations=(
                {
                    "Name": "on",
                    "Enabled": True,
                    "MatchingEventTypes": ["INITIATED_CALL", "NO_ANSWER"],
                    "SnsDestination": {"TopicArn": topic},
                },
                {
                    "Name": "off",
                    "Enabled": False,
                    "MatchingEventTypes": ["BUSY"],
                    "SnsDestination": {"TopicArn": topic},
                },
            ),
        )
    )
    (cs,) = map_inventory(world.build()).configuration_sets
    assert cs.name == "ivr" and cs.source == "v1:ivr"
    assert [(d.name, d.event_types) for d in cs.event_destinations] == [
        ("on", ("VOICE_INITIATED", "VOICE_NO_ANSWER"))
    ]


def test_mapping_is_deterministic_and_rules_are_documented() -> None:
    world = World()
    world.tenant("Acme Clinics")
    assert map_inventory(world.build(), Overrides()) == map_inventory(world.build(), Overrides())
    assert all(rule.doc for rule in RULES.values())
