"""Drift is a planned change (issue 12, case 5): entries lost from a list the tool fills are found by
`verify --full` (every source read whole, the missing numbers written to a 0600 file, each printed masked
and distinct), and planned as a refill of exactly those numbers, by counts (`plan`) or from the file
(`plan --missing`); after the refill verify passes and a fresh plan is empty."""

from __future__ import annotations

import csv
import random
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apply.world import NOW, Demo, fill_files, fill_step
from migrate.apply.clients import AwsOptions
from migrate.apply.verify import VerifyOptions, VerifyResult, run_verify
from migrate.cli import cli
from migrate.emulator import Emulator
from migrate.inventory.optouts_files import sha256_of
from migrate.inventory.run import ScanOptions, scan_live_v2
from migrate.inventory.snapshot import load_inventory
from migrate.plan.commands import PlanResult, run_plan

V2 = "pinpoint-sms-voice-v2"
QUICK = ("--quota", "pinpoint-sms-voice-v2:*=2000")
FAST = AwsOptions(now=NOW, quotas=("pinpoint-sms-voice-v2:*=2000",))
MASKED = re.compile(r"\+\d+\*{4}(?:~\d+)?")
ACCOUNT = "111122223333"


def cli_run(demo: Demo, *args: str) -> Any:
    result = CliRunner().invoke(
        cli, [*args, "--emulator", str(demo.world), "--now", NOW], catch_exceptions=False
    )
    assert "Traceback" not in result.output
    return result


def entries(sms: Any, name: str) -> list[str]:
    pages = sms.get_paginator("describe_opted_out_numbers").paginate(OptOutListName=name)
    return [n["OptedOutNumber"] for page in pages for n in page["OptedOutNumbers"]]


def delete(emu: Emulator, region: str, name: str, numbers: list[str]) -> None:
    sms = emu.session(region).client(V2)
    for number in numbers:
        sms.delete_opted_out_number(OptOutListName=name, OptedOutNumber=number)


def fill_sources(demo: Demo, emu: Emulator, name: str) -> dict[str, set[str]]:
    """The numbers of each source of a list's fill step: files by kind, copied lists by name."""
    fill = fill_step(demo, name)
    found = fill_files(demo, fill)
    sms = emu.session(fill["region"]).client(V2)
    for other in fill["parameters"]["copy_from"]:
        found[other["OptOutListName"]] = set(entries(sms, other["OptOutListName"]))
    return found


def missing_rows(path: Path) -> set[tuple[str, str, str, str]]:
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["account", "region", "opt_out_list", "phone_number"]
    return {(a, r, n, p) for a, r, n, p in rows[1:]}


def verify(demo: Demo, emu: Emulator, plan: Path | None = None) -> VerifyResult:
    options = VerifyOptions(plan or demo.plan_path, aws=FAST, full=True, echo=lambda _line: None)
    return run_verify(options, emulator=emu)


def replan(demo: Demo, emu: Emulator, missing: Path | None = None) -> PlanResult:
    """A fresh plan (live v2 scanned now), written beside the applied one."""
    inventory_path = demo.root / "migration" / "inventory.json"
    live = scan_live_v2(ScanOptions(progress=False, now=NOW), load_inventory(inventory_path), emulator=emu)
    return run_plan(
        inventory_path, None, demo.plan_path, offline=False, live_inventory=live, missing_path=missing
    )


def apply(demo: Demo, emu: Emulator, plan: Path | None = None) -> None:
    result = demo.apply(emu, plan_path=plan or demo.plan_path, aws=FAST)
    assert result.ok, [o.error for o in result.execution.outcomes if o.error]


def test_case_5_deleted_numbers_are_named_refilled_and_the_plan_is_then_empty(demo: Demo) -> None:
    """Delete numbers from a migrated list: verify fails naming exactly them (masked, distinct), a fresh
    plan refills the list, `plan --missing` refills exactly them, then verify passes and re-plan is empty."""
    name = "pinpoint-bluebird-retail"
    with demo.emulator() as emu:
        apply(demo, emu)
        sources = fill_sources(demo, emu, name)
        listed = entries(emu.session("us-east-1").client(V2), name)
        # the list's first entry, and a number of each source kind that no other source holds
        gone = [listed[0]]
        for kinds in ({"endpoint export"}, {"SNS"}, {"Default", "Default list at scan"}):
            others = set().union(*(v for k, v in sources.items() if k not in kinds))
            gone.append(sorted(set().union(*(sources[k] for k in kinds)) - others - set(gone))[0])
        gone += [n for n in sorted(listed) if n not in gone][:1]
        assert len(set(gone)) == 5
        delete(emu, "us-east-1", name, gone)

        failed = verify(demo, emu)
        text = "\n".join(failed.table())
        assert not failed.passed
        line = next(x for x in text.splitlines() if "missing from pinpoint-bluebird-retail:" in x)
        assert re.search(r"\b5 of \d+ opted-out numbers are missing", line), line
        shown = MASKED.findall(line)
        assert len(shown) == 5 and len(set(shown)) == 5, line  # five numbers, five different strings
        assert not any(n in text or n in failed.path.read_text() for n in gone)
        missing = demo.root / "migration" / "missing-optouts.csv"
        assert failed.missing_path == missing and f"written to {missing} (0600)" in text
        assert f"plan --missing {missing}" in text
        assert stat.S_IMODE(missing.stat().st_mode) == 0o600
        assert missing_rows(missing) == {(ACCOUNT, "us-east-1", name, n) for n in gone}

        # apply of the applied plan has nothing to do; a fresh plan is no longer empty: it refills the list
        counted = replan(demo, emu)
        assert "5 entries lost since verified" in counted.text
        mine = [s for s in counted.plan.steps if s["parameters"].get("OptOutListName") == name]
        assert {s["kind"] for s in mine} == {"fill_opt_out_list", "verify_opt_out_list"}
        # from verify's file: one step, exactly those numbers
        exact = replan(demo, emu, missing)
        refill = [s for s in exact.plan.steps if s["kind"] == "refill_opt_out_list"]
        assert [(s["parameters"]["OptOutListName"], s["parameters"]["missing"]["count"]) for s in refill] == [
            (name, 5)
        ]
        assert refill[0]["parameters"]["missing"]["sha256"] == sha256_of(missing)
        assert not any(n in exact.path.read_text() for n in gone)  # the plan names the file, not the numbers
        apply(demo, emu, exact.path)
        assert set(gone) <= set(entries(emu.session("us-east-1").client(V2), name))
        assert verify(demo, emu).passed
        assert replan(demo, emu).plan.steps == []


def test_case_5_on_the_command_line(demo: Demo) -> None:
    """As the issue states it, on the command line: verify --full fails naming 1 missing number (masked) and
    writes it to the file; `plan --missing FILE --detailed-exitcode` has a step to run (exit 2)."""
    with demo.emulator(persist=True) as emu:
        apply(demo, emu)
        sms = emu.session("us-east-1").client(V2)
        gone = entries(sms, "pinpoint-cobalt-bank")[0]
        sms.delete_opted_out_number(OptOutListName="pinpoint-cobalt-bank", OptedOutNumber=gone)
    failed = cli_run(demo, "verify", str(demo.plan_path), "--full", *QUICK)
    assert failed.exit_code == 1 and "1 of " in failed.output and gone not in failed.output
    missing = demo.root / "migration" / "missing-optouts.csv"
    assert missing_rows(missing) == {(ACCOUNT, "us-east-1", "pinpoint-cobalt-bank", gone)}
    plan = cli_run(
        demo, "plan", "--inventory", str(demo.root / "migration" / "inventory.json"),
        "--plan-file", str(demo.plan_path), "--missing", str(missing), "--detailed-exitcode",
    )  # fmt: skip
    assert plan.exit_code == 2 and "refill from missing-optouts.csv" in plan.output, plan.output


def test_a_changed_missing_file_is_refused_before_any_write(demo: Demo) -> None:
    name = "pinpoint-cobalt-bank"
    with demo.emulator() as emu:
        apply(demo, emu)
        first = entries(emu.session("us-east-1").client(V2), name)[:2]
        delete(emu, "us-east-1", name, first)
        assert verify(demo, emu).missing_count == 2
        missing = demo.root / "migration" / "missing-optouts.csv"
        exact = replan(demo, emu, missing)
        missing.write_text(missing.read_text() + f"{ACCOUNT},us-east-1,{name},+12065559999\r\n")
        result = demo.apply(emu, plan_path=exact.path, aws=FAST)
        assert not result.ok
        assert any("changed since the plan was made" in o.error for o in result.execution.outcomes)
        assert not set(first) & set(entries(emu.session("us-east-1").client(V2), name))


def test_a_bad_missing_file_is_one_line_naming_it(demo: Demo, tmp_path: Path) -> None:
    for body, why in (
        ("phone\n+12065550100\n", "not a missing-numbers file"),
        ("account,region,opt_out_list,phone_number\n1,us-east-1,x,12065550100\n", "line 2: not an E.164"),
        (
            "account,region,opt_out_list,phone_number\n999999999999,us-east-1,x,+12065550100\n",
            "does not fill",
        ),
    ):
        bad = tmp_path / "missing.csv"
        bad.write_text(body)
        result = cli_run(
            demo, "plan", "--inventory", str(demo.root / "migration" / "inventory.json"), "--plan-file",
            str(tmp_path / "plan.json"), "--missing", str(bad),
        )  # fmt: skip
        assert result.exit_code == 1 and str(bad) in result.output and why in result.output, result.output
        assert not (tmp_path / "plan.json").exists()


def test_a_stop_on_a_sender_id_tenants_list_after_apply_is_copied_to_default(demo: Demo) -> None:
    """Sends straight from a sender ID are checked against Default: a STOP that lands on the tenant list
    after apply is drift of Default (verify finds it, the refill copies it, by counts or from the file)."""
    stops = {"pinpoint-everest-travel": "+447700900123", "pinpoint-fjord-energy": "+919800000123"}
    with demo.emulator() as emu:
        apply(demo, emu)
        sms = emu.session("eu-west-1").client(V2)
        for name, stop in stops.items():
            sms.put_opted_out_number(OptOutListName=name, OptedOutNumber=stop)
            assert stop not in entries(sms, "Default")
        failed = verify(demo, emu)
        assert not failed.passed and "(missing from Default)" in "\n".join(failed.table())
        assert failed.missing_path is not None
        assert {(ACCOUNT, "eu-west-1", "Default", s) for s in stops.values()} <= missing_rows(
            failed.missing_path
        )
        counted = replan(demo, emu)  # by counts: the tenant lists grew since their copy onto Default
        copies = [s for s in counted.plan.steps if s["kind"] == "fill_opt_out_list"]
        assert sorted(s["id"].rsplit("/", 2)[-2] for s in copies) == sorted(stops), counted.text
        assert {s["parameters"]["OptOutListName"] for s in copies} == {"Default"}
        apply(demo, emu, counted.path)
        assert set(stops.values()) <= set(entries(sms, "Default"))
        assert verify(demo, emu).passed
        assert replan(demo, emu).plan.steps == []


TOOL_LISTS = {
    "us-east-1": (
        "pinpoint-bluebird-retail",
        "pinpoint-cobalt-bank",
        "pinpoint-acme-clinics",
        "pinpoint-delta-logistics",
    ),
    "eu-west-1": ("pinpoint-everest-travel", "pinpoint-fjord-energy"),
}


@pytest.mark.parametrize("seed", range(2))
def test_random_deletions_are_named_exactly_then_refilled(demo: Demo, seed: int) -> None:
    """Any entries of any tool lists, in any order: verify --full names exactly them, the refill (from the
    file on even seeds, by counts on odd ones) puts them back, verify passes, a fresh plan is empty."""
    rng = random.Random(seed)
    gone: set[tuple[str, str, str, str]] = set()
    with demo.emulator() as emu:
        apply(demo, emu)
        for region, names in sorted(TOOL_LISTS.items()):
            sms = emu.session(region).client(V2)
            for name in rng.sample(names, rng.randint(1, len(names))):
                listed = entries(sms, name)
                chosen = rng.sample(listed, rng.randint(1, 6)) + ([listed[0]] if rng.random() < 0.5 else [])
                for number in dict.fromkeys(chosen):
                    sms.delete_opted_out_number(OptOutListName=name, OptedOutNumber=number)
                    gone.add((ACCOUNT, region, name, number))
        failed = verify(demo, emu)
        assert not failed.passed and failed.missing_path is not None
        assert missing_rows(failed.missing_path) == gone
        text = "\n".join(failed.table())
        assert not any(row[3] in text for row in gone), "a number printed unmasked"
        for line in text.splitlines():
            counted = re.search(r"(\d+) of \d+ opted-out numbers are missing", line)
            if counted:  # each number it names printed once, no two alike
                shown = MASKED.findall(line.split(" are missing from ", 1)[1])
                assert len(shown) == min(int(counted.group(1)), 10) == len(set(shown)), line
        fresh = replan(demo, emu, failed.missing_path if seed % 2 == 0 else None)
        apply(demo, emu, fresh.path)
        assert verify(demo, emu).passed
        assert replan(demo, emu).plan.steps == []
