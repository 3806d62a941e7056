"""Scanning the demo world finds exactly what the demo world holds, before and after end of support."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from migrate.emulator import Emulator
from migrate.emulator import demo_spec as spec
from migrate.inventory.run import ScanOptions, ScanOutcome, run_scan
from tests.clocks import BEFORE_END_OF_SUPPORT_ISO, clock_before_end_of_support

RETIRED = (
    "pinpoint.campaigns",
    "pinpoint.journeys",
    "pinpoint.segments",
    "pinpoint.settings",
    "pinpoint.event_stream",
    "pinpoint.recommenders",
)


def _scan(tmp_path: Path, *, before_end_of_support: bool, answer: int = 403) -> ScanOutcome:
    emu = Emulator.demo()
    emu.retired_answer = answer
    now = None
    if before_end_of_support:  # the world and the scan both before 2026-10-30
        emu.end_of_support = None
        emu.clock = clock_before_end_of_support()
        now = BEFORE_END_OF_SUPPORT_ISO
    else:
        emu.end_of_support = True
    with emu:
        options = ScanOptions(out_dir=tmp_path, regions=spec.REGIONS, progress=False, now=now)
        return run_scan(options, emulator=emu)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> ScanOutcome:
    return _scan(tmp_path_factory.mktemp("live"), before_end_of_support=True)


def _per_region(items: list[object]) -> Counter[str]:
    return Counter(getattr(i, "region") for i in items)  # noqa: B009


def test_every_section_is_ok_in_both_regions(live: ScanOutcome) -> None:
    bad = [(s.region, s.name, s.status, s.reason) for s in live.inventory.sections if s.status != "ok"]
    assert bad == []
    assert {s.region for s in live.inventory.sections} == set(spec.REGIONS)


def test_campaign_states_follow_the_clock(live: ScanOutcome) -> None:
    # The demo's campaigns are weekly from 2026-06-02; on 2026-09-01 each is between runs, not SCHEDULED
    # (Pinpoint API reference, CampaignState.CampaignStatus; the emulator's campaigns.status_at).
    states = Counter(c.state for c in live.inventory.of("campaigns"))
    assert states == Counter({"PENDING_NEXT_RUN": sum(len(t.campaigns) for t in spec.TENANTS)})


def test_projects_and_their_parts(live: ScanOutcome) -> None:
    inv = live.inventory
    assert _per_region(inv.of("pinpoint_apps")) == Counter(t.region for t in spec.TENANTS)
    assert sorted(a.name for a in inv.of("pinpoint_apps")) == sorted(t.name for t in spec.TENANTS)
    channels = Counter(c.channel_type for c in inv.of("channels"))
    assert channels["SMS"] == sum(t.sms for t in spec.TENANTS)
    assert channels["VOICE"] == sum(t.voice for t in spec.TENANTS)
    assert channels["EMAIL"] == sum(t.email for t in spec.TENANTS)
    assert channels["GCM"] == sum(t.push for t in spec.TENANTS)
    assert len(inv.of("campaigns")) == sum(len(t.campaigns) for t in spec.TENANTS)
    assert len(inv.of("journeys")) == sum(len(t.journeys) for t in spec.TENANTS)
    expected_segments = sum(len(t.segments) or (1 if t.campaigns or t.journeys else 0) for t in spec.TENANTS)
    assert len(inv.of("segments")) == expected_segments
    templates = Counter(t.template_type for t in inv.of("templates"))
    assert templates == Counter(
        {
            "SMS": sum(len(t.sms_templates) for t in spec.TENANTS),
            "VOICE": sum(len(t.voice_templates) for t in spec.TENANTS),
            "EMAIL": sum(len(t.email_templates) for t in spec.TENANTS),
        }
    )
    sms_template = next(t for t in inv.of("templates") if t.template_type == "SMS")
    assert "{{User.UserAttributes.FirstName}}" in sms_template.content["Body"]
    settings = {s.app_id: s for s in inv.of("app_settings")}
    names = {a.app_id: a.name for a in inv.of("pinpoint_apps")}
    with_quiet = sorted(names[a] for a, s in settings.items() if s.quiet_time)
    assert with_quiet == sorted(t.name for t in spec.TENANTS if t.quiet_time)
    assert sorted(names[a] for a, s in settings.items() if s.campaign_hook) == ["Bluebird Retail"]


def test_event_streams_and_role_trust(live: ScanOutcome) -> None:
    streams = live.inventory.of("event_streams")
    assert len(streams) == sum(1 for t in spec.TENANTS if t.event_stream)
    assert Counter(s.destination_kind for s in streams) == Counter({"firehose": 3, "kinesis": 1})
    assert all(s.destination_found and s.role_found for s in streams)
    pinpoint_only = [s for s in streams if s.role_trusts == ("pinpoint.amazonaws.com",)]
    assert [s.role_arn.rsplit("/", 1)[-1] for s in pinpoint_only] == ["pinpoint-events-acme"]


def test_v2_and_v1(live: ScanOutcome) -> None:
    inv = live.inventory
    numbers = inv.of("phone_numbers")
    assert _per_region(numbers) == Counter({r: len(n) for r, n in spec.NUMBERS.items()})
    assert Counter(n.number_type for n in numbers) == Counter(
        n.number_type for region in spec.NUMBERS.values() for n in region
    )
    assert all(n.opt_out_list == "Default" and not n.pool_id for n in numbers)
    senders = {(s.sender_id, s.iso_country_code): s.registered for s in inv.of("sender_ids")}
    assert senders == {("EVEREST", "GB"): True, ("FJORDEN", "IN"): False}
    lists = {(o.region, o.name): o.size for o in inv.of("opt_out_lists")}
    assert lists == {(r, "Default"): n for r, n in spec.DEFAULT_LIST_OPT_OUTS.items()}
    tiers = {a.region: a.value for a in inv.of("account_attributes") if a.name == "ACCOUNT_TIER"}
    assert tiers == {"us-east-1": "PRODUCTION", "eu-west-1": "SANDBOX"}
    registrations = inv.of("registrations")
    assert [(r.registration_type, r.status) for r in registrations] == [
        ("US_TEN_DLC_CAMPAIGN_REGISTRATION", "CREATED")
    ]
    v1 = {c.name: len(c.event_destinations) for c in inv.of("v1_configuration_sets")}
    assert v1 == {name: len(d) for name, d in spec.V1_CONFIGURATION_SETS["us-east-1"].items()}


@pytest.mark.parametrize("answer", [403, 404, 400])
def test_end_of_support_marks_retired_sections_retired_whatever_the_answer(tmp_path: Path, answer: int) -> None:
    retired = _scan(tmp_path, before_end_of_support=False, answer=answer)
    assert retired.inventory.end_of_support == {
        "date": "2026-10-30", "judged_at": retired.inventory.scanned_at, "in_effect": True
    }  # fmt: skip
    statuses = {(s.region, s.name): s for s in retired.inventory.sections}
    for region in spec.REGIONS:
        for name in RETIRED:
            section = statuses[(region, name)]
            assert section.status == "retired", section
            assert "end of support" in section.reason.lower()
        assert statuses[(region, "pinpoint.apps")].status == "ok"
        assert statuses[(region, "pinpoint.channels")].status == "ok"
    assert retired.inventory.of("campaigns") == [] and retired.inventory.of("event_streams") == []
    assert {s.status for s in retired.inventory.sections} == {"ok", "retired"}
    assert len(retired.inventory.of("pinpoint_apps")) == len(spec.TENANTS)
    assert len(retired.inventory.of("phone_numbers")) == sum(len(n) for n in spec.NUMBERS.values())


def test_access_denied_on_one_regions_pinpoint_leaves_the_rest_complete(tmp_path: Path) -> None:
    """After end of support too: a 403 on GetApps (which lives on) is `denied`, never `retired`."""
    emu = Emulator.demo()
    emu.end_of_support = True
    with emu:
        # the first GetApps (one region's; ForbiddenException is not retried) is denied
        emu.faults.fail("GetApps", "ForbiddenException", times=1, message="User is not authorized to GetApps")
        outcome = run_scan(ScanOptions(out_dir=tmp_path, regions=spec.REGIONS, progress=False), emulator=emu)
    apps_sections = {s.region: s for s in outcome.inventory.sections if s.name == "pinpoint.apps"}
    denied = [r for r, s in apps_sections.items() if s.status == "denied"]
    assert len(denied) == 1 and "not authorized" in apps_sections[denied[0]].reason
    other = next(r for r in spec.REGIONS if r not in denied)
    assert apps_sections[other].status == "ok"
    assert {a.region for a in outcome.inventory.of("pinpoint_apps")} == {other}
    assert len(outcome.inventory.of("pinpoint_apps")) == sum(t.region == other for t in spec.TENANTS)
    # everything else of both regions is there: v2, v1, templates
    assert len(outcome.inventory.of("phone_numbers")) == sum(len(n) for n in spec.NUMBERS.values())
    assert {t.region for t in outcome.inventory.of("templates")} == set(spec.REGIONS)
    bad = {(s.region, s.name) for s in outcome.inventory.sections if s.status not in ("ok", "retired")}
    assert bad == {(denied[0], "pinpoint.apps")}
    retired = {(s.region, s.name) for s in outcome.inventory.sections if s.status == "retired"}
    assert retired == {(other, name) for name in RETIRED} | {(denied[0], "pinpoint.recommenders")}
