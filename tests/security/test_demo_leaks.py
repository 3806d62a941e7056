"""Nothing sensitive leaks from a whole run: `pinpoint-migrate demo` (world, scan, plan, apply --dry-run,
report) is run once, in a child process whose environment carries canary AWS credentials of real shape,
and every file it wrote and everything it printed is searched.

- credentials: access key ids of AWS's shape (AKIA/ASIA/... followed by 16 base-32 characters, as
  secret scanners match them), secret key and session token names, STS token prefixes, the canaries;
- phone numbers: the report masks them, so no report file holds a full E.164 number, nor any recipient
  number (endpoint addresses, opt-outs, message destinations) in any form;
- files holding recipient numbers are mode 0600 (their folder 0700), whatever their name.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

CANARY_KEY = "AKIAQZ7CANARYZ2XKEY5"  # AKIA + 16 base-32 characters: the shape scanners look for
CANARY_SECRET = "cAnArY/SeCrEt+KeY0123456789abcdefGHIJKLMN"
CANARY_TOKEN = "IQoJb3JpZ2luX2VjCANARYsessiontoken0123456789"
ACCESS_KEY = re.compile(rb"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Z0-9])")
SECRET_WORDS = re.compile(
    rb"aws_secret_access_key|secretaccesskey|aws_session_token|x-amz-security-token|"
    rb"IQoJb3JpZ2lu|FwoGZXIvYXdz|emulated-secret",
    re.IGNORECASE,
)
# SessionToken as a *field* holding a value; the word alone may name an option in documentation.
SESSION_TOKEN_FIELD = re.compile(rb"[\"']?SessionToken[\"']?\s*[:=]\s*[\"'][A-Za-z0-9/+=]{16,}")
FULL_E164 = re.compile(rb"\+\d{7,15}(?![\d*])")


@dataclass(frozen=True)
class DemoRun:
    out: Path
    stdout: bytes
    stderr: bytes
    files: tuple[Path, ...]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    out = tmp_path_factory.mktemp("demo") / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=CANARY_KEY,
        AWS_SECRET_ACCESS_KEY=CANARY_SECRET,
        AWS_SESSION_TOKEN=CANARY_TOKEN,
        AWS_DEFAULT_REGION="us-east-1",
    )
    done = subprocess.run(
        [sys.executable, "-c", "from migrate.cli import main; main()", "demo", "--out", str(out)],
        capture_output=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    files = tuple(sorted(p for p in out.rglob("*") if p.is_file()))
    return DemoRun(out, done.stdout, done.stderr, files)


def _everything(demo: DemoRun) -> list[tuple[str, bytes]]:
    found = [("stdout", demo.stdout), ("stderr", demo.stderr)]
    return found + [(str(p.relative_to(demo.out)), p.read_bytes()) for p in demo.files]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _own_numbers(demo: DemoRun) -> set[str]:
    """The account's own origination numbers: v2 phone numbers it leases and the identities the plan
    gives its tenants."""
    world = json.loads((demo.out / "world.json").read_text(encoding="utf-8"))
    own = {
        str(row.get("PhoneNumber", ""))
        for name, rows in world["tables"].items()
        if name.count(":") >= 3 and name.split(":")[3] == "phone_numbers"
        for row in rows.values()
    }
    plan = json.loads((demo.out / "migration" / "plan.json").read_text(encoding="utf-8"))
    own |= {
        i["value"] for t in plan["tenants"] for i in t.get("identities", []) if i["value"].startswith("+")
    }
    return {n for n in own if n}


def _recipients(demo: DemoRun) -> set[str]:
    """Numbers of people: endpoint addresses, opt-outs, message destinations, verified destinations and
    the scan's opt-out files, minus the account's own origination numbers (business identifiers)."""
    world = json.loads((demo.out / "world.json").read_text(encoding="utf-8"))
    people: set[str] = set()
    own: set[str] = set()
    for name, rows in world["tables"].items():
        kind = name.split(":")[3] if name.count(":") >= 3 else ""
        for key, row in rows.items():
            if kind == "phone_numbers":
                own.add(str(row.get("PhoneNumber", "")))
            elif kind.startswith("opted_out"):
                people.add(key)
            elif kind in ("endpoints", "messages", "verified_numbers", "verified"):
                people.update(s for s in _strings(row) if re.fullmatch(r"\+?\d{7,15}", s))
    for csv_file in (demo.out / "migration" / "optouts").glob("*.csv"):
        people.update(re.findall(r"\+\d{7,15}", csv_file.read_text(encoding="utf-8")))
    return {p for p in people if len(re.sub(r"\D", "", p)) >= 7} - own


NUMBER_LIKE = re.compile(rb"(?<![\w*])(?:\+|%2B|\\u002b)?(\d{7,15})(?![\w*])")


def _holding(data: bytes, numbers: set[str]) -> list[str]:
    """The numbers of `numbers` that `data` holds in any form: as written, URL-encoded (%2B),
    JSON-escaped (\\u002b) or digits only (each file is scanned once, then compared by digits)."""
    digits = {m.decode() for m in NUMBER_LIKE.findall(data)}
    return sorted(n for n in numbers if re.sub(r"\D", "", n) in digits)


def test_the_demo_ends_with_the_report_path(demo: DemoRun) -> None:
    last = demo.stdout.decode().strip().splitlines()[-1]
    report = Path(last.split()[-1])
    assert report.name == "readiness.html" and report.is_file()
    assert (demo.out / "world.json").is_file() and (demo.out / "migration" / "optouts").is_dir()


def test_no_access_key_id_of_aws_shape_anywhere(demo: DemoRun) -> None:
    leaks = [
        (where, match.group(0).decode())
        for where, data in _everything(demo)
        for match in ACCESS_KEY.finditer(data)
    ]
    assert leaks == []


def test_no_secret_key_or_session_token_anywhere(demo: DemoRun) -> None:
    canaries = (CANARY_KEY, CANARY_SECRET, CANARY_TOKEN)
    leaks = []
    for where, data in _everything(demo):
        leaks += [(where, m.group(0).decode(errors="replace")) for m in SECRET_WORDS.finditer(data)]
        leaks += [(where, m.group(0).decode(errors="replace")) for m in SESSION_TOKEN_FIELD.finditer(data)]
        leaks += [(where, c) for c in canaries if c.encode() in data]
    assert leaks == []


def test_the_report_files_hold_no_unmasked_number(demo: DemoRun) -> None:
    reports = [p for p in demo.files if p.parent.name == "reports"]
    assert {p.suffix for p in reports} >= {".html", ".json", ".csv"}
    people = _recipients(demo)
    own = _own_numbers(demo)
    assert own  # the account's origination numbers are shown in full (they are no one's personal data)
    for path in reports:
        data = path.read_bytes()
        shown = {m.decode() for m in FULL_E164.findall(data)}
        assert shown <= own, (path.name, sorted(shown - own)[:5])
        assert _holding(data, people) == [], path.name
    assert b"****" in (demo.out / "reports" / "readiness.html").read_bytes()  # masking did happen


def test_what_the_demo_printed_holds_no_recipient_number(demo: DemoRun) -> None:
    people = _recipients(demo)
    assert people  # the demo world has opt-outs and endpoints
    assert _holding(demo.stdout + demo.stderr, people) == []


def test_every_file_holding_recipient_numbers_is_private(demo: DemoRun) -> None:
    people = _recipients(demo)
    holders = [p for p in demo.files if _holding(p.read_bytes(), people)]
    names = {p.relative_to(demo.out).as_posix() for p in holders}
    assert "world.json" in names and any(n.startswith("migration/optouts/") for n in names)
    public = {
        p.relative_to(demo.out).as_posix(): oct(stat.S_IMODE(p.stat().st_mode))
        for p in holders
        if stat.S_IMODE(p.stat().st_mode) != 0o600
    }
    assert public == {}
    optouts = demo.out / "migration" / "optouts"
    assert stat.S_IMODE(optouts.stat().st_mode) == 0o700
