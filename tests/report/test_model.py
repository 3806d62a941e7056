"""The report model built from real plans: tenants, readiness, changes and steps with their statuses,
the checklist, masking, determinism."""

from __future__ import annotations

import json
from typing import Any

from migrate.inventory.records import Campaign, PinpointApp
from migrate.report.jsonout import dumps
from migrate.report.model import build_report
from migrate.report.parts import Report
from tests.report import world


def _cards(report: Report) -> dict[str, Any]:
    return {c.name: c for c in report.tenants}


def test_readiness_per_tenant_and_overall() -> None:
    report = build_report(world.inventory(), world.plan())
    cards = _cards(report)
    assert cards["Acme Clinics"].readiness == "blocked"  # Kinesis event stream
    assert cards[world.HOSTILE].readiness == "needs-action"  # a campaign to rebuild
    assert cards[world.SCRIPT].readiness == "ready"
    assert report.summary.readiness == "blocked"
    assert {c.key: c.value for c in report.summary.tenants_by_readiness} == {
        "blocked": 1,
        "needs-action": 1,
        "ready": 1,
    }
    assert [c.readiness for c in report.tenants] == ["blocked", "needs-action", "ready"]  # worst first
    reasons = cards["Acme Clinics"].reasons
    assert reasons[0] == "2 blockers: EVENTS_NOT_DELIVERED, EVENT_STREAM_KINESIS_UNSUPPORTED"
    assert reasons[1] == "1 resource blocked until the blockers are resolved"


def test_a_sandboxed_region_holds_back_every_tenant_in_it() -> None:
    report = build_report(world.inventory(sandbox=True), world.plan(sandbox=True))
    assert {c.readiness for c in report.tenants} == {"blocked"}
    assert all("ACCOUNT_IN_SANDBOX" in c.reasons[0] for c in report.tenants)


def test_a_tenant_card_holds_its_changes_steps_and_findings() -> None:
    report = build_report(world.inventory(), world.plan())
    acme = _cards(report)["Acme Clinics"]
    kinds = [(t.resource_type, t.action, t.status) for t in acme.targets]
    assert ("event_destination", "blocked", "blocked") in kinds
    assert ("opt_out_list", "create", "planned") in kinds and ("pool", "create", "planned") in kinds
    assert [s.kind for s in acme.steps][:3] == [
        "create_opt_out_list",
        "fill_opt_out_list",
        "verify_opt_out_list",
    ]
    assert all(s.tenants == ("acme-clinics",) for s in acme.steps)
    codes = [f.code for f in acme.findings]
    assert "EVENT_STREAM_KINESIS_UNSUPPORTED" in codes and "DEFAULT_OPTOUT_LIST_COPIED" in codes
    assert "CODE_USES_OLD_SEND_API" not in codes  # about a source file, not this tenant
    assert acme.event_stream.startswith("kinesis: arn:aws:kinesis")
    assert acme.opt_outs.unique == 10 and acme.opt_outs.default_list == 40
    assert [(c.key, c.value) for c in acme.engagement] == [("campaigns", 1), ("journeys", 0), ("segments", 0)]
    assert acme.identities == ("+12065550000",)  # the account's own number: shown in full (issue 13)


def test_a_number_two_tenants_use_blocks_both_through_its_pool_members() -> None:
    inventory = world.inventory()
    inventory.add(
        Campaign(
            world.ACCOUNT, world.REGION, "app0002", "c2", "x", "ACTIVE", 1, origination_number="+12065550000"
        )
    )
    report = build_report(inventory, world.planned(inventory))
    cards = _cards(report)
    for name in ("Acme Clinics", world.SCRIPT):
        assert cards[name].readiness == "blocked", name
        assert "ORIGINATION_IDENTITY_SHARED" in [f.code for f in cards[name].findings]
    assert "ORIGINATION_IDENTITY_SHARED" not in [f.code for f in cards[world.HOSTILE].findings]


def _step_ids(report: Report, slug: str) -> list[str]:
    return [s.step_id for s in report.steps if slug in s.tenants]


def test_journal_and_verify_give_step_and_change_statuses() -> None:
    inventory, plan = world.inventory(), world.plan()
    first = build_report(inventory, plan)
    ids = _step_ids(first, world.slug_of(first, world.SCRIPT))
    plan_id = plan["plan_id"]
    journal = [
        {"event": "apply-start", "plan": plan_id},
        {"event": "start", "plan": plan_id, "step": ids[0]},
        {
            "event": "result",
            "plan": plan_id,
            "step": ids[0],
            "result": {"OptOutListArn": "arn:aws:sms-voice:l"},
        },
        {"event": "end", "plan": plan_id, "step": ids[0], "status": "ok"},
        {"event": "end", "plan": "plan-other", "step": ids[1], "status": "ok"},  # another plan's record
        {"event": "start", "plan": plan_id, "step": ids[1]},
        {"event": "end", "plan": plan_id, "step": ids[1], "status": "failed", "error": "ThrottlingException"},
        {
            "event": "end",
            "plan": plan_id,
            "step": ids[2],
            "status": "not-run",
            "error": "depends on a failed step",
        },
        {"event": "start", "plan": plan_id, "step": ids[3]},
    ]
    verify = {
        "kind": "pinpoint-migrate-verify", "plan_id": plan_id, "checked_at": "2026-11-27T03:00:00Z", "passed": True,
        "steps": [{"step": ids[0], "ok": True, "detail": "list exists", "what": "OptOutListName"}],
    }  # fmt: skip
    report = build_report(inventory, plan, journal, verify)
    steps = {s.step_id: s for s in report.steps}
    assert (steps[ids[0]].status, steps[ids[0]].result) == ("verified", "OptOutListArn=arn:aws:sms-voice:l")
    assert steps[ids[0]].check == "verify: pass (OptOutListName: list exists)"
    assert (steps[ids[1]].status, steps[ids[1]].result) == ("failed", "ThrottlingException")
    assert (steps[ids[2]].status, steps[ids[2]].result) == ("not-run", "depends on a failed step")
    assert steps[ids[3]].status == "planned"  # started, never finished
    assert report.meta.verify_summary == "verify at 2026-11-27T03:00:00Z: 1 check(s), 0 failed"
    lists = [c for c in report.changes if c.resource_type == "opt_out_list" and ids[0] in c.steps]
    assert lists[0].status == "failed"  # a change is as far as its least progressed step
    assert report.meta.journal and report.meta.verify
    assert _cards(report)[world.SCRIPT].readiness == "blocked"
    applied = build_report(
        inventory, plan, [{"event": "end", "plan": plan_id, "step": i, "status": "ok"} for i in ids]
    )
    assert {s.status for s in applied.steps if s.step_id in ids} == {"applied"}
    undone = [{"event": "end", "plan": plan_id, "step": ids[0], "status": "ok"},
              {"event": "undo", "plan": plan_id, "step": ids[0], "status": "ok"}]  # fmt: skip
    assert {s.step_id: s for s in build_report(inventory, plan, undone).steps}[ids[0]].status == "planned"


def test_checklist_groups_findings_that_need_a_person_by_how() -> None:
    report = build_report(world.inventory(), world.plan())
    groups = {how.how: [g.code for g in how.groups] for how in report.checklist}
    assert groups["console"] == ["EVENT_STREAM_KINESIS_UNSUPPORTED", "SECTION_UNAVAILABLE"]
    assert set(groups["code-change"]) >= {"CAMPAIGNS_NEED_REBUILD", "CODE_USES_OLD_SEND_API"}
    assert "DEFAULT_OPTOUT_LIST_COPIED" not in json.dumps(groups)  # info without a runbook: nobody acts
    assert list(groups) == [
        h for h in ("console", "support-case", "third-party-review", "code-change", "api") if h in groups
    ]
    assert report.summary.human_tasks == sum(len(g.items) for how in report.checklist for g in how.groups)


def test_numbers_are_masked_everywhere_unless_asked() -> None:
    inventory, plan = world.inventory(), world.plan()
    # a recipient's number inside a finding's message is masked; the account's own numbers are not
    plan["findings"][0]["message"] += " Last sent to +12065559876 and +12065559877."
    masked = dumps(build_report(inventory, plan))
    assert "+12065559876" not in masked and "+12065559877" not in masked
    assert "+1206555****~1" in masked and "+1206555****~2" in masked  # two people, never printed alike
    assert "+12065550000" in masked and "+12065550001" in masked  # origination numbers, shown in full
    shown = dumps(build_report(inventory, plan, show_numbers=True))
    assert "+12065550000" in shown and json.loads(shown)["meta"]["numbers_shown"] is True


def test_same_inputs_same_model() -> None:
    first = dumps(build_report(world.inventory(), world.plan(), now="2026-11-27T01:00:00Z"))
    assert first == dumps(build_report(world.inventory(), world.plan(), now="2026-11-27T01:00:00Z"))
    data = json.loads(first)
    assert data["schema_version"] == 1 and data["meta"]["generated_at"] == "2026-11-27T01:00:00Z"
    card = data["tenants"][0]  # a card names its findings and steps by id; the rows are top-level
    assert "EVENT_STREAM_KINESIS_UNSUPPORTED@111122223333/us-east-1/acme-clinics" in card["findings"]
    assert card["steps"][0] == data["steps"][0]["step_id"]
    assert (
        data["meta"]["plan_inputs"]
        == "planned against the v2 state recorded in the inventory (offline), no overrides"
    )


def test_gaps_skipped_projects_exports_call_sites_identities() -> None:
    inventory = world.inventory()
    inventory.add(
        PinpointApp(world.ACCOUNT, world.REGION, "appmail", "Mail only", "arn:aws:mobiletargeting:x")
    )
    report = build_report(inventory, world.planned(inventory), show_numbers=True)
    assert [(g.region, g.status) for g in report.summary.gaps] == [("eu-west-1", "denied")]
    assert report.summary.skipped == ("Mail only (111122223333/us-east-1): no SMS or voice channel enabled",)
    exported = {(e.kind, e.name): e.path for e in report.exports}
    assert exported[("campaign", "Acme Clinics reminders")].startswith(
        "111122223333/us-east-1/projects/acme-clinics/"
    )
    assert exported[("app_settings", "project settings")].endswith("app-settings.json")
    assert exported[("template", "reminder (SMS)")].endswith(
        "reminder.j2, 111122223333/us-east-1/templates/sms/reminder.json"
    )
    site = report.call_sites[0]
    assert site.where == "app/send.py:12" and site.mapping is not None
    assert site.mapping.operation == "pinpoint-sms-voice-v2:SendTextMessage"
    identities = {i.value: (i.pool, i.tenants) for i in report.identities}
    assert identities["+12065550000"] == ("pinpoint-acme-clinics", "Acme Clinics")
    assert identities["ACME"] == ("", "")
    assert {c.key: c.value for c in report.summary.changes_by_action}["blocked"] == 1


def test_without_plan_tenants_the_default_mapping_names_them() -> None:
    plan = world.plan()
    plan["tenants"] = []
    report = build_report(world.inventory(), plan)
    assert sorted(c.slug for c in report.tenants) == sorted(world.slug_of(report, n) for n in world.NAMES)
    assert len(_cards(report)["Acme Clinics"].steps) > 0  # the plan's steps still name the same slugs


def test_several_accounts_give_one_consolidated_report() -> None:
    inventory = world.two_accounts()
    report = build_report(inventory, world.planned(inventory))
    assert report.meta.accounts == ("111122223333 (demo)", "444455556666 (prod-eu)")
    assert {(c.account, c.name) for c in report.tenants} >= {
        ("444455556666", "Zeta Bank"),
        ("111122223333", "Acme Clinics"),
    }
    zeta = _cards(report)["Zeta Bank"]
    assert zeta.readiness == "blocked" and all(s.account == "444455556666" for s in zeta.steps)
    assert {g.account for g in report.summary.gaps} == {"111122223333", "444455556666"}
