"""`--code PATH`: find the call sites of the old send APIs in source trees.

Pinpoint `SendMessages` / `SendUsersMessages` (for SMS or voice) and SMS/Voice v1 `SendVoiceMessage`, in
Python, JavaScript/TypeScript, Java/Kotlin, Go, C#, shell scripts (AWS CLI), CloudFormation (including
inline Lambda code and Step Functions definitions), Terraform and Step Functions state machines. Each
hit carries its file and line, language, API, a channel hint read from the lines around it, and the v2
replacement with its parameter mapping. The patterns are data (`codescan_rules`).

Vendored and generated folders (`node_modules`, `vendor`, `.git`, virtualenvs, `cdk.out`, ...), binary
files and files over `MAX_BYTES` are skipped; every skipped file is listed with its reason. Files are
walked in sorted order and hits sorted by (path, line, api, kind), so one tree always gives one answer.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from migrate.inventory.codescan_rules import (
    API_SERVICE,
    HINT_WINDOW,
    INLINE_CODE_GUARDS,
    INLINE_CODE_RULES,
    LANGUAGES,
    SMS_HINT,
    STRUCTURED_EXTENSIONS,
    V1_SEND_VOICE,
    VOICE_HINT,
    Language,
    Rule,
    replacement,
)

MAX_BYTES = 2 * 1024 * 1024
SNIFF_BYTES = 8192
SNIPPET_CHARS = 160
SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", "bower_components", "jspm_packages", "vendor", "vendors",
        "third_party", "third-party", "site-packages", "__pycache__", ".venv", "venv", ".tox", ".nox",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".terraform", ".serverless", ".aws-sam", "cdk.out",
        ".gradle", ".idea", "Pods", "dist", "build", "target", "obj",
    }
)  # fmt: skip
_BY_EXTENSION = {ext: lang for lang in LANGUAGES for ext in lang.extensions}
_BY_FILENAME = {name: lang for lang in LANGUAGES for name in lang.filenames}
_BY_NAME = {lang.name: lang for lang in LANGUAGES}


@dataclass(frozen=True)
class CodeHit:
    """One place in source code that calls (or is allowed to call) an old send API."""

    path: str
    line: int
    language: str
    api: str  # pinpoint:SendMessages | pinpoint:SendUsersMessages | pinpoint-sms-voice:SendVoiceMessage
    kind: str  # call | request | cli | state-machine | iam | inline-code
    channel: str  # SMS | VOICE | unknown
    snippet: str
    replacement: str
    parameters: tuple[tuple[str, str], ...]
    note: str = ""


@dataclass(frozen=True)
class CodeScan:
    roots: tuple[str, ...]
    files_scanned: int
    hits: tuple[CodeHit, ...]
    skipped: tuple[tuple[str, str], ...]  # (path, reason)


def scan_code(paths: Sequence[str | os.PathLike[str]]) -> CodeScan:
    """Scan every file under `paths` (files or folders) for call sites of the old send APIs."""
    hits: list[CodeHit] = []
    skipped: list[tuple[str, str]] = []
    scanned = 0
    for root in paths:
        for shown, real in _walk(Path(root), skipped):
            language = _language_of(real)
            if language is None:
                continue
            text = _read_text(real, shown, skipped)
            if text is None:
                continue
            scanned += 1
            hits.extend(scan_text(text, shown, language))
    ordered = sorted(set(hits), key=lambda h: (h.path, h.line, h.api, h.kind))
    return CodeScan(tuple(str(p) for p in paths), scanned, tuple(ordered), tuple(sorted(set(skipped))))


def scan_text(text: str, path: str, language: Language | str) -> list[CodeHit]:
    """The hits in one file's text (`language` as a `Language` or its name)."""
    lang = _BY_NAME[language] if isinstance(language, str) else language
    if lang.name in ("json", "yaml"):
        lang = _BY_NAME[_structured_kind(text)]
    rules: list[Rule] = list(lang.rules)
    guards = list(lang.guards)
    if lang.name in ("cloudformation", "terraform"):
        rules.extend(INLINE_CODE_RULES)
        guards.extend(INLINE_CODE_GUARDS)
    allowed = {service for service, guard in guards if guard.search(text)}
    lines = text.splitlines()
    found: dict[tuple[int, str], CodeHit] = {}
    for number, line in enumerate(lines, start=1):
        if lang.ignore is not None and lang.ignore.search(line):
            continue
        for rule in rules:
            key = (number, rule.api)
            if key in found or not rule.pattern.search(line):
                continue
            if rule.kind in ("call", "request", "inline-code") and API_SERVICE[rule.api] not in allowed:
                continue
            channel = "VOICE" if rule.api == V1_SEND_VOICE else _channel(lines, number - 1)
            swap = replacement(rule.api, channel)
            found[key] = CodeHit(
                path=path,
                line=number,
                language=lang.name,
                api=rule.api,
                kind=rule.kind,
                channel=channel,
                snippet=_snippet(line),
                replacement=swap.operation,
                parameters=swap.parameters,
                note=rule.note,
            )
    return list(found.values())


def _channel(lines: list[str], index: int) -> str:
    """SMS or VOICE from the nearest hint within HINT_WINDOW lines; `unknown` when none or a tie."""
    best: dict[str, int] = {}
    for offset in range(HINT_WINDOW + 1):
        for at in {index - offset, index + offset}:
            if 0 <= at < len(lines):
                if "SMS" not in best and SMS_HINT.search(lines[at]):
                    best["SMS"] = offset
                if "VOICE" not in best and VOICE_HINT.search(lines[at]):
                    best["VOICE"] = offset
        if best:
            break
    if len(best) == 1:
        return next(iter(best))
    return "unknown"


def _structured_kind(text: str) -> str:
    if "AWSTemplateFormatVersion" in text or "AWS::" in text:
        return "cloudformation"
    if '"StartAt"' in text or "StartAt:" in text:
        return "stepfunctions"
    return "yaml" if not text.lstrip().startswith(("{", "[")) else "json"


def _language_of(path: Path) -> Language | None:
    name = path.name
    if name in _BY_FILENAME:
        return _BY_FILENAME[name]
    if name.endswith(".min.js") or name.endswith(".d.ts"):
        return None  # bundles and type declarations: not where calls are written
    if name.endswith(".tf.json"):
        return _BY_NAME["terraform"]
    suffix = path.suffix.lower()
    if suffix in STRUCTURED_EXTENSIONS:
        return _BY_NAME["json"]  # told apart from CloudFormation / Step Functions by content
    return _BY_EXTENSION.get(suffix)


def _walk(root: Path, skipped: list[tuple[str, str]]) -> Iterable[tuple[str, Path]]:
    """(path as shown, real path) of every candidate file, in sorted order; symlinks are not followed."""
    if root.is_file():
        yield root.as_posix(), root
        return
    if not root.is_dir():
        skipped.append((root.as_posix(), "no such file or folder"))
        return
    for folder, dirnames, filenames in os.walk(root):
        base = Path(folder)
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIP_DIRS and not (base / d / "pyvenv.cfg").exists()
        )
        for name in sorted(filenames):
            real = base / name
            if real.is_symlink():
                continue
            shown = PurePosixPath(root.as_posix()) / real.relative_to(root).as_posix()
            yield str(shown), real


def _read_text(path: Path, shown: str, skipped: list[tuple[str, str]]) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            skipped.append((shown, f"larger than {MAX_BYTES:,} bytes"))
            return None
        data = path.read_bytes()
    except OSError as exc:
        skipped.append((shown, f"cannot be read: {exc.strerror or exc}"))
        return None
    if b"\x00" in data[:SNIFF_BYTES]:
        skipped.append((shown, "binary"))
        return None
    return data.decode("utf-8", errors="replace")


def _snippet(line: str) -> str:
    text = " ".join(line.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"
