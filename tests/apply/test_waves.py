"""--tenant / --wave: a selection's apply touches only its tenants and the shared steps they need; waves in
any order end where one whole apply ends; rolling back one tenant leaves every other tenant protected."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apply.world import NOW, Demo, InvariantHook
from migrate.apply.clients import AwsOptions
from migrate.apply.commands import RollbackOptions, VerifyOptions, run_rollback, run_verify
from migrate.apply.journal import read_journal
from migrate.apply.selection import (
    Selection,
    SelectionError,
    load_wave_file,
    resolve_selection,
    select_steps,
    tenant_status,
)
from migrate.apply.state import plan_state
from migrate.cli import cli
from migrate.emulator import Emulator

V2 = "pinpoint-sms-voice-v2"
EXAMPLES = int(os.environ.get("WAVES_EXAMPLES", "2"))
QUICK = AwsOptions(now=NOW, quotas=("pinpoint-sms-voice-v2:*=2000",))


def _slugs(demo: Demo) -> list[str]:
    return sorted(t["slug"] for t in demo.plan().data["tenants"])


def _names(emu: Emulator) -> set[str]:
    """Every v2 pool, list and configuration set there is now, by name (pools by their Name tag)."""
    found: set[str] = set()
    for region in ("us-east-1", "eu-west-1"):
        sms = emu.session(region).client(V2)
        found |= {f"list:{o['OptOutListName']}" for o in sms.describe_opt_out_lists()["OptOutLists"]}
        found |= {
            f"set:{c['ConfigurationSetName']}" for c in sms.describe_configuration_sets()["ConfigurationSets"]
        }
        for pool in sms.describe_pools()["Pools"]:
            tags = {
                t["Key"]: t["Value"] for t in sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"]
            }
            found.add(f"pool:{tags.get('Name', pool['PoolId'])}")
    return found


def _own_names(demo: Demo, slugs: set[str]) -> set[str]:
    names: set[str] = set()
    for tenant in demo.plan().data["tenants"]:
        if tenant["slug"] in slugs:
            names |= {f"list:{tenant['opt_out_list']}", f"set:{tenant['configuration_set']}"}
            names |= {f"pool:{p}" for p in tenant["pools"]}
    return names


def _done(demo: Demo) -> set[str]:
    state = plan_state(read_journal(demo.journal).records, demo.plan().plan_id)
    return {s for s, v in state.status.items() if v == "ok"}


def test_selection_takes_the_shared_steps_it_depends_on_in_plan_order(demo: Demo) -> None:
    plan = demo.plan()
    for slug in _slugs(demo):
        chosen = select_steps(plan.steps, Selection(frozenset({slug})))
        ids = [s["id"] for s in chosen.steps]
        assert ids == [s["id"] for s in plan.steps if s["id"] in set(ids)]  # the plan's safe order
        for step in chosen.steps:
            assert set(step["depends_on"]) <= set(ids)  # nothing it needs is left out
            if step["id"] not in chosen.shared:
                assert slug in step["tenants"]


@pytest.mark.parametrize("seed", range(EXAMPLES))
def test_waves_in_any_order_touch_only_their_tenants_and_end_as_one_apply(demo: Demo, seed: int) -> None:
    rng = random.Random(seed)
    slugs = _slugs(demo)
    rng.shuffle(slugs)
    cut = rng.randint(1, len(slugs) - 1)
    waves = [slugs[:cut], slugs[cut:]]
    with demo.emulator(persist=True) as emu:
        before = _names(emu)
        moved: set[str] = set()
        for wave in waves:
            earlier = _names(emu)
            result = demo.apply(emu, tenants=tuple(wave))
            assert result.ok, result.summary()
            moved |= set(wave)
            now = _names(emu)
            made = now - earlier
            others = set(slugs) - moved
            assert not made & _own_names(demo, others), f"wave {wave} made another tenant's resource"
            assert _own_names(demo, set(wave)) & made or not _own_names(demo, set(wave)) - earlier
            assert earlier <= now  # an earlier wave's resources are left as they are
        # then apply without a selection: nothing is left to do but the steps of no tenant
        plan = demo.plan()
        untenanted = {s["id"] for s in plan.steps if not s["tenants"]}
        assert set(s["id"] for s in plan.steps) - _done(demo) <= untenanted
        assert demo.apply(emu).ok
        assert _done(demo) == {s["id"] for s in plan.steps}
        assert before <= _names(emu)
        status = tenant_status(plan.steps, {s: "ok" for s in _done(demo)})
        assert all(v["status"] == "done" for v in status.values())


def test_rollback_of_one_tenant_leaves_every_other_tenant_protected(demo: Demo) -> None:
    rng = random.Random(7)
    slugs = _slugs(demo)
    victim = rng.choice(slugs)
    with demo.emulator(persist=True) as emu:
        assert demo.apply(emu).ok
        all_names = _names(emu)
        # what each pool must refuse, read before the rollback: it copies the victim's opt-outs to Default
        hook = InvariantHook(emu, demo)
        result = run_rollback(
            RollbackOptions(
                journal_path=demo.journal, aws=QUICK, yes=True, echo=lambda _l: None, tenants=(victim,)
            ),
            emulator=emu,
        )
        assert result.ok, result.summary()
        after = _names(emu)
        assert not after & _own_names(demo, {victim})  # its pool, list, configuration set are gone
        assert all_names & _own_names(demo, set(slugs) - {victim}) <= after  # everybody else's stay
        assert all_names - _own_names(demo, {victim}) <= after
        # every other tenant's pool still refuses every one of its opted-out numbers (DryRun sends)
        hook.numbers = {k: v for k, v in hook.numbers.items() if k[1] not in _own_names_pools(demo, victim)}
        from migrate.apply.executor import StepOutcome

        hook(StepOutcome("after-rollback", "check", "ok"))
        assert hook.sends > 0 and hook.pools_seen
        others = tuple(s for s in slugs if s != victim)
        checked = run_verify(
            VerifyOptions(plan_path=demo.plan_path, aws=QUICK, echo=lambda _l: None, tenants=others),
            emulator=emu,
        )
        # The rollback copied the victim's opt-outs onto Default (its number went back there), and the other
        # lists copy Default: verify reads Default now, finds those numbers missing from the other lists and
        # reachable from their pools (Default's entries are everybody's by design; a refill adds them).
        # Nothing else may fail; the hook above proved every other tenant's own opt-outs still refused.
        failed = [c for c in checked.checks if not c.ok]
        assert all(c.what in ("contents", "opt-outs") for c in failed), [c.detail for c in failed]
        saved = json.loads((demo.root / "migration" / "verify.json").read_text())
        assert victim not in saved["tenants"] and set(saved["tenants"]) == set(others)
        # apply the victim again: only its steps run, the others' are done already
        again = demo.apply(emu, tenants=(victim,))
        assert again.ok and _own_names(demo, {victim}) <= _names(emu)


def _own_names_pools(demo: Demo, slug: str) -> set[str]:
    return {p for t in demo.plan().data["tenants"] if t["slug"] == slug for p in t["pools"]}


def test_wave_file_selects_a_wave_and_reports_per_tenant_and_wave(demo: Demo, tmp_path: Path) -> None:
    slugs = _slugs(demo)
    waves = tmp_path / "waves.toml"
    waves.write_text(
        f'[waves.canary]\ntenants = ["{slugs[0]}"]\n\n[waves.rest]\ntenants = {json.dumps(slugs[1:])}\n'
    )
    runner = CliRunner()
    common = ["--emulator", str(demo.world), "--now", NOW]
    out = runner.invoke(
        cli, ["apply", str(demo.plan_path), "--yes", "--quiet", "--wave", f"{waves}:canary", *common]
    )
    assert out.exit_code == 0, out.output
    assert "wave canary" in out.output
    checked = runner.invoke(
        cli, ["verify", str(demo.plan_path), "--wave", str(waves), "--wave-name", "canary", *common]
    )
    assert checked.exit_code == 0, checked.output
    saved = json.loads((demo.root / "migration" / "verify.json").read_text())
    assert saved["selection"] == {"tenants": [slugs[0]], "wave": "canary"}
    assert saved["tenants"][slugs[0]]["status"] == "passed"
    assert [w["wave"] for w in saved["waves"]] == ["canary", "rest"]
    assert saved["waves"][0]["status"] == "done"
    start = next(r for r in read_journal(demo.journal).records if r["event"] == "apply-start")
    assert start["selection"] == {"tenants": [slugs[0]], "wave": "canary"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[waves.a\n", "not valid TOML"),
        ("x = 1\n", "no [waves.NAME]"),
        ('[waves.a]\ntenants = ["nobody"]\n', "no tenant 'nobody'"),
        ('[waves.a]\ntenants = "acme"\n', "needs tenants"),
        ('[waves.a]\ntenants = ["acme-clinics"]\n[waves.b]\ntenants = ["acme-clinics"]\n', "is in wave"),
    ],
)
def test_a_bad_wave_file_is_a_clear_error_naming_the_file(
    demo: Demo, tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "w.toml"
    path.write_text(text)
    out = CliRunner().invoke(
        cli, ["apply", str(demo.plan_path), "--yes", "--wave", f"{path}:a", "--emulator", str(demo.world)]
    )
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert str(path) in out.output and words in out.output, out.output
    assert not demo.journal.exists() or "apply-start" not in demo.journal.read_text()


def test_unknown_tenant_and_missing_wave_name_are_errors(demo: Demo, tmp_path: Path) -> None:
    tenants: list[dict[str, Any]] = demo.plan().data["tenants"]
    with pytest.raises(SelectionError, match="no tenant 'zzz'"):
        resolve_selection(tenants, ["zzz"])
    path = tmp_path / "w.toml"
    path.write_text('[waves.a]\ntenants = ["acme-clinics"]\n[waves.b]\ntenants = ["cobalt-bank"]\n')
    with pytest.raises(SelectionError, match="name the wave"):
        resolve_selection(tenants, wave=str(path))
    by_name = resolve_selection(tenants, ["Acme Clinics"])
    assert by_name.tenants == {"acme-clinics"}
    assert [w.name for w in load_wave_file(path).waves] == ["a", "b"]


def _shared_plan(demo: Demo) -> None:
    """Re-plan the demo with Acme Clinics and Bluebird Retail on one shared pool, list and set."""
    from migrate.inventory.run import ScanOptions, scan_live_v2
    from migrate.inventory.snapshot import load_inventory
    from migrate.plan.commands import run_plan

    overrides = demo.root / "migration" / "overrides.toml"
    overrides.write_text(
        '[tenants."Acme Clinics"]\nstrategy = "shared:health"\n[tenants."Bluebird Retail"]\nstrategy = "shared:health"\n'
    )
    inventory = demo.root / "migration" / "inventory.json"
    with demo.emulator() as emu:
        live = scan_live_v2(ScanOptions(progress=False, now=NOW), load_inventory(inventory), emulator=emu)
    run_plan(inventory, overrides, demo.plan_path, offline=False, live_inventory=live)


def test_shared_strategy_moves_shared_steps_with_either_tenant_and_rollback_keeps_them(demo: Demo) -> None:
    _shared_plan(demo)
    plan = demo.plan()
    shared = [s for s in plan.steps if len(s["tenants"]) > 1]
    assert shared, "the shared group gives steps of two tenants"
    pair = set(shared[0]["tenants"])
    one = sorted(pair)[0]
    with demo.emulator(persist=True) as emu:
        assert demo.apply(emu, tenants=(one,)).ok
        assert {s["id"] for s in shared} <= _done(demo)  # the shared steps came with the first tenant
        assert demo.apply(emu).ok
        result = run_rollback(
            RollbackOptions(
                journal_path=demo.journal, aws=QUICK, yes=True, echo=lambda _l: None, tenants=(one,)
            ),
            emulator=emu,
        )
        assert result.ok
        undone = {a.step_id for a, _u in result.outcomes}
        assert not undone & {s["id"] for s in shared}  # the other tenant still sends through them
        checked = run_verify(
            VerifyOptions(
                plan_path=demo.plan_path, aws=QUICK, echo=lambda _l: None, tenants=tuple(pair - {one})
            ),
            emulator=emu,
        )
        assert checked.passed, [c.detail for c in checked.checks if not c.ok]
        both = run_rollback(
            RollbackOptions(
                journal_path=demo.journal, aws=QUICK, yes=True, echo=lambda _l: None, tenants=tuple(pair)
            ),
            emulator=emu,
        )
        assert both.ok and {s["id"] for s in shared} <= {a.step_id for a, _u in both.outcomes}
