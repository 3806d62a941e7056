"""The report's link from each call site to what `rewrite` did with it (`rewrite.json`, written beside
the patch): rewritten in the patch, a generated replacement in the patch's notes, or left with the reason.

Sites are matched by path and line, as the code scan and `rewrite` both name them (they share the scanner).
A site the rewrite run did not see (another source tree) says so.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from migrate.report.parts import Report

KIND = "pinpoint-migrate-rewrite"
STATUSES = ("rewritten", "note", "left")


class RewriteResultsError(ValueError):
    """rewrite.json that cannot be used; the message names the file."""


def load_rewrites(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RewriteResultsError(
            f"{path}: no such rewrite results file (run `pinpoint-migrate rewrite`)"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise RewriteResultsError(f"{path}: not readable rewrite results ({exc})") from None
    if not isinstance(raw, dict) or raw.get("kind") != KIND or not isinstance(raw.get("sites"), list):
        raise RewriteResultsError(
            f'{path}: not rewrite results of pinpoint-migrate (expected "kind": "{KIND}")'
        )
    for number, site in enumerate(raw["sites"], start=1):
        if (
            not isinstance(site, dict)
            or not isinstance(site.get("path"), str)
            or not isinstance(site.get("line"), int)
            or site.get("status") not in STATUSES
        ):
            raise RewriteResultsError(f"{path}: site {number} lacks path, line or a known status")
    raw["_file"] = Path(path).name
    return raw


def link_rewrites(report: Report, results: dict[str, Any]) -> Report:
    by_place = {f"{s['path']}:{s['line']}": s for s in results["sites"]}
    patch = str(results.get("patch", ""))
    rows = []
    for row in report.call_sites:
        if row.where.startswith("CloudTrail "):
            rows.append(row)
            continue
        site = by_place.get(row.where)
        if site is None:
            rows.append(
                dataclasses.replace(
                    row, rewrite="unseen", rewrite_detail="not in the rewrite run's source trees"
                )
            )
            continue
        rows.append(
            dataclasses.replace(
                row,
                rewrite=str(site["status"]),
                rewrite_detail=str(site.get("detail", "")),
                rewrite_code=str(site.get("replacement", "")),
                rewrite_patch=patch,
            )
        )
    counts = {s: sum(1 for r in rows if r.rewrite == s) for s in STATUSES}
    summary = f"{results['_file']}: " + ", ".join(f"{n} {s}" for s, n in counts.items())
    meta = dataclasses.replace(report.meta, rewrite=summary)
    return dataclasses.replace(report, call_sites=tuple(rows), meta=meta)
