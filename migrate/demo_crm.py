"""The demo customer's own suppression list: a CSV "exported from the CRM", fed to `scan --optouts`.

It is what a real customer has after 2026-10-30, when Pinpoint can no longer export endpoints: the people
who asked the support desk never to be texted again. Like real data it overlaps the other sources (a number
already on the `Default` list, one SNS also holds as opted out), names one person twice, writes numbers in
national format with a country column, and holds a value no phone number can be, which the scan must
reject, not drop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from migrate.emulator import demo_spec as spec
from migrate.fileio import write_csv

# Customers only the CRM knows about (fictional numbers: +1 206 555 01xx and the UK's drama range).
OWN = (
    ("Maria Lopez", "+1 (206) 555-0164", ""),
    ("Tom Becker", "206-555-0172", "US"),
    ("Ngozi Adeyemi", "+44 7700 900461", ""),
)
INVALID = ("Sam Doe", "call me maybe", "US")


def crm_rows(emu: Any) -> list[tuple[str, str, str]]:
    """(name, phone, country) rows: the CRM's own numbers, two shared with other sources, one invalid."""
    region = spec.REGIONS[0]
    session = emu.session(region)
    sms = session.client("pinpoint-sms-voice-v2")
    default = sorted(
        n["OptedOutNumber"]
        for page in sms.get_paginator("describe_opted_out_numbers").paginate(OptOutListName="Default")
        for n in page.get("OptedOutNumbers", [])
    )
    sns = sorted(session.client("sns").list_phone_numbers_opted_out().get("phoneNumbers", []))
    rows = list(OWN)
    if default:
        rows.append(("Lee Park", default[0], ""))  # also on the Default list
    if sns:
        rows.append(("Ola Nordmann", sns[0], ""))  # also opted out in SNS
    rows.append(("Maria Lopez (2nd account)", "+12065550164", ""))  # the same person twice
    rows.append(INVALID)
    return rows


def write_crm_csv(emu: Any, target: Path) -> Path:
    """Write the CRM export (mode 0600: it holds phone numbers), replacing an earlier one atomically."""
    rows = ((name, phone, country, "asked not to be texted") for name, phone, country in crm_rows(emu))
    return write_csv(target, ("customer", "phone", "country", "note"), rows, private=True, line_end="\n")
