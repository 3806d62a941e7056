"""Small hand-made inventories and plans for the report tests (no emulator, no planner run needed)."""

from __future__ import annotations

from typing import Any

from migrate.inventory.records import (
    AppSettings,
    CallSite,
    Campaign,
    Channel,
    EventStream,
    OptOutExport,
    OptOutList,
    PhoneNumber,
    PinpointApp,
    SenderId,
    Template,
)
from migrate.inventory.snapshot import AccountInfo, Inventory, Section

ACCOUNT = "111122223333"
REGION = "us-east-1"
HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
TEMPLATE = "{{7*7}}"


def _slug(index: int) -> str:
    return f"tenant-{index:04d}"


def inventory(names: list[str] | None = None) -> Inventory:
    """One account, one region, a tenant per name (each with an SMS channel and one number)."""
    names = names if names is not None else ["Acme Clinics", HOSTILE, SCRIPT]
    inv = Inventory(tool_version="0.1.0", scanned_at="2026-11-27T00:00:00Z")
    inv.accounts.append(AccountInfo(ACCOUNT, "demo"))
    inv.regions.append(REGION)
    inv.sections.append(Section(ACCOUNT, REGION, "pinpoint.apps", "ok", count=len(names)))
    inv.sections.append(
        Section(ACCOUNT, "eu-west-1", "v2.pools", "denied", "AccessDenied: no sms-voice:DescribePools")
    )
    inv.add(
        OptOutList(
            ACCOUNT, REGION, "Default", f"arn:aws:sms-voice:{REGION}:{ACCOUNT}:opt-out-list/Default", 40
        )
    )
    for index, name in enumerate(names):
        app_id = f"app{index:04d}"
        number = f"+1206555{index:04d}"
        inv.add(
            PinpointApp(ACCOUNT, REGION, app_id, name, f"arn:aws:mobiletargeting:{REGION}:{ACCOUNT}:apps/{app_id}"),
            Channel(ACCOUNT, REGION, app_id, "SMS", True, short_code=number, transactional_mps=20),
            PhoneNumber(
                ACCOUNT, REGION, f"phone-{index:04d}", f"arn:aws:sms-voice:{REGION}:{ACCOUNT}:phone-number/p{index}",
                number, "ACTIVE", "US", "TRANSACTIONAL", "TEN_DLC",
            ),
            OptOutExport(
                ACCOUNT, REGION, app_id, f"s3://exports/{app_id}/", f"optouts/{_slug(index)}.csv",
                f"optouts/{_slug(index)}.rejects.csv", "0" * 64, "1" * 64, 100 + index, 10 + index,
                10 + index, 1, 2,
            ),
            Campaign(ACCOUNT, REGION, app_id, f"camp{index:04d}", f"{name} reminders", "ACTIVE", 1,
                     origination_number=number),
        )  # fmt: skip
    if names:
        inv.add(
            EventStream(ACCOUNT, REGION, "app0000", f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/ev", "kinesis", True,
                        f"arn:aws:iam::{ACCOUNT}:role/ev", True, ("pinpoint.amazonaws.com",)),
            AppSettings(ACCOUNT, REGION, "app0000", quiet_time={"Start": "22:00", "End": "07:00"}),
            Template(ACCOUNT, REGION, "reminder", "SMS", "1", f"arn:aws:mobiletargeting:{REGION}:{ACCOUNT}:templates/r"),
            SenderId(ACCOUNT, REGION, "ACME", "GB", f"arn:aws:sms-voice:{REGION}:{ACCOUNT}:sender-id/ACME/GB"),
            CallSite("", "", "app/send.py", 12, "python", "pinpoint:SendMessages", "SMS", "pinpoint-sms-voice-v2:SendTextMessage"),
        )  # fmt: skip
    return inv


def finding(code: str, severity: str, how: str, *, tenant: str = "", region: str = REGION, runbook: bool = True,
            message: str = "", blocks: tuple[str, ...] = (), resource: str = "", tenant_name: str = "") -> dict[str, Any]:  # fmt: skip
    where = "/".join(p for p in (ACCOUNT, region, tenant, resource) if p)
    return {
        "id": f"{code}@{where}", "code": code, "severity": severity, "how": how,
        "scope": "tenant" if tenant else "region", "account": ACCOUNT, "region": region, "tenant": tenant,
        "resource": resource, "title": code.replace("_", " ").lower(), "message": message or f"{code} happened",
        "remedy": f"fix {code}", "runbook": f"{code}.md" if runbook else "", "docs": "https://docs.aws.amazon.com/x",
        "details": {"tenant_name": tenant_name or tenant}, "blocks": list(blocks),
    }  # fmt: skip


def plan(
    names: list[str] | None = None, *, blocker_for: int | None = 1, warning_for: int | None = 0
) -> dict[str, Any]:
    """A plan in the shape the planner writes: per tenant an opt-out list (created, filled), a configuration
    set and a pool; tenant `blocker_for` has a blocker on its list, `warning_for` a warning."""
    names = names if names is not None else ["Acme Clinics", HOSTILE, SCRIPT]
    tenants, steps, findings = [], [], []
    for index, name in enumerate(names):
        slug, resource = _slug(index), f"pm-{_slug(index)}"
        tenants.append({
            "account": ACCOUNT, "region": REGION, "app_id": f"app{index:04d}", "project": name, "name": name,
            "slug": slug, "strategy": "dedicated", "configuration_set": resource, "opt_out_list": resource,
            "pools": [resource], "channels": ["SMS"], "opt_outs": 10 + index,
        })  # fmt: skip
        base = f"{ACCOUNT}/{REGION}/{resource}"
        blocked = index == blocker_for
        blocker_id = f"OPTOUT_EXPORT_MISSING@{ACCOUNT}/{REGION}/{slug}"
        for n, (kind, address) in enumerate((
            ("create_opt_out_list", f"opt_out_list:{base}"),
            ("fill_opt_out_list", f"opt_out_list:{base}"),
            ("create_configuration_set", f"configuration_set:{base}"),
            ("create_pool", f"pool:{base}"),
            ("associate_identity", f"pool_identity:{base}/phone-{index:04d}"),
        )):  # fmt: skip
            on_list = address.startswith("opt_out_list")
            steps.append({
                "id": f"{slug}-{n}", "kind": kind, "action": "blocked" if blocked and on_list else "create",
                "address": address, "tenants": [slug], "depends_on": [f"{slug}-{n - 1}"] if n else [],
                "blocked_by": [blocker_id] if blocked and on_list else [], "destructive": False,
                "changes": {"name": resource},
            })  # fmt: skip
        if blocked:
            findings.append(finding("OPTOUT_EXPORT_MISSING", "blocker", "api", tenant=slug, tenant_name=name,
                                    message=f"No opt-out export was read for {name}",
                                    blocks=(f"opt_out_list:{base}",)))  # fmt: skip
        if index == warning_for:
            findings.append(finding("CAMPAIGNS_NEED_REBUILD", "warning", "code-change", tenant=slug, tenant_name=name,
                                    message=f"1 campaign(s) of {name} stop with Pinpoint; number +12065550100"))  # fmt: skip
    findings.append(finding("ACCOUNT_IN_SANDBOX", "blocker", "support-case", region="eu-west-1"))
    findings.append(finding("DEFAULT_OPTOUT_LIST_COPIED", "info", "api", runbook=False))
    return {
        "schema_version": 1, "plan_id": "plan-0123456789ab", "created_at": "2026-11-27T00:00:00Z",
        "inventory_sha256": "ab" * 32, "tenants": tenants, "steps": steps, "findings": findings,
        "exports": [{"path": f"{ACCOUNT}/{REGION}/projects/{_slug(0)}/campaigns/x.json", "kind": "campaign",
                     "source": "campaign Acme Clinics reminders (camp0000)", "sha256": "c" * 64}],
        "skipped": [{"account": ACCOUNT, "region": REGION, "app_id": "appxx", "name": "Mail only",
                     "reason": "no SMS or voice channel enabled"}],
    }  # fmt: skip
