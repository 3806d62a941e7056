"""`pinpoint-migrate demo`: the README's first command, and the committed example report it regenerates."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.emulator import Emulator
from tests.progress_lines import check_progress, rendered

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "reports" / "example"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo as on a terminal (progress shown: PINPOINT_MIGRATE_PROGRESS=1); the output as the screen
    keeps it once the progress lines are cleared."""
    where = tmp_path_factory.mktemp("demo")
    before = Path.cwd()
    os.chdir(where)  # the default --out is relative: the example is made from the same command line
    try:
        result = CliRunner(env={"PINPOINT_MIGRATE_PROGRESS": "1"}).invoke(
            cli, ["demo"], catch_exceptions=False
        )
    finally:
        os.chdir(before)
    assert result.exit_code == 0, result.output
    _DEMO_RAW.append(result.output)
    return where / "pinpoint-migrate-demo", rendered(result.output)


_DEMO_RAW: list[str] = []


def test_every_long_stage_of_the_demo_shows_honest_progress(demo_run: tuple[Path, str]) -> None:
    shown = check_progress(_DEMO_RAW[-1])  # total fixed, ETA from the rate, cleared before each stage line
    labels = {item.label for item in shown}
    assert {"scan", "opt-outs", "live v2 state", "dry run steps"} <= labels, labels
    scan = [item for item in shown if item.label == "scan"]
    assert scan[0].total == scan[-1].total and scan[0].done <= 1


def test_demo_prints_one_line_per_stage_and_ends_with_the_report(demo_run: tuple[Path, str]) -> None:
    out, output = demo_run
    lines = output.strip().splitlines()
    stages = [line.split(":", 1)[0] for line in lines[:-1] if not line.startswith(" ")]
    assert stages == ["world", "scan", "plan", "waves", "apply", "rewrite", "report"]
    assert "none made" in output
    # the demo account is past Pinpoint's end of support: one line says what the scan could not read
    about = [line.strip() for line in lines if "retired" in line]
    assert len(about) == 1 and about[0].startswith("retired: since 2026-10-30"), output
    assert "after Pinpoint's end of support" in lines[0]
    report = Path(lines[-1])
    assert report.is_absolute() and report.name == "readiness.html" and report.exists()
    assert report == (out / "reports" / "readiness.html").resolve()


def test_demo_shows_a_canary_wave_then_the_rest_as_dry_runs(demo_run: tuple[Path, str]) -> None:
    import re
    import tomllib

    out, output = demo_run
    waves_file = out / "migration" / "waves.toml"
    waves = tomllib.loads(waves_file.read_text())["waves"]
    names = list(waves)
    # After the deadline every demo tenant has a blocker (its events stopped on 2026-10-30, or the numbers
    # its campaigns sent from can no longer be read): a canary still goes first (the tenant the schedule
    # frees first), then the rest.
    assert names[0] == "canary" and len(names) >= 2 and "waves:  canary: " in output
    per_wave = {
        m.group(1): int(m.group(2)) for m in re.finditer(r"--wave waves.toml:(\S+) .*: (\d+) call", output)
    }
    assert list(per_wave) == names and all(n > 0 for n in per_wave.values())
    total = int(re.search(r"--dry-run: (\d+) call", output).group(1))  # type: ignore[union-attr]
    assert sum(per_wave.values()) <= total  # account-level steps of no tenant are in no wave
    for name in names:
        assert (out / "migration" / f"apply-dry-run-{name}.txt").read_text().count("would call") == per_wave[
            name
        ]
    text = waves_file.read_text()
    assert "3 old-API send call(s)" in text  # Acme's SendMessages calls, counted per application
    # (that Acme and Delta share a number shows through Delta's campaign, retired after 2026-10-30: the
    # pre-deadline demo below checks it)


def test_report_links_each_call_site_to_its_rewrite_or_reason(demo_run: tuple[Path, str]) -> None:
    import json

    out, _ = demo_run
    sites = json.loads((out / "migration" / "rewrite.json").read_text())["sites"]
    statuses = {s["status"] for s in sites}
    assert statuses <= {"rewritten", "note", "left"} and "note" in statuses
    report = json.loads((out / "reports" / "readiness.json").read_text())
    code_rows = [r for r in report["call_sites"] if not r["where"].startswith("CloudTrail ")]
    assert code_rows and all(r["rewrite"] in ("rewritten", "note", "left") for r in code_rows)
    assert all(r["rewrite_detail"] for r in code_rows)
    html = (out / "reports" / "readiness.html").read_text()
    for status in ("rewritten", "note", "left"):
        assert html.count(f'data-rewrite="{status}"') == sum(1 for r in code_rows if r["rewrite"] == status)
    left = [r for r in code_rows if r["rewrite"] == "left"]
    assert all("tenant is unknown" in r["rewrite_detail"] or r["rewrite_detail"] for r in left)
    # a generated replacement is masked like everything else: recipients hidden, while the account's own
    # origination numbers are shown in full everywhere (issue 13)
    import re

    from migrate.inventory.snapshot import load_inventory
    from migrate.report.mask import own_numbers

    own = own_numbers(load_inventory(out / "migration" / "inventory.json"))
    assert set(re.findall(r"\+\d{7,15}(?![\d*])", html)) <= own


def test_committed_example_report_is_current(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    fresh = out / "reports"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(EXAMPLE, ignore_errors=True)
        shutil.copytree(fresh, EXAMPLE)
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(p.name for p in EXAMPLE.iterdir()), (
        "reports/example is missing files: UPDATE_GOLDEN=1"
    )
    stale = [n for n in names if (fresh / n).read_bytes() != (EXAMPLE / n).read_bytes()]
    assert stale == [], (
        f"reports/example is stale ({', '.join(stale)}): regenerate with UPDATE_GOLDEN=1 pytest {__file__}"
    )


def test_demo_outputs_holding_numbers_are_private(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    private = [out / "world.json", *sorted((out / "migration" / "optouts").glob("*.csv"))]
    assert len(private) > 5
    for path in private:
        assert oct(path.stat().st_mode & 0o777) == "0o600", path


def test_the_demo_reads_the_sources_left_after_the_deadline(demo_run: tuple[Path, str]) -> None:
    from migrate.emulator import demo_spec as spec
    from migrate.inventory.snapshot import load_inventory

    out, _ = demo_run
    inventory = load_inventory(out / "migration" / "inventory.json")
    assert inventory.end_of_support == {"date": "2026-10-30", "judged_at": spec.DEMO_NOW, "in_effect": True}
    statuses = {s.name.split(":")[0]: s.status for s in inventory.sections}
    assert statuses["pinpoint.campaigns"] == statuses["pinpoint.event_stream"] == "retired"
    assert "export" not in statuses  # no export job was started: they are retired
    exports = inventory.of("optout_exports")
    assert len(exports) == sum(1 for t in spec.TENANTS if t.endpoints)
    assert all(spec.PRE_DEADLINE_EXPORT_PREFIX in e.source for e in exports)
    defaults = {o.region: o.size for o in inventory.of("opt_out_lists") if o.name == "Default"}
    assert defaults == spec.DEFAULT_LIST_OPT_OUTS
    with Emulator.load(out / "world.json") as emu:
        for region, count in spec.SNS_OPTED_OUT.items():
            sns = emu.session(region).client("sns")
            assert len(sns.list_phone_numbers_opted_out()["phoneNumbers"]) == count


def test_demo_before_end_of_support_keeps_the_earlier_story(tmp_path: Path) -> None:
    from migrate.emulator import demo_spec as spec
    from migrate.inventory.snapshot import load_inventory

    result = CliRunner().invoke(cli, ["demo", "--before-end-of-support", "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert "before Pinpoint's end of support" in result.output and "retired" not in result.output
    inventory = load_inventory(tmp_path / "d" / "migration" / "inventory.json")
    assert inventory.end_of_support["in_effect"] is False
    assert {s.status for s in inventory.sections} == {"ok"}
    started = [s for s in inventory.sections if s.name.startswith("export:")]
    assert len(started) == len(spec.TENANTS)  # the scan started one export job per project
    assert inventory.of("campaigns") and inventory.of("journeys")
    exported = {p.parent.name for p in (tmp_path / "d" / "migration" / "exports").rglob("*.json")}
    assert {"campaigns", "journeys", "segments"} <= exported
    # Delta's campaign sends from Acme's number: the two tenants move together; a canary goes first
    waves_text = (tmp_path / "d" / "migration" / "waves.toml").read_text()
    assert "moves with delta-logistics" in waves_text
    assert "waves:  canary: " in result.output and "; then " in result.output
