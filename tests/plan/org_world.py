"""A small Organization for the sharded-flow tests: accounts whose tenants' lists are really filled.

Every account has one or two SMS projects, each with its own phone number (so its pool is planned) and its
own suppression file (`scan --optouts APP_ID=FILE`, so its list is not blocked), SNS opted-out numbers and
`Default` entries; one suppression file is for every tenant (read by shard 1 of a sharded scan). Every
kind of numbers file a scan writes is therefore named by the plan and read by apply and verify.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.emulator.services.v2.account import set_account_tier
from migrate.emulator.sns_optouts import set_sns_opted_out

REGION = "us-east-1"
NOW = "2026-12-01T00:00:00Z"


def accounts(count: int) -> tuple[str, ...]:
    return tuple(f"{n}" * 12 for n in range(1, count + 1))


def roles(ids: tuple[str, ...]) -> list[str]:
    return [a for account in ids for a in ("--role-arn", f"arn:aws:iam::{account}:role/Migrator")]


def build_org(folder: Path, ids: tuple[str, ...]) -> list[str]:
    """world.json and the suppression files in `folder`; returns the `--optouts` arguments of the scan."""
    optouts: list[str] = []
    with Emulator() as emu:
        emu.quotas.request_enforced = False
        for n, account in enumerate(ids):
            session = emu.session(REGION, account_id=account)
            set_account_tier(emu, REGION, "PRODUCTION", account=account)
            sms, pinpoint = session.client("pinpoint-sms-voice-v2"), session.client("pinpoint")
            for t in range(1 + n % 2):
                number = sms.request_phone_number(
                    IsoCountryCode="US", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"],
                    NumberType="TOLL_FREE",
                )["PhoneNumber"]  # fmt: skip
                app = pinpoint.create_app(CreateApplicationRequest={"Name": f"tenant {n}-{t}"})
                app_id = app["ApplicationResponse"]["Id"]
                pinpoint.update_sms_channel(
                    ApplicationId=app_id, SMSChannelRequest={"Enabled": True, "ShortCode": number}
                )
                own = folder / f"suppress-{n}-{t}.csv"
                own.write_text("phone\n" + "".join(f"+1206555{n}{t}{i:02d}\n" for i in range(3)))
                optouts += ["--optouts", f"{app_id}={own}"]
            sms.put_opted_out_number(OptOutListName="Default", OptedOutNumber=f"+1206555{n}900")
            set_sns_opted_out(emu, REGION, [f"+1206555{n}800", f"+1206555{n}801"], account=account)
        everyone = folder / "suppress-all.csv"
        everyone.write_text("+12065559999\n+12065559998\n")
        optouts += ["--optouts", str(everyone)]
        emu.quotas.request_enforced = True
        emu.quotas.scale_requests(50)
        emu.save(folder / "world.json")
    return optouts


IDS = accounts(4)
ROLES = roles(IDS)


def cli_ok(*args: object) -> str:
    """The CLI run in-process; it must exit 0 and never show a traceback."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, f"{args[0]}: {result.output}"
    assert "Traceback" not in result.output
    return result.output


def aws_args(world: Path) -> list[str]:
    return ["--emulator", str(world), "--now", NOW, *ROLES]


@dataclass(frozen=True)
class Org:
    root: Path  # world.json (never changed) and the suppression files
    optouts: list[str]  # the scan's --optouts arguments
    single: Path  # the single run's folder: inventory.json, optouts/, plan.json (nothing applied)

    @property
    def world(self) -> Path:
        return self.root / "world.json"


def planned_org(root: Path) -> Org:
    """The org world built in `root`, scanned and planned by one run (reads only: the world stays as built)."""
    optouts = build_org(root, IDS)
    out = root / "single"
    cli_ok("scan", "--region", REGION, "--out", out, *optouts, *aws_args(root / "world.json"))
    cli_ok("plan", "--inventory", out / "inventory.json", "--out", out, *aws_args(root / "world.json"))
    return Org(root, optouts, out)
