"""The AWS CLI (`awscli` from PyPI, in the [test] extras) against `emulator serve`, as a user would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.foreign.conftest import in_ci


def _aws(url: str, tmp: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": "AKIDFOREIGNCLI",
        "AWS_SECRET_ACCESS_KEY": "not-a-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "credentials"),
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "3",
    }
    done = subprocess.run(
        [sys.executable, "-m", "awscli", "--endpoint-url", url, "--output", "json", *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    if check:
        assert done.returncode == 0, (args, done.stderr[-2000:])
    return done


def _json(done: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(done.stdout) if done.stdout.strip() else {}


def test_aws_cli_against_served_emulator(served: str, tmp_path: Path) -> None:
    try:
        import awscli  # noqa: F401
    except ImportError:
        if in_ci():
            pytest.fail("CI must run the AWS CLI test: awscli is not installed (it is in the [test] extras)")
        pytest.skip("awscli is not installed: pip install -e '.[test]'")
    started = time.monotonic()
    calls = 0

    def aws(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        nonlocal calls
        calls += 1
        return _aws(served, tmp_path, *args, check=check)

    v2 = "pinpoint-sms-voice-v2"
    listed = _json(aws(v2, "create-opt-out-list", "--opt-out-list-name", "foreign-cli"))
    assert listed["OptOutListArn"].endswith(":opt-out-list/foreign-cli")
    numbers = ["+14255550101", "+14255550102", "+14255550103"]
    for number in numbers:
        aws(v2, "put-opted-out-number", "--opt-out-list-name", "foreign-cli", "--opted-out-number", number)
    # --page-size 1: the CLI follows NextToken page by page and prints the whole result
    described = aws(
        v2, "describe-opted-out-numbers", "--opt-out-list-name", "foreign-cli", "--page-size", "1", "--debug"
    )
    pages = described.stderr.count("Making request for OperationModel(name=DescribeOptedOutNumbers)")
    assert pages == 3
    assert [n["OptedOutNumber"] for n in _json(described)["OptedOutNumbers"]] == numbers
    phone = _json(aws(
        v2, "request-phone-number", "--iso-country-code", "US", "--message-type", "TRANSACTIONAL",
        "--number-capabilities", "SMS", "--number-type", "SIMULATOR", "--opt-out-list-name", "foreign-cli",
    ))  # fmt: skip
    refused = aws(
        v2, "send-text-message", "--destination-phone-number", numbers[0], "--origination-identity",
        phone["PhoneNumberId"], "--message-body", "hi", "--dry-run", check=False,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "(ConflictException)" in refused.stderr and "opted out" in refused.stderr
    sent = _json(aws(
        v2, "send-text-message", "--destination-phone-number", "+14254147755", "--origination-identity",
        phone["PhoneNumberId"], "--message-body", "hi", "--dry-run",
    ))  # fmt: skip
    assert sent["MessageId"]
    for number in numbers:
        aws(v2, "delete-opted-out-number", "--opt-out-list-name", "foreign-cli", "--opted-out-number", number)
    aws(v2, "release-phone-number", "--phone-number-id", phone["PhoneNumberId"])
    assert (
        _json(aws(v2, "delete-opt-out-list", "--opt-out-list-name", "foreign-cli"))["OptOutListName"]
        == "foreign-cli"
    )
    gone = aws(v2, "describe-opt-out-lists", "--opt-out-list-names", "foreign-cli", check=False)
    assert gone.returncode != 0 and "ResourceNotFoundException" in gone.stderr

    app = _json(aws("pinpoint", "create-app", "--create-application-request", "Name=foreign-cli"))
    app_id = app["ApplicationResponse"]["Id"]
    assert [a["Id"] for a in _json(aws("pinpoint", "get-apps"))["ApplicationsResponse"]["Item"]] == [app_id]
    aws("pinpoint-sms-voice", "create-configuration-set", "--configuration-set-name", "foreign-cli")
    assert _json(aws("pinpoint-sms-voice", "list-configuration-sets"))["ConfigurationSets"] == ["foreign-cli"]
    print(f"AWS CLI: {calls} commands in {time.monotonic() - started:.2f} s")
