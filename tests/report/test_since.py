"""The report's first section, "Since 2026-10-30", and findings ordered by urgency: in the model and in
headless Chromium (skipped, saying so, without /usr/bin/chromium)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from migrate.inventory.records import InferredEventStream, OptOutFile, SnsOptedOut
from migrate.inventory.snapshot import Inventory, Section
from migrate.mapping.catalog import SEVERITIES
from migrate.report.commands import run_report
from migrate.report.leadtimes import load_lead_times
from migrate.report.model import build_report
from tests.report import world
from tests.report.test_browser import CHROMIUM, Watched, browser  # noqa: F401 (the browser fixture)

ACCOUNT, REGION = world.ACCOUNT, world.REGION


def _after_deadline(names: list[str] | None = None) -> Inventory:
    """The report world as a scan after 2026-10-30 sees it: engagement retired, sources beside exports."""
    inv = world.inventory(names)
    inv.records.pop("campaigns", None)
    inv.sections.append(Section(ACCOUNT, REGION, "pinpoint.campaigns:app0001", "unavailable", "retired"))
    inv.add(
        SnsOptedOut(ACCOUNT, REGION, "optouts/sns.csv", "optouts/sns.rejects.csv", "a" * 64, "b" * 64, 8, 8, 0, 0),
        OptOutFile("", "", "", "crm.csv", "c" * 64, "optouts/file-01-crm.csv", "optouts/file-01-crm.rejects.csv",
                   "d" * 64, "e" * 64, 5, 4, 1, 1),
        InferredEventStream(ACCOUNT, REGION, "app0001", f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/b",
                            "firehose", f"arn:aws:iam::{ACCOUNT}:role/b", ("pinpoint.amazonaws.com",),
                            ("CloudTrail: PutEventStream at 2026-09-01T00:00:00Z by ops",)),
    )  # fmt: skip
    return inv


@pytest.fixture(scope="module")
def report() -> Any:
    inv = _after_deadline()
    return build_report(inv, world.planned(inv), now="2026-12-10T09:00:00Z")


def test_events_stopped_per_tenant_counted_at_the_report_date(report: Any) -> None:
    since = report.since
    assert since.after and since.days == 41 and since.report_day == "2026-12-10"
    events = {e.tenant_name: e for e in since.events}
    assert set(events) == {"Acme Clinics", world.HOSTILE}
    assert events[world.HOSTILE].known == "inferred from CloudTrail and IAM"
    assert events["Acme Clinics"].known == "read with GetEventStream"
    assert all(e.days == 41 for e in events.values())


def test_what_stopped_and_what_runs(report: Any) -> None:
    stopped = " ".join(report.since.stopped)
    assert "Campaigns, journeys and segments no longer run" in stopped
    assert "Quiet time and sending limits set on 1 project(s) are no longer applied" in stopped
    runs = " ".join(report.since.still_runs)
    assert "SendOTPMessage" in runs and "SMS and voice sends" in runs


def test_sources_per_tenant_with_counts(report: Any) -> None:
    rows = {r.tenant_name: dict(r.counts) for r in report.since.sources}
    assert set(rows) == set(world.NAMES)
    for counts in rows.values():
        assert counts["SNS"] == 8 and counts["suppression file"] == 3 and counts["Default list"] == 40
        assert counts["endpoint export"] is not None and counts["other lists"] is None


def test_what_is_gone_is_said_plainly(report: Any) -> None:
    saved = {s.label: s for s in report.since.saved}
    assert saved["Campaigns"].gone and saved["Campaigns"].text.startswith("Gone:")
    assert not saved["Message templates"].gone and "exported" in saved["Message templates"].text


def test_findings_are_ordered_by_urgency(report: Any) -> None:
    lead = load_lead_times()
    ranks = [SEVERITIES.index(f.severity) for f in report.findings]
    assert ranks == sorted(ranks)
    blockers = [f for f in report.findings if f.severity == "blocker"]
    gating = [bool(f.blocks) for f in blockers]
    assert gating == sorted(gating, reverse=True)  # what gates the cut-over comes first
    for group in (True, False):
        longest = [
            (lt.max_days if (lt := lead.of(f.code)) else 0) for f in blockers if bool(f.blocks) == group
        ]
        assert longest == sorted(longest, reverse=True)
    first = [t.code for t in report.since.first]
    assert len(first) == 3 and len(set(first)) == 3
    assert first[0] == blockers[0].code


def test_before_the_deadline_it_says_what_will_stop() -> None:
    inv = world.inventory()
    since = build_report(inv, world.planned(inv), now="2026-10-01T00:00:00Z").since
    assert not since.after and since.days == -29


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed at /usr/bin/chromium")
def test_the_first_screen_says_what_stopped(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    inv = _after_deadline()
    inventory, plan = inv.write(tmp_path / "inventory.json"), world.planned(inv).write(tmp_path / "plan.json")
    html = run_report(inventory, plan, tmp_path / "report", now="2026-12-10T09:00:00Z").html
    watched = Watched(browser, html)
    page = watched.open()
    first = page.locator("main section.part").first
    assert first.get_attribute("id") == "since"
    heading = page.locator("#since h2")
    assert heading.inner_text() == "Since 2026-10-30"
    box = heading.bounding_box()
    assert box is not None and box["y"] < 300  # on the first screen
    assert "41 days ago" in page.locator("#since p.lead").inner_text()
    events = page.locator("#since ul.events-stopped > li")
    assert events.count() == 2
    assert "41 days without events" in events.first.inner_text()
    assert page.locator("#since ol.first-three > li").count() == 3
    rows = page.locator("#since table.since-sources tbody tr")
    assert rows.count() == len(world.NAMES)
    # hostile names are text, not markup
    assert page.locator("#since img").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    watched.assert_quiet()
    watched.context.close()
