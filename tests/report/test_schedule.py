"""Lead times (the registry beside the runbooks), progress dates in overrides.toml, and the schedule."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from pathlib import Path

import pytest

from migrate.mapping.catalog import CATALOG
from migrate.mapping.overrides import OverridesError, parse_overrides
from migrate.mapping.progress import Progress
from migrate.report.html import render_html
from migrate.report.leadtimes import LeadTimeError, add_days, load_lead_times
from migrate.report.model import build_report
from tests.report import world

NOW = "2026-12-04T00:00:00Z"
TODAY = dt.date(2026, 12, 4)


def test_every_code_a_person_acts_on_has_a_lead_time_with_its_source() -> None:
    lead_times = load_lead_times()
    human = sorted(code for code, spec in CATALOG.items() if spec.runbook)
    missing = [code for code in human if code not in lead_times.entries]
    assert missing == [], f"add these codes to runbooks/lead-times.toml: {missing}"
    for code in human:
        lt = lead_times.entries[code]
        assert lt.unit in ("business", "calendar") and 0 <= lt.min_days <= lt.max_days, code
        assert lt.source_url.startswith("https://") and lt.source_title and lt.what, code
    for (code, _value), lt in lead_times.variants.items():
        assert code in lead_times.entries and lt.source_url.startswith("https://")
    runbooks = Path(__file__).resolve().parents[2] / "runbooks"
    assert (runbooks / "lead-times.toml").is_file()  # packaged with the runbooks (same folder)


def test_variants_pick_by_detail() -> None:
    lead_times = load_lead_times()
    tfn = lead_times.of("REGISTRATION_INCOMPLETE", {"registration_type": "US_TOLL_FREE_REGISTRATION"})
    assert tfn is not None and (tfn.unit, tfn.max_days) == ("business", 15)
    gb = lead_times.of("SENDER_ID_REGISTRATION_REQUIRED", {"country": "GB"})
    other = lead_times.of("SENDER_ID_REGISTRATION_REQUIRED", {"country": "ZZ"})
    assert gb is not None and other is not None and gb.max_days < other.max_days


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '[A_CODE]\nwhat="x"\nunit="weeks"\nmin=1\nmax=2\nbasis="estimate"\nsource_title="t"\nsource_url="https://x"\n',
            "unit",
        ),
        (
            '[A_CODE]\nwhat="x"\nunit="business"\nmin=3\nmax=2\nbasis="estimate"\nsource_title="t"\nsource_url="https://x"\n',
            "min (3)",
        ),
        (
            '[A_CODE]\nwhat="x"\nunit="business"\nmin=1\nmax=2\nbasis="estimate"\nsource_title="t"\nsource_url="ftp://x"\n',
            "source_url",
        ),
        (
            '[A_CODE]\nwhat="x"\nunit="business"\nmin=1\nmax=2\nbasis="estimate"\nsource_title="t"\nsource_url="https://x"\nafter=["NOPE"]\n',
            "NOPE",
        ),
        (
            '[A_CODE]\nwhat="x"\nunit="business"\nmin=1\nmax=2\nbasis="guess"\nsource_title="t"\nsource_url="https://x"\n',
            "basis",
        ),
    ],
)
def test_a_wrong_lead_time_file_is_refused_naming_file_code_and_key(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "lt.toml"
    path.write_text(text)
    with pytest.raises(LeadTimeError) as caught:
        load_lead_times(path)
    assert str(path) in str(caught.value) and "A_CODE" in str(caught.value) and problem in str(caught.value)


def test_business_days_skip_weekends() -> None:
    friday = dt.date(2026, 12, 4)
    assert add_days(friday, 1, "business") == dt.date(2026, 12, 7)
    assert add_days(friday, 5, "business") == dt.date(2026, 12, 11)
    assert add_days(friday, 5, "calendar") == dt.date(2026, 12, 9)
    for start, days in itertools.product([friday + dt.timedelta(n) for n in range(7)], range(0, 30, 3)):
        end = add_days(start, days, "business")
        assert end.weekday() < 5 or days == 0
        assert (
            sum(1 for n in range(1, (end - start).days + 1) if (start + dt.timedelta(n)).weekday() < 5)
            == days
        )


def _report(progress: tuple[Progress, ...] = (), now: str = NOW, sandbox: bool = True) -> object:
    inv = world.inventory(sandbox=sandbox)
    return build_report(inv, world.planned(inv), now=now, progress=progress)


def test_every_tenant_has_a_window_a_reason_and_at_most_three_actions() -> None:
    report = _report()
    assert len(report.schedules) == len(report.tenants)
    for s in report.schedules:
        assert TODAY.isoformat() <= s.earliest <= s.latest
        assert s.reason and 1 <= len(s.actions) <= 3
        for item in s.items:
            assert item.starts <= item.earliest <= item.latest or item.state == "done"
        open_items = [i for i in s.items if i.state != "done"]
        if open_items:
            assert s.latest == max(i.latest for i in open_items)
            assert open_items[0].code in s.reason
    assert report.timeline is not None and len(report.timeline.rows) == len(report.schedules)
    assert report == _report()  # deterministic


def test_recorded_dates_never_lengthen_and_approval_removes_the_item() -> None:
    base = _report()
    for s in base.schedules:
        for item in s.items:
            approved = (Progress(item.code, s.name, 1, approved_on="2026-12-01"),)
            submitted = (Progress(item.code, "", 1, submitted_on="2026-11-20"),)
            for progress in (approved, submitted):
                other = next(o for o in _report(progress).schedules if o.anchor == s.anchor)
                assert other.latest <= s.latest and other.earliest <= s.earliest
            after = next(o for o in _report(approved).schedules if o.anchor == s.anchor)
            assert next(i for i in after.items if i.code == item.code).state == "done"


def test_expected_by_sets_the_date_and_a_later_now_moves_the_window() -> None:
    report = _report()
    s = report.schedules[0]
    item = s.items[0]
    expected = (Progress(item.code, "", 1, submitted_on="2026-12-01", expected_by="2027-03-01"),)
    changed = next(o for o in _report(expected).schedules if o.anchor == s.anchor)
    assert changed.latest == "2027-03-01" and item.code in changed.reason
    later = next(o for o in _report(now="2027-01-04T00:00:00Z").schedules if o.anchor == s.anchor)
    assert later.earliest >= "2027-01-04" and later.latest > s.latest


def test_runbooks_show_their_lead_time_and_source() -> None:
    report = _report()
    html = render_html(report)
    groups = [g for how in report.checklist for g in how.groups]
    assert groups and all(g.lead_time is not None for g in groups)
    for g in groups:
        assert g.lead_time is not None and g.lead_time.source_url in html
    assert html.count('class="lead-time"') == sum(1 for g in groups if g.runbook)
    assert 'id="schedule"' in html and 'id="matrix-table"' in html and 'id="chart-timeline"' in html


def test_progress_in_overrides_is_read_and_checked() -> None:
    text = (
        '[progress.REGISTRATION_INCOMPLETE]\nsubmitted_on = 2026-11-20\nexpected_by = "2026-12-15"\nnote = "case 1"\n'
        '[tenants."Acme Clinics".progress.SENDER_ID_REGISTRATION_REQUIRED]\napproved_on = 2026-12-01\n'
    )
    found = parse_overrides(text).progress
    assert [(p.code, p.tenant, p.submitted_on, p.approved_on, p.expected_by) for p in found] == [
        ("REGISTRATION_INCOMPLETE", "", "2026-11-20", "", "2026-12-15"),
        ("SENDER_ID_REGISTRATION_REQUIRED", "Acme Clinics", "", "2026-12-01", ""),
    ]
    assert found[0].line == 1 and dataclasses.replace(found[0], note="") != found[0]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[progress.REGISTRATION_INCOMPLETE]\nsubmitted_on = "soon"\n', "submitted_on"),
        ("[progress.REGISTRATION_INCOMPLETE]\nfiled = 2026-11-20\n", "filed"),
        ("[progress.lower]\nsubmitted_on = 2026-11-20\n", "lower"),
        (
            "[progress.REGISTRATION_INCOMPLETE]\nsubmitted_on = 2026-11-20\napproved_on = 2026-11-01\n",
            "approved_on",
        ),
        ('[tenants."A".progress.X_CODE]\nexpected_by = 12\n', "expected_by"),
    ],
)
def test_bad_progress_is_refused_with_file_line_and_key(text: str, key: str) -> None:
    with pytest.raises(OverridesError) as caught:
        parse_overrides(text, "ov.toml")
    assert str(caught.value).startswith("ov.toml:") and key in str(caught.value)
