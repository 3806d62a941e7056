"""A small emulated account for the property test of safety invariant 1: few numbers, every kind of tenant.

One region, three Pinpoint projects, a handful of opted-out recipients each, so one apply is ~100 calls and
the test can afford hundreds of random runs:

| tenant | origination identities | its opt-outs come from |
|---|---|---|
| Alpha | +12065550101, already on the custom v2 list `legacy-stops` (not `Default`); +12065550103, which Delta also uses (a shared number: never silently assigned, it stays where it is) | `scan --optouts` (a suppression CSV), legacy-stops |
| Bravo | sender ID BRAVO (GB), its SMS channel's: its pool is founded by a sender ID (CreatePool, then UpdatePool) and its configuration set gets BRAVO as default sender | an endpoint export (plain NDJSON in S3) |
| Delta | +12065550103 (shared) and +13125550104 | an endpoint export |

Every tenant list also gets the account's `Default` list and its SNS opted-out numbers. The world is scanned
and planned once per test session; each example copies it (the emulator's world as JSON, the scan folder).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.emulator import Emulator
from migrate.emulator.services.v2.account import set_account_tier
from migrate.emulator.services.v2.provision import complete_sender_id_registration, provision_phone_number
from migrate.inventory.run import ScanOptions, run_scan, scan_live_v2
from migrate.plan.commands import run_plan

ACCOUNT = "444455556666"
REGION = "us-east-1"
V2 = "pinpoint-sms-voice-v2"
NOW = "2026-11-27T09:00:00Z"
START = dt.datetime.fromisoformat(NOW.replace("Z", "+00:00")).timestamp()  # the emulated clock's start
BUCKET = "small-exports"
LEGACY = "legacy-stops"

ALPHA_NUMBER = "+12065550101"
SHARED_NUMBER = "+12065550103"
DELTA_NUMBER = "+13125550104"
SENDER, SENDER_COUNTRY = "BRAVO", "GB"

# Recipients who opted out before the migration, by where they opted out. US numbers for the tenants that
# send from US numbers, UK numbers for the UK sender ID: every one can be reached by country, so a send
# that is not refused as opted out is a real exposure.
LEGACY_STOPS = ("+12065557001", "+12065557002")
DEFAULT_STOPS = ("+12065558001", "+447700900801")
SNS_STOPS = ("+12065559001",)
SUPPRESSION = {"Alpha": ("+12065556001", "+12065556002")}
EXPORTS = {"Bravo": ("+447700900201", "+447700900202"), "Delta": ("+13125556401", "+13125556402")}
OVERRIDES = f"""
[tenants.Alpha]
identities = ["{ALPHA_NUMBER}", "{SHARED_NUMBER}"]
[tenants.Delta]
identities = ["{SHARED_NUMBER}", "{DELTA_NUMBER}"]
"""


@dataclass(frozen=True)
class Tenant:
    name: str
    identities: tuple[str, ...]  # E.164 numbers and SENDER/COUNTRY
    migrated: tuple[str, ...]  # the identities the plan moves (a shared number is blocked: it stays)
    scanned: tuple[str, ...]  # the opted-out numbers of its scanned sources (the plan's fill reads them)

    @property
    def configuration_set(self) -> str:
        return f"pinpoint-{self.name.lower()}"


_EVERYONE = DEFAULT_STOPS + SNS_STOPS
TENANTS = (
    Tenant(
        "Alpha",
        (ALPHA_NUMBER, SHARED_NUMBER),
        (ALPHA_NUMBER,),
        LEGACY_STOPS + _EVERYONE + SUPPRESSION["Alpha"],
    ),
    Tenant(
        "Bravo",
        (f"{SENDER}/{SENDER_COUNTRY}",),
        (f"{SENDER}/{SENDER_COUNTRY}",),
        EXPORTS["Bravo"] + _EVERYONE,
    ),
    Tenant("Delta", (SHARED_NUMBER, DELTA_NUMBER), (DELTA_NUMBER,), EXPORTS["Delta"] + _EVERYONE),
)


def tenant(name: str) -> Tenant:
    return next(t for t in TENANTS if t.name == name)


def owners(number: str) -> tuple[str, ...]:
    """The tenants that send from a phone number."""
    return tuple(t.name for t in TENANTS if number in t.identities)


# Numbers the test may use as new STOPs (never opted out before): some US, some UK.
FRESH = tuple(f"+1206555{n:04d}" for n in range(2000, 2012)) + tuple(
    f"+4477009002{n:02d}" for n in range(50, 56)
)


def _world(emu: Emulator, folder: Path) -> dict[str, str]:
    """Pinpoint projects, v2 numbers and lists, S3 exports, SNS opt-outs; returns app ids by name."""
    set_account_tier(emu, REGION, "PRODUCTION", account=ACCOUNT)
    sms = emu.session(REGION).client(V2)
    sms.create_opt_out_list(OptOutListName=LEGACY)
    for number in LEGACY_STOPS:
        sms.put_opted_out_number(OptOutListName=LEGACY, OptedOutNumber=number)
    for number in DEFAULT_STOPS:
        sms.put_opted_out_number(OptOutListName="Default", OptedOutNumber=number)
    for phone, kind, extra in (
        (ALPHA_NUMBER, "TEN_DLC", {"OptOutListName": LEGACY}),
        (SHARED_NUMBER, "TEN_DLC", {}),
        (DELTA_NUMBER, "TEN_DLC", {}),
    ):
        provision_phone_number(
            emu, region=REGION, account=ACCOUNT, phone_number=phone, number_type=kind,
            message_type="TRANSACTIONAL", capabilities=["SMS"], iso_country_code="US", **extra,
        )  # fmt: skip
    sms.request_sender_id(
        ClientToken="small-sender",
        SenderId=SENDER,
        IsoCountryCode=SENDER_COUNTRY,
        MessageTypes=["TRANSACTIONAL"],
    )
    complete_sender_id_registration(
        emu, region=REGION, account=ACCOUNT, sender_id=SENDER, iso_country_code=SENDER_COUNTRY
    )
    emu.set_sns_opted_out(REGION, list(SNS_STOPS))
    pinpoint = emu.session(REGION).client("pinpoint")
    s3 = emu.session(REGION).client("s3")
    s3.create_bucket(Bucket=BUCKET)
    apps: dict[str, str] = {}
    for name in ("Alpha", "Bravo", "Delta"):
        app_id = pinpoint.create_app(CreateApplicationRequest={"Name": name})["ApplicationResponse"]["Id"]
        apps[name] = app_id
        channel: dict[str, Any] = {"Enabled": True}
        if name == "Bravo":
            channel["SenderId"] = SENDER
        pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest=channel)
        if name in EXPORTS:  # an endpoint export made before Pinpoint's end of support, plain NDJSON
            lines = [
                json.dumps({"ChannelType": "SMS", "Address": n, "OptOut": "ALL", "Id": f"e{i}"})
                for i, n in enumerate(EXPORTS[name])
            ]
            lines.append(
                json.dumps({"ChannelType": "SMS", "Address": FRESH[0], "OptOut": "NONE", "Id": "in"})
            )
            s3.put_object(Bucket=BUCKET, Key=f"exports/{app_id}/part-0.json", Body="\n".join(lines) + "\n")
        if name in SUPPRESSION:
            path = folder / f"suppression-{name.lower()}.csv"
            path.write_text("phone\n" + "".join(f"{n}\n" for n in SUPPRESSION[name]))
    return apps


def build(folder: Path) -> None:
    """world.json, the suppression files and migration/ (inventory, optouts, overrides.toml, plan.json)."""
    emu = Emulator(account_id=ACCOUNT)
    # The emulator's clock moves only when apply's waiters sleep on it: no real waiting, and a pool is
    # CREATING or DELETING for the same calls on every run (on the real clock that depended on the machine's
    # speed, and so did which call of a run a fault hit).
    emu.use_emulated_clock(START)
    with emu:
        emu.quotas.request_enforced = False
        emu.quotas.scale_requests(1000.0)  # the tool's own pacing follows the emulator's quotas: no waits
        apps = _world(emu, folder)
        migration = folder / "migration"
        migration.mkdir(parents=True, exist_ok=True)
        (migration / "overrides.toml").write_text(OVERRIDES)
        options = ScanOptions(
            out_dir=migration,
            regions=(REGION,),
            progress=False,
            now=NOW,
            endpoints_exports=tuple(f"{apps[n]}=s3://{BUCKET}/exports/{apps[n]}/" for n in EXPORTS),
            optouts=tuple(f"{apps[n]}={folder / f'suppression-{n.lower()}.csv'}" for n in SUPPRESSION),
        )
        outcome = run_scan(options, emulator=emu)
        live = scan_live_v2(ScanOptions(progress=False, now=NOW), outcome.inventory, emulator=emu)
        run_plan(
            outcome.path,
            migration / "overrides.toml",
            migration / "plan.json",
            offline=False,
            live_inventory=live,
        )
        emu.save(folder / "world.json")


@dataclass(frozen=True)
class Base:
    """The built world: its folder, and the world as JSON (loaded once, copied per example)."""

    root: Path
    world: dict[str, Any]

    @property
    def snapshot(self) -> dict[str, Any]:
        """The emulated side of the world (what apply changes); the moto side (S3, SNS) is only scanned."""
        return {"meta": self.world["meta"], "tables": self.world["tables"]}

    def copy_to(self, target: Path) -> Path:
        # (the suppression files stay where the scan read them: the plan names them by path)
        shutil.copytree(self.root / "migration", target / "migration", dirs_exist_ok=True)
        return target
