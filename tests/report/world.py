"""Small hand-made inventories for the report tests, planned by the real planner (offline, no emulator).

Tenant 0 ("Acme Clinics") streams events to Kinesis (a blocker: its event destination is blocked), has
project settings and a campaign; tenant 1 has a campaign (a warning); every later tenant is ready. The
account's eu-west-1 pools could not be read (a warning about no tenant). `sandbox=True` puts us-east-1 in
the SMS sandbox (a blocker for every tenant there).
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from migrate.inventory.records import (
    AccountAttribute,
    AccountLimit,
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
from migrate.mapping.overrides import Overrides
from migrate.plan.commands import compute_plan
from migrate.plan.planfile import Plan

ACCOUNT = "111122223333"
REGION = "us-east-1"
HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
TEMPLATE = "{{7*7}}"
NAMES = ["Acme Clinics", HOSTILE, SCRIPT]
SCANNED = "2026-11-27T00:00:00Z"


def inventory(names: list[str] | None = None, *, sandbox: bool = False) -> Inventory:
    names = NAMES if names is None else names
    inv = Inventory(tool_version="0.1.0", scanned_at=SCANNED)
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
    inv.add(AccountAttribute(ACCOUNT, REGION, "ACCOUNT_TIER", "SANDBOX" if sandbox else "PRODUCTION"))
    for limit in ("POOLS", "CONFIGURATION_SETS", "OPT_OUT_LISTS"):
        inv.add(AccountLimit(ACCOUNT, REGION, limit, 1, max(25, len(names) + 5)))
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
                ACCOUNT, REGION, app_id, f"s3://exports/{app_id}/", f"optouts/t{index}.csv", f"optouts/t{index}.rejects.csv",
                f"{index:064x}", "1" * 64, 100 + index, 10 + index, 11 + index, 1, 0,
            ),
        )  # fmt: skip
        if index < 2:
            inv.add(
                Campaign(ACCOUNT, REGION, app_id, f"camp{index:04d}", f"{name} reminders", "ACTIVE", 1,
                         origination_number=number),
            )  # fmt: skip
    if names:
        inv.add(
            EventStream(ACCOUNT, REGION, "app0000", f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/ev", "kinesis", True,
                        f"arn:aws:iam::{ACCOUNT}:role/ev", True, ("pinpoint.amazonaws.com", "sms-voice.amazonaws.com")),
            AppSettings(ACCOUNT, REGION, "app0000", quiet_time={"Start": "22:00", "End": "07:00"}),
            Template(ACCOUNT, REGION, "reminder", "SMS", "1", f"arn:aws:mobiletargeting:{REGION}:{ACCOUNT}:templates/r",
                     content={"Body": "Hi {{User.UserAttributes.Name}}"}),
            SenderId(ACCOUNT, REGION, "ACME", "GB", f"arn:aws:sms-voice:{REGION}:{ACCOUNT}:sender-id/ACME/GB"),
            CallSite("", "", "app/send.py", 12, "python", "pinpoint:SendMessages", "SMS",
                     "pinpoint-sms-voice-v2:SendTextMessage"),
        )  # fmt: skip
    return inv


def two_accounts(other: str = "444455556666") -> Inventory:
    """The default world plus a second account (label `prod-eu`) with two tenants of its own."""
    inv = inventory()
    second = inventory(["Zeta Bank", "Yak Shop"])
    inv.accounts.append(AccountInfo(other, "prod-eu"))
    inv.sections += [dataclasses.replace(s, account=other) for s in second.sections]
    for items in second.records.values():
        inv.add(*(dataclasses.replace(item, account=other) for item in items))
    return inv


def planned(inv: Inventory) -> Plan:
    """The real planner's plan of `inv`, offline (the inventory's own v2 state is the live state), with
    the sha256 of the inventory as `Inventory.write` writes it (report checks the pair is of one scan)."""
    sha = hashlib.sha256(inv.dumps().encode("utf-8")).hexdigest()
    return compute_plan(inv, Overrides(), inv, inventory_sha256=sha, offline=True, export_dir="exports")


def plan(names: list[str] | None = None, **kwargs: Any) -> dict[str, Any]:
    return planned(inventory(names, **kwargs)).data


def slug_of(report: Any, name: str) -> str:
    return next(c.slug for c in report.tenants if c.name == name)
