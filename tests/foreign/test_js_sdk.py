"""The AWS SDK for JavaScript v3 (v2, Pinpoint and v1 clients from npm) against `emulator serve`.

`.ci/run` installs the clients into tests/foreign/js/node_modules (`npm ci`, from package-lock.json); in
CI (CI=true) this test must run, elsewhere it skips when node or those modules are absent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.foreign.conftest import in_ci

JS = Path(__file__).parent / "js"
MODULES = [
    "@aws-sdk/client-pinpoint-sms-voice-v2",
    "@aws-sdk/client-pinpoint",
    "@aws-sdk/client-pinpoint-sms-voice",
]


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not on PATH"
    absent = [m for m in MODULES if not (JS / "node_modules" / m / "package.json").exists()]
    if absent:
        return f"npm modules not installed ({', '.join(absent)}): run `npm ci` in {JS}"
    return None


def test_js_sdk_v3_against_served_emulator(served: str) -> None:
    reason = _missing()
    if reason:
        if in_ci():
            pytest.fail(f"CI must run the JavaScript SDK test: {reason}")
        pytest.skip(reason)
    started = time.monotonic()
    done = subprocess.run(
        ["node", "--no-warnings", str(JS / "foreign.mjs"), served],
        capture_output=True, text=True, timeout=120, cwd=JS,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["list"].endswith(":opt-out-list/foreign-js")
    # pageSize 1 over three numbers: three pages, every number once, in order
    assert out["pages"] == 3
    assert out["described"] == ["+14255550101", "+14255550102", "+14255550103"]
    assert out["dryRun"] == {
        "name": "ConflictException",
        "reason": "DESTINATION_PHONE_NUMBER_OPTED_OUT",
        "status": 400,
    }
    assert out["dryRunOther"] is True
    assert out["deleted"] == "foreign-js"
    assert out["apps"] == [out["app"]]
    assert out["v1"] == ["foreign-js"]
    print(f"JS SDK v3: {out['calls']} calls in {elapsed:.2f} s")
