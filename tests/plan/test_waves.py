"""`plan waves`: a wave file apply --wave reads, with every tenant once, groups that must move together
kept together, blocked tenants last, the quietest free tenant as canary, reasons as comments; same bytes
for the same inputs in any record order."""

from __future__ import annotations

import random
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.apply.selection import load_wave_file, resolve_selection
from migrate.cli import cli
from migrate.inventory.records import ApiUsage, Campaign
from migrate.inventory.snapshot import Inventory, Section
from migrate.plan.errors import PlanError
from migrate.plan.waves_command import write_waves
from tests.report import world

NOW = "2026-11-27T00:00:00Z"
ACCOUNT, REGION = world.ACCOUNT, world.REGION


def _world(seed: int, size: int = 7) -> Inventory:
    """Tenant 0 is blocked (Kinesis); tenant 3's campaign sends from tenant 2's number (they move
    together); each tenant has a random count of old-API sends in CloudTrail."""
    rng = random.Random(seed)
    inv = world.inventory([f"Tenant {chr(65 + i)}" for i in range(size)])
    inv.options["cloudtrail_days"] = 90
    inv.sections.append(Section(ACCOUNT, REGION, "cloudtrail.send_api_usage", "ok", "", size))
    inv.add(Campaign(ACCOUNT, REGION, "app0003", "shared", "uses 2's number", "ACTIVE", 1,
                     origination_number="+12065550002"))  # fmt: skip
    for index in range(size):
        calls = rng.choice([0, 0, 1, 5, 40])
        if calls:
            inv.add(
                ApiUsage(ACCOUNT, REGION, "SendMessages", f"arn:aws:iam::{ACCOUNT}:role/r{index}", "Boto3/1",
                         calls, "2026-10-20T12:00:00Z", app_id=f"app{index:04d}"),
            )  # fmt: skip
    return inv


def _write(tmp_path: Path, inv: Inventory, name: str = "m") -> tuple[Path, Path]:
    folder = tmp_path / name
    folder.mkdir()
    inventory = inv.write(folder / "inventory.json")
    plan = world.planned(inv).write(folder / "plan.json")
    return inventory, plan


def _calls(inv: Inventory) -> dict[str, int]:
    out: dict[str, int] = {}
    for usage in inv.of("api_usage"):
        out[usage.app_id] = out.get(usage.app_id, 0) + usage.count
    return out


@pytest.mark.parametrize("seed", range(6))
def test_proposal_is_a_valid_wave_file_with_the_rules_kept(tmp_path: Path, seed: int) -> None:
    inv = _world(seed)
    _inventory, plan_path = _write(tmp_path, inv)
    written = write_waves(plan_path, now=NOW)
    waves = load_wave_file(written.path)
    plan = world.planned(inv).data
    slugs = {t["slug"] for t in plan["tenants"]}
    listed = [t for w in waves.waves for t in w.tenants]
    assert sorted(listed) == sorted(slugs)  # every tenant exactly once
    for wave in waves.waves:  # each wave selects in apply as it is
        assert resolve_selection(plan["tenants"], wave=f"{written.path}:{wave.name}").tenants == set(wave.tenants)
    by_app = {t["slug"]: t["app_id"] for t in plan["tenants"]}
    wave_of = {t: w.name for w in waves.waves for t in w.tenants}
    assert wave_of[_slug(plan, "Tenant C")] == wave_of[_slug(plan, "Tenant D")]  # shared number
    assert wave_of[_slug(plan, "Tenant A")] == waves.waves[-1].name  # the blocked one waits
    calls = _calls(inv)
    canary = waves.waves[0]
    assert canary.name == "canary" and _slug(plan, "Tenant A") not in canary.tenants
    pair = {_slug(plan, "Tenant C"), _slug(plan, "Tenant D")}
    groups = [pair] + [{t} for t in slugs - pair]  # what moves together
    free = [g for g in groups if not g & set(waves.waves[-1].tenants) or len(waves.waves) == 1]
    total = {frozenset(g): sum(calls.get(by_app[t], 0) for t in g) for g in free}
    assert set(canary.tenants) in free
    assert total[frozenset(canary.tenants)] == min(total.values())  # the quietest group goes first
    text = written.path.read_text()
    for slug in slugs:  # a reason for every tenant, right above it
        assert re.search(rf"# .*old-API send call\(s\) seen in CloudTrail\n(  # .*\n)*  \"{slug}\",", text), slug
    assert "moves with" in text and not re.search(r"\+\d{8,}", text)  # numbers masked
    assert tomllib.loads(text)["waves"]["canary"]["note"]


def _slug(plan: dict, name: str) -> str:  # type: ignore[type-arg]
    return next(t["slug"] for t in plan["tenants"] if t["name"] == name)


def test_same_bytes_for_the_same_inputs_in_any_record_order(tmp_path: Path) -> None:
    inv = _world(3)
    shuffled = _world(3)
    rng = random.Random(1)
    for items in shuffled.records.values():
        rng.shuffle(items)
    rng.shuffle(shuffled.sections)
    first = write_waves(_write(tmp_path, inv, "a")[1], now=NOW).path.read_bytes()
    second = write_waves(_write(tmp_path, shuffled, "b")[1], now=NOW).path.read_bytes()
    assert first == second


def test_without_cloudtrail_it_says_so(tmp_path: Path) -> None:
    inv = world.inventory(["One", "Two", "Three"])
    text = write_waves(_write(tmp_path, inv)[1], now=NOW).path.read_text()
    assert "no CloudTrail" in text and "activity unknown: CloudTrail not read" in text


def test_an_edited_wave_file_is_never_overwritten_silently(tmp_path: Path) -> None:
    _inventory, plan_path = _write(tmp_path, _world(0))
    written = write_waves(plan_path, now=NOW)
    written.path.write_text(written.path.read_text() + "# my edits\n")
    with pytest.raises(PlanError, match="already there"):
        write_waves(plan_path, now=NOW)
    assert written.path.read_text().endswith("# my edits\n")
    result = CliRunner().invoke(cli, ["plan", "waves", str(plan_path), "--now", NOW])
    assert result.exit_code == 1 and "already there" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["plan", "waves", str(plan_path), "--now", NOW, "--force"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("canary: ")
    assert "# my edits" not in written.path.read_text()



def test_when_every_tenant_is_blocked_the_first_to_be_freed_is_still_the_canary(tmp_path: Path) -> None:
    from migrate.inventory.records import EventStream

    for seed in range(3):
        inv = _world(seed)
        for index in range(1, 7):  # a Kinesis stream (no v2 target: a blocker) for every other tenant too
            inv.add(
                EventStream(ACCOUNT, REGION, f"app{index:04d}", f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/e{index}",
                            "kinesis", True, f"arn:aws:iam::{ACCOUNT}:role/ev", True, ("pinpoint.amazonaws.com",)),
            )  # fmt: skip
        _inventory, plan_path = _write(tmp_path, inv, name=f"w{seed}")
        written = write_waves(plan_path, now=NOW)
        waves = load_wave_file(written.path)
        plan = world.planned(inv).data
        names = [w.name for w in waves.waves]
        assert names[0] == "canary" and names[1:] in ([], ["after-blockers"]), names
        listed = [t for w in waves.waves for t in w.tenants]
        assert sorted(listed) == sorted(t["slug"] for t in plan["tenants"])  # nobody lost or doubled
        wave_of = {t: w.name for w in waves.waves for t in w.tenants}
        assert wave_of[_slug(plan, "Tenant C")] == wave_of[_slug(plan, "Tenant D")]  # still moved together
        assert "every tenant is blocked" in tomllib.loads(written.path.read_text())["waves"]["canary"]["note"]
