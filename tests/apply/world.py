"""The demo world made ready for apply tests: scanned, planned, saved; helpers to run and inspect apply.

The world is the built-in demo with two things AWS does by hand already done (eu-west-1 out of the SMS
sandbox, Fjord Energy's Indian sender ID registered), so that every tenant pool can actually send and a
dry-run send to an opted-out number reaches the opt-out check: the invariant then has teeth everywhere.
It is built once per test session (a scan and a plan) and copied for each test.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import phonenumbers
from botocore.exceptions import ClientError

from migrate.apply.clients import AwsOptions
from migrate.apply.commands import ApplyOptions, ApplyResult, run_apply
from migrate.apply.executor import StepOutcome
from migrate.apply.kinds.base import FillSettings
from migrate.emulator import Emulator
from migrate.emulator import demo_spec as spec
from migrate.emulator.emulator import Call
from migrate.emulator.services.v2.account import set_account_tier
from migrate.emulator.services.v2.provision import complete_sender_id_registration
from migrate.inventory.run import ScanOptions, run_scan, scan_live_v2
from migrate.inventory.snapshot import Inventory
from migrate.plan.commands import run_plan
from migrate.plan.planfile import Plan, load_plan
from tests.clocks import BEFORE_END_OF_SUPPORT_ISO, clock_before_end_of_support

V2 = "pinpoint-sms-voice-v2"
NOW = "2026-11-27T09:00:00Z"
READS = ("Describe", "List", "Get")
OPTED_OUT = "DESTINATION_PHONE_NUMBER_OPTED_OUT"


def build(
    folder: Path, prepare: Callable[[Emulator], None] | None = None, optouts: tuple[str, ...] = ()
) -> None:
    """world.json + migration/ (inventory, optouts, plan.json) in `folder` (`prepare` changes the world first)."""
    # The apply tests apply the whole demo plan as a scan before 2026-10-30 saw it (campaigns show that Acme
    # and Delta share a number: 4 pools); the world's clock is set back for the scan only.
    emu = Emulator.demo()
    real_clock = emu.clock
    emu.clock = clock_before_end_of_support()
    with emu:
        if prepare is not None:
            prepare(emu)
        set_account_tier(emu, "eu-west-1", "PRODUCTION", account=spec.ACCOUNT)
        complete_sender_id_registration(emu, region="eu-west-1", sender_id="FJORDEN", iso_country_code="IN")
        options = ScanOptions(
            out_dir=folder / "migration",
            regions=spec.REGIONS,
            progress=False,
            now=BEFORE_END_OF_SUPPORT_ISO,
            export_endpoints=True,
            export_role=f"arn:aws:iam::{spec.ACCOUNT}:role/pinpoint-export",
            export_bucket=f"s3://{spec.EXPORT_BUCKET}/exports/",
            optouts=optouts,
        )
        outcome = run_scan(options, emulator=emu)
        emu.clock = real_clock
        live = scan_live_v2(ScanOptions(progress=False, now=NOW), outcome.inventory, emulator=emu)
        run_plan(outcome.path, None, folder / "migration" / "plan.json", offline=False, live_inventory=live)
        emu.save(folder / "world.json")


@dataclass
class Demo:
    root: Path

    @property
    def world(self) -> Path:
        return self.root / "world.json"

    @property
    def plan_path(self) -> Path:
        return self.root / "migration" / "plan.json"

    @property
    def journal(self) -> Path:
        return self.root / "migration" / "journal.jsonl"

    def plan(self) -> Plan:
        return load_plan(self.plan_path)

    def emulator(self, persist: bool = False, quotas: bool = False) -> Emulator:
        emu = Emulator.load(self.world, persist=persist)
        emu.quotas.request_enforced = quotas
        return emu

    def options(self, **kwargs: Any) -> ApplyOptions:
        kwargs.setdefault("yes", True)
        kwargs.setdefault("echo", lambda _line: None)
        kwargs.setdefault("aws", AwsOptions(now=NOW))
        kwargs.setdefault("fill", FillSettings(checkpoint_every=50, progress=False))
        kwargs.setdefault("plan_path", self.plan_path)
        return ApplyOptions(**kwargs)

    def apply(self, emu: Emulator, **kwargs: Any) -> ApplyResult:
        return run_apply(self.options(**kwargs), emulator=emu)


def make_realistic(demo: Demo) -> Demo:
    """The same world on the `realistic` timing profile and an emulated clock saved with it: pools take
    emulated seconds to become ACTIVE or go, and apply's waiters sleep on that clock (no real time)."""
    emu = Emulator.load(demo.world)
    emu.set_profile("realistic")
    emu.use_emulated_clock()
    with emu:
        emu.save(demo.world)
    return demo


def copy_demo(base: Path, target: Path) -> Demo:
    shutil.copytree(base, target, dirs_exist_ok=True)
    return Demo(target)


def mutating(calls: list[Call]) -> list[str]:
    return [f"{c.service}.{c.operation}" for c in calls if not c.operation.startswith(READS)]


def file_numbers(path: Path) -> list[str]:
    """The numbers of an opt-outs file the scan wrote (its header left out)."""
    with open(path, newline="") as fh:
        return [row[0] for row in csv.reader(fh) if row and row[0] != "phone_number"]


def tenant_opt_outs(demo: Demo, app_id: str) -> list[str]:
    return file_numbers(demo.root / "migration" / "optouts" / f"{app_id}.csv")


def fill_step(demo: Demo, list_name: str) -> dict[str, Any]:
    """The plan's fill step of the tenant list `list_name`."""
    return next(
        s for s in demo.plan().steps
        if s["kind"] == "fill_opt_out_list" and s["parameters"]["OptOutListName"] == list_name
    )  # fmt: skip


def fill_files(demo: Demo, fill: dict[str, Any]) -> dict[str, set[str]]:
    """The numbers of a fill step's source files, by the kind of source (export, SNS, Default at scan, …)."""
    found: dict[str, set[str]] = {}
    for source in fill["parameters"]["sources"]:
        found.setdefault(source["kind"], set()).update(file_numbers(demo.root / "migration" / source["file"]))
    return found


def country(number: str) -> str:
    return phonenumbers.region_code_for_number(phonenumbers.parse(number)) or ""


def v2_records(live: Inventory) -> dict[str, list[Any]]:
    return {kind: sorted(map(repr, items)) for kind, items in sorted(live.records.items())}


class InvariantHook:
    """After every step: a dry-run send from every existing tenant pool to every one of the tenant's
    opted-out numbers (the scan's CSV) and to the Default list's numbers of the tenant's country must be
    refused with DESTINATION_PHONE_NUMBER_OPTED_OUT (safety invariant 1)."""

    def __init__(self, emu: Emulator, demo: Demo) -> None:
        self.emu = emu
        self.checked_steps = 0
        self.sends = 0
        self.pools_seen: set[str] = set()
        plan = demo.plan()
        self.numbers: dict[tuple[str, str], list[str]] = {}
        defaults: dict[str, list[str]] = {}
        for tenant in plan.data["tenants"]:
            region = tenant["region"]
            if region not in defaults:
                sms = emu.session(region).client(V2)
                page = sms.describe_opted_out_numbers(OptOutListName="Default", MaxResults=100)
                defaults[region] = [n["OptedOutNumber"] for n in page["OptedOutNumbers"]]
            own = tenant_opt_outs(demo, tenant["app_id"])
            countries = {country(n) for n in own}
            extra = [n for n in defaults[region] if country(n) in countries]
            for pool in tenant["pools"]:
                self.numbers.setdefault((region, pool), []).extend(own + extra)

    def __call__(self, outcome: StepOutcome) -> None:
        self.checked_steps += 1
        for region in spec.REGIONS:
            sms = self.emu.session(region).client(V2)
            for pool in sms.describe_pools()["Pools"]:
                tags = {
                    t["Key"]: t["Value"]
                    for t in sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"]
                }
                numbers = self.numbers.get((region, tags.get("Name", "")))
                if numbers is None:
                    continue
                self.pools_seen.add(tags["Name"])
                for number in numbers:
                    self._refused(sms, pool["PoolArn"], number, outcome.step_id)

    def _refused(self, sms: Any, pool_arn: str, number: str, after: str) -> None:
        self.sends += 1
        try:
            sms.send_text_message(
                DestinationPhoneNumber=number, OriginationIdentity=pool_arn, MessageBody="x", DryRun=True
            )
        except ClientError as exc:
            reason = exc.response.get("Reason")
            assert reason == OPTED_OUT, f"after {after}: {number[:-4]}**** from {pool_arn}: {reason}"
            return
        raise AssertionError(f"after {after}: {number[:-4]}**** could be messaged from {pool_arn}")


Hook = Callable[[StepOutcome], None]
