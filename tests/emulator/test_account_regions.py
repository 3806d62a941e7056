"""Account Management's `ListRegions` in process (strict mode: every answer checked against botocore's
output shape): the pre-2019-03-20 regions enabled by default, opt-in ones as the world enables them, pages."""

from __future__ import annotations

from migrate.emulator import Emulator
from migrate.emulator.services.account import DEFAULT_REGIONS


def test_list_regions_pages_through_the_partition_with_opt_in_regions_as_enabled(emu: Emulator) -> None:
    emu.world.set_meta("enabled_regions", ["af-south-1"])
    emu.world.commit()
    account = emu.session().client("account")
    status = {
        r["RegionName"]: r["RegionOptStatus"]
        for page in account.get_paginator("list_regions").paginate(PaginationConfig={"PageSize": 7})
        for r in page["Regions"]
    }
    assert set(status) >= DEFAULT_REGIONS and len(status) > len(DEFAULT_REGIONS)
    assert {status[name] for name in DEFAULT_REGIONS} == {"ENABLED_BY_DEFAULT"}
    assert status["af-south-1"] == "ENABLED"
    assert "DISABLED" in status.values()
    enabled = account.list_regions(RegionOptStatusContains=["ENABLED", "ENABLED_BY_DEFAULT"], MaxResults=50)
    assert {r["RegionName"] for r in enabled["Regions"]} == DEFAULT_REGIONS | {"af-south-1"}
