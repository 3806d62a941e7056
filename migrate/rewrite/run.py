"""`pinpoint-migrate rewrite --code PATH --plan plan.json`: a patch that moves the old send calls to v2.

The code scanner (`inventory.codescan`) finds the call sites; Python ones are rewritten with libcst
(`python_calls`); JavaScript/TypeScript (AWS SDK v3) and AWS CLI ones get a generated replacement in the
patch's notes (`notes`), not a blind rewrite; everything else is listed with the reason it was left.
Nothing changes in place without `write=True`. A second run over rewritten code finds nothing to do.
The outcome per call site is written beside the patch as `rewrite.json`, which the report reads.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from migrate.fileio import write_atomic
from migrate.inventory.codescan import CodeHit, scan_code
from migrate.plan.planfile import load_plan
from migrate.rewrite.notes import note_for
from migrate.rewrite.python_calls import Outcome, Tenant, rewrite_python


@dataclass(frozen=True)
class Site:
    """One call site the scan found and what rewrite did with it."""

    path: str
    line: int
    language: str
    api: str
    kind: str
    status: str  # rewritten | note | left
    detail: str
    tenant: str = ""
    replacement: str = ""  # the generated code of a note


@dataclass
class RewriteResult:
    patch: Path
    sites: list[Site] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)  # shown path -> new text
    written: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for s in self.sites if s.status == status)

    def summary(self) -> list[str]:
        lines = [
            f"rewrite: {len(self.sites)} call site(s): {self.count('rewritten')} rewritten in "
            f"{len(self.changed)} file(s), {self.count('note')} with a generated replacement in the notes, "
            f"{self.count('left')} left as they are -> {self.patch}"
        ]
        lines += [f"  left {s.path}:{s.line}: {s.detail}" for s in self.sites if s.status == "left"]
        if self.written:
            lines.append(f"wrote {len(self.written)} file(s) in place: {', '.join(self.written)}")
        return lines


def plan_tenants(plan_path: Path) -> dict[str, Tenant]:
    plan = load_plan(Path(plan_path))
    return {
        str(t["app_id"]): Tenant(
            str(t["slug"]), str(t["app_id"]), str(t["configuration_set"]), tuple(t["pools"])
        )
        for t in plan.data["tenants"]
    }


def run_rewrite(
    code: Sequence[Path], plan_path: Path, out: Path | None = None, write: bool = False
) -> RewriteResult:
    tenants = plan_tenants(plan_path)
    scan = scan_code(list(code))
    by_path: dict[str, list[CodeHit]] = {}
    for hit in scan.hits:
        by_path.setdefault(hit.path, []).append(hit)
    result = RewriteResult(Path(out) if out else Path(plan_path).with_name("rewrite.patch"))
    originals: dict[str, str] = {}
    for path, hits in sorted(by_path.items()):
        language = hits[0].language
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        outcomes: tuple[Outcome, ...] = ()
        if language == "python" and any(h.kind == "call" for h in hits):
            rewritten = rewrite_python(text, tenants)
            outcomes = rewritten.outcomes
            if rewritten.text != text:
                originals[path], result.changed[path] = text, rewritten.text
        for hit in hits:
            result.sites.append(_site(hit, outcomes, text, tenants))
    result.patch.parent.mkdir(parents=True, exist_ok=True)
    _atomic(result.patch, _patch_text(result, originals))
    body = {
        "kind": "pinpoint-migrate-rewrite",
        "patch": result.patch.name,
        "sites": [asdict(s) for s in result.sites],
    }
    _atomic(result.patch.with_name("rewrite.json"), json.dumps(body, indent=1, sort_keys=True) + "\n")
    if write:
        for path, new in sorted(result.changed.items()):
            _atomic(Path(path), new)
            result.written.append(path)
    return result


def _site(hit: CodeHit, outcomes: Sequence[Outcome], text: str, tenants: dict[str, Tenant]) -> Site:
    base: dict[str, Any] = {
        "path": hit.path,
        "line": hit.line,
        "language": hit.language,
        "api": hit.api,
        "kind": hit.kind,
    }
    if hit.language == "python" and hit.kind == "call":
        for outcome in outcomes:
            if outcome.line <= hit.line <= outcome.end_line:
                status = "rewritten" if outcome.status == "rewritten" else "left"
                return Site(**base, status=status, detail=outcome.detail, tenant=outcome.tenant)
        return Site(**base, status="left", detail="not a call on a boto3 client made at module level")
    note = note_for(hit, text, tenants)
    if note is not None:
        return Site(**base, status="note", detail=note.detail, tenant=note.tenant, replacement=note.code)
    return Site(**base, status="left", detail=_why_left(hit))


def _why_left(hit: CodeHit) -> str:
    if hit.api == "pinpoint:SendUsersMessages":
        return "SendUsersMessages sends to users' endpoints, which are retired: resolve their numbers first"
    return {
        "iam": "an IAM permission: grant the v2 action (sms-voice:SendTextMessage / SendVoiceMessage) by hand",
        "state-machine": "a Step Functions task: change it to aws-sdk:pinpointsmsvoicev2:sendTextMessage by hand",
        "request": "a request object, not the call: change it with the call",
        "inline-code": "code inside a template: change it where the template is made",
    }.get(hit.kind, f"{hit.language} is not rewritten: change it by hand ({hit.replacement})")


def _patch_text(result: RewriteResult, originals: dict[str, str]) -> str:
    lines = [
        "pinpoint-migrate rewrite: the old send calls moved to pinpoint-sms-voice-v2.",
        "Apply with `git apply` or `patch -p1`; review every line marked `# pinpoint-migrate: review`.",
        "",
    ]
    for site in result.sites:
        lines.append(f"{site.status:9} {site.path}:{site.line} {site.api}: {site.detail}")
    notes = [s for s in result.sites if s.status == "note"]
    if notes:
        lines += ["", "Notes: generated replacements (not applied) for code this tool does not rewrite:"]
        for site in notes:
            lines += [
                "",
                f"{site.path}:{site.line}:",
                *(f"    {row}" for row in site.replacement.splitlines()),
            ]
    lines.append("")
    header = "\n".join(lines)
    diffs: list[str] = []
    for path in sorted(result.changed):
        diffs.extend(
            difflib.unified_diff(
                originals[path].splitlines(keepends=True),
                result.changed[path].splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
        )
    return header + "\n" + "".join(diffs)


def _atomic(path: Path, text: str) -> None:
    mode = path.stat().st_mode if path.exists() and not path.is_symlink() else None
    write_atomic(path, text)
    if mode is not None:
        os.chmod(path, mode & 0o7777)  # a rewritten script stays executable
