"""Account Management's `ListRegions`: which regions the emulated account has enabled (moto lacks it).

A scan without `--region` asks it for the account's enabled regions. AWS's rule (Account Management
reference, "Enable or disable AWS Regions in your account"): regions launched before March 20, 2019 are
enabled by default and cannot be disabled (`ENABLED_BY_DEFAULT`); later ones are opt-in, `DISABLED` until
the account enables them. The regions listed are the `aws` partition's in botocore's endpoint data; a
world enables opt-in regions with `emu.world.meta["enabled_regions"] = [...]`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import botocore.session

from migrate.emulator.context import Context
from migrate.emulator.errors import ApiError
from migrate.emulator.registry import operation
from migrate.emulator.services.common import page

# The regions of the aws partition launched before 2019-03-20 (enabled by default).
DEFAULT_REGIONS = frozenset(
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1",
        "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-northeast-1", "ap-northeast-2",
        "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-south-1",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def partition_regions() -> tuple[str, ...]:
    data = botocore.session.get_session().get_component("data_loader").load_data("endpoints")
    aws = next(p for p in data["partitions"] if p["partition"] == "aws")
    return tuple(sorted(aws["regions"]))


@operation("account", "ListRegions")
def list_regions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("AccountId") not in (None, ctx.account):
        raise ApiError("AccessDeniedException", "The emulator answers for its own account only.")
    enabled = set(ctx.meta_flag("enabled_regions", []) or [])
    regions = [
        {
            "RegionName": name,
            "RegionOptStatus": "ENABLED_BY_DEFAULT"
            if name in DEFAULT_REGIONS
            else "ENABLED"
            if name in enabled
            else "DISABLED",
        }
        for name in partition_regions()
    ]
    wanted = params.get("RegionOptStatusContains")
    if wanted:
        regions = [r for r in regions if r["RegionOptStatus"] in wanted]
    chunk, token = page(regions, params, default_size=20, size_key="MaxResults", token_key="NextToken", v2=False)
    return {"Regions": chunk, "NextToken": token}
