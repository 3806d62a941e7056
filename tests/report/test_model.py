"""The report model: tenants, readiness, steps and statuses, checklist, masking, determinism."""

from __future__ import annotations

import json

from migrate.report.jsonout import dumps
from migrate.report.model import build_report
from tests.report import world


def _cards(report):  # type: ignore[no-untyped-def]
    return {c.name: c for c in report.tenants}


def test_readiness_per_tenant_and_overall() -> None:
    report = build_report(world.inventory(), world.plan())
    cards = _cards(report)
    assert cards[world.HOSTILE].readiness == "blocked"  # its opt-out list is blocked
    assert cards["Acme Clinics"].readiness == "needs-action"  # a warning
    assert cards[world.SCRIPT].readiness == "ready"
    assert report.summary.readiness == "blocked"  # the sandboxed region's blocker counts too
    by_readiness = {c.key: c.value for c in report.summary.tenants_by_readiness}
    assert by_readiness == {"blocked": 1, "needs-action": 1, "ready": 1}
    # blocked tenants come first
    assert [c.readiness for c in report.tenants] == ["blocked", "needs-action", "ready"]
    assert any("OPTOUT_EXPORT_MISSING" in r for r in cards[world.HOSTILE].reasons)


def test_a_region_blocker_holds_back_every_tenant_of_that_region() -> None:
    inventory = world.inventory(["A", "B"])
    plan = world.plan(["A", "B"], blocker_for=None, warning_for=None)
    plan["findings"].append(world.finding("ACCOUNT_IN_SANDBOX", "blocker", "support-case"))
    report = build_report(inventory, plan)
    assert {c.readiness for c in report.tenants} == {"blocked"}


def test_steps_findings_and_targets_of_a_tenant() -> None:
    report = build_report(world.inventory(), world.plan())
    card = _cards(report)[world.HOSTILE]
    assert [s.step_id for s in card.steps] == [f"tenant-0001-{n}" for n in range(5)]
    assert [s.status for s in card.steps] == ["blocked", "blocked", "planned", "planned", "planned"]
    targets = {t.kind: t for t in card.targets}
    assert set(targets) == {"opt-out list", "configuration set", "pool"}
    assert targets["opt-out list"].status == "blocked"
    assert [f.code for f in card.findings] == ["OPTOUT_EXPORT_MISSING", "DEFAULT_OPTOUT_LIST_COPIED"]
    assert card.opt_outs.unique == 10  # normalised 11 - 1 duplicate
    assert card.opt_outs.default_list == 40
    assert card.event_stream == ""
    acme = _cards(report)["Acme Clinics"]
    assert acme.event_stream.startswith("kinesis: arn:aws:kinesis")
    assert [c.value for c in acme.engagement] == [1, 0, 0]


def test_a_finding_that_blocks_a_pool_member_concerns_the_pool_tenant() -> None:
    plan = world.plan(blocker_for=None, warning_for=None)
    address = f"pool_identity:{world.ACCOUNT}/{world.REGION}/pm-tenant-0002/phone-0002"
    plan["findings"].append(
        world.finding(
            "ORIGINATION_IDENTITY_SHARED", "blocker", "api", resource="+12065550002", blocks=(address,)
        )
    )
    cards = _cards(build_report(world.inventory(), plan))
    assert cards[world.SCRIPT].readiness == "blocked"
    assert cards["Acme Clinics"].readiness == "ready"


def test_journal_and_verify_give_step_statuses() -> None:
    journal = [
        {"step": "tenant-0000-0", "event": "start"},
        {"step": "tenant-0000-0", "event": "result", "result": {"arn": "arn:list"}},
        {"step": "tenant-0000-0", "event": "end", "status": "ok"},
        {"step": "tenant-0000-2", "event": "start"},
        {"step": "tenant-0000-2", "event": "end", "status": "failed", "error": "ConflictException"},
        {"step": "tenant-0000-3", "event": "start"},
    ]
    verify = {"steps": [{"step": "tenant-0000-0", "ok": True, "detail": "list holds 10"}]}
    report = build_report(world.inventory(), world.plan(), journal, verify)
    steps = {s.step_id: s for s in report.steps}
    assert steps["tenant-0000-0"].status == "verified"
    assert steps["tenant-0000-0"].result == "arn=arn:list"
    assert "list holds 10" in steps["tenant-0000-0"].check
    assert steps["tenant-0000-2"].status == "failed"
    assert steps["tenant-0000-2"].result == "ConflictException"
    assert steps["tenant-0000-3"].status == "planned"  # started, never finished
    assert report.meta.journal and report.meta.verify
    assert _cards(report)["Acme Clinics"].readiness == "blocked"  # a failed step


def test_checklist_groups_findings_that_need_a_person_by_how() -> None:
    report = build_report(world.inventory(), world.plan())
    hows = [g.how for g in report.checklist]
    assert hows == ["support-case", "code-change", "api"]  # info without runbook is left out
    codes = {g.code for how in report.checklist for g in how.groups}
    assert codes == {"ACCOUNT_IN_SANDBOX", "CAMPAIGNS_NEED_REBUILD", "OPTOUT_EXPORT_MISSING"}
    assert report.summary.human_tasks == 3


def test_numbers_are_masked_everywhere_unless_asked() -> None:
    inventory, plan = world.inventory(), world.plan()
    masked = dumps(build_report(inventory, plan))
    assert "+12065550100" not in masked and "+12065550000" not in masked
    assert "+1206555****" in masked
    shown = dumps(build_report(inventory, plan, show_numbers=True))
    assert "+12065550100" in shown and "+12065550000" in shown


def test_same_inputs_same_model() -> None:
    first = dumps(build_report(world.inventory(), world.plan(), now="2026-11-27T01:00:00Z"))
    second = dumps(build_report(world.inventory(), world.plan(), now="2026-11-27T01:00:00Z"))
    assert first == second
    data = json.loads(first)
    assert data["meta"]["generated_at"] == "2026-11-27T01:00:00Z"
    assert data["schema_version"] == 1
    card = data["tenants"][0]  # a card names its findings and steps by id; the rows are top-level
    assert card["findings"] == [
        f"OPTOUT_EXPORT_MISSING@{world.ACCOUNT}/{world.REGION}/tenant-0001",
        "DEFAULT_OPTOUT_LIST_COPIED@111122223333/us-east-1",
    ]
    assert card["steps"][0] == "tenant-0001-0" and data["steps"][0]["step_id"] == "tenant-0000-0"


def test_gaps_skipped_projects_exports_call_sites_identities() -> None:
    report = build_report(world.inventory(), world.plan())
    assert [(g.region, g.status) for g in report.summary.gaps] == [("eu-west-1", "denied")]
    assert report.summary.skipped == ("Mail only (111122223333/us-east-1): no SMS or voice channel enabled",)
    exported = {(e.kind, e.name): e.path for e in report.exports}
    assert exported[("campaign", "Acme Clinics reminders")].endswith("campaigns/x.json")
    assert exported[("campaign", f"{world.HOSTILE} reminders")] == ""  # not exported: shown as such
    assert ("app_settings", "project settings") in exported
    site = report.call_sites[0]
    assert site.where == "app/send.py:12"
    assert site.mapping is not None and site.mapping.operation.endswith("SendTextMessage")
    shown = build_report(world.inventory(), world.plan(), show_numbers=True)
    pools = {i.value: (i.pool, i.tenants) for i in shown.identities}
    assert pools["+12065550000"] == ("pm-tenant-0000", "Acme Clinics")
    assert pools["ACME"] == ("", "")


def test_without_plan_tenants_the_default_mapping_names_them() -> None:
    plan = world.plan()
    plan["tenants"] = []
    report = build_report(world.inventory(), plan)
    assert len(report.tenants) == 3
    assert "acme-clinics" in {c.slug for c in report.tenants}
    assert all(c.steps == () for c in report.tenants)  # the plan's steps name other resources
