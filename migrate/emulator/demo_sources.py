"""What the demo account has left after Pinpoint's end of support, besides its v2 lists.

- An endpoint export every project made on 2026-10-15, before the deadline, still in S3 under
  `spec.PRE_DEADLINE_EXPORT_PREFIX<app id>/` (export jobs are retired now: the scan reads these with
  `--endpoints-export s3://<bucket>/<prefix>`).
- The account's SNS opted-out numbers (`ListPhoneNumbersOptedOut`): people who replied STOP to texts the
  account once sent through SNS (put in through moto's backend, the only way: see `sns_optouts.py`).
The `Default` v2 opt-out list's entries are made with the v2 side (`demo_world._v2_side`).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from migrate.emulator import demo_spec as spec

if TYPE_CHECKING:
    from migrate.emulator.emulator import Emulator


def pre_deadline_exports(emu: Emulator, set_clock: object) -> None:
    """Every project with endpoints exports them, at `spec.PRE_DEADLINE_EXPORT_EPOCH`."""
    if hasattr(set_clock, "now"):
        set_clock.now = spec.PRE_DEADLINE_EXPORT_EPOCH
    role = f"arn:aws:iam::{spec.ACCOUNT}:role/pinpoint-export"
    for region in spec.REGIONS:
        pinpoint = emu.session(region).client("pinpoint")
        apps = {a["Name"]: a["Id"] for a in pinpoint.get_apps()["ApplicationsResponse"]["Item"]}
        for tenant in spec.TENANTS:
            if tenant.region != region or not tenant.endpoints:
                continue
            app_id = apps[tenant.name]
            target = f"s3://{spec.EXPORT_BUCKET}/{spec.PRE_DEADLINE_EXPORT_PREFIX}{app_id}/"
            job = pinpoint.create_export_job(
                ApplicationId=app_id, ExportJobRequest={"RoleArn": role, "S3UrlPrefix": target}
            )["ExportJobResponse"]
            done = pinpoint.get_export_job(ApplicationId=app_id, JobId=job["Id"])["ExportJobResponse"]
            if done["JobStatus"] != "COMPLETED":
                raise RuntimeError(f"the demo's export of {tenant.name} did not complete: {done}")


def sns_opted_out(emu: Emulator, number: object) -> None:
    """The account's SNS opted-out numbers, `spec.SNS_OPTED_OUT` per region (US or UK numbers)."""
    for region, count in spec.SNS_OPTED_OUT.items():
        rng = random.Random(f"sns-opted-out-{region}")
        country = "GB" if region == "eu-west-1" else "US"
        chosen: set[str] = set()
        while len(chosen) < count:
            chosen.add(number(rng, country))  # type: ignore[operator]
        emu.set_sns_opted_out(region, sorted(chosen))
