"""The lines `scan` prints when it ends: what it read, what it skipped, and what end of support retired."""

from __future__ import annotations

from migrate.aws.retirement import END_OF_SUPPORT_DATE
from migrate.inventory.scan_options import ScanOutcome
from migrate.inventory.scanner import FailedCall


def summary_lines(outcome: ScanOutcome, *, verbose: bool = False) -> list[str]:
    inv = outcome.inventory
    counts = {kind: len(items) for kind, items in sorted(inv.records.items()) if items}
    lines = [
        f"scanned {len(inv.accounts)} account(s) x {len(set(inv.regions))} region(s) at {inv.scanned_at}",
        "found " + (", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items()) or "nothing"),
    ]
    lines.extend(retirement_lines(outcome, verbose=verbose))
    for section in outcome.problems():
        if section.status == "retired":
            continue
        lines.append(
            f"skipped {section.account}/{section.region} {section.name}: {section.status} — {section.reason}"
        )
    if verbose:
        lines.extend(
            f"  failed {c.account}/{c.region} {c.section}{' ' + c.app_id if c.app_id else ''}: "
            f"{c.status} — {c.reason}"
            for c in sorted(outcome.failed_calls, key=lambda c: (c.account, c.region, c.section, c.app_id))
            if c.status != "retired"
        )
    lines.extend(f"note: {n}" for n in outcome.notes)
    lines.append(f"wrote {outcome.path}")
    lines.extend(f"wrote {p}" for p in outcome.csv_files)
    return lines


def retirement_lines(outcome: ScanOutcome, *, verbose: bool = False) -> list[str]:
    """One line on what Pinpoint's end of support kept the scan from reading (with --verbose, each call)."""
    retired = [s for s in outcome.inventory.sections if s.status == "retired"]
    if not retired:
        return []
    places = sorted({(s.account, s.region) for s in retired})
    calls = [c for c in outcome.failed_calls if c.status == "retired"]
    apps = {(c.account, c.region, c.app_id) for c in calls if c.app_id}
    apps |= {(s.account, s.region, s.name.split(":", 1)[1]) for s in retired if ":" in s.name}
    region_wide = {(c.account, c.region) for c in calls if not c.app_id}  # e.g. pinpoint.recommenders
    apps |= {
        (a.account, a.region, a.app_id)
        for a in outcome.inventory.of("pinpoint_apps")
        if (a.account, a.region) in region_wide
    }
    what = sorted({_retired_label(s.name) for s in retired})
    line = (
        f"retired: since {END_OF_SUPPORT_DATE} (Pinpoint's end of support) {', '.join(what)} cannot be read: "
        f"{len(apps)} project(s) in {len(places)} region(s) affected, recorded as `retired`"
    )
    if not verbose:
        return [line + " (--verbose lists each call)"]
    calls += [  # sections read outside the scanner (export jobs): one call each
        FailedCall(s.account, s.region, s.name, "", s.status, s.reason)
        for s in retired
        if not any(c.section == s.name and (c.account, c.region) == (s.account, s.region) for c in calls)
    ]
    return [line] + [
        f"  retired {c.account}/{c.region} {c.section}{' ' + c.app_id if c.app_id else ''}: {c.reason}"
        for c in sorted(calls, key=lambda c: (c.account, c.region, c.section, c.app_id))
    ]


_RETIRED_LABELS = {
    "pinpoint.settings": "app settings",
    "pinpoint.event_stream": "event streams",
    "pinpoint.recommenders": "recommenders",
    "export": "endpoint export jobs",
}


def _retired_label(section: str) -> str:
    base = section.split(":", 1)[0]
    return _RETIRED_LABELS.get(base, base.split(".", 1)[-1].replace("_", " "))
